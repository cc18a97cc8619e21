"""What publishing a draft would change, in plain words for clinical reviewers.

`questionnaire_diff(draft=..., live=...)` compares two versions through their one document form
(`screening.documents.document_of`): questions (their texts and answers), combination rules,
scores, requirements, steps, severity bands and the optional matching questions; and it runs
every test case of both versions under both, listing those whose result would change. It
returns plain data (frozen dataclasses) the publish confirmation page shows as it is.

The helpers beside it word the rules the same way everywhere in the admin: `clause_words`
("the answer to “…” is “…” or a later answer"), `outcome_of` and `case_problems` (a test case's
result against what staff expect, with level names instead of codes).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from screening import engine
from screening.documents import catalogue_levels, document_of

# --------------------------------------------------------------------------- plain data


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its name in words, and its value before and after, in words."""

    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Item:
    """Something added or removed: its key, its name or text, and a short summary."""

    key: str
    name: str
    summary: str = ""


@dataclass(frozen=True)
class Change:
    """Something in both versions that differs: which fields, and (for a question) which of
    its answers."""

    key: str
    name: str
    fields: tuple[FieldChange, ...] = ()
    options_added: tuple[Item, ...] = ()
    options_removed: tuple[Item, ...] = ()
    options_changed: tuple[Change, ...] = ()
    options_reordered: bool = False


@dataclass(frozen=True)
class Section:
    """The differences in one kind of thing (questions, rules, scores, …)."""

    title: str
    added: tuple[Item, ...] = ()
    removed: tuple[Item, ...] = ()
    changed: tuple[Change, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class Outcome:
    """A test case's result under one version (or why its answers do not fit it)."""

    level: str | None = None
    level_name: str = ""
    crisis: bool = False
    emergency: bool = False
    flags: tuple[str, ...] = ()
    error: str = ""
    rules_error: bool = False  # the version's rules, not the answers, are what is wrong

    @property
    def fits(self) -> bool:
        return not self.error

    def words(self) -> str:
        if self.error and self.rules_error:
            return _("cannot be worked out: the rules have a problem (%(error)s)") % {
                "error": self.error}
        if self.error:
            return _("the answers do not fit (%(error)s)") % {"error": self.error}
        parts = [self.level_name or self.level or ""]
        if self.emergency:
            parts.append(_("emergency: 911 first"))
        elif self.crisis:
            parts.append(_("crisis: 988 first"))
        return ", ".join(parts)


@dataclass(frozen=True)
class CaseChange:
    """A test case whose result differs between the live version and the draft."""

    name: str
    of: str  # whose case it is, in words ("both versions", "the draft", "version 2")
    live: Outcome
    draft: Outcome
    changes: tuple[str, ...]


@dataclass(frozen=True)
class Diff:
    draft_version: int
    live_version: int | None
    sections: tuple[Section, ...]
    bands: tuple[FieldChange, ...] = ()
    cases: tuple[CaseChange, ...] = ()
    cases_compared: int = 0

    @property
    def questions(self) -> Section:
        return self.sections[0]

    def section(self, title: str) -> Section:
        for section in self.sections:
            if section.title == title:
                return section
        raise KeyError(title)

    @property
    def has_changes(self) -> bool:
        return any(self.sections) or bool(self.bands)


# --------------------------------------------------------------------------- words


class Words:
    """Level, flag, step, score and question names of one pair of documents, for wording
    values. A missing name falls back to the key."""

    def __init__(self, *documents: Mapping, level_names: Mapping[str, str] | None = None):
        self.levels = dict(level_names or {})
        self.flags: dict[str, str] = {}
        self.steps: dict[str, str] = {}
        self.scores: dict[str, str] = {}
        self.requirements: dict[str, str] = {}
        self.questions: dict[str, Mapping] = {}
        for document in documents:
            for level in document.get("levels") or ():
                self.levels.setdefault(level.get("code"), level.get("name") or level.get("code"))
            for flag in document.get("flags") or ():
                self.flags.setdefault(flag.get("key"), flag.get("name") or flag.get("key"))
            for step in document.get("steps") or ():
                self.steps.setdefault(step.get("key"), step.get("title") or step.get("key"))
            for score in document.get("scores") or ():
                self.scores.setdefault(score.get("key"), score.get("name") or score.get("key"))
            for requirement in document.get("requirements") or ():
                self.requirements.setdefault(
                    requirement.get("key"), requirement.get("name") or requirement.get("key")
                )
            for question in document.get("questions") or ():
                self.questions.setdefault(question.get("key"), question)

    def level(self, code) -> str:
        if not code:
            return _("none")
        return self.levels.get(code, code)

    def flag_list(self, keys) -> str:
        names = [self.flags.get(key, key) for key in sorted(keys or ())]
        return ", ".join(names) if names else _("none")

    def yes_no(self, value) -> str:
        return _("yes") if value else _("no")

    def option_label(self, question_key: str, value: str) -> str:
        question = self.questions.get(question_key) or {}
        for option in question.get("options") or ():
            if option.get("value") == value:
                return option.get("label") or value
        return value


def clause_words(clause: engine.Clause | Mapping, words: Words | None = None) -> str:
    """One condition in plain words, for example: the answer to “Have you had a condition
    that needs close medical care?” is “Yes” or a later answer."""
    if isinstance(clause, Mapping):
        clause = engine.Clause.from_dict(clause)
    words = words or Words()
    if clause.score is not None:
        return _("the %(score)s score is %(points)s or more") % {
            "score": words.scores.get(clause.score, clause.score), "points": clause.at_least}
    question = words.questions.get(clause.question) or {}
    text = question.get("text") or clause.question
    if clause.includes_any:
        labels = [f"“{words.option_label(clause.question, v)}”" for v in clause.includes_any]
        if len(labels) == 1:
            return _("the answers to “%(question)s” include %(answer)s") % {
                "question": text, "answer": labels[0]}
        return _("the answers to “%(question)s” include any of %(answers)s") % {
            "question": text, "answers": ", ".join(labels)}
    values = [option.get("value") for option in question.get("options") or ()]
    label = words.option_label(clause.question, clause.at_least)
    if values and values[-1] == clause.at_least:
        return _("the answer to “%(question)s” is “%(answer)s”") % {
            "question": text, "answer": label}
    return _("the answer to “%(question)s” is “%(answer)s” or a later answer") % {
        "question": text, "answer": label}


def clauses_words(clauses: Iterable, words: Words | None = None) -> str:
    parts = [clause_words(clause, words) for clause in clauses]
    return _(" and ").join(parts) if parts else _("always")


def _text(value) -> str:
    return value if value not in (None, "") else _("(empty)")


def _option_effect(option: Mapping, words: Words) -> str:
    """What choosing an answer does, in words (for added answers)."""
    parts = []
    if option.get("points"):
        parts.append(_("%(points)s points") % {"points": option["points"]})
    if option.get("min_level"):
        parts.append(_("at least %(level)s") % {"level": words.level(option["min_level"])})
    if option.get("crisis"):
        parts.append(_("crisis help first"))
    if option.get("flags"):
        parts.append(_("flags: %(flags)s") % {"flags": words.flag_list(option["flags"])})
    if option.get("requirement"):
        parts.append(_("%(requirement)s: %(status)s") % {
            "requirement": words.requirements.get(option["requirement"], option["requirement"]),
            "status": option.get("requirement_status") or "",
        })
    if option.get("exclusive"):
        parts.append(_("“none of these”"))
    return "; ".join(parts) or _("changes nothing")


def _rule_effect(rule: Mapping, words: Words) -> str:
    parts = []
    if rule.get("min_level"):
        parts.append(_("at least %(level)s") % {"level": words.level(rule["min_level"])})
    if rule.get("crisis"):
        parts.append(_("crisis help first"))
    if rule.get("flags"):
        parts.append(_("flags: %(flags)s") % {"flags": words.flag_list(rule["flags"])})
    return _("When %(when)s: %(then)s.") % {
        "when": clauses_words(rule.get("when") or (), words),
        "then": "; ".join(parts) or _("nothing changes"),
    }


def _score_band(band: Mapping, words: Words) -> str:
    text = _("%(low)s–%(high)s points") % {
        "low": band.get("min_points"), "high": band.get("max_points")}
    if band.get("label"):
        text += f" “{band['label']}”"
    effects = []
    if band.get("min_level"):
        effects.append(_("at least %(level)s") % {"level": words.level(band["min_level"])})
    if band.get("flags"):
        effects.append(_("flags: %(flags)s") % {"flags": words.flag_list(band["flags"])})
    if effects:
        text += ": " + ", ".join(effects)
    return text


def _severity_band(band: Mapping, words: Words) -> str:
    return _("%(low)s–%(high)s points: %(level)s") % {
        "low": band.get("min_points"), "high": band.get("max_points"),
        "level": words.level(band.get("level")),
    }


# --------------------------------------------------------------------------- comparing


def _by_key(items, key: str = "key") -> dict:
    return {item.get(key): item for item in items or () if isinstance(item, Mapping)}


def _fields(before: Mapping, after: Mapping, spec) -> tuple[FieldChange, ...]:
    """``spec``: (document key, label, function wording a value)."""
    changes = []
    for name, label, word in spec:
        old, new = before.get(name), after.get(name)
        if _same(old, new):
            continue
        changes.append(FieldChange(label=label, before=word(old), after=word(new)))
    return tuple(changes)


def _same(old, new) -> bool:
    def norm(value):
        if value in (None, "", [], ()):
            return None
        if isinstance(value, list | tuple):
            return json.dumps(list(value), sort_keys=True)
        return value

    return norm(old) == norm(new)


def _compare(title, before_items, after_items, name_of, summary_of, spec) -> Section:
    before, after = _by_key(before_items), _by_key(after_items)
    added = tuple(
        Item(key=key, name=name_of(item), summary=summary_of(item))
        for key, item in after.items() if key not in before
    )
    removed = tuple(
        Item(key=key, name=name_of(item), summary=summary_of(item))
        for key, item in before.items() if key not in after
    )
    changed = []
    for key, item in after.items():
        if key not in before:
            continue
        fields = _fields(before[key], item, spec)
        if fields:
            changed.append(Change(key=key, name=name_of(item), fields=fields))
    return Section(title=title, added=added, removed=removed, changed=tuple(changed))


def _questions(before_doc: Mapping, after_doc: Mapping, words: Words) -> Section:
    before = _by_key(before_doc.get("questions"))
    after = _by_key(after_doc.get("questions"))
    common = [key for key in after if key in before]
    old_position = {key: i for i, key in enumerate(k for k in before if k in after)}
    new_position = {key: i for i, key in enumerate(common)}
    question_spec = (
        ("text", _("question"), _text),
        ("help_text", _("why we ask"), _text),
        ("step", _("step"), lambda key: words.steps.get(key, key) if key else _("none")),
        ("multiple", _("several answers allowed"), words.yes_no),
        ("required", _("required"), words.yes_no),
        ("dimension", _("ASAM dimension"), lambda value: value or _("none")),
        ("score", _("part of score"),
         lambda key: words.scores.get(key, key) if key else _("none")),
        ("enable_when", _("shown only when"),
         lambda clauses: clauses_words(clauses or (), words) if clauses else _("always shown")),
    )
    option_spec = (
        ("label", _("wording"), _text),
        ("points", _("points"), lambda value: str(value or 0)),
        ("min_level", _("minimum level"), words.level),
        ("crisis", _("crisis help first"), words.yes_no),
        ("flags", _("flags"), words.flag_list),
        ("requirement", _("requirement"),
         lambda key: words.requirements.get(key, key) if key else _("none")),
        ("requirement_status", _("requirement status"), lambda value: value or _("none")),
        ("exclusive", _("“none of these”"), words.yes_no),
        ("age_min", _("from age"), lambda value: _text(value if value is None else str(value))),
        ("age_max", _("to age"), lambda value: _text(value if value is None else str(value))),
        ("explanation", _("explanation on the result"), _text),
    )

    def summary(question):
        return ", ".join(
            option.get("label") or option.get("value") for option in question.get("options") or ()
        )

    added = tuple(
        Item(key=key, name=q.get("text") or key, summary=summary(q))
        for key, q in after.items() if key not in before
    )
    removed = tuple(
        Item(key=key, name=q.get("text") or key, summary=summary(q))
        for key, q in before.items() if key not in after
    )
    changed = []
    for key in common:
        old, new = before[key], after[key]
        fields = list(_fields(old, new, question_spec))
        if old_position[key] != new_position[key]:
            fields.append(FieldChange(
                label=_("position"),
                before=_("question %(n)s") % {"n": old_position[key] + 1},
                after=_("question %(n)s") % {"n": new_position[key] + 1},
            ))
        old_options = _by_key(old.get("options"), "value")
        new_options = _by_key(new.get("options"), "value")
        options_added = tuple(
            Item(key=value, name=o.get("label") or value, summary=_option_effect(o, words))
            for value, o in new_options.items() if value not in old_options
        )
        options_removed = tuple(
            Item(key=value, name=o.get("label") or value, summary=_option_effect(o, words))
            for value, o in old_options.items() if value not in new_options
        )
        options_changed = []
        for value, option in new_options.items():
            if value in old_options:
                option_fields = _fields(old_options[value], option, option_spec)
                if option_fields:
                    options_changed.append(Change(
                        key=value, name=option.get("label") or value, fields=option_fields
                    ))
        reordered = [v for v in old_options if v in new_options] != [
            v for v in new_options if v in old_options
        ]
        if fields or options_added or options_removed or options_changed or reordered:
            changed.append(Change(
                key=key, name=new.get("text") or key, fields=tuple(fields),
                options_added=options_added, options_removed=options_removed,
                options_changed=tuple(options_changed), options_reordered=reordered,
            ))
    return Section(title=_("Questions"), added=added, removed=removed, changed=tuple(changed))


def _extras(before_doc, after_doc) -> Section:
    return _compare(
        _("Optional matching questions"), before_doc.get("extras"), after_doc.get("extras"),
        lambda extra: extra.get("text") or extra.get("key"), lambda extra: "",
        (("text", _("question"), _text), ("help_text", _("why we ask"), _text),
         ("kind", _("kind"), _text),
         ("choices", _("answers"), lambda choices: ", ".join(
             choice.get("label") or choice.get("value") for choice in choices or ()
         ) or _("none"))),
    )


# --------------------------------------------------------------------------- test cases


def outcome_of(
    questionnaire: engine.Questionnaire | None, answers, *, level_names: Mapping[str, str],
    unreadable: str = "",
) -> Outcome:
    """A test case's answers under one version. ``questionnaire`` None: that version's rules
    cannot be read (``unreadable`` says why)."""
    if questionnaire is None:
        return Outcome(error=unreadable or _("the rules cannot be read"), rules_error=True)
    try:
        result = engine.recommend(questionnaire, answers)
    except engine.AnswerError as error:
        return Outcome(error=str(error))
    except engine.QuestionnaireError as error:
        return Outcome(error=str(error), rules_error=True)
    return Outcome(
        level=result.level, level_name=level_names.get(result.level, result.level),
        crisis=result.crisis, emergency=result.emergency, flags=tuple(sorted(result.flags)),
    )


def _outcome_changes(live: Outcome, draft: Outcome, words: Words, live_name: str,
                     draft_name: str) -> tuple[str, ...]:
    if not live.fits or not draft.fits:
        if live.fits == draft.fits:
            return ()
        broken, name = (draft, draft_name) if not draft.fits else (live, live_name)
        if broken.rules_error:
            return (_("The rules of %(version)s cannot work this case out: %(error)s") % {
                "version": name, "error": broken.error},)
        return (_("The answers do not fit %(version)s: %(error)s") % {
            "version": name, "error": broken.error},)
    changes = []
    if live.level != draft.level:
        changes.append(_("Level: %(before)s → %(after)s") % {
            "before": live.level_name, "after": draft.level_name})
    if live.crisis != draft.crisis:
        changes.append(_("Crisis help first: %(before)s → %(after)s") % {
            "before": words.yes_no(live.crisis), "after": words.yes_no(draft.crisis)})
    if live.emergency != draft.emergency:
        changes.append(_("Emergency (911 first): %(before)s → %(after)s") % {
            "before": words.yes_no(live.emergency), "after": words.yes_no(draft.emergency)})
    gained = set(draft.flags) - set(live.flags)
    lost = set(live.flags) - set(draft.flags)
    if gained:
        changes.append(_("New flags: %(flags)s") % {"flags": words.flag_list(gained)})
    if lost:
        changes.append(_("Flags no longer set: %(flags)s") % {"flags": words.flag_list(lost)})
    return tuple(changes)


def case_problems(
    questionnaire: engine.Questionnaire, case: engine.TestCase,
    level_names: Mapping[str, str], flag_names: Mapping[str, str] | None = None,
) -> list[str]:
    """What differs between a test case's expectations and its result, in words with level
    names (empty when it passes). The same checks as `engine.testcase_problems`."""
    outcome = outcome_of(questionnaire, case.answers, level_names=level_names)
    if not outcome.fits and outcome.rules_error:
        return [_("the rules of this version cannot work this case out (%(error)s)") % {
            "error": outcome.error}]
    if not outcome.fits:
        return [_("the answers do not fit this version (%(error)s)") % {"error": outcome.error}]
    words = Words(level_names=level_names)
    words.flags.update(flag_names or {})
    problems = []
    if outcome.level != case.expected_level:
        problems.append(_("expected %(expected)s, got %(actual)s") % {
            "expected": words.level(case.expected_level), "actual": outcome.level_name})
    if outcome.crisis != case.expected_crisis:
        problems.append(
            _("expected crisis help first, but the result does not show it")
            if case.expected_crisis else
            _("expected no crisis help first, but the result shows it")
        )
    if case.expected_emergency is not None and outcome.emergency != case.expected_emergency:
        problems.append(
            _("expected an emergency result (911 first), but it is not one")
            if case.expected_emergency else
            _("expected no emergency result, but it is one (911 first)")
        )
    missing = set(case.expected_flags) - set(outcome.flags)
    if missing:
        problems.append(_("expected flags missing: %(flags)s") % {
            "flags": words.flag_list(missing)})
    return problems


def _cases(documents: list[tuple[str, Mapping]]):
    """Every active test case of the documents, once: a case both versions hold with the same
    name and answers is compared once."""
    seen: dict[tuple[str, str], int] = {}
    cases: list[list] = []
    for who, document in documents:
        for case in document.get("test_cases") or ():
            answers = case.get("answers") or {}
            key = (case.get("name") or "", json.dumps(answers, sort_keys=True, default=str))
            if key in seen:
                cases[seen[key]][2].append(who)
                continue
            seen[key] = len(cases)
            cases.append([case.get("name") or "", answers, [who]])
    return cases


# --------------------------------------------------------------------------- the diff


def _engine(document: Mapping, levels) -> tuple[engine.Questionnaire | None, str]:
    try:
        return engine.Questionnaire.from_dict(document, levels=levels), ""
    except engine.QuestionnaireError as error:
        return None, str(error)


def questionnaire_diff(*, draft, live) -> Diff:
    """What publishing ``draft`` changes against ``live`` (the version the screening uses
    now; None when nothing is published yet)."""
    levels = catalogue_levels()
    level_names = {level.code: level.name for level in levels}
    after = document_of(draft, levels=levels)
    before = document_of(live, levels=levels) if live is not None else {
        "version": None, "questions": [], "test_cases": []}
    words = Words(after, before, level_names=level_names)

    sections = (
        _questions(before, after, words),
        _compare(
            _("Combination rules"), before.get("rules"), after.get("rules"),
            lambda rule: rule.get("name") or rule.get("key"),
            lambda rule: _rule_effect(rule, words),
            (("name", _("name"), _text),
             ("when", _("when all of"), lambda clauses: clauses_words(clauses or (), words)),
             ("min_level", _("minimum level"), words.level),
             ("crisis", _("crisis help first"), words.yes_no),
             ("flags", _("flags"), words.flag_list),
             ("explanation", _("explanation on the result"), _text)),
        ),
        _compare(
            _("Scores"), before.get("scores"), after.get("scores"),
            lambda score: score.get("name") or score.get("key"),
            lambda score: "; ".join(_score_band(b, words) for b in score.get("bands") or ()),
            (("name", _("name"), _text), ("instrument", _("based on"), _text),
             ("help_text", _("what it is"), _text),
             ("bands", _("bands"), lambda bands: "; ".join(
                 _score_band(band, words) for band in bands or ()) or _("none"))),
        ),
        _compare(
            _("Requirements"), before.get("requirements"), after.get("requirements"),
            lambda requirement: requirement.get("name") or requirement.get("key"),
            lambda requirement: "",
            (("name", _("name"), _text), ("help_text", _("what would help"), _text),
             ("applies_to", _("applies to levels"),
              lambda codes: ", ".join(words.level(code) for code in codes or ()) or _("none")),
             ("remedies", _("services that help"),
              lambda slugs: ", ".join(slugs or ()) or _("none")),
             ("escalation_level", _("when unmet, escalate to"), words.level)),
        ),
        _compare(
            _("Steps"), before.get("steps"), after.get("steps"),
            lambda step: step.get("title") or step.get("key"), lambda step: "",
            (("title", _("title"), _text), ("intro", _("introduction"), _text)),
        ),
        _extras(before, after),
    )

    bands = ()
    old_bands = [_severity_band(band, words) for band in before.get("bands") or ()]
    new_bands = [_severity_band(band, words) for band in after.get("bands") or ()]
    if old_bands != new_bands:
        bands = (FieldChange(
            label=_("severity bands"),
            before="; ".join(old_bands) or _("none"), after="; ".join(new_bands) or _("none"),
        ),)

    draft_rules, draft_problem = _engine(after, levels)
    live_rules, live_problem = _engine(before, levels) if live is not None else (None, "")
    draft_name = _("the draft (version %(version)s)") % {"version": draft.version}
    live_name = (_("the live version (version %(version)s)") % {"version": live.version}
                 if live is not None else _("the live version"))
    whose = {"draft": _("the draft"),
             "live": _("version %(version)s") % {"version": getattr(live, "version", "")}}
    changes = []
    compared = _cases([("draft", after), ("live", before)] if live is not None
                      else [("draft", after)])
    for name, answers, owners in compared:
        old = outcome_of(live_rules, answers, level_names=level_names,
                         unreadable=live_problem) if live is not None else Outcome(
            error=_("nothing is published yet"))
        new = outcome_of(draft_rules, answers, level_names=level_names, unreadable=draft_problem)
        differences = _outcome_changes(old, new, words, live_name, draft_name)
        if differences:
            changes.append(CaseChange(
                name=name,
                of=_("both versions") if len(owners) > 1 else whose[owners[0]],
                live=old, draft=new, changes=differences,
            ))
    return Diff(
        draft_version=draft.version,
        live_version=getattr(live, "version", None),
        sections=sections,
        bands=bands,
        cases=tuple(changes),
        cases_compared=len(compared),
    )


__all__ = [
    "CaseChange", "Change", "Diff", "FieldChange", "Item", "Outcome", "Section", "Words",
    "case_problems", "clause_words", "clauses_words", "outcome_of", "questionnaire_diff",
]

