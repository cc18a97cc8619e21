"""Writes for the screening: only the de-identified outcome (DESIGN §7)."""

from django.utils import timezone

from screening.engine import Recommendation
from screening.models import ScreeningOutcome


def outcome_record(
    *, recommendation: Recommendation, version: int, outcome_id: int | None = None
) -> int:
    """Store (or update, when the same person changes an answer) one de-identified outcome:
    date, questionnaire version, level, crisis and unmet requirement keys. Nothing else."""
    fields = {
        "date": timezone.localdate(),
        "questionnaire_version": version,
        "level": recommendation.level,
        "crisis": recommendation.crisis,
        "unmet_requirements": sorted(item.key for item in recommendation.unmet_requirements),
    }
    if outcome_id is not None and isinstance(outcome_id, int):
        if ScreeningOutcome.objects.filter(pk=outcome_id).update(**fields):
            return outcome_id
    return ScreeningOutcome.objects.create(**fields).pk
