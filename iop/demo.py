"""Write the fictional demo programs (iop.demo_data) into the database, idempotently."""

from django.db import transaction
from django.utils.text import slugify

from iop.demo_data import DEMO_PROGRAMS
from iop.models import (
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
from iop.services import program_search_index_changed, search_index_batch

DEMO_MARK = "(Demo)"

SCALAR_FIELDS = {
    "organisation": "organisation", "summary": "summary", "description": "description",
    "age_min": "age_min", "age_max": "age_max", "hours_min": "hours_min",
    "hours_max": "hours_max", "sessions_per_week": "sessions_per_week",
    "length_weeks": "length_weeks", "schedule_day": "schedule_day",
    "schedule_evening": "schedule_evening", "schedule_weekend": "schedule_weekend",
    "telehealth": "telehealth", "telehealth_states": "telehealth_states",
    "populations_only": "populations_only", "phone": "phone", "email": "email",
    "website": "website",
    "accepting": "accepting", "accepting_note": "accepting_note",
    "last_verified": "last_verified", "state_licensed": "state_licensed",
    "physician": "physician", "licensed_clinicians": "licensed_clinicians",
    "buprenorphine": "offers_buprenorphine", "methadone": "offers_methadone",
    "naltrexone": "offers_naltrexone", "aftercare": "aftercare",
}


def _by(model, field, keys):
    found = {getattr(obj, field): obj for obj in model.objects.filter(**{f"{field}__in": keys})}
    missing = set(keys) - set(found)
    if missing:
        raise ValueError(f"{model.__name__}: unknown {field} {sorted(missing)}")
    return [found[key] for key in keys]


def _scalar_values(data: dict) -> dict:
    values = {field: data[key] for key, field in SCALAR_FIELDS.items() if key in data}
    values.update(name=f"{data['name']} {DEMO_MARK}", is_demo=True, is_published=True)
    # As the database gives them back (a date, not "2026-11-02"), so comparisons are fair.
    return {name: Program._meta.get_field(name).to_python(value) for name, value in values.items()}


def _set_if_changed(manager, wanted) -> bool:
    if set(manager.values_list("pk", flat=True)) == {obj.pk for obj in wanted}:
        return False
    manager.set(wanted)
    return True


def _services_sync(program: Program, data: dict) -> bool:
    """Add, re-note or remove services so the program offers exactly these; True if it wrote."""
    wanted = dict(zip(
        (service.pk for service in _by(Service, "slug", [slug for slug, _ in data["services"]])),
        (note for _slug, note in data["services"]),
        strict=True,
    ))
    current = {row.service_id: row for row in program.program_services.all()}
    changed = False
    stale = [row.pk for service_id, row in current.items() if service_id not in wanted]
    if stale:
        ProgramService.objects.filter(pk__in=stale).delete()
        changed = True
    for service_id, note in wanted.items():
        row = current.get(service_id)
        if row is None:
            ProgramService.objects.create(program=program, service_id=service_id, note=note)
            changed = True
        elif row.note != note:
            row.note = note
            row.save(update_fields=["note"])
            changed = True
    return changed


LOCATION_FIELDS = ("street", "city", "state", "postal_code", "latitude", "longitude", "note")


def _locations_sync(program: Program, data: dict) -> bool:
    def key(values: dict) -> tuple:
        return tuple(values.get(field, "") for field in LOCATION_FIELDS)

    current = sorted(key(row) for row in program.locations.values(*LOCATION_FIELDS))
    if current == sorted(key(location) for location in data["locations"]):
        return False
    program.locations.all().delete()
    Location.objects.bulk_create(
        Location(program=program, **location) for location in data["locations"]
    )
    return True


@transaction.atomic
def demo_programs_load() -> tuple[int, int, int]:
    """Create or update every demo program; one already as described is not touched at all
    (no write, no new audit history, its "updated" date kept). Returns (created, updated,
    unchanged)."""
    created = updated = unchanged = 0
    with search_index_batch():  # one rebuild per changed program, at the end
        for data in DEMO_PROGRAMS:
            values = _scalar_values(data)
            slug = data.get("slug") or slugify(data["name"])
            program = Program.objects.filter(slug=slug).first()
            is_new = program is None
            if is_new:
                program = Program.objects.create(slug=slug, **values)
                changed = True
            else:
                differing = [name for name, value in values.items()
                             if getattr(program, name) != value]
                for name in differing:
                    setattr(program, name, values[name])
                if differing:
                    program.save()
                changed = bool(differing)
            for manager, model, field, key in (
                (program.levels, LevelOfCare, "code", "levels"),
                (program.populations, Population, "slug", "populations"),
                (program.languages, Language, "code", "languages"),
                (program.payment_options, PaymentOption, "slug", "payments"),
                (program.accreditations, Accreditation, "slug", "accreditations"),
            ):
                changed |= _set_if_changed(manager, _by(model, field, data.get(key, [])))
            changed |= _services_sync(program, data)
            changed |= _locations_sync(program, data)
            if is_new:
                created += 1
            elif changed:
                updated += 1
            else:
                unchanged += 1
            if changed:  # bulk-created locations send no signal
                program_search_index_changed([program.pk])
    return created, updated, unchanged
