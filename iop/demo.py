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
from iop.services import program_search_index_update

DEMO_MARK = "(Demo)"

SCALAR_FIELDS = {
    "organisation": "organisation", "summary": "summary", "description": "description",
    "age_min": "age_min", "age_max": "age_max", "hours_min": "hours_min",
    "hours_max": "hours_max", "sessions_per_week": "sessions_per_week",
    "length_weeks": "length_weeks", "schedule_day": "schedule_day",
    "schedule_evening": "schedule_evening", "schedule_weekend": "schedule_weekend",
    "telehealth": "telehealth", "phone": "phone", "email": "email", "website": "website",
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


@transaction.atomic
def demo_programs_load() -> tuple[int, int]:
    """Create or update every demo program. Returns (created, updated)."""
    created_count = updated_count = 0
    for data in DEMO_PROGRAMS:
        defaults = {field: data[key] for key, field in SCALAR_FIELDS.items() if key in data}
        defaults.update(
            name=f"{data['name']} {DEMO_MARK}", is_demo=True, is_published=True,
        )
        program, created = Program.objects.update_or_create(
            slug=data.get("slug") or slugify(data["name"]), defaults=defaults
        )
        created_count += created
        updated_count += not created
        program.levels.set(_by(LevelOfCare, "code", data["levels"]))
        program.populations.set(_by(Population, "slug", data.get("populations", [])))
        program.languages.set(_by(Language, "code", data.get("languages", [])))
        program.payment_options.set(_by(PaymentOption, "slug", data.get("payments", [])))
        program.accreditations.set(_by(Accreditation, "slug", data.get("accreditations", [])))
        program.program_services.all().delete()
        services = _by(Service, "slug", [slug for slug, _note in data["services"]])
        ProgramService.objects.bulk_create(
            ProgramService(program=program, service=service, note=note)
            for service, (_slug, note) in zip(services, data["services"], strict=True)
        )
        program.locations.all().delete()
        Location.objects.bulk_create(
            Location(program=program, **location) for location in data["locations"]
        )
    program_search_index_update(Program.objects.filter(is_demo=True).values_list("pk", flat=True))
    return created_count, updated_count
