"""``manage.py import_hsds PATH``: load Open Referral HSDS 3.0 JSON (folder, zip or file)."""

from django.core.management.base import BaseCommand, CommandError

from hsds.importer import HsdsFileError, import_tables, read_tables


class Command(BaseCommand):
    help = ("Create or update programs from HSDS 3.0 JSON: a folder or zip of an export "
            "(services.json with organizations.json, locations.json…) or one services file. "
            "Each service is checked against the HSDS 3.0 schema; new programs start "
            "unpublished; a re-import updates them in place.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="a folder, a .zip or a .json file")
        parser.add_argument("--dry-run", action="store_true", help="check and report only")

    def handle(self, *args, **options):
        try:
            tables = read_tables(options["path"])
            report = import_tables(tables, dry_run=options["dry_run"])
        except HsdsFileError as error:
            raise CommandError(str(error)) from None
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was saved.")
        for line in report.lines():
            self.stdout.write(line)
