"""Import facilities from a SAMHSA treatment locator JSON export.

The file is ``{"rows": [facility, ...]}`` (extra keys such as ``page`` are ignored); a facility
has ``name1``, ``name2``, ``street1``, ``street2``, ``city``, ``state``, ``zip``, ``phone``,
``website``, ``latitude``, ``longitude`` and ``services``: a list of
``{"f1": category name, "f2": category code, "f3": "value; value"}``. Values are mapped onto
our vocabulary by ``iop/data/samhsa_mapping.json``; what does not map is reported.

Programs are matched on re-import by ``source="samhsa"`` and ``source_id`` (the facility's
``frid`` or ``id`` when the file has one, otherwise a hash of name, street and ZIP), so an
import never adds a copy. New programs start unpublished; a re-import refreshes what the
file says (name, contact, address, levels and the mapped vocabulary) and keeps what staff
own (published, summary, description, availability, last verified).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify

from iop.cache import catalogue_changed
from iop.models import (
    US_STATES,
    Accreditation,
    Language,
    LevelOfCare,
    Location,
    PaymentOption,
    Population,
    Program,
    ProgramService,
    Service,
)
from iop.services import search_index_batch

MAPPING_FILE = Path(__file__).resolve().parent / "data" / "samhsa_mapping.json"
SAMPLE_FILE = Path(__file__).resolve().parent / "data" / "samhsa_sample.json"
MAX_ROWS = 20_000
SOURCE = "samhsa"

_STATES = frozenset(code for code, _name in US_STATES)
_FLAGS = frozenset({"telehealth", "offers_methadone", "offers_buprenorphine",
                    "offers_naltrexone", "aftercare", "state_licensed"})


class SamhsaFileError(ValueError):
    """The file as a whole cannot be read (not JSON, no ``rows`` list, too many rows)."""


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row number, reason)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    unmapped: Counter = field(default_factory=Counter)  # (code, value) -> facilities
    skipped_categories: Counter = field(default_factory=Counter)  # "CODE (name)" -> facilities

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": len(self.created), "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "rejected": [{"row": n, "reason": r} for n, r in self.rejected],
            "warnings": [{"row": n, "message": m} for n, m in self.warnings],
            "unmapped": [{"code": c, "value": v, "facilities": n}
                         for (c, v), n in sorted(self.unmapped.items())],
            "skipped_categories": dict(sorted(self.skipped_categories.items())),
        }

    def lines(self) -> list[str]:
        out = [f"{len(self.created)} created, {len(self.updated)} updated, "
               f"{len(self.unchanged)} unchanged, {len(self.rejected)} rejected."]
        out += [f"Row {n}: rejected: {reason}" for n, reason in self.rejected]
        out += [f"Row {n}: {message}" for n, message in self.warnings]
        if self.unmapped:
            out.append("Values that did not map (code: value — facilities):")
            out += [f"  {code}: {value} — {n}"
                    for (code, value), n in sorted(self.unmapped.items())]
        if self.skipped_categories:
            out.append("Categories not imported: " + ", ".join(
                f"{name} ({n})" for name, n in sorted(self.skipped_categories.items())))
        return out


@lru_cache(maxsize=1)
def mapping() -> dict:
    return json.loads(MAPPING_FILE.read_text(encoding="utf-8"))


def _norm(value: str) -> str:
    return re.sub(r"\s+", " ", value.strip().lower()).rstrip(".")


def _text(row: dict, key: str, limit: int) -> str:
    value = row.get(key)
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ValueError(f"{key} must be text")
    return re.sub(r"\s+", " ", str(value)).strip()[:limit]


def _coordinate(row: dict, key: str, low: float, high: float) -> float | None:
    value = row.get(key)
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{key} is not a number") from None
    if not low <= number <= high or number != number:
        raise ValueError(f"{key} is out of range")
    return number


def read_file(data: bytes | str) -> list:
    """The ``rows`` of an export, or SamhsaFileError with a plain reason."""
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, ValueError) as error:
        raise SamhsaFileError(f"The file is not valid JSON ({error}).") from None
    if isinstance(document, list):
        rows = document
    elif isinstance(document, dict) and isinstance(document.get("rows"), list):
        rows = document["rows"]
    else:
        raise SamhsaFileError('The file has no "rows" list of facilities.')
    if len(rows) > MAX_ROWS:
        raise SamhsaFileError(f"The file has {len(rows)} facilities; at most {MAX_ROWS} at once.")
    return rows


@dataclass
class Facility:
    """One facility as our fields, before it is saved."""

    source_id: str
    name: str
    organisation: str
    phone: str
    website: str
    location: dict
    levels: set = field(default_factory=set)
    services: set = field(default_factory=set)
    populations: set = field(default_factory=set)
    payments: set = field(default_factory=set)
    languages: set = field(default_factory=set)
    accreditations: set = field(default_factory=set)
    flags: set = field(default_factory=set)
    age_min: int = 18
    age_max: int | None = None


def parse_facility(row: Any, number: int, report: Report) -> Facility | None:
    if not isinstance(row, dict):
        report.rejected.append((number, "not an object"))
        return None
    try:
        name1 = _text(row, "name1", 200)
        name2 = _text(row, "name2", 200)
        street = ", ".join(p for p in (_text(row, "street1", 200), _text(row, "street2", 200)) if p)
        city = _text(row, "city", 100)
        state = _text(row, "state", 2).upper()
        postal_code = _text(row, "zip", 10)[:5]
        phone = _text(row, "phone", 40)
        website = _text(row, "website", 200)
        latitude = _coordinate(row, "latitude", -90, 90)
        longitude = _coordinate(row, "longitude", -180, 180)
        explicit_id = _text(row, "frid", 200) or _text(row, "id", 200)
    except ValueError as error:
        report.rejected.append((number, str(error)))
        return None
    problems = []
    if not name1:
        problems.append("name1 is empty")
    if not street or not city:
        problems.append("street1 and city are needed")
    if state not in _STATES:
        problems.append(f"state {state!r} is not a US state code")
    if not re.fullmatch(r"\d{5}", postal_code):
        problems.append(f"zip {postal_code!r} is not a 5-digit ZIP code")
    if problems:
        report.rejected.append((number, "; ".join(problems)))
        return None
    if (latitude is None) != (longitude is None):
        report.warnings.append((number, "only one of latitude and longitude given; both left out"))
        latitude = longitude = None
    if website:
        if not re.match(r"^https?://", website, re.I):
            website = "https://" + website
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            report.warnings.append((number, f"website {website!r} is not a web address; left out"))
            website = ""
    if explicit_id:
        source_id = explicit_id
    else:
        key = "|".join(_norm(part) for part in (name1, name2, street, postal_code))
        source_id = "h-" + hashlib.sha256(key.encode()).hexdigest()[:24]
    facility = Facility(
        source_id=source_id,
        name=(f"{name1} – {name2}" if name2 else name1)[:200],
        organisation=name1, phone=phone, website=website,
        location={"street": street, "city": city, "state": state, "postal_code": postal_code,
                  "latitude": latitude, "longitude": longitude},
    )
    _map_services(row.get("services"), facility, number, report)
    return facility


def _map_services(services: Any, facility: Facility, number: int, report: Report) -> None:
    if services is None:
        services = []
    if not isinstance(services, list):
        report.warnings.append((number, "services is not a list; none imported"))
        return
    table = mapping()
    ages: set[str] = set()
    seen_unmapped: set[tuple[str, str]] = set()
    seen_skipped: set[str] = set()
    for entry in services:
        if not isinstance(entry, dict) or not isinstance(entry.get("f3", ""), str):
            report.warnings.append((number, "a services entry is not {f1, f2, f3}; ignored"))
            continue
        code = str(entry.get("f2") or "").strip().upper()
        group = table["categories"].get(code)
        if group is None:
            label = f"{code or '?'} ({str(entry.get('f1') or '').strip()[:60]})"
            if label not in seen_skipped:
                seen_skipped.add(label)
                report.skipped_categories[label] += 1
            continue
        for raw in str(entry.get("f3") or "").split(";"):
            value = _norm(raw)
            if not value:
                continue
            targets = table["values"][group].get(value)
            if targets is None:
                key = (code, raw.strip()[:120])
                if key not in seen_unmapped:
                    seen_unmapped.add(key)
                    report.unmapped[key] += 1
                continue
            if group == "age":
                ages.add(value)
            for target in targets:
                kind, _sep, target_code = target.partition(":")
                {
                    "level": facility.levels, "service": facility.services,
                    "population": facility.populations, "payment": facility.payments,
                    "language": facility.languages, "accreditation": facility.accreditations,
                    "flag": facility.flags,
                }[kind].add(target_code)
    if ages:
        young = ages & {"adolescents", "children/adolescents", "children"}
        adult = ages & {"adults", "young adults", "seniors", "seniors or older adults"}
        facility.age_min = 0 if ages & {"children", "children/adolescents"} else (
            12 if young else 18)
        facility.age_max = None if adult else 17
    if not facility.levels:
        report.warnings.append((number, "no level of care recognised; add one before publishing"))


def _snapshot(program: Program) -> dict:
    location = program.locations.order_by("pk").first()
    return {
        "name": program.name, "organisation": program.organisation, "phone": program.phone,
        "website": program.website, "age_min": program.age_min, "age_max": program.age_max,
        "flags": {flag for flag in _FLAGS if getattr(program, flag)},
        "levels": set(program.levels.values_list("code", flat=True)),
        "services": set(program.program_services.values_list("service__slug", flat=True)),
        "populations": set(program.populations.values_list("slug", flat=True)),
        "payments": set(program.payment_options.values_list("slug", flat=True)),
        "languages": set(program.languages.values_list("code", flat=True)),
        "accreditations": set(program.accreditations.values_list("slug", flat=True)),
        "location": None if location is None else {
            name: getattr(location, name)
            for name in ("street", "city", "state", "postal_code", "latitude", "longitude")
        },
        "locations": program.locations.count(),
    }


def _same(program: Program, facility: Facility) -> bool:
    have, want = _snapshot(program), _wanted(facility)
    if facility.location["latitude"] is None and have["location"] is not None:
        # No coordinates in the file: those on file (typed in, or placed from the ZIP) stay.
        for part in ("latitude", "longitude"):
            have["location"].pop(part)
            want["location"].pop(part)
    return have == want


def _wanted(facility: Facility) -> dict:
    return {
        "name": facility.name, "organisation": facility.organisation, "phone": facility.phone,
        "website": facility.website, "age_min": facility.age_min, "age_max": facility.age_max,
        "flags": set(facility.flags), "levels": set(facility.levels),
        "services": set(facility.services), "populations": set(facility.populations),
        "payments": set(facility.payments), "languages": set(facility.languages),
        "accreditations": set(facility.accreditations), "location": dict(facility.location),
        "locations": 1,
    }


def _unique_slug(name: str) -> str:
    base = (slugify(name) or "program")[:180]
    slug, n = base, 1
    while Program.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _summary(facility: Facility) -> str:
    names = [level.name for level in LevelOfCare.objects.filter(code__in=facility.levels)]
    care = ", ".join(names) if names else "Treatment"
    where = f"{facility.location['city']}, {facility.location['state']}"
    return (f"{care} in {where}. Imported from the SAMHSA treatment locator: "
            "check the details with the program.")[:400]


def _save(facility: Facility, program: Program | None) -> Program:
    created = program is None
    if created:
        program = Program(source=SOURCE, source_id=facility.source_id, is_published=False,
                          slug=_unique_slug(facility.name), summary=_summary(facility))
    program.name = facility.name
    program.organisation = facility.organisation
    program.phone = facility.phone
    program.website = facility.website
    program.age_min = facility.age_min
    program.age_max = facility.age_max
    for flag in _FLAGS:
        setattr(program, flag, flag in facility.flags)
    program.full_clean()
    program.save()
    program.levels.set(LevelOfCare.objects.filter(code__in=facility.levels))
    program.populations.set(Population.objects.filter(slug__in=facility.populations))
    program.payment_options.set(PaymentOption.objects.filter(slug__in=facility.payments))
    program.languages.set(Language.objects.filter(code__in=facility.languages))
    program.accreditations.set(Accreditation.objects.filter(slug__in=facility.accreditations))
    # Services one by one so each change lands in the audit history.
    for link in program.program_services.select_related("service"):
        if link.service.slug not in facility.services:
            link.delete()
    have = set(program.program_services.values_list("service__slug", flat=True))
    for service in Service.objects.filter(slug__in=facility.services - have):
        ProgramService.objects.create(program=program, service=service)
    locations = list(program.locations.order_by("pk"))
    for extra in locations[1:]:
        extra.delete()
    location = locations[0] if locations else Location(program=program)
    for name, value in facility.location.items():
        if value is not None or name not in ("latitude", "longitude"):
            setattr(location, name, value)
    location.full_clean()
    location.save()
    return program


def import_rows(rows: list, *, dry_run: bool = False) -> Report:
    """Create or update one program per facility. Every row is checked; a bad row is
    reported and skipped, the others are saved (all in one transaction; rolled back with
    ``dry_run``). Cached catalogue pages and API answers are out of date afterwards."""
    report = Report()
    with search_index_batch(), transaction.atomic():
        existing = {p.source_id: p for p in Program.objects.filter(source=SOURCE)}
        seen: set[str] = set()
        for number, row in enumerate(rows, start=1):
            facility = parse_facility(row, number, report)
            if facility is None:
                continue
            if facility.source_id in seen:
                report.rejected.append((number, "the same facility appears earlier in the file"))
                continue
            seen.add(facility.source_id)
            program = existing.get(facility.source_id)
            if program is not None and _same(program, facility):
                report.unchanged.append(program.name)
                continue
            try:
                with transaction.atomic():
                    saved = _save(facility, program)
            except ValidationError as error:
                report.rejected.append((number, "; ".join(
                    f"{key}: {' '.join(msgs)}" for key, msgs in error.message_dict.items())))
                continue
            (report.created if program is None else report.updated).append(saved.name)
        if dry_run:
            transaction.set_rollback(True)
    if (report.created or report.updated) and not dry_run:
        # Signals cover the rows saved above; this covers every cached page and API answer
        # at once, after the commit and the search index rebuild, whatever wrote in bulk.
        catalogue_changed()
    return report
