"""The screening engine: pure rules that turn answers into a suggested level of care.

This module must stay free of Django (see DESIGN §3 and §6). It takes plain frozen
dataclasses describing one version of the questionnaire and a mapping of answers, and
returns a :class:`Recommendation`. Standard library only.

The decision (DESIGN §6):

1. ``crisis`` is true when any chosen option marks crisis; ``emergency`` when a chosen
   crisis option carries the ``emergency`` flag.
2. ``points`` is the sum of the chosen options' points; the band for those points gives the
   band level; ``level`` is the highest of the band level and every chosen minimum level.
3. Each requirement answered *unmet* that applies to ``level`` and has an escalation level
   raises ``level`` to it (never lowers it); repeat until nothing changes.
4. ``unmet_requirements`` lists every requirement answered addressable or unmet, whatever
   the level.
5. ``flags`` is the sorted union of the chosen options' flags; ``reasons`` explains, in plain
   words, each answer that moved the result.
6. ``next_step`` is the chosen level's usual step down (for example IOP after residential).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

__all__ = [
    "SEVERITY_ORDER",
    "AnswerError",
    "Band",
    "Level",
    "Option",
    "Question",
    "Questionnaire",
    "QuestionnaireError",
    "Reason",
    "Recommendation",
    "Requirement",
    "UnmetRequirement",
    "band_for",
    "check_option_order",
    "normalise_answers",
    "recommend",
    "validate_questionnaire",
]

#: Requirement statuses, from mild to severe.
SEVERITY_ORDER = ("met", "addressable", "unmet")
_SEVERITY_RANK = {status: index for index, status in enumerate(SEVERITY_ORDER)}

#: Error codes used by :class:`AnswerError`.
ANSWER_ERROR_CODES = frozenset(
    {"missing", "unknown_question", "unknown_value", "not_multiple", "empty"}
)


# --------------------------------------------------------------------------- rules data


@dataclass(frozen=True)
class Level:
    """A level of care. ``rank`` orders levels from least to most intensive."""

    code: str
    rank: int
    name: str
    step_down: str | None = None


@dataclass(frozen=True)
class Option:
    """One possible answer to a question, with its effect on the result."""

    value: str
    label: str
    points: int = 0
    min_level: str | None = None
    crisis: bool = False
    flags: frozenset[str] = frozenset()
    requirement: str | None = None
    requirement_status: str | None = None
    explanation: str = ""

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


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    step: str
    options: tuple[Option, ...]
    multiple: bool = False
    required: bool = True

    def option(self, value: str) -> Option:
        for option in self.options:
            if option.value == value:
                return option
        raise KeyError(value)

    @cached_property
    def values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)


@dataclass(frozen=True)
class Requirement:
    """A condition for the home-based levels (DESIGN §6, "Requirements")."""

    key: str
    name: str
    applies_to: frozenset[str]
    remedies: tuple[str, ...] = ()
    escalation_level: str | None = None
    help_text: str = ""


@dataclass(frozen=True)
class Band:
    """Points from ``min_points`` to ``max_points`` (both included) suggest ``level``."""

    min_points: int
    max_points: int
    level: str


class QuestionnaireError(ValueError):
    """The rules themselves are inconsistent (for example no band covers the points)."""


@dataclass(frozen=True)
class Questionnaire:
    version: int
    levels: tuple[Level, ...]
    questions: tuple[Question, ...]
    requirements: tuple[Requirement, ...]
    bands: tuple[Band, ...]

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
    def level_ranks(self) -> dict[str, int]:
        return {level.code: level.rank for level in self.levels}

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

    def requirement(self, key: str) -> Requirement:
        try:
            return self._requirements_by_key[key]
        except KeyError:
            raise QuestionnaireError(f"Unknown requirement {key!r}.") from None

    def rank(self, code: str) -> int:
        return self.level(code).rank


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Reason:
    question: str
    answer: str
    text: str


@dataclass(frozen=True)
class UnmetRequirement:
    key: str
    name: str
    status: str
    remedies: tuple[str, ...]
    escalated: bool


@dataclass(frozen=True)
class Recommendation:
    level: str
    crisis: bool
    emergency: bool
    points: int
    band_level: str
    flags: tuple[str, ...]
    unmet_requirements: tuple[UnmetRequirement, ...] = field(default=())
    reasons: tuple[Reason, ...] = field(default=())
    next_step: str | None = None

    def as_dict(self) -> dict:
        """A JSON-friendly dict (only str, bool, int, None, lists and dicts)."""
        return {
            "level": self.level,
            "crisis": self.crisis,
            "emergency": self.emergency,
            "points": self.points,
            "flags": list(self.flags),
            "unmet_requirements": [
                {"key": item.key, "status": item.status, "remedies": list(item.remedies)}
                for item in self.unmet_requirements
            ],
            "reasons": [
                {"question": reason.question, "answer": reason.answer, "text": reason.text}
                for reason in self.reasons
            ],
            "next_step": self.next_step,
        }


# --------------------------------------------------------------------------- answers


class AnswerError(ValueError):
    """An answer set that cannot be screened. ``code`` says why (see ANSWER_ERROR_CODES)."""

    def __init__(self, message: str, *, key: str | None = None, value: object = None, code: str):
        if code not in ANSWER_ERROR_CODES:
            raise ValueError(f"Unknown AnswerError code {code!r}.")
        super().__init__(message)
        self.key = key
        self.value = value
        self.code = code


def normalise_answers(
    questionnaire: Questionnaire,
    raw: Mapping[str, object],
    extra_keys: frozenset[str] = frozenset(),
) -> dict[str, tuple[str, ...]]:
    """Check raw answers and return ``{question key: (value, ...)}`` in questionnaire order.

    Each raw answer is a string or a list/tuple of strings. Values of a multiple-choice
    question come back without duplicates, in option order. Keys in ``extra_keys`` are
    ignored. ``None``, ``""`` or an empty list count as no answer, which is fine for an
    optional question and an ``"empty"`` error for a required one.
    """
    if not isinstance(raw, Mapping):
        raise AnswerError(
            f"Answers must be a mapping of question keys to values, not {type(raw).__name__}.",
            code="unknown_question",
        )
    known = {question.key for question in questionnaire.questions}
    unknown = sorted((key for key in raw if key not in known and key not in extra_keys), key=repr)
    if unknown:
        key = unknown[0]
        raise AnswerError(
            f"There is no question {key!r} in version {questionnaire.version} of the "
            "questionnaire.",
            key=key if isinstance(key, str) else None,
            value=raw[key],
            code="unknown_question",
        )

    result: dict[str, tuple[str, ...]] = {}
    for question in questionnaire.questions:
        if question.key not in raw:
            if question.required:
                raise AnswerError(
                    f"The question {question.key!r} needs an answer.",
                    key=question.key,
                    code="missing",
                )
            continue
        given = raw[question.key]
        if isinstance(given, str):
            items: list[object] = [given] if given != "" else []
        elif isinstance(given, (list, tuple)):
            items = list(given)
        elif given is None:
            items = []
        else:
            raise AnswerError(
                f"The answer to {question.key!r} must be text or a list of text, not "
                f"{type(given).__name__}.",
                key=question.key,
                value=given,
                code="unknown_value",
            )
        for item in items:
            if not isinstance(item, str):
                raise AnswerError(
                    f"The answer to {question.key!r} must be text, not {type(item).__name__} "
                    f"({item!r}).",
                    key=question.key,
                    value=item,
                    code="unknown_value",
                )
            if item not in question.values:
                choices = ", ".join(question.values)
                raise AnswerError(
                    f"{item!r} is not a possible answer to {question.key!r} (choose from: "
                    f"{choices}).",
                    key=question.key,
                    value=item,
                    code="unknown_value",
                )
        chosen = tuple(value for value in question.values if value in items)
        if not chosen:
            if question.required:
                raise AnswerError(
                    f"The answer to {question.key!r} is empty.",
                    key=question.key,
                    value=given,
                    code="empty",
                )
            continue
        if len(chosen) > 1 and not question.multiple:
            raise AnswerError(
                f"The question {question.key!r} takes one answer, but got {len(chosen)}: "
                f"{', '.join(chosen)}.",
                key=question.key,
                value=given,
                code="not_multiple",
            )
        result[question.key] = chosen
    return result


# --------------------------------------------------------------------------- decision


def band_for(bands: Sequence[Band], points: int) -> str:
    """The level code of the band that covers ``points``."""
    for band in bands:
        if band.min_points <= points <= band.max_points:
            return band.level
    covered = ", ".join(f"{band.min_points}-{band.max_points}" for band in bands) or "none"
    raise QuestionnaireError(f"No severity band covers {points} points (bands cover: {covered}).")


def _generic_reason(option: Option) -> str:
    return f"You answered “{option.label}”."


def crisis_of(chosen: Iterable[Option]) -> tuple[bool, bool]:
    """Rule 1, for any set of chosen options (a finished screening or one part way through):
    (crisis, emergency) — crisis when any chosen option is a crisis option, an emergency when
    such an option carries the "emergency" flag."""
    crisis = emergency = False
    for option in chosen:
        if option.crisis:
            crisis = True
            emergency = emergency or "emergency" in option.flags
    return crisis, emergency


def recommend(
    questionnaire: Questionnaire,
    answers: Mapping[str, Sequence[str] | str],
    extra_keys: frozenset[str] = frozenset(),
) -> Recommendation:
    """Validate ``answers`` and decide the suggested level of care (DESIGN §6)."""
    chosen_values = normalise_answers(questionnaire, answers, extra_keys=extra_keys)
    chosen: list[tuple[Question, Option]] = [
        (question, question.option(value))
        for question in questionnaire.questions
        for value in chosen_values.get(question.key, ())
    ]

    # 1. crisis first.
    crisis, emergency = crisis_of(option for _, option in chosen)

    # 2. points, band and minimum levels.
    points = sum(option.points for _, option in chosen)
    band_level = band_for(questionnaire.bands, points)
    level = band_level
    for _, option in chosen:
        if option.min_level and questionnaire.rank(option.min_level) > questionnaire.rank(level):
            level = option.min_level

    # Requirement statuses: the most severe answer wins; remember which answer set it.
    statuses: dict[str, tuple[str, Question, Option]] = {}
    for question, option in chosen:
        if option.requirement is None:
            continue
        status = option.requirement_status or "met"
        if status not in _SEVERITY_RANK:
            raise QuestionnaireError(
                f"Option {option.value!r} of {question.key!r} has an unknown requirement status "
                f"{status!r}."
            )
        questionnaire.requirement(option.requirement)  # unknown keys are a rules error
        previous = statuses.get(option.requirement)
        if previous is None or _SEVERITY_RANK[status] > _SEVERITY_RANK[previous[0]]:
            statuses[option.requirement] = (status, question, option)

    # 3. escalate for unmet requirements until stable. Levels only ever go up, so this ends
    # after at most one pass per level; the guard is belt and braces.
    escalated: dict[str, str] = {}
    escalation_reasons: list[Reason] = []
    for _ in range(len(questionnaire.levels) + 1):
        changed = False
        for requirement in questionnaire.requirements:
            entry = statuses.get(requirement.key)
            if entry is None or entry[0] != "unmet" or not requirement.escalation_level:
                continue
            if level not in requirement.applies_to:
                continue
            if questionnaire.rank(requirement.escalation_level) <= questionnaire.rank(level):
                continue
            level = requirement.escalation_level
            escalated[requirement.key] = level
            target = questionnaire.level(level)
            escalation_reasons.append(
                Reason(
                    question=entry[1].key,
                    answer=entry[2].value,
                    text=(
                        f"Because you don't have this yet ({requirement.name.lower()}), "
                        f"we suggest starting with {target.name}."
                    ),
                )
            )
            changed = True
        if not changed:
            break

    # 4. every requirement answered addressable or unmet.
    unmet = tuple(
        UnmetRequirement(
            key=requirement.key,
            name=requirement.name,
            status=statuses[requirement.key][0],
            remedies=requirement.remedies,
            escalated=requirement.key in escalated,
        )
        for requirement in questionnaire.requirements
        if requirement.key in statuses and statuses[requirement.key][0] in ("addressable", "unmet")
    )

    # 5. flags and reasons.
    flags = tuple(sorted({flag for _, option in chosen for flag in option.flags}))
    reasons = [
        Reason(
            question=question.key,
            answer=option.value,
            text=option.explanation or _generic_reason(option),
        )
        for question, option in chosen
        if option.moves_result
    ]
    reasons.extend(escalation_reasons)

    # 6. the usual next step after a 24-hour setting.
    next_step = questionnaire.level(level).step_down

    return Recommendation(
        level=level,
        crisis=crisis,
        emergency=emergency,
        points=points,
        band_level=band_level,
        flags=flags,
        unmet_requirements=unmet,
        reasons=tuple(reasons),
        next_step=next_step,
    )


# --------------------------------------------------------------------------- rule checks


def check_option_order(
    question_options: Sequence[Option], level_ranks: Mapping[str, int]
) -> list[str]:
    """Problems with the order of a question's options, as plain sentences.

    Options must be listed from mild to severe: no later option may have fewer points, a
    lower minimum level (none counts as lowest), a milder requirement status (none counts as
    met), or drop crisis, compared with any option before it. Each problem names the
    offending (later) option's value. An empty list means the order is fine.
    """
    problems: list[str] = []
    max_points: Option | None = None
    max_level: tuple[int, Option] | None = None
    max_status: tuple[int, Option] | None = None
    first_crisis: Option | None = None

    for option in question_options:
        if option.min_level is not None and option.min_level not in level_ranks:
            problems.append(
                f"Option {option.value!r} has an unknown minimum level {option.min_level!r}."
            )
            level_rank = -1
        else:
            level_rank = -1 if option.min_level is None else level_ranks[option.min_level]
        status = option.requirement_status or "met"
        if status not in _SEVERITY_RANK:
            problems.append(
                f"Option {option.value!r} has an unknown requirement status {status!r} "
                f"(use one of: {', '.join(SEVERITY_ORDER)})."
            )
            status_rank = 0
        else:
            status_rank = _SEVERITY_RANK[status]

        if max_points is not None and option.points < max_points.points:
            problems.append(
                f"Option {option.value!r} has fewer points ({option.points}) than the earlier "
                "option "
                f"{max_points.value!r} ({max_points.points}); options must go from mild to severe."
            )
        if max_level is not None and level_rank < max_level[0]:
            earlier = max_level[1]
            problems.append(
                f"Option {option.value!r} has a lower minimum level "
                f"({option.min_level or 'none'}) than the "
                f"earlier option {earlier.value!r} ({earlier.min_level}); options must go from "
                "mild to severe."
            )
        if max_status is not None and status_rank < max_status[0]:
            earlier = max_status[1]
            problems.append(
                f"Option {option.value!r} has a milder requirement status ({status}) than the "
                "earlier option "
                f"{earlier.value!r} ({earlier.requirement_status}); options must go from mild to "
                "severe."
            )
        if first_crisis is not None and not option.crisis:
            problems.append(
                f"Option {option.value!r} is not marked as a crisis, but the earlier option "
                f"{first_crisis.value!r} is; options must go from mild to severe."
            )

        if max_points is None or option.points > max_points.points:
            max_points = option
        if max_level is None or level_rank > max_level[0]:
            max_level = (level_rank, option)
        if max_status is None or status_rank > max_status[0]:
            max_status = (status_rank, option)
        if first_crisis is None and option.crisis:
            first_crisis = option
    return problems


def validate_questionnaire(questionnaire: Questionnaire) -> list[str]:
    """Every consistency problem in a questionnaire, as plain sentences (empty when fine)."""
    problems: list[str] = []
    ranks = questionnaire.level_ranks
    if len(ranks) != len(questionnaire.levels):
        problems.append("Two levels of care share a code.")
    for level in questionnaire.levels:
        if level.step_down is not None and level.step_down not in ranks:
            problems.append(
                f"Level {level.code!r} steps down to an unknown level {level.step_down!r}."
            )

    requirement_keys = {requirement.key for requirement in questionnaire.requirements}
    if len(requirement_keys) != len(questionnaire.requirements):
        problems.append("Two requirements share a key.")
    for requirement in questionnaire.requirements:
        for code in sorted(requirement.applies_to):
            if code not in ranks:
                problems.append(
                    f"Requirement {requirement.key!r} applies to an unknown level {code!r}."
                )
        if requirement.escalation_level is not None and requirement.escalation_level not in ranks:
            problems.append(
                f"Requirement {requirement.key!r} escalates to an unknown level "
                f"{requirement.escalation_level!r}."
            )

    seen: set[str] = set()
    for question in questionnaire.questions:
        if question.key in seen:
            problems.append(f"Two questions share the key {question.key!r}.")
        seen.add(question.key)
        if not question.options:
            problems.append(f"Question {question.key!r} has no options.")
        if len(set(question.values)) != len(question.options):
            problems.append(f"Question {question.key!r} has two options with the same value.")
        for option in question.options:
            if option.requirement is not None and option.requirement not in requirement_keys:
                problems.append(
                    f"Option {option.value!r} of {question.key!r} refers to an unknown requirement "
                    f"{option.requirement!r}."
                )
            if option.requirement_status is not None and option.requirement is None:
                problems.append(
                    f"Option {option.value!r} of {question.key!r} has a status but no requirement."
                )
        problems.extend(
            f"{question.key}: {problem}" for problem in check_option_order(question.options, ranks)
        )

    # Bands must cover every reachable total, from 0 to the largest possible total.
    for band in questionnaire.bands:
        if band.level not in ranks:
            problems.append(
                f"Band {band.min_points}-{band.max_points} points to an unknown level "
                f"{band.level!r}."
            )
        if band.min_points > band.max_points:
            problems.append(f"Band {band.min_points}-{band.max_points} is empty.")
    most = sum(
        sum(o.points for o in q.options)
        if q.multiple
        else max((o.points for o in q.options), default=0)
        for q in questionnaire.questions
    )
    for points in range(most + 1):
        covering = [
            band for band in questionnaire.bands if band.min_points <= points <= band.max_points
        ]
        if not covering:
            problems.append(f"No band covers {points} points.")
        elif len(covering) > 1:
            problems.append(f"More than one band covers {points} points.")
    ordered = sorted(questionnaire.bands, key=lambda band: band.min_points)
    for lower, higher in zip(ordered, ordered[1:], strict=False):
        if (
            lower.level in ranks
            and higher.level in ranks
            and ranks[higher.level] < ranks[lower.level]
        ):
            problems.append(
                f"Band {higher.min_points}-{higher.max_points} suggests a lower level than band "
                f"{lower.min_points}-{lower.max_points}; more points must never mean less care."
            )
    return problems
