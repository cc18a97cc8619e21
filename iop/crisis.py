"""Crisis resources for every page — with a fallback that needs no database.

Staff edit the texts (`CrisisResource`); if the database cannot be read the
built-in national numbers are shown instead, so the lines are never missing.
"""

import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

CACHE_KEY = "iop:crisis_resources:v1"
CACHE_SECONDS = 300


@dataclass(frozen=True)
class Line:
    name: str
    number: str
    action: str  # "call" or "text"
    description: str
    is_emergency: bool

    @property
    def href(self) -> str:
        digits = "".join(ch for ch in self.number if ch.isdigit())
        return f"{'sms' if self.action == 'text' else 'tel'}:{digits}"


FALLBACK = (
    Line(_("Emergency services"), "911", "call",
         _("If you or someone else is in danger right now."), True),
    Line(_("988 Suicide & Crisis Lifeline"), "988", "call",
         _("Free and private, any time, day or night."), False),
    Line(_("988 Suicide & Crisis Lifeline"), "988", "text",
         _("Prefer to type? Text 988."), False),
)


def crisis_lines() -> tuple[Line, ...]:
    lines = cache.get(CACHE_KEY)
    if lines is not None:
        return lines
    from iop.models import CrisisResource

    try:
        lines = tuple(
            Line(r.name, r.number, r.action, r.description, r.is_emergency)
            for r in CrisisResource.objects.filter(is_active=True)
        )
    except DatabaseError:
        logger.warning("crisis resources: database unavailable, using built-in lines")
        return FALLBACK
    lines = lines or FALLBACK
    cache.set(CACHE_KEY, lines, CACHE_SECONDS)
    return lines


def crisis_cache_clear(**_kwargs) -> None:
    cache.delete(CACHE_KEY)
