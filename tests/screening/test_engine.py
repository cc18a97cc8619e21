"""Unit and property tests for the pure screening engine with questionnaire v1 (no Django).

Version 1 stays published and must keep giving its results; questionnaire v2's mechanisms are
tested in test_engine_v2.py and test_engine_properties.py, its content in test_v2_content.py."""

from __future__ import annotations

import ast
import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening import default_questionnaire as v1
from screening.engine import (
    SEVERITY_ORDER,
    AnswerError,
    Band,
    Option,
    QuestionnaireError,
    Recommendation,
    band_for,
    check_option_order,
    normalise_answers,
    recommend,
    validate_questionnaire,
)
from tests.screening.helpers import V1, V1_DOCUMENT, v1_answers

Q = V1
RANKS = Q.level_ranks
ENGINE_DIR = Path(__file__).resolve().parents[2] / "screening" / "engine"
STIGMA_WORDS = ("addict", "abuser", "clean", "dirty", "relapse failure")


def answers(points: int = 0, **changes) -> dict:
    """A full answer set: the mildest answers, with points and changes on top."""
    return v1_answers(points, **changes)


def run(points: int = 0, **changes) -> Recommendation:
    return recommend(Q, answers(points, **changes))


# --------------------------------------------------------------------------- the data


def test_v1_is_consistent():
    assert validate_questionnaire(Q) == []


def test_v1_has_the_keys_and_values_of_design_section_6():
    expected = {
        "safety": ["no", "thoughts", "danger_now"],
        "age_group": ["under_18", "18_25", "26_64", "65_plus"],
        "pregnant": ["no_or_na", "not_sure", "yes"],
        "substances": ["alcohol", "opioids", "sedatives", "stimulants", "cannabis", "other"],
        "frequency": ["none", "monthly_or_less", "weekly", "several_times_a_week", "daily"],
        "consequences": ["no", "some", "serious"],
        "control": ["no", "once", "many_times"],
        "relapse": ["no_or_na", "yes"],
        "withdrawal": ["none", "mild", "managed_with_medication", "strong"],
        "withdrawal_danger": ["no", "in_the_past", "now"],
        "mental_health": ["no", "yes_managed", "yes_hard_to_manage"],
        "medical": ["no", "yes"],
        "housing": ["yes", "no_but_could_move", "no"],
        "transport": ["yes", "sometimes", "no"],
        "support": ["yes", "some", "no"],
        "responsibilities": ["no", "yes"],
        "recent_treatment": ["no", "detox", "residential_or_php"],
        "readiness": ["ready", "thinking", "not_sure"],
    }
    assert {q["key"]: [o["value"] for o in q["options"]] for q in v1.QUESTIONS} == expected
    assert [q["key"] for q in v1.QUESTIONS] == list(expected)
    assert [q.key for q in Q.questions if q.multiple] == ["substances"]
    steps = [s["key"] for s in v1.STEPS]
    assert steps == ["safety", "use", "withdrawal", "health", "situation"]
    # Questions come step by step, with orders counting up inside each step.
    assert [steps.index(q["step"]) for q in v1.QUESTIONS] == sorted(
        steps.index(q["step"]) for q in v1.QUESTIONS
    )
    for step in steps:
        orders = [q["order"] for q in v1.QUESTIONS if q["step"] == step]
        assert orders == sorted(orders) and len(set(orders)) == len(orders)


def test_v1_levels_requirements_and_bands():
    assert [(lv.code, lv.rank) for lv in Q.levels] == [
        ("self_help", 0),
        ("outpatient", 1),
        ("iop", 2),
        ("php", 3),
        ("residential", 4),
        ("withdrawal_management", 5),
    ]
    assert {lv.code: lv.step_down for lv in Q.levels if lv.step_down} == {
        "residential": "iop",
        "withdrawal_management": "iop",
    }
    reqs = {r.key: r for r in Q.requirements}
    assert list(reqs) == ["sober_housing", "transport", "support_network", "withdrawal_managed"]
    assert reqs["sober_housing"].applies_to == {"iop", "php"}
    assert reqs["sober_housing"].escalation_level == "residential"
    assert reqs["sober_housing"].remedies == ("sober-living-referral",)
    assert reqs["transport"].applies_to == {"outpatient", "iop", "php"}
    assert reqs["transport"].remedies == ("telehealth", "transportation-assistance")
    assert reqs["support_network"].remedies == (
        "case-management",
        "family-therapy",
        "peer-support-groups",
    )
    assert reqs["withdrawal_managed"].remedies == ("medically-managed-withdrawal",)
    for key in ("transport", "support_network", "withdrawal_managed"):
        assert reqs[key].escalation_level is None
    assert v1.BANDS == [(0, 2, "self_help"), (3, 5, "outpatient"), (6, 8, "iop"), (9, 11, "php")]


def test_v1_texts_are_present_and_use_person_first_words():
    dimensions = {"1", "2", "3", "4", "5", "6"}
    for question in v1.QUESTIONS:
        assert question["text"] and question["help_text"]
        assert question["dimension"] in dimensions
        assert question["required"] is True
        for option in question["options"]:
            assert option["label"]
            moves = (
                option["points"]
                or option["min_level"]
                or option["crisis"]
                or option["flags"]
                or option["requirement_status"] in ("addressable", "unmet")
            )
            if moves:
                assert option["explanation"], (question["key"], option["value"])
    texts = json.dumps(V1_DOCUMENT).lower()
    for word in STIGMA_WORDS:
        assert word not in texts


def test_v1_extras_are_not_questions():
    assert Q.extra_keys == {"zip", "payment", "language"}
    payment = Q.extra_question("payment")
    assert [choice.value for choice in payment.choices] == [
        "medicaid",
        "medicare",
        "private",
        "self_pay",
        "not_sure",
    ]
    assert [choice.payment_option for choice in payment.choices] == [
        "medicaid", "medicare", "private-insurance", "self-pay", None,
    ]
    assert not Q.extra_keys & {q.key for q in Q.questions}


def test_v1_options_are_in_order_of_severity():
    for question in Q.questions:
        assert check_option_order(question.options, RANKS) == [], question.key


# --------------------------------------------------------------------------- shipped test cases


def test_there_are_enough_shipped_test_cases():
    assert len(v1.TEST_CASES) >= 14
    assert len({case["name"] for case in v1.TEST_CASES}) == len(v1.TEST_CASES)
    for case in v1.TEST_CASES:
        assert set(case) == {"name", "answers", "expected_level", "expected_crisis",
                             "expected_emergency", "expected_flags", "note"}
        assert set(case["answers"]) == {q.key for q in Q.questions}


@pytest.mark.parametrize("case", v1.TEST_CASES, ids=[case["name"] for case in v1.TEST_CASES])
def test_shipped_test_case(case):
    result = recommend(Q, case["answers"])
    assert result.level == case["expected_level"]
    assert result.crisis is case["expected_crisis"]


# --------------------------------------------------------------------------- bands


@pytest.mark.parametrize(
    ("points", "level"),
    [
        (0, "self_help"),
        (2, "self_help"),
        (3, "outpatient"),
        (5, "outpatient"),
        (6, "iop"),
        (8, "iop"),
        (9, "php"),
        (11, "php"),
    ],
)
def test_band_edges(points, level):
    result = run(points)
    assert result.points == points
    assert result.band_level == level
    assert result.level == level
    assert band_for(Q.bands, points) == level


def test_band_for_without_a_band_is_a_clear_error():
    with pytest.raises(QuestionnaireError, match="12 points"):
        band_for(Q.bands, 12)
    with pytest.raises(QuestionnaireError, match="-1 points"):
        band_for([Band(0, 2, "self_help")], -1)


# --------------------------------------------------------------------------- the rules


def test_rule_1_thoughts_mean_crisis_without_emergency():
    result = run(0, safety="thoughts")
    assert result.crisis is True
    assert result.emergency is False
    assert result.level == "self_help"
    assert result.reasons[0].question == "safety"


def test_rule_1_danger_now_means_crisis_and_emergency():
    result = run(3, safety="danger_now")
    assert (result.crisis, result.emergency) == (True, True)
    assert "emergency" in result.flags


def test_rule_1_withdrawal_danger_now_means_crisis_emergency_and_withdrawal_management():
    result = run(0, withdrawal_danger="now")
    assert (result.crisis, result.emergency) == (True, True)
    assert result.level == "withdrawal_management"
    assert result.next_step == "iop"


def test_rule_1_no_crisis_with_mild_answers():
    result = run(11)
    assert (result.crisis, result.emergency) == (False, False)


def test_rule_2_min_level_beats_a_lower_band():
    assert run(0, withdrawal="strong").level == "withdrawal_management"
    assert run(0, withdrawal_danger="in_the_past").level == "withdrawal_management"
    assert run(3, mental_health="yes_hard_to_manage").level == "php"
    assert run(0, medical="yes").level == "php"
    assert run(0, recent_treatment="detox").level == "iop"
    assert run(0, recent_treatment="residential_or_php").level == "iop"


def test_rule_2_min_level_never_lowers_a_higher_band():
    result = run(9, recent_treatment="detox")
    assert result.level == "php"
    assert result.band_level == "php"


def test_rule_2_managed_mental_health_does_not_raise_the_level():
    result = run(0, mental_health="yes_managed")
    assert result.level == "self_help"
    assert result.flags == ("co_occurring",)


def test_rule_3_unmet_housing_at_iop_escalates_to_residential():
    result = run(6, housing="no")
    assert result.band_level == "iop"
    assert result.level == "residential"
    assert result.next_step == "iop"
    (unmet,) = result.unmet_requirements
    assert (unmet.key, unmet.status, unmet.escalated) == ("sober_housing", "unmet", True)
    assert unmet.remedies == ("sober-living-referral",)
    assert result.reasons[-1].question == "housing"
    assert result.reasons[-1].as_dict() == {
        "code": "escalation", "requirement": "sober_housing", "question": "housing",
        "answer": "no", "level": "residential", "decisive": True,
    }


def test_rule_3_unmet_housing_at_php_escalates_to_residential():
    assert run(9, housing="no").level == "residential"
    assert run(0, housing="no", medical="yes").level == "residential"


def test_rule_3_housing_does_not_apply_at_self_help_or_outpatient():
    for points, level in ((0, "self_help"), (2, "self_help"), (3, "outpatient"), (5, "outpatient")):
        result = run(points, housing="no")
        assert result.level == level
        (unmet,) = result.unmet_requirements
        assert (unmet.key, unmet.status, unmet.escalated) == ("sober_housing", "unmet", False)


def test_rule_3_addressable_housing_never_escalates():
    result = run(6, housing="no_but_could_move")
    assert result.level == "iop"
    assert [(u.key, u.status, u.escalated) for u in result.unmet_requirements] == [
        ("sober_housing", "addressable", False)
    ]


def test_rule_3_housing_does_not_lower_withdrawal_management():
    result = run(6, housing="no", withdrawal="strong")
    assert result.level == "withdrawal_management"
    assert [u.escalated for u in result.unmet_requirements] == [False, False]


def test_rule_3_escalation_repeats_until_stable():
    # A chain: unmet "a" (housing) at iop escalates to php, where unmet "b" (transport) escalates
    # to residential. "b" comes first, so a single pass in requirement order would miss it.
    def relink(question, requirement):
        options = tuple(
            dataclasses.replace(
                option,
                requirement=requirement,
                requirement_status="unmet" if option.value == "no" else option.requirement_status,
            )
            for option in question.options
        )
        return dataclasses.replace(question, options=options)

    links = {"housing": "a", "transport": "b"}
    questions = tuple(relink(q, links[q.key]) if q.key in links else q for q in Q.questions)
    template = Q.requirement("sober_housing")
    a = dataclasses.replace(
        template, key="a", applies_to=frozenset({"iop"}), escalation_level="php"
    )
    b = dataclasses.replace(
        template, key="b", applies_to=frozenset({"php"}), escalation_level="residential"
    )
    chained = dataclasses.replace(Q, questions=questions, requirements=(b, a, *Q.requirements[2:]))
    assert validate_questionnaire(chained) == []

    result = recommend(chained, answers(6, housing="no", transport="no"))
    assert result.level == "residential"
    assert [(u.key, u.escalated) for u in result.unmet_requirements] == [("b", True), ("a", True)]
    assert [(r.question, r.answer) for r in result.reasons[-2:]] == [
        ("housing", "no"),
        ("transport", "no"),
    ]
    # Without the first step the chain never starts.
    assert recommend(chained, answers(3, housing="no", transport="no")).level == "outpatient"


def test_rule_4_every_addressable_or_unmet_requirement_is_listed_in_order():
    result = run(0, housing="no", transport="sometimes", support="no", withdrawal="strong")
    assert [(u.key, u.status) for u in result.unmet_requirements] == [
        ("sober_housing", "unmet"),
        ("transport", "addressable"),
        ("support_network", "addressable"),
        ("withdrawal_managed", "unmet"),
    ]
    assert result.unmet_requirements[1].remedies == ("telehealth", "transportation-assistance")
    assert result.unmet_requirements[2].remedies == (
        "case-management",
        "family-therapy",
        "peer-support-groups",
    )
    assert result.unmet_requirements[3].remedies == ("medically-managed-withdrawal",)
    assert result.unmet_requirements[0].name == "Substance-free place to live"
    assert result.level == "withdrawal_management"


def test_rule_4_met_requirements_are_not_listed():
    assert run(6).unmet_requirements == ()


def test_rule_5_flags_are_a_sorted_union():
    result = run(
        0,
        substances=["sedatives", "opioids", "alcohol"],
        pregnant="yes",
        age_group="under_18",
        medical="yes",
        responsibilities="yes",
        recent_treatment="detox",
    )
    assert result.flags == (
        "adolescent",
        "flexible_schedule",
        "medical_review",
        "medication_info",
        "no_abrupt_stop",
        "step_down",
    )


def test_rule_5_sedatives_flag_never_stop_suddenly():
    result = run(0, substances=["sedatives"])
    assert "no_abrupt_stop" in result.flags
    assert result.level == "self_help"
    (reason,) = result.reasons
    assert (reason.question, reason.answer) == ("substances", "sedatives")
    assert reason.code == "flag" and reason.flags == ("no_abrupt_stop",)
    assert "suddenly" in Q.flags_by_key["no_abrupt_stop"].note
    assert result.notes == ("no_abrupt_stop",)


def test_rule_5_reasons_follow_question_order_and_skip_answers_without_effect():
    result = run(6, safety="thoughts", readiness="not_sure", age_group="65_plus", transport="no")
    assert [(r.question, r.answer) for r in result.reasons] == [
        ("safety", "thoughts"),
        ("frequency", "daily"),
        ("control", "many_times"),
        ("transport", "no"),
    ]
    assert [r.code for r in result.reasons] == ["crisis", "points", "points", "requirement"]
    for reason in result.reasons:
        explanation = Q.question(reason.question).option(reason.answer).explanation
        assert explanation.startswith("You said")
        for word in STIGMA_WORDS:
            assert word not in explanation.lower()


def test_rule_5_no_reasons_for_the_mildest_answers():
    assert run(0).reasons == ()


def test_rule_5_reasons_are_codes_with_parameters_never_sentences():
    result = run(3, withdrawal="strong", safety="thoughts")
    assert [reason.as_dict() for reason in result.reasons] == [
        {"code": "crisis", "question": "safety", "answer": "thoughts"},
        {"code": "points", "question": "frequency", "answer": "several_times_a_week",
         "points": 3},
        {"code": "min_level", "question": "withdrawal", "answer": "strong",
         "level": "withdrawal_management", "decisive": True},
    ]


def test_rule_6_next_step_after_24_hour_care_only():
    assert run(0, withdrawal="strong").next_step == "iop"
    assert run(6, housing="no").next_step == "iop"
    for points in (0, 3, 6, 9):
        assert run(points).next_step is None


def test_barriers_never_change_the_level():
    for points in (0, 3, 6, 9):
        levels = {
            run(points, transport=transport, support=support).level
            for transport in ("yes", "sometimes", "no")
            for support in ("yes", "some", "no")
        }
        assert len(levels) == 1


# --------------------------------------------------------------------------- answers


def test_normalise_answers_accepts_strings_and_lists():
    raw = answers(3, substances=["opioids", "alcohol", "opioids"], safety=["no"])
    normalised = normalise_answers(Q, raw)
    assert list(normalised) == [q.key for q in Q.questions]
    assert normalised["substances"] == ("alcohol", "opioids")
    assert normalised["safety"] == ("no",)
    assert normalised["frequency"] == ("several_times_a_week",)
    assert normalise_answers(Q, {**raw, "substances": "cannabis"})["substances"] == ("cannabis",)


def test_normalise_answers_ignores_extra_keys_only_when_told():
    raw = {**answers(), "zip": "10001", "payment": "medicaid", "language": "es"}
    assert normalise_answers(Q, raw) == normalise_answers(Q, answers())  # its own extras
    assert recommend(Q, raw) == recommend(Q, answers())
    with pytest.raises(AnswerError) as info:
        normalise_answers(Q, raw, extra_keys=frozenset())
    assert info.value.code == "unknown_question"


def test_optional_questions_may_be_absent():
    optional = dataclasses.replace(
        Q,
        questions=tuple(
            dataclasses.replace(q, required=False) if q.key == "readiness" else q
            for q in Q.questions
        ),
    )
    raw = answers()
    del raw["readiness"]
    assert "readiness" not in normalise_answers(optional, raw)
    assert "readiness" not in normalise_answers(optional, {**raw, "readiness": []})
    assert recommend(optional, raw).level == "self_help"


@pytest.mark.parametrize(
    ("change", "code", "key", "value", "words"),
    [
        (
            {"favourite_colour": "blue"},
            "unknown_question",
            "favourite_colour",
            "blue",
            "favourite_colour",
        ),
        ({"frequency": "hourly"}, "unknown_value", "frequency", "hourly", "hourly"),
        ({"substances": ["alcohol", "glue"]}, "unknown_value", "substances", "glue", "glue"),
        ({"frequency": 3}, "unknown_value", "frequency", 3, "frequency"),
        ({"substances": ["alcohol", 7]}, "unknown_value", "substances", 7, "substances"),
        ({"safety": ["no", "thoughts"]}, "not_multiple", "safety", ["no", "thoughts"], "safety"),
        ({"substances": []}, "empty", "substances", [], "substances"),
        ({"housing": ""}, "empty", "housing", "", "housing"),
        ({"housing": None}, "empty", "housing", None, "housing"),
    ],
)
def test_answer_errors(change, code, key, value, words):
    with pytest.raises(AnswerError) as info:
        recommend(Q, {**answers(), **change})
    error = info.value
    assert isinstance(error, ValueError)
    assert (error.code, error.key, error.value) == (code, key, value)
    assert words in str(error)


def test_missing_required_answer():
    raw = answers()
    del raw["medical"]
    with pytest.raises(AnswerError) as info:
        normalise_answers(Q, raw)
    assert (info.value.code, info.value.key, info.value.value) == ("missing", "medical", None)
    assert "'medical'" in str(info.value)


def test_answers_must_be_a_mapping():
    with pytest.raises(AnswerError):
        normalise_answers(Q, ["safety", "no"])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- check_option_order


def _opt(value, **kwargs):
    return Option(value=value, label=value, **kwargs)


def test_check_option_order_accepts_a_good_order():
    options = [
        _opt("a"),
        _opt("b", points=1, requirement="r", requirement_status="met"),
        _opt("c", points=1, min_level="iop", requirement="r", requirement_status="addressable"),
        _opt(
            "d", points=2, min_level="iop", crisis=True, requirement="r", requirement_status="unmet"
        ),
    ]
    assert check_option_order(options, RANKS) == []
    assert check_option_order([], RANKS) == []


@pytest.mark.parametrize(
    ("options", "bad", "words"),
    [
        ([_opt("a", points=2), _opt("b", points=3), _opt("c", points=1)], "c", "fewer points"),
        ([_opt("a", min_level="php"), _opt("b")], "b", "lower minimum level"),
        ([_opt("a", min_level="php"), _opt("b", min_level="iop")], "b", "lower minimum level"),
        (
            [
                _opt("a", requirement="r", requirement_status="unmet"),
                _opt("b", requirement="r", requirement_status="addressable"),
            ],
            "b",
            "milder requirement status",
        ),
        (
            [_opt("a", requirement="r", requirement_status="addressable"), _opt("b")],
            "b",
            "milder requirement status",
        ),
        ([_opt("a", crisis=True), _opt("b")], "b", "crisis"),
    ],
)
def test_check_option_order_names_the_bad_option(options, bad, words):
    (problem,) = check_option_order(options, RANKS)
    assert f"'{bad}'" in problem
    assert words in problem


def test_check_option_order_reports_unknown_levels_and_statuses():
    problems = check_option_order(
        [_opt("a", min_level="moon"), _opt("b", requirement="r", requirement_status="maybe")], RANKS
    )
    assert any("'a'" in p and "moon" in p for p in problems)
    assert any("'b'" in p and "maybe" in p for p in problems)


def test_check_option_order_flags_a_reversed_v1_question():
    frequency = Q.question("frequency")
    problems = check_option_order(tuple(reversed(frequency.options)), RANKS)
    assert len(problems) == 4
    assert "'none'" in problems[-1]


def test_validate_questionnaire_finds_gaps_in_bands():
    broken = dataclasses.replace(Q, bands=(Band(0, 2, "self_help"), Band(4, 11, "php")))
    assert any("3 points" in problem for problem in validate_questionnaire(broken))


# --------------------------------------------------------------------------- result shape


def test_as_dict_shape_is_json_friendly():
    result = run(6, housing="no", transport="sometimes", substances=["opioids"], safety="thoughts")
    data = result.as_dict()
    assert list(data) == [
        "level",
        "crisis",
        "emergency",
        "points",
        "flags",
        "unmet_requirements",
        "reasons",
        "next_step",
        "scores",
        "notes",
        "rules",
    ]
    assert data["level"] == "residential"
    assert data["crisis"] is True and data["emergency"] is False
    assert data["points"] == 6
    assert data["flags"] == ["medication_info"]
    assert data["unmet_requirements"] == [
        {"key": "sober_housing", "status": "unmet", "remedies": ["sober-living-referral"]},
        {
            "key": "transport",
            "status": "addressable",
            "remedies": ["telehealth", "transportation-assistance"],
        },
    ]
    assert all({"code", "question", "answer"} <= set(reason) for reason in data["reasons"])
    assert data["scores"] == {} and data["rules"] == []
    assert data["notes"] == ["medication_info"]
    assert data["next_step"] == "iop"
    assert json.loads(json.dumps(data)) == data


def test_severity_order():
    assert SEVERITY_ORDER == ("met", "addressable", "unmet")


# --------------------------------------------------------------------------- purity


@pytest.mark.parametrize("path", sorted(ENGINE_DIR.glob("*.py")), ids=lambda path: path.name)
def test_engine_imports_nothing_from_django_or_outside_the_standard_library(path):
    import sys

    tree = ast.parse(path.read_text())
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            modules.add(node.module or "")
    assert modules
    for module in modules:
        top = module.split(".")[0]
        assert top != "django", module
        assert top in sys.stdlib_module_names or top == "__future__" or module.startswith(
            "screening.engine"
        ), module


def test_default_questionnaire_imports_nothing_from_django():
    tree = ast.parse((ENGINE_DIR.parent / "default_questionnaire.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert all(not alias.name.startswith("django") for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert not (node.module or "").startswith("django")


def test_v1_gives_the_results_it_gave_before_questionnaire_v2():
    """300 answer sets recorded with the engine as it was before v2 (level, crisis, flags,
    requirements, next step and which answers gave reasons)."""
    recorded = json.loads((Path(__file__).parent / "data" / "v1_results.json").read_text())
    assert len(recorded["cases"]) == 300
    for case in recorded["cases"]:
        got = recommend(Q, case["answers"]).as_dict()
        expected = case["expected"]
        for key in ("level", "crisis", "emergency", "points", "flags", "unmet_requirements",
                    "next_step"):
            assert got[key] == expected[key], (key, case["answers"])
        assert [[r["question"], r["answer"]] for r in got["reasons"]] == expected[
            "reason_answers"]


def test_v1_document_round_trips():
    assert Q.from_dict(Q.to_dict()) == Q
    assert json.loads(json.dumps(Q.to_dict())) == Q.to_dict()


# --------------------------------------------------------------------------- properties


@st.composite
def answer_sets(draw):
    """A full, valid answer set for v1."""
    result = {}
    for question in Q.questions:
        if question.multiple:
            result[question.key] = draw(
                st.lists(st.sampled_from(question.values), min_size=1, unique=True)
            )
        else:
            result[question.key] = draw(st.sampled_from(question.values))
    return result


SINGLE = [q for q in Q.questions if not q.multiple]
MULTIPLE = [q for q in Q.questions if q.multiple]


@settings(max_examples=300)
@given(raw=answer_sets(), data=st.data())
def test_property_more_severe_single_answer_never_lowers_the_result(raw, data):
    question = data.draw(st.sampled_from(SINGLE))
    index = question.values.index(raw[question.key])
    later = data.draw(st.integers(min_value=index, max_value=len(question.values) - 1))
    before = recommend(Q, raw)
    after = recommend(Q, {**raw, question.key: question.values[later]})
    assert RANKS[after.level] >= RANKS[before.level]
    assert after.points >= before.points
    assert after.crisis or not before.crisis
    assert after.emergency or not before.emergency


@settings(max_examples=200)
@given(raw=answer_sets(), data=st.data())
def test_property_adding_a_choice_never_lowers_the_level(raw, data):
    question = data.draw(st.sampled_from(MULTIPLE))
    extra = data.draw(st.sampled_from(question.values))
    before = recommend(Q, raw)
    after = recommend(Q, {**raw, question.key: [*raw[question.key], extra]})
    assert RANKS[after.level] >= RANKS[before.level]
    assert after.points >= before.points
    assert set(before.flags) <= set(after.flags)


@settings(max_examples=300)
@given(raw=answer_sets())
def test_property_crisis_dominates(raw):
    result = recommend(Q, raw)
    crisis_chosen = raw["safety"] in ("thoughts", "danger_now") or raw["withdrawal_danger"] == "now"
    assert result.crisis is crisis_chosen
    assert result.emergency is (raw["safety"] == "danger_now" or raw["withdrawal_danger"] == "now")
    if result.emergency:
        assert result.crisis


@settings(max_examples=200)
@given(raw=answer_sets(), data=st.data())
def test_property_deterministic_and_order_free(raw, data):
    first = recommend(Q, raw)
    assert recommend(Q, dict(raw)) == first
    keys = data.draw(st.permutations(list(raw)))
    shuffled = {key: raw[key] for key in keys}
    substances = data.draw(st.permutations(raw["substances"]))
    shuffled["substances"] = list(substances)
    assert recommend(Q, shuffled) == first
    assert recommend(Q, shuffled).as_dict() == first.as_dict()


@settings(max_examples=300)
@given(raw=answer_sets())
def test_property_level_is_known_and_at_least_the_band(raw):
    result = recommend(Q, raw)
    assert result.level in RANKS
    assert RANKS[result.level] >= RANKS[result.band_level]
    assert result.band_level == band_for(Q.bands, result.points)
    assert 0 <= result.points <= 11
    assert list(result.flags) == sorted(set(result.flags))
    assert result.next_step == Q.level(result.level).step_down
    for option_level in (
        Q.question(key).option(value).min_level
        for key, value in raw.items()
        if isinstance(value, str)
    ):
        if option_level:
            assert RANKS[result.level] >= RANKS[option_level]


@settings(max_examples=300)
@given(
    raw=answer_sets(),
    transport=st.sampled_from(Q.question("transport").values),
    support=st.sampled_from(Q.question("support").values),
)
def test_property_barriers_never_change_the_level(raw, transport, support):
    before = recommend(Q, raw)
    after = recommend(Q, {**raw, "transport": transport, "support": support})
    assert after.level == before.level
    assert after.points == before.points
    assert after.crisis == before.crisis
