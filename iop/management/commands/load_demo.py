from django.core.management.base import BaseCommand

from iop.demo import demo_programs_load


class Command(BaseCommand):
    help = "Create or update the fictional demo programs (safe to run again)."

    def handle(self, *args, **options):
        created, updated, unchanged = demo_programs_load()
        self.stdout.write(self.style.SUCCESS(
            f"Demo programs: {created} created, {updated} updated, {unchanged} unchanged."
        ))
