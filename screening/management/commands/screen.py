"""Screen answers from a JSON file with the live questionnaire and print the results as JSON.

    python manage.py screen answers.json
    echo '{"safety": "no", ...}' | python manage.py screen -

The file holds one answers object or a list of them. Besides the question keys, the
matching-only extras ``zip``, ``payment`` and ``language`` are allowed and rank the programs
exactly as on the web result (``zip`` is checked like the web form's ZIP field). ``programs``
lists programs that offer the suggested level; ``next_step_programs`` those that offer the
usual next step (IOP after medically managed withdrawal or residential care), for afterwards.
Nothing is stored. Every item is checked before anything is printed: bad input exits with
status 2, a message on stderr and nothing on stdout.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from iop.models import Language
from screening import default_questionnaire, engine
from screening.forms import ExtrasForm
from screening.rules import NoPublishedQuestionnaire, live_rules
from screening.selectors import recommendation_matches

INPUT_ERROR = 2
PAYMENT_VALUES = tuple(
    value
    for extra in default_questionnaire.EXTRAS
    if extra["key"] == "payment"
    for value, _label in extra["choices"]
)


def _input_error(message: str) -> CommandError:
    return CommandError(message, returncode=INPUT_ERROR)


class Command(BaseCommand):
    help = (
        "Screen one JSON answers object, or a list of them, with the live (published) "
        "questionnaire and print each result with matching programs as JSON. Use - to read "
        "standard input. Nothing is stored."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSON file of answers, or - for standard input.")

    def handle(self, *args, file, **options):
        data = self._load(file, options.get("stdin") or sys.stdin)
        items = data if isinstance(data, list) else [data]
        try:
            rules = live_rules()
        except NoPublishedQuestionnaire as error:
            raise CommandError(str(error)) from error
        languages = frozenset(Language.objects.values_list("code", flat=True))

        # Check every item before printing anything.
        checked = []
        for index, item in enumerate(items, start=1):
            where = f"item {index}: " if isinstance(data, list) else ""
            try:
                checked.append(self._check(item, rules.questionnaire, languages))
            except (engine.AnswerError, ValueError) as error:
                raise _input_error(f"{where}{error}") from error

        results = []
        for raw, answers in checked:
            try:
                recommendation = engine.recommend(
                    rules.questionnaire, answers, extra_keys=default_questionnaire.EXTRA_KEYS
                )
            except engine.QuestionnaireError as error:
                raise CommandError(f"The published rules cannot be applied: {error}") from error
            results.append(self._result(recommendation, raw, answers, rules))

        output = results if isinstance(data, list) else results[0]
        self.stdout.write(json.dumps(output, indent=2, ensure_ascii=False))

    def _load(self, file: str, stdin):
        name = "standard input" if file == "-" else file
        try:
            if file == "-":
                text = stdin.read()
            else:
                with open(file, encoding="utf-8") as handle:
                    text = handle.read()
        except OSError as error:
            raise _input_error(f"Cannot read {name}: {error.strerror or error}") from error
        except UnicodeDecodeError as error:
            raise _input_error(f"Cannot read {name}: it is not UTF-8 text.") from error
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise _input_error(
                f"{name} is not valid JSON: {error.msg} (line {error.lineno}, column "
                f"{error.colno})."
            ) from error
        if not isinstance(data, dict | list):
            raise _input_error(
                f"{name} must hold a JSON object of answers or a list of them, not "
                f"{type(data).__name__}."
            )
        return data

    def _check(self, item, questionnaire: engine.Questionnaire, languages: frozenset[str]):
        """Return ``(raw item, normalised answers)`` or raise ValueError / AnswerError."""
        if not isinstance(item, dict):
            raise ValueError(
                f"expected a JSON object of answers, not {type(item).__name__}."
            )
        answers = engine.normalise_answers(
            questionnaire, item, extra_keys=default_questionnaire.EXTRA_KEYS
        )
        payment = item.get("payment")
        if payment not in (None, "") and payment not in PAYMENT_VALUES:
            raise ValueError(
                f"{payment!r} is not a possible answer to 'payment' (choose from: "
                f"{', '.join(PAYMENT_VALUES)})."
            )
        language = item.get("language")
        if language not in (None, "") and language not in languages:
            raise ValueError(
                f"{language!r} is not a possible answer to 'language' (choose from: "
                f"{', '.join(sorted(languages))})."
            )
        zip_code = item.get("zip")
        if zip_code is not None and not isinstance(zip_code, str):
            raise ValueError(f"'zip' must be text, not {type(zip_code).__name__}.")
        if zip_code:
            # The web form's own check, so both accept and refuse the same ZIP codes.
            form = ExtrasForm({"zip": zip_code})
            if "zip" in form.errors:
                raise ValueError(f"'zip': {' '.join(form.errors['zip'])}")
            item = {**item, "zip": form.cleaned_data["zip"]}
        return item, answers

    def _result(self, recommendation, raw: dict, answers: dict, rules) -> dict:
        groups = recommendation_matches(
            recommendation=recommendation,
            level_names=rules.level_names,
            age_group=(answers.get("age_group") or (None,))[0],
            payment=raw.get("payment") or None,
            language=raw.get("language") or None,
            zip_code=raw.get("zip") or None,
        )

        def listed(group) -> list[dict]:
            return [
                {"slug": match.program.slug, "name": match.program.name, "why": list(match.why)}
                for match in group.matches
            ]

        return {
            **recommendation.as_dict(),
            "programs": listed(groups[0]),
            "next_step_programs": listed(groups[1]) if len(groups) > 1 else [],
            "questionnaire_version": rules.version,
        }
