"""Screen answers from a JSON file with a published questionnaire and print the results as JSON.

    python manage.py screen answers.json
    python manage.py screen --questionnaire-version 1 answers.json
    echo '{"suicide_thoughts": "no", ...}' | python manage.py screen -

The file holds one answers object or a list of them. Besides the question keys, the
questionnaire's matching-only extras (``zip``, ``payment``, ``language``, and where the
questionnaire asks them ``radius`` and ``age``) are allowed and choose and rank the programs
exactly as on the web result (checked by the web form's own checks).
The output is the engine's recommendation (reasons as codes, each with its ``text`` in the
chosen language), ``scores``, ``notes`` (the safety notes' flag keys), ``questionnaire_version``,
``programs`` (programs that offer the suggested level) and ``next_step_programs`` (those that
offer the usual next step, for afterwards), each program with ``slug``, ``name``, ``why``,
``distance_miles`` (to its nearest location within the radius around the ZIP code, one
decimal; null without a ZIP code or when it is listed for its video sessions), ``telehealth``,
``accepting`` (``yes``, ``waitlist`` or ``no``), ``phone``, ``age_min`` and ``age_max``.
Nothing is stored. Every item is checked before anything is printed: bad input exits with
status 2, a message on stderr and nothing on stdout.
"""

import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from screening import engine
from screening.forms import ExtrasForm
from screening.management.json_input import input_error, json_read
from screening.rules import NoPublishedQuestionnaire, live_rules, published_rules
from screening.selectors import recommendation_matches
from screening.wording import reason_text


class Command(BaseCommand):
    help = (
        "Screen one JSON answers object, or a list of them, with the live (published) "
        "questionnaire, or the published version given, and print each result with matching "
        "programs as JSON. Use - to read standard input. Nothing is stored."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSON file of answers, or - for standard input.")
        parser.add_argument(
            "--questionnaire-version", type=int, dest="questionnaire_version",
            help="A published questionnaire version (default: the live one).",
        )
        parser.add_argument(
            "--lang", choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE.split("-")[0],
            help="The language of the reasons' text.",
        )

    def handle(self, *args, file, questionnaire_version=None, lang=None, **options):
        # The rules are read in the language asked for: their words (answers, notes, score
        # meanings) are part of what is printed.
        with translation.override(lang or settings.LANGUAGE_CODE):
            self._handle(file, questionnaire_version, options)

    def _handle(self, file, questionnaire_version, options):
        data = self._load(file, options.get("stdin") or sys.stdin)
        items = data if isinstance(data, list) else [data]
        if questionnaire_version is None:
            try:
                rules = live_rules()
            except NoPublishedQuestionnaire as error:
                raise CommandError(str(error)) from error
        else:
            rules = published_rules(questionnaire_version)
            if rules is None:
                raise input_error(
                    f"Version {questionnaire_version} of the questionnaire is not published."
                )

        # Check every item before printing anything.
        checked = []
        for index, item in enumerate(items, start=1):
            where = f"item {index}: " if isinstance(data, list) else ""
            try:
                checked.append(self._check(item, rules.questionnaire))
            except (engine.AnswerError, ValueError) as error:
                raise input_error(f"{where}{error}") from error

        results = []
        for raw, extras in checked:
            try:
                recommendation = engine.recommend(rules.questionnaire, raw)
            except engine.QuestionnaireError as error:
                raise CommandError(
                    f"The published rules cannot be applied: {error}"
                ) from error
            results.append(self._result(recommendation, raw, extras, rules))

        output = results if isinstance(data, list) else results[0]
        self.stdout.write(json.dumps(output, indent=2, ensure_ascii=False))

    def _load(self, file: str, stdin):
        name = "standard input" if file == "-" else file
        data = json_read(file, stdin, name=name)
        if not isinstance(data, dict | list):
            raise input_error(
                f"{name} must hold a JSON object of answers or a list of them, not "
                f"{type(data).__name__}."
            )
        return data

    def _check(self, item, questionnaire: engine.Questionnaire):
        """Return ``(raw item, checked extras)`` or raise ValueError / AnswerError."""
        if not isinstance(item, dict):
            raise ValueError(
                f"expected a JSON object of answers, not {type(item).__name__}."
            )
        engine.normalise_answers(questionnaire, item)
        given = {key: item[key] for key in questionnaire.extra_keys if key in item}
        for key, value in given.items():
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{key!r} must be text, not {type(value).__name__}.")
        # The web form's own checks, so both accept and refuse the same extras.
        form = ExtrasForm(
            {key: value for key, value in given.items() if value},
            questionnaire=questionnaire, answers=item,
        )
        if not form.is_valid():
            key, errors = next(iter(form.errors.items()))
            raise ValueError(f"{key!r}: {' '.join(errors)}")
        return item, form.valid_answers()

    def _result(self, recommendation, raw: dict, extras: dict, rules) -> dict:
        questionnaire = rules.questionnaire
        groups = recommendation_matches(
            recommendation=recommendation,
            questionnaire=questionnaire,
            answers={k: v for k, v in raw.items() if questionnaire.has_question(k)},
            extras=extras,
            level_names=rules.level_names,
        )

        def listed(group) -> list[dict]:
            return [
                {
                    "slug": match.program.slug,
                    "name": match.program.name,
                    "why": list(match.why),
                    "distance_miles": None if match.miles is None else round(match.miles, 1),
                    "telehealth": match.program.telehealth,
                    "accepting": match.program.accepting,
                    "phone": match.program.phone,
                    "age_min": match.program.age_min,
                    "age_max": match.program.age_max,
                }
                for match in group.matches
            ]

        result = recommendation.as_dict()
        result["reasons"] = [
            {**reason, "text": reason_text(reason, questionnaire, rules.level_names)}
            for reason in result["reasons"]
        ]
        return {
            **result,
            "programs": listed(groups[0]),
            "next_step_programs": listed(groups[1]) if len(groups) > 1 else [],
            "questionnaire_version": rules.version,
        }
