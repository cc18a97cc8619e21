"""Write the fictional demo programs (iop/data/demo_programs.json) into the database,
idempotently.

The file is a list of programs, each with model field names::

    {"model": "iop.program",
     "fields": {"slug": ..., "name": ..., "accepting": "yes", ...,
                "levels": ["iop"], "populations": [...], "languages": ["en"],
                "payment_options": [...], "accreditations": [...]},
     "program_services": [{"service": "cbt", "note": ""}, ...],
     "locations": [{"street": ..., "city": ..., "state": ..., "postal_code": ...,
                    "latitude": ..., "longitude": ..., "note": ...}, ...]}

Texts shown to the public also have a Spanish copy beside them (``summary_es``,
``description_es``, ``accepting_note_es``; ``note_es`` of a service or a location).

"fields" holds Program's own fields, and its many-to-many fields by natural key (a level's
code, a language's code, the slug of the others). "program_services" and "locations" are
the rows behind those related names. Programs are matched by slug.

Every program, organisation, street address, phone number, email and website in it is made
up: phone numbers use the 555-01xx range kept for fiction, web addresses the reserved
``.example`` domain. ZIP codes and coordinates are real places, so distance search works.
The loader adds the "(Demo)" mark to each name and publishes the programs; the file does not.
"""

import json
from functools import cache
from pathlib import Path

from django.db import transaction

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
DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo_programs.json"

# Many-to-many fields of Program, and the field of the related model the file names them by.
RELATED_FIELDS = {
    "levels": (LevelOfCare, "code"),
    "populations": (Population, "slug"),
    "languages": (Language, "code"),
    "payment_options": (PaymentOption, "slug"),
    "accreditations": (Accreditation, "slug"),
}


@cache
def demo_programs() -> tuple[dict, ...]:
    """The programs in the demo file (read once)."""
    entries = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    for entry in entries:
        if entry.get("model") != "iop.program":
            raise ValueError(f"{DEMO_FILE.name}: expected iop.program, got {entry.get('model')}")
    return tuple(entries)


def _by(model, field, keys):
    found = {getattr(obj, field): obj for obj in model.objects.filter(**{f"{field}__in": keys})}
    missing = set(keys) - set(found)
    if missing:
        raise ValueError(f"{model.__name__}: unknown {field} {sorted(missing)}")
    return [found[key] for key in keys]


def _scalar_values(fields: dict) -> dict:
    values = {name: value for name, value in fields.items()
              if name not in RELATED_FIELDS and name != "slug"}
    values.update(name=f"{fields['name']} {DEMO_MARK}", is_demo=True, is_published=True)
    # As the database gives them back (a date, not "2026-11-02"), so comparisons are fair.
    return {name: Program._meta.get_field(name).to_python(value) for name, value in values.items()}


def _set_if_changed(manager, wanted) -> bool:
    if set(manager.values_list("pk", flat=True)) == {obj.pk for obj in wanted}:
        return False
    manager.set(wanted)
    return True


def _services_sync(program: Program, rows: list[dict]) -> bool:
    """Add, re-note or remove services so the program offers exactly these; True if it wrote."""
    wanted = dict(zip(
        (service.pk for service in _by(Service, "slug", [row["service"] for row in rows])),
        ((row.get("note", ""), row.get("note_es", "")) for row in rows),
        strict=True,
    ))
    current = {row.service_id: row for row in program.program_services.all()}
    changed = False
    stale = [row.pk for service_id, row in current.items() if service_id not in wanted]
    if stale:
        ProgramService.objects.filter(pk__in=stale).delete()
        changed = True
    for service_id, (note, note_es) in wanted.items():
        row = current.get(service_id)
        if row is None:
            ProgramService.objects.create(program=program, service_id=service_id, note=note,
                                          note_es=note_es)
            changed = True
        elif (row.note_en, row.note_es or "") != (note, note_es):
            row.note_en, row.note_es = note, note_es
            row.save(update_fields=["note", "note_en", "note_es"])
            changed = True
    return changed


LOCATION_FIELDS = ("street", "city", "state", "postal_code", "latitude", "longitude", "note",
                   "note_es")


def _locations_sync(program: Program, rows: list[dict]) -> bool:
    def key(values: dict) -> tuple:
        return tuple(
            (values.get(field) or "") if field.startswith("note") else values.get(field, "")
            for field in LOCATION_FIELDS
        )

    current = sorted(key(row) for row in program.locations.values(*LOCATION_FIELDS))
    if current == sorted(key(location) for location in rows):
        return False
    program.locations.all().delete()
    Location.objects.bulk_create(Location(program=program, **location) for location in rows)
    return True


@transaction.atomic
def demo_programs_load() -> tuple[int, int, int]:
    """Create or update every demo program; one already as described is not touched at all
    (no write, no new audit history, its "updated" date kept). Returns (created, updated,
    unchanged)."""
    created = updated = unchanged = 0
    with search_index_batch():  # one rebuild per changed program, at the end
        for entry in demo_programs():
            fields = entry["fields"]
            values = _scalar_values(fields)
            slug = fields["slug"]
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
            for name, (model, key) in RELATED_FIELDS.items():
                changed |= _set_if_changed(
                    getattr(program, name), _by(model, key, fields.get(name, []))
                )
            changed |= _services_sync(program, entry.get("program_services", []))
            changed |= _locations_sync(program, entry.get("locations", []))
            if is_new:
                created += 1
            elif changed:
                updated += 1
            else:
                unchanged += 1
            if changed:  # bulk-created locations send no signal
                program_search_index_changed([program.pk])
    return created, updated, unchanged
