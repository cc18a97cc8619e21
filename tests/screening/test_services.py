"""Rule versions: copy to a draft, run the test cases, publish."""

import dataclasses

import pytest
from django.core.exceptions import ValidationError

from screening import default_questionnaire as v1
from screening.models import Option, Questionnaire, ScreeningTestCase, SeverityBand
from screening.rules import live_rules, rules_build
from screening.services import questionnaire_copy, questionnaire_publish

# Imported under another name: pytest would collect a module-level ``testcases_run`` as a test.
from screening.services import testcases_run as run_cases

pytestmark = pytest.mark.django_db


def published_v1() -> Questionnaire:
    return Questionnaire.objects.get(version=v1.VERSION)


def error_codes(error: ValidationError) -> set[str]:
    return {item.code for item in error.error_list}


def test_questionnaire_copy_same_rules_new_draft_version():
    source = published_v1()
    copy = questionnaire_copy(source=source)
    assert copy.version == source.version + 1
    assert copy.status == Questionnaire.Status.DRAFT
    assert copy.published_at is None
    assert copy.based_on == source
    source_rules = rules_build(source).questionnaire
    copy_rules = rules_build(copy).questionnaire
    assert copy_rules.version == source.version + 1
    assert dataclasses.replace(copy_rules, version=source.version) == source_rules


def test_questionnaire_copy_options_point_to_the_copys_requirements():
    copy = questionnaire_copy(source=published_v1())
    options = Option.objects.filter(question__questionnaire=copy, requirement__isnull=False)
    assert options.exists()
    assert set(options.values_list("requirement__questionnaire", flat=True)) == {copy.pk}
    assert copy.steps.count() == len(v1.STEPS)
    assert copy.requirements.count() == len(v1.REQUIREMENTS)
    assert copy.bands.count() == len(v1.BANDS)


def test_questionnaire_copy_takes_the_highest_version_plus_one():
    source = published_v1()
    questionnaire_copy(source=source)
    third = questionnaire_copy(source=source)
    assert third.version == source.version + 2


def test_questionnaire_copy_leaves_the_source_untouched():
    source = published_v1()
    before = rules_build(source).questionnaire
    copy = questionnaire_copy(source=source)
    Option.objects.filter(question__questionnaire=copy, value="daily").update(points=9)
    assert rules_build(source).questionnaire == before


def test_testcases_run_v1_all_pass():
    results = run_cases(questionnaire=published_v1())
    assert len(results) == len(v1.TEST_CASES) == 27
    assert [r.name for r in results if not r.passed] == []
    assert all(r.actual_level == r.expected_level for r in results)


def test_testcases_run_wrong_expectation_fails_with_actual_level():
    ScreeningTestCase.objects.create(
        name="Wrong on purpose", answers=v1.BASE_ANSWERS, expected_level="php",
        expected_crisis=True,
    )
    results = {r.name: r for r in run_cases(questionnaire=published_v1())}
    result = results["Wrong on purpose"]
    assert not result.passed
    assert (result.expected_level, result.actual_level) == ("php", "self_help")
    assert (result.expected_crisis, result.actual_crisis) == (True, False)
    assert result.error == ""


def test_testcases_run_invalid_answers_fail_with_the_message():
    ScreeningTestCase.objects.create(
        name="Unknown key", answers={**v1.BASE_ANSWERS, "mood": "low"}, expected_level="self_help",
    )
    result = next(r for r in run_cases(questionnaire=published_v1()) if r.name == "Unknown key")
    assert not result.passed
    assert result.actual_level is None
    assert "'mood'" in result.error


def test_testcases_run_ignores_inactive_cases():
    ScreeningTestCase.objects.create(
        name="Inactive", answers=v1.BASE_ANSWERS, expected_level="php", is_active=False,
    )
    assert "Inactive" not in {r.name for r in run_cases(questionnaire=published_v1())}


def test_testcases_run_given_cases_only():
    case = ScreeningTestCase.objects.order_by("name").first()
    results = run_cases(questionnaire=published_v1(), cases=[case])
    assert [r.name for r in results] == [case.name]


def test_testcases_run_draft_change_shows_in_results():
    copy = questionnaire_copy(source=published_v1())
    # Make weekly use score like daily use: "Weekly use, no problems" is no longer self-help.
    Option.objects.filter(question__questionnaire=copy, question__key="frequency",
                          value="weekly").update(points=4)
    Option.objects.filter(question__questionnaire=copy, question__key="frequency",
                          value="several_times_a_week").update(points=4)
    failed = {r.name for r in run_cases(questionnaire=copy) if not r.passed}
    assert "Weekly use, no problems" in failed


def test_questionnaire_publish_switches_live_rules():
    assert live_rules().version == v1.VERSION
    copy = questionnaire_copy(source=published_v1())
    published = questionnaire_publish(questionnaire=copy)
    copy.refresh_from_db()
    assert copy.status == Questionnaire.Status.PUBLISHED
    assert copy.published_at is not None
    assert published.pk == copy.pk
    assert live_rules().version == copy.version


def test_questionnaire_publish_already_published_refused():
    with pytest.raises(ValidationError) as caught:
        questionnaire_publish(questionnaire=published_v1())
    assert error_codes(caught.value) == {"already_published"}


def test_questionnaire_publish_failing_test_case_refused_and_named():
    ScreeningTestCase.objects.create(
        name="Expect PHP for no use", answers=v1.BASE_ANSWERS, expected_level="php",
    )
    copy = questionnaire_copy(source=published_v1())
    with pytest.raises(ValidationError) as caught:
        questionnaire_publish(questionnaire=copy)
    assert error_codes(caught.value) == {"test_case_failed"}
    assert any("Expect PHP for no use" in message for message in caught.value.messages)
    copy.refresh_from_db()
    assert copy.status == Questionnaire.Status.DRAFT
    assert live_rules().version == v1.VERSION


def test_questionnaire_publish_invalid_rules_refused():
    copy = questionnaire_copy(source=published_v1())
    SeverityBand.objects.filter(questionnaire=copy, level="php").delete()
    with pytest.raises(ValidationError) as caught:
        questionnaire_publish(questionnaire=copy)
    assert "invalid_rules" in error_codes(caught.value)
    assert any("No band covers 9 points" in message for message in caught.value.messages)
    copy.refresh_from_db()
    assert not copy.is_published


def test_questionnaire_publish_older_draft_than_live_refused():
    source = published_v1()
    older = questionnaire_copy(source=source)
    newer = questionnaire_copy(source=source)
    questionnaire_publish(questionnaire=newer)
    with pytest.raises(ValidationError) as caught:
        questionnaire_publish(questionnaire=older)
    assert error_codes(caught.value) == {"newer_published"}
