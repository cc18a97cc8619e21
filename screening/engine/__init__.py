"""The screening engine: pure rules that turn answers into a suggested level of care.

This package must stay free of Django (DESIGN §3, §6 and §6b): plain frozen dataclasses describe
one version of the questionnaire (`model`, with its one serialisable form), `decide` turns a
person's answers into a `Recommendation`, and `checks` lists what is inconsistent in a set of
rules. Standard library only.
"""

from screening.engine.checks import check_clause, check_option_order, validate_questionnaire
from screening.engine.decide import (
    ANSWER_ERROR_CODES,
    AnswerError,
    Reason,
    Recommendation,
    ScoreResult,
    UnmetRequirement,
    band_for,
    clause_holds,
    crisis_of,
    is_shown,
    normalise_answers,
    recommend,
    shown_questions,
)
from screening.engine.model import (
    EMERGENCY,
    EXTRA_KINDS,
    FORMAT,
    FORMAT_VERSION,
    NOTE_KINDS,
    RANK_FEATURES,
    SEVERITY_ORDER,
    Band,
    Clause,
    Extra,
    ExtraChoice,
    Flag,
    Level,
    Option,
    Question,
    Questionnaire,
    QuestionnaireError,
    Requirement,
    Rule,
    Score,
    ScoreBand,
    Step,
    TestCase,
)


def testcase_problems(
    questionnaire: Questionnaire, case: TestCase, result: Recommendation | None = None
) -> list[str]:
    """What differs between a test case's expectations and what the rules give (empty when it
    passes). Answers the rules cannot screen are one problem carrying the engine's message.
    ``result``: the case's recommendation when the caller already has it."""
    if result is None:
        try:
            result = recommend(questionnaire, case.answers)
        except (AnswerError, QuestionnaireError) as error:
            return [f"the answers do not fit this version ({error})"]
    problems = []
    if result.level != case.expected_level:
        problems.append(f"expected level {case.expected_level}, got {result.level}")
    if result.crisis != case.expected_crisis:
        problems.append(f"expected crisis {case.expected_crisis}, got {result.crisis}")
    if case.expected_emergency is not None and result.emergency != case.expected_emergency:
        problems.append(f"expected emergency {case.expected_emergency}, got {result.emergency}")
    missing = sorted(case.expected_flags - set(result.flags))
    if missing:
        problems.append(f"expected flags {', '.join(missing)} are missing")
    return problems


__all__ = [
    "ANSWER_ERROR_CODES", "EMERGENCY", "EXTRA_KINDS", "FORMAT", "FORMAT_VERSION", "NOTE_KINDS",
    "RANK_FEATURES", "SEVERITY_ORDER", "AnswerError", "Band", "Clause", "Extra", "ExtraChoice",
    "Flag", "Level", "Option", "Question", "Questionnaire", "QuestionnaireError", "Reason",
    "Recommendation", "Requirement", "Rule", "Score", "ScoreBand", "ScoreResult", "Step",
    "TestCase", "UnmetRequirement", "band_for", "check_clause", "check_option_order",
    "clause_holds", "crisis_of", "is_shown", "normalise_answers", "recommend",
    "shown_questions", "testcase_problems", "validate_questionnaire",
]
