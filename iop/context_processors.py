from dataclasses import dataclass

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
    here = request.get_full_path()
    current = get_language()
    return tuple(
        Alternate(code, name, translate_url(here, code), code == current)
        for code, name in settings.LANGUAGES
    )


def languages(request):
    """This page in every language, for the switch in the header and the ``hreflang`` links.
    The screening keeps its answers in the session, not in the address, so switching keeps
    them."""
    return {"page_languages": SimpleLazyObject(lambda: _alternates(request))}
