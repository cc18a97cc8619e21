"""Crisis resources for every page — with a fallback that needs no database.

Staff edit the texts (`CrisisResource`); if the database cannot be read the
built-in national numbers are shown instead, so the lines are never missing.
"""

import logging
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


def crisis_lines() -> tuple[Line, ...]:
    """The active crisis lines in the page's language (the built-in ones when there are none
    or the database cannot be read), kept by each process for the catalogue version: any edit
    of a crisis resource changes it (iop.cache.row_changed, and crisis_cache_clear), so a kept
    line is never shown after an edit; CACHE_SECONDS still bounds writers that send no signals,
    as the shared entry's timeout does. The built-in lines are not kept: the staff's come back
    as soon as the database answers."""
    from iop.cache import catalogue_memo

    return catalogue_memo(f"crisis_lines:{current_language()}", _crisis_lines,
                          seconds=CACHE_SECONDS, keep=lambda lines: lines is not FALLBACK)


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
    """Forget the lines everywhere: the shared entry, and (a new catalogue version) those
    every process keeps, including any kept from the shared entry just before it was
    cleared."""
    from iop.cache import catalogue_changed

    cache.delete_many([CACHE_KEY.format(language=code) for code, _name in settings.LANGUAGES])
    catalogue_changed()
