"""Synthetic programs for benchmarks and tests: realistic, spread over real US ZIP centroids,
and always marked `is_synthetic` (the site shows a "Synthetic test listing" badge)."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from iop.cache import catalogue_changed
from iop.geo import zip_points
from iop.models import (
    US_STATES,
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

SLUG_PREFIX = "synthetic-"
BATCH = 1000

NAME_FIRST = [
    "Harbor", "Riverside", "New Dawn", "Cedar", "Summit", "Lakeside", "Bridgeway", "Pathways",
    "Beacon", "Clear Sky", "Northstar", "Willow", "Evergreen", "Open Door", "Crossroads",
    "Hillcrest", "Meadow", "Lighthouse", "Compass", "Horizon", "Stillwater", "Juniper",
]
NAME_SECOND = [
    "Recovery Center", "Behavioral Health", "Counseling Services", "Wellness Clinic",
    "Recovery Partners", "Treatment Center", "Health Services", "Outpatient Clinic",
    "Family Services", "Recovery Collective",
]
LEVEL_SETS = [("iop",), ("iop",), ("outpatient", "iop"), ("iop", "php"),
              ("outpatient", "iop", "php"), ("outpatient",), ("php",)]
SUMMARIES = [
    "Evening and daytime groups for adults who want to keep working while they recover.",
    "Intensive outpatient care for substance use and mental health, close to home.",
    "Small groups, individual counseling and medication support three to five days a week.",
    "A step down after detox or residential care, with family sessions and peer support.",
    "Care that fits around work and school, in person or by video.",
]
DESCRIPTION = (
    "Synthetic listing generated for benchmarks and tests. It is not a real program.\n\n"
    "Sessions run about three hours a day, three to five days a week. People live at home "
    "and keep their daily routines. Care includes {services}."
)


def _sample(rng, items, low, high):
    return rng.sample(items, k=min(len(items), rng.randint(low, high)))


@transaction.atomic
def programs_generate(*, count: int, seed: int | None = None) -> list[int]:
    """Create `count` published synthetic programs with 1–3 locations each, in bulk.
    Returns their ids. The search index (PostgreSQL) is brought up to date too."""
    rng = random.Random(seed)  # noqa: S311 - made-up data, not security

    def jitter(index):  # a second site of the same program lies a little apart
        return rng.uniform(-0.02, 0.02) if index else 0.0

    states = {code for code, _name in US_STATES}
    zips = [point for point in zip_points() if point.state in states]
    levels = {level.code: level.pk for level in LevelOfCare.objects.all()}
    services = list(Service.objects.values_list("pk", "name"))
    populations = list(Population.objects.values_list("pk", flat=True))
    payments = list(PaymentOption.objects.values_list("pk", flat=True))
    languages = dict(Language.objects.values_list("code", "pk"))
    other_languages = [pk for code, pk in languages.items() if code != "en"]
    start = Program.objects.filter(slug__startswith=SLUG_PREFIX).count()
    today = timezone.localdate()

    ids: list[int] = []
    for batch_start in range(0, count, BATCH):
        size = min(BATCH, count - batch_start)
        programs, picks = [], []
        for i in range(size):
            n = start + batch_start + i + 1
            home = rng.choice(zips)
            chosen_services = _sample(rng, services, 4, 10)
            evening = rng.random() < 0.6
            programs.append(Program(
                name=f"{rng.choice(NAME_FIRST)} {rng.choice(NAME_SECOND)} – {home.city}",
                slug=f"{SLUG_PREFIX}{n}",
                organisation=f"{rng.choice(NAME_FIRST)} Health Network",
                summary=rng.choice(SUMMARIES),
                description=DESCRIPTION.format(
                    services=", ".join(name.lower() for _pk, name in chosen_services)
                ),
                age_min=rng.choice([18, 18, 18, 18, 21]),
                hours_min=9, hours_max=rng.choice([12, 15, 19]),
                sessions_per_week=rng.choice([3, 4, 5]),
                length_weeks=rng.choice([8, 10, 12, 16]),
                schedule_day=not evening or rng.random() < 0.5,
                schedule_evening=evening,
                schedule_weekend=rng.random() < 0.2,
                telehealth=rng.random() < 0.35,
                phone=f"555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                accepting=rng.choices(["yes", "waitlist", "no"], weights=[7, 2, 1])[0],
                last_verified=today - timedelta(days=rng.randint(0, 365)),
                state_licensed=True,
                licensed_clinicians=True,
                offers_buprenorphine=rng.random() < 0.4,
                offers_naltrexone=rng.random() < 0.3,
                aftercare=rng.random() < 0.7,
                is_published=True,
                is_synthetic=True,
            ))
            picks.append((home, chosen_services))
        created = Program.objects.bulk_create(programs, batch_size=BATCH)

        level_rows, service_rows, population_rows, payment_rows, language_rows = [], [], [], [], []
        location_rows = []
        for program, (home, chosen_services) in zip(created, picks, strict=True):
            for code in rng.choice(LEVEL_SETS):
                level_rows.append(Program.levels.through(
                    program_id=program.pk, levelofcare_id=levels[code]
                ))
            for service_pk, _name in chosen_services:
                service_rows.append(ProgramService(program_id=program.pk, service_id=service_pk))
            for pk in _sample(rng, populations, 0, 2):
                population_rows.append(Program.populations.through(
                    program_id=program.pk, population_id=pk
                ))
            for pk in _sample(rng, payments, 1, 5):
                payment_rows.append(Program.payment_options.through(
                    program_id=program.pk, paymentoption_id=pk
                ))
            for pk in [languages["en"], *_sample(rng, other_languages, 0, 2)]:
                language_rows.append(Program.languages.through(
                    program_id=program.pk, language_id=pk
                ))
            places = [home] + [rng.choice(zips) if rng.random() < 0.2 else home
                               for _ in range(rng.choice([0, 0, 0, 1, 2]))]
            for index, place in enumerate(places):
                location_rows.append(Location(
                    program_id=program.pk,
                    street=f"{rng.randint(1, 9999)} {rng.choice(['Main', 'Oak', 'Elm', 'Park', 'Lake', 'Hill'])} {rng.choice(['Street', 'Avenue', 'Road'])}",  # noqa: E501
                    city=place.city.title(), state=place.state,
                    postal_code=place.zip_code,
                    latitude=round(place.latitude + jitter(index), 5),
                    longitude=round(place.longitude + jitter(index), 5),
                ))
        Program.levels.through.objects.bulk_create(level_rows, batch_size=BATCH)
        ProgramService.objects.bulk_create(service_rows, batch_size=BATCH)
        Program.populations.through.objects.bulk_create(population_rows, batch_size=BATCH)
        Program.payment_options.through.objects.bulk_create(payment_rows, batch_size=BATCH)
        Program.languages.through.objects.bulk_create(language_rows, batch_size=BATCH)
        Location.objects.bulk_create(location_rows, batch_size=BATCH)
        ids.extend(program.pk for program in created)
    program_search_index_update(ids)
    catalogue_changed()  # bulk writes send no signals (and SQLite rebuilds no search index)
    return ids


@transaction.atomic
def programs_synthetic_delete() -> int:
    return Program.objects.filter(is_synthetic=True).delete()[1].get("iop.Program", 0)
