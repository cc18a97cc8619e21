"""Writes for the screening: the de-identified outcome (DESIGN §7) and rule versions
(copy a version to a draft, run the test cases, publish)."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from screening import engine
from screening.documents import document_of, document_save
from screening.engine import Recommendation
from screening.models import Questionnaire, ScreeningOutcome, ScreeningTestCase
from screening.rules import rules_build, rules_cache_clear

logger = logging.getLogger(__name__)


def outcome_record(*, recommendation: Recommendation, version: int) -> int:
    """Store one de-identified outcome: date, questionnaire version, level, crisis and unmet
    requirement keys. Nothing else."""
    fields = {
        "date": timezone.localdate(),
        "questionnaire_version": version,
        "level": recommendation.level,
        "crisis": recommendation.crisis,
        "unmet_requirements": sorted(item.key for item in recommendation.unmet_requirements),
    }
    return ScreeningOutcome.objects.create(**fields).pk


# --------------------------------------------------------------------------- rule versions


@dataclass(frozen=True)
class CaseResult:
    """One screening test case run against one questionnaire version."""

    name: str
    passed: bool
    expected_level: str
    actual_level: str | None
    expected_crisis: bool
    actual_crisis: bool | None
    error: str = ""
    problems: tuple[str, ...] = ()


def case_spec(case: ScreeningTestCase) -> engine.TestCase:
    """A stored test case as the engine's TestCase."""
    return engine.TestCase(
        name=case.name, answers=case.answers, expected_level=case.expected_level,
        expected_crisis=case.expected_crisis, expected_emergency=case.expected_emergency,
        expected_flags=frozenset(case.expected_flags or ()),
    )


def testcases_run(
    *, questionnaire: Questionnaire, cases: Iterable[ScreeningTestCase] | None = None
) -> list[CaseResult]:
    """Run the version's active test cases (or just ``cases``) against ``questionnaire``.

    Answers that this version cannot screen (an unknown question or value, a missing answer)
    and rules the engine cannot apply count as a failure carrying the engine's message.
    """
    if cases is None:
        cases = ScreeningTestCase.objects.filter(
            questionnaire=questionnaire, is_active=True
        ).order_by("name")
    rules = rules_build(questionnaire).questionnaire
    results = []
    for case in cases:
        try:
            recommendation = engine.recommend(rules, case.answers)
        except (engine.AnswerError, engine.QuestionnaireError) as error:
            results.append(CaseResult(
                name=case.name, passed=False, expected_level=case.expected_level,
                actual_level=None, expected_crisis=case.expected_crisis, actual_crisis=None,
                error=str(error),
            ))
            continue
        problems = tuple(engine.testcase_problems(rules, case_spec(case), recommendation))
        results.append(CaseResult(
            name=case.name,
            passed=not problems,
            expected_level=case.expected_level,
            actual_level=recommendation.level,
            expected_crisis=case.expected_crisis,
            actual_crisis=recommendation.crisis,
            problems=problems,
        ))
    return results


def questionnaire_copy(*, source: Questionnaire) -> Questionnaire:
    """A new draft holding a copy of ``source`` (through its document form): steps, questions,
    options, shown-when conditions, requirements, bands, scores, combination rules and test
    cases, with the next free version number."""
    return document_save(
        document_of(source),
        based_on=source,
        notes=_("Copied from version %(version)s.") % {"version": source.version},
    )


def questionnaire_publish(*, questionnaire: Questionnaire, user=None) -> Questionnaire:
    """Publish a draft so the live screening uses it.

    Refuses with a ``ValidationError`` listing every reason (each with its own code) when the
    version is already published, a newer version is already live, the rules are inconsistent
    or an active test case fails.
    """
    with transaction.atomic():
        questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if questionnaire.is_published:
            raise ValidationError(
                _("Version %(version)s is already published."),
                code="already_published", params={"version": questionnaire.version},
            )
        newer = (
            Questionnaire.objects.filter(
                status=Questionnaire.Status.PUBLISHED, version__gt=questionnaire.version
            )
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        errors = []
        if newer is not None:
            errors.append(ValidationError(
                _("Version %(newer)s is already published and newer; publishing version "
                  "%(version)s would not change the live screening."),
                code="newer_published",
                params={"newer": newer, "version": questionnaire.version},
            ))
        try:
            rules = rules_build(questionnaire).questionnaire
        except engine.QuestionnaireError as error:
            raise ValidationError(
                _("Rules problem: %(problem)s"), code="invalid_rules",
                params={"problem": str(error)},
            ) from error
        errors.extend(
            ValidationError(
                _("Rules problem: %(problem)s"), code="invalid_rules", params={"problem": problem}
            )
            for problem in engine.validate_questionnaire(rules)
        )
        for result in testcases_run(questionnaire=questionnaire):
            if result.passed:
                continue
            errors.append(ValidationError(
                _("Test case “%(name)s” fails: %(detail)s"),
                code="test_case_failed",
                params={"name": result.name, "detail": result_detail(result)},
            ))
        if errors:
            raise ValidationError(errors)
        questionnaire.status = Questionnaire.Status.PUBLISHED
        questionnaire.published_at = timezone.now()
        questionnaire.save(update_fields=["status", "published_at"])
        transaction.on_commit(rules_cache_clear)
    rules_cache_clear()
    logger.info(
        "Questionnaire version %s published by %s", questionnaire.version,
        getattr(user, "pk", None),
    )
    return questionnaire


def result_detail(result: CaseResult) -> str:
    """A test case result in words: what was expected and what came out."""
    if result.error:
        return _("the answers do not fit this version (%(error)s)") % {"error": result.error}
    if result.problems:
        return "; ".join(result.problems)
    return _(
        "expected %(expected_level)s%(expected_crisis)s, got %(actual_level)s%(actual_crisis)s"
    ) % {
        "expected_level": result.expected_level,
        "expected_crisis": _(" with crisis") if result.expected_crisis else "",
        "actual_level": result.actual_level,
        "actual_crisis": _(" with crisis") if result.actual_crisis else "",
    }
