"""Writes for problem reports: taking one from the public, resolving it as staff."""

import re

from django.db import transaction
from django.utils import timezone

from iop.models import Program
from reports.models import NOTE_MAX_LENGTH, ListingReport

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def note_clean(value: str) -> str:
    """A typed note as stored: no control characters, no trailing spaces, at most
    NOTE_MAX_LENGTH characters, at most two blank lines in a row."""
    value = _CONTROL.sub("", value or "").replace("\r\n", "\n").replace("\r", "\n")
    value = re.sub(r"\n{3,}", "\n\n", value).strip()
    return value[:NOTE_MAX_LENGTH]


def report_create(*, program: Program, kind: str, note: str = "") -> ListingReport:
    return ListingReport.objects.create(program=program, kind=kind, note=note_clean(note))


@transaction.atomic
def report_resolve(*, report: ListingReport, resolution: str, user=None,
                   staff_note: str | None = None) -> bool:
    """Resolve one report. With "checked", the program's last_verified becomes today (saved
    through the model, so the change lands in the program's audit history).

    Returns False when the report was already resolved (nothing changes then).
    """
    if not report.is_open:
        return False
    report.status = ListingReport.Status.RESOLVED
    report.resolution = resolution
    report.resolved_at = timezone.now()
    report.resolved_by = user if getattr(user, "is_authenticated", False) else None
    if staff_note is not None:
        report.staff_note = staff_note
    report.save()
    if resolution == ListingReport.Resolution.CHECKED:
        program = report.program
        today = timezone.localdate()
        if program.last_verified != today:
            program.last_verified = today
            program.save(update_fields=["last_verified", "updated_at"])
    return True
