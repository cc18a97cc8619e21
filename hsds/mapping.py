"""Identifiers and vocabularies shared by the HSDS export, import and API.

Identifiers are UUIDs so other systems can store them as HSDS suggests:

- a service (one of our programs), a location and a service_at_location (a location belongs
  to one program, so it stands for the link too) carry their primary key in a version 8
  (RFC 9562, "custom") UUID, so the API can look one up without a stored column;
- an organization is the programs sharing an ``organisation`` name: a version 5 UUID of it;
- phones, schedules, languages and the rest are version 5 UUIDs of their parent and value,
  stable from one export to the next.
"""

from __future__ import annotations

import re
import uuid

HSDS_VERSION = "3.0"
PROFILE_URL = "https://openreferral.org/hsds-3-0/"  # the profile this API and export follow

_NAMESPACE = uuid.UUID("6d1b3c1e-8f4a-5b7e-9c2d-4a5e6f708192")
_PREFIX = 0x10F_A7_1E_5E_0C  # 48 bits that mark our custom UUIDs
_KINDS = {"service": 0x001, "location": 0x002, "service_at_location": 0x003}


def entity_uuid(kind: str, pk: int) -> str:
    value = (_PREFIX << 80) | (0x8 << 76) | (_KINDS[kind] << 64) | (0b10 << 62) | int(pk)
    return str(uuid.UUID(int=value))


def pk_from_uuid(kind: str, text: str) -> int | None:
    """The primary key in one of our service or location ids, or None for any other text."""
    try:
        value = uuid.UUID(str(text)).int
    except (ValueError, TypeError, AttributeError):
        return None
    if value >> 80 != _PREFIX or (value >> 76) & 0xF != 0x8:
        return None
    if (value >> 64) & 0xFFF != _KINDS[kind]:
        return None
    if (value >> 62) & 0b11 != 0b10:
        return None
    return value & ((1 << 62) - 1)


def child_uuid(*parts) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(str(part) for part in parts)))


def organization_name(program) -> str:
    return (program.organisation or program.name).strip()


def organization_uuid(name: str) -> str:
    return child_uuid("organization", " ".join(name.lower().split()))


# Our vocabularies as HSDS taxonomies: levels, services and populations are attributes of each
# service; session times are attributes of its schedule. A term's code is what the API's
# ``taxonomy`` filter takes and what /programs/ uses (level, service, population, schedule).
TAXONOMIES = {
    "level": ("iop-navigator-levels-of-care", "Levels of care",
              "The six levels of care, from education to medically managed withdrawal "
              "(ASAM levels 0.5 to 4)."),
    "service": ("iop-navigator-services", "Services offered",
                "Therapies, medical care, support and practical help a program offers."),
    "population": ("iop-navigator-populations", "Populations served",
                   "Groups of people a program serves or specialises in."),
    "schedule": ("iop-navigator-session-times", "Session times",
                 "When a program holds its sessions: during the day, in the evening, at "
                 "weekends."),
}
LINK_TYPES = {"level": "service_type", "service": "service_type", "population": "eligibility",
              "schedule": "session_time"}
# The session-time terms: code (the /programs/ ``schedule`` value and Program.schedule_<code>),
# name and description.
SESSION_TIMES = (
    ("day", "Daytime sessions", "Sessions during the working day."),
    ("evening", "Evening sessions", "Sessions in the evening, after the working day."),
    ("weekend", "Weekend sessions", "Sessions on Saturdays or Sundays."),
)
SESSION_CODES = tuple(code for code, _name, _description in SESSION_TIMES)

# --------------------------------------------------------------------------- texts read back
# The export says these things in words (HSDS has no field for them); the importer reads the
# same words back, so an export imports without a change. Keep each writer next to its reader.

TELEHEALTH_TEXT = "Telehealth (video) sessions"
ATTENDING_IN_PERSON = "in person"
ATTENDING_BOTH = "online and in person"
ONLY_FOR = "Only for: "
SPECIALISES_IN = "Specialises in: "
ALERT_SEPARATOR = " – "


def hours_text(hours_min: int | None, hours_max: int | None, sessions: int | None) -> str:
    """How many hours and sessions a week, in words: for example "9–12 hours a week, 3
    sessions a week" (each part only when known; `read_hours` reads it back)."""
    parts = []
    if hours_min is not None and hours_max is not None:
        parts.append(f"{hours_min} hours a week" if hours_min == hours_max
                     else f"{hours_min}–{hours_max} hours a week")
    elif hours_min is not None:
        parts.append(f"at least {hours_min} hours a week")
    elif hours_max is not None:
        parts.append(f"up to {hours_max} hours a week")
    if sessions:
        parts.append(f"{sessions} sessions a week")
    return ", ".join(parts)


def length_text(weeks: int | None) -> str:
    return f"Typical length: about {weeks} weeks." if weeks else ""


_HOURS = re.compile(r"\b(?:(at least|up to)\s+)?(\d{1,3})(?:\s*[–-]\s*(\d{1,3}))?\s+hours?"
                    r"\s+(?:a|per)\s+week\b", re.I)
_SESSIONS = re.compile(r"\b(\d{1,2})\s+sessions?\s+(?:a|per)\s+week\b", re.I)
_LENGTH = re.compile(r"\btypical length:?\s+(?:about\s+)?(\d{1,3})\s+weeks?\b", re.I)


def read_hours(text: str) -> dict[str, int | None]:
    """The hours, sessions and length that `hours_text` and `length_text` wrote, from any
    text (values the catalogue would refuse are left out)."""
    found: dict[str, int | None] = {}
    match = _HOURS.search(text or "")
    if match:
        bound, low, high = match.group(1), int(match.group(2)), match.group(3)
        low_high = (low, int(high)) if high else (low, low)
        if bound and bound.lower() == "at least":
            low_high = (low, None)
        elif bound:
            low_high = (None, low)
        if all(v is None or v <= 168 for v in low_high) and (
                None in low_high or low_high[0] <= low_high[1]):
            found["hours_min"], found["hours_max"] = low_high
    match = _SESSIONS.search(text or "")
    if match and 1 <= int(match.group(1)) <= 14:
        found["sessions_per_week"] = int(match.group(1))
    match = _LENGTH.search(text or "")
    if match and 1 <= int(match.group(1)) <= 104:
        found["length_weeks"] = int(match.group(1))
    return found
