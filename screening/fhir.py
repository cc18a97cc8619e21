"""A questionnaire document (docs/questionnaire-format.md) as a FHIR R4 ``Questionnaire`` resource.

Pure: no database, standard library and the engine's document reader only.
``manage.py questionnaire export --format fhir`` prints what `questionnaire_to_fhir` returns; the
tests parse it with the R4 (4.0.1) models of ``fhir.resources`` (pinned in requirements-dev.txt).

How the document maps onto FHIR (R4 core, plus the standard core extensions and one SDC one):

* One ``group`` item per step (``linkId`` ``step.<step key>``, ``text`` its title, the step's
  intro as a first ``display`` child ``step.<step key>.intro``). The group's linkId is not the
  bare step key because linkIds are unique across a whole Questionnaire and a step and a question
  may share a key (v2 has a step and a question both called ``withdrawal``).
* Each question is a ``choice`` item inside its step's group: ``linkId`` = question key,
  ``text``, ``required``, ``repeats`` (multiple choice), and ``answerOption`` in the document's
  order (mildest first), each a ``valueCoding`` with ``system``
  ``<canonical_base>/CodeSystem/<question key>``, ``code`` = option value, ``display`` = label.
  A "none of these" option carries the ``questionnaire-optionExclusive`` extension.
* "Why we ask" (``help_text``) is a child ``display`` item ``<question key>.help`` with the
  ``questionnaire-itemControl`` extension code ``help``, the standard way to attach help.
* An item of a score (AUDIT-C, PHQ-2) has ``code`` naming the score
  (system ``<canonical_base>/CodeSystem/scores``) and the ``ordinalValue`` extension
  (``valueDecimal`` = points) on each of its answer options. The score's bands are not
  expressed in FHIR.
* Shown-when (``enable_when``, all clauses must hold) becomes ``enableWhen``. Each clause is
  expanded into "answer = value" conditions, any of which makes it hold:
  ``includes_any`` gives one condition per value; ``at_least V`` gives one per option from V to
  the last (for a multiple-choice question too: some ticked option is V or later). A clause that
  always holds (``at_least`` the first option of a single-choice question) is left out, so a
  question hidden in FHIR is never one the engine shows. Then:

  - one clause: its conditions, with ``enableBehavior`` ``any`` when there are several;
  - several clauses of one condition each: the conditions with ``enableBehavior`` ``all``;
  - several clauses where one needs several conditions (``all`` of ``any``, which enableWhen
    cannot say): no ``enableWhen``; instead the SDC extension ``sdc-questionnaire-
    enableWhenExpression`` holds a FHIRPath expression over the QuestionnaireResponse
    (``%resource``), one parenthesised test per clause joined with ``and``, each
    ``%resource.repeat(item).where(linkId = 'K').answer.value.ofType(Coding)
    .where(code in ('a' | 'b')).exists()``; its ``description`` says the same in words.

  A score in a shown-when clause cannot be expressed (nor saved: the rules' checks refuse it),
  so it raises `FhirExportError`.
* Not exported: levels, severity bands, requirements, combination rules, flags and their notes,
  the matching-only extras (payment, language, ZIP: never stored, asked after the screening) and
  the test cases. The project's own JSON form (``--format json``) holds everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from screening import engine

DEFAULT_CANONICAL_BASE = "https://iop-navigator.example/fhir"
FHIR_VERSION = "4.0.1"

ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
ENABLE_WHEN_EXPRESSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
)

#: The questionnaire's status in this project → FHIR's PublicationStatus.
STATUSES = {"published": "active", "draft": "draft"}


class FhirExportError(engine.QuestionnaireError):
    """The document holds something FHIR cannot say (the message says what)."""


def questionnaire_to_fhir(
    document: Mapping,
    *,
    status: str = "draft",
    date: dt.datetime | dt.date | str | None = None,
    canonical_base: str = DEFAULT_CANONICAL_BASE,
) -> dict:
    """The FHIR R4 ``Questionnaire`` resource (a JSON-ready dict) for one questionnaire document.

    ``status`` is the version's status here: ``"published"`` gives FHIR ``active``, anything
    else ``draft``. ``date``, when given, is when it was published (or created). Raises
    `engine.QuestionnaireError` (or `FhirExportError`) when the document cannot be read."""
    questionnaire = engine.Questionnaire.from_dict(document)
    base = canonical_base.rstrip("/")
    resource: dict = {
        "resourceType": "Questionnaire",
        "id": f"iop-screening-v{questionnaire.version}",
        "url": f"{base}/Questionnaire/iop-screening",
        "version": str(questionnaire.version),
        "name": "IopNavigatorScreening",
        "title": "IOP Navigator screening: which level of care may fit",
        "status": STATUSES.get(status, "draft"),
    }
    if date is not None:
        resource["date"] = _fhir_date(date)
    resource["publisher"] = "IOP Navigator"
    resource["description"] = (
        "A short self-screening for alcohol and drug use that suggests a level of care "
        "(ASAM-style) and shows crisis help first when needed. It is a screen, not a diagnosis."
    )
    resource["item"] = [
        _group(step, questions, questionnaire, base)
        for step, questions in _by_step(questionnaire)
    ]
    return resource


# --------------------------------------------------------------------------- items


def _by_step(questionnaire: engine.Questionnaire):
    """``(step, questions)`` for each step that has questions: the document's steps in order,
    then any step a question names that the document leaves out."""
    steps = {step.key: step for step in questionnaire.steps}
    order = [step.key for step in questionnaire.steps]
    grouped: dict[str, list[engine.Question]] = {}
    for question in questionnaire.questions:
        if question.step not in steps:
            steps[question.step] = engine.Step(key=question.step, title=question.step.title())
            order.append(question.step)
        grouped.setdefault(question.step, []).append(question)
    return [(steps[key], grouped[key]) for key in order if key in grouped]


def _group(step: engine.Step, questions, questionnaire: engine.Questionnaire, base: str) -> dict:
    children = []
    if step.intro:
        children.append({"linkId": f"step.{step.key}.intro", "text": step.intro,
                         "type": "display"})
    children.extend(_question(question, questionnaire, base) for question in questions)
    return {"linkId": f"step.{step.key}", "text": step.title or step.key, "type": "group",
            "item": children}


def _question(question: engine.Question, questionnaire: engine.Questionnaire, base: str) -> dict:
    item: dict = {"linkId": question.key}
    if question.score:
        score = _score(questionnaire, question.score)
        coding = {"system": f"{base}/CodeSystem/scores", "code": question.score}
        if score is not None and score.name:
            coding["display"] = score.name
        item["code"] = [coding]
    item["text"] = question.text or question.key
    item["type"] = "choice"
    item.update(_enable_when(question, questionnaire, base))
    item["required"] = question.required
    item["repeats"] = question.multiple
    item["answerOption"] = [_option(question, option, base) for option in question.options]
    if question.help_text:
        item["item"] = [{
            "extension": [{
                "url": ITEM_CONTROL,
                "valueCodeableConcept": {"coding": [{
                    "system": ITEM_CONTROL_SYSTEM, "code": "help", "display": "Help-Button",
                }], "text": "Help"},
            }],
            "linkId": f"{question.key}.help",
            "text": question.help_text,
            "type": "display",
        }]
    return item


def _option(question: engine.Question, option: engine.Option, base: str) -> dict:
    answer: dict = {}
    extensions = []
    if question.score:
        extensions.append({"url": ORDINAL_VALUE, "valueDecimal": option.points})
    if option.exclusive:
        extensions.append({"url": OPTION_EXCLUSIVE, "valueBoolean": True})
    if extensions:
        answer["extension"] = extensions
    answer["valueCoding"] = _coding(question.key, option.value, base, option.label)
    return answer


def _coding(question_key: str, value: str, base: str, display: str = "") -> dict:
    coding = {"system": f"{base}/CodeSystem/{question_key}", "code": value}
    if display:
        coding["display"] = display
    return coding


def _score(questionnaire: engine.Questionnaire, key: str) -> engine.Score | None:
    for score in questionnaire.scores:
        if score.key == key:
            return score
    return None


# --------------------------------------------------------------------------- shown when


def _expand(clause: engine.Clause, questionnaire: engine.Questionnaire, where: str):
    """The values of the clause's question any of which makes it hold, or None when the clause
    always holds."""
    if clause.score is not None:
        raise FhirExportError(
            f"{where}: the shown-when condition “{clause.describe()}” looks at a score, which "
            "FHIR enableWhen cannot express (and the rules do not allow)."
        )
    question = questionnaire.question(clause.question)
    if clause.includes_any:
        return question.key, list(clause.includes_any)
    if clause.at_least not in question.values:
        raise FhirExportError(
            f"{where}: the shown-when condition “{clause.describe()}” names an answer "
            f"{question.key!r} does not have."
        )
    start = question.values.index(clause.at_least)
    if start == 0 and not question.multiple:
        return None
    return question.key, list(question.values[start:])


def _enable_when(
    question: engine.Question, questionnaire: engine.Questionnaire, base: str
) -> dict:
    where = f"Question {question.key!r}"
    expanded = []
    for clause in question.enable_when:
        found = _expand(clause, questionnaire, where)
        if found is not None:
            expanded.append((clause, *found))
    if not expanded:
        return {}
    if len(expanded) == 1 or all(len(values) == 1 for _clause, _key, values in expanded):
        conditions = [
            {"question": key, "operator": "=", "answerCoding": _coding(key, value, base)}
            for _clause, key, values in expanded for value in values
        ]
        data: dict = {"enableWhen": conditions}
        if len(conditions) > 1:
            data["enableBehavior"] = "any" if len(expanded) == 1 else "all"
        return data
    tests = []
    for _clause, key, values in expanded:
        codes = " | ".join(_fhirpath_text(value) for value in values)
        tests.append(
            f"(%resource.repeat(item).where(linkId = {_fhirpath_text(key)}).answer.value"
            f".ofType(Coding).where(code in ({codes})).exists())"
        )
    return {"extension": [{
        "url": ENABLE_WHEN_EXPRESSION,
        "valueExpression": {
            "description": "Shown when " + " and ".join(
                clause.describe() for clause, _key, _values in expanded
            ),
            "language": "text/fhirpath",
            "expression": " and ".join(tests),
        },
    }]}


def _fhirpath_text(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def _fhir_date(value: dt.datetime | dt.date | str) -> str:
    """A FHIR dateTime: a datetime needs its time zone, else only its date is given."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
