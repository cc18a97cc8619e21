"""program_matches ranks like its docstring says, whatever the limit: nearby programs first
(nearest first), then by how many unmet requirements the program helps with, then by remedy
services offered, payment, language, how many of the flags' matching hints it meets (each
flag's services, populations or features), openings, name. Checked against the same rule
written out in Python."""

import itertools

import pytest

from iop.geo import haversine_miles, zip_lookup
from iop.models import Program, Service
from screening.selectors import FEATURE_FIELDS, NEAR_MILES, program_matches
from tests.factories import make_program
from tests.screening.helpers import V2

pytestmark = pytest.mark.django_db

# Unmet requirement → its remedy services (DESIGN §6).
NEEDS = {
    "sober_housing": frozenset({"sober-living-referral"}),
    "transport": frozenset({"telehealth", "transportation-assistance"}),
    "support_network": frozenset({"peer-support-groups", "family-therapy", "case-management"}),
}
REMEDIES = frozenset().union(*NEEDS.values())
ZIPS = ["10001", "11201", "10601", "19103", "90012", "60601"]  # NYC area, Philadelphia, far away
SERVICE_SETS = [(), ("telehealth",), ("transportation-assistance",),
                ("telehealth", "transportation-assistance"), ("mental-health-care",),
                ("sober-living-referral", "transportation-assistance"),
                ("peer-support-groups", "family-therapy", "case-management")]
POPULATION_SETS = [(), ("co-occurring",), ("pregnant-postpartum",), ()]
FLAGS = V2.flags_by_key


def hints(*keys):
    return [FLAGS[key] for key in keys]


@pytest.fixture
def catalogue():
    programs = []
    for n, (zip_code, services, accepting) in enumerate(
        itertools.product(ZIPS, SERVICE_SETS, ["yes", "waitlist", "no"])
    ):
        if n % 2:  # keep it small, but varied
            continue
        point = zip_lookup(zip_code)
        programs.append(make_program(
            name=f"Program {n % 7} {n:03d}", services=services, accepting=accepting,
            payments=("medicaid",) if n % 3 else (), languages=("es",) if n % 5 == 0 else (),
            populations=POPULATION_SETS[n % 4],
            schedule_evening=n % 4 == 0, telehealth="telehealth" in services,
            offers_buprenorphine=n % 6 == 0,
            city=point.city.title(), state=point.state, postal_code=zip_code,
            latitude=point.latitude, longitude=point.longitude,
        ))
    make_program(name="Program PHP only", levels=("php",))
    make_program(name="Program unpublished", is_published=False)
    return programs


def hint_met(program, flag) -> bool:
    services = set(program.services.values_list("slug", flat=True))
    populations = set(program.populations.values_list("slug", flat=True))
    return bool(
        services & set(flag.rank_services) or populations & set(flag.rank_populations)
        or any(getattr(program, FEATURE_FIELDS[feature]) for feature in flag.rank_features)
    )


def expected_order(*, payment_slug=None, language=None, hints=(), near=None):
    def key(program):
        services = set(program.services.values_list("slug", flat=True))
        payments = set(program.payment_options.values_list("slug", flat=True))
        languages = set(program.languages.values_list("code", flat=True))
        miles = None
        if near:
            # Nearby: a location in the box around the point (box corners may be a little
            # beyond NEAR_MILES); the test data has none in a corner.
            distances = [haversine_miles(*near, loc.latitude, loc.longitude)
                         for loc in program.locations.all()]
            miles = min(distances) if min(distances) <= NEAR_MILES else None
        needs_met = sum(1 for slugs in NEEDS.values() if services & slugs)
        hints_met = sum(1 for flag in hints if hint_met(program, flag))
        return (
            miles is None, miles or 0,
            -needs_met, -len(services & REMEDIES), -(payment_slug in payments),
            -(language in languages), -hints_met,
            {"yes": 0, "waitlist": 1}.get(program.accepting, 2), program.name, program.pk,
        )

    candidates = Program.objects.published().filter(levels__code="iop")
    return [program.name for program in sorted(candidates, key=key)]


@pytest.mark.parametrize("limit", [1, 4, 10, 25, 100])
@pytest.mark.parametrize("zip_code", [None, "10001", "90012"])
@pytest.mark.parametrize(
    "answers",
    [{}, {"payment_slug": "medicaid"}, {"language": "es", "hints": hints("co_occurring")},
     {"payment_slug": "medicaid", "hints": hints("flexible_schedule")},
     {"hints": hints("pregnancy_moud", "co_occurring", "flexible_schedule", "emergency")}],
    ids=["nothing", "payment", "language-co-occurring", "payment-flexible", "three-hints"],
)
def test_program_matches_order_matches_the_rule(catalogue, limit, zip_code, answers):
    near = zip_lookup(zip_code).coordinates if zip_code else None
    matches = program_matches(level="iop", needs=NEEDS, near=near, limit=limit, **answers)
    assert [m.program.name for m in matches] == expected_order(near=near, **answers)[:limit]
    for match in matches:
        if match.miles is not None:
            assert match.miles <= NEAR_MILES


def test_program_helping_with_more_unmet_requirements_ranks_before_more_services():
    """Sober housing + transport (two needs met) beats three services for one need."""
    make_program(name="AAA Support network x3",
                 services=("peer-support-groups", "family-therapy", "case-management"))
    make_program(name="ZZZ Housing and rides",
                 services=("sober-living-referral", "transportation-assistance"))
    make_program(name="MMM Nothing extra")
    matches = program_matches(level="iop", needs=NEEDS)
    assert [m.program.name for m in matches] == [
        "ZZZ Housing and rides", "AAA Support network x3", "MMM Nothing extra",
    ]
    assert "Offers: Help finding sober living." in matches[0].why


def test_a_program_meeting_more_hints_ranks_first_and_says_why():
    """Each flag counts once, whichever of its services, populations or features a program
    has; a flag that ranks nothing (emergency) changes nothing."""
    make_program(name="AAA Nothing extra")
    make_program(name="MMM Pregnant people", populations=("pregnant-postpartum",))
    make_program(name="ZZZ Pregnant people, buprenorphine and methadone",
                 populations=("pregnant-postpartum",), offers_buprenorphine=True,
                 offers_methadone=True)
    make_program(name="NNN Both", populations=("pregnant-postpartum",),
                 services=("mental-health-care",))
    matches = program_matches(level="iop", hints=hints("pregnancy_moud", "co_occurring"))
    assert [m.program.name for m in matches] == [
        "NNN Both", "MMM Pregnant people", "ZZZ Pregnant people, buprenorphine and methadone",
        "AAA Nothing extra",
    ]
    assert "Serves: Pregnant or postpartum people." in matches[0].why
    assert f"Offers: {Service.objects.get(slug='mental-health-care').name}." in matches[0].why
    assert "Offers buprenorphine." in matches[2].why
    assert [m.program.name for m in program_matches(level="iop", hints=hints("emergency"))] == [
        "AAA Nothing extra", "MMM Pregnant people", "NNN Both",
        "ZZZ Pregnant people, buprenorphine and methadone",
    ]
