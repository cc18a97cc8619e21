"""Crisis resources for every page — with a fallback that needs no database.

Staff edit the texts (`CrisisResource`); if the database cannot be read the
built-in national numbers are shown instead, so the lines are never missing.
"""

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _

from iop.i18n import current_language

logger = logging.getLogger(__name__)

CACHE_KEY = "iop:crisis_resources:v2:{language}"  # worded in the page's language
CACHE_SECONDS = 300


@dataclass(frozen=True)
class Line:
    name: str
    number: str
    action: str  # "call" or "text"
    description: str
    is_emergency: bool
    slug: str = ""  # the staff row's, so code can find a line in any language

    @property
    def href(self) -> str:
        digits = "".join(ch for ch in self.number if ch.isdigit())
        return f"{'sms' if self.action == 'text' else 'tel'}:{digits}"


FALLBACK = (
    Line(_("Emergency services"), "911", "call",
         _("If you or someone else is in danger right now."), True, "emergency-911"),
    Line(_("988 Suicide & Crisis Lifeline"), "988", "call",
         _("Free and private, any time, day or night."), False, "988-call"),
    Line(_("988 Suicide & Crisis Lifeline"), "988", "text",
         _("Prefer to type? Text 988."), False, "988-text"),
)


def cache_key() -> str:
    return CACHE_KEY.format(language=current_language())


# Lines this process has read, by language: (catalogue version, when, lines). Any edit of a
# crisis resource changes the catalogue version (iop.cache.row_changed) and clears the shared
# entry (crisis_cache_clear), so a kept line is never shown after an edit; CACHE_SECONDS
# still bounds writers that send no signals, as the shared entry's timeout does.
_kept: dict[str, tuple[str, float, tuple[Line, ...]]] = {}


def crisis_lines() -> tuple[Line, ...]:
    """The active crisis lines in the page's language (the built-in ones when there are none
    or the database cannot be read)."""
    from iop.cache import catalogue_version

    language = current_language()
    try:
        version = catalogue_version()  # read once a request with the other versions
    except Exception:  # noqa: BLE001 - without the shared cache, read as below
        version = None
    kept = _kept.get(language)
    now = time.monotonic()
    if version and kept and kept[0] == version and now - kept[1] < CACHE_SECONDS:
        return kept[2]
    lines = _crisis_lines()
    if version and lines is not FALLBACK:
        _kept[language] = (version, now, lines)
    return lines


def _crisis_lines() -> tuple[Line, ...]:
    lines = cache.get(cache_key())
    if lines is not None:
        return lines
    from iop.models import CrisisResource

    try:
        lines = tuple(
            Line(r.name, r.number, r.action, r.description, r.is_emergency, r.slug)
            for r in CrisisResource.objects.filter(is_active=True)
        )
    except DatabaseError:
        logger.warning("crisis resources: database unavailable, using built-in lines")
        return FALLBACK
    lines = lines or FALLBACK
    cache.set(cache_key(), lines, CACHE_SECONDS)
    return lines


def crisis_cache_clear(**_kwargs) -> None:
    """Forget the lines everywhere: the shared entry, this process's, and (a new catalogue
    version) every other process's, including any kept from the shared entry just before it
    was cleared."""
    from iop.cache import catalogue_changed

    _kept.clear()
    cache.delete_many([CACHE_KEY.format(language=code) for code, _name in settings.LANGUAGES])
    catalogue_changed()
