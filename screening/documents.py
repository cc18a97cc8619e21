"""A questionnaire version in the database ↔ its one document form (docs/questionnaire-format.md).

`document_of` reads a version into the JSON document and `engine_of` into the engine's
dataclasses (through `engine.Questionnaire.from_dict`); `document_save` writes a document as a
new version. The live rules, draft copy, publish checks, the admin, `manage.py questionnaire`,
`manage.py screen` and the data migration that ships version 2 all use these, so the
conversion is written once.

`document_save` takes the model registry to write with: Django's own (the default) or a data
migration's historical ``apps``. It only uses fields that exist since
``0008_test_cases_per_version``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.apps import apps as django_apps
from django.db import DataError, IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import get_language

from screening import engine, translations

DATA_DIR = Path(__file__).resolve().parent / "data"


def shipped_document(version: int) -> dict:
    """A version as the app ships it: the frozen ``screening/data/questionnaire_vN.json``
    with the wording added in place later (``questionnaire_vN_additions.json``, loaded by
    migration 0012: messages for unanswered questions and extras that only find programs)
    and its words in other languages (``questionnaire_vN_es.json``, loaded by migration 0014)."""
    document = json.loads((DATA_DIR / f"questionnaire_v{version}.json").read_text("utf-8"))
    additions = DATA_DIR / f"questionnaire_v{version}_additions.json"
    if additions.exists():
        extra = json.loads(additions.read_text("utf-8"))
        for question in document["questions"]:
            if question["key"] in extra["errors"]:
                question["error"] = extra["errors"][question["key"]]
        keys = [item["key"] for item in document["extras"]]
        at = keys.index(extra["extras_after"]) + 1
        document["extras"][at:at] = extra["extras"]
    for language in translations.LANGUAGES:
        words = DATA_DIR / f"questionnaire_v{version}_{language}.json"
        if words.exists():
            part = json.loads(words.read_text("utf-8"))
            document.setdefault("translations", {})[language] = {
                key: value for key, value in part.items() if key not in ("language", "version")
            }
    return document


def _model(models, name: str, app: str = "screening"):
    return models.get_model(app, name)


# --------------------------------------------------------------------------- reading


def catalogue_levels(models=django_apps) -> tuple[engine.Level, ...]:
    LevelOfCare = _model(models, "LevelOfCare", "iop")
    return tuple(
        engine.Level(code=level.code, rank=level.rank, name=level.name,
                     step_down=level.step_down.code if level.step_down_id else None)
        for level in LevelOfCare.objects.select_related("step_down").order_by("rank")
    )


def _clause(clause) -> dict:
    if clause.kind == "score_at_least":
        return {"score": clause.score.key, "at_least": clause.number}
    values = clause.value_list
    if clause.kind == "includes_any":
        return {"question": clause.question.key, "includes_any": values}
    return {"question": clause.question.key, "at_least": values[0] if values else ""}


def document_of(questionnaire, *, levels: tuple[engine.Level, ...] | None = None) -> dict:
    """One version as its JSON document, in a constant number of queries."""
    from screening.models import (
        Clause,
        Flag,
        Option,
        Question,
        Requirement,
        Rule,
        Score,
        ScreeningTestCase,
        SeverityBand,
        Step,
    )

    clauses = Clause.objects.select_related("question", "score").order_by("order", "pk")
    questions = list(
        Question.objects.filter(questionnaire=questionnaire)
        .select_related("step", "score")
        .prefetch_related(
            Prefetch("options", queryset=Option.objects.select_related("requirement")
                     .prefetch_related("flags").order_by("order", "pk")),
            Prefetch("shown_when", queryset=clauses),
        )
        .order_by("step__order", "order", "pk")
    )
    requirements = list(
        Requirement.objects.filter(questionnaire=questionnaire)
        .prefetch_related("applies_to", "remedies").order_by("order", "pk")
    )
    scores = list(
        Score.objects.filter(questionnaire=questionnaire)
        .prefetch_related("bands__flags").order_by("order", "pk")
    )
    rules = list(
        Rule.objects.filter(questionnaire=questionnaire)
        .prefetch_related("flags", Prefetch("clauses", queryset=clauses))
        .order_by("order", "pk")
    )
    used = {flag.key for q in questions for o in q.options.all() for flag in o.flags.all()}
    used |= {flag.key for rule in rules for flag in rule.flags.all()}
    used |= {flag.key for s in scores for band in s.bands.all() for flag in band.flags.all()}
    flags = (
        Flag.objects.filter(key__in=used)
        .prefetch_related("rank_services", "rank_populations").order_by("order", "key")
    )
    if levels is None:
        levels = catalogue_levels()
    steps = list(Step.objects.filter(questionnaire=questionnaire).order_by("order", "pk"))
    flags = list(flags)
    language = get_language() or "en"
    extras = list(questionnaire.extras or [])
    if language in translations.LANGUAGES:
        extras = translations.extras_in(extras, questionnaire.extras_translations, language)
    words = translations.translations_of(
        questionnaire=questionnaire, steps=steps, questions=questions,
        requirements=requirements, scores=scores, rules=rules, flags=flags,
    )
    return {
        "format": engine.FORMAT,
        "format_version": engine.FORMAT_VERSION,
        "version": questionnaire.version,
        "notes": questionnaire.notes,
        "levels": [level.to_dict() for level in levels],
        "steps": [
            {"key": step.key, "title": step.title, "intro": step.intro} for step in steps
        ],
        "questions": [
            {
                "key": q.key, "step": q.step.key, "text": q.text, "help_text": q.help_text,
                **({"error": q.error_message} if q.error_message else {}),
                "multiple": q.multiple, "required": q.required, "dimension": q.dimension,
                "score": q.score.key if q.score_id else None,
                "enable_when": [_clause(clause) for clause in q.shown_when.all()],
                "options": [
                    {
                        "value": o.value, "label": o.label, "points": o.points,
                        "min_level": o.min_level or None, "crisis": o.crisis,
                        "flags": sorted(flag.key for flag in o.flags.all()),
                        "requirement": o.requirement.key if o.requirement_id else None,
                        "requirement_status": o.requirement_status or None,
                        "exclusive": o.exclusive, "age_min": o.age_min, "age_max": o.age_max,
                        "explanation": o.explanation,
                    }
                    for o in q.options.all()
                ],
            }
            for q in questions
        ],
        "requirements": [
            {
                "key": r.key, "name": r.name, "help_text": r.help_text,
                "applies_to": sorted(level.code for level in r.applies_to.all()),
                "remedies": sorted(service.slug for service in r.remedies.all()),
                "escalation_level": r.escalation_level or None,
            }
            for r in requirements
        ],
        "bands": [
            {"min_points": b.min_points, "max_points": b.max_points, "level": b.level}
            for b in SeverityBand.objects.filter(questionnaire=questionnaire)
            .order_by("min_points")
        ],
        "scores": [
            {
                "key": s.key, "name": s.name, "instrument": s.instrument,
                "help_text": s.help_text,
                "bands": [
                    {
                        "min_points": band.min_points, "max_points": band.max_points,
                        "label": band.label, "meaning": band.meaning,
                        "min_level": band.min_level or None,
                        "flags": sorted(flag.key for flag in band.flags.all()),
                    }
                    for band in sorted(s.bands.all(), key=lambda band: band.min_points)
                ],
            }
            for s in scores
        ],
        "rules": [
            {
                "key": rule.key, "name": rule.name,
                "when": [_clause(clause) for clause in rule.clauses.all()],
                "min_level": rule.min_level or None, "crisis": rule.crisis,
                "flags": sorted(flag.key for flag in rule.flags.all()),
                "explanation": rule.explanation,
            }
            for rule in rules
        ],
        "flags": [
            {
                "key": flag.key, "name": flag.name, "note": flag.note,
                "note_kind": flag.note_kind,
                "rank_services": sorted(s.slug for s in flag.rank_services.all()),
                "rank_populations": sorted(p.slug for p in flag.rank_populations.all()),
                "rank_features": list(flag.rank_features or []),
            }
            for flag in flags
        ],
        "extras": extras,
        "test_cases": [
            {
                "name": case.name, "answers": case.answers,
                "expected_level": case.expected_level, "expected_crisis": case.expected_crisis,
                "expected_emergency": case.expected_emergency,
                "expected_flags": list(case.expected_flags or []), "note": case.note,
            }
            for case in ScreeningTestCase.objects.filter(
                questionnaire=questionnaire, is_active=True
            ).order_by("pk")
        ],
        **({"translations": words} if words else {}),
    }


def engine_of(questionnaire, *, levels: tuple[engine.Level, ...] | None = None):
    """One version as the engine's dataclasses (levels from the catalogue)."""
    if levels is None:
        levels = catalogue_levels()
    return engine.Questionnaire.from_dict(document_of(questionnaire, levels=levels),
                                          levels=levels)


# --------------------------------------------------------------------------- writing


class DocumentError(ValueError):
    """A document that cannot be saved; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def document_check(data, *, models=django_apps) -> engine.Questionnaire:
    """Read and check a document against the rules' invariants and the catalogue (levels,
    services and populations it names). Raises DocumentError listing every problem."""
    try:
        questionnaire = engine.Questionnaire.from_dict(data, levels=catalogue_levels(models))
    except engine.QuestionnaireError as error:
        raise DocumentError([str(error)]) from error
    problems = engine.validate_questionnaire(questionnaire)
    problems.extend(_field_problems(questionnaire))
    problems.extend(translations.translation_problems(data))
    services = set(_model(models, "Service", "iop").objects.values_list("slug", flat=True))
    populations = set(
        _model(models, "Population", "iop").objects.values_list("slug", flat=True)
    )
    payments = set(_model(models, "PaymentOption", "iop").objects.values_list("slug", flat=True))
    for requirement in questionnaire.requirements:
        problems.extend(
            f"Requirement {requirement.key!r} suggests an unknown service {slug!r}."
            for slug in requirement.remedies if slug not in services
        )
    for flag in questionnaire.flags:
        problems.extend(
            f"Flag {flag.key!r} ranks first an unknown service {slug!r}."
            for slug in flag.rank_services if slug not in services
        )
        problems.extend(
            f"Flag {flag.key!r} ranks first an unknown population {slug!r}."
            for slug in flag.rank_populations if slug not in populations
        )
    for extra in questionnaire.extras:
        problems.extend(
            f"Extra question {extra.key!r}: unknown payment option {choice.payment_option!r}."
            for choice in extra.choices
            if choice.payment_option and choice.payment_option not in payments
        )
    if problems:
        raise DocumentError(problems)
    return questionnaire


_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_VALUE = re.compile(r"^[a-z0-9][a-z0-9_]*$")


def _field_problems(q: engine.Questionnaire) -> list[str]:
    """What the database would refuse or garble: keys and values in the form the admin takes,
    lengths, numbers below zero, two test cases with one name."""
    problems = []

    def key(value, what, *, pattern=_KEY, longest=40):
        if not pattern.match(value or "") or len(value) > longest:
            problems.append(
                f"{what} {value!r} must be lower-case letters, digits and underscores"
                f"{' starting with a letter' if pattern is _KEY else ''}, at most {longest} "
                "characters."
            )

    def text(value, what, longest):
        if len(value) > longest:
            problems.append(f"{what} is longer than {longest} characters.")

    for step in q.steps:
        key(step.key, "Step key")
        text(step.title, f"The title of step {step.key!r}", 120)
    for question in q.questions:
        key(question.key, "Question key")
        text(question.text, f"Question {question.key!r}", 300)
        text(question.error, f"The error message of question {question.key!r}", 200)
        for option in question.options:
            key(option.value, f"An answer value of {question.key!r}", pattern=_VALUE)
            text(option.label, f"The label of {question.key!r} {option.value!r}", 200)
            for name in ("age_min", "age_max"):
                if (getattr(option, name) or 0) < 0:
                    problems.append(f"{question.key!r} {option.value!r} has a negative age.")
    for requirement in q.requirements:
        key(requirement.key, "Requirement key")
        text(requirement.name, f"The name of requirement {requirement.key!r}", 120)
    for score in q.scores:
        key(score.key, "Score key")
        text(score.name, f"The name of score {score.key!r}", 120)
        for band in score.bands:
            text(band.label, f"A band label of score {score.key!r}", 120)
    for band in q.bands + tuple(b for s in q.scores for b in s.bands):
        if band.min_points < 0 or band.max_points < 0:
            problems.append(f"Band {band.min_points}-{band.max_points} has negative points.")
    for rule in q.rules:
        key(rule.key, "Rule key", longest=60)
        text(rule.name, f"The name of rule {rule.key!r}", 200)
        for clause in rule.when:
            if clause.score is not None and isinstance(clause.at_least, int) and (
                    clause.at_least < 0):
                problems.append(f"Rule {rule.key!r} compares a score with a negative number.")
    for flag in q.flags:
        key(flag.key, "Flag key")
        text(flag.name, f"The name of flag {flag.key!r}", 120)
    names = [case.name for case in q.test_cases]
    problems.extend(
        f"Two test cases are called {name!r}; each needs its own name."
        for name in sorted({name for name in names if names.count(name) > 1})
    )
    for name in names:
        text(name, f"Test case name {name[:40]!r}…", 200)
    return problems


def document_save(
    data,
    *,
    version: int | None = None,
    publish: bool = False,
    based_on=None,
    notes: str | None = None,
    update_flags: bool = False,
    models=django_apps,
):
    """Save a document as a new questionnaire version (a draft unless ``publish``), with its
    test cases. ``version`` defaults to the next free number. Flags are shared by all versions:
    missing ones are created, and existing ones get the document's texts and hints only with
    ``update_flags`` (which changes them for every version). Raises DocumentError."""
    if isinstance(data, engine.Questionnaire):
        data = data.to_dict()
    q = document_check(data, models=models)
    M = {name: _model(models, name) for name in (
        "Questionnaire", "Step", "Requirement", "Question", "Option", "SeverityBand", "Score",
        "ScoreBand", "Rule", "Clause", "Flag", "ScreeningTestCase",
    )}
    try:
        with transaction.atomic():
            row = _document_write(q, M, version=version, publish=publish, based_on=based_on,
                                  notes=notes, update_flags=update_flags, models=models)
            # A data migration older than the translation fields saves the words later.
            if data.get("translations") and any(
                    field.name == "name_es" for field in M["Flag"]._meta.get_fields()):
                translations.translations_apply(row, data["translations"],
                                                update_flags=update_flags, models=models)
        return row
    except (IntegrityError, DataError) as error:  # belt and braces: checked above
        raise DocumentError([f"The database refused this document: {error}"]) from error


def _document_write(q, M, *, version, publish, based_on, notes, update_flags, models):
    LevelOfCare = _model(models, "LevelOfCare", "iop")
    Service = _model(models, "Service", "iop")
    Population = _model(models, "Population", "iop")
    with transaction.atomic():
        Questionnaire = M["Questionnaire"]
        if version is None:
            latest = Questionnaire.objects.order_by("-version").values_list(
                "version", flat=True).first()
            version = (latest or 0) + 1
        if Questionnaire.objects.filter(version=version).exists():
            raise DocumentError([f"Version {version} already exists."])
        row = Questionnaire.objects.create(
            version=version, status="draft", based_on=based_on,
            notes=q.notes if notes is None else notes,
            extras=[extra.to_dict() for extra in q.extras],
        )

        flags = {flag.key: flag for flag in M["Flag"].objects.all()}
        wanted = {key for question in q.questions for o in question.options for key in o.flags}
        wanted |= {key for rule in q.rules for key in rule.flags}
        wanted |= {key for score in q.scores for band in score.bands for key in band.flags}
        described = {flag.key: flag for flag in q.flags}
        for order, key in enumerate(
            [flag.key for flag in q.flags] + sorted(wanted - set(described))
        ):
            spec = described.get(key, engine.Flag(key=key, name=key.replace("_", " ")))
            existing = flags.get(key)
            if existing is not None and not update_flags:
                continue
            flag = existing or M["Flag"](key=key)
            flag.name, flag.note, flag.note_kind = spec.name or key, spec.note, spec.note_kind
            flag.order, flag.rank_features = order, list(spec.rank_features)
            flag.save()
            flag.rank_services.set(Service.objects.filter(slug__in=spec.rank_services))
            flag.rank_populations.set(Population.objects.filter(slug__in=spec.rank_populations))
            flags[key] = flag

        levels = {level.code: level for level in LevelOfCare.objects.all()}
        services = {service.slug: service for service in Service.objects.all()}
        steps = {
            step.key: M["Step"].objects.create(
                questionnaire=row, key=step.key, title=step.title, intro=step.intro, order=order
            )
            for order, step in enumerate(q.steps)
        }
        for question in q.questions:  # a document may leave steps out
            if question.step not in steps:
                steps[question.step] = M["Step"].objects.create(
                    questionnaire=row, key=question.step, title=question.step.title(),
                    order=len(steps),
                )
        requirements = {}
        for order, spec in enumerate(q.requirements):
            requirement = M["Requirement"].objects.create(
                questionnaire=row, key=spec.key, name=spec.name, help_text=spec.help_text,
                escalation_level=spec.escalation_level or "", order=order,
            )
            requirement.applies_to.set([levels[code] for code in sorted(spec.applies_to)])
            requirement.remedies.set([services[slug] for slug in spec.remedies])
            requirements[spec.key] = requirement
        scores = {}
        for order, spec in enumerate(q.scores):
            score = M["Score"].objects.create(
                questionnaire=row, key=spec.key, name=spec.name, instrument=spec.instrument,
                help_text=spec.help_text, order=order,
            )
            for band_spec in spec.bands:
                band = M["ScoreBand"].objects.create(
                    score=score, min_points=band_spec.min_points,
                    max_points=band_spec.max_points, label=band_spec.label,
                    meaning=band_spec.meaning, min_level=band_spec.min_level or "",
                )
                band.flags.set([flags[key] for key in sorted(band_spec.flags)])
            scores[spec.key] = score
        questions = {}
        orders: dict[str, int] = {}
        for spec in q.questions:
            orders[spec.step] = orders.get(spec.step, 0) + 1
            question = M["Question"].objects.create(
                questionnaire=row, step=steps[spec.step], key=spec.key, order=orders[spec.step],
                text=spec.text, help_text=spec.help_text, multiple=spec.multiple,
                required=spec.required, dimension=spec.dimension,
                score=scores.get(spec.score) if spec.score else None,
                # Only when set: migrations older than the field save documents without one.
                **({"error_message": spec.error} if spec.error else {}),
            )
            for order, option_spec in enumerate(spec.options):
                option = M["Option"].objects.create(
                    question=question, order=order, value=option_spec.value,
                    label=option_spec.label, points=option_spec.points,
                    min_level=option_spec.min_level or "", crisis=option_spec.crisis,
                    requirement=requirements.get(option_spec.requirement or ""),
                    requirement_status=option_spec.requirement_status or "",
                    explanation=option_spec.explanation, exclusive=option_spec.exclusive,
                    age_min=option_spec.age_min, age_max=option_spec.age_max,
                )
                option.flags.set([flags[key] for key in sorted(option_spec.flags)])
            questions[spec.key] = question

        def clause_row(clause: engine.Clause, order: int, **owner):
            if clause.score is not None:
                return M["Clause"](kind="score_at_least", score=scores[clause.score],
                                   number=clause.at_least, order=order, **owner)
            if clause.includes_any:
                return M["Clause"](kind="includes_any", question=questions[clause.question],
                                   values=",".join(clause.includes_any), order=order, **owner)
            return M["Clause"](kind="at_least", question=questions[clause.question],
                               values=clause.at_least, order=order, **owner)

        for spec in q.questions:
            for order, clause in enumerate(spec.enable_when):
                clause_row(clause, order, shown_question=questions[spec.key]).save()
        for order, spec in enumerate(q.rules):
            rule = M["Rule"].objects.create(
                questionnaire=row, key=spec.key, name=spec.name or spec.key, order=order,
                min_level=spec.min_level or "", crisis=spec.crisis,
                explanation=spec.explanation,
            )
            rule.flags.set([flags[key] for key in sorted(spec.flags)])
            for clause_order, clause in enumerate(spec.when):
                clause_row(clause, clause_order, rule=rule).save()
        M["SeverityBand"].objects.bulk_create(
            M["SeverityBand"](questionnaire=row, min_points=band.min_points,
                              max_points=band.max_points, level=band.level)
            for band in q.bands
        )
        M["ScreeningTestCase"].objects.bulk_create(
            M["ScreeningTestCase"](
                questionnaire=row, name=case.name, answers=dict(case.answers),
                expected_level=case.expected_level, expected_crisis=case.expected_crisis,
                expected_emergency=case.expected_emergency,
                expected_flags=sorted(case.expected_flags), note=case.note,
            )
            for case in q.test_cases
        )
        if publish:
            Questionnaire.objects.filter(pk=row.pk).update(
                status="published", published_at=timezone.now()
            )
            row.refresh_from_db()
    return row
