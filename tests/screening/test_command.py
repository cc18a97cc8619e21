"""`manage.py screen`: answers in as JSON, results with programs out as JSON."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from iop.demo import demo_programs_load
from screening.models import ScreeningOutcome
from tests.factories import make_program
from tests.screening.helpers import V1, V2, v1_answers, v2_answers

pytestmark = pytest.mark.django_db

RESULT_KEYS = {
    "level", "crisis", "emergency", "points", "flags", "unmet_requirements", "reasons",
    "next_step", "programs", "next_step_programs", "questionnaire_version", "scores", "notes",
    "rules",
}
BASE = v2_answers()
IOP = v2_answers(frequency="daily", control="many_times")  # 6 points: IOP
DANGER = v2_answers(danger_now="yes")
PROGRAM_KEYS = {
    "slug", "name", "why", "distance_miles", "telehealth", "accepting", "phone", "age_min",
    "age_max",
}


def screen(data, *, raw: str | None = None, **options):
    """Run the command on stdin; return the parsed stdout."""
    stdout = io.StringIO()
    text = raw if raw is not None else json.dumps(data)
    call_command("screen", "-", stdin=io.StringIO(text), stdout=stdout, **options)
    return json.loads(stdout.getvalue())


def screen_error(data=None, *, raw: str | None = None, **options) -> tuple[CommandError, str]:
    stdout = io.StringIO()
    text = raw if raw is not None else json.dumps(data)
    with pytest.raises(CommandError) as caught:
        call_command("screen", "-", stdin=io.StringIO(text), stdout=stdout, **options)
    return caught.value, stdout.getvalue()


def test_screen_single_object_gives_object_with_exact_keys():
    result = screen(BASE)
    assert isinstance(result, dict)
    assert set(result) == RESULT_KEYS
    assert result["level"] == "self_help"
    assert result["questionnaire_version"] == 2
    assert result["crisis"] is False
    assert result["scores"] == {"audit_c": 0, "phq_2": 0}
    assert result["notes"] == []


def test_screen_scores_notes_and_reason_codes_with_text():
    result = screen(v2_answers(
        alcohol_frequency="4_plus_a_week", alcohol_quantity="3_4", alcohol_binge="monthly",
        phq_interest="more_than_half", phq_mood="several_days", withdrawal="mild",
        substances=["alcohol", "opioids"],
    ))
    assert result["scores"] == {"audit_c": 7, "phq_2": 3}
    assert {"alcohol_withdrawal_risk", "naloxone", "mental_health_followup"} <= set(
        result["notes"])
    for reason in result["reasons"]:
        assert isinstance(reason["code"], str) and reason["text"]
    codes = {reason["code"] for reason in result["reasons"]}
    assert {"score", "rule"} <= codes


def test_screen_questionnaire_version_1_gives_v1_results():
    result = screen(v1_answers(6, housing="no"), questionnaire_version=1)
    assert result["questionnaire_version"] == 1
    assert (result["level"], result["next_step"]) == ("residential", "iop")
    assert result["scores"] == {} and result["rules"] == []
    cases = list(V1.test_cases)
    results = screen([dict(case.answers) for case in cases], questionnaire_version=1)
    assert [(r["level"], r["crisis"]) for r in results] == [
        (case.expected_level, case.expected_crisis) for case in cases]


def test_screen_unpublished_version_exit_2():
    error, stdout = screen_error(BASE, questionnaire_version=7)
    assert error.returncode == 2
    assert "Version 7" in str(error)
    assert stdout == ""


def test_screen_v1_answers_do_not_fit_v2_and_say_so():
    error, _stdout = screen_error(v1_answers())
    assert error.returncode == 2
    assert "'safety'" in str(error)


def test_screen_list_gives_list_in_order():
    danger = DANGER
    result = screen([BASE, danger])
    assert isinstance(result, list)
    assert [item["crisis"] for item in result] == [False, True]
    assert result[1]["emergency"] is True
    assert all(set(item) == RESULT_KEYS for item in result)


def test_screen_empty_list_gives_empty_list():
    assert screen([]) == []


def test_screen_every_shipped_test_case_gives_expected_result():
    results = screen([dict(case.answers) for case in V2.test_cases])
    got = [(r["level"], r["crisis"]) for r in results]
    expected = [(case.expected_level, case.expected_crisis) for case in V2.test_cases]
    assert got == expected
    for case, result in zip(V2.test_cases, results, strict=True):
        assert case.expected_flags <= set(result["flags"]), case.name
        if case.expected_emergency is not None:
            assert result["emergency"] is case.expected_emergency, case.name


def test_screen_unmet_requirement_lists_remedy_slugs():
    result = screen({**BASE, "transport": "no"})
    assert result["unmet_requirements"] == [
        {"key": "transport", "status": "addressable",
         "remedies": ["telehealth", "transportation-assistance"]},
    ]


def test_screen_reads_a_file(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(IOP), encoding="utf-8")
    stdout = io.StringIO()
    call_command("screen", str(path), stdout=stdout)
    assert json.loads(stdout.getvalue())["level"] == "iop"


def test_screen_stores_no_outcome():
    screen([BASE, DANGER])
    assert ScreeningOutcome.objects.count() == 0


def test_screen_extras_are_accepted():
    result = screen({**BASE, "zip": "10001", "payment": "medicaid", "language": "es"})
    assert result["level"] == "self_help"


@pytest.mark.parametrize(
    ("answers", "named"),
    [
        ({**BASE, "mood": "low"}, "'mood'"),
        ({**BASE, "frequency": "hourly"}, "'hourly'"),
        ({k: v for k, v in BASE.items() if k != "housing"}, "'housing'"),
        ({**BASE, "payment": "bitcoin"}, "'payment'"),
        ({**BASE, "suicide_thoughts": ["no", "thoughts"]}, "'suicide_thoughts'"),
        ({**BASE, "substances": ["none", "alcohol"]}, "'none'"),
    ],
    ids=["unknown-key", "unknown-value", "missing-required", "unknown-payment", "not-multiple",
         "exclusive"],
)
def test_screen_bad_answers_exit_2_naming_the_problem(answers, named):
    error, stdout = screen_error(answers)
    assert error.returncode == 2
    assert named in str(error)
    assert stdout == ""


def test_screen_bad_list_item_named_and_nothing_printed():
    items = [BASE, BASE, {**BASE, "frequency": "hourly"}]
    error, stdout = screen_error(items)
    assert error.returncode == 2
    assert str(error).startswith("item 3: ")
    assert "'hourly'" in str(error)
    assert stdout == ""


def test_screen_list_item_not_an_object_exit_2():
    error, stdout = screen_error([BASE, "safety"])
    assert error.returncode == 2
    assert "item 2" in str(error)
    assert stdout == ""


@pytest.mark.parametrize("raw", ['{"safety": "no",', "", "not json"])
def test_screen_invalid_json_exit_2(raw):
    error, stdout = screen_error(raw=raw)
    assert error.returncode == 2
    assert "not valid JSON" in str(error)
    assert stdout == ""


@pytest.mark.parametrize("raw", ['"safety"', "42", "null"])
def test_screen_json_not_object_or_list_exit_2(raw):
    error, stdout = screen_error(raw=raw)
    assert error.returncode == 2
    assert "JSON object" in str(error)
    assert stdout == ""


def test_screen_missing_file_exit_2(tmp_path):
    stdout = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("screen", str(tmp_path / "nope.json"), stdout=stdout)
    assert caught.value.returncode == 2
    assert "nope.json" in str(caught.value)
    assert stdout.getvalue() == ""


def test_screen_programs_at_most_ten_each_with_why():
    demo_programs_load()
    result = screen(IOP)
    assert result["level"] == "iop"
    assert 1 <= len(result["programs"]) == 10
    for program in result["programs"]:
        assert set(program) == PROGRAM_KEYS
        assert program["why"]
        assert program["distance_miles"] is None  # no ZIP code
        assert program["accepting"] in {"yes", "waitlist", "no"}
        assert isinstance(program["telehealth"], bool) and program["phone"]


def test_screen_programs_offer_the_level():
    iop = make_program(name="Home IOP", levels=("iop",))
    make_program(name="Day PHP", levels=("php",))
    result = screen(IOP)
    assert [p["slug"] for p in result["programs"]] == [iop.slug]


def test_screen_programs_for_residential_offer_it_then_the_next_step_for_afterwards():
    iop = make_program(name="Step-down IOP", levels=("iop",))
    residential = make_program(name="Residential only", levels=("residential",))
    both = make_program(name="Residential and IOP", levels=("residential", "iop"))
    answers = {**IOP, "housing": "no"}
    result = screen(answers)
    assert (result["level"], result["next_step"]) == ("residential", "iop")
    assert [p["slug"] for p in result["programs"]] == [both.slug, residential.slug]
    assert result["programs"][1]["why"][0] == "Offers Residential treatment."
    assert result["programs"][0]["why"][1].startswith("Also offers Intensive outpatient (IOP)")
    assert [p["slug"] for p in result["next_step_programs"]] == [iop.slug]
    assert result["next_step_programs"][0]["why"][0] == (
        "Offers Intensive outpatient (IOP), the usual next step after Residential treatment."
    )


def test_screen_programs_without_a_next_step_have_no_afterwards_list():
    iop = make_program(name="Home IOP", levels=("iop",), phone="(212) 555-0100",
                       accepting="waitlist", age_min=18, age_max=64)
    result = screen(IOP)
    assert result["next_step_programs"] == []
    assert result["programs"][0] == {
        "slug": iop.slug, "name": iop.name, "why": ["Offers Intensive outpatient (IOP)."],
        "distance_miles": None, "telehealth": False, "accepting": "waitlist",
        "phone": "(212) 555-0100", "age_min": 18, "age_max": 64,
    }


@pytest.mark.parametrize(
    ("zip_code", "message"),
    [("00000", "We could not find ZIP code 00000."),
     ("1000", "“1000” is not a US ZIP code."),
     ("abcde", "“abcde” is not a US ZIP code."),
     ("12345678901", "at most 10 characters")],
)
def test_screen_bad_zip_exit_2_with_the_web_forms_message(zip_code, message):
    error, stdout = screen_error({**BASE, "zip": zip_code})
    assert error.returncode == 2
    assert "'zip'" in str(error)
    assert message in str(error)
    assert stdout == ""


def test_screen_zip_lists_programs_within_the_radius_nearest_first_and_video_for_the_state():
    far = make_program(name="AAA Los Angeles IOP", city="Los Angeles", state="CA",
                       postal_code="90012", latitude=34.06, longitude=-118.24)
    video = make_program(name="BBB Los Angeles video IOP", city="Los Angeles", state="CA",
                         postal_code="90012", latitude=34.06, longitude=-118.24,
                         telehealth=True, telehealth_states="CA,NY")
    white_plains = make_program(name="CCC White Plains IOP", city="White Plains",
                                postal_code="10601", latitude=41.033, longitude=-73.7652)
    near = make_program(name="ZZZ Manhattan IOP")  # the factory's location is in 10001
    answers = IOP
    assert [p["slug"] for p in screen(answers)["programs"]] == [
        far.slug, video.slug, white_plains.slug, near.slug]
    programs = screen({**answers, "zip": " 10001 "})["programs"]
    assert [p["slug"] for p in programs] == [near.slug, white_plains.slug, video.slug]
    assert [p["distance_miles"] for p in programs] == [0.4, 23.1, None]
    assert [p["telehealth"] for p in programs] == [False, False, True]
    assert any("miles from your ZIP code" in why for why in programs[0]["why"])
    assert "Offers video sessions for people in NY." in programs[2]["why"]
    within_10 = screen({**answers, "zip": "10001", "radius": "10"})["programs"]
    assert [p["slug"] for p in within_10] == [near.slug, video.slug]


def test_screen_exact_age_chooses_the_programs_that_take_it():
    older = make_program(name="AAA 55 and over", age_min=55)
    adults = make_program(name="BBB Adults")
    answers = IOP  # age group 26 to 64
    assert [p["slug"] for p in screen(answers)["programs"]] == [adults.slug]
    programs = screen({**answers, "age": "60"})["programs"]
    assert [(p["slug"], p["age_min"], p["age_max"]) for p in programs] == [
        (older.slug, 55, None), (adults.slug, 18, None)]


def test_screen_bad_age_or_radius_exit_2_with_the_web_forms_message():
    error, stdout = screen_error({**IOP, "age": "thirty"})
    assert error.returncode == 2 and "'age'" in str(error) and stdout == ""
    error, stdout = screen_error({**IOP, "radius": "7"})
    assert error.returncode == 2 and "'radius'" in str(error) and stdout == ""


@pytest.mark.parametrize(
    ("answers", "zip_code"),
    [(IOP, "10001"),
     ({**IOP, "housing": "no", "transport": "no", "support": "some"}, "10001"),
     ({**BASE, "withdrawal": "strong"}, "60601")],  # the demo's withdrawal care is in Chicago
    ids=["iop", "residential", "withdrawal"],
)
def test_screen_lists_the_same_programs_as_the_web_result(client, answers, zip_code):
    import re

    from tests.screening.helpers import answer_all

    def result_program_slugs(response) -> list[str]:
        return re.findall(
            r'<article class="program-card">\s*<h3><a href="/programs/([^/"]+)/"',
            response.content.decode(),
        )

    demo_programs_load()
    extras = {"zip": zip_code, "payment": "medicaid"}
    result = screen({**answers, **extras})
    web = result_program_slugs(answer_all(client, answers, extras=extras))
    assert result["programs"]  # demo programs offer every level screened here
    assert bool(result["next_step_programs"]) is (result["next_step"] is not None)
    command = [p["slug"] for p in result["programs"] + result["next_step_programs"]]
    assert web == command


def test_screen_programs_with_remedy_ranked_first_and_say_why():
    plain = make_program(name="AAA Plain IOP", levels=("iop",))
    helps = make_program(
        name="ZZZ Rides IOP", levels=("iop",), services=("transportation-assistance",)
    )
    answers = {**IOP, "transport": "no"}
    programs = screen(answers)["programs"]
    assert [p["slug"] for p in programs] == [helps.slug, plain.slug]
    assert any("ransport" in why for why in programs[0]["why"])
