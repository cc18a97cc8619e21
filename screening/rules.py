"""The rules the public screening and `manage.py screen` run: a questionnaire version read
through its one document form (`screening.documents`), with the pages the web form shows.

`live_rules()` is the latest published version and `published_rules(version)` any published
one (a person part way through keeps the version they started with). Both are cached: a
published version never changes, so the cache key is its version and the language its words
are in (the rules themselves are the same in every language); the catalogue's level names
and usual next steps are part of the cached rules, so editing a level clears the cache.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.core.cache import cache

from iop.i18n import current_language
from screening import engine
from screening.documents import catalogue_levels, engine_of
from screening.models import Questionnaire

LATEST_KEY = "screening:latest_published"
RULES_KEY = "screening:rules:v{version}:{language}"
# Replaced by rules_cache_clear: each process keeps the rules it has read for as long as the
# shared cache holds the same token (one small read a page, instead of unpickling the whole
# questionnaire: several milliseconds, several times a page).
RULES_TOKEN_KEY = "screening:rules-token"  # noqa: S105 - a cache key, not a secret
LATEST_SECONDS = 60


#: Page keys the flow uses for itself (screening.flow): a question with one of these keys
#: gets a page key with a suffix.
RESERVED_PAGE_KEYS = frozenset({"programs", "check", "result"})


@dataclass(frozen=True)
class Page:
    """One question per page (GOV.UK "one thing per page"): the page key is the question's key.
    ``title`` is the step the question belongs to (shown as a caption) and ``intro`` the
    step's introduction, on the step's first page only."""

    key: str
    step: str
    title: str
    intro: str
    question_keys: tuple[str, ...]


def pages_of(questionnaire: engine.Questionnaire) -> tuple[Page, ...]:
    steps = {step.key: step for step in questionnaire.steps}
    order = {key: number for number, key in enumerate(dict.fromkeys(
        [step.key for step in questionnaire.steps]
        + [question.step for question in questionnaire.questions]
    ))}
    pages: list[Page] = []
    seen_steps: set[str] = set()
    for question in sorted(questionnaire.questions, key=lambda q: order[q.step]):
        step = steps.get(question.step, engine.Step(key=question.step, title=question.step))
        key = question.key if question.key not in RESERVED_PAGE_KEYS else f"{question.key}-q"
        pages.append(Page(
            key=key,
            step=step.key,
            title=step.title,
            intro="" if step.key in seen_steps else step.intro,
            question_keys=(question.key,),
        ))
        seen_steps.add(step.key)
    return tuple(pages)


@dataclass(frozen=True)
class Rules:
    """Everything the screening needs about one published questionnaire version."""

    questionnaire: engine.Questionnaire
    level_names: dict = field(default_factory=dict)  # code -> name

    @property
    def version(self) -> int:
        return self.questionnaire.version

    @cached_property
    def pages(self) -> tuple[Page, ...]:
        return pages_of(self.questionnaire)

    @cached_property
    def page_keys(self) -> tuple[str, ...]:
        return tuple(page.key for page in self.pages)

    def page(self, key: str) -> Page:
        for page in self.pages:
            if page.key == key:
                return page
        raise KeyError(key)

    def question(self, key: str) -> engine.Question:
        return self.questionnaire.question(key)

    def has_question(self, key: str) -> bool:
        return self.questionnaire.has_question(key)

    def visible_pages(self, answers: dict) -> tuple[Page, ...]:
        """The pages this person sees, given their answers so far."""
        shown = {q.key for q in engine.shown_questions(self.questionnaire, answers)}
        return tuple(
            page for page in self.pages if any(key in shown for key in page.question_keys)
        )

    def shown_keys(self, answers: dict) -> frozenset[str]:
        return frozenset(q.key for q in engine.shown_questions(self.questionnaire, answers))


def rules_build(questionnaire: Questionnaire) -> Rules:
    """Read one version with a constant number of queries."""
    levels = catalogue_levels()
    return Rules(
        questionnaire=engine_of(questionnaire, levels=levels),
        level_names={level.code: level.name for level in levels},
    )


class NoPublishedQuestionnaire(LookupError):
    pass


# key → (token, rules): what this process has read (see RULES_TOKEN_KEY).
_read: dict[str, tuple[str, Rules]] = {}


def _rules_token() -> str:
    token = cache.get(RULES_TOKEN_KEY)
    if token is None:
        cache.add(RULES_TOKEN_KEY, uuid.uuid4().hex, None)  # add: another process may be first
        token = cache.get(RULES_TOKEN_KEY)
    return token


def published_rules(version: int) -> Rules | None:
    """A published version's rules (cached), or None when that version is not published."""
    key = RULES_KEY.format(version=version, language=current_language())  # words per language
    token = _rules_token()
    known = _read.get(key)
    if known is not None and token is not None and known[0] == token:
        return known[1]
    rules = cache.get(key)
    if rules is None:
        questionnaire = Questionnaire.objects.filter(
            version=version, status=Questionnaire.Status.PUBLISHED
        ).first()
        if questionnaire is None:
            return None
        rules = rules_build(questionnaire)
        cache.set(key, rules, None)
    if token is not None:
        _read[key] = (token, rules)
    return rules


def live_rules() -> Rules:
    """The latest published version's rules (cached)."""
    version = cache.get(LATEST_KEY)
    if version is None:
        version = (
            Questionnaire.objects.filter(status=Questionnaire.Status.PUBLISHED)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        if version is None:
            raise NoPublishedQuestionnaire("No questionnaire version is published.")
        cache.set(LATEST_KEY, version, LATEST_SECONDS)
    rules = published_rules(version)
    if rules is None:  # the cached number went stale: forget it, the next request looks again
        cache.delete(LATEST_KEY)
        raise NoPublishedQuestionnaire(f"Version {version} is no longer published.")
    return rules


def rules_cache_clear() -> None:
    """Call after publishing, or after editing flags or levels of care."""
    cache.delete(LATEST_KEY)
    cache.set(RULES_TOKEN_KEY, uuid.uuid4().hex, None)  # every process reads them again
    _read.clear()
    cache.delete_many([
        RULES_KEY.format(version=version, language=language)
        for version in Questionnaire.objects.values_list("version", flat=True)
        for language, _name in settings.LANGUAGES
    ])

