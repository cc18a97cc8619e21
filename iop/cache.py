"""Whole-page cache for the anonymous catalogue pages, invalidated exactly (DESIGN §8).

`catalogue_page` wraps a catalogue view (home, levels of care, about, privacy, program list,
search, near-me, program detail). A request without a session cookie is anonymous by
construction: its page is the same for everyone who asks for the same address, so it is
rendered once and kept, compressed and with an ETag. A request that carries a session cookie
(a person part way through the screening, or staff) is rendered as usual and never stored,
so no cached entry can hold anything of one person's.

Exactness comes from a version, not from a timeout. Every key holds the catalogue version, a
random token kept in the shared cache (``CACHES["default"]``: Redis when ``CACHE_URL`` is
set, so every app server sees the same token). Saving or deleting any row of a catalogue app,
or changing one of its many-to-many sets, replaces the token (`catalogue_changed`, connected
in iop.signals) at once and again when the transaction commits, so a page rendered from rows
read before the commit can never be served afterwards. Code that writes without signals
(``QuerySet.update``, ``bulk_create``, raw SQL) calls `catalogue_changed()` itself.

The page bodies live in ``CACHES["pages"]`` when it is configured (by default a bounded local
memory of each process: no network round trip; the version still comes from the shared
cache), else in the default cache. Entries also expire after `PAGE_SECONDS`, and the key holds
today's date, only so that memory is bounded and relative dates stay true: correctness never
waits for a timeout.

Screening pages are never wrapped. Compression: catalogue pages hold no secret (no CSRF
token, no session data), so gzip is safe from BREACH; pages with a CSRF token or a person's
answers are not compressed here.
"""

import gzip
import hashlib
import re
import uuid
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import get_language

VERSION_KEY = "iop:catalogue-version"
PAGE_KEY_PREFIX = "iop:page"
PAGE_SECONDS = 24 * 60 * 60  # bounds memory only; edits invalidate at once
# Apps whose rows catalogue pages show; a change to any of their rows invalidates every page.
CATALOGUE_APPS = frozenset({"iop"})
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
_MIN_GZIP_BYTES = 200


@dataclass(frozen=True)
class CachedPage:
    content: bytes
    gzipped: bytes | None
    content_type: str
    etag: str  # a hash of the content, without quotes


def page_cache():
    return caches["pages"] if "pages" in settings.CACHES else cache


# --------------------------------------------------------------------------- the version


def catalogue_version() -> str:
    """The current catalogue version (made when the shared cache has none)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or "unversioned"
    return version


def _bump() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def catalogue_changed(*, using: str | None = None, **_kwargs) -> None:
    """Every cached catalogue page is out of date: now, and again once the transaction that
    made the change commits (a page rendered in between read the rows before the commit)."""
    _bump()
    connection = connections[using or DEFAULT_DB_ALIAS]
    if connection.in_atomic_block and not any(
        entry[1] is _bump for entry in getattr(connection, "run_on_commit", ())
    ):
        transaction.on_commit(_bump, using=using or DEFAULT_DB_ALIAS)


def row_changed(sender, using=None, raw=False, **kwargs) -> None:
    """post_save / post_delete / m2m_changed receiver: a catalogue app's row changed."""
    if sender._meta.app_label in CATALOGUE_APPS:
        if kwargs.get("action", "post_").startswith("post_"):  # m2m_changed: after the change
            catalogue_changed(using=using)


# --------------------------------------------------------------------------- the pages


def is_anonymous_request(request) -> bool:
    """No session cookie: nothing on the page can depend on who asks."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def page_key(request) -> str:
    query = sorted(request.GET.lists())
    address = "\n".join([
        request.get_host(), "https" if request.is_secure() else "http", request.path,
        repr(query), get_language() or "", timezone.localdate().isoformat(),
    ])
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"{PAGE_KEY_PREFIX}:{catalogue_version()}:{digest}"


def _entry_of(response) -> CachedPage:
    content = response.content
    gzipped = gzip.compress(content, 6, mtime=0) if len(content) >= _MIN_GZIP_BYTES else None
    if gzipped is not None and len(gzipped) >= len(content):
        gzipped = None
    return CachedPage(
        content=content, gzipped=gzipped, content_type=response["Content-Type"],
        etag=hashlib.md5(content, usedforsecurity=False).hexdigest(),
    )


def _send(request, page: CachedPage, response=None):
    """The page (gzip when the client takes it), answering a matching If-None-Match with 304.
    `response` is the view's own response on a cache miss (it keeps the view's headers)."""
    from django.http import HttpResponse

    wants_gzip = page.gzipped is not None and _ACCEPTS_GZIP.search(
        request.META.get("HTTP_ACCEPT_ENCODING", "")
    )
    etag = f'"{page.etag}-gzip"' if wants_gzip else f'"{page.etag}"'
    if response is None:
        response = HttpResponse(content_type=page.content_type)
    response.content = page.gzipped if wants_gzip else page.content
    if wants_gzip:
        response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    response["Content-Length"] = str(len(response.content))
    # Stored by browsers, but checked with the ETag each time: an edit shows at once.
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ("Accept-Encoding",))
    return get_conditional_response(request, etag=etag, response=response)


def _storable(request, response) -> bool:
    """Only a plain 200 that read nothing of the visitor's: no session read (flash messages),
    no CSRF token on the page, no cookie set."""
    session = getattr(request, "session", None)
    return not (
        response.status_code != 200 or response.streaming or response.cookies
        or response.has_header("Content-Encoding")
        or (session is not None and session.accessed)
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def catalogue_page(view):
    """Serve an anonymous catalogue page from the page cache (see the module docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_anonymous_request(request):
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                response = _send(request, _entry_of(response), response)
                response["Cache-Control"] = "private, no-cache"
            return response
        store = page_cache()
        key = page_key(request)
        page = store.get(key)
        if page is not None:
            return _send(request, page)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if not _storable(request, response):
            return response
        page = _entry_of(response)
        store.set(key, page, PAGE_SECONDS)
        return _send(request, page, response)

    wrapped.catalogue_cached = True
    return wrapped
