"""A small, cache-based limit on how many reports one client sends.

The key is a keyed hash (HMAC with SECRET_KEY) of the client's address, kept in the cache for
the length of the window only: the address itself is never stored, in the cache or anywhere
else.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache

from iop.admin_site import client_ip_address

WINDOW_SECONDS = 60 * 60


def _limit() -> int:
    return int(getattr(settings, "REPORTS_PER_HOUR", 5))


def _key(request) -> str:
    address = client_ip_address(request) or "unknown"
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"reports:{address}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"reports:rate:{digest}"


def is_limited(request) -> bool:
    """True when this client has used up its reports for the window."""
    return (cache.get(_key(request)) or 0) >= _limit()


def hit(request) -> None:
    """Count one report for this client."""
    key = _key(request)
    if cache.add(key, 1, WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
