"""Which programs a screening result lists at all (DESIGN §6, issue 11): only those the person
can use — the age range takes them, a program for some populations only when they are one of
them, and with a ZIP code, in person within the radius or by video in their state — each card
saying why, each reason once, and how many are nearby."""

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iop.geo import haversine_miles, zip_lookup
from screening import engine
from screening.selectors import (
    DEFAULT_RADIUS_MILES,
    matching_answers,
    program_matches,
    recommendation_matches,
    result_matches,
)
from tests.factories import make_program
from tests.screening.helpers import V2, v2_answers

pytestmark = pytest.mark.django_db

FLAGS = V2.flags_by_key
NEW_YORK = zip_lookup("10001")
RADIUS_CHOICES = ("10", "25", "50", "100", "250")
#: Version 2 with the optional exact age and travel distance questions (issue 11).
QUESTIONNAIRE = dataclasses.replace(V2, extras=(
    *V2.extras,
    engine.Extra(key="radius", kind="radius", choices=tuple(
        engine.ExtraChoice(value=value, label=f"Up to {value} miles") for value in RADIUS_CHOICES
    )),
    engine.Extra(key="age", kind="age"),
))


def at_zip(zip_code, **fields):
    point = zip_lookup(zip_code)
    return make_program(
        name=fields.pop("name", f"IOP at {zip_code}"), city=point.city.title(),
        state=point.state, postal_code=zip_code, latitude=point.latitude,
        longitude=point.longitude, **fields,
    )


def names(matches) -> list[str]:
    return [match.program.name for match in matches]


def near_new_york(**options):
    return program_matches(level="iop", near=NEW_YORK.coordinates, state="NY", **options)


# --------------------------------------------------------------- a person in New York


def test_new_york_without_transport_sees_no_far_in_person_program_and_none_too_old_for_them():
    """The problem as a person met it: a 30-year-old in New York with no transport was shown
    in-person programs in Miami, Denver and Los Angeles, and a program for people 55 and over."""
    at_zip("11201", name="Brooklyn IOP")
    at_zip("10601", name="White Plains IOP")
    at_zip("33130", name="Miami IOP")
    at_zip("80202", name="Denver IOP")
    at_zip("90012", name="Los Angeles IOP")
    at_zip("90012", name="Los Angeles video IOP for New York", telehealth=True,
           telehealth_states="NY")
    at_zip("11201", name="Brooklyn IOP for 55 and over", age_min=55)
    at_zip("11201", name="Brooklyn teen IOP", age_min=13, age_max=17)
    answers = v2_answers(frequency="daily", control="many_times", transport="no")
    recommendation = engine.recommend(QUESTIONNAIRE, answers)
    assert recommendation.level == "iop"
    [group] = recommendation_matches(
        recommendation=recommendation, questionnaire=QUESTIONNAIRE, answers=answers,
        extras={"zip": "10001"},
    )
    assert set(names(group.matches)) == {
        "Brooklyn IOP", "White Plains IOP", "Los Angeles video IOP for New York",
    }
    for match in group.matches:
        distances = [haversine_miles(*NEW_YORK.coordinates, loc.latitude, loc.longitude)
                     for loc in match.program.locations.all()]
        assert min(distances) <= DEFAULT_RADIUS_MILES or match.telehealth_state == "NY"
        assert match.program.age_min <= 26
        assert match.program.age_max is None or match.program.age_max >= 64
    assert (group.radius_miles, group.nearby_count) == (50, 2)


def test_in_person_programs_only_within_the_radius_nearest_first_with_distance():
    at_zip("19103", name="AAA Philadelphia IOP")  # 83 miles
    at_zip("10601", name="BBB White Plains IOP")  # 23 miles
    at_zip("11201", name="CCC Brooklyn IOP")  # 3.8 miles
    at_zip("12207", name="DDD Albany IOP")  # 132 miles
    matches = near_new_york()
    assert names(matches) == ["CCC Brooklyn IOP", "BBB White Plains IOP"]
    assert matches[0].miles == pytest.approx(3.77, rel=0.01)
    assert "About 3.8 miles from your ZIP code (Brooklyn, NY)." in matches[0].why
    assert names(near_new_york(radius_miles=25)) == ["CCC Brooklyn IOP", "BBB White Plains IOP"]
    assert names(near_new_york(radius_miles=10)) == ["CCC Brooklyn IOP"]
    assert names(near_new_york(radius_miles=100)) == [
        "CCC Brooklyn IOP", "BBB White Plains IOP", "AAA Philadelphia IOP",
    ]
    assert names(program_matches(level="iop")) == [  # without a ZIP code: no distance rule
        "AAA Philadelphia IOP", "BBB White Plains IOP", "CCC Brooklyn IOP", "DDD Albany IOP",
    ]
    assert all(match.miles is None for match in program_matches(level="iop"))


def test_a_program_with_one_location_in_the_radius_is_listed_with_that_distance():
    program = at_zip("90012", name="Two cities IOP")
    point = zip_lookup("10601")
    program.locations.create(street="1 Main Street", city="White Plains", state="NY",
                             postal_code="10601", latitude=point.latitude,
                             longitude=point.longitude)
    [match] = near_new_york()
    assert match.miles == pytest.approx(23.08, rel=0.01)
    assert "About 23.1 miles from your ZIP code (White Plains, NY)." in match.why


# --------------------------------------------------------------- telehealth by state


def test_telehealth_programs_only_where_they_serve_the_persons_state():
    at_zip("90012", name="AAA serves NY by video", telehealth=True, telehealth_states="NJ,NY")
    at_zip("90012", name="BBB serves only CA by video", telehealth=True, telehealth_states="CA")
    at_zip("14202", name="CCC Buffalo, video for its own state", telehealth=True)
    at_zip("14202", name="DDD Buffalo, in person only")
    at_zip("90012", name="EEE lists NY but has no video", telehealth_states="NY")
    matches = near_new_york()
    assert names(matches) == ["AAA serves NY by video", "CCC Buffalo, video for its own state"]
    for match in matches:
        assert match.telehealth_state == "NY"
        assert match.miles is None
        assert "Offers video sessions for people in NY." in match.why
    # The same programs for a person in California: by video from LA, or in person there.
    los_angeles = zip_lookup("90012")
    in_california = program_matches(level="iop", near=los_angeles.coordinates, state="CA")
    assert names(in_california) == [
        "AAA serves NY by video", "BBB serves only CA by video", "EEE lists NY but has no video",
    ]
    assert [m.telehealth_state for m in in_california] == [None, "CA", None]


def test_a_nearby_program_with_video_for_another_state_is_listed_in_person_only():
    at_zip("07030", name="Hoboken, video for NJ only", telehealth=True, telehealth_states="NJ")
    [match] = near_new_york(hints=[FLAGS["flexible_schedule"]])
    assert match.miles == pytest.approx(1.91, rel=0.01)
    assert match.telehealth_state is None
    assert not any("video" in line for line in match.why)  # not video they can join


def test_a_nearby_program_with_video_for_the_state_says_both():
    at_zip("11201", name="Brooklyn with video", telehealth=True)
    [match] = near_new_york()
    assert match.miles is not None and match.telehealth_state == "NY"
    assert match.why[1:3] == [
        "About 3.8 miles from your ZIP code (Brooklyn, NY).",
        "Offers video sessions for people in NY.",
    ]


def test_each_reason_is_given_once_when_video_comes_from_the_state_and_a_flag():
    """Telehealth in the person's state and the schedule flag's telehealth hint say the same
    thing: one line."""
    at_zip("90012", name="Video for NY", telehealth=True, telehealth_states="NY",
           schedule_evening=True)
    [match] = near_new_york(hints=[FLAGS["flexible_schedule"]])
    assert match.why.count("Offers video sessions for people in NY.") == 1
    assert "Offers video sessions you can join from home." not in match.why
    assert "Has evening sessions." in match.why
    assert len(match.why) == len(set(match.why))
    # Without a ZIP code the flag's own line says it, once.
    [match] = program_matches(level="iop", hints=[FLAGS["flexible_schedule"]])
    assert match.why.count("Offers video sessions you can join from home.") == 1
    assert match.telehealth_state is None


# --------------------------------------------------------------- nobody nearby


def test_nobody_nearby_gives_nearby_count_zero_and_the_telehealth_programs():
    at_zip("90012", name="Video for NY", telehealth=True, telehealth_states="NY")
    at_zip("90012", name="Los Angeles in person")
    [group] = result_matches(level="iop", near=NEW_YORK.coordinates, state="NY")
    assert (group.radius_miles, group.nearby_count) == (DEFAULT_RADIUS_MILES, 0)
    assert names(group.matches) == ["Video for NY"]


def test_nearby_count_counts_every_nearby_program_not_only_those_listed():
    for name in ("A", "B", "C"):
        at_zip("11201", name=f"{name} Brooklyn")
    at_zip("90012", name="Video for NY", telehealth=True, telehealth_states="NY")
    [group] = result_matches(level="iop", near=NEW_YORK.coordinates, state="NY", limit=1,
                             radius_miles=25)
    assert names(group.matches) == ["A Brooklyn"]
    assert (group.radius_miles, group.nearby_count) == (25, 3)


def test_without_a_zip_code_no_radius_and_no_nearby_count():
    at_zip("11201")
    [group] = result_matches(level="iop")
    assert (group.radius_miles, group.nearby_count) == (None, 0)
    assert group.matches[0].telehealth_state is None


def test_the_next_step_group_has_its_own_nearby_count():
    at_zip("90012", name="Residential in LA", levels=("residential",))
    at_zip("11201", name="IOP in Brooklyn", levels=("iop",))
    first, after = result_matches(level="residential", next_step="iop",
                                  near=NEW_YORK.coordinates, state="NY")
    assert (first.matches, first.nearby_count, first.radius_miles) == ([], 0, 50)
    assert (names(after.matches), after.nearby_count, after.radius_miles) == (
        ["IOP in Brooklyn"], 1, 50)


# --------------------------------------------------------------- age


AGES = {
    "Teen 13-17": (13, 17),
    "Teen and up 13+": (13, None),
    "Young adult 18-25": (18, 25),
    "Adult 18+": (18, None),
    "Adult 21+": (21, None),
    "Adult 18-64": (18, 64),
    "Older adult 55+": (55, None),
}


@pytest.fixture
def by_age():
    for name, (low, high) in AGES.items():
        make_program(name=name, age_min=low, age_max=high)


@pytest.mark.parametrize(
    ("band", "expected"),
    [("under_18", {"Teen 13-17", "Teen and up 13+"}),
     ("18_25", {"Teen and up 13+", "Young adult 18-25", "Adult 18+", "Adult 18-64"}),
     ("26_64", {"Teen and up 13+", "Adult 18+", "Adult 21+", "Adult 18-64"}),
     ("65_plus", {"Teen and up 13+", "Adult 18+", "Adult 21+", "Older adult 55+"})],
)
def test_without_an_exact_age_the_whole_age_band_must_be_in_the_programs_range(
        by_age, band, expected):
    matching = matching_answers(QUESTIONNAIRE, {"age_group": band}, {})
    assert set(names(program_matches(level="iop", age_range=matching.age_range))) == expected


@pytest.mark.parametrize(
    ("age", "expected"),
    [("15", {"Teen 13-17", "Teen and up 13+"}),
     ("19", {"Teen and up 13+", "Young adult 18-25", "Adult 18+", "Adult 18-64"}),
     ("30", {"Teen and up 13+", "Adult 18+", "Adult 21+", "Adult 18-64"}),
     ("60", {"Teen and up 13+", "Adult 18+", "Adult 21+", "Adult 18-64", "Older adult 55+"}),
     ("70", {"Teen and up 13+", "Adult 18+", "Adult 21+", "Older adult 55+"})],
)
def test_an_exact_age_must_be_in_the_programs_range(by_age, age, expected):
    """An exact age shows every program that takes it, even one the band would leave out
    (60 in the 26_64 band: a 55-and-over program)."""
    matching = matching_answers(QUESTIONNAIRE, {"age_group": "26_64"}, {"age": age})
    assert matching.exact_age == int(age)
    found = program_matches(level="iop", age_range=matching.age_range,
                            exact_age=matching.exact_age)
    assert set(names(found)) == expected


def test_a_teen_is_told_a_program_is_made_for_young_people(by_age):
    [teen, *_others] = program_matches(level="iop", age_range=(None, 17))
    assert teen.program.name == "Teen 13-17"
    assert "Made for young people." in teen.why


@pytest.mark.parametrize(
    ("band", "age_range"),
    [("under_18", (None, 17)), ("18_25", (18, 25)), ("26_64", (26, 64)),
     ("65_plus", (65, None))],
)
def test_the_age_bands_at_the_ends_of_the_question_are_open(band, age_range):
    assert matching_answers(QUESTIONNAIRE, {"age_group": band}, {}).age_range == age_range


# --------------------------------------------------------------- the extras read


@pytest.mark.parametrize(
    ("value", "age"),
    [("0", 0), ("30", 30), ("120", 120), ("121", None), ("-3", None), ("thirty", None),
     ("3.5", None), ("", None), ("٣٠", None)],
)
def test_the_age_extra_is_a_whole_number_from_0_to_120(value, age):
    assert matching_answers(QUESTIONNAIRE, {}, {"age": value}).exact_age == age


@pytest.mark.parametrize(
    ("value", "miles"),
    [("10", 10), ("25", 25), ("100", 100), ("250", 250), ("7", 50), ("0", 50), ("far", 50),
     ("", 50), ("-25", 50)],
)
def test_the_radius_extra_is_one_of_its_choices_or_50(value, miles):
    assert matching_answers(QUESTIONNAIRE, {}, {"radius": value}).radius_miles == miles


def test_the_zip_extra_gives_the_point_and_its_state():
    matching = matching_answers(QUESTIONNAIRE, {}, {"zip": "90012", "radius": "100"})
    assert (matching.near, matching.state, matching.radius_miles) == (
        zip_lookup("90012").coordinates, "CA", 100)
    assert matching_answers(QUESTIONNAIRE, {}, {}).near is None


def test_the_radius_answer_widens_the_search_on_the_result():
    at_zip("19103", name="Philadelphia IOP")
    answers = v2_answers(frequency="daily", control="many_times")
    recommendation = engine.recommend(QUESTIONNAIRE, answers)

    def listed(extras):
        [group] = recommendation_matches(recommendation=recommendation,
                                         questionnaire=QUESTIONNAIRE, answers=answers,
                                         extras=extras)
        return names(group.matches), group.radius_miles, group.nearby_count

    assert listed({"zip": "10001"}) == ([], 50, 0)
    assert listed({"zip": "10001", "radius": "100"}) == (["Philadelphia IOP"], 100, 1)


# --------------------------------------------------------------- populations


def test_a_program_only_for_some_populations_is_listed_only_for_them():
    make_program(name="Pregnancy only", populations=("pregnant-postpartum",),
                 populations_only=True)
    make_program(name="Veterans only", populations=("veterans",), populations_only=True)
    make_program(name="Veterans welcome", populations=("veterans",))
    make_program(name="Everyone")
    assert names(program_matches(level="iop")) == ["Everyone", "Veterans welcome"]
    pregnant = program_matches(level="iop", hints=[FLAGS["pregnancy_moud"]])
    assert names(pregnant) == ["Pregnancy only", "Everyone", "Veterans welcome"]
    assert "Serves: Pregnant or postpartum people." in pregnant[0].why
    # A flag that ranks a population (data, not code) opens the programs only for it.
    veteran = engine.Flag(key="veteran", rank_populations=("veterans",))
    assert names(program_matches(level="iop", hints=[veteran])) == [
        "Veterans only", "Veterans welcome", "Everyone",
    ]


def test_a_program_only_for_teens_is_listed_for_a_teen_through_the_answers():
    make_program(name="Teens only", populations=("adolescents",), populations_only=True,
                 age_min=13, age_max=17)
    make_program(name="Teens and adults", age_min=13)
    for age_group, expected in (("under_18", ["Teens only", "Teens and adults"]),
                                ("18_25", ["Teens and adults"])):
        answers = v2_answers(age_group=age_group, frequency="daily", control="many_times")
        recommendation = engine.recommend(QUESTIONNAIRE, answers)
        [group] = recommendation_matches(recommendation=recommendation,
                                         questionnaire=QUESTIONNAIRE, answers=answers,
                                         extras={})
        assert names(group.matches) == expected, age_group


# --------------------------------------------------------------- queries


def test_query_count_stays_the_same_as_the_catalogue_grows():
    hints = [FLAGS["pregnancy_moud"], FLAGS["co_occurring"], FLAGS["flexible_schedule"]]
    options = {
        "level": "residential", "next_step": "iop", "exact_age": 30, "hints": hints,
        "needs": {"transport": {"telehealth", "transportation-assistance"}},
        "payment_slug": "medicaid", "language": "es", "near": NEW_YORK.coordinates,
        "state": "NY",
    }

    def catalogue(count):
        for n in range(count):
            zip_code = ("11201", "10601", "90012", "14202")[n % 4]
            at_zip(zip_code, levels=("residential", "iop") if n % 2 else ("iop",),
                   telehealth=n % 3 == 0, telehealth_states="NY" if n % 5 == 0 else "",
                   services=("telehealth",) if n % 4 == 0 else (),
                   populations=("pregnant-postpartum",) if n % 6 == 0 else (),
                   populations_only=n % 12 == 0, payments=("medicaid",), languages=("es",),
                   locations=1 + n % 2)

    catalogue(4)
    with CaptureQueriesContext(connection) as small:
        small_groups = result_matches(**options)
    catalogue(40)
    with CaptureQueriesContext(connection) as large:
        large_groups = result_matches(**options)
    assert sum(len(group.matches) for group in large_groups) > sum(
        len(group.matches) for group in small_groups)
    assert len(large) == len(small) <= 7
    for options_without_zip in ({**options, "near": None, "state": None},):
        with CaptureQueriesContext(connection) as without_zip:
            result_matches(**options_without_zip)
        # With a ZIP code, one more: the programs that may be near, read first.
        assert len(without_zip) == len(large) - 1


@pytest.mark.parametrize("radius", [10, 50, 1000])
def test_programs_near_are_the_same_read_as_ids_or_left_to_the_database(radius, monkeypatch):
    """Near a ZIP code, the ranking starts from the programs that may be near, read as ids;
    when there are too many for that, the database reads them itself: the same matches,
    in the same order, and the same counts within the radius."""
    for n in range(24):
        zip_code = ("10001", "11201", "10601", "14202", "90012", "19103")[n % 6]
        at_zip(zip_code, levels=("residential", "iop") if n % 2 else ("iop",),
               telehealth=n % 3 == 0, telehealth_states=("NY" if n % 4 == 0 else "CA,NY")
               if n % 9 == 0 else "", accepting=("yes", "waitlist", "no")[n % 3])
    options = {"level": "residential", "next_step": "iop", "near": NEW_YORK.coordinates,
               "state": "NY", "radius_miles": radius, "limit": 50}

    def listed():
        return [(group.level, group.nearby_count, [(m.program.pk, m.miles, m.telehealth_state)
                                                   for m in group.matches])
                for group in result_matches(**options)]

    as_ids = listed()
    monkeypatch.setattr("screening.selectors.MAX_NEARBY_IDS", 0)
    assert listed() == as_ids
    assert sum(len(matches) for _level, _count, matches in as_ids) > 0
