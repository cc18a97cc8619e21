"""The program list's search and filters (query parameters are a stable interface)."""

import copy

import django_filters
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Value
from django.http import QueryDict
from django.utils.functional import lazy
from django.utils.html import conditional_escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from iop import geo
from iop.cache import lookups_memo
from iop.i18n import current_language, localized
from iop.models import (
    US_STATES,
    Language,
    LevelOfCare,
    Location,
    PaymentOption,
    Population,
    Program,
    Service,
)
from iop.selectors import program_search

SCHEDULE_CHOICES = [
    ("day", _("Daytime")),
    ("evening", _("Evenings")),
    ("weekend", _("Weekends")),
]
def _miles(miles: int) -> str:
    return gettext("%(miles)s miles") % {"miles": miles}


def _radius_choices_error() -> str:
    return gettext("Choose %(choices)s or %(last)s miles.") % {
        "choices": ", ".join(str(miles) for miles in geo.RADIUS_CHOICES[:-1]),
        "last": geo.RADIUS_CHOICES[-1],
    }


# Worded in each page's language when shown (`_(...) % {...}` here would word them once, in
# English, when the module is imported).
RADIUS_CHOICES = [(miles, lazy(_miles, str)(miles)) for miles in geo.RADIUS_CHOICES]

# A value that is not an option (an old link, a hand-edited address) is not echoed back: it may
# hold anything, control characters included, and the person cannot fix it by retyping.
CHOICE_ERRORS = {"invalid_choice": _("Choose one of the options in the list.")}

CHOICES_CACHE_KEY = "iop:filter_choices:v2:{language}"  # names in the page's language
CHOICES_CACHE_SECONDS = 600  # signals clear it on every edit; this only bounds other writers


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The option lists of the lookup filters: one query on a cold cache, none after.

    Cleared by iop.signals whenever staff edit a level, service, population, payment option
    or language."""
    cache_key = CHOICES_CACHE_KEY.format(language=current_language())
    choices = cache.get(cache_key)
    if choices is None:
        def rows(model, kind, key, rank=None):
            # Every column an annotation, in this order: a union lists a query's annotations
            # in the order they were added, after its own fields.
            return model.objects.order_by().annotate(
                choice_kind=Value(kind), choice_key=F(key), choice_label=localized("name"),
                choice_position=F(rank) if rank else Value(0),
            ).values_list("choice_kind", "choice_key", "choice_label", "choice_position")

        union = rows(LevelOfCare, "level", "code", "rank").union(
            rows(Service, "service", "slug"),
            rows(Population, "population", "slug"),
            rows(PaymentOption, "payment", "slug"),
            rows(Language, "language", "code"),
            all=True,
        )
        choices = {"level": [], "service": [], "population": [], "payment": [], "language": []}
        for kind, key, name, _position in sorted(
            union, key=lambda row: (row[3], row[2].casefold(), row[1])
        ):
            choices[kind].append((key, name))
        cache.set(cache_key, choices, CHOICES_CACHE_SECONDS)
    return choices


def filter_choices_clear() -> None:
    cache.delete_many([CHOICES_CACHE_KEY.format(language=code)
                       for code, _name in settings.LANGUAGES])


class PageFilter(django_filters.Filter):
    """`page` is validated with the other parameters (the view paginates)."""

    field_class = forms.IntegerField


class _CopiedShallowly(dict):
    """A form's fields, prepared once (option lists set, their HTML escaped): each form gets
    its own copy of every field and widget, as Django's deep copy gives it, but shares the
    option lists, which nothing changes after they are set. The deep copy took about half a
    millisecond a request, mostly copying the option lists that were then replaced."""

    def __deepcopy__(self, memo):
        return {name: _field_copy(field) for name, field in self.items()}


def _field_copy(field):
    copied = shallow_copy(field)  # as Field.__deepcopy__ and Widget.__deepcopy__, choices shared
    copied.widget = shallow_copy(field.widget)
    copied.widget.attrs = field.widget.attrs.copy()
    copied.error_messages = field.error_messages.copy()
    copied.validators = field.validators[:]
    return copied


_COPY_HOOKS = ("__copy__", "__reduce_ex__", "__reduce__", "__getstate__", "__setstate__")
_plain: dict[type, bool] = {}


def shallow_copy(value):
    """``copy.copy(value)``, quicker for a plain object (one with a ``__dict__``, no
    ``__slots__`` and none of copy's hooks of its own, as filters, form fields and widgets
    are): a new instance of the class with the same attributes, which is what copy.copy
    makes of such an object, without working out how to copy it each time (a filter form
    copies 36 such objects a request). Anything else goes to copy.copy."""
    kind = type(value)
    plain = _plain.get(kind)
    if plain is None:
        plain = _plain[kind] = (
            kind.__new__ is object.__new__ and hasattr(value, "__dict__")
            and not any("__slots__" in vars(base) for base in kind.__mro__[:-1])
            and all(getattr(kind, hook, None) is getattr(object, hook, None)
                    for hook in _COPY_HOOKS)
        )
    if not plain:
        return copy.copy(value)
    copied = object.__new__(kind)
    copied.__dict__.update(value.__dict__)
    return copied


class _ValidValues:
    """A choice field's ``valid_value``, as a set lookup: Django's walks the option list, and
    django-filter's list is made again (normalized) on every walk. Django's test is
    ``value == option or str(value) == str(option)``; the values it is given are strings
    (to_python makes them so), for which that is ``str(value)`` among the options' strings."""

    def __init__(self, choices):
        self.values = frozenset(
            str(inner) for option, label in choices
            for inner in ([pair[0] for pair in label] if isinstance(label, list | tuple)
                          else [option])
        )

    def __call__(self, value) -> bool:
        return str(value) in self.values


def option_parts(field) -> list[tuple[str, str, str]]:
    """A choice field's options as (value, escaped value, escaped label): what the filter
    form's template tags write (iop_tags.select_options, checkbox_options). Worked out once
    for the program filters' fields (ProgramFilterForm keeps them as ``field.option_parts``).
    The escaped texts are plain strings (``str.__str__`` of the SafeStrings escaping gives):
    writing a SafeString into an f-string calls its Python ``__str__``, twice an option, and a
    filter form writes some 150 options."""
    kept = getattr(field, "option_parts", None)
    if kept is not None:
        return kept
    return [(str(value), str.__str__(conditional_escape(str(value))),
             str.__str__(conditional_escape(label)))
            for value, label in field.choices]


def choice_labels(field) -> dict:
    """A choice field's value → label, made once for the program filters' prepared fields
    (kept as ``field.labels_by_value``), else now."""
    kept = getattr(field, "labels_by_value", None)
    return kept if kept is not None else dict(field.choices)


class ProgramFilterForm(forms.Form):
    near_point: geo.ZipPoint | None = None

    def __init__(self, *args, **kwargs):
        # The fields with this language's option lists (from the cache: validating or
        # rendering them costs no query), made once per process and version of the lookup
        # tables (iop.cache.lookups_memo), then copied for this form by BaseForm.__init__.
        self.base_fields = lookups_memo(
            f"{type(self).__qualname__}.fields:{current_language()}", self._prepared_fields
        )
        super().__init__(*args, **kwargs)

    @classmethod
    def _prepared_fields(cls) -> _CopiedShallowly:
        fields = copy.deepcopy(cls.base_fields)
        for name, choices in filter_choices().items():
            fields[name].choices = choices
        for field in fields.values():
            if isinstance(field, forms.ChoiceField):
                field.option_parts = option_parts(field)
                field.labels_by_value = dict(field.choices)
                field.valid_value = _ValidValues(field.choices)
        return _CopiedShallowly(fields)

    def clean_near(self):
        point = geo.zip_clean(self.cleaned_data.get("near"))
        if point is None:
            return ""
        self.near_point = point
        return point.zip_code


class ProgramFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, service or city")}),
    )
    near = django_filters.CharFilter(
        label=_("Near ZIP code"), method="filter_noop", max_length=10,
        help_text=_("A US ZIP code, for example 10001."),
    )
    radius = django_filters.TypedChoiceFilter(
        label=_("Distance"), choices=RADIUS_CHOICES, coerce=int, empty_value=None,
        method="filter_noop",
        error_messages={"invalid_choice": lazy(_radius_choices_error, str)()},
    )
    # The filters on linked rows: see filter_linked.
    level = django_filters.ChoiceFilter(
        label=_("Level of care"), field_name="levels__code", empty_label=_("Any level"),
        method="filter_linked",
        error_messages=CHOICE_ERRORS,
    )
    service = django_filters.MultipleChoiceFilter(
        label=_("Services (all of)"),
        field_name="services__slug",
        conjoined=True,
        widget=forms.CheckboxSelectMultiple,
        method="filter_linked", error_messages=CHOICE_ERRORS,
    )
    population = django_filters.ChoiceFilter(
        label=_("Who it serves"), field_name="populations__slug", empty_label=_("Anyone"),
        method="filter_linked",
        error_messages=CHOICE_ERRORS,
    )
    payment = django_filters.ChoiceFilter(
        label=_("Payment"), field_name="payment_options__slug", empty_label=_("Any payment"),
        method="filter_linked",
        error_messages=CHOICE_ERRORS,
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), field_name="languages__code", empty_label=_("Any language"),
        method="filter_linked",
        error_messages=CHOICE_ERRORS,
    )
    telehealth = django_filters.BooleanFilter(
        label=_("Telehealth"),
        widget=forms.CheckboxInput(attrs={"value": "true"}),
        method="filter_telehealth",
    )
    schedule = django_filters.ChoiceFilter(
        label=_("Schedule"), choices=SCHEDULE_CHOICES, method="filter_schedule",
        empty_label=_("Any time"), error_messages=CHOICE_ERRORS,
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=US_STATES, method="filter_state", empty_label=_("Any state"),
        error_messages=CHOICE_ERRORS,
    )
    page = PageFilter(
        label=_("Page"), min_value=1, max_value=1_000_000,
        method="filter_noop",
        error_messages={
            "invalid": _("Page numbers are whole numbers, for example 2."),
            "min_value": _("Page numbers start at 1."),
            "max_value": _("There are not that many pages."),
        },
    )

    class Meta:
        model = Program
        fields = []
        form = ProgramFilterForm

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # As django-filter's own __init__, but each filter is copied shallowly, not deeply:
        # a deep copy of eleven filters with their choices, lazy labels and widgets cost
        # about 0.6 ms a request, and nothing changes a filter's definition once the class is
        # made (the copy only gets this request's model and parent, and its form field).
        # A filter with a `method` holds a FilterMethod that points back at the filter: set
        # again on the copy, so that it calls this FilterSet's method, not the definition's.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: shallow_copy(definition)
                        for name, definition in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self
            if filter_.method is not None:
                filter_.method = filter_.method  # a new FilterMethod, bound to the copy

    def get_form_class(self):
        """The form class, made once: its fields come from the filters' definitions alone
        (labels are lazy, so they are worded in each page's language; the option lists are
        set on each form by ProgramFilterForm). django-filter made a new class, and its
        fields, for every request."""
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            type(self)._form_class = form_class
        return form_class

    @property
    def near_point(self) -> geo.ZipPoint | None:
        """The ZIP centroid asked for, once the form is cleaned (None when absent or bad)."""
        return self.form.near_point if self.is_bound and self.form.is_bound else None

    @property
    def radius_miles(self) -> int:
        data = getattr(self.form, "cleaned_data", {})
        return data.get("radius") or geo.DEFAULT_RADIUS

    @property
    def wants_telehealth(self) -> bool:
        return bool(getattr(self.form, "cleaned_data", {}).get("telehealth"))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        point = self.near_point
        if point is None:
            return queryset
        miles = self.radius_miles
        if self.wants_telehealth:
            # Video sessions work from anywhere: keep every telehealth program, nearest first.
            queryset = queryset.annotate(miles=geo.nearest_location_miles(point.coordinates, miles))
        else:
            # Every program left has a location in the box: no need for nearest_location_miles'
            # "is it in the box" test.
            queryset = geo.programs_within(queryset, point.coordinates, miles)
            queryset = queryset.annotate(
                miles=geo.nearest_location_miles_within(point.coordinates, miles)
            ).filter(miles__lte=miles)
        return queryset.order_by(F("miles").asc(nulls_last=True), "name", "pk")

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_linked(self, queryset, name, value):
        """Programs linked to the chosen level, population, payment option or language, or to
        every chosen service (`name` is "relation__key"): each one `id IN (the ids of the
        programs linked to it)`. Joins on the program rows would do the same, but each one
        multiplies the ways PostgreSQL can order the query: with two of them and the near-me
        subqueries, planning took longer than running it."""
        relation, key = name.split("__")
        field = Program._meta.get_field(relation)
        for one in value if isinstance(value, list | tuple) else [value]:
            linked = field.remote_field.through.objects.filter(
                **{f"{field.m2m_reverse_field_name()}__{key}": one}
            ).values(field.m2m_field_name())
            queryset = queryset.filter(pk__in=linked)
        return queryset

    def filter_q(self, queryset, name, value):
        # Misspelt words widened to the words they resemble, for the page to say so.
        self.spelling = {}
        return program_search(queryset, value, self.spelling) if value.strip() else queryset

    def filter_telehealth(self, queryset, name, value):
        return queryset.filter(telehealth=True) if value else queryset

    def filter_schedule(self, queryset, name, value):
        return queryset.filter(**{f"schedule_{value}": True})

    def filter_state(self, queryset, name, value):
        return queryset.filter(
            Exists(Location.objects.filter(program=OuterRef("pk"), state=value))
        )
