"""``manage.py import_samhsa FILE``: load a SAMHSA treatment locator JSON export."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from iop.samhsa import SamhsaFileError, import_rows, read_file

MAX_BYTES = 50 * 1024 * 1024


class Command(BaseCommand):
    help = ("Create or update programs from a SAMHSA treatment locator JSON export (a file, "
            "or - for standard input). New programs start unpublished; a re-import updates "
            "them in place. Prints what was created and what did not map.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the JSON export, or - for standard input")
        parser.add_argument("--dry-run", action="store_true",
                            help="check and report, save nothing")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            if path == "-":
                data = sys.stdin.buffer.read(MAX_BYTES + 1)
            else:
                with open(path, "rb") as handle:
                    data = handle.read(MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        if len(data) > MAX_BYTES:
            raise CommandError(f"{path} is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        try:
            rows = read_file(data)
        except SamhsaFileError as error:
            raise CommandError(str(error)) from None
        report = import_rows(rows, dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        else:
            if options["dry_run"]:
                self.stdout.write("Dry run: nothing was saved.")
            for line in report.lines():
                self.stdout.write(line)
