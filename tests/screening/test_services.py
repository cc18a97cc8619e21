"""Rule versions: copy to a draft (through the one document form), run a version's own test
cases, publish."""

import dataclasses

import pytest
from django.core.exceptions import ValidationError

from screening.models import (
    Clause,
    Option,
    Questionnaire,
    Rule,
    ScoreBand,
    ScreeningTestCase,
    SeverityBand,
)
from screening.rules import live_rules, rules_build
from screening.services import questionnaire_copy, questionnaire_publish

# Imported under another name: pytest would collect a module-level ``testcases_run`` as a test.
from screening.services import testcases_run as run_cases
from tests.screening.helpers import V2, v2_answers

pytestmark = pytest.mark.django_db


def published(version: int = 2) -> Questionnaire:
    return Questionnaire.objects.get(version=version)


def error_codes(error: ValidationError) -> set[str]:
    return {item.code for item in error.error_list}


@pytest.mark.parametrize("version", [1, 2])
def test_questionnaire_copy_same_rules_new_draft_version(version):
    source = published(version)
    copy = questionnaire_copy(source=source)
    assert copy.version == 3  # the highest version plus one
    assert copy.status == Questionnaire.Status.DRAFT
    assert copy.published_at is None
    assert copy.based_on == source
    source_rules = rules_build(source).questionnaire
    copy_rules = rules_build(copy).questionnaire
    assert copy_rules.version == 3
    assert dataclasses.replace(copy_rules, version=source.version) == source_rules
    assert copy_rules.test_cases == source_rules.test_cases
    assert copy.test_cases.count() == source.test_cases.count()


def test_questionnaire_copy_rows_point_inside_the_copy():
    copy = questionnaire_copy(source=published())
    options = Option.objects.filter(question__questionnaire=copy, requirement__isnull=False)
    assert options.exists()
    assert set(options.values_list("requirement__questionnaire", flat=True)) == {copy.pk}
    clauses = Clause.objects.filter(rule__questionnaire=copy)
    assert clauses.exists()
    assert set(clauses.exclude(question=None).values_list(
        "question__questionnaire", flat=True)) == {copy.pk}
    assert set(clauses.exclude(score=None).values_list(
        "score__questionnaire", flat=True)) <= {copy.pk}
    shown = Clause.objects.filter(shown_question__questionnaire=copy)
    assert set(shown.values_list("question__questionnaire", flat=True)) == {copy.pk}
    assert copy.steps.count() == len(V2.steps)
    assert copy.requirements.count() == len(V2.requirements)
    assert copy.bands.count() == len(V2.bands)
    assert ScoreBand.objects.filter(score__questionnaire=copy).count() == sum(
        len(score.bands) for score in V2.scores)


def test_questionnaire_copy_leaves_the_source_untouched():
    source = published()
    before = rules_build(source).questionnaire
    copy = questionnaire_copy(source=source)
    Option.objects.filter(question__questionnaire=copy, value="daily").update(points=9)
    Rule.objects.filter(questionnaire=copy).delete()
    assert rules_build(source).questionnaire == before


def test_testcases_run_v1_and_v2_all_pass():
    for version, at_least in ((1, 27), (2, 40)):
        results = run_cases(questionnaire=published(version))
        assert len(results) >= at_least
        assert [r.name for r in results if not r.passed] == []
        assert all(r.actual_level == r.expected_level for r in results)


def test_testcases_run_only_the_versions_own_cases():
    v1_names = set(published(1).test_cases.values_list("name", flat=True))
    v2_names = {r.name for r in run_cases(questionnaire=published(2))}
    assert v2_names == set(published(2).test_cases.values_list("name", flat=True))
    assert not v1_names & v2_names or all(
        ScreeningTestCase.objects.filter(name=name).count() == 2 for name in v1_names & v2_names
    )


def _draft_case(draft, **fields):
    defaults = {"answers": v2_answers(), "expected_level": "self_help"}
    return ScreeningTestCase.objects.create(questionnaire=draft, **{**defaults, **fields})


def test_testcases_run_wrong_expectation_fails_with_actual_level():
    draft = questionnaire_copy(source=published())
    _draft_case(draft, name="Wrong on purpose", expected_level="php", expected_crisis=True)
    results = {r.name: r for r in run_cases(questionnaire=draft)}
    result = results["Wrong on purpose"]
    assert not result.passed
    assert (result.expected_level, result.actual_level) == ("php", "self_help")
    assert (result.expected_crisis, result.actual_crisis) == (True, False)
    assert result.error == ""


def test_testcases_run_checks_emergency_and_flags():
    draft = questionnaire_copy(source=published())
    _draft_case(draft, name="Flags", expected_flags=["naloxone"], expected_emergency=True)
    result = next(r for r in run_cases(questionnaire=draft) if r.name == "Flags")
    assert not result.passed
    assert any("naloxone" in problem for problem in result.problems)
    assert any("emergency" in problem for problem in result.problems)


def test_testcases_run_invalid_answers_fail_with_the_message():
    draft = questionnaire_copy(source=published())
    _draft_case(draft, name="Unknown key", answers={**v2_answers(), "mood": "low"})
    result = next(r for r in run_cases(questionnaire=draft) if r.name == "Unknown key")
    assert not result.passed
    assert result.actual_level is None
    assert "'mood'" in result.error


def test_testcases_run_ignores_inactive_cases():
    draft = questionnaire_copy(source=published())
    _draft_case(draft, name="Inactive", expected_level="php", is_active=False)
    assert "Inactive" not in {r.name for r in run_cases(questionnaire=draft)}


def test_testcases_run_given_cases_only():
    case = ScreeningTestCase.objects.filter(questionnaire__version=2).order_by("name").first()
    results = run_cases(questionnaire=published(), cases=[case])
    assert [r.name for r in results] == [case.name]


def test_testcases_run_draft_change_shows_in_results():
    copy = questionnaire_copy(source=published())
    # Psychosis in the past month no longer needing PHP must fail its shipped cases.
    Option.objects.filter(question__questionnaire=copy, question__key="psychosis",
                          value="past_month").update(min_level="")
    failed = {r.name for r in run_cases(questionnaire=copy) if not r.passed}
    assert failed
    assert all(
        case.answers.get("psychosis") == "past_month"
        for case in ScreeningTestCase.objects.filter(questionnaire=copy, name__in=failed)
    )


def test_questionnaire_publish_switches_live_rules():
    assert live_rules().version == 2
    copy = questionnaire_copy(source=published())
    result = questionnaire_publish(questionnaire=copy)
    copy.refresh_from_db()
    assert copy.status == Questionnaire.Status.PUBLISHED
    assert copy.published_at is not None
    assert result.pk == copy.pk
    assert live_rules().version == copy.version


def test_questionnaire_publish_already_published_refused():
    with pytest.raises(ValidationError) as caught:
        questionnaire_publish(questionnaire=published(1))
    assert error_codes(caught.value) == {"already_published"}


def test_questionnaire_publish_failing_test_case_refused_and_named():
    copy = questionnaire_copy(source=published())
    _draft_case(copy, name="Expect PHP for no use", expected_level="php")
    with pytest.raises(ValidationError) as caught:
        questionnaire_publish(questionnaire=copy)
    assert error_codes(caught.value) == {"test_case_failed"}
    assert any("Expect PHP for no use" in message for message in caught.value.messages)
    copy.refresh_from_db()
    assert copy.status == Questionnaire.Status.DRAFT
    assert live_rules().version == 2


def test_questionnaire_publish_invalid_rules_refused():
    copy = questionnaire_copy(source=published())
    SeverityBand.objects.filter(questionnaire=copy, level="php").delete()
    with pytest.raises(ValidationError) as caught:
        questionnaire_publish(questionnaire=copy)
    assert "invalid_rules" in error_codes(caught.value)
    assert any("No band covers 9 points" in message for message in caught.value.messages)
    copy.refresh_from_db()
    assert not copy.is_published


def test_questionnaire_publish_refuses_a_clause_that_is_not_upward_closed():
    copy = questionnaire_copy(source=published())
    clause = Clause.objects.filter(rule__questionnaire=copy, kind="at_least").first()
    question = clause.question
    first = question.options.order_by("order").first()
    Clause.objects.filter(pk=clause.pk).update(kind="includes_any", values=first.value)
    with pytest.raises(ValidationError) as caught:
        questionnaire_publish(questionnaire=copy)
    assert any("not upward-closed" in message for message in caught.value.messages)


def test_questionnaire_publish_older_draft_than_live_refused():
    source = published()
    older = questionnaire_copy(source=source)
    newer = questionnaire_copy(source=source)
    questionnaire_publish(questionnaire=newer)
    with pytest.raises(ValidationError) as caught:
        questionnaire_publish(questionnaire=older)
    assert error_codes(caught.value) == {"newer_published"}
