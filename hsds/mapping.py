"""Identifiers and vocabularies shared by the HSDS export, import and API.

Identifiers are UUIDs so other systems can store them as HSDS suggests:

- a service (one of our programs) and a location carry their primary key in a version 8
  (RFC 9562, "custom") UUID, so the API can look one up without a stored column;
- an organization is the programs sharing an ``organisation`` name: a version 5 UUID of it;
- phones, schedules, languages and the rest are version 5 UUIDs of their parent and value,
  stable from one export to the next.
"""

from __future__ import annotations

import uuid

HSDS_VERSION = "3.0"
PROFILE_URL = "https://openreferral.org/hsds-3-0/"  # the profile this API and export follow

_NAMESPACE = uuid.UUID("6d1b3c1e-8f4a-5b7e-9c2d-4a5e6f708192")
_PREFIX = 0x10F_A7_1E_5E_0C  # 48 bits that mark our custom UUIDs
_KINDS = {"service": 0x001, "location": 0x002}


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


# Our vocabularies as HSDS taxonomies (attributes on each service).
TAXONOMIES = {
    "level": ("iop-navigator-levels-of-care", "Levels of care",
              "The six levels of care, from education to medically managed withdrawal "
              "(ASAM levels 0.5 to 4)."),
    "service": ("iop-navigator-services", "Services offered",
                "Therapies, medical care, support and practical help a program offers."),
    "population": ("iop-navigator-populations", "Populations served",
                   "Groups of people a program serves or specialises in."),
}
LINK_TYPES = {"level": "service_type", "service": "service_type", "population": "eligibility"}
