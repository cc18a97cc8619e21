"""Consistency checks on a questionnaire's rules, as plain sentences for staff.

These are the invariants that keep the decision monotonic: options from mild to severe,
upward-closed clauses, bands that never suggest less care for more points.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from screening.engine.model import (
    EXTRA_KINDS,
    NOTE_KINDS,
    RANK_FEATURES,
    SEVERITY_ORDER,
    Clause,
    Option,
    Question,
    Questionnaire,
    _most_points,
)

_SEVERITY_RANK = {status: index for index, status in enumerate(SEVERITY_ORDER)}


def check_option_order(
    question_options: Sequence[Option], level_ranks: Mapping[str, int]
) -> list[str]:
    """Problems with the order of a question's options, as plain sentences.

    Options must be listed from mild to severe: no later option may have fewer points, a
    lower minimum level (none counts as lowest), a milder requirement status (none counts as
    met), or drop crisis or the emergency flag, compared with any option before it. Each
    problem names the offending (later) option's value. An empty list means the order is fine.
    """
    problems: list[str] = []
    max_points: Option | None = None
    max_level: tuple[int, Option] | None = None
    max_status: tuple[int, Option] | None = None
    first_crisis: Option | None = None
    first_emergency: Option | None = None

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
        if first_emergency is not None and not option.emergency:
            problems.append(
                f"Option {option.value!r} is not an emergency, but the earlier option "
                f"{first_emergency.value!r} is; options must go from mild to severe."
            )

        if max_points is None or option.points > max_points.points:
            max_points = option
        if max_level is None or level_rank > max_level[0]:
            max_level = (level_rank, option)
        if max_status is None or status_rank > max_status[0]:
            max_status = (status_rank, option)
        if first_crisis is None and option.crisis:
            first_crisis = option
        if first_emergency is None and option.emergency:
            first_emergency = option
    return problems


def check_clause(
    questionnaire: Questionnaire,
    clause: Clause,
    *,
    before: str | None = None,
    scores_allowed: bool = True,
) -> list[str]:
    """Problems with one clause: what it names must exist, and it must be upward-closed (a
    more severe answer can only keep it true). ``before``: the clause belongs to this
    question's shown-when conditions, so it may only look at earlier questions."""
    text = clause.describe()
    if clause.score is not None:
        if not scores_allowed:
            return [f"“{text}”: a shown-when condition can only look at an earlier question."]
        if clause.score not in {score.key for score in questionnaire.scores}:
            return [f"“{text}”: there is no score {clause.score!r}."]
        if not isinstance(clause.at_least, int) or isinstance(clause.at_least, bool) or (
            clause.at_least < 0
        ):
            return [f"“{text}”: a score must be compared with a whole number of 0 or more."]
        return []
    if not questionnaire.has_question(clause.question or ""):
        return [f"“{text}”: there is no question {clause.question!r}."]
    question = questionnaire.question(clause.question)
    if before is not None:
        keys = questionnaire.question_keys
        if before not in keys or keys.index(question.key) >= keys.index(before):
            return [f"“{text}”: a question can only be shown depending on an earlier question."]
    if clause.includes_any:
        problems = [
            f"“{text}”: {question.key!r} has no answer {value!r}."
            for value in clause.includes_any
            if value not in question.values
        ]
        if problems:
            return problems
        exclusive = [v for v in clause.includes_any if question.option(v).exclusive]
        if exclusive:
            return [
                f"“{text}” is not upward-closed: {exclusive[0]!r} is a “none of these” answer, "
                "and ticking more answers would make the clause false."
            ]
        if not question.multiple:
            first = min(question.values.index(v) for v in clause.includes_any)
            if set(clause.includes_any) != set(question.values[first:]):
                return [
                    f"“{text}” is not upward-closed: {question.key!r} takes one answer, so the "
                    "values must include every answer from the mildest one chosen to the most "
                    f"severe (use “{question.key} ≥ {question.values[first]}”)."
                ]
        return []
    if not isinstance(clause.at_least, str) or clause.at_least not in question.values:
        return [f"“{text}”: {question.key!r} has no answer {clause.at_least!r}."]
    return []


def _known(values, known, what: str, where: str) -> list[str]:
    return [f"{where} uses an unknown {what} {value!r}." for value in sorted(values)
            if value not in known]


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
        escalation = requirement.escalation_level
        known = [ranks[code] for code in requirement.applies_to if code in ranks]
        if escalation in ranks and known:
            # Escalating from a level but not from a more intensive one below the target
            # would give less care for a higher level: the levels must run without a gap.
            gaps = sorted(
                (level for level in questionnaire.levels
                 if min(known) < level.rank < ranks[escalation]
                 and level.code not in requirement.applies_to),
                key=lambda level: level.rank,
            )
            if gaps:
                problems.append(
                    f"Requirement {requirement.key!r} escalates to {escalation!r} but does not "
                    f"apply to {gaps[0].code!r}, which lies between its levels and that one; "
                    "a higher level would then get less care."
                )
        if requirement.escalation_level is not None and requirement.escalation_level not in ranks:
            problems.append(
                f"Requirement {requirement.key!r} escalates to an unknown level "
                f"{requirement.escalation_level!r}."
            )

    flag_keys = {flag.key for flag in questionnaire.flags}
    if len(flag_keys) != len(questionnaire.flags):
        problems.append("Two flags share a key.")
    for flag in questionnaire.flags:
        if flag.note_kind not in NOTE_KINDS:
            problems.append(
                f"Flag {flag.key!r} has an unknown kind of note {flag.note_kind!r} (use safety, "
                "tip or nothing)."
            )
        problems.extend(_known(flag.rank_features, RANK_FEATURES, "program feature",
                               f"Flag {flag.key!r}"))

    def check_flags(flags, where):
        if questionnaire.flags:  # a document without a flag list takes any key
            problems.extend(_known(flags, flag_keys, "flag", where))

    step_keys = [step.key for step in questionnaire.steps]
    if len(set(step_keys)) != len(step_keys):
        problems.append("Two steps share a key.")
    score_keys = {score.key for score in questionnaire.scores}

    seen: set[str] = set()
    for question in questionnaire.questions:
        where = f"Question {question.key!r}"
        if question.key in seen:
            problems.append(f"Two questions share the key {question.key!r}.")
        seen.add(question.key)
        if step_keys and question.step not in step_keys:
            problems.append(f"{where} is in an unknown step {question.step!r}.")
        if not question.options:
            problems.append(f"{where} has no options.")
        if len(set(question.values)) != len(question.options):
            problems.append(f"{where} has two options with the same value.")
        if question.score is not None and question.score not in score_keys:
            problems.append(f"{where} counts towards an unknown score {question.score!r}.")
        for clause in question.enable_when:
            problems.extend(
                f"{where}, shown when: {problem}"
                for problem in check_clause(
                    questionnaire, clause, before=question.key, scores_allowed=False
                )
            )
        named = {option.requirement for option in question.options if option.requirement}
        if len(named) > 1:
            problems.append(
                f"{where} sets more than one requirement ({', '.join(sorted(named))}); a "
                "question's answers must all speak of the same one."
            )
        for option in question.options:
            owhere = f"Option {option.value!r} of {question.key!r}"
            if option.points < 0:
                problems.append(f"{owhere} has negative points ({option.points}).")
            if option.requirement is not None and option.requirement not in requirement_keys:
                problems.append(
                    f"{owhere} refers to an unknown requirement {option.requirement!r}."
                )
            if option.requirement_status is not None and option.requirement is None:
                problems.append(f"{owhere} has a status but no requirement.")
            check_flags(option.flags, owhere)
            if option.exclusive and not question.multiple:
                problems.append(
                    f"{owhere} is marked “none of these”, but the question takes one answer "
                    "anyway."
                )
            if option.exclusive and option.moves_result:
                problems.append(
                    f"{owhere} is a “none of these” answer, so it must not change the result."
                )
            if (option.age_min is not None and option.age_max is not None
                    and option.age_min > option.age_max):
                problems.append(f"{owhere} has an age range that ends before it starts.")
        problems.extend(
            f"{question.key}: {problem}" for problem in check_option_order(question.options, ranks)
        )

    _check_bands(questionnaire, problems, ranks)

    for score in questionnaire.scores:
        where = f"Score {score.key!r}"
        if not questionnaire.score_items(score.key):
            problems.append(f"{where} has no questions.")
        most = questionnaire.score_max(score.key)
        _check_ranges(
            [(band.min_points, band.max_points) for band in score.bands], most,
            f"score {score.key!r}", problems,
        )
        ordered = sorted(score.bands, key=lambda band: band.min_points)
        top = -1
        for band in ordered:
            bwhere = f"{where}, band {band.min_points}-{band.max_points}"
            if band.min_level is not None and band.min_level not in ranks:
                problems.append(f"{bwhere} needs an unknown level {band.min_level!r}.")
                continue
            check_flags(band.flags, bwhere)
            rank = -1 if band.min_level is None else ranks[band.min_level]
            if rank < top:
                problems.append(
                    f"{bwhere} needs a lower level than the band below it; a higher score must "
                    "never mean less care."
                )
            top = max(top, rank)

    rule_keys = [rule.key for rule in questionnaire.rules]
    if len(set(rule_keys)) != len(rule_keys):
        problems.append("Two combination rules share a key.")
    for rule in questionnaire.rules:
        where = f"Rule {rule.key!r}"
        if not rule.when:
            problems.append(f"{where} has no clauses; it would apply to everyone.")
        for clause in rule.when:
            problems.extend(
                f"{where}: {problem}" for problem in check_clause(questionnaire, clause)
            )
        if rule.min_level is not None and rule.min_level not in ranks:
            problems.append(f"{where} needs an unknown level {rule.min_level!r}.")
        check_flags(rule.flags, where)
        if not (rule.min_level or rule.crisis or rule.flags):
            problems.append(f"{where} changes nothing.")

    extra_keys = [extra.key for extra in questionnaire.extras]
    if len(set(extra_keys)) != len(extra_keys):
        problems.append("Two extra questions share a key.")
    for extra in questionnaire.extras:
        if extra.kind not in EXTRA_KINDS:
            problems.append(
                f"Extra question {extra.key!r} has an unknown kind {extra.kind!r} (use one of: "
                f"{', '.join(EXTRA_KINDS)})."
            )
        if extra.key in seen:
            problems.append(f"Extra question {extra.key!r} has the key of a question.")
        if extra.kind == "radius" and (
            not extra.choices
            or not all(choice.value.isdigit() and 0 < int(choice.value) <= 1000
                       for choice in extra.choices)
        ):
            problems.append(
                f"Extra question {extra.key!r} asks how far to travel: its choices must be "
                "numbers of miles from 1 to 1000."
            )
    return problems


def _check_ranges(ranges, most: int, where: str, problems: list[str]) -> None:
    """Bands (``(low, high)`` ranges) must cover 0 to ``most`` exactly once each. ``where``
    names the bands' owner in the messages ("" for the severity bands)."""
    of = f" of {where}" if where else ""
    for low, high in ranges:
        if low > high:
            problems.append(f"Band {low}-{high}{of} is empty.")
    for points in range(most + 1):
        covering = [(low, high) for low, high in ranges if low <= points <= high]
        if not covering:
            problems.append(f"No band{of} covers {points} points.")
        elif len(covering) > 1:
            problems.append(f"More than one band{of} covers {points} points.")


def _severity_max(question: Question) -> int:
    return 0 if question.score is not None else _most_points(question)


def _check_bands(questionnaire: Questionnaire, problems: list[str], ranks) -> None:
    """Severity bands must cover every reachable total, from 0 to the largest possible total,
    and never suggest a lower level for more points."""
    for band in questionnaire.bands:
        if band.level not in ranks:
            problems.append(
                f"Band {band.min_points}-{band.max_points} points to an unknown level "
                f"{band.level!r}."
            )
    most = sum(_severity_max(question) for question in questionnaire.questions)
    _check_ranges(
        [(band.min_points, band.max_points) for band in questionnaire.bands], most, "", problems
    )
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


__all__ = ["check_clause", "check_option_order", "validate_questionnaire"]
