"""The screening rules as one document: export a version, or import a document as a new draft.

    python manage.py questionnaire export                          # latest published, JSON
    python manage.py questionnaire export --questionnaire-version 3 --format fhir
    python manage.py questionnaire import rules.json               # or - for standard input

``export`` prints the latest published version, or version N (published or draft), as the
project's own JSON document (docs/questionnaire-format.md: complete and re-importable) or as a
FHIR R4 ``Questionnaire`` resource (screening/fhir.py says what it holds), indented UTF-8 JSON
on standard output.

``import`` reads the JSON form, checks it against the rules' invariants and the catalogue, and
saves it as a new DRAFT with the next free version number (the file's own version number is
ignored). Flags are shared by all versions, so flags that already exist keep their texts; a
warning names each one whose note in the file differs. Nothing is published: staff review, run
the test cases and publish in the admin.

Bad input (a file that cannot be read, not JSON, not a questionnaire document, rules that break
the invariants, an unknown version) exits with status 2 and a message on stderr; nothing is
written.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from screening import engine
from screening.documents import DocumentError, document_check, document_of, document_save
from screening.fhir import questionnaire_to_fhir
from screening.management.json_input import input_error, json_read
from screening.models import Flag, Questionnaire


class Command(BaseCommand):
    help = (
        "Export a questionnaire version as its JSON document or as FHIR R4, or import a JSON "
        "document as a new draft version."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{export,import}",
            title="actions",
        )
        export = actions.add_parser(
            "export", help="Print a version as JSON (default) or FHIR R4.",
            description="Print the latest published version, or the version given (published "
                        "or draft), on standard output.",
        )
        export.add_argument(
            "--questionnaire-version", type=int, dest="questionnaire_version",
            help="A version number, published or draft (default: the latest published one).",
        )
        export.add_argument(
            "--format", choices=["json", "fhir"], default="json", dest="output_format",
            help="json: the project's own complete, re-importable document (default); "
                 "fhir: a FHIR R4 Questionnaire resource.",
        )
        load = actions.add_parser(
            "import", help="Create a draft version from a JSON document.",
            description="Check a JSON questionnaire document and save it as a new draft "
                        "version (the next free number). Nothing is published.",
        )
        load.add_argument("file", help="A JSON questionnaire document, or - for standard input.")

    def handle(self, *args, action, **options):
        if action == "export":
            self._export(options.get("questionnaire_version"),
                         options.get("output_format") or "json")
        else:
            self._import(options["file"], options.get("stdin") or sys.stdin)

    # ------------------------------------------------------------------- export

    def _export(self, version: int | None, output_format: str):
        if version is None:
            row = (Questionnaire.objects.filter(status=Questionnaire.Status.PUBLISHED)
                   .order_by("-version").first())
            if row is None:
                raise CommandError("No questionnaire version is published.")
        else:
            row = Questionnaire.objects.filter(version=version).first()
            if row is None:
                known = ", ".join(
                    str(number) for number in
                    Questionnaire.objects.order_by("version").values_list("version", flat=True)
                ) or "none"
                raise input_error(
                    f"There is no questionnaire version {version} (versions: {known})."
                )
        document = document_of(row)
        if output_format == "fhir":
            try:
                document = questionnaire_to_fhir(
                    document, status=row.status, date=row.published_at or row.created_at,
                )
            except engine.QuestionnaireError as error:
                raise CommandError(
                    f"Version {row.version} cannot be written as FHIR: {error}"
                ) from error
        self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))

    # ------------------------------------------------------------------- import

    def _import(self, file: str, stdin):
        name = "standard input" if file == "-" else file
        data = self._load(file, name, stdin)
        given_version = data.get("version")
        if not isinstance(given_version, int) or isinstance(given_version, bool):
            given_version = None
            data = {**data, "version": 0}  # ignored: the draft gets the next free number
        try:
            checked = document_check(data)
        except DocumentError as error:
            raise input_error(self._problems(name, error.problems)) from error

        existing = {flag.key: flag for flag in Flag.objects.filter(
            key__in=[flag.key for flag in checked.flags])}
        differing = [
            flag.key for flag in checked.flags
            if flag.key in existing and existing[flag.key].note != flag.note
        ]
        notes = checked.notes.rstrip()
        source = f"Imported from {name}" + (
            f" (where it was version {given_version})." if given_version is not None else "."
        )
        try:
            row = document_save(
                data, update_flags=False, notes=f"{notes}\n\n{source}" if notes else source,
            )
        except DocumentError as error:
            raise input_error(self._problems(name, error.problems)) from error

        ignored = (f"; the file's version {given_version} is not used"
                   if given_version is not None and given_version != row.version else "")
        self.stdout.write(self.style.SUCCESS(
            f"Created draft version {row.version}{ignored}."
        ))
        self.stdout.write(
            f"{len(checked.questions)} questions, {len(checked.rules)} combination rules, "
            f"{len(checked.scores)} scores, {len(checked.test_cases)} test cases."
        )
        for key in differing:
            self.stdout.write(self.style.WARNING(
                f"Warning: flag {key!r} already exists and keeps its note; the note in the "
                "file differs. Flags are shared by every version: change it in the admin if "
                "you mean to."
            ))
        self.stdout.write(
            "Nothing is published: run its test cases and publish it in the admin."
        )

    def _load(self, file: str, name: str, stdin) -> dict:
        data = json_read(file, stdin, name=name)
        if not isinstance(data, dict):
            raise input_error(
                f"{name} must hold one questionnaire document (a JSON object), not "
                f"{_json_kind(data)}."
            )
        return data

    @staticmethod
    def _problems(name: str, problems: list[str]) -> str:
        if len(problems) == 1:
            return f"{name} cannot be imported: {problems[0]}"
        listed = "\n".join(f"  - {problem}" for problem in problems)
        return f"{name} cannot be imported ({len(problems)} problems):\n{listed}"


def _json_kind(value) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return "a number"
