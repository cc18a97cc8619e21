"""Example tests of the engine's v2 mechanisms (DESIGN §6b, docs/questionnaire-format.md):
shown when, scores, combination rules, notes, reason codes, answer errors, document errors,
consistency checks and test cases. Each test builds the small questionnaire it needs by hand.

Pure Python: no Django, no database, no JSON files.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from screening import engine
from screening.engine import (
    EMERGENCY,
    AnswerError,
    Band,
    Clause,
    Extra,
    Flag,
    Level,
    Option,
    Question,
    Questionnaire,
    QuestionnaireError,
    Reason,
    Requirement,
    Rule,
    Score,
    ScoreBand,
    Step,
    TestCase,
    check_clause,
    clause_holds,
    normalise_answers,
    recommend,
    validate_questionnaire,
)

LEVEL_CODES = ("self_help", "outpatient", "iop", "php", "residential", "withdrawal_management")
LEVELS = tuple(
    Level(code=code, rank=rank, name=code,
          step_down="iop" if code in ("residential", "withdrawal_management") else None)
    for rank, code in enumerate(LEVEL_CODES)
)


# --------------------------------------------------------------------------- building blocks


def opt(value: str, *, flags=(), **effects) -> Option:
    return Option(value=value, label=value.replace("_", " "), flags=frozenset(flags), **effects)


def ask(key: str, *options: Option, when=(), **fields) -> Question:
    return Question(key=key, text=f"{key}?", step="main", options=options,
                    enable_when=tuple(when), **fields)


def at_least(question: str, value: str) -> Clause:
    return Clause(question=question, at_least=value)


def includes(question: str, *values: str) -> Clause:
    return Clause(question=question, includes_any=values)


def score_at_least(score: str, points: int) -> Clause:
    return Clause(score=score, at_least=points)


def _most(question: Question) -> int:
    if question.multiple:
        return sum(o.points for o in question.options if not o.exclusive)
    return max(o.points for o in question.options)


def build(*questions: Question, bands=None, valid: bool = True, **parts) -> Questionnaire:
    """A questionnaire of ``questions``; by default one band (self_help) covers every point."""
    if bands is None:
        most = sum(_most(q) for q in questions if q.score is None)
        bands = (Band(0, most, "self_help"),)
    questionnaire = Questionnaire(
        version=2, levels=LEVELS, questions=questions, bands=tuple(bands),
        requirements=tuple(parts.pop("requirements", ())), steps=(Step("main"),),
        **{key: tuple(value) for key, value in parts.items()},
    )
    if valid:
        assert validate_questionnaire(questionnaire) == []
    return questionnaire


def problems_of(questionnaire: Questionnaire) -> str:
    return "\n".join(validate_questionnaire(questionnaire))


# A hidden question that still counts: "amount" is asked only of people who use.
USE = ask("use", opt("no"), opt("yes"))
AMOUNT = ask(
    "amount",
    opt("little", points=1, flags={"cut_down_tips"}),
    opt("lots", points=3),
    when=[at_least("use", "yes")],
)
# Asked when "amount" is at least its mildest answer (so even when "amount" is hidden) …
AFTER_ANY = ask("after_any", opt("fine"), opt("not_fine"), when=[at_least("amount", "little")])
# … and when it is at least "lots" (never while "amount" is hidden).
AFTER_LOTS = ask("after_lots", opt("fine"), opt("not_fine"), when=[at_least("amount", "lots")])
USE_BANDS = (Band(0, 0, "self_help"), Band(1, 2, "outpatient"), Band(3, 3, "iop"))


def shown_when() -> Questionnaire:
    return build(USE, AMOUNT, AFTER_ANY, AFTER_LOTS, bands=USE_BANDS)


SUBSTANCES = ask(
    "substances",
    opt("none", exclusive=True),
    opt("alcohol"),
    opt("opioids", flags={"naloxone"}),
    opt("cannabis"),
    multiple=True,
)


def small() -> Questionnaire:
    """A questionnaire with every mechanism, much smaller than the shipped one."""
    return build(
        ask("danger",
            opt("no"),
            opt("thoughts", crisis=True, min_level="outpatient", flags={"co_occurring"}),
            opt("plan", crisis=True, min_level="outpatient", flags={EMERGENCY, "co_occurring"})),
        SUBSTANCES,
        ask("drinks", *(opt(f"d{n}", points=n) for n in range(5)), score="audit",
            when=[includes("substances", "alcohol")]),
        ask("binge", *(opt(f"b{n}", points=n) for n in range(5)), score="audit",
            when=[includes("substances", "alcohol")]),
        ask("frequency", opt("none"), opt("weekly", points=2), opt("daily", points=4)),
        ask("mental", opt("no"), opt("hard", min_level="php", flags={"co_occurring"})),
        ask("housing",
            opt("yes", requirement="housing", requirement_status="met"),
            opt("could_move", requirement="housing", requirement_status="addressable"),
            opt("no", requirement="housing", requirement_status="unmet")),
        ask("work", opt("no"), opt("yes", flags={"flexible_schedule"})),
        bands=(Band(0, 1, "self_help"), Band(2, 3, "outpatient"), Band(4, 4, "iop")),
        requirements=[Requirement("housing", "Safe home", frozenset({"iop", "php"}),
                                  remedies=("sober_living",), escalation_level="residential")],
        scores=[Score("audit", name="AUDIT-C", bands=(
            ScoreBand(0, 3, label="lower"),
            ScoreBand(4, 5, label="risky", flags=frozenset({"risky_drinking"})),
            ScoreBand(6, 8, label="high", min_level="outpatient",
                      flags=frozenset({"risky_drinking", "withdrawal_risk"})),
        ))],
        rules=[Rule("heavy_daily", when=(at_least("frequency", "daily"),
                                         includes("substances", "alcohol"),
                                         score_at_least("audit", 6)),
                    min_level="php", flags=frozenset({"medical_review"}))],
        flags=[
            Flag(EMERGENCY),
            Flag("withdrawal_risk", note="Do not stop suddenly.", note_kind="safety"),
            Flag("naloxone", note="Carry naloxone.", note_kind="safety"),
            Flag("flexible_schedule", note="Evening programs exist.", note_kind="tip",
                 rank_features=("evening",)),
            Flag("risky_drinking"), Flag("co_occurring"), Flag("medical_review"),
        ],
        extras=[Extra("zip", "zip")],
    )


MILD = {"danger": "no", "substances": ["none"], "frequency": "none", "mental": "no",
        "housing": "yes", "work": "no"}


def run(**changes) -> engine.Recommendation:
    return recommend(small(), {**MILD, **changes})


def reasons(result, code: str) -> list[Reason]:
    return [reason for reason in result.reasons if reason.code == code]


# --------------------------------------------------------------------------- shown when


def test_enable_when_hidden_question_counts_as_its_mildest_option():
    result = recommend(shown_when(), {"use": "no", "after_any": "fine"})
    assert "amount" not in result.shown
    # "little" (1 point, a flag) is what the hidden question counts as.
    assert result.points == 1
    assert result.band_level == "outpatient"
    assert "cut_down_tips" in result.flags
    # A later question that depends on it sees its mildest answer, too.
    assert result.shown == ("use", "after_any")


def test_enable_when_hidden_multiple_choice_counts_as_nothing_ticked():
    questionnaire = build(
        ask("gate", opt("no"), opt("yes")),
        replace(SUBSTANCES, enable_when=(at_least("gate", "yes"),)),
        ask("drinking", opt("no"), opt("yes"), when=[includes("substances", "alcohol")]),
        ask("anything", opt("no"), opt("yes"), when=[at_least("substances", "alcohol")]),
    )
    result = recommend(questionnaire, {"gate": "no", "substances": ["alcohol"]})
    assert result.shown == ("gate",)


def test_enable_when_shown_question_counts_its_answer():
    result = recommend(shown_when(), {"use": "yes", "amount": "lots", "after_any": "fine",
                                      "after_lots": "fine"})
    assert result.shown == ("use", "amount", "after_any", "after_lots")
    assert result.points == 3
    assert result.level == "iop"
    assert "cut_down_tips" not in result.flags


def test_hidden_question_answer_is_ignored_even_if_invalid():
    questionnaire = shown_when()
    expected = recommend(questionnaire, {"use": "no", "after_any": "fine"})
    for answer in ("lots", "not-an-answer", ["little", "lots"], [], 42, None):
        given = {"use": "no", "amount": answer, "after_any": "fine",
                 "after_lots": "not-an-answer"}
        assert recommend(questionnaire, given) == expected, answer
    # Not even a question that depends on it sees the hidden answer.
    assert "after_lots" not in recommend(questionnaire, {"use": "no", "amount": "lots",
                                                         "after_any": "fine"}).shown
    assert normalise_answers(questionnaire, {"use": "no", "amount": "bogus",
                                             "after_any": "fine"}) == {
        "use": ("no",), "after_any": ("fine",)}


def test_shown_questions_never_uses_a_hidden_answer():
    # Raw answers, as a step page has them: "amount" is hidden, so "lots" must not show
    # "after_lots", while its mildest answer shows "after_any".
    raw = {"use": ("no",), "amount": ("lots",)}
    shown = engine.shown_questions(shown_when(), raw)
    assert [question.key for question in shown] == ["use", "after_any"]
    assert engine.is_shown(shown_when(), AFTER_LOTS, {"use": ("no",)}) is False
    assert engine.is_shown(shown_when(), AFTER_ANY, {}) is True


def test_shown_question_answer_is_checked():
    with pytest.raises(AnswerError) as caught:
        recommend(shown_when(), {"use": "yes", "amount": "not-an-answer", "after_any": "fine"})
    assert caught.value.code == "unknown_value"
    assert caught.value.key == "amount"


def test_hidden_question_not_required():
    recommend(shown_when(), {"use": "no", "after_any": "fine"})  # no error
    with pytest.raises(AnswerError) as caught:
        recommend(shown_when(), {"use": "yes", "after_any": "fine"})
    assert caught.value.code == "missing"
    assert caught.value.key == "amount"


def test_includes_any_on_multiple_holds_when_any_value_is_ticked():
    questionnaire = build(
        SUBSTANCES,
        ask("about_use", opt("no"), opt("yes"), when=[includes("substances", "alcohol",
                                                               "opioids")]),
    )
    clause = includes("substances", "alcohol", "opioids")
    for answer, holds in [
        (["alcohol"], True), (["opioids"], True), (["cannabis", "opioids"], True),
        (["cannabis"], False), (["none"], False),
    ]:
        assert clause_holds(questionnaire, clause, {"substances": tuple(answer)}) is holds
        result = recommend(questionnaire, {"substances": answer, "about_use": "no"})
        assert ("about_use" in result.shown) is holds, answer
    assert clause_holds(questionnaire, clause, {}) is False  # nothing ticked


def test_at_least_on_single_holds_from_that_option_up():
    questionnaire = build(ask("often", opt("never"), opt("monthly"), opt("weekly"),
                              opt("daily")))
    clause = at_least("often", "weekly")
    holds = [clause_holds(questionnaire, clause, {"often": (value,)})
             for value in ("never", "monthly", "weekly", "daily")]
    assert holds == [False, False, True, True]
    assert clause_holds(questionnaire, clause, {}) is False  # counts as "never"
    assert clause_holds(questionnaire, at_least("often", "never"), {}) is True


def test_at_least_on_multiple_holds_when_any_ticked_option_is_that_or_later():
    questionnaire = build(SUBSTANCES)
    clause = at_least("substances", "opioids")
    for answer, holds in [
        (("alcohol",), False), (("opioids",), True), (("cannabis",), True),
        (("alcohol", "cannabis"), True), (("none",), False), ((), False),
    ]:
        assert clause_holds(questionnaire, clause, {"substances": answer}) is holds, answer


# --------------------------------------------------------------------------- scores


def test_score_sums_items_and_does_not_add_to_severity_points():
    result = run(substances=["alcohol"], drinks="d3", binge="b2",
                 frequency="weekly")
    (audit,) = result.scores
    assert (audit.key, audit.points, audit.max_points) == ("audit", 5, 8)
    assert result.points == 2  # frequency only
    assert result.band_level == "outpatient"
    assert result.as_dict()["scores"] == {"audit": 5}


def test_score_with_every_item_hidden_is_not_shown():
    result = run()
    assert result.scores == ()
    assert "drinks" not in result.shown


def test_score_item_answer_gives_no_reason_of_its_own():
    result = run(substances=["alcohol"], drinks="d2", binge="b1")
    assert [r for r in result.reasons if r.question in ("drinks", "binge")] == []


def test_score_band_sets_flags_and_min_level():
    result = run(substances=["alcohol"], drinks="d4", binge="b2")
    (audit,) = result.scores
    assert audit.points == 6 and audit.band == 2
    assert result.level == "outpatient"
    assert result.band_level == "self_help"
    assert {"risky_drinking", "withdrawal_risk"} <= set(result.flags)


@pytest.mark.parametrize(("drinks", "binge", "band", "flags", "level"), [
    ("d3", "b0", 0, set(), "self_help"),                                  # 3: top of 0-3
    ("d4", "b0", 1, {"risky_drinking"}, "self_help"),                     # 4: bottom of 4-5
    ("d4", "b1", 1, {"risky_drinking"}, "self_help"),                     # 5: top of 4-5
    ("d3", "b3", 2, {"risky_drinking", "withdrawal_risk"}, "outpatient"),  # 6: bottom of 6-8
    ("d4", "b4", 2, {"risky_drinking", "withdrawal_risk"}, "outpatient"),  # 8: top of 6-8
])
def test_score_band_edges_both_edges_belong_to_the_band(drinks, binge, band, flags, level):
    result = run(substances=["alcohol"], drinks=drinks, binge=binge)
    assert result.scores[0].band == band
    assert set(result.flags) & {"risky_drinking", "withdrawal_risk"} == flags
    assert result.level == level


# --------------------------------------------------------------------------- rules


def test_rule_fires_only_when_all_clauses_hold():
    heavy = {"substances": ["alcohol"], "drinks": "d4", "binge": "b2", "frequency": "daily"}
    result = run(**heavy)
    assert result.rules == ("heavy_daily",)
    assert result.level == "php"
    assert "medical_review" in result.flags
    # Take a clause away and it does not fire.
    for change in ({"frequency": "weekly"},
                   {"substances": ["alcohol", "cannabis"], "binge": "b1"},
                   {"substances": ["cannabis"]}):
        result = run(**{**heavy, **change})
        assert result.rules == (), change
        assert result.level != "php"
        assert "medical_review" not in result.flags


def test_rule_crisis_and_emergency():
    questionnaire = build(
        ask("pregnant", opt("no"), opt("yes")),
        ask("overdose", opt("no"), opt("yes", flags={EMERGENCY})),  # the flag alone: no crisis
        rules=[
            Rule("crisis_only", when=(at_least("pregnant", "yes"),), crisis=True),
            Rule("emergency", when=(at_least("pregnant", "yes"), at_least("overdose", "yes")),
                 crisis=True, flags=frozenset({EMERGENCY})),
        ],
    )
    plain = recommend(questionnaire, {"pregnant": "no", "overdose": "yes"})
    assert (plain.crisis, plain.emergency) == (False, False)
    crisis = recommend(questionnaire, {"pregnant": "yes", "overdose": "no"})
    assert (crisis.crisis, crisis.emergency, crisis.rules) == (True, False, ("crisis_only",))
    both = recommend(questionnaire, {"pregnant": "yes", "overdose": "yes"})
    assert (both.crisis, both.emergency) == (True, True)
    assert both.rules == ("crisis_only", "emergency")


def test_rule_without_crisis_does_not_make_its_emergency_flag_an_emergency():
    questionnaire = build(
        ask("a", opt("no"), opt("yes")),
        rules=[Rule("flag_only", when=(at_least("a", "yes"),), flags=frozenset({EMERGENCY}))],
    )
    result = recommend(questionnaire, {"a": "yes"})
    assert EMERGENCY in result.flags
    assert (result.crisis, result.emergency) == (False, False)


def test_rule_min_level_raises_the_level():
    result = run(substances=["alcohol"], drinks="d4", binge="b4", frequency="daily")
    assert result.band_level == "iop"
    assert result.level == "php"
    (rule,) = reasons(result, "rule")
    assert rule.decisive


def test_rule_min_level_never_lowers_the_level():
    result = run(substances=["alcohol"], drinks="d4", binge="b4", frequency="daily",
                 danger="thoughts", mental="hard", housing="no")
    assert result.rules == ("heavy_daily",)
    assert result.level == "residential"  # php from the rule and the answer, then escalated


def test_escalation_still_works_after_a_rule_raises_the_level():
    questionnaire = build(
        ask("home", opt("safe", requirement="home", requirement_status="met"),
            opt("unsafe", requirement="home", requirement_status="unmet")),
        ask("medical", opt("no"), opt("yes")),
        requirements=[Requirement("home", "Safe home", frozenset({"iop", "php"}),
                                  escalation_level="residential")],
        rules=[Rule("medical_iop", when=(at_least("medical", "yes"),), min_level="iop")],
    )
    # Without the rule the level (self_help) is not one the requirement applies to.
    low = recommend(questionnaire, {"home": "unsafe", "medical": "no"})
    assert low.level == "self_help"
    assert [(u.key, u.status, u.escalated) for u in low.unmet_requirements] == [
        ("home", "unmet", False)]
    high = recommend(questionnaire, {"home": "unsafe", "medical": "yes"})
    assert high.rules == ("medical_iop",)
    assert high.level == "residential"
    assert high.next_step == "iop"
    assert [(u.key, u.escalated) for u in high.unmet_requirements] == [("home", True)]


def test_escalation_repeats_until_nothing_changes():
    # Listed so that one pass is not enough: "home" applies only once "ride" has raised the
    # level to iop.
    questionnaire = build(
        ask("need", opt("some", min_level="outpatient")),
        ask("home", opt("safe", requirement="home", requirement_status="met"),
            opt("unsafe", requirement="home", requirement_status="unmet")),
        ask("ride", opt("yes", requirement="ride", requirement_status="met"),
            opt("no", requirement="ride", requirement_status="unmet")),
        requirements=[
            Requirement("home", "Safe home", frozenset({"iop", "php"}),
                        escalation_level="residential"),
            Requirement("ride", "Transport", frozenset({"outpatient"}), escalation_level="iop"),
        ],
    )
    result = recommend(questionnaire, {"need": "some", "home": "unsafe", "ride": "no"})
    assert result.level == "residential"
    assert [(r.requirement, r.level, r.decisive) for r in reasons(result, "escalation")] == [
        ("ride", "iop", False), ("home", "residential", True)]
    assert [(u.key, u.escalated) for u in result.unmet_requirements] == [
        ("home", True), ("ride", True)]
    only_ride = recommend(questionnaire, {"need": "some", "home": "safe", "ride": "no"})
    assert only_ride.level == "iop"


# --------------------------------------------------------------------------- notes and tips


def test_notes_and_tips_follow_the_flag_order_and_kind():
    flags = [
        Flag("zeta_tip", note="A tip.", note_kind="tip"),
        Flag("zulu_safety", note="Stay safe.", note_kind="safety"),
        Flag("alpha_safety", note="Careful.", note_kind="safety"),
        Flag("beta_safety_without_note", note="", note_kind="safety"),
        Flag("alpha_tip", note="Another tip.", note_kind="tip"),
        Flag("gamma_plain", note="Words but no kind."),
        Flag("unused_safety", note="Not set.", note_kind="safety"),
    ]
    questionnaire = build(
        ask("a", opt("no"), opt("yes", flags={"alpha_tip", "alpha_safety", "gamma_plain"})),
        ask("b", opt("no"), opt("yes", flags={"zulu_safety", "zeta_tip",
                                              "beta_safety_without_note"})),
        flags=flags,
    )
    result = recommend(questionnaire, {"a": "yes", "b": "yes"})
    assert result.flags == tuple(sorted(result.flags))  # the flags themselves: sorted
    assert result.notes == ("zulu_safety", "alpha_safety")
    assert result.tips == ("zeta_tip", "alpha_tip")
    assert result.as_dict()["notes"] == ["zulu_safety", "alpha_safety"]
    assert recommend(questionnaire, {"a": "no", "b": "no"}).notes == ()


def test_notes_need_a_flag_list():
    questionnaire = build(ask("a", opt("no"), opt("yes", flags={"anything"})))
    result = recommend(questionnaire, {"a": "yes"})
    assert result.flags == ("anything",)
    assert (result.notes, result.tips) == ((), ())


# --------------------------------------------------------------------------- reasons


def test_reason_crisis_names_the_answer_level_and_emergency():
    (reason,) = reasons(run(danger="plan"), "crisis")
    assert reason.as_dict() == {
        "code": "crisis", "question": "danger", "answer": "plan", "level": "outpatient",
        "flags": ["co_occurring", "emergency"], "emergency": True, "decisive": True,
    }
    (reason,) = reasons(run(danger="thoughts"), "crisis")
    assert reason.emergency is False
    assert "emergency" not in reason.as_dict()


def test_reason_min_level_names_the_answer_and_level():
    (reason,) = reasons(run(mental="hard"), "min_level")
    assert reason.as_dict() == {
        "code": "min_level", "question": "mental", "answer": "hard", "level": "php",
        "flags": ["co_occurring"], "decisive": True,
    }


def test_reason_points_names_the_answer_and_points():
    (reason,) = reasons(run(frequency="weekly"), "points")
    assert reason.as_dict() == {"code": "points", "question": "frequency", "answer": "weekly",
                                "points": 2}


def test_reason_requirement_names_the_requirement_and_status():
    (reason,) = reasons(run(housing="could_move"), "requirement")
    assert reason.as_dict() == {"code": "requirement", "question": "housing",
                                "answer": "could_move", "requirement": "housing",
                                "status": "addressable"}
    assert reasons(run(housing="yes"), "requirement") == []  # met moves nothing


def test_reason_flag_names_the_answer_and_flags():
    (reason,) = reasons(run(work="yes"), "flag")
    assert reason.as_dict() == {"code": "flag", "question": "work", "answer": "yes",
                                "flags": ["flexible_schedule"]}
    (reason,) = reasons(run(substances=["opioids", "cannabis"]), "flag")
    assert (reason.question, reason.answer, reason.flags) == ("substances", "opioids",
                                                              ("naloxone",))


def test_reason_score_names_the_score_points_level_and_flags():
    result = run(substances=["alcohol"], drinks="d4", binge="b3")
    (reason,) = reasons(result, "score")
    assert reason.as_dict() == {"code": "score", "score": "audit", "points": 7,
                                "level": "outpatient",
                                "flags": ["risky_drinking", "withdrawal_risk"],
                                "decisive": True}
    (reason,) = reasons(run(substances=["alcohol"], drinks="d4", binge="b0"), "score")
    assert reason.as_dict() == {"code": "score", "score": "audit", "points": 4,
                                "flags": ["risky_drinking"]}
    assert reasons(run(substances=["alcohol"], drinks="d1", binge="b0"), "score") == []


def test_reason_rule_names_the_rule_level_and_flags():
    result = run(substances=["alcohol"], drinks="d4", binge="b2", frequency="daily")
    (reason,) = reasons(result, "rule")
    assert reason.as_dict() == {"code": "rule", "rule": "heavy_daily", "level": "php",
                                "flags": ["medical_review"], "decisive": True}


def test_reason_rule_carries_emergency():
    questionnaire = build(
        ask("a", opt("no"), opt("yes")),
        rules=[Rule("urgent", when=(at_least("a", "yes"),), crisis=True,
                    flags=frozenset({EMERGENCY}))],
    )
    (reason,) = recommend(questionnaire, {"a": "yes"}).reasons
    assert reason.as_dict() == {"code": "rule", "rule": "urgent", "flags": ["emergency"],
                                "emergency": True}


def test_reason_escalation_names_the_requirement_answer_and_level():
    result = run(mental="hard", housing="no")
    (reason,) = reasons(result, "escalation")
    assert reason.as_dict() == {"code": "escalation", "question": "housing", "answer": "no",
                                "level": "residential", "requirement": "housing",
                                "decisive": True}
    # The minimum it raised is no longer decisive.
    (floor,) = reasons(result, "min_level")
    assert not floor.decisive


def test_decisive_is_set_on_every_reason_that_sets_the_final_level():
    result = run(danger="thoughts", mental="hard", substances=["alcohol"], drinks="d4",
                 binge="b4", frequency="daily")
    assert result.level == "php"
    assert {(r.code, r.decisive) for r in result.reasons} == {
        ("crisis", False),      # outpatient
        ("min_level", True),    # php
        ("points", False),
        ("score", False),       # outpatient
        ("rule", True),         # php
    }


def test_decisive_is_set_on_no_reason_when_the_bands_alone_set_the_level():
    result = run(frequency="daily", work="yes")
    assert result.level == result.band_level == "iop"
    assert result.reasons and not any(r.decisive for r in result.reasons)


def test_reasons_are_codes_with_plain_parameters():
    result = run(danger="plan", substances=["alcohol", "opioids"], drinks="d4", binge="b4",
                 frequency="daily", mental="hard", housing="no", work="yes")
    codes = {reason.code for reason in result.reasons}
    assert codes == {"crisis", "min_level", "points", "requirement", "flag", "score", "rule",
                     "escalation"}
    document = result.as_dict()
    assert json.loads(json.dumps(document)) == document
    for item in document["reasons"]:
        assert all(isinstance(v, (str, int, bool, list)) for v in item.values())


# --------------------------------------------------------------------------- answer errors


@pytest.mark.parametrize(("changes", "code", "key"), [
    ({"danger": None}, "missing", "danger"),
    ({"nonsense": "yes"}, "unknown_question", "nonsense"),
    ({"frequency": "hourly"}, "unknown_value", "frequency"),
    ({"frequency": 4}, "unknown_value", "frequency"),
    ({"frequency": ["weekly", 4]}, "unknown_value", "frequency"),
    ({"frequency": ["weekly", "daily"]}, "not_multiple", "frequency"),
    ({"substances": []}, "empty", "substances"),
    ({"frequency": ""}, "empty", "frequency"),
    ({"substances": ["none", "alcohol"]}, "exclusive", "substances"),
])
def test_answer_error_codes(changes, code, key):
    answers = {key: value for key, value in {**MILD, **changes}.items() if value is not None}
    with pytest.raises(AnswerError) as caught:
        recommend(small(), answers)
    assert caught.value.code == code
    assert caught.value.key == key
    assert code in engine.ANSWER_ERROR_CODES


def test_answer_error_refuses_an_unknown_code():
    with pytest.raises(ValueError, match="Unknown AnswerError code"):
        AnswerError("x", code="surprise")


def test_answers_accept_extras_and_duplicates():
    result = run(zip="12345", substances=["opioids", "alcohol", "opioids"], drinks="d0",
                 binge="b0")
    assert "drinks" in result.shown
    assert normalise_answers(small(), {**MILD, "substances": ["opioids", "alcohol",
                                                              "opioids"], "drinks": "d0",
                                       "binge": "b0"})["substances"] == ("alcohol", "opioids")


# --------------------------------------------------------------------------- document errors


def _rule_document(*clauses: dict) -> dict:
    document = small().to_dict()
    document["rules"] = [{"key": "r", "when": list(clauses), "min_level": "php"}]
    return document


@pytest.mark.parametrize(("document", "message"), [
    pytest.param(["not", "an", "object"], "must be a JSON object, not list", id="not-object"),
    pytest.param("text", "must be a JSON object, not str", id="not-object-text"),
    pytest.param({**small().to_dict(), "format": "fhir/Questionnaire"},
                 "not a questionnaire document (format 'fhir/Questionnaire')", id="format"),
    pytest.param({**small().to_dict(), "format_version": 99}, "format version 99 is not "
                 "supported", id="format-version"),
    pytest.param(_rule_document({"question": "danger", "at_least": "plan", "unless": "no"}),
                 "a clause of rule 'r' has 'unless'", id="unknown-clause-key"),
    pytest.param(_rule_document({"question": "danger", "at_least": "plan",
                                 "includes_any": ["plan"]}),
                 "needs exactly one of 'at_least' or 'includes_any'", id="both"),
    pytest.param(_rule_document({"question": "danger"}),
                 "needs exactly one of 'at_least' or 'includes_any'", id="neither"),
    pytest.param(_rule_document({"question": "substances", "includes_any": []}),
                 "has an empty 'includes_any'", id="empty-includes-any"),
    pytest.param(_rule_document({"score": "audit", "at_least": "6"}),
                 "'at_least' must be a whole number, not '6'", id="score-threshold-text"),
    pytest.param(_rule_document({"score": "audit", "at_least": True}),
                 "'at_least' must be a whole number, not True", id="score-threshold-bool"),
    pytest.param(_rule_document({"score": "audit", "question": "danger", "at_least": 6}),
                 "mixes a score with a question", id="score-and-question"),
    pytest.param({key: value for key, value in small().to_dict().items() if key != "questions"},
                 "the questionnaire has no 'questions'", id="no-questions"),
])
def test_from_dict_errors_are_questionnaire_errors_with_a_clear_message(document, message):
    with pytest.raises(QuestionnaireError) as caught:
        Questionnaire.from_dict(document)
    assert message in str(caught.value)


def test_from_dict_error_names_the_question():
    document = small().to_dict()
    document["questions"][3]["enable_when"] = [{"question": "substances", "includes": ["x"]}]
    with pytest.raises(QuestionnaireError, match="shown-when clause of question 'binge'"):
        Questionnaire.from_dict(document)


def test_from_dict_reads_back_what_to_dict_writes():
    questionnaire = small()
    assert Questionnaire.from_dict(json.loads(json.dumps(questionnaire.to_dict()))) == (
        questionnaire)


# --------------------------------------------------------------------------- consistency checks


def _with_question(questionnaire: Questionnaire, key: str, **changes) -> Questionnaire:
    return replace(questionnaire, questions=tuple(
        replace(q, **changes) if q.key == key else q for q in questionnaire.questions
    ))


def _with_rule(questionnaire: Questionnaire, *clauses: Clause, **effects) -> Questionnaire:
    effects = effects or {"min_level": "php"}
    return replace(questionnaire, rules=(*questionnaire.rules,
                                         Rule("extra_rule", when=clauses, **effects)))


def _with_audit_bands(*bands: ScoreBand) -> Questionnaire:
    questionnaire = small()
    return replace(questionnaire, scores=(replace(questionnaire.scores[0], bands=bands),))


def _option_changed(question: str, value: str, **changes) -> Questionnaire:
    questionnaire = small()
    old = questionnaire.question(question)
    return _with_question(questionnaire, question, options=tuple(
        replace(o, **changes) if o.value == value else o for o in old.options))


CASES = {
    "enable-when-on-a-later-question": (
        lambda: _with_question(small(), "danger", enable_when=(at_least("work", "yes"),)),
        "Question 'danger', shown when: “work ≥ yes”: a question can only be shown depending "
        "on an earlier question."),
    "enable-when-on-itself": (
        lambda: _with_question(small(), "work", enable_when=(at_least("work", "yes"),)),
        "a question can only be shown depending on an earlier question"),
    "enable-when-on-a-score": (
        lambda: _with_question(small(), "work", enable_when=(score_at_least("audit", 4),)),
        "a shown-when condition can only look at an earlier question"),
    "clause-on-unknown-question": (
        lambda: _with_rule(small(), at_least("nowhere", "yes")),
        "Rule 'extra_rule': “nowhere ≥ yes”: there is no question 'nowhere'."),
    "clause-on-unknown-value": (
        lambda: _with_rule(small(), at_least("danger", "maybe")),
        "“danger ≥ maybe”: 'danger' has no answer 'maybe'."),
    "includes-any-unknown-value": (
        lambda: _with_rule(small(), includes("substances", "tea")),
        "'substances' has no answer 'tea'"),
    "clause-on-unknown-score": (
        lambda: _with_rule(small(), score_at_least("phq_9", 3)),
        "“phq_9 ≥ 3”: there is no score 'phq_9'."),
    "negative-score-threshold": (
        lambda: _with_rule(small(), score_at_least("audit", -1)),
        "a score must be compared with a whole number of 0 or more"),
    "single-choice-includes-any-not-a-suffix": (
        lambda: _with_rule(small(), includes("danger", "thoughts")),
        "“danger includes any of thoughts” is not upward-closed: 'danger' takes one answer"),
    "includes-any-exclusive": (
        lambda: _with_rule(small(), includes("substances", "none", "alcohol")),
        "is not upward-closed: 'none' is a “none of these” answer"),
    "exclusive-option-with-effects": (
        lambda: _option_changed("substances", "none", flags=frozenset({"naloxone"})),
        "Option 'none' of 'substances' is a “none of these” answer, so it must not change "
        "the result."),
    "exclusive-on-single-choice": (
        lambda: _option_changed("work", "no", exclusive=True),
        "Option 'no' of 'work' is marked “none of these”, but the question takes one answer "
        "anyway."),
    "score-bands-with-a-gap": (
        lambda: _with_audit_bands(ScoreBand(0, 3), ScoreBand(5, 8)),
        "No band of score 'audit' covers 4 points."),
    "score-bands-overlapping": (
        lambda: _with_audit_bands(ScoreBand(0, 4), ScoreBand(4, 8)),
        "More than one band of score 'audit' covers 4 points."),
    "score-bands-short-of-the-maximum": (
        lambda: _with_audit_bands(ScoreBand(0, 7)),
        "No band of score 'audit' covers 8 points."),
    "score-band-lower-level-than-below": (
        lambda: _with_audit_bands(ScoreBand(0, 3, min_level="iop"),
                                  ScoreBand(4, 8, min_level="outpatient")),
        "Score 'audit', band 4-8 needs a lower level than the band below it"),
    "rule-with-no-clauses": (
        lambda: _with_rule(small()),
        "Rule 'extra_rule' has no clauses; it would apply to everyone."),
    "rule-that-changes-nothing": (
        lambda: _with_rule(small(), at_least("danger", "plan"), crisis=False),
        "Rule 'extra_rule' changes nothing."),
    "unknown-flag": (
        lambda: _option_changed("work", "yes", flags=frozenset({"mystery"})),
        "Option 'yes' of 'work' uses an unknown flag 'mystery'."),
    "unknown-rule-flag": (
        lambda: _with_rule(small(), at_least("danger", "plan"), flags=frozenset({"mystery"})),
        "Rule 'extra_rule' uses an unknown flag 'mystery'."),
    "unknown-rank-feature": (
        lambda: replace(small(), flags=(*small().flags,
                                        Flag("late", rank_features=("midnight",)))),
        "Flag 'late' uses an unknown program feature 'midnight'."),
    "unknown-extra-kind": (
        lambda: replace(small(), extras=(Extra("colour", "paint"),)),
        "Extra question 'colour' has an unknown kind 'paint'"),
}


def test_validate_small_questionnaire_is_consistent():
    assert validate_questionnaire(small()) == []


@pytest.mark.parametrize("name", CASES)
def test_validate_questionnaire_problem(name):
    make, message = CASES[name]
    assert message in problems_of(make())


def test_validate_unknown_flag_is_fine_without_a_flag_list():
    questionnaire = replace(_option_changed("work", "yes", flags=frozenset({"mystery"})),
                            flags=())
    assert validate_questionnaire(questionnaire) == []


def test_check_clause_accepts_a_single_choice_suffix_in_any_order():
    assert check_clause(small(), includes("danger", "plan", "thoughts")) == []
    assert check_clause(small(), includes("danger", "plan")) == []
    assert check_clause(small(), includes("substances", "cannabis", "alcohol")) == []


# --------------------------------------------------------------------------- test cases


HEAVY = {**MILD, "substances": ["alcohol"], "drinks": "d4", "binge": "b4",
         "frequency": "daily"}


def case(**fields) -> TestCase:
    return TestCase(**{"name": "heavy daily drinking", "answers": HEAVY,
                       "expected_level": "php", **fields})


def test_testcase_problems_passes():
    assert engine.testcase_problems(small(), case(
        expected_crisis=False, expected_emergency=False,
        expected_flags=frozenset({"medical_review", "withdrawal_risk"}),
    )) == []
    assert engine.testcase_problems(small(), case(expected_emergency=None)) == []


@pytest.mark.parametrize(("fields", "problems"), [
    ({"expected_level": "iop"}, ["expected level iop, got php"]),
    ({"expected_crisis": True}, ["expected crisis True, got False"]),
    ({"expected_emergency": True}, ["expected emergency True, got False"]),
    ({"expected_flags": frozenset({"naloxone", "adolescent", "medical_review"})},
     ["expected flags adolescent, naloxone are missing"]),
    ({"expected_level": "iop", "expected_crisis": True},
     ["expected level iop, got php", "expected crisis True, got False"]),
])
def test_testcase_problems_fails(fields, problems):
    assert engine.testcase_problems(small(), case(**fields)) == problems


def test_testcase_problems_emergency_case():
    answers = {**MILD, "danger": "plan"}
    assert engine.testcase_problems(small(), case(
        answers=answers, expected_level="outpatient", expected_crisis=True,
        expected_emergency=True, expected_flags=frozenset({EMERGENCY}))) == []
    assert engine.testcase_problems(small(), case(
        answers=answers, expected_level="outpatient", expected_crisis=True,
        expected_emergency=False)) == ["expected emergency False, got True"]


@pytest.mark.parametrize("answers", [
    {**MILD, "frequency": "hourly"},
    {**MILD, "unknown": "x"},
    {key: value for key, value in MILD.items() if key != "danger"},
])
def test_testcase_problems_answers_that_do_not_fit(answers):
    (problem,) = engine.testcase_problems(small(), case(answers=answers))
    assert problem.startswith("the answers do not fit this version (")


# --------------------------------------------------------------------------- found by the
# property-test review: inconsistencies the validator must refuse, and hidden minimums


def _one_question(options, requirements=(), multiple=False):
    return Questionnaire(
        version=9, levels=LEVELS,
        questions=(Question(key="q", text="Q", step="s", options=tuple(options),
                            multiple=multiple),),
        requirements=tuple(requirements),
        bands=(Band(0, 100, "self_help"),),
    )


def test_validate_refuses_options_naming_different_requirements():
    requirements = [
        Requirement(key="a", name="A", applies_to=frozenset({"iop", "php"}),
                    escalation_level="residential"),
        Requirement(key="b", name="B", applies_to=frozenset({"iop", "php"})),
    ]
    questionnaire = _one_question([
        Option("x"), Option("m", requirement="a", requirement_status="unmet"),
        Option("n", requirement="b", requirement_status="unmet"),
    ], requirements)
    assert any("more than one requirement" in p for p in validate_questionnaire(questionnaire))


def test_validate_refuses_a_gap_between_applies_to_and_the_escalation_level():
    requirement = Requirement(key="a", name="A", applies_to=frozenset({"outpatient"}),
                              escalation_level="residential")
    questionnaire = _one_question(
        [Option("x"), Option("m", requirement="a", requirement_status="unmet")], [requirement])
    problems = validate_questionnaire(questionnaire)
    assert any("does not apply to 'iop'" in p for p in problems), problems
    fine = _one_question(
        [Option("x"), Option("m", requirement="a", requirement_status="unmet")],
        [Requirement(key="a", name="A", applies_to=frozenset({"iop", "php"}),
                     escalation_level="residential")])
    assert validate_questionnaire(fine) == []


def test_validate_refuses_negative_points():
    questionnaire = _one_question([Option("x", points=-2), Option("y")], multiple=True)
    assert any("negative points" in p for p in validate_questionnaire(questionnaire))


def test_a_hidden_questions_mildest_option_counts_in_full_with_its_minimum_level():
    questionnaire = Questionnaire(
        version=9, levels=LEVELS,
        questions=(
            Question(key="gate", text="G", step="s", options=(Option("no"), Option("yes"))),
            Question(key="later", text="L", step="s",
                     options=(Option("mild", min_level="outpatient"),
                              Option("bad", min_level="php")),
                     enable_when=(Clause(question="gate", at_least="yes"),)),
        ),
        requirements=(), bands=(Band(0, 100, "self_help"),),
    )
    hidden = recommend(questionnaire, {"gate": "no", "later": "bad"})
    assert hidden.shown == ("gate",)
    assert hidden.level == "outpatient"  # "later" counts as "mild", which needs outpatient
    assert hidden.reasons == ()  # but no reason names an answer the person never gave
    assert recommend(questionnaire, {"gate": "yes", "later": "bad"}).level == "php"
