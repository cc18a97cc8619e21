"""Answers in, a suggested level of care out (DESIGN §6 and §6b). Standard library only.

The decision:

1. Shown when: a question whose ``enable_when`` clauses do not all hold is hidden; it counts
   as its mildest answer, is not required, and an answer given for it is ignored.
2. ``points`` is the sum of the chosen options' points, leaving out score items; the band for
   those points gives the band level.
3. Each score is the sum of its items' points; its band may set flags and a minimum level.
4. Each combination rule whose clauses all hold sets its minimum level, crisis and flags.
5. ``level`` is the highest of the band level and every minimum level (options, score bands,
   rules). ``crisis`` when any chosen option or firing rule marks crisis; ``emergency`` when
   such a crisis source also carries the ``emergency`` flag.
6. Each requirement answered *unmet* that applies to ``level`` and has an escalation level
   raises ``level`` to it; repeat until nothing changes.
7. ``unmet_requirements`` lists every requirement answered addressable or unmet.
8. ``flags`` is the sorted union of every flag set; ``notes`` the flags with a safety note,
   ``tips`` those with a practical tip and ``next_steps`` those with a next step, in the
   questionnaire's flag order.
9. ``reasons`` are codes with parameters (worded at render time, never here).
10. ``next_step`` is the final level's usual step down.

Every clause is upward-closed and options go from mild to severe, so a more severe answer
never gives less care, drops a crisis or an emergency (tests/screening/test_engine_properties).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from screening.engine.model import (
    EMERGENCY,
    SEVERITY_ORDER,
    Band,
    Clause,
    Option,
    Question,
    Questionnaire,
    QuestionnaireError,
)

_SEVERITY_RANK = {status: index for index, status in enumerate(SEVERITY_ORDER)}

#: Error codes used by :class:`AnswerError`.
ANSWER_ERROR_CODES = frozenset(
    {"missing", "unknown_question", "unknown_value", "not_multiple", "empty", "exclusive"}
)

Answers = dict[str, tuple[str, ...]]


class AnswerError(ValueError):
    """An answer set that cannot be screened. ``code`` says why (see ANSWER_ERROR_CODES)."""

    def __init__(self, message: str, *, key: str | None = None, value: object = None, code: str):
        if code not in ANSWER_ERROR_CODES:
            raise ValueError(f"Unknown AnswerError code {code!r}.")
        super().__init__(message)
        self.key = key
        self.value = value
        self.code = code


# --------------------------------------------------------------------------- clauses


def clause_holds(
    questionnaire: Questionnaire,
    clause: Clause,
    answers: Mapping[str, Sequence[str]],
    scores: Mapping[str, int] | None = None,
) -> bool:
    """Whether ``clause`` holds for ``answers`` (``{key: (value, ...)}``; a question missing
    from it counts as its mildest answer) and ``scores``."""
    if clause.score is not None:
        return (scores or {}).get(clause.score, 0) >= int(clause.at_least)
    question = questionnaire.question(clause.question)
    chosen = answers.get(question.key)
    if chosen is None:
        chosen = question.mildest
    if clause.includes_any:
        return any(value in clause.includes_any for value in chosen)
    try:
        threshold = question.values.index(clause.at_least)
    except ValueError:
        raise QuestionnaireError(
            f"The clause {clause.describe()} names an answer {question.key!r} does not have."
        ) from None
    return any(question.values.index(value) >= threshold for value in chosen)


def is_shown(
    questionnaire: Questionnaire, question: Question, answers: Mapping[str, Sequence[str]]
) -> bool:
    """Whether ``question`` is asked, given the answers to the questions before it."""
    return all(clause_holds(questionnaire, clause, answers) for clause in question.enable_when)


def shown_questions(
    questionnaire: Questionnaire, answers: Mapping[str, Sequence[str]]
) -> tuple[Question, ...]:
    """The questions a person with these answers is asked, in order. A hidden question's
    answer is never used, even where another question depends on it."""
    effective: dict[str, Sequence[str]] = {}
    shown = []
    for question in questionnaire.questions:
        if is_shown(questionnaire, question, effective):
            shown.append(question)
            if question.key in answers:
                effective[question.key] = answers[question.key]
    return tuple(shown)


# --------------------------------------------------------------------------- answers


def _items(question: Question, given: object) -> list[str]:
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
            key=question.key, value=given, code="unknown_value",
        )
    for item in items:
        if not isinstance(item, str):
            raise AnswerError(
                f"The answer to {question.key!r} must be text, not {type(item).__name__} "
                f"({item!r}).",
                key=question.key, value=item, code="unknown_value",
            )
        if item not in question.values:
            raise AnswerError(
                f"{item!r} is not a possible answer to {question.key!r} (choose from: "
                f"{', '.join(question.values)}).",
                key=question.key, value=item, code="unknown_value",
            )
    return items


def normalise_answers(
    questionnaire: Questionnaire,
    raw: Mapping[str, object],
    extra_keys: frozenset[str] | None = None,
) -> Answers:
    """Check raw answers and return ``{question key: (value, ...)}`` for the questions that
    are shown and answered, in questionnaire order.

    Each raw answer is a string or a list/tuple of strings. Values of a multiple-choice
    question come back without duplicates, in option order. Keys in ``extra_keys`` (by default
    the questionnaire's own extras) are ignored, and so is an answer to a hidden question.
    ``None``, ``""`` or an empty list count as no answer, which is fine for an optional or
    hidden question and an error for a required one that is shown.
    """
    if extra_keys is None:
        extra_keys = questionnaire.extra_keys
    if not isinstance(raw, Mapping):
        raise AnswerError(
            f"Answers must be a mapping of question keys to values, not {type(raw).__name__}.",
            code="unknown_question",
        )
    unknown = sorted(
        (key for key in raw if not (isinstance(key, str) and questionnaire.has_question(key))
         and key not in extra_keys),
        key=repr,
    )
    if unknown:
        key = unknown[0]
        raise AnswerError(
            f"There is no question {key!r} in version {questionnaire.version} of the "
            "questionnaire.",
            key=key if isinstance(key, str) else None, value=raw[key], code="unknown_question",
        )

    result: Answers = {}
    for question in questionnaire.questions:
        if not is_shown(questionnaire, question, result):
            continue  # hidden: any answer given is ignored
        if question.key not in raw:
            if question.required:
                raise AnswerError(
                    f"The question {question.key!r} needs an answer.",
                    key=question.key, code="missing",
                )
            continue
        given = raw[question.key]
        items = _items(question, given)
        chosen = tuple(value for value in question.values if value in items)
        if not chosen:
            if question.required:
                raise AnswerError(
                    f"The answer to {question.key!r} is empty.",
                    key=question.key, value=given, code="empty",
                )
            continue
        if len(chosen) > 1 and not question.multiple:
            raise AnswerError(
                f"The question {question.key!r} takes one answer, but got {len(chosen)}: "
                f"{', '.join(chosen)}.",
                key=question.key, value=given, code="not_multiple",
            )
        if len(chosen) > 1:
            exclusive = [value for value in chosen if question.option(value).exclusive]
            if exclusive:
                raise AnswerError(
                    f"{exclusive[0]!r} cannot be chosen together with another answer to "
                    f"{question.key!r}.",
                    key=question.key, value=given, code="exclusive",
                )
        result[question.key] = chosen
    return result


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Reason:
    """Why the result is what it is, as a code with parameters (worded at render time).

    Codes: ``crisis`` (an answer that shows crisis help; ``emergency`` when 911 comes first),
    ``min_level`` (an answer that needs at least ``level``), ``points`` (an answer that adds
    severity points), ``requirement`` (an answer leaving a requirement addressable or unmet),
    ``flag`` (an answer that sets flags), ``score`` (a score band that sets a level or flags),
    ``rule`` (a combination rule that fired) and ``escalation`` (an unmet requirement that
    raised the level). ``decisive`` marks the reasons that set the final level.
    """

    code: str
    question: str | None = None
    answer: str | None = None
    level: str | None = None
    points: int | None = None
    rule: str | None = None
    score: str | None = None
    requirement: str | None = None
    status: str | None = None
    flags: tuple[str, ...] = ()
    emergency: bool = False
    decisive: bool = False

    def as_dict(self) -> dict:
        data = {"code": self.code}
        for name in ("question", "answer", "level", "points", "rule", "score", "requirement",
                     "status"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        if self.flags:
            data["flags"] = list(self.flags)
        if self.emergency:
            data["emergency"] = True
        if self.decisive:
            data["decisive"] = True
        return data


@dataclass(frozen=True)
class UnmetRequirement:
    key: str
    name: str
    status: str
    remedies: tuple[str, ...]
    escalated: bool


@dataclass(frozen=True)
class ScoreResult:
    """A score worked out for this person: its points, out of how many, and its band."""

    key: str
    points: int
    max_points: int
    band: int | None  # index into the score's bands


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
    scores: tuple[ScoreResult, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())
    tips: tuple[str, ...] = field(default=())
    next_steps: tuple[str, ...] = field(default=())
    rules: tuple[str, ...] = field(default=())
    shown: tuple[str, ...] = field(default=())

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
            "reasons": [reason.as_dict() for reason in self.reasons],
            "next_step": self.next_step,
            "scores": {score.key: score.points for score in self.scores},
            "notes": list(self.notes),
            "rules": list(self.rules),
        }


# --------------------------------------------------------------------------- decision


def band_for(bands: Sequence[Band], points: int) -> str:
    """The level code of the band that covers ``points``."""
    for band in bands:
        if band.min_points <= points <= band.max_points:
            return band.level
    covered = ", ".join(f"{band.min_points}-{band.max_points}" for band in bands) or "none"
    raise QuestionnaireError(f"No severity band covers {points} points (bands cover: {covered}).")


def crisis_of(chosen: Iterable[Option]) -> tuple[bool, bool]:
    """(crisis, emergency) for any set of chosen options: crisis when any of them is a crisis
    option, an emergency when such an option carries the "emergency" flag. The step pages use
    it part way through; `recommend` adds the combination rules on top."""
    crisis = emergency = False
    for option in chosen:
        if option.crisis:
            crisis = True
            emergency = emergency or option.emergency
    return crisis, emergency


def _option_reason(question: Question, option: Option) -> Reason:
    base = {"question": question.key, "answer": option.value,
            "flags": tuple(sorted(option.flags))}
    if option.crisis:
        return Reason("crisis", level=option.min_level, emergency=option.emergency, **base)
    if option.min_level:
        return Reason("min_level", level=option.min_level, **base)
    if option.points and question.score is None:
        return Reason("points", points=option.points, **base)
    if option.requirement_status in ("addressable", "unmet"):
        return Reason("requirement", requirement=option.requirement,
                      status=option.requirement_status, **base)
    return Reason("flag", **base)


def recommend(
    questionnaire: Questionnaire,
    answers: Mapping[str, Sequence[str] | str],
    extra_keys: frozenset[str] | None = None,
) -> Recommendation:
    """Validate ``answers`` and decide the suggested level of care (DESIGN §6 and §6b)."""
    given = normalise_answers(questionnaire, answers, extra_keys=extra_keys)
    shown = shown_questions(questionnaire, given)
    shown_keys = {question.key for question in shown}
    effective: Answers = {
        question.key: given.get(question.key, question.mildest)
        for question in questionnaire.questions
    }
    chosen: list[tuple[Question, Option]] = [
        (question, question.option(value))
        for question in questionnaire.questions
        for value in effective[question.key]
    ]
    ranks = questionnaire.level_ranks

    def higher(current: str, candidate: str | None) -> str:
        if candidate and questionnaire.rank(candidate) > ranks[current]:
            return candidate
        return current

    # Severity points and their band (score items count only in their score).
    points = sum(option.points for question, option in chosen if question.score is None)
    band_level = band_for(questionnaire.bands, points)
    questionnaire.level(band_level)

    kinds = {flag.key: flag.note_kind for flag in questionnaire.flags if flag.note}
    crisis, emergency = crisis_of(option for _, option in chosen)
    flags: set[str] = {flag for _, option in chosen for flag in option.flags}
    minimums: list[tuple[str, int]] = []  # (level, index of the reason that set it)
    reasons: list[Reason] = []
    for question, option in chosen:
        # A score item's points speak through its score's reason, not one per answer.
        moves = option.moves_result and not (
            question.score is not None and option.points and not (
                option.min_level or option.crisis or option.flags
                or option.requirement_status in ("addressable", "unmet")
            )
        )
        reason = _option_reason(question, option) if moves else None
        if reason is not None and reason.code == "flag" and all(
            kinds.get(flag) == "next_step" for flag in option.flags
        ):
            reason = None  # it only words the next step; it is no reason for the result
        if reason is not None and question.key in shown_keys:
            reasons.append(reason)
            if option.min_level:
                minimums.append((option.min_level, len(reasons) - 1))
        elif option.min_level:  # a hidden question counts as its mildest option, in full
            minimums.append((option.min_level, -1))

    # Scores.
    score_values: dict[str, int] = {}
    score_results: list[ScoreResult] = []
    for score in questionnaire.scores:
        items = questionnaire.score_items(score.key)
        value = sum(
            question.option(v).points for question in items for v in effective[question.key]
        )
        score_values[score.key] = value
        band = score.band_for(value)
        if any(question.key in shown_keys for question in items):
            score_results.append(ScoreResult(
                key=score.key, points=value, max_points=questionnaire.score_max(score.key),
                band=None if band is None else score.bands.index(band),
            ))
        if band is not None and (band.min_level or band.flags):
            flags |= band.flags
            reasons.append(Reason(
                "score", score=score.key, points=value, level=band.min_level,
                flags=tuple(sorted(band.flags)),
            ))
            if band.min_level:
                minimums.append((band.min_level, len(reasons) - 1))

    # Combination rules.
    fired: list[str] = []
    for rule in questionnaire.rules:
        if not all(
            clause_holds(questionnaire, clause, effective, score_values) for clause in rule.when
        ):
            continue
        fired.append(rule.key)
        flags |= rule.flags
        if rule.crisis:
            crisis = True
            emergency = emergency or rule.emergency
        reasons.append(Reason(
            "rule", rule=rule.key, level=rule.min_level, flags=tuple(sorted(rule.flags)),
            emergency=rule.emergency,
        ))
        if rule.min_level:
            minimums.append((rule.min_level, len(reasons) - 1))

    level = band_level
    for minimum, _index in minimums:
        level = higher(level, minimum)

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

    # Escalate for unmet requirements until stable. Levels only go up, so this ends after at
    # most one pass per level; the bound is belt and braces.
    escalated: set[str] = set()
    for _ in range(len(questionnaire.levels) + 1):
        changed = False
        for requirement in questionnaire.requirements:
            entry = statuses.get(requirement.key)
            if entry is None or entry[0] != "unmet" or not requirement.escalation_level:
                continue
            if level not in requirement.applies_to:
                continue
            if questionnaire.rank(requirement.escalation_level) <= ranks[level]:
                continue
            level = requirement.escalation_level
            escalated.add(requirement.key)
            reasons.append(Reason(
                "escalation", requirement=requirement.key, question=entry[1].key,
                answer=entry[2].value, level=level,
            ))
            minimums.append((level, len(reasons) - 1))
            changed = True
        if not changed:
            break

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

    # The reasons that set the final level are decisive (none when the bands alone did).
    decisive = {index for minimum, index in minimums if minimum == level}
    reasons = [
        Reason(**{**reason.__dict__, "decisive": True}) if index in decisive else reason
        for index, reason in enumerate(reasons)
    ]

    flag_order = [flag.key for flag in questionnaire.flags]
    ordered_flags = [key for key in flag_order if key in flags]
    return Recommendation(
        level=level,
        crisis=crisis,
        emergency=crisis and emergency,
        points=points,
        band_level=band_level,
        flags=tuple(sorted(flags)),
        unmet_requirements=unmet,
        reasons=tuple(reasons),
        next_step=questionnaire.level(level).step_down,
        scores=tuple(score_results),
        notes=tuple(key for key in ordered_flags if kinds.get(key) == "safety"),
        tips=tuple(key for key in ordered_flags if kinds.get(key) == "tip"),
        next_steps=tuple(key for key in ordered_flags if kinds.get(key) == "next_step"),
        rules=tuple(fired),
        shown=tuple(question.key for question in shown),
    )


__all__ = [
    "ANSWER_ERROR_CODES", "EMERGENCY", "AnswerError", "Reason", "Recommendation", "ScoreResult",
    "UnmetRequirement", "band_for", "clause_holds", "crisis_of", "is_shown",
    "normalise_answers", "recommend", "shown_questions",
]
