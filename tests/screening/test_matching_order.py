"""program_matches ranks like its docstring says, whatever the limit: nearby programs first
(nearest first), then by how many unmet requirements the program helps with, then by remedy
services offered, payment, language, flexible schedule, mental health care, openings, name.
Checked against the same rule written out in Python."""

import itertools

import pytest

from iop.geo import haversine_miles, zip_lookup
from iop.models import Program
from screening.selectors import NEAR_MILES, PAYMENT_SLUGS, program_matches
from tests.factories import make_program

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
            schedule_evening=n % 4 == 0, telehealth="telehealth" in services,
            city=point.city.title(), state=point.state, postal_code=zip_code,
            latitude=point.latitude, longitude=point.longitude,
        ))
    make_program(name="Program PHP only", levels=("php",))
    make_program(name="Program unpublished", is_published=False)
    return programs


def expected_order(*, payment=None, language=None, flags=frozenset(), near=None):
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
        flexible = "flexible_schedule" in flags and (
            program.schedule_evening or program.schedule_weekend or program.telehealth)
        mental = "co_occurring" in flags and "mental-health-care" in services
        needs_met = sum(1 for slugs in NEEDS.values() if services & slugs)
        return (
            miles is None, miles or 0,
            -needs_met, -len(services & REMEDIES), -(PAYMENT_SLUGS.get(payment or "") in payments),
            -(language in languages), -flexible, -mental,
            {"yes": 0, "waitlist": 1}.get(program.accepting, 2), program.name, program.pk,
        )

    candidates = Program.objects.published().filter(levels__code="iop")
    return [program.name for program in sorted(candidates, key=key)]


@pytest.mark.parametrize("limit", [1, 4, 10, 25, 100])
@pytest.mark.parametrize("zip_code", [None, "10001", "90012"])
@pytest.mark.parametrize(
    "answers",
    [{}, {"payment": "medicaid"}, {"language": "es", "flags": frozenset({"co_occurring"})},
     {"payment": "medicaid", "flags": frozenset({"flexible_schedule"})}],
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
