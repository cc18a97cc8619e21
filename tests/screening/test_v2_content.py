"""Questionnaire version 2 as shipped (screening/data/questionnaire_v2.json) against DESIGN §6b:
its keys and option order, effects, scores, combination rules, safety notes, words, the
clinical-basis document and the unsafe v1 cases. No database."""

import json
import re
from pathlib import Path

import pytest

from screening import engine
from tests.screening.helpers import V1, V2, V2_DOCUMENT, v1_answers, v2_answers

ROOT = Path(__file__).resolve().parents[2]
CLINICAL_BASIS = (ROOT / "docs" / "clinical-basis.md").read_text("utf-8")
STIGMA = re.compile(r"\b(addicts?|abusers?|clean|dirty|relapse failure|junkie)\b", re.I)
UK_SPELLING = re.compile(r"counsell|behaviour|centre\b|organis|colour|favour|programme", re.I)

KEYS_AND_VALUES = {
    "suicide_thoughts": ["no", "wished_dead", "thoughts", "method", "intent_or_plan"],
    "suicide_behavior": ["no", "over_3_months_ago", "past_3_months"],
    "harm_others": ["no", "thoughts", "plan_or_danger"],
    "danger_now": ["no", "yes"],
    "age_group": ["under_18", "18_25", "26_64", "65_plus"],
    "pregnant": ["no_or_na", "not_sure", "yes"],
    "substances": ["none", "alcohol", "opioids", "opioid_treatment", "sedatives",
                   "sedatives_prescribed", "stimulants", "cannabis", "other"],
    "frequency": ["none", "monthly_or_less", "weekly", "several_times_a_week", "daily"],
    "alcohol_frequency": ["never", "monthly_or_less", "2_4_a_month", "2_3_a_week",
                          "4_plus_a_week"],
    "alcohol_quantity": ["1_2", "3_4", "5_6", "7_9", "10_plus"],
    "alcohol_binge": ["never", "less_than_monthly", "monthly", "weekly", "daily"],
    "consequences": ["no", "some", "serious"],
    "control": ["no", "once", "many_times"],
    "relapse": ["no_or_na", "yes"],
    "withdrawal": ["none", "mild", "managed_with_medication", "strong"],
    "withdrawal_danger": ["no", "in_the_past", "now"],
    "psychosis": ["no", "in_the_past", "past_month", "now"],
    "phq_interest": ["not_at_all", "several_days", "more_than_half", "nearly_every_day"],
    "phq_mood": ["not_at_all", "several_days", "more_than_half", "nearly_every_day"],
    "mental_health": ["no", "yes_managed", "yes_hard_to_manage"],
    "medical": ["no", "yes"],
    "housing": ["yes", "no_but_could_move", "no"],
    "transport": ["yes", "sometimes", "no"],
    "support": ["yes", "some", "no"],
    "responsibilities": ["no", "yes"],
    "recent_treatment": ["no", "detox", "residential_or_php"],
    "readiness": ["ready", "thinking", "not_sure"],
}


def option(key, value):
    return V2.question(key).option(value)


def run(**changes) -> engine.Recommendation:
    return engine.recommend(V2, v2_answers(**changes))


def test_v2_is_consistent_and_round_trips():
    assert engine.validate_questionnaire(V2) == []
    assert engine.Questionnaire.from_dict(V2.to_dict()) == V2
    assert V2.to_dict() == engine.Questionnaire.from_dict(V2_DOCUMENT).to_dict()


def test_v2_keys_and_option_order_are_design_section_6b():
    assert {q.key: list(q.values) for q in V2.questions} == KEYS_AND_VALUES
    assert [q.key for q in V2.questions] == list(KEYS_AND_VALUES)


def test_v2_steps_keep_the_danger_questions_apart():
    steps = {q.key: q.step for q in V2.questions}
    assert {k for k, step in steps.items() if step == "safety"} == {
        "suicide_thoughts", "suicide_behavior", "harm_others", "danger_now"}
    assert steps["age_group"] == steps["pregnant"] == "about"


@pytest.mark.parametrize(("key", "value", "crisis", "emergency", "level", "flags"), [
    ("suicide_thoughts", "wished_dead", False, False, None, {"mental_health_followup"}),
    ("suicide_thoughts", "thoughts", True, False, "outpatient",
     {"co_occurring", "mental_health_followup"}),
    ("suicide_thoughts", "method", True, False, "outpatient",
     {"co_occurring", "mental_health_followup"}),
    ("suicide_thoughts", "intent_or_plan", True, True, "outpatient",
     {"co_occurring", "mental_health_followup"}),
    ("suicide_behavior", "over_3_months_ago", False, False, None, {"mental_health_followup"}),
    ("suicide_behavior", "past_3_months", True, False, "php",
     {"co_occurring", "mental_health_followup"}),
    ("harm_others", "thoughts", True, False, None, set()),
    ("harm_others", "plan_or_danger", True, True, None, set()),
    ("danger_now", "yes", True, True, None, set()),
    ("psychosis", "in_the_past", False, False, None, {"medical_review", "co_occurring"}),
    ("psychosis", "past_month", True, False, "php", {"medical_review", "co_occurring"}),
    ("psychosis", "now", True, True, "withdrawal_management",
     {"medical_review", "co_occurring"}),
    ("substances", "opioids", False, False, None, {"medication_info", "naloxone"}),
    ("substances", "opioid_treatment", False, False, None, {"moud_current"}),
    ("substances", "sedatives", False, False, None, {"no_abrupt_stop"}),
    ("substances", "sedatives_prescribed", False, False, None, {"no_abrupt_stop"}),
])
def test_v2_option_effects_are_design_section_6b(key, value, crisis, emergency, level, flags):
    chosen = option(key, value)
    assert chosen.crisis is crisis
    assert chosen.emergency is emergency
    assert chosen.min_level == level
    assert flags <= chosen.flags


def test_v2_none_of_these_is_exclusive_and_first():
    substances = V2.question("substances")
    assert substances.multiple
    assert [o.value for o in substances.options if o.exclusive] == ["none"]
    with pytest.raises(engine.AnswerError) as caught:
        engine.recommend(V2, v2_answers(substances=["none", "alcohol"]))
    assert caught.value.code == "exclusive"


def test_v2_alcohol_items_shown_only_with_alcohol_and_hidden_count_as_mildest():
    for key in ("alcohol_frequency", "alcohol_quantity", "alcohol_binge"):
        question = V2.question(key)
        assert question.score == "audit_c"
        assert [c.to_dict() for c in question.enable_when] == [
            {"question": "substances", "includes_any": ["alcohol"]}]
    no_alcohol = run(substances=["cannabis"], alcohol_frequency="4_plus_a_week")
    assert "alcohol_frequency" not in no_alcohol.shown
    assert "audit_c" not in {score.key for score in no_alcohol.scores}
    assert no_alcohol.level == run(substances=["cannabis"]).level


def test_v2_score_items_do_not_add_severity_points():
    heavy = run(alcohol_frequency="4_plus_a_week", alcohol_quantity="10_plus",
                alcohol_binge="daily", phq_interest="nearly_every_day",
                phq_mood="nearly_every_day")
    assert heavy.points == 0
    assert {s.key: s.points for s in heavy.scores} == {"audit_c": 12, "phq_2": 6}


@pytest.mark.parametrize(("answers", "points", "flags", "level"), [
    ({"alcohol_frequency": "2_3_a_week"}, 3, set(), "self_help"),
    ({"alcohol_frequency": "4_plus_a_week"}, 4, {"risky_drinking"}, "self_help"),
    ({"alcohol_frequency": "4_plus_a_week", "alcohol_binge": "weekly"}, 7,
     {"risky_drinking"}, "self_help"),
    ({"alcohol_frequency": "4_plus_a_week", "alcohol_binge": "daily"}, 8,
     {"risky_drinking", "alcohol_withdrawal_risk"}, "outpatient"),
])
def test_v2_audit_c_band_edges(answers, points, flags, level):
    result = run(**answers)
    assert {s.key: s.points for s in result.scores}["audit_c"] == points
    assert flags <= set(result.flags)
    if not flags:
        assert not {"risky_drinking", "alcohol_withdrawal_risk"} & set(result.flags)
    if "alcohol_withdrawal_risk" not in flags:
        assert "alcohol_withdrawal_risk" not in result.flags
    assert result.level == level


@pytest.mark.parametrize(("interest", "mood", "flagged"), [
    ("several_days", "several_days", False),
    ("more_than_half", "several_days", True),
    ("nearly_every_day", "nearly_every_day", True),
])
def test_v2_phq_2_cut_off_is_3(interest, mood, flagged):
    result = run(phq_interest=interest, phq_mood=mood)
    assert ("mental_health_followup" in result.flags) is flagged
    assert ("co_occurring" in result.flags) is flagged


SECTION_6B_RULES = [
    # (changes, minimum level, flags)
    ({"pregnant": "not_sure", "withdrawal": "mild"}, "withdrawal_management",
     {"medical_review"}),
    ({"medical": "yes", "withdrawal": "mild", "substances": ["sedatives"]},
     "withdrawal_management", {"medical_review"}),
    ({"suicide_thoughts": "thoughts", "frequency": "several_times_a_week"}, "php", set()),
    ({"withdrawal": "mild"}, None, {"alcohol_withdrawal_risk"}),
    ({"substances": ["opioids", "sedatives_prescribed"]}, None, {"medical_review", "naloxone"}),
    ({"substances": ["alcohol", "sedatives"]}, None, {"medical_review"}),
    ({"pregnant": "not_sure", "substances": ["opioid_treatment"]}, None, {"pregnancy_moud"}),
    ({"recent_treatment": "detox", "substances": ["opioids"]}, None, {"lost_tolerance"}),
]


@pytest.mark.parametrize(("changes", "level", "flags"), SECTION_6B_RULES)
def test_v2_combination_rules_of_section_6b(changes, level, flags):
    result = run(**changes)
    assert flags <= set(result.flags)
    if level:
        assert V2.rank(result.level) >= V2.rank(level)
    assert result.rules


def test_v2_rules_are_all_upward_closed():
    for rule in V2.rules:
        for clause in rule.when:
            assert engine.check_clause(V2, clause) == [], rule.key


def test_v2_every_safety_flag_of_section_6b_has_a_safety_note():
    flags = V2.flags_by_key
    for key in ("alcohol_withdrawal_risk", "no_abrupt_stop", "naloxone", "lost_tolerance",
                "moud_current", "pregnancy_moud", "medical_review", "mental_health_followup",
                "adolescent"):
        assert flags[key].note_kind == "safety", key
        assert len(flags[key].note) > 40, key
    assert "private" in flags["adolescent"].note.lower()
    assert "state" in flags["adolescent"].note.lower()  # the rules vary by state
    pregnancy = flags["pregnancy_moud"].note.lower()
    assert "buprenorphine" in pregnancy and "methadone" in pregnancy
    assert "naltrexone" in pregnancy  # not started in pregnancy
    assert "suddenly" in flags["alcohol_withdrawal_risk"].note.lower()
    assert "overdose" in flags["lost_tolerance"].note.lower()
    assert "naloxone" in flags["naloxone"].note.lower()
    for flag in V2.flags:  # naltrexone never eases withdrawal: say so only with a "not"
        for sentence in re.split(r"(?<=\.)\s+", flag.note):
            if re.search(r"naltrexone", sentence, re.I) and re.search(
                    r"eases? withdrawal", sentence, re.I):
                assert re.search(r"\bnot\b", sentence), sentence


def test_v2_matching_hints_are_on_the_flags():
    flags = V2.flags_by_key
    assert "mental-health-care" in flags["co_occurring"].rank_services
    assert "pregnant-postpartum" in flags["pregnancy_moud"].rank_populations
    assert {"buprenorphine", "methadone"} <= set(flags["pregnancy_moud"].rank_features)
    assert {"buprenorphine", "methadone"} <= set(flags["moud_current"].rank_features)
    assert {"evening", "weekend"} <= set(flags["flexible_schedule"].rank_features)
    assert flags["naloxone"].ranks


def test_v2_age_options_carry_their_age_ranges():
    ages = {o.value: (o.age_min, o.age_max) for o in V2.question("age_group").options}
    assert ages == {"under_18": (12, 17), "18_25": (18, 25), "26_64": (26, 64),
                    "65_plus": (65, 120)}


def test_v2_words_are_plain_person_first_and_us_spelling():
    texts = []
    for question in V2.questions:
        assert question.text and question.help_text, question.key
        texts += [question.text, question.help_text]
        for choice in question.options:
            assert choice.label
            texts += [choice.label, choice.explanation]
            next_steps_only = choice.flags and all(
                V2.flags_by_key[flag].note_kind == "next_step" for flag in choice.flags)
            if choice.moves_result and not next_steps_only and not (
                    question.score and not choice.flags):
                assert choice.explanation, (question.key, choice.value)
    texts += [flag.note for flag in V2.flags] + [r.explanation for r in V2.rules]
    texts += [s.help_text for s in V2.scores] + [b.meaning for s in V2.scores for b in s.bands]
    texts += [r.help_text for r in V2.requirements] + [s.intro for s in V2.steps]
    for text in texts:
        assert not STIGMA.search(text), text
        assert not UK_SPELLING.search(text), text


def test_v2_scores_name_their_instrument_and_say_screen_not_diagnosis():
    for score in V2.scores:
        assert score.instrument in ("AUDIT-C", "PHQ-2")
        for band in score.bands:
            assert band.label and band.meaning
            assert "not a diagnosis" in band.meaning.lower()


def test_v2_ships_at_least_40_test_cases_that_all_pass():
    assert len(V2.test_cases) >= 40
    assert len({case.name for case in V2.test_cases}) == len(V2.test_cases)
    failing = {case.name: engine.testcase_problems(V2, case) for case in V2.test_cases}
    assert {name: p for name, p in failing.items() if p} == {}


def test_v2_test_cases_cover_every_rule_and_every_crisis_option():
    fired = set()
    crisis_answers = set()
    for case in V2.test_cases:
        result = engine.recommend(V2, case.answers)
        fired |= set(result.rules)
        crisis_answers |= {
            (r.question, r.answer) for r in result.reasons if r.code == "crisis"
        }
    assert fired == {rule.key for rule in V2.rules}
    every_crisis = {(q.key, o.value) for q in V2.questions for o in q.options if o.crisis}
    assert every_crisis <= crisis_answers


def test_clinical_basis_covers_every_question_score_rule_and_flag():
    for key in [q.key for q in V2.questions] + [s.key for s in V2.scores] + [
            r.key for r in V2.rules] + [f.key for f in V2.flags if f.note_kind == "safety"]:
        assert f"`{key}`" in CLINICAL_BASIS, key
    for source in ("ASAM", "C-SSRS", "AUDIT-C", "PHQ-2", "ACOG", "TIP 63"):
        assert source in CLINICAL_BASIS, source


# --------------------------------------------------------------------------- the unsafe v1 cases

UNSAFE = {
    "pregnant, daily drinking, early withdrawal": (
        v1_answers(5, pregnant="yes", withdrawal="mild"),
        v2_answers(pregnant="yes", frequency="daily", alcohol_frequency="4_plus_a_week",
                   withdrawal="mild"),
    ),
    "suicidal thoughts, light use": (
        v1_answers(0, safety="thoughts"), v2_answers(suicide_thoughts="thoughts"),
    ),
    "suicide attempt two weeks ago": (None, v2_answers(suicide_behavior="past_3_months")),
    "psychosis while using, past month": (None, v2_answers(psychosis="past_month")),
    "alcohol with withdrawal": (
        v1_answers(3, withdrawal="mild"), v2_answers(frequency="several_times_a_week",
                                                     withdrawal="mild"),
    ),
    "opioid use": (
        v1_answers(3, substances=["opioids"]),
        v2_answers(substances=["opioids"], frequency="several_times_a_week"),
    ),
    "on methadone as prescribed": (
        v1_answers(0, substances=["opioids"], withdrawal="managed_with_medication"),
        v2_answers(substances=["opioid_treatment"]),
    ),
    "pregnant, using opioids": (
        v1_answers(3, pregnant="yes", substances=["opioids"]),
        v2_answers(pregnant="yes", substances=["opioids"], frequency="several_times_a_week"),
    ),
}


def test_the_unsafe_v1_cases_were_unsafe_in_v1():
    v1 = {name: engine.recommend(V1, pair[0]) for name, pair in UNSAFE.items() if pair[0]}
    assert v1["pregnant, daily drinking, early withdrawal"].level == "outpatient"
    assert v1["suicidal thoughts, light use"].level == "self_help"
    assert "alcohol_withdrawal_risk" not in v1["alcohol with withdrawal"].flags
    assert "naloxone" not in v1["opioid use"].flags
    assert "pregnancy_moud" not in v1["pregnant, using opioids"].flags
    assert not {"suicide_behavior", "psychosis"} & set(V1.question_keys)


def test_the_unsafe_v1_cases_are_safe_in_v2():
    v2 = {name: engine.recommend(V2, pair[1]) for name, pair in UNSAFE.items()}
    pregnant = v2["pregnant, daily drinking, early withdrawal"]
    assert pregnant.level == "withdrawal_management"
    assert {"medical_review", "alcohol_withdrawal_risk"} <= set(pregnant.notes)
    thoughts = v2["suicidal thoughts, light use"]
    assert thoughts.crisis and not thoughts.emergency and thoughts.level == "outpatient"
    attempt = v2["suicide attempt two weeks ago"]
    assert attempt.crisis and V2.rank(attempt.level) >= V2.rank("php")
    psychosis = v2["psychosis while using, past month"]
    assert psychosis.crisis and psychosis.level == "php"
    assert "alcohol_withdrawal_risk" in v2["alcohol with withdrawal"].notes
    assert "naloxone" in v2["opioid use"].notes
    methadone = v2["on methadone as prescribed"]
    assert "moud_current" in methadone.notes
    assert methadone.level != "withdrawal_management"
    assert "withdrawal" not in methadone.shown  # not asked to "stop safely first"
    assert "pregnancy_moud" in v2["pregnant, using opioids"].notes
    assert v2["pregnant, using opioids"].notes[0] == "pregnancy_moud"  # first in the box


def test_v2_document_is_json_with_the_design_top_level_keys():
    data = json.loads((ROOT / "screening" / "data" / "questionnaire_v2.json").read_text())
    assert {"version", "questions", "rules", "scores", "bands", "requirements"} <= set(data)
    for question in data["questions"]:
        assert {"key", "step", "text", "multiple", "required", "enable_when", "options"} <= set(
            question)
        for choice in question["options"]:
            assert {"value", "label", "points"} <= set(choice)
