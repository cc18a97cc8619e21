"""Programs as a spreadsheet (CSV or XLSX), through django-import-export.

One row per program, keyed by its slug. Lists of things (levels, services, populations,
payment, languages, accreditations) are codes separated by commas; a program's locations are
one cell, one location per line: ``street | city | state | ZIP | latitude | longitude | note``
(latitude, longitude and note may be empty). Unknown codes and malformed locations are
errors on their row, shown in the import preview before anything is saved.

Exporting and importing the same file changes nothing: every row is reported "skipped".
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.results import RowResult

from iop.cache import catalogue_changed
from iop.models import (
    US_STATES,
    Accreditation,
    Language,
    LevelOfCare,
    Location,
    PaymentOption,
    Population,
    Program,
    ProgramService,
    Service,
)
from iop.services import search_index_batch

_STATES = frozenset(code for code, _name in US_STATES)
_ZIP = re.compile(r"^\d{5}$")
_LIST_SPLIT = re.compile(r"[,;\n]+")


def _codes(value) -> list[str]:
    """The codes in a cell ("iop, php" → ["iop", "php"]), each once, in order."""
    if value is None:
        return []
    return list(dict.fromkeys(part.strip() for part in _LIST_SPLIT.split(str(value))
                              if part.strip()))


class StrictManyToManyWidget(widgets.ManyToManyWidget):
    """Like ManyToManyWidget, but a code that matches nothing is an error, not dropped."""

    def __init__(self, model, field, label):
        super().__init__(model, separator=",", field=field)
        self.label = label

    def clean(self, value, row=None, **kwargs):
        codes = _codes(value)
        if not codes:
            return self.model.objects.none()
        found = self.model.objects.filter(**{f"{self.field}__in": codes})
        known = {str(getattr(item, self.field)) for item in found}
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise ValueError(
                _("Unknown %(what)s: %(codes)s.")
                % {"what": self.label, "codes": ", ".join(unknown)}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ",".join(sorted(str(getattr(item, self.field)) for item in value.all()))


class PendingField(fields.Field):
    """A field set from a whole cell and saved after the program (services, locations).

    ``import_row`` calls ``save`` before the program is saved; the parsed value waits on the
    instance and ``ProgramResource.after_save_instance`` writes it. ``get_value`` returns it
    while it waits, so "skip unchanged" and the preview's diff compare like with like.
    """

    def __init__(self, *, current, **kwargs):
        super().__init__(**kwargs)
        self.current = current

    @property
    def pending_key(self) -> str:
        return f"_import_{self.column_name}"

    def get_value(self, obj):
        if self.pending_key in obj.__dict__:
            return obj.__dict__[self.pending_key]
        return self.current(obj) if obj.pk else ()

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance.__dict__[self.pending_key] = self.clean(row, **kwargs)


class ServicesWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        slugs = sorted(_codes(value))
        known = set(Service.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        unknown = [slug for slug in slugs if slug not in known]
        if unknown:
            raise ValueError(_("Unknown service: %(codes)s.") % {"codes": ", ".join(unknown)})
        return tuple(slugs)

    def render(self, value, obj=None, **kwargs):
        return ",".join(value or ())


def _number(text: str, what: str, low: float, high: float) -> float | None:
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise ValueError(
            _("%(what)s is not a number: %(text)s.") % {"what": what, "text": text}
        ) from None
    if not low <= number <= high:
        raise ValueError(_("%(what)s must be between %(low)s and %(high)s.")
                         % {"what": what, "low": low, "high": high})
    return number


class LocationsWidget(widgets.Widget):
    """``street | city | state | ZIP | latitude | longitude | note``, one location a line."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ()
        locations = []
        for number, line in enumerate(str(value).splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) < 4 or len(parts) > 7:
                raise ValueError(_(
                    "Location %(n)s: write street | city | state | ZIP, then optionally "
                    "| latitude | longitude | note."
                ) % {"n": number})
            parts += [""] * (7 - len(parts))
            street, city, state, postal_code, lat, lng, note = parts
            state = state.upper()
            problems = []
            if not street or not city:
                problems.append(_("street and city are needed"))
            if state not in _STATES:
                problems.append(_("%(state)s is not a US state code") % {"state": state or '""'})
            if not _ZIP.match(postal_code):
                problems.append(_("the ZIP code must be 5 digits"))
            try:
                latitude = _number(lat, _("latitude"), -90, 90)
                longitude = _number(lng, _("longitude"), -180, 180)
            except ValueError as error:
                problems.append(str(error).rstrip("."))
                latitude = longitude = None
            if (latitude is None) != (longitude is None):
                problems.append(_("give both latitude and longitude, or neither"))
            if len(street) > 200 or len(city) > 100 or len(note) > 200:
                problems.append(_("a part is too long"))
            if problems:
                raise ValueError(_("Location %(n)s: %(problems)s.")
                                 % {"n": number, "problems": "; ".join(problems)})
            locations.append((street, city, state, postal_code, latitude, longitude, note))
        return tuple(sorted(locations, key=_location_sort_key))

    def render(self, value, obj=None, **kwargs):
        lines = []
        for street, city, state, postal_code, latitude, longitude, note in value or ():
            parts = [street, city, state, postal_code,
                     "" if latitude is None else repr(float(latitude)),
                     "" if longitude is None else repr(float(longitude)), note]
            while parts and parts[-1] == "" and len(parts) > 4:
                parts.pop()
            lines.append(" | ".join(parts))
        return "\n".join(lines)


def _location_sort_key(location):
    return tuple("" if part is None else str(part) for part in location)


def _location_tuple(location: Location):
    return (location.street, location.city, location.state, location.postal_code,
            location.latitude, location.longitude, location.note)


def current_services(program: Program):
    links = program.program_services.select_related("service")
    return tuple(sorted(link.service.slug for link in links))


def current_locations(program: Program):
    return tuple(sorted((_location_tuple(loc) for loc in program.locations.all()),
                        key=_location_sort_key))


def _m2m(attribute, model, field, label):
    return fields.Field(
        attribute=attribute, column_name=attribute,
        widget=StrictManyToManyWidget(model, field=field, label=label),
    )


class ProgramResource(resources.ModelResource):
    levels = _m2m("levels", LevelOfCare, "code", "level of care")
    populations = _m2m("populations", Population, "slug", "population")
    payment_options = _m2m("payment_options", PaymentOption, "slug", "payment option")
    languages = _m2m("languages", Language, "code", "language")
    accreditations = _m2m("accreditations", Accreditation, "slug", "accreditation")
    services = PendingField(
        attribute="services", column_name="services", widget=ServicesWidget(),
        current=current_services,
    )
    locations = PendingField(
        attribute="locations", column_name="locations", widget=LocationsWidget(),
        current=current_locations,
    )

    class Meta:
        model = Program
        import_id_fields = ["slug"]
        fields = [
            "slug", "name", "organisation", "summary", "description", "is_published",
            "accepting", "accepting_note", "last_verified",
            "levels", "hours_min", "hours_max", "sessions_per_week", "length_weeks",
            "schedule_day", "schedule_evening", "schedule_weekend",
            "telehealth", "telehealth_states",
            "services", "populations", "populations_only", "age_min", "age_max", "languages",
            "payment_options", "phone", "email", "website",
            "accreditations", "state_licensed", "physician", "licensed_clinicians",
            "offers_buprenorphine", "offers_methadone", "offers_naltrexone", "aftercare",
            "locations",
        ]
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return Program.objects.prefetch_related(
            "levels", "populations", "payment_options", "languages", "accreditations",
            "locations", "program_services__service",
        )

    def import_data(self, dataset, dry_run=False, *args, **kwargs):
        with search_index_batch():
            result = super().import_data(dataset, dry_run, *args, **kwargs)
        if not dry_run and any(result.totals.get(kind) for kind in (
                RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE,
                RowResult.IMPORT_TYPE_DELETE)):
            # Rows saved one by one send signals, but bulk mode (use_bulk) does not: every
            # cached page and API answer is out of date once the import is in.
            catalogue_changed()
        return result

    def import_instance(self, instance, row, **kwargs):
        # Empty cells in an XLSX arrive as None: a blank text is "", never NULL.
        for name in ("organisation", "description", "accepting_note", "telehealth_states",
                     "phone", "email", "website"):
            if name in row and row[name] is None:
                row[name] = ""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # The many-to-many cells are saved after the program; check them now so a bad code
        # is an error on its row in the preview (and the row is never half saved).
        for name in ("levels", "populations", "payment_options", "languages",
                     "accreditations"):
            field = self.fields[name]
            if field.column_name not in row:
                continue
            try:
                chosen = field.clean(row)
            except ValueError as error:
                errors[name] = ValidationError(str(error), code="invalid")
                continue
            if name == "levels" and not chosen.exists():
                errors[name] = ValidationError(_("Give at least one level of care."),
                                               code="required")
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        if kwargs.get("dry_run") and not self._is_using_transactions(kwargs):
            return
        services = instance.__dict__.pop("_import_services", None)
        if services is not None:
            self._save_services(instance, services)
        locations = instance.__dict__.pop("_import_locations", None)
        if locations is not None:
            self._save_locations(instance, locations)

    @staticmethod
    def _save_services(program: Program, slugs) -> None:
        wanted = set(slugs)
        for link in program.program_services.select_related("service"):
            if link.service.slug not in wanted:
                link.delete()
            else:
                wanted.discard(link.service.slug)
        for service in Service.objects.filter(slug__in=wanted):
            ProgramService.objects.create(program=program, service=service)

    @staticmethod
    def _save_locations(program: Program, rows) -> None:
        wanted = list(rows)
        for location in program.locations.all():
            key = _location_tuple(location)
            if key in wanted:
                wanted.remove(key)
            else:
                location.delete()
        for street, city, state, postal_code, latitude, longitude, note in wanted:
            Location.objects.create(
                program=program, street=street, city=city, state=state,
                postal_code=postal_code, latitude=latitude, longitude=longitude, note=note,
            )
