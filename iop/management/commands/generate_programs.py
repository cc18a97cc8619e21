from django.core.management.base import BaseCommand, CommandError

from iop.synthetic import programs_generate, programs_synthetic_delete


class Command(BaseCommand):
    help = (
        "Create N synthetic programs (published, marked synthetic) with locations at real US "
        "ZIP centroids. For benchmarks and tests only."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many programs to create.")
        parser.add_argument("--seed", type=int, default=None, help="Random seed (repeatable).")
        parser.add_argument(
            "--replace", action="store_true", help="Delete earlier synthetic programs first."
        )

    def handle(self, *args, count, seed, replace, **options):
        if count < 0 or count > 1_000_000:
            raise CommandError("N must be between 0 and 1,000,000.")
        if replace:
            deleted = programs_synthetic_delete()
            self.stdout.write(f"Deleted {deleted} synthetic programs.")
        ids = programs_generate(count=count, seed=seed)
        self.stdout.write(self.style.SUCCESS(f"Created {len(ids)} synthetic programs."))
