"""Delete de-identified screening outcomes older than a number of days.

    python manage.py purge_outcomes                   # older than OUTCOME_RETENTION_DAYS (365)
    python manage.py purge_outcomes --older-than 90
    python manage.py purge_outcomes --older-than 90 --dry-run

Run it daily (cron or a systemd timer); see README "Privacy: what is kept".
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from screening.models import ScreeningOutcome


def _days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        raise CommandError(f"--older-than needs a whole number of days, not {value!r}.") from None
    if days < 0:
        raise CommandError("--older-than cannot be negative.")
    return days


class Command(BaseCommand):
    help = (
        "Delete de-identified screening outcomes older than DAYS days "
        "(default: the OUTCOME_RETENTION_DAYS setting)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", dest="days", metavar="DAYS", type=str, default=None,
            help="Delete outcomes dated more than DAYS days ago.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.OUTCOME_RETENTION_DAYS if days is None else _days(days)
        cutoff = timezone.localdate() - timedelta(days=days)
        old = ScreeningOutcome.objects.filter(date__lt=cutoff)
        if dry_run:
            count = old.count()
            self.stdout.write(f"{count} outcome(s) dated before {cutoff} would be deleted.")
            return
        count, _per_model = old.delete()
        self.stdout.write(f"Deleted {count} outcome(s) dated before {cutoff}.")
