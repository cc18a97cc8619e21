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
token, no session data), so brotli and gzip are safe from BREACH; pages with a CSRF token or a
person's answers are not compressed here. A stored page keeps both encodings (brotli for the
clients that accept ``br``, gzip for the others); a page rendered for one visitor only is
compressed in the one encoding that visitor takes, at a quicker brotli setting.

The same version keys the counts of matching programs on list pages (`cached_count`): a count
reads every matching row, the page itself only twenty, so a list page rendered for a visitor
with a session still reads only its page once the count is known. A list in an order the
database must work out for every match (a search by relevance, near-me by distance) keeps
that order the same way (`cached_ranking`): the matches' ids (and miles), so every page of
it, and every later visitor, reads only its own twenty rows by id.
"""

import contextlib
import gzip
import hashlib
import math
import time
import uuid
from array import array
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps

import brotli
from django.conf import settings
from django.core.cache import cache, caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import get_language

VERSION_KEY = "iop:catalogue-version"
PAGE_KEY_PREFIX = "iop:page:v2"  # v2: entries hold a brotli body too
COUNT_KEY_PREFIX = "iop:count"
RANKING_KEY_PREFIX = "iop:ranking"
RANKING_KEPT = 2_000  # matches whose order is kept: a hundred pages of twenty
PAGE_SECONDS = 24 * 60 * 60  # bounds memory only; edits invalidate at once
# Apps whose rows catalogue pages show; a change to any of their rows invalidates every page.
CATALOGUE_APPS = frozenset({"iop"})
_MIN_COMPRESS_BYTES = 200
# Brotli quality: 5 for a stored page (about 1 ms for a 40 kB list page, a tenth smaller than
# gzip; 11 is another fifth smaller but takes 45 ms, paid by the first visitor of each page),
# 1 for a page made for one visitor (a tenth of a millisecond for a list page, and about 800
# bytes more than quality 4, which took four times as long).
BROTLI_STORED_QUALITY = 5
BROTLI_PRIVATE_QUALITY = 1
# A 256 kB window (brotli's default is 4 MB): pages are 10–50 kB, and setting up the default
# window took longer than compressing a page.
BROTLI_WINDOW = 18


@dataclass(frozen=True)
class CachedPage:
    content: bytes
    gzipped: bytes | None
    content_type: str
    etag: str  # a hash of the content, without quotes
    brotli: bytes | None = None


def page_cache():
    return caches["pages"] if "pages" in settings.CACHES else cache


# --------------------------------------------------------------------------- the version


# The versions a request has read (versions()): set to {} for each request by
# VersionsMiddleware, None outside requests (commands, tests calling functions directly).
_request_versions: ContextVar[dict | None] = ContextVar("iop_cache_versions", default=None)


class VersionsMiddleware:
    """Each request reads the catalogue and lookups versions once, together, from the shared
    cache (versions()), instead of once for every key and memo that holds them: a list page
    asked the shared cache for them three times."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_versions.set({})
        try:
            return self.get_response(request)
        finally:
            _request_versions.reset(token)


def versions() -> tuple[str, str]:
    """The current (catalogue version, lookups version), made when the shared cache has none:
    one round trip, then kept for the rest of the request (a version changed by this request
    is read again: _bump, _bump_lookups)."""
    held = _request_versions.get()
    if held:
        return held["versions"]
    found = cache.get_many([VERSION_KEY, LOOKUPS_VERSION_KEY])
    pair = tuple(found.get(key) or _made_version(key) for key in (VERSION_KEY, LOOKUPS_VERSION_KEY))
    if held is not None:
        held["versions"] = pair
    return pair


def _made_version(key: str) -> str:
    cache.add(key, uuid.uuid4().hex, None)
    return cache.get(key) or "unversioned"


def _forget_versions() -> None:
    held = _request_versions.get()
    if held:
        held.clear()


def catalogue_version() -> str:
    """The current catalogue version (made when the shared cache has none)."""
    return versions()[0]


def _bump() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    _forget_versions()


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
            if sender._meta.model_name in LOOKUP_MODELS:
                lookups_changed(using=using)


# --------------------------------------------------------------------------- counts


def count_key(parts) -> str:
    """The cache key of a list's count in the current catalogue version. `parts` names what
    the count depends on (the view's valid filters; a stable repr). Take it before counting,
    as page_key is taken before rendering: a count of rows that changed meanwhile is then
    kept under the old version, which no one reads again."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"{COUNT_KEY_PREFIX}:{catalogue_version()}:{digest}"


def cached_count(key: str) -> int | None:
    """The number of programs a list matches, as counted in this catalogue version, or None.
    Kept beside the pages (a local memory of each process by default)."""
    try:
        return page_cache().get(key)
    except Exception:  # noqa: BLE001 - without a cache the page counts, as it always could
        return None


def cached_count_set(key: str, count: int) -> None:
    with contextlib.suppress(Exception):  # without a cache the next page counts again
        page_cache().set(key, count, PAGE_SECONDS)


@dataclass(frozen=True)
class Ranking:
    """The programs a ranked list matches, best first: how many, and the ids and, for near-me,
    the miles (NaN for a telehealth program with no location near) of the first
    RANKING_KEPT. Arrays, copied in and out of the cache as blocks of bytes: 32 kB at most, so
    a full page store (MAX_ENTRIES) of them stays small. A page past the kept part is ranked
    by the database as before (a hundred pages in: no one reads that far)."""

    ids: array
    miles: array | None = None
    # A search's spelling help (word typed → words it was widened to), as worked out with
    # the order: the same for everyone in this catalogue version.
    spelling: dict = field(default_factory=dict)
    total: int = 0

    @classmethod
    def of(cls, pairs, spelling=None) -> "Ranking":
        """From (id, miles or None) pairs, in order; `miles` left out when every one is None."""
        pairs = list(pairs)
        kept = pairs[:RANKING_KEPT]
        ids = array("q", [pk for pk, _miles in kept])
        miles = None
        if any(distance is not None for _pk, distance in kept):
            miles = array("d", [math.nan if m is None else float(m) for _pk, m in kept])
        return cls(ids, miles, dict(spelling or {}), len(pairs))

    def __len__(self) -> int:
        return self.total

    def covers(self, bottom: int, top: int) -> bool:
        """Whether matches bottom..top-1 are among the kept ones."""
        return min(top, self.total) <= len(self.ids)

    def slice(self, bottom: int, top: int) -> list[tuple[int, float | None]]:
        """(id, miles or None) of kept matches bottom..top-1."""
        ids = self.ids[bottom:top]
        if self.miles is None:
            return [(pk, None) for pk in ids]
        miles = self.miles[bottom:top]
        return [(pk, None if math.isnan(m) else m) for pk, m in zip(ids, miles, strict=True)]


def ranking_key(parts) -> str:
    """The cache key of a ranked list's order in the current catalogue version (taken before
    the database ranks, as count_key)."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"{RANKING_KEY_PREFIX}:{catalogue_version()}:{digest}"


def cached_ranking(key: str) -> Ranking | None:
    try:
        return page_cache().get(key)
    except Exception:  # noqa: BLE001 - without a cache the database ranks again
        return None


def cached_ranking_set(key: str, ranking: Ranking) -> None:
    with contextlib.suppress(Exception):
        page_cache().set(key, ranking, PAGE_SECONDS)


# --------------------------------------------------------------------------- lookup tables

LOOKUPS_VERSION_KEY = "iop:lookups-version"
# The small tables program pages name (levels of care, services, populations, payment
# options, languages, accreditations): their own version, changed only when one of their rows
# is saved or deleted, so a program edit does not make every process read them again.
LOOKUP_MODELS = frozenset({"levelofcare", "service", "population", "paymentoption", "language",
                           "accreditation"})
# Bounds writers that send no signals (QuerySet.update, raw SQL), as the filter choices'
# timeout does (iop.filters); saves and deletes change the version at once.
LOOKUPS_MEMO_SECONDS = 600
_memo: dict[str, tuple[str, float, object]] = {}  # name → (version, when, value): latest only


def lookups_version() -> str:
    return versions()[1]


def _bump_lookups() -> None:
    cache.set(LOOKUPS_VERSION_KEY, uuid.uuid4().hex, None)
    _forget_versions()


def lookups_changed(*, using: str | None = None) -> None:
    """A lookup table changed: now, and again when the transaction commits."""
    _bump_lookups()
    connection = connections[using or DEFAULT_DB_ALIAS]
    if connection.in_atomic_block and not any(
        entry[1] is _bump_lookups for entry in getattr(connection, "run_on_commit", ())
    ):
        transaction.on_commit(_bump_lookups, using=using or DEFAULT_DB_ALIAS)


def _kept_for(version_of, name: str, build, *, seconds: float, keep=None):
    """`build()`, remembered by this process under `name` for the version `version_of()`
    gives (and at most `seconds`): a dict lookup to read (no network round trip, nothing to
    unpickle). The version is read before building, as page_key is read before rendering.
    A value `keep` refuses is not remembered."""
    try:
        version = version_of()
    except Exception:  # noqa: BLE001 - without the shared cache, build every time
        return build()
    kept = _memo.get(name)
    now = time.monotonic()
    if kept is not None and kept[0] == version and now - kept[1] < seconds:
        return kept[2]
    value = build()
    if keep is None or keep(value):
        _memo[name] = (version, now, value)
    return value


def lookups_memo(name: str, build):
    """`build()` (data read from the lookup tables), remembered by this process for the
    current lookups version (see _kept_for)."""
    return _kept_for(lookups_version, name, build, seconds=LOOKUPS_MEMO_SECONDS)


def catalogue_memo(name: str, build, *, seconds: float, keep=None):
    """`build()` (data read from any catalogue table), remembered by this process for the
    current catalogue version, which every catalogue edit changes (see _kept_for)."""
    return _kept_for(catalogue_version, name, build, seconds=seconds, keep=keep)


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


def accepted_encodings(header: str) -> frozenset[str]:
    """The content codings of an Accept-Encoding header that this module makes ("br",
    "gzip") and the client takes: listed without ``q=0``, or covered by ``*``."""
    listed = {}
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding:
            listed[coding.strip().lower()] = quality
    return frozenset(
        coding for coding in ("br", "gzip")
        if listed.get(coding, listed.get("*", 0.0)) > 0
    )


def _smaller(packed: bytes, content: bytes) -> bytes | None:
    return packed if len(packed) < len(content) else None


def _entry_of(response, encodings=frozenset({"br", "gzip"})) -> CachedPage:
    """The response as a page to send: its body, compressed in `encodings` (both for a page
    that is stored; only what the client takes for a page made for one visitor)."""
    content = response.content
    gzipped = packed = None
    if len(content) >= _MIN_COMPRESS_BYTES:
        stored = len(encodings) > 1
        if "br" in encodings:
            quality = BROTLI_STORED_QUALITY if stored else BROTLI_PRIVATE_QUALITY
            packed = _smaller(brotli.compress(
                content, mode=brotli.MODE_TEXT, quality=quality, lgwin=BROTLI_WINDOW
            ), content)
        if "gzip" in encodings and (stored or packed is None):
            gzipped = _smaller(gzip.compress(content, 6, mtime=0), content)
    return CachedPage(
        content=content, gzipped=gzipped, content_type=response["Content-Type"],
        etag=hashlib.md5(content, usedforsecurity=False).hexdigest(), brotli=packed,
    )


def _send(request, page: CachedPage, response=None, encodings=None):
    """The page (brotli or gzip when the client takes it), answering a matching
    If-None-Match with 304. `response` is the view's own response on a cache miss (it keeps
    the view's headers)."""
    from django.http import HttpResponse

    if encodings is None:
        encodings = accepted_encodings(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    body, coding = page.content, None
    if "br" in encodings and page.brotli is not None:
        body, coding = page.brotli, "br"
    elif "gzip" in encodings and page.gzipped is not None:
        body, coding = page.gzipped, "gzip"
    etag = f'"{page.etag}-{coding}"' if coding else f'"{page.etag}"'
    if response is None:
        response = HttpResponse(content_type=page.content_type)
    response.content = body
    if coding:
        response["Content-Encoding"] = coding
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


def _rendered(response):
    """A TemplateResponse (a generic view's) rendered, so that its body can be compressed."""
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    return response


def catalogue_page(view):
    """Serve an anonymous catalogue page from the page cache (see the module docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_anonymous_request(request):
            response = _rendered(view(request, *args, **kwargs))
            if response.status_code == 200 and not response.streaming:
                encodings = accepted_encodings(request.META.get("HTTP_ACCEPT_ENCODING", ""))
                # Compressed only in the coding this visitor takes (brotli first).
                wanted = frozenset({"br"} if "br" in encodings else encodings)
                response = _send(request, _entry_of(response, wanted), response, encodings)
                response["Cache-Control"] = "private, no-cache"
            return response
        store = page_cache()
        key = page_key(request)
        page = store.get(key)
        if page is not None:
            return _send(request, page)
        response = _rendered(view(request, *args, **kwargs))
        if not _storable(request, response):
            return response
        page = _entry_of(response)
        store.set(key, page, PAGE_SECONDS)
        return _send(request, page, response)

    wrapped.catalogue_cached = True
    return wrapped
