"""The questionnaire's rules as plain frozen dataclasses, and their one serialisable form.

`Questionnaire.from_dict` reads the JSON document described in docs/questionnaire-format.md and
`Questionnaire.to_dict` writes it back; the database, the admin, the commands and the tests all
go through these two. Standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

FORMAT = "iop-navigator/questionnaire"
FORMAT_VERSION = 1

#: Requirement statuses, from mild to severe.
SEVERITY_ORDER = ("met", "addressable", "unmet")

#: What a flag's note is: a safety note ("Keep yourself safe"), a practical tip, a next step
#: (what to do now, for example after saying you are ready), or nothing.
NOTE_KINDS = ("safety", "tip", "next_step", "")

#: Program features a flag can rank first (see `Flag.rank_features`).
RANK_FEATURES = ("evening", "weekend", "telehealth", "buprenorphine", "methadone", "naltrexone")

#: Kinds of optional matching-only questions.
#: Kinds of extra question: a choice (payment), a language, a ZIP code, how far the person
#: could travel (choices in miles) and their exact age (a number, optional).
EXTRA_KINDS = ("choice", "language", "zip", "radius", "age")

#: The flag that puts 911 before 988 when it comes with a crisis.
EMERGENCY = "emergency"


class QuestionnaireError(ValueError):
    """The rules themselves are wrong or cannot be read (the message says where and why)."""


# --------------------------------------------------------------------------- reading helpers


def _require(data: Mapping, key: str, kind, where: str):
    if not isinstance(data, Mapping):
        raise QuestionnaireError(f"{where} must be a JSON object, not {type(data).__name__}.")
    if key not in data:
        raise QuestionnaireError(f"{where} has no {key!r}.")
    return _typed(data[key], kind, f"{where} {key!r}")


def _optional(data: Mapping, key: str, kind, where: str, default=None):
    value = data.get(key, default)
    if value is None:
        return default
    return _typed(value, kind, f"{where} {key!r}")


def _typed(value, kind, where: str):
    names = {str: "text", bool: "true or false", int: "a whole number", list: "a list",
             dict: "an object"}
    if kind is int and isinstance(value, bool):
        raise QuestionnaireError(f"{where} must be a whole number, not {value!r}.")
    if not isinstance(value, kind):
        raise QuestionnaireError(f"{where} must be {names.get(kind, kind)}, not {value!r}.")
    return value


def _texts(data: Mapping, key: str, where: str) -> tuple[str, ...]:
    values = _optional(data, key, list, where, default=[])
    for item in values:
        _typed(item, str, f"{where} {key!r} item")
    return tuple(values)


def _drop_empty(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, (), [], "")}


# --------------------------------------------------------------------------- rules data


@dataclass(frozen=True)
class Level:
    """A level of care. ``rank`` orders levels from least to most intensive; ``step_down`` is
    the usual next step after it (for example IOP after residential care)."""

    code: str
    rank: int
    name: str = ""
    step_down: str | None = None

    def to_dict(self) -> dict:
        return {"code": self.code, "rank": self.rank, "name": self.name,
                "step_down": self.step_down}

    @classmethod
    def from_dict(cls, data: Mapping) -> Level:
        where = "a level"
        return cls(
            code=_require(data, "code", str, where),
            rank=_require(data, "rank", int, where),
            name=_optional(data, "name", str, where, ""),
            step_down=_optional(data, "step_down", str, where),
        )


@dataclass(frozen=True)
class Clause:
    """One upward-closed condition: a question at least a value, a multiple-choice question
    including any of some values, or a score at least a number."""

    question: str | None = None
    score: str | None = None
    at_least: str | int | None = None
    includes_any: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        if self.score is not None:
            return {"score": self.score, "at_least": self.at_least}
        if self.includes_any:
            return {"question": self.question, "includes_any": list(self.includes_any)}
        return {"question": self.question, "at_least": self.at_least}

    @classmethod
    def from_dict(cls, data: Mapping, where: str = "a clause") -> Clause:
        if not isinstance(data, Mapping):
            raise QuestionnaireError(f"{where} must be a JSON object, not {data!r}.")
        known = {"question", "score", "at_least", "includes_any"}
        extra = sorted(set(data) - known)
        if extra:
            raise QuestionnaireError(
                f"{where} has {extra[0]!r}; a clause has 'question' with 'at_least' or "
                "'includes_any', or 'score' with 'at_least'."
            )
        if "score" in data:
            if "question" in data or "includes_any" in data:
                raise QuestionnaireError(
                    f"{where} mixes a score with a question; a score clause is "
                    "{'score': KEY, 'at_least': N}."
                )
            return cls(
                score=_require(data, "score", str, where),
                at_least=_require(data, "at_least", int, where),
            )
        question = _require(data, "question", str, where)
        if ("at_least" in data) == ("includes_any" in data):
            raise QuestionnaireError(
                f"{where} on {question!r} needs exactly one of 'at_least' or 'includes_any'."
            )
        if "includes_any" in data:
            values = _texts(data, "includes_any", where)
            if not values:
                raise QuestionnaireError(f"{where} on {question!r} has an empty 'includes_any'.")
            return cls(question=question, includes_any=values)
        return cls(question=question, at_least=_require(data, "at_least", str, where))

    def describe(self) -> str:
        """The clause in short technical words (for messages to staff)."""
        if self.score is not None:
            return f"{self.score} ≥ {self.at_least}"
        if self.includes_any:
            return f"{self.question} includes any of {', '.join(self.includes_any)}"
        return f"{self.question} ≥ {self.at_least}"


@dataclass(frozen=True)
class Option:
    """One possible answer to a question, with its effect on the result."""

    value: str
    label: str = ""
    points: int = 0
    min_level: str | None = None
    crisis: bool = False
    flags: frozenset[str] = frozenset()
    requirement: str | None = None
    requirement_status: str | None = None
    explanation: str = ""
    exclusive: bool = False
    age_min: int | None = None
    age_max: int | None = None

    @property
    def moves_result(self) -> bool:
        """True when choosing this option changes the result in any way."""
        return bool(
            self.points > 0
            or self.min_level
            or self.crisis
            or self.flags
            or self.requirement_status in ("addressable", "unmet")
        )

    @property
    def emergency(self) -> bool:
        return self.crisis and EMERGENCY in self.flags

    def to_dict(self) -> dict:
        return {
            "value": self.value, "label": self.label, "points": self.points,
            "min_level": self.min_level, "crisis": self.crisis, "flags": sorted(self.flags),
            "requirement": self.requirement, "requirement_status": self.requirement_status,
            "exclusive": self.exclusive, "age_min": self.age_min, "age_max": self.age_max,
            "explanation": self.explanation,
        }

    @classmethod
    def from_dict(cls, data: Mapping, where: str = "an option") -> Option:
        value = _require(data, "value", str, where)
        where = f"option {value!r} of {where}"
        return cls(
            value=value,
            label=_optional(data, "label", str, where, ""),
            points=_optional(data, "points", int, where, 0),
            min_level=_optional(data, "min_level", str, where) or None,
            crisis=_optional(data, "crisis", bool, where, False),
            flags=frozenset(_texts(data, "flags", where)),
            requirement=_optional(data, "requirement", str, where) or None,
            requirement_status=_optional(data, "requirement_status", str, where) or None,
            explanation=_optional(data, "explanation", str, where, ""),
            exclusive=_optional(data, "exclusive", bool, where, False),
            age_min=_optional(data, "age_min", int, where),
            age_max=_optional(data, "age_max", int, where),
        )


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    step: str
    options: tuple[Option, ...]
    multiple: bool = False
    required: bool = True
    help_text: str = ""
    dimension: str = ""
    score: str | None = None
    enable_when: tuple[Clause, ...] = ()
    #: The message when a required question is left unanswered ("Choose how often you drank
    #: in the past month"); empty for a general one.
    error: str = ""

    def option(self, value: str) -> Option:
        for option in self.options:
            if option.value == value:
                return option
        raise KeyError(value)

    @cached_property
    def values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)

    @property
    def mildest(self) -> tuple[str, ...]:
        """What a hidden or unanswered question counts as: its first option, or nothing
        ticked for a multiple-choice question."""
        if self.multiple or not self.options:
            return ()
        return (self.options[0].value,)

    def to_dict(self) -> dict:
        data = {
            "key": self.key, "step": self.step, "text": self.text, "help_text": self.help_text,
            "multiple": self.multiple, "required": self.required, "dimension": self.dimension,
            "score": self.score, "enable_when": [clause.to_dict() for clause in self.enable_when],
            "options": [option.to_dict() for option in self.options],
        }
        if self.error:  # optional: documents written before it existed stay as they were
            data["error"] = self.error
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> Question:
        key = _require(data, "key", str, "a question")
        where = f"question {key!r}"
        options = _require(data, "options", list, where)
        return cls(
            key=key,
            text=_optional(data, "text", str, where, ""),
            step=_require(data, "step", str, where),
            help_text=_optional(data, "help_text", str, where, ""),
            error=_optional(data, "error", str, where, ""),
            multiple=_optional(data, "multiple", bool, where, False),
            required=_optional(data, "required", bool, where, True),
            dimension=_optional(data, "dimension", str, where, ""),
            score=_optional(data, "score", str, where) or None,
            enable_when=tuple(
                Clause.from_dict(item, f"a shown-when clause of {where}")
                for item in _optional(data, "enable_when", list, where, [])
            ),
            options=tuple(Option.from_dict(item, where) for item in options),
        )


@dataclass(frozen=True)
class Requirement:
    """A condition for the home-based levels (DESIGN §6, "Requirements")."""

    key: str
    name: str
    applies_to: frozenset[str]
    remedies: tuple[str, ...] = ()
    escalation_level: str | None = None
    help_text: str = ""

    def to_dict(self) -> dict:
        return {
            "key": self.key, "name": self.name, "help_text": self.help_text,
            "applies_to": sorted(self.applies_to), "remedies": list(self.remedies),
            "escalation_level": self.escalation_level,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Requirement:
        key = _require(data, "key", str, "a requirement")
        where = f"requirement {key!r}"
        return cls(
            key=key,
            name=_optional(data, "name", str, where, ""),
            help_text=_optional(data, "help_text", str, where, ""),
            applies_to=frozenset(_texts(data, "applies_to", where)),
            remedies=_texts(data, "remedies", where),
            escalation_level=_optional(data, "escalation_level", str, where) or None,
        )


@dataclass(frozen=True)
class Band:
    """Points from ``min_points`` to ``max_points`` (both included) suggest ``level``."""

    min_points: int
    max_points: int
    level: str

    def to_dict(self) -> dict:
        return {"min_points": self.min_points, "max_points": self.max_points,
                "level": self.level}

    @classmethod
    def from_dict(cls, data: Mapping) -> Band:
        where = "a severity band"
        return cls(
            min_points=_require(data, "min_points", int, where),
            max_points=_require(data, "max_points", int, where),
            level=_require(data, "level", str, where),
        )


@dataclass(frozen=True)
class ScoreBand:
    """A range of a score, what it means, and what it sets."""

    min_points: int
    max_points: int
    label: str = ""
    meaning: str = ""
    min_level: str | None = None
    flags: frozenset[str] = frozenset()

    def to_dict(self) -> dict:
        return {
            "min_points": self.min_points, "max_points": self.max_points, "label": self.label,
            "meaning": self.meaning, "min_level": self.min_level, "flags": sorted(self.flags),
        }

    @classmethod
    def from_dict(cls, data: Mapping, where: str) -> ScoreBand:
        where = f"a band of {where}"
        return cls(
            min_points=_require(data, "min_points", int, where),
            max_points=_require(data, "max_points", int, where),
            label=_optional(data, "label", str, where, ""),
            meaning=_optional(data, "meaning", str, where, ""),
            min_level=_optional(data, "min_level", str, where) or None,
            flags=frozenset(_texts(data, "flags", where)),
        )


@dataclass(frozen=True)
class Score:
    """A named sum of its items' option points (for example AUDIT-C), with bands."""

    key: str
    name: str = ""
    instrument: str = ""
    help_text: str = ""
    bands: tuple[ScoreBand, ...] = ()

    def band_for(self, points: int) -> ScoreBand | None:
        for band in self.bands:
            if band.min_points <= points <= band.max_points:
                return band
        return None

    def to_dict(self) -> dict:
        return {
            "key": self.key, "name": self.name, "instrument": self.instrument,
            "help_text": self.help_text, "bands": [band.to_dict() for band in self.bands],
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Score:
        key = _require(data, "key", str, "a score")
        where = f"score {key!r}"
        return cls(
            key=key,
            name=_optional(data, "name", str, where, ""),
            instrument=_optional(data, "instrument", str, where, ""),
            help_text=_optional(data, "help_text", str, where, ""),
            bands=tuple(
                ScoreBand.from_dict(item, where)
                for item in _optional(data, "bands", list, where, [])
            ),
        )


@dataclass(frozen=True)
class Rule:
    """A combination rule: when ALL its clauses hold, the result gets its effects."""

    key: str
    when: tuple[Clause, ...]
    name: str = ""
    min_level: str | None = None
    crisis: bool = False
    flags: frozenset[str] = frozenset()
    explanation: str = ""

    @property
    def emergency(self) -> bool:
        return self.crisis and EMERGENCY in self.flags

    def to_dict(self) -> dict:
        return {
            "key": self.key, "name": self.name,
            "when": [clause.to_dict() for clause in self.when],
            "min_level": self.min_level, "crisis": self.crisis, "flags": sorted(self.flags),
            "explanation": self.explanation,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Rule:
        key = _require(data, "key", str, "a rule")
        where = f"rule {key!r}"
        return cls(
            key=key,
            name=_optional(data, "name", str, where, ""),
            when=tuple(
                Clause.from_dict(item, f"a clause of {where}")
                for item in _require(data, "when", list, where)
            ),
            min_level=_optional(data, "min_level", str, where) or None,
            crisis=_optional(data, "crisis", bool, where, False),
            flags=frozenset(_texts(data, "flags", where)),
            explanation=_optional(data, "explanation", str, where, ""),
        )


@dataclass(frozen=True)
class Flag:
    """A marker answers, scores and rules can set: its note, and which programs it ranks first."""

    key: str
    name: str = ""
    note: str = ""
    note_kind: str = ""
    rank_services: tuple[str, ...] = ()
    rank_populations: tuple[str, ...] = ()
    rank_features: tuple[str, ...] = ()

    @property
    def ranks(self) -> bool:
        return bool(self.rank_services or self.rank_populations or self.rank_features)

    def to_dict(self) -> dict:
        return {
            "key": self.key, "name": self.name, "note": self.note, "note_kind": self.note_kind,
            "rank_services": list(self.rank_services),
            "rank_populations": list(self.rank_populations),
            "rank_features": list(self.rank_features),
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Flag:
        key = _require(data, "key", str, "a flag")
        where = f"flag {key!r}"
        return cls(
            key=key,
            name=_optional(data, "name", str, where, ""),
            note=_optional(data, "note", str, where, ""),
            note_kind=_optional(data, "note_kind", str, where, ""),
            rank_services=_texts(data, "rank_services", where),
            rank_populations=_texts(data, "rank_populations", where),
            rank_features=_texts(data, "rank_features", where),
        )


@dataclass(frozen=True)
class ExtraChoice:
    value: str
    label: str = ""
    payment_option: str | None = None

    def to_dict(self) -> dict:
        return {"value": self.value, "label": self.label, "payment_option": self.payment_option}


@dataclass(frozen=True)
class Extra:
    """An optional matching-only question (payment, language, ZIP): never stored, never
    changes the level."""

    key: str
    kind: str
    text: str = ""
    help_text: str = ""
    choices: tuple[ExtraChoice, ...] = ()

    def to_dict(self) -> dict:
        data = {"key": self.key, "kind": self.kind, "text": self.text,
                "help_text": self.help_text}
        if self.kind in ("choice", "radius"):
            data["choices"] = [choice.to_dict() for choice in self.choices]
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> Extra:
        key = _require(data, "key", str, "an extra question")
        where = f"extra question {key!r}"
        choices = []
        for item in _optional(data, "choices", list, where, []):
            value = _require(item, "value", str, f"a choice of {where}")
            choices.append(ExtraChoice(
                value=value,
                label=_optional(item, "label", str, where, ""),
                payment_option=_optional(item, "payment_option", str, where) or None,
            ))
        return cls(
            key=key,
            kind=_require(data, "kind", str, where),
            text=_optional(data, "text", str, where, ""),
            help_text=_optional(data, "help_text", str, where, ""),
            choices=tuple(choices),
        )


@dataclass(frozen=True)
class Step:
    key: str
    title: str = ""
    intro: str = ""

    def to_dict(self) -> dict:
        return {"key": self.key, "title": self.title, "intro": self.intro}

    @classmethod
    def from_dict(cls, data: Mapping) -> Step:
        key = _require(data, "key", str, "a step")
        where = f"step {key!r}"
        return cls(key=key, title=_optional(data, "title", str, where, ""),
                   intro=_optional(data, "intro", str, where, ""))


@dataclass(frozen=True)
class TestCase:
    """A known answer set and the result clinical staff expect of it."""

    __test__ = False  # not a pytest class

    name: str
    answers: Mapping[str, Any]
    expected_level: str
    expected_crisis: bool = False
    expected_emergency: bool | None = None
    expected_flags: frozenset[str] = frozenset()
    note: str = ""

    def to_dict(self) -> dict:
        return {
            "name": self.name, "answers": dict(self.answers),
            "expected_level": self.expected_level, "expected_crisis": self.expected_crisis,
            "expected_emergency": self.expected_emergency,
            "expected_flags": sorted(self.expected_flags), "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> TestCase:
        name = _require(data, "name", str, "a test case")
        where = f"test case {name!r}"
        return cls(
            name=name,
            answers=_require(data, "answers", dict, where),
            expected_level=_require(data, "expected_level", str, where),
            expected_crisis=_optional(data, "expected_crisis", bool, where, False),
            expected_emergency=_optional(data, "expected_emergency", bool, where),
            expected_flags=frozenset(_texts(data, "expected_flags", where)),
            note=_optional(data, "note", str, where, ""),
        )


@dataclass(frozen=True)
class Questionnaire:
    version: int
    levels: tuple[Level, ...]
    questions: tuple[Question, ...]
    requirements: tuple[Requirement, ...]
    bands: tuple[Band, ...]
    steps: tuple[Step, ...] = ()
    scores: tuple[Score, ...] = ()
    rules: tuple[Rule, ...] = ()
    flags: tuple[Flag, ...] = ()
    extras: tuple[Extra, ...] = ()
    test_cases: tuple[TestCase, ...] = field(default=(), compare=False)
    notes: str = field(default="", compare=False)

    @cached_property
    def _levels_by_code(self) -> dict[str, Level]:
        return {level.code: level for level in self.levels}

    @cached_property
    def _questions_by_key(self) -> dict[str, Question]:
        return {question.key: question for question in self.questions}

    @cached_property
    def _requirements_by_key(self) -> dict[str, Requirement]:
        return {requirement.key: requirement for requirement in self.requirements}

    @cached_property
    def _scores_by_key(self) -> dict[str, Score]:
        return {score.key: score for score in self.scores}

    def age_answer(self, answers: Mapping) -> tuple[Question, Option] | None:
        """The question and chosen answer that carry an age range (the age group), if any.
        ``answers``:
        question key → a value or a list of values; unknown keys and values are ignored."""
        for key, values in answers.items():
            if not self.has_question(key):
                continue
            question = self.question(key)
            for value in [values] if isinstance(values, str) else values:
                if value in question.values:
                    option = question.option(value)
                    if option.age_min is not None or option.age_max is not None:
                        return question, option
        return None

    @cached_property
    def flags_by_key(self) -> dict[str, Flag]:
        return {flag.key: flag for flag in self.flags}

    @cached_property
    def extra_keys(self) -> frozenset[str]:
        return frozenset(extra.key for extra in self.extras)

    @cached_property
    def level_ranks(self) -> dict[str, int]:
        return {level.code: level.rank for level in self.levels}

    @cached_property
    def question_keys(self) -> tuple[str, ...]:
        return tuple(question.key for question in self.questions)

    def level(self, code: str) -> Level:
        try:
            return self._levels_by_code[code]
        except KeyError:
            raise QuestionnaireError(f"Unknown level of care {code!r}.") from None

    def question(self, key: str) -> Question:
        try:
            return self._questions_by_key[key]
        except KeyError:
            raise QuestionnaireError(f"Unknown question {key!r}.") from None

    def has_question(self, key: str) -> bool:
        return key in self._questions_by_key

    def requirement(self, key: str) -> Requirement:
        try:
            return self._requirements_by_key[key]
        except KeyError:
            raise QuestionnaireError(f"Unknown requirement {key!r}.") from None

    def score(self, key: str) -> Score:
        try:
            return self._scores_by_key[key]
        except KeyError:
            raise QuestionnaireError(f"Unknown score {key!r}.") from None

    def score_items(self, key: str) -> tuple[Question, ...]:
        return tuple(question for question in self.questions if question.score == key)

    def score_max(self, key: str) -> int:
        return sum(_most_points(question) for question in self.score_items(key))

    def extra_question(self, key: str) -> Extra | None:
        for extra in self.extras:
            if extra.key == key:
                return extra
        return None

    def rank(self, code: str) -> int:
        return self.level(code).rank

    # ------------------------------------------------------------------- the document

    def to_dict(self, *, test_cases: bool = True) -> dict:
        """The complete, re-importable JSON document (docs/questionnaire-format.md)."""
        data = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "version": self.version,
            "notes": self.notes,
            "levels": [level.to_dict() for level in self.levels],
            "steps": [step.to_dict() for step in self.steps],
            "questions": [question.to_dict() for question in self.questions],
            "requirements": [requirement.to_dict() for requirement in self.requirements],
            "bands": [band.to_dict() for band in self.bands],
            "scores": [score.to_dict() for score in self.scores],
            "rules": [rule.to_dict() for rule in self.rules],
            "flags": [flag.to_dict() for flag in self.flags],
            "extras": [extra.to_dict() for extra in self.extras],
        }
        if test_cases:
            data["test_cases"] = [case.to_dict() for case in self.test_cases]
        return data

    @classmethod
    def from_dict(cls, data: Mapping, *, levels: tuple[Level, ...] | None = None) -> Questionnaire:
        """Read the JSON document. ``levels`` (the catalogue's levels of care) replaces the
        document's own list when given. Raises QuestionnaireError naming what is wrong; the
        result may still break the rules' invariants, which `validate_questionnaire` lists."""
        where = "the questionnaire"
        if not isinstance(data, Mapping):
            raise QuestionnaireError(
                f"The questionnaire must be a JSON object, not {type(data).__name__}."
            )
        found = data.get("format", FORMAT)
        if found != FORMAT:
            raise QuestionnaireError(f"This is not a questionnaire document (format {found!r}).")
        format_version = data.get("format_version", FORMAT_VERSION)
        if format_version != FORMAT_VERSION:
            raise QuestionnaireError(
                f"Questionnaire format version {format_version!r} is not supported "
                f"(this app reads version {FORMAT_VERSION})."
            )

        def items(key, reader):
            return tuple(reader(item) for item in _optional(data, key, list, where, []))

        return cls(
            version=_require(data, "version", int, where),
            notes=_optional(data, "notes", str, where, ""),
            levels=levels if levels is not None else items("levels", Level.from_dict),
            steps=items("steps", Step.from_dict),
            questions=tuple(
                Question.from_dict(item) for item in _require(data, "questions", list, where)
            ),
            requirements=items("requirements", Requirement.from_dict),
            bands=items("bands", Band.from_dict),
            scores=items("scores", Score.from_dict),
            rules=items("rules", Rule.from_dict),
            flags=items("flags", Flag.from_dict),
            extras=items("extras", Extra.from_dict),
            test_cases=items("test_cases", TestCase.from_dict),
        )


def _most_points(question: Question) -> int:
    if question.multiple:
        return sum(option.points for option in question.options if not option.exclusive)
    return max((option.points for option in question.options), default=0)
