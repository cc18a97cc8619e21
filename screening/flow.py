"""The screening flow: what a person's session holds while they answer, and which page comes
next. Pure: no requests, no database; the views validate a page, call these and render.

Pages, in order: one page per question the person's answers show (`Rules.visible_pages`),
then the optional "finding programs" page (EXTRAS_PAGE), then "Check your answers"
(CHECK_PAGE), then the result. A page reached from "Check your answers" (a "Change" link)
goes back there once everything is answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from screening.rules import Rules

SESSION_KEY = "screening"  # answers and extras while the questions are being answered
RESULT_KEY = "screening_result"  # what the result page shows, once answers are erased
EXTRAS_PAGE = "programs"
CHECK_PAGE = "check"
RESULT = "result"


@dataclass
class ScreeningSession:
    """One person's answers so far, for one published questionnaire version.

    ``answers``: question key → chosen option values (one for a single-choice question);
    ``extras``: extra key → value (ZIP code, payment, language…), used only to find programs.
    Both are erased when the result is shown."""

    version: int
    answers: dict[str, list[str]] = field(default_factory=dict)
    extras: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, data: object, rules: Rules) -> ScreeningSession:
        """The session stored as ``data`` for ``rules``' version, keeping only well-formed
        entries (known answers to known questions, text extras). Anything else starts afresh."""
        if not isinstance(data, Mapping) or data.get("version") != rules.version:
            return cls(version=rules.version)
        answers = data.get("answers")
        extras = data.get("extras")
        answers = answers if isinstance(answers, Mapping) else {}
        extras = extras if isinstance(extras, Mapping) else {}
        return cls(
            version=rules.version,
            answers={
                key: list(values) for key, values in answers.items()
                if isinstance(key, str) and rules.has_question(key)
                and isinstance(values, list) and values
                and (rules.question(key).multiple or len(values) == 1)
                and all(isinstance(value, str) and value in rules.question(key).values
                        for value in values)
            },
            extras={
                key: value for key, value in extras.items()
                if key in rules.questionnaire.extra_keys and isinstance(value, str)
            },
        )

    def dump(self) -> dict:
        return {"version": self.version, "answers": self.answers, "extras": self.extras}

    @property
    def empty(self) -> bool:
        return not self.answers and not self.extras

    def engine_answers(self, rules: Rules) -> dict:
        """The answers as `engine.recommend` takes them (a value, or a list when multiple)."""
        return {
            key: (values if rules.question(key).multiple else values[0])
            for key, values in self.answers.items()
        }


def pages(rules: Rules, answers: Mapping) -> list[str]:
    """The question pages this person sees, in order, given their answers, then the extras
    page. "Check your answers" follows the last of these."""
    return [page.key for page in rules.visible_pages(answers)] + [EXTRAS_PAGE]


def first_missing(rules: Rules, answers: Mapping) -> str | None:
    """The first page with a required question shown and not answered, or None."""
    shown = rules.shown_keys(answers)
    for page in rules.visible_pages(answers):
        for key in page.question_keys:
            if key in shown and rules.question(key).required and not answers.get(key):
                return page.key
    return None


def is_page(rules: Rules, key: str) -> bool:
    return key == EXTRAS_PAGE or key in rules.page_keys


def shown_instead(rules: Rules, answers: Mapping, key: str) -> str:
    """For a page these answers do not show (the drinking questions after "no alcohol"): the
    next page they do show."""
    seen = pages(rules, answers)
    order = list(rules.page_keys) + [EXTRAS_PAGE]
    later = order[order.index(key) + 1:] if key in order else []
    return next((k for k in later if k in seen), EXTRAS_PAGE)


def next_page(rules: Rules, answers: Mapping, current: str, *, from_check: bool = False) -> str:
    """Where to go after ``current`` was answered validly: the first unanswered page if an
    earlier one is missing, else the next page shown (answers may have shown new pages);
    after the extras page, or when the person came from "Check your answers" and nothing
    is missing, CHECK_PAGE."""
    missing = first_missing(rules, answers)
    seen = pages(rules, answers)
    if missing is not None and (from_check or current not in seen
                                or seen.index(missing) <= seen.index(current)):
        return missing
    if from_check or current == EXTRAS_PAGE:
        return missing or CHECK_PAGE
    following = seen[seen.index(current) + 1:]
    return following[0] if following else CHECK_PAGE


def previous_page(rules: Rules, answers: Mapping, current: str) -> str | None:
    """The page before ``current`` (CHECK_PAGE: the extras page); None before the first."""
    seen = pages(rules, answers)
    if current == CHECK_PAGE:
        return seen[-1]
    if current not in seen:
        return None
    index = seen.index(current)
    return seen[index - 1] if index else None


def blocked_by(rules: Rules, answers: Mapping, current: str) -> str | None:
    """A page shown before ``current`` still missing an answer (pages are answered in
    order), or None. For CHECK_PAGE: any missing page."""
    missing = first_missing(rules, answers)
    if missing is None:
        return None
    if current == CHECK_PAGE:
        return missing
    seen = pages(rules, answers)
    if current in seen and seen.index(missing) < seen.index(current):
        return missing
    return None


def progress(rules: Rules, answers: Mapping, current: str) -> tuple[int, int]:
    """(number of this page, pages in all) counting only the pages this person sees."""
    seen = pages(rules, answers)
    return (seen.index(current) + 1 if current in seen else len(seen)), len(seen)
