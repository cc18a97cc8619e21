"""The program list's search and filters (query parameters are a stable interface)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

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


class ProgramFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                # Load each option list once: the template's {% for %} would otherwise run
                # a COUNT and a SELECT per list. (django-filter's own setter would re-wrap
                # the list in a ModelChoiceIterator, so use Django's; and iter() because list()
                # would ask the iterator for its length, a COUNT query.) Validation still
                # looks values up through field.queryset.
                forms.ChoiceField.choices.fset(field, list(iter(field.choices)))


class ProgramFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, service or city")}),
    )
    level = django_filters.ModelChoiceFilter(
        label=_("Level of care"),
        field_name="levels",
        to_field_name="code",
        queryset=LevelOfCare.objects.order_by("rank"),
        empty_label=_("Any level"),
    )
    service = django_filters.ModelMultipleChoiceFilter(
        label=_("Services (all of)"),
        # Conjoined filters build `field_name=<slug>` lookups, so the lookup must be on slug.
        field_name="services__slug",
        to_field_name="slug",
        queryset=Service.objects.order_by("name"),
        conjoined=True,
        widget=forms.CheckboxSelectMultiple,
    )
    population = django_filters.ModelChoiceFilter(
        label=_("Who it serves"),
        field_name="populations",
        to_field_name="slug",
        queryset=Population.objects.order_by("name"),
        empty_label=_("Anyone"),
    )
    payment = django_filters.ModelChoiceFilter(
        label=_("Payment"),
        field_name="payment_options",
        to_field_name="slug",
        queryset=PaymentOption.objects.order_by("name"),
        empty_label=_("Any payment"),
    )
    language = django_filters.ModelChoiceFilter(
        label=_("Language"),
        field_name="languages",
        to_field_name="code",
        queryset=Language.objects.order_by("name"),
        empty_label=_("Any language"),
    )
    telehealth = django_filters.BooleanFilter(
        label=_("Telehealth"),
        widget=forms.CheckboxInput(attrs={"value": "true"}),
        method="filter_telehealth",
    )
    schedule = django_filters.ChoiceFilter(
        label=_("Schedule"), choices=SCHEDULE_CHOICES, method="filter_schedule",
        empty_label=_("Any time"),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=US_STATES, method="filter_state", empty_label=_("Any state")
    )

    class Meta:
        model = Program
        fields = []
        form = ProgramFilterForm

    def filter_q(self, queryset, name, value):
        return program_search(queryset, value) if value.strip() else queryset

    def filter_telehealth(self, queryset, name, value):
        return queryset.filter(telehealth=True) if value else queryset

    def filter_schedule(self, queryset, name, value):
        return queryset.filter(**{f"schedule_{value}": True})

    def filter_state(self, queryset, name, value):
        return queryset.filter(
            Exists(Location.objects.filter(program=OuterRef("pk"), state=value))
        )
