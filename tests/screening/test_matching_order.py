"""program_matches ranks like result_matches's docstring says, whatever the limit: by how many
of the flags' matching hints a program meets (each flag's services, populations or features),
then how many unmet requirements it helps with, then openings (accepting, waitlist, not
accepting), then distance (nearest first, none last), then language, payment, remedy
services offered, name. Checked against the same rule, and the same eligibility (radius,
telehealth in the person's state), written out in Python."""

import itertools

import pytest

from iop.geo import haversine_miles, zip_lookup
from iop.models import Program, Service
from screening.selectors import DEFAULT_RADIUS_MILES, FEATURE_FIELDS, program_matches
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
TELEHEALTH_STATES = ["", "", "NY", "CA,PA"]
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
            telehealth_states=TELEHEALTH_STATES[n % 8 // 2],
            offers_buprenorphine=n % 6 == 0,
            city=point.city.title(), state=point.state, postal_code=zip_code,
            latitude=point.latitude, longitude=point.longitude,
        ))
    make_program(name="Program PHP only", levels=("php",))
    make_program(name="Program unpublished", is_published=False)
    return programs


def telehealth_in(program, state) -> bool:
    states = (program.telehealth_states.split(",") if program.telehealth_states
              else [location.state for location in program.locations.all()])
    return program.telehealth and state in states


def hint_met(program, flag, state) -> bool:
    services = set(program.services.values_list("slug", flat=True))
    populations = set(program.populations.values_list("slug", flat=True))

    def has(feature):
        if FEATURE_FIELDS[feature] == "telehealth" and state:
            return telehealth_in(program, state)
        return getattr(program, FEATURE_FIELDS[feature])

    return bool(
        services & set(flag.rank_services) or populations & set(flag.rank_populations)
        or any(has(feature) for feature in flag.rank_features)
    )


def expected_order(*, payment_slug=None, language=None, hints=(), near=None, state=None):
    def miles(program):
        distances = [haversine_miles(*near, loc.latitude, loc.longitude)
                     for loc in program.locations.all()]
        return min(distances) if min(distances) <= DEFAULT_RADIUS_MILES else None

    def key(program):
        services = set(program.services.values_list("slug", flat=True))
        payments = set(program.payment_options.values_list("slug", flat=True))
        languages = set(program.languages.values_list("code", flat=True))
        distance = miles(program) if near else None
        needs_met = sum(1 for slugs in NEEDS.values() if services & slugs)
        hints_met = sum(1 for flag in hints if hint_met(program, flag, state))
        return (
            -hints_met, -needs_met, {"yes": 0, "waitlist": 1}.get(program.accepting, 2),
            distance is None, distance or 0,
            -(language in languages), -(payment_slug in payments), -len(services & REMEDIES),
            program.name, program.pk,
        )

    candidates = [
        program for program in Program.objects.published().filter(levels__code="iop")
        if not near or miles(program) is not None or telehealth_in(program, state)
    ]
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
    point = zip_lookup(zip_code) if zip_code else None
    near, state = (point.coordinates, point.state) if point else (None, None)
    matches = program_matches(level="iop", needs=NEEDS, near=near, state=state, limit=limit,
                              **answers)
    assert [m.program.name for m in matches] == expected_order(
        near=near, state=state, **answers)[:limit]
    assert matches  # the rule is checked on something
    for match in matches:
        if match.miles is not None:
            assert match.miles <= DEFAULT_RADIUS_MILES
        assert match.telehealth_state in (None, state)


def test_a_pregnant_person_sees_the_pregnancy_program_first():
    """Even when it is farther, on a waitlist and last by name."""
    at = {"city": "White Plains", "postal_code": "10601", "latitude": 41.033,
          "longitude": -73.7652}
    make_program(name="AAA Nearby IOP")
    make_program(name="BBB Nearby IOP with Medicaid", payments=("medicaid",))
    make_program(name="ZZZ Pregnancy IOP", populations=("pregnant-postpartum",),
                 accepting="waitlist", **at)
    point = zip_lookup("10001")
    matches = program_matches(level="iop", hints=hints("pregnancy_moud"), near=point.coordinates,
                              state="NY", payment_slug="medicaid")
    assert [m.program.name for m in matches] == [
        "ZZZ Pregnancy IOP", "BBB Nearby IOP with Medicaid", "AAA Nearby IOP",
    ]
    assert "Serves: Pregnant or postpartum people." in matches[0].why


def test_accepting_new_patients_before_waitlist_before_not_accepting_before_distance():
    make_program(name="AAA Not accepting", accepting="no")
    make_program(name="BBB Waitlist", accepting="waitlist")
    make_program(name="CCC Accepting, farther", accepting="yes", city="White Plains",
                 postal_code="10601", latitude=41.033, longitude=-73.7652)
    make_program(name="DDD Accepting", accepting="yes")
    point = zip_lookup("10001")
    matches = program_matches(level="iop", near=point.coordinates, state="NY")
    assert [m.program.name for m in matches] == [
        "DDD Accepting", "CCC Accepting, farther", "BBB Waitlist", "AAA Not accepting",
    ]
    assert [m.program.name for m in program_matches(level="iop")] == [
        "CCC Accepting, farther", "DDD Accepting", "BBB Waitlist", "AAA Not accepting",
    ]


def test_distance_nearest_first_then_telehealth_without_a_distance():
    make_program(name="AAA Video for NY from LA", telehealth=True, telehealth_states="NY",
                 city="Los Angeles", state="CA", postal_code="90012", latitude=34.0614,
                 longitude=-118.2385)
    make_program(name="BBB White Plains", city="White Plains", postal_code="10601",
                 latitude=41.033, longitude=-73.7652)
    make_program(name="CCC Brooklyn", city="Brooklyn", postal_code="11201", latitude=40.694,
                 longitude=-73.9903)
    point = zip_lookup("10001")
    matches = program_matches(level="iop", near=point.coordinates, state="NY")
    assert [m.program.name for m in matches] == [
        "CCC Brooklyn", "BBB White Plains", "AAA Video for NY from LA",
    ]
    assert [m.miles is None for m in matches] == [False, False, True]


def test_removing_a_barrier_ranks_before_distance():
    make_program(name="AAA Near")
    make_program(name="ZZZ Farther, with rides", services=("transportation-assistance",),
                 city="White Plains", postal_code="10601", latitude=41.033,
                 longitude=-73.7652)
    point = zip_lookup("10001")
    matches = program_matches(level="iop", near=point.coordinates, state="NY", needs=NEEDS)
    assert [m.program.name for m in matches] == ["ZZZ Farther, with rides", "AAA Near"]


def test_a_flag_hint_met_ranks_before_a_barrier_removed():
    make_program(name="AAA Rides", services=("transportation-assistance",))
    make_program(name="ZZZ Pregnant people", populations=("pregnant-postpartum",))
    matches = program_matches(level="iop", needs=NEEDS, hints=hints("pregnancy_moud"))
    assert [m.program.name for m in matches] == ["ZZZ Pregnant people", "AAA Rides"]


def test_language_then_payment_then_remedy_services_break_ties():
    make_program(name="AAA Plain")
    make_program(name="BBB Medicaid", payments=("medicaid",))
    make_program(name="CCC Spanish", languages=("es",))
    make_program(name="DDD Both", payments=("medicaid",), languages=("es",))
    matches = program_matches(level="iop", payment_slug="medicaid", language="es")
    assert [m.program.name for m in matches] == [
        "DDD Both", "CCC Spanish", "BBB Medicaid", "AAA Plain",
    ]


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
