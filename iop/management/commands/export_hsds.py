"""``manage.py export_hsds``: the published listings as Open Referral HSDS 3.0 JSON files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hsds.export import build_export, dumps, manifest, write_zip
from iop.models import Program


class Command(BaseCommand):
    help = ("Write the published programs as HSDS 3.0 JSON: organizations.json, services.json "
            "(fully nested), locations.json, service_at_locations.json, phones.json, "
            "schedules.json, languages.json, cost_options.json, attributes.json and "
            "datapackage.json, into a folder (--output) or one zip file (--zip).")

    def add_arguments(self, parser):
        parser.add_argument("--output", help="folder to write the JSON files into")
        parser.add_argument("--zip", help="zip file to write (use - for standard output)")
        parser.add_argument("--include-unpublished", action="store_true",
                            help="export unpublished programs too")

    def handle(self, *args, **options):
        if not options["output"] and not options["zip"]:
            raise CommandError("Give --output FOLDER or --zip FILE.")
        queryset = Program.objects.all() if options["include_unpublished"] else (
            Program.objects.published())
        tables = build_export(queryset)
        if options["zip"]:
            data = write_zip(tables)
            if options["zip"] == "-":
                self.stdout.buffer.write(data) if hasattr(self.stdout, "buffer") else (
                    self.stdout._out.buffer.write(data))
            else:
                try:
                    Path(options["zip"]).write_bytes(data)
                except OSError as error:
                    message = f"Cannot write {options['zip']}: {error.strerror}."
                    raise CommandError(message) from None
                self.stderr.write(f"Wrote {options['zip']}.")
        if options["output"]:
            folder = Path(options["output"])
            try:
                folder.mkdir(parents=True, exist_ok=True)
                (folder / "datapackage.json").write_text(dumps(manifest(tables)), "utf-8")
                for name, rows in tables.items():
                    (folder / f"{name}.json").write_text(dumps(rows), encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Cannot write to {folder}: {error.strerror}.") from None
            self.stderr.write(f"Wrote {len(tables) + 1} files to {folder}.")
        self.stderr.write(f"{len(tables['services'])} services, "
                          f"{len(tables['organizations'])} organizations, "
                          f"{len(tables['locations'])} locations.")
