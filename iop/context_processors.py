from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from iop.crisis import crisis_lines


def site(request):
    """Crisis lines for the banner on every page (evaluated lazily)."""
    return {"crisis_lines": crisis_lines}


def messages(request):
    """Flash messages, without reading the session of a visitor who has none.

    Listed after Django's processor, whose `messages` it replaces: `{% if messages %}` in
    base.html would otherwise load the session on every page, and a page that reads the
    session varies on the cookie and cannot be cached for everyone (iop.cache)."""
    storage = get_messages(request)
    if settings.SESSION_COOKIE_NAME in request.COOKIES or getattr(
        storage, "_queued_messages", None
    ):
        return {"messages": storage}
    return {"messages": ()}


@dataclass(frozen=True)
class Alternate:
    code: str
    name: str  # in its own language
    url: str  # this page in that language, query string kept
    current: bool


def _alternates(request) -> tuple[Alternate, ...]:
    path, mark, query = request.get_full_path().partition("?")
    current = get_language()
    return tuple(
        Alternate(code, name, f"{_translated_path(path, code, current)}{mark}{query}",
                  code == current)
        for code, name in settings.LANGUAGES
    )


@lru_cache(maxsize=1024)
def _translated_path(path: str, code: str, current: str) -> str:
    """`path` in language `code`, for a page in language `current` (which decides how the
    path resolves): remembered, as resolving and reversing a path twice on every page took a
    tenth of a simple page's time. The query string is added by the caller."""
    return translate_url(path, code)


def languages(request):
    """This page in every language, for the switch in the header and the ``hreflang`` links.
    The screening keeps its answers in the session, not in the address, so switching keeps
    them."""
    return {"page_languages": SimpleLazyObject(lambda: _alternates(request))}
