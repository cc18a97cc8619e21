"""Property tests of the screening engine over GENERATED questionnaires (DESIGN §6 and §6b).

`questionnaires()` builds random questionnaires that keep every documented invariant: options
from mild to severe, upward-closed clauses (shown-when, combination rules), scores whose bands
cover 0..max, severity bands that never suggest less care for more points, requirements whose
escalation applies up to the level it escalates to. Every generated questionnaire must pass
`validate_questionnaire` (the generator is honest); the engine must then be monotonic, put
crisis first, be deterministic, ignore hidden answers, round-trip through its JSON form, refuse
exclusive answers mixed with others, speak in codes, respect every minimum level, escalate
until nothing changes, and list flags, notes and tips as documented.

The oracle helpers (`effective_answers`, `clause_true`, ...) re-read docs/questionnaire-format.md
independently of `screening.engine.decide`, so a wrong engine cannot confirm itself.

Pure Python: no Django, no database.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import cache

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from screening.engine import (
    EMERGENCY,
    NOTE_KINDS,
    RANK_FEATURES,
    SEVERITY_ORDER,
    AnswerError,
    Band,
    Clause,
    Extra,
    Flag,
    Level,
    Option,
    Question,
    Questionnaire,
    Requirement,
    Rule,
    Score,
    ScoreBand,
    Step,
    check_clause,
    recommend,
    validate_questionnaire,
)

LEVEL_CODES = ("self_help", "outpatient", "iop", "php", "residential", "withdrawal_management")
LEVELS = tuple(
    Level(
        code=code,
        rank=rank,
        name=code.replace("_", " ").capitalize(),
        step_down="iop" if code in ("residential", "withdrawal_management") else None,
    )
    for rank, code in enumerate(LEVEL_CODES)
)
RANKS = {level.code: level.rank for level in LEVELS}
HOME_LEVELS = ("outpatient", "iop", "php")
FLAG_POOL = (EMERGENCY, "medical_review", "co_occurring", "naloxone", "adolescent",
             "flexible_schedule")
OTHER_FLAGS = FLAG_POOL[1:]
REASON_CODES = frozenset(
    {"crisis", "min_level", "points", "requirement", "flag", "score", "rule", "escalation"}
)
IDENTIFIER = re.compile(r"[a-z0-9_]+")

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    database=None,  # nothing written to .hypothesis/
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
)


@cache
def ints(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


def one_in(draw, n: int) -> bool:
    return draw(ints(0, n - 1)) == 0


def pick(draw, items):
    items = tuple(items)
    return items[draw(ints(0, len(items) - 1))]


FLAGS_1_2 = st.frozensets(st.sampled_from(OTHER_FLAGS), max_size=2)
#: Flag sets an option may carry, mostly none; the "emergency" flag alone (without crisis) is
#: not an emergency, so it appears here too.
OPTION_FLAG_SETS = (
    (frozenset(),) * 6
    + tuple(frozenset({key}) for key in OTHER_FLAGS)
    + (frozenset({"medical_review", "co_occurring"}), frozenset({EMERGENCY}),
       frozenset({EMERGENCY, "naloxone"}))
)
#: (note, note kind, program features) a flag may have: every kind of note the engine knows,
#: with and without a text.
FLAG_STYLES = tuple(
    (note, kind, features)
    for note in ("", "Staff words for this note.")
    for kind in NOTE_KINDS
    for features in ((), ("evening",), ("telehealth", "weekend"))
)


def rank(code: str | None) -> int:
    """A level's rank; no level counts as below the lowest."""
    return -1 if code is None else RANKS[code]


# --------------------------------------------------------------------------- the generator


def most_points(question: Question) -> int:
    """The most points one answer can give (all non-exclusive options for multiple choice)."""
    if question.multiple:
        return sum(option.points for option in question.options if not option.exclusive)
    return max(option.points for option in question.options)


def plain_values(question: Question) -> tuple[str, ...]:
    return tuple(option.value for option in question.options if not option.exclusive)


def option_ladder(draw, count: int, requirement: str | None) -> tuple[Option, ...]:
    """``count`` options from mild to severe: points, minimum level, crisis, emergency and
    requirement status never go down from one option to the next."""
    points = 0
    level = -1
    crisis = emergency = False
    status = 0
    options = []
    for index in range(count):
        points += draw(ints(0, 3))
        if one_in(draw, 3):
            level = draw(ints(level, 5))
        crisis = crisis or one_in(draw, 6)
        emergency = emergency or (crisis and one_in(draw, 3))
        flags = set(pick(draw, OPTION_FLAG_SETS))
        if crisis:
            flags.discard(EMERGENCY)
        if emergency:
            flags.add(EMERGENCY)
        requirement_status = None
        if requirement is not None:
            status = draw(ints(status, 2))
            # None counts as "met".
            requirement_status = (
                None if status == 0 and draw(st.booleans()) else SEVERITY_ORDER[status]
            )
        options.append(Option(
            value=f"v{index}",
            label=f"Answer {index}",
            points=points,
            min_level=None if level < 0 else LEVEL_CODES[level],
            crisis=crisis,
            flags=frozenset(flags),
            requirement=requirement,
            requirement_status=requirement_status,
            explanation="staff words" if points % 2 else "",
        ))
    return tuple(options)


def question_clause(draw, question: Question) -> Clause:
    """An upward-closed clause on ``question``: ``at_least`` any plain value, or
    ``includes_any`` (any plain values for multiple choice, a suffix for single choice).
    Never an exclusive value."""
    values = plain_values(question)
    kind = pick(draw, ["at_least", "includes_any"])
    if kind == "at_least":
        return Clause(question=question.key, at_least=pick(draw, values))
    if question.multiple:
        chosen = draw(st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True))
    else:
        start = draw(ints(0, len(values) - 1))
        chosen = draw(st.permutations(values[start:]))
    return Clause(question=question.key, includes_any=tuple(chosen))


def partition(draw, most: int, max_cuts: int = 3) -> list[tuple[int, int]]:
    """Contiguous ranges covering 0..most exactly once."""
    cuts = sorted(draw(st.sets(ints(1, most), max_size=max_cuts))) if most else []
    starts = [0, *cuts]
    ends = [cut - 1 for cut in cuts] + [most]
    return list(zip(starts, ends, strict=True))


def requirement_strategy(draw, index: int) -> Requirement:
    if draw(st.booleans()):
        # Escalating: it applies to every level from some level up to just below the level it
        # escalates to (as sober housing: iop, php -> residential).
        top = draw(ints(1, 5))
        low = draw(ints(0, top - 1))
        applies_to = frozenset(LEVEL_CODES[low:top])
        escalation = LEVEL_CODES[top]
    else:
        applies_to = draw(st.frozensets(st.sampled_from(HOME_LEVELS), min_size=1))
        escalation = None
    return Requirement(
        key=f"r{index}",
        name=f"Requirement {index}",
        applies_to=applies_to,
        remedies=tuple(draw(st.lists(st.sampled_from(["referral", "telehealth"]),
                                     max_size=2, unique=True))),
        escalation_level=escalation,
    )


@st.composite
def questionnaires(draw, force_exclusive: bool = False) -> Questionnaire:
    count = draw(ints(1, 8))
    requirements = [requirement_strategy(draw, index) for index in range(draw(ints(0, 2)))]
    if len(requirements) == 2 and requirements[1].escalation_level and one_in(draw, 2):
        # A chain listed backwards, so one pass of escalation is not enough: r1 raises the
        # level into r0's range, r0 raises it further.
        start = RANKS[requirements[1].escalation_level]
        if start < 5:
            top = draw(ints(start + 1, 5))
            requirements[0] = replace(requirements[0], applies_to=frozenset(
                LEVEL_CODES[start:top]), escalation_level=LEVEL_CODES[top])
    forced = draw(ints(0, count - 1)) if force_exclusive else -1

    questions: list[Question] = []
    for index in range(count):
        multiple = index == forced or one_in(draw, 3)
        exclusive = index == forced or (multiple and draw(st.booleans()))
        requirement = None
        if requirements and draw(st.booleans()):
            requirement = pick(draw, [r.key for r in requirements])
        options = option_ladder(draw, draw(ints(1, 5)), requirement)
        if exclusive:
            options = (Option(value="none", label="None of these", exclusive=True), *options)
        enable_when: tuple[Clause, ...] = ()
        if questions and one_in(draw, 2):
            enable_when = tuple(
                question_clause(draw, pick(draw, questions))
                for _ in range(draw(ints(1, 2)))
            )
        questions.append(Question(
            key=f"q{index}",
            text=f"Question {index}?",
            step="main",
            options=options,
            multiple=multiple,
            required=draw(ints(0, 3)) > 0,
            help_text="why we ask",
            dimension=pick(draw, ["", "1", "3"]),
            enable_when=enable_when,
        ))

    # Scores: each question may be an item of one score; a score without items is dropped.
    score_count = draw(ints(0, min(2, count)))
    if score_count:
        assignment = draw(st.lists(
            st.sampled_from([None, *(f"s{index}" for index in range(score_count))]),
            min_size=count, max_size=count,
        ))
        questions = [
            replace(question, score=key) if key is not None else question
            for question, key in zip(questions, assignment, strict=True)
        ]
    scores = []
    for key in sorted({q.score for q in questions if q.score is not None}):
        most = sum(most_points(q) for q in questions if q.score == key)
        level = -1
        bands = []
        for low, high in partition(draw, most):
            if draw(st.booleans()):
                level = draw(ints(level, 5))
            bands.append(ScoreBand(
                min_points=low, max_points=high, label=f"{low}-{high}", meaning="a screen",
                min_level=None if level < 0 else LEVEL_CODES[level],
                flags=draw(FLAGS_1_2),
            ))
        scores.append(Score(key=key, name=f"Score {key}", instrument="TEST", bands=tuple(bands)))

    severity_most = sum(most_points(q) for q in questions if q.score is None)
    level = 0
    bands = []
    for low, high in partition(draw, severity_most):
        level = draw(ints(level, min(level + 2, 5)))
        bands.append(Band(min_points=low, max_points=high, level=LEVEL_CODES[level]))

    rules = []
    for index in range(draw(ints(0, 4))):
        clauses = []
        for _ in range(draw(ints(1, 3))):
            if scores and one_in(draw, 3):
                score = pick(draw, scores)
                most = sum(most_points(q) for q in questions if q.score == score.key)
                clauses.append(Clause(score=score.key, at_least=draw(ints(0, most + 1))))
            else:
                clauses.append(question_clause(draw, pick(draw, questions)))
        min_level = None if draw(st.booleans()) else pick(draw, LEVEL_CODES)
        crisis = one_in(draw, 3)
        flags = set(draw(FLAGS_1_2))
        if one_in(draw, 3):
            flags.add(EMERGENCY)
        if not (min_level or crisis or flags):
            min_level = pick(draw, LEVEL_CODES)
        rules.append(Rule(
            key=f"rule{index}", name=f"Rule {index}", when=tuple(clauses), min_level=min_level,
            crisis=crisis, flags=frozenset(flags), explanation="staff words",
        ))

    flags = ()
    if draw(ints(0, 3)) > 0:  # otherwise no flag list: any flag key is taken
        flags = tuple(
            Flag(key=key, name=key.replace("_", " "), note=note, note_kind=kind,
                 rank_features=features)
            for key in draw(st.permutations(FLAG_POOL))
            for note, kind, features in [pick(draw, FLAG_STYLES)]
        )

    questionnaire = Questionnaire(
        version=draw(ints(1, 9)),
        levels=LEVELS,
        steps=(Step(key="main", title="Main", intro="…"),),
        questions=tuple(questions),
        requirements=tuple(requirements),
        bands=tuple(bands),
        scores=tuple(scores),
        rules=tuple(rules),
        flags=flags,
        extras=(Extra(key="zip", kind="zip", text="ZIP"),) if draw(st.booleans()) else (),
    )
    problems = validate_questionnaire(questionnaire)
    assert problems == [], problems  # the generator is honest
    return questionnaire


# --------------------------------------------------------------------------- answers

ABSENT = object()  # the question is left out of the answers (only when not required)


def answer_value_(draw, question: Question, floor=ABSENT):
    """A raw answer to ``question`` at least as severe as ``floor`` (a raw answer or ABSENT):
    a later-or-equal option for single choice, a superset for multiple choice (an exclusive
    "none" is below any other non-empty answer)."""
    if not question.multiple:
        low = 0 if floor is ABSENT else question.values.index(floor)
        if floor is ABSENT and not question.required and one_in(draw, 5):
            return ABSENT
        if one_in(draw, 3):
            return question.values[low]  # often the mildest: more questions stay hidden
        return question.values[draw(ints(low, len(question.values) - 1))]

    values = plain_values(question)
    exclusive = [option.value for option in question.options if option.exclusive]
    base = set() if floor is ABSENT or floor == exclusive else set(floor)
    if floor is ABSENT and not question.required and one_in(draw, 5):
        return pick(draw, [ABSENT, []])
    if exclusive and not base and one_in(draw, 3):
        if floor is ABSENT or floor == exclusive:
            return list(exclusive)
    extra = set() if one_in(draw, 3) else draw(st.sets(st.sampled_from(values),
                                                        max_size=len(values)))
    chosen = base | extra
    if not chosen and (question.required or (floor is not ABSENT and floor == exclusive)):
        chosen = {pick(draw, values)}
    return list(draw(st.permutations(sorted(chosen))))


@st.composite
def answer_value(draw, question: Question, floor=ABSENT):
    return answer_value_(draw, question, floor)


def as_raw(values: dict) -> dict:
    return {key: value for key, value in values.items() if value is not ABSENT}


@st.composite
def answer_sets(draw, questionnaire: Questionnaire) -> dict:
    """Answers to every question (hidden ones too), sometimes with the ZIP extra."""
    answers = {q.key: answer_value_(draw, q) for q in questionnaire.questions}
    if questionnaire.extras and draw(st.booleans()):
        answers["zip"] = "12345"
    return as_raw(answers)


@st.composite
def answer_pairs(draw, questionnaire: Questionnaire) -> tuple[dict, dict]:
    """Two answer sets, the second pointwise at least as severe as the first."""
    low = {q.key: answer_value_(draw, q) for q in questionnaire.questions}
    high = {q.key: answer_value_(draw, q, floor=low[q.key]) for q in questionnaire.questions}
    return as_raw(low), as_raw(high)


def maximal_answers(questionnaire: Questionnaire) -> dict:
    """The most severe answers: every upward-closed clause holds, so every question is shown."""
    return {
        q.key: list(plain_values(q)) if q.multiple else q.values[-1]
        for q in questionnaire.questions
    }


# --------------------------------------------------------------------------- the oracle


def chosen_values(question: Question, raw) -> tuple[str, ...]:
    """A raw answer as option values in option order (nothing for no answer)."""
    if raw is None:
        return ()
    items = [raw] if isinstance(raw, str) else list(raw)
    return tuple(value for value in question.values if value in items)


def clause_true(questionnaire: Questionnaire, clause: Clause, effective: dict,
                scores: dict) -> bool:
    """docs/questionnaire-format.md, "Clauses"."""
    if clause.score is not None:
        return scores[clause.score] >= clause.at_least
    question = questionnaire.question(clause.question)
    chosen = effective[question.key]
    if clause.includes_any:
        return bool(set(chosen) & set(clause.includes_any))
    threshold = question.values.index(clause.at_least)
    return any(question.values.index(value) >= threshold for value in chosen)


def effective_answers(questionnaire: Questionnaire, raw: dict) -> tuple[dict, list[str]]:
    """What every question counts as, and which questions are shown: a question is shown when
    all its shown-when clauses hold on the earlier questions; a hidden or unanswered question
    counts as its mildest answer (its first option; nothing for multiple choice)."""
    effective: dict[str, tuple[str, ...]] = {}
    shown = []
    for question in questionnaire.questions:
        mildest = () if question.multiple else (question.values[0],)
        if all(clause_true(questionnaire, c, effective, {}) for c in question.enable_when):
            shown.append(question.key)
            effective[question.key] = chosen_values(question, raw.get(question.key)) or mildest
        else:
            effective[question.key] = mildest
    return effective, shown


def score_values(questionnaire: Questionnaire, effective: dict) -> dict[str, int]:
    return {
        score.key: sum(
            question.option(value).points
            for question in questionnaire.score_items(score.key)
            for value in effective[question.key]
        )
        for score in questionnaire.scores
    }


def severity_points(questionnaire: Questionnaire, effective: dict) -> int:
    return sum(
        question.option(value).points
        for question in questionnaire.questions
        if question.score is None
        for value in effective[question.key]
    )


def counted_options(questionnaire: Questionnaire, effective: dict) -> list[Option]:
    """Every option the answers count as (hidden questions as their mildest answer)."""
    return [
        question.option(value)
        for question in questionnaire.questions
        for value in effective[question.key]
    ]


def fired_rules(questionnaire: Questionnaire, effective: dict, scores: dict) -> list[Rule]:
    return [
        rule for rule in questionnaire.rules
        if all(clause_true(questionnaire, c, effective, scores) for c in rule.when)
    ]


def requirement_statuses(questionnaire: Questionnaire, effective: dict) -> dict[str, str]:
    """The most severe status each requirement is answered with (no status counts as met)."""
    statuses: dict[str, str] = {}
    for option in counted_options(questionnaire, effective):
        if option.requirement is not None:
            status = option.requirement_status or "met"
            previous = statuses.get(option.requirement, "met")
            statuses[option.requirement] = max(status, previous, key=SEVERITY_ORDER.index)
    return statuses


def identifiers(questionnaire: Questionnaire) -> set[str]:
    """Every key, value and code a reason may name (never words)."""
    names = set(LEVEL_CODES) | set(FLAG_POOL) | set(SEVERITY_ORDER)
    for question in questionnaire.questions:
        names.add(question.key)
        names.update(question.values)
    names.update(r.key for r in questionnaire.requirements)
    names.update(s.key for s in questionnaire.scores)
    names.update(r.key for r in questionnaire.rules)
    return names


# --------------------------------------------------------------------------- the generator itself


@settings(SETTINGS, max_examples=100)  # every strategy draw below checks validity, too
@given(questionnaires())
def test_generated_questionnaires_are_valid(questionnaire):
    assert validate_questionnaire(questionnaire) == []
    assert {feature for *_, features in FLAG_STYLES for feature in features} <= set(RANK_FEATURES)
    assert [level.rank for level in questionnaire.levels] == list(range(6))


def test_generator_reaches_every_mechanism():
    """The properties below mean something only if the generator builds the hard cases."""
    wanted = {
        "a shown-when clause": lambda q: any(x.enable_when for x in q.questions),
        "an includes_any shown-when on multiple choice": lambda q: any(
            c.includes_any and q.question(c.question).multiple
            for x in q.questions for c in x.enable_when),
        "an exclusive option": lambda q: any(o.exclusive for x in q.questions for o in x.options),
        "a score with bands setting a level": lambda q: any(
            b.min_level for s in q.scores for b in s.bands),
        "a rule with a score clause": lambda q: any(
            c.score for r in q.rules for c in r.when),
        "an emergency rule": lambda q: any(r.emergency for r in q.rules),
        "an emergency option": lambda q: any(o.emergency for x in q.questions for o in x.options),
        "an escalating requirement used by an unmet option": lambda q: any(
            o.requirement_status == "unmet"
            and q.requirement(o.requirement).escalation_level
            for x in q.questions for o in x.options),
        "eight questions": lambda q: len(q.questions) == 8,
        "two scores": lambda q: len(q.scores) == 2,
        "four rules": lambda q: len(q.rules) == 4,
        "no flag list": lambda q: not q.flags,
        "the emergency flag on an option without crisis": lambda q: any(
            EMERGENCY in o.flags and not o.crisis for x in q.questions for o in x.options),
        "a single-choice includes_any": lambda q: any(
            c.includes_any and not q.question(c.question).multiple
            for r in q.rules for c in r.when),
        "an escalation chain listed backwards": lambda q: len(q.requirements) == 2 and bool(
            q.requirements[1].escalation_level
            and q.requirements[1].escalation_level in q.requirements[0].applies_to),
        **{
            f"a flag with a {kind or 'plain'} note": (
                lambda q, kind=kind: any(f.note and f.note_kind == kind for f in q.flags))
            for kind in NOTE_KINDS
        },
    }
    seen: set[str] = set()

    @settings(max_examples=200, database=None, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(questionnaires())
    def collect(questionnaire):
        seen.update(name for name, predicate in wanted.items() if predicate(questionnaire))

    collect()
    assert sorted(set(wanted) - seen) == []


# --------------------------------------------------------------------------- 1. monotonic


@SETTINGS
@given(st.data())
def test_more_severe_answers_never_give_less_care(data):
    questionnaire = data.draw(questionnaires())
    low, high = data.draw(answer_pairs(questionnaire))
    mild, severe = recommend(questionnaire, low), recommend(questionnaire, high)
    assert rank(mild.level) <= rank(severe.level)
    assert rank(mild.band_level) <= rank(severe.band_level)
    assert mild.points <= severe.points
    assert not mild.crisis or severe.crisis
    assert not mild.emergency or severe.emergency
    # A more severe answer can only reveal questions, never hide one.
    assert set(mild.shown) <= set(severe.shown)
    mild_scores = {s.key: s.points for s in mild.scores}
    severe_scores = {s.key: s.points for s in severe.scores}
    for key, points in mild_scores.items():
        assert points <= severe_scores[key]


@SETTINGS
@given(st.data())
def test_revealing_a_question_never_gives_less_care(data):
    """The same monotonicity, aimed at shown-when: raise only a gate question's answer."""
    questionnaire = data.draw(questionnaires())
    gated = [q for q in questionnaire.questions if q.enable_when]
    assume(gated)
    low = data.draw(answer_sets(questionnaire))
    gate = data.draw(st.sampled_from(gated)).enable_when[0].question
    high = dict(low)
    high[gate] = maximal_answers(questionnaire)[gate]
    mild, severe = recommend(questionnaire, low), recommend(questionnaire, high)
    assert rank(mild.level) <= rank(severe.level)
    assert not mild.crisis or severe.crisis
    assert not mild.emergency or severe.emergency


# --------------------------------------------------------------------------- 2. crisis dominates


@SETTINGS
@given(st.data())
def test_crisis_dominates(data):
    questionnaire = data.draw(questionnaires())
    answers = data.draw(answer_sets(questionnaire))
    result = recommend(questionnaire, answers)
    effective, shown = effective_answers(questionnaire, answers)
    scores = score_values(questionnaire, effective)

    assert not result.emergency or result.crisis
    for key in shown:
        question = questionnaire.question(key)
        for value in effective[key]:
            option = question.option(value)
            if option.crisis:
                assert result.crisis, (key, value)
                assert any(r.code == "crisis" and r.question == key and r.answer == value
                           for r in result.reasons)
            if option.emergency:
                assert result.emergency, (key, value)
    for rule in questionnaire.rules:
        if all(clause_true(questionnaire, c, effective, scores) for c in rule.when):
            assert not rule.crisis or result.crisis, rule.key
            assert not rule.emergency or result.emergency, rule.key
    # Exactly: crisis when an option counted (a hidden question as its mildest answer) or a
    # rule that fired marks crisis; emergency when such a source carries the emergency flag.
    options = counted_options(questionnaire, effective)
    fired = fired_rules(questionnaire, effective, scores)
    assert result.crisis == (any(o.crisis for o in options) or any(r.crisis for r in fired))
    assert result.emergency == (
        any(o.emergency for o in options) or any(r.emergency for r in fired)
    )


# --------------------------------------------------------------------------- 3. deterministic


@SETTINGS
@given(st.data())
def test_deterministic_and_independent_of_answer_order(data):
    questionnaire = data.draw(questionnaires())
    answers = data.draw(answer_sets(questionnaire))
    first = recommend(questionnaire, answers)
    assert recommend(questionnaire, answers) == first

    keys = data.draw(st.permutations(list(answers)))
    shuffled = {
        key: list(data.draw(st.permutations(answers[key])))
        if isinstance(answers[key], list) else answers[key]
        for key in keys
    }
    again = recommend(questionnaire, shuffled)
    assert again == first
    assert json.dumps(again.as_dict(), sort_keys=True) == json.dumps(first.as_dict(),
                                                                       sort_keys=True)
    # A copy of the questionnaire read back from its document decides the same.
    assert recommend(Questionnaire.from_dict(questionnaire.to_dict()), shuffled) == first


# --------------------------------------------------------------------------- 4. hidden answers


@SETTINGS
@given(st.data())
def test_hidden_question_answer_is_ignored(data):
    questionnaire = data.draw(questionnaires())
    answers = data.draw(answer_sets(questionnaire))
    result = recommend(questionnaire, answers)
    hidden = [q for q in questionnaire.questions if q.key not in result.shown]
    assume(hidden)
    changed = dict(answers)
    for question in hidden:
        changed[question.key] = data.draw(st.one_of(
            answer_value(question),
            st.just("not-a-value"),
            st.just(list(question.values)),  # too many, and exclusive with the rest
            st.just(ABSENT),
            st.just(7),
        ))
    assert recommend(questionnaire, as_raw(changed)) == result


# --------------------------------------------------------------------------- 5. serialisation


@SETTINGS
@given(questionnaires())
def test_document_round_trips(questionnaire):
    document = questionnaire.to_dict()
    assert Questionnaire.from_dict(document) == questionnaire
    text = json.dumps(document)
    back = Questionnaire.from_dict(json.loads(text))
    assert back == questionnaire
    assert back.to_dict() == document
    assert json.dumps(back.to_dict()) == text


# --------------------------------------------------------------------------- 6. exclusive


@SETTINGS
@given(st.data())
def test_exclusive_with_another_answer_is_refused(data):
    questionnaire = data.draw(questionnaires(force_exclusive=True))
    question = data.draw(st.sampled_from(
        [q for q in questionnaire.questions if any(o.exclusive for o in q.options)]
    ))
    answers = data.draw(answer_sets(questionnaire))
    if question.key not in recommend(questionnaire, answers).shown:
        # Every clause is upward-closed, so the most severe earlier answers show it.
        strongest = maximal_answers(questionnaire)
        position = questionnaire.question_keys.index(question.key)
        answers.update({key: strongest[key] for key in questionnaire.question_keys[:position]})
    assert question.key in recommend(questionnaire, answers).shown
    others = data.draw(st.lists(st.sampled_from(plain_values(question)), min_size=1,
                                unique=True))
    answers[question.key] = list(data.draw(st.permutations(["none", *others])))
    try:
        recommend(questionnaire, answers)
    except AnswerError as error:
        assert error.code == "exclusive"
        assert error.key == question.key
    else:
        raise AssertionError("an exclusive answer with another one was accepted")


# --------------------------------------------------------------------------- 7. reasons are codes


def _plain(value) -> bool:
    if isinstance(value, list):
        return all(isinstance(item, str) for item in value)
    return isinstance(value, (str, int, bool))


@SETTINGS
@given(st.data())
def test_reasons_are_codes_never_words(data):
    questionnaire = data.draw(questionnaires())
    answers = data.draw(answer_sets(questionnaire))
    result = recommend(questionnaire, answers)
    names = identifiers(questionnaire)
    for reason in result.reasons:
        item = reason.as_dict()
        assert item["code"] in REASON_CODES, item
        for key, value in item.items():
            assert _plain(value), (key, value)
            if key == "code":
                continue
            texts = value if isinstance(value, list) else [value] if isinstance(value, str) else []
            for text in texts:
                assert IDENTIFIER.fullmatch(text) and text in names, (key, text)
    document = result.as_dict()
    assert json.loads(json.dumps(document)) == document


# --------------------------------------------------------------------------- 8. check_clause


@SETTINGS
@given(st.data())
def test_check_clause_refuses_a_single_choice_includes_any_that_is_not_a_suffix(data):
    questionnaire = data.draw(questionnaires())
    singles = [q for q in questionnaire.questions if not q.multiple and len(q.options) >= 2]
    assume(singles)
    question = data.draw(st.sampled_from(singles))
    chosen = data.draw(st.lists(st.sampled_from(question.values), min_size=1, unique=True))
    clause = Clause(question=question.key, includes_any=tuple(chosen))
    first = min(question.values.index(value) for value in chosen)
    problems = check_clause(questionnaire, clause)
    if set(chosen) == set(question.values[first:]):
        assert problems == []
    else:
        assert len(problems) == 1
        assert "not upward-closed" in problems[0]
        # The same clause in a rule makes the whole questionnaire invalid.
        broken = replace(questionnaire, rules=(
            *questionnaire.rules, Rule(key="broken", when=(clause,), min_level="php"),
        ))
        assert any("not upward-closed" in p for p in validate_questionnaire(broken))


@SETTINGS
@given(st.data())
def test_check_clause_refuses_includes_any_naming_an_exclusive_option(data):
    questionnaire = data.draw(questionnaires(force_exclusive=True))
    question = data.draw(st.sampled_from(
        [q for q in questionnaire.questions if any(o.exclusive for o in q.options)]
    ))
    others = data.draw(st.lists(st.sampled_from(plain_values(question)), unique=True))
    values = tuple(data.draw(st.permutations(["none", *others])))
    problems = check_clause(questionnaire, Clause(question=question.key, includes_any=values))
    assert len(problems) == 1
    assert "not upward-closed" in problems[0]
    # Without the exclusive value the clause is fine.
    if others:
        assert check_clause(
            questionnaire, Clause(question=question.key, includes_any=tuple(others))
        ) == []


# --------------------------------------------------------------------------- 9. minimum levels


@SETTINGS
@given(st.data())
def test_level_respects_every_minimum_and_rules_fire_exactly_when_all_clauses_hold(data):
    questionnaire = data.draw(questionnaires())
    answers = data.draw(answer_sets(questionnaire))
    result = recommend(questionnaire, answers)
    effective, shown = effective_answers(questionnaire, answers)
    scores = score_values(questionnaire, effective)

    assert list(result.shown) == shown
    assert result.points == severity_points(questionnaire, effective)
    assert rank(result.level) >= rank(result.band_level)
    for key in shown:
        question = questionnaire.question(key)
        for value in effective[key]:
            floor = question.option(value).min_level
            assert rank(result.level) >= rank(floor), (key, value, floor)
    for score in questionnaire.scores:
        band = score.band_for(scores[score.key])
        assert rank(result.level) >= rank(band.min_level), score.key
    for item in result.scores:
        assert item.points == scores[item.key]

    fired = [
        rule.key for rule in questionnaire.rules
        if all(clause_true(questionnaire, c, effective, scores) for c in rule.when)
    ]
    assert list(result.rules) == fired
    for rule in questionnaire.rules:
        if rule.key in result.rules:
            assert all(clause_true(questionnaire, c, effective, scores) for c in rule.when)
            assert rank(result.level) >= rank(rule.min_level), rule.key
            assert rule.flags <= set(result.flags), rule.key

    # Escalation ran until nothing changed: no unmet requirement that applies to the final
    # level could still raise it.
    statuses = requirement_statuses(questionnaire, effective)
    for requirement in questionnaire.requirements:
        if (statuses.get(requirement.key) == "unmet" and requirement.escalation_level
                and result.level in requirement.applies_to):
            assert rank(result.level) >= rank(requirement.escalation_level), requirement.key
    assert [(u.key, u.status) for u in result.unmet_requirements] == [
        (r.key, statuses[r.key]) for r in questionnaire.requirements
        if statuses.get(r.key) in ("addressable", "unmet")
    ]
    for unmet in result.unmet_requirements:
        if unmet.escalated:
            requirement = questionnaire.requirement(unmet.key)
            assert unmet.status == "unmet"
            assert rank(result.level) >= rank(requirement.escalation_level)

    # And the final level always has a source.
    sources = {result.band_level}
    # (a hidden question counts as its mildest option, minimum level included)
    sources |= {questionnaire.question(key).option(value).min_level
                for key in effective for value in effective[key]}
    sources |= {score.band_for(scores[score.key]).min_level for score in questionnaire.scores}
    sources |= {rule.min_level for rule in questionnaire.rules if rule.key in result.rules}
    sources |= {r.escalation_level for r in questionnaire.requirements
                if statuses.get(r.key) == "unmet"}
    assert result.level in sources

    # The reasons marked decisive are those that set the final level.
    decisive = [reason for reason in result.reasons if reason.decisive]
    assert all(reason.level == result.level for reason in decisive)
    # Every source of the level that the person can see has its reason (a hidden question's
    # mildest option counts, but no reason names an answer that was never asked).
    seen = {questionnaire.question(key).option(value).min_level
            for key in shown for value in effective[key]}
    seen |= {score.band_for(scores[score.key]).min_level for score in questionnaire.scores}
    seen |= {rule.min_level for rule in questionnaire.rules if rule.key in result.rules}
    seen |= {questionnaire.requirement(u.key).escalation_level
             for u in result.unmet_requirements if u.escalated}
    if result.level != result.band_level and result.level in seen:
        assert decisive


# --------------------------------------------------------------------------- escalation


@st.composite
def escalation_cases(draw):
    """A questionnaire of requirements only: "need" sets a minimum level, then one question per
    requirement (met, addressable, unmet). Two or three escalating requirements in any order,
    often a chain listed backwards (so one pass of escalation is not enough)."""
    requirements = []
    top = 0
    for index in range(draw(ints(2, 3))):
        # A chain: it applies from the level the one before escalates to.
        low = top if requirements and top < 5 and draw(st.booleans()) else draw(ints(0, 4))
        top = draw(ints(low + 1, 5))
        requirements.append(Requirement(
            key=f"r{index}", name=f"R{index}", applies_to=frozenset(LEVEL_CODES[low:top]),
            escalation_level=LEVEL_CODES[top],
        ))
    requirements = list(draw(st.permutations(requirements)))
    questions = [Question(
        key="need", text="Need?", step="main",
        options=tuple(Option(value=f"n{rank}", min_level=code)
                      for rank, code in enumerate(LEVEL_CODES)),
    )]
    for requirement in requirements:
        questions.append(Question(
            key=f"q_{requirement.key}", text="?", step="main",
            options=tuple(Option(value=status, requirement=requirement.key,
                                 requirement_status=status) for status in SEVERITY_ORDER),
        ))
    questionnaire = Questionnaire(
        version=1, levels=LEVELS, steps=(Step(key="main"),), questions=tuple(questions),
        requirements=tuple(requirements), bands=(Band(0, 0, "self_help"),),
    )
    assert validate_questionnaire(questionnaire) == []
    return questionnaire


STATUS_ANSWERS = ("met", "addressable", "unmet", "unmet", "unmet")


def escalated(questionnaire: Questionnaire, base: str, unmet: set[str]) -> str:
    """Raise ``base`` by any unmet requirement that applies, until none does."""
    level = base
    while True:
        raised = [
            r.escalation_level for r in questionnaire.requirements
            if r.key in unmet and level in r.applies_to and rank(r.escalation_level) > rank(level)
        ]
        if not raised:
            return level
        level = raised[0]


@SETTINGS
@given(st.data())
def test_escalation_runs_until_nothing_changes(data):
    questionnaire = data.draw(escalation_cases())
    need = data.draw(ints(0, 5))
    answers = {"need": f"n{need}"}
    for requirement in questionnaire.requirements:
        answers[f"q_{requirement.key}"] = data.draw(st.sampled_from(STATUS_ANSWERS))
    result = recommend(questionnaire, answers)
    unmet = {r.key for r in questionnaire.requirements if answers[f"q_{r.key}"] == "unmet"}
    assert result.level == escalated(questionnaire, LEVEL_CODES[need], unmet)
    assert {u.key for u in result.unmet_requirements if u.escalated} <= unmet
    escalations = [r for r in result.reasons if r.code == "escalation"]
    assert [r.level for r in escalations] == sorted(
        (r.level for r in escalations), key=rank)  # each raised the level further
    assert (escalations[-1].level if escalations else LEVEL_CODES[need]) == result.level
    # More need or one more unmet requirement never gives less care.
    more = dict(answers, need=f"n{data.draw(ints(need, 5))}")
    if questionnaire.requirements:
        more[f"q_{data.draw(st.sampled_from(questionnaire.requirements)).key}"] = "unmet"
    assert rank(recommend(questionnaire, more).level) >= rank(result.level)


# --------------------------------------------------------------------------- flags and notes


@SETTINGS
@given(st.data())
def test_flags_notes_and_tips_are_the_flags_set_in_the_questionnaires_order(data):
    questionnaire = data.draw(questionnaires())
    answers = data.draw(answer_sets(questionnaire))
    result = recommend(questionnaire, answers)
    effective, _ = effective_answers(questionnaire, answers)
    scores = score_values(questionnaire, effective)

    flags = {flag for option in counted_options(questionnaire, effective) for flag in option.flags}
    flags |= {flag for score in questionnaire.scores
              for flag in score.band_for(scores[score.key]).flags}
    flags |= {flag for rule in fired_rules(questionnaire, effective, scores) for flag in rule.flags}
    assert result.flags == tuple(sorted(flags))

    ordered = [flag.key for flag in questionnaire.flags if flag.key in flags]
    kinds = {flag.key: flag.note_kind for flag in questionnaire.flags if flag.note}
    assert result.notes == tuple(key for key in ordered if kinds.get(key) == "safety")
    assert result.tips == tuple(key for key in ordered if kinds.get(key) == "tip")
    assert result.as_dict()["notes"] == list(result.notes)
