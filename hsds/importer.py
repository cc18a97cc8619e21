"""Read Open Referral HSDS 3.0 JSON (a folder or zip of the export's files, or one
``services.json``) into programs.

Each service is checked against the HSDS 3.0 schema first; a service that fails is reported
with the reasons and skipped. A service becomes one program, matched on re-import by
``source="hsds"`` and ``source_id`` = the service id (no copies). New programs start
unpublished. Levels, services and populations come from the service's attributes in our
taxonomies (an export of this site); languages by ISO code; payment from cost options by
name; what does not map is reported.

Schedules: session times (day, evening, weekend) come from the session-time attributes our
export puts on a schedule; a schedule without them is read by its days and times
(HSDS 3.0 ``byday``/``opens_at``/``closes_at``, or HSDS 2 ``regular_schedules`` with
``weekday``), else by its words. Telehealth is a schedule attended "online" (or a virtual
location); the states it serves are its service areas. Hours a week, sessions and length,
waitlist and "only for" populations are read back from the words the export writes.

A service whose program already says everything the file says is "unchanged" and is not
written at all, so importing an export of this site twice changes nothing the second time.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify

from hsds.mapping import (
    ALERT_SEPARATOR,
    ONLY_FOR,
    SESSION_CODES,
    TAXONOMIES,
    child_uuid,
    read_hours,
)
from hsds.validation import errors as schema_errors
from iop.cache import catalogue_changed
from iop.geo import zip_lookup
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
    states_normalize,
)
from iop.services import search_index_batch

SOURCE = "hsds"
MAX_BYTES = 50 * 1024 * 1024
MAX_SERVICES = 20_000
_STATES = frozenset(code for code, _name in US_STATES)
_STATE_BY_NAME = {name.lower(): code for code, name in US_STATES}
_TAXONOMY_KIND = {child_uuid("taxonomy", key): kind for kind, (key, _n, _d) in TAXONOMIES.items()}
_ONLINE = re.compile(r"\b(online|virtual|video|telehealth|telemedicine|remote)\b", re.I)
_WORDS = {
    "day": re.compile(r"\b(day ?time|mornings?|afternoons?)\b", re.I),
    "evening": re.compile(r"\b(evenings?|nights?)\b", re.I),
    "weekend": re.compile(r"\b(weekends?|saturdays?|sundays?)\b", re.I),
}
_DAYS = {"mo": 0, "tu": 1, "we": 2, "th": 3, "fr": 4, "sa": 5, "su": 6}
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})")
_PROGRAM_FIELDS = (
    "name", "organisation", "summary", "description", "website", "email", "phone",
    "accepting", "accepting_note", "age_min", "age_max", "last_verified", "populations_only",
    "schedule_day", "schedule_evening", "schedule_weekend", "telehealth", "telehealth_states",
    "hours_min", "hours_max", "sessions_per_week", "length_weeks",
)


class HsdsFileError(ValueError):
    pass


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (service id or #n, reason)
    unmapped: Counter = field(default_factory=Counter)  # (what, value) -> services

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def as_dict(self) -> dict:
        return {
            "created": len(self.created), "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "rejected": [{"service": ref, "reason": reason} for ref, reason in self.rejected],
            "unmapped": [{"what": what, "value": value, "services": n}
                         for (what, value), n in sorted(self.unmapped.items())],
        }

    def lines(self) -> list[str]:
        out = [f"{len(self.created)} created, {len(self.updated)} updated, "
               f"{len(self.unchanged)} unchanged, {len(self.rejected)} rejected."]
        out += [f"Service {ref}: rejected: {reason}" for ref, reason in self.rejected]
        if self.unmapped:
            out.append("Values that did not map (what: value — services):")
            out += [f"  {what}: {value} — {n}"
                    for (what, value), n in sorted(self.unmapped.items())]
        return out


def _load_json(data: bytes, name: str):
    try:
        return json.loads(data)
    except (UnicodeDecodeError, ValueError) as error:
        raise HsdsFileError(f"{name} is not valid JSON ({error}).") from None


def read_tables(path: str | Path) -> dict[str, list]:
    """The tables in a folder, a zip or one JSON file, as {"services": [...], ...}."""
    path = Path(path)
    files: dict[str, bytes] = {}
    try:
        if path.is_dir():
            for item in path.glob("*.json"):
                if item.stat().st_size > MAX_BYTES:
                    raise HsdsFileError(f"{item.name} is larger than 50 MB.")
                files[item.name] = item.read_bytes()
        elif zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                total = 0
                for info in archive.infolist():
                    name = Path(info.filename).name
                    if not name.endswith(".json") or info.is_dir():
                        continue
                    total += info.file_size
                    if total > MAX_BYTES:
                        raise HsdsFileError("The zip holds more than 50 MB of JSON.")
                    files[name] = archive.read(info)
        else:
            if path.stat().st_size > MAX_BYTES:
                raise HsdsFileError(f"{path.name} is larger than 50 MB.")
            document = _load_json(path.read_bytes(), path.name)
            if isinstance(document, dict) and "services" in document:
                return {key: value for key, value in document.items() if isinstance(value, list)}
            if isinstance(document, dict) and "contents" in document:  # an API page
                return {"services": document["contents"]}
            if isinstance(document, dict):
                return {"services": [document]}
            return {"services": document}
    except OSError as error:
        raise HsdsFileError(f"Cannot read {path}: {error.strerror}.") from None
    except zipfile.BadZipFile:
        raise HsdsFileError(f"{path.name} is not a readable zip file.") from None
    if "services.json" not in files:
        raise HsdsFileError("No services.json found.")
    tables = {}
    for name, data in files.items():
        if name == "datapackage.json":
            continue
        value = _load_json(data, name)
        if isinstance(value, list):
            tables[name[:-5]] = value
    return tables


def _str(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _objects(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


# --------------------------------------------------------------------------- the file's tables


@dataclass
class _Tables:
    """The file's other tables, indexed for the services that point into them."""

    organizations: dict
    locations: dict
    links: list
    terms: dict
    by_service: dict  # table name -> service id -> rows (schedules, service areas…)
    by_location: dict  # table name -> location id -> rows

    @classmethod
    def of(cls, tables: dict[str, list]) -> _Tables:
        def index(name: str, key: str) -> dict:
            out: dict = {}
            for row in _objects(tables.get(name)):
                if isinstance(row.get(key), str):
                    out.setdefault(row[key], []).append(row)
            return out

        return cls(
            organizations={o.get("id"): o for o in _objects(tables.get("organizations"))},
            locations={loc.get("id"): loc for loc in _objects(tables.get("locations"))},
            links=_objects(tables.get("service_at_locations")),
            terms={t.get("id"): t for t in _objects(tables.get("taxonomy_terms"))},
            by_service={name: index(name, "service_id") for name in (
                "schedules", "regular_schedules", "service_areas")},
            by_location={name: index(name, "location_id") for name in (
                "schedules", "regular_schedules")},
        )


# --------------------------------------------------------------------------- what a service says


def _program_fields(service: dict, tables: _Tables, report: Report) -> dict:
    org = service.get("organization") or tables.organizations.get(
        service.get("organization_id")) or {}
    name = _str(service.get("name"))[:200]
    description = _str(service.get("description"))
    summary, _sep, rest = description.partition("\n\n")
    summary = re.sub(r"\s+", " ", summary).strip()[:400] or name[:400]
    phones = _objects(service.get("phones"))
    organisation = _str(org.get("name"))[:200] if isinstance(org, dict) else ""
    fields = {
        "name": name,
        # Our export names a program without an organisation after the program itself.
        "organisation": "" if organisation == name else organisation,
        "summary": summary, "description": rest.strip(),
        "website": _website(_str(service.get("url"))),
        "email": _str(service.get("email"))[:254],
        "phone": _str(phones[0].get("number"))[:40] if phones else "",
    }
    fields.update(_availability(service))
    for key, target in (("minimum_age", "age_min"), ("maximum_age", "age_max")):
        value = service.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 120:
            fields[target] = int(value)
    fields.setdefault("age_min", 18 if "minimum_age" not in service else 0)
    fields.setdefault("age_max", None)
    if fields["age_max"] is not None and fields["age_max"] < fields["age_min"]:
        report.unmapped[("maximum_age", str(fields["age_max"]))] += 1
        fields["age_max"] = None
    fields["populations_only"] = ONLY_FOR.strip() in _str(service.get("eligibility_description"))
    assured = _str(service.get("assured_date"))
    if assured:
        try:
            fields["last_verified"] = date.fromisoformat(assured[:10])
        except ValueError:
            report.unmapped[("assured_date", assured[:40])] += 1
    return fields


def _website(url: str) -> str:
    """The service's own web address; not the page of it on this site (our export gives that
    when a program has no website)."""
    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    if base and (url == base or url.startswith(base + "/")):
        return ""
    return url[:200]


def _availability(service: dict) -> dict:
    """Accepting status and note: a service that is not active takes nobody; our export's
    ``alert`` starts with "Waitlist" or "Not accepting new patients" and then the note."""
    alert = _str(service.get("alert"))
    with translation.override("en"):
        labels = [(str(choice.label), choice) for choice in
                  (Program.Accepting.WAITLIST, Program.Accepting.NO)]
    accepting, note = Program.Accepting.YES, ""
    for label, choice in labels:
        if alert.lower().startswith(label.lower()):
            accepting = choice
            note = alert[len(label):].strip()
            if note.startswith(ALERT_SEPARATOR.strip()) or note.startswith("-"):
                note = note[1:].strip()
            break
    if service.get("status") in ("inactive", "defunct", "temporarily closed"):
        accepting = Program.Accepting.NO
    return {"accepting": accepting, "accepting_note": note[:200]}


def _term_of(attribute: dict, tables: _Tables) -> dict | None:
    term = attribute.get("taxonomy_term")
    if not isinstance(term, dict):
        term = tables.terms.get(attribute.get("taxonomy_term_id"))
    return term if isinstance(term, dict) else None


def _taxonomy_codes(attributes, tables: _Tables, report: Report) -> dict[str, set]:
    found: dict[str, set] = {kind: set() for kind in TAXONOMIES}
    for attribute in _objects(attributes):
        term = _term_of(attribute, tables)
        if term is None:
            continue
        kind = _TAXONOMY_KIND.get(term.get("taxonomy_id"))
        code = _str(term.get("code"))
        if kind:
            found[kind].add(code)
        else:
            report.unmapped[("taxonomy term", _str(term.get("name"))[:80] or code)] += 1
    return found


def _related(service: dict, tables: _Tables, report: Report) -> dict[str, set]:
    found = _taxonomy_codes(service.get("attributes"), tables, report)
    found.update({"payment": set(), "language": set(), "accreditation": set()})
    for language in _objects(service.get("languages")):
        code = _str(language.get("code")).lower() or _str(language.get("name"))
        if code:
            found["language"].add(code)
    for option in _objects(service.get("cost_options")):
        if _str(option.get("option")):
            found["payment"].add(_str(option.get("option")))
    for name in _str(service.get("accreditations")).split(";"):
        if name.strip():
            found["accreditation"].add(name.strip())
    return found


def _linked_locations(service: dict, tables: _Tables) -> list[tuple[dict, dict]]:
    """(service_at_location, location) for each location of the service, each once."""
    entries = _objects(service.get("service_at_locations"))
    entries += [link for link in tables.links if link.get("service_id") == service.get("id")]
    out, seen = [], set()
    for link in entries:
        location = link.get("location")
        if not isinstance(location, dict):
            location = tables.locations.get(link.get("location_id"))
        if not isinstance(location, dict) or location.get("id") in seen:
            continue
        seen.add(location.get("id"))
        out.append((link, location))
    return out


def _locations(linked: list[tuple[dict, dict]]) -> list[dict]:
    out = []
    for _link, location in linked:
        addresses = _objects(location.get("addresss"))
        if not addresses:
            continue
        address = addresses[0]
        street = ", ".join(p for p in (_str(address.get("address_1")),
                                       _str(address.get("address_2"))) if p)
        lat, lng = location.get("latitude"), location.get("longitude")
        ok = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lng)) and (
            -90 <= lat <= 90 and -180 <= lng <= 180)
        out.append({
            "street": street[:200], "city": _str(address.get("city"))[:100],
            "state": _str(address.get("state_province")).upper()[:2],
            "postal_code": _str(address.get("postal_code"))[:5],
            "latitude": float(lat) if ok else None, "longitude": float(lng) if ok else None,
            "note": _str(location.get("description"))[:200],
        })
    return out


# --------------------------------------------------------------------------- schedules


def _schedules(service: dict, linked, tables: _Tables) -> list[dict]:
    """Every schedule of the service: its own, those of its service_at_locations and
    locations, and rows of schedules.json / regular_schedules.json that point to them."""
    found: list[dict] = []
    holders = [service] + [link for link, _loc in linked] + [loc for _link, loc in linked]
    for holder in holders:
        for key in ("schedules", "regular_schedules"):
            found += _objects(holder.get(key))
    service_id = service.get("id")
    for key in ("schedules", "regular_schedules"):
        found += tables.by_service[key].get(service_id, [])
        for _link, location in linked:
            found += tables.by_location[key].get(location.get("id"), [])
    out, seen = [], set()
    for schedule in found:
        key = schedule.get("id") if isinstance(schedule.get("id"), str) else id(schedule)
        if key not in seen:
            seen.add(key)
            out.append(schedule)
    return out


def _minutes(value) -> int | None:
    match = _TIME.match(value) if isinstance(value, str) else None
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    return hours * 60 + minutes if hours <= 24 and minutes < 60 else None


def _days(schedule: dict) -> set[int] | None:
    """Days of the week (0 = Monday) from ``byday`` ("MO,WE", "1SA") or a HSDS 2
    ``weekday`` (1–7 from Monday, or a day's name); None when the schedule does not say."""
    days: set[int] = set()
    byday = schedule.get("byday")
    if isinstance(byday, str) and byday.strip():
        for part in byday.split(","):
            code = re.sub(r"^[+-]?\d*", "", part.strip()).lower()[:2]
            if code in _DAYS:
                days.add(_DAYS[code])
    weekday = schedule.get("weekday")
    if isinstance(weekday, int) and not isinstance(weekday, bool) and 1 <= weekday <= 7:
        days.add(weekday - 1)
    elif isinstance(weekday, str) and weekday.strip():
        text = weekday.strip().lower()
        if text.isdigit() and 1 <= int(text) <= 7:
            days.add(int(text) - 1)
        elif text[:2] in _DAYS:
            days.add(_DAYS[text[:2]])
    return days or None


def _session_times_of(schedule: dict) -> set[str] | None:
    """Day, evening and weekend from a schedule's days and opening times (None when it gives
    neither). Daytime starts before 4 pm; evening starts at 4 pm or later, or runs past 6 pm;
    day and evening count weekday sessions only when the days are given."""
    days = _days(schedule)
    opens, closes = _minutes(schedule.get("opens_at")), _minutes(schedule.get("closes_at"))
    if days is None and opens is None:
        return None
    found = {"weekend"} if days and days & {5, 6} else set()
    if opens is not None and (days is None or days & {0, 1, 2, 3, 4}):
        if closes is not None and closes <= opens:
            closes += 24 * 60  # past midnight
        if opens < 16 * 60:
            found.add("day")
        if opens >= 16 * 60 or (closes is not None and closes > 18 * 60):
            found.add("evening")
    return found


def _schedule_fields(service: dict, schedules: list[dict], linked, service_codes: set,
                     tables: _Tables, report: Report) -> dict:
    times: set[str] = set(service_codes) & set(SESSION_CODES)
    tagged = bool(times)
    words: list[str] = []
    telehealth = any(_str(loc.get("location_type")) == "virtual" for _link, loc in linked)
    for schedule in schedules:
        codes = _taxonomy_codes(schedule.get("attributes"), tables, report)["schedule"]
        if codes:
            tagged = True
            times |= codes & set(SESSION_CODES)
        if _ONLINE.search(_str(schedule.get("attending_type"))):
            telehealth = True
        words += [_str(schedule.get("description")), _str(schedule.get("notes"))]
    if not tagged:
        for schedule in schedules:
            derived = _session_times_of(schedule)
            if derived is None:
                text = _str(schedule.get("description"))
                derived = {code for code, pattern in _WORDS.items() if pattern.search(text)}
                if text and not derived and not read_hours(text) and not _ONLINE.search(text):
                    report.unmapped[("schedule", text[:80])] += 1
            times |= derived
    hours = read_hours(" ; ".join(w for w in words if w))
    fields = {f"schedule_{code}": code in times for code in SESSION_CODES}
    fields.update({"hours_min": None, "hours_max": None, "sessions_per_week": None,
                   "length_weeks": None, **hours})
    fields["telehealth"] = telehealth
    fields["telehealth_states"] = _telehealth_states(service, tables) if telehealth else ""
    return fields


def _telehealth_states(service: dict, tables: _Tables) -> str:
    """The service areas that are whole US states (by name or two-letter code)."""
    areas = _objects(service.get("service_areas"))
    areas += tables.by_service["service_areas"].get(service.get("id"), [])
    codes = set()
    for area in areas:
        for value in (_str(area.get("name")), _str(area.get("extent"))):
            code = _STATE_BY_NAME.get(value.lower()) or (
                value.upper() if value.upper() in _STATES else None)
            if code:
                codes.add(code)
                break
    return states_normalize(",".join(codes))


# --------------------------------------------------------------------------- saving


def _unique_slug(name: str) -> str:
    base = (slugify(name) or "program")[:180]
    slug, n = base, 1
    while Program.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _lookup(model, field_name, values, what, report, *, by_name=False):
    chosen = []
    for value in sorted(values):
        item = model.objects.filter(**{f"{field_name}__iexact": value}).first()
        if item is None and by_name:
            item = model.objects.filter(name__iexact=value).first()
        if item is None:
            report.unmapped[(what, value[:80])] += 1
        else:
            chosen.append(item)
    return chosen


def _location_key(place: dict) -> tuple:
    return tuple(place[name] for name in (
        "street", "city", "state", "postal_code", "latitude", "longitude", "note"))


def _placed(place: dict) -> dict:
    """The location as it will be stored: without coordinates, those of its ZIP code (as
    Location.clean does)."""
    if place["latitude"] is None or place["longitude"] is None:
        point = zip_lookup(place["postal_code"])
        if point is not None:
            return {**place, "latitude": point.latitude, "longitude": point.longitude}
    return place


@dataclass
class _Wanted:
    fields: dict
    levels: list
    populations: list
    languages: list
    payments: list
    accreditations: list
    services: list
    places: list

    def same_as(self, program: Program) -> bool:
        if any(getattr(program, key) != value for key, value in self.fields.items()):
            return False
        pairs = (
            (program.levels.all(), self.levels), (program.populations.all(), self.populations),
            (program.languages.all(), self.languages),
            (program.payment_options.all(), self.payments),
            (program.accreditations.all(), self.accreditations),
        )
        if any({item.pk for item in have} != {item.pk for item in want}
               for have, want in pairs):
            return False
        services = set(program.program_services.values_list("service_id", flat=True))
        if services != {item.pk for item in self.services}:
            return False
        have = sorted((_location_key(vars(loc)) for loc in program.locations.all()), key=repr)
        want = sorted((_location_key(place) for place in self.places), key=repr)
        return have == want


def _wanted(service: dict, tables: _Tables, report: Report) -> _Wanted:
    fields = _program_fields(service, tables, report)
    related = _related(service, tables, report)
    linked = _linked_locations(service, tables)
    fields.update(_schedule_fields(service, _schedules(service, linked, tables), linked,
                                   related["schedule"], tables, report))
    places = [_placed(place) for place in _locations(linked)]
    for place in places:
        if place["state"] not in _STATES or not re.fullmatch(r"\d{5}", place["postal_code"]):
            raise _Rejected(f"location {place['street']!r}: needs a US state and a 5-digit ZIP")
    levels = list(LevelOfCare.objects.filter(code__in=related["level"]))
    for code in sorted(related["level"] - {level.code for level in levels}):
        report.unmapped[("level of care", code)] += 1
    return _Wanted(
        fields={key: fields[key] for key in _PROGRAM_FIELDS if key in fields},
        levels=levels,
        populations=_lookup(Population, "slug", related["population"], "population", report),
        languages=_lookup(Language, "code", related["language"], "language", report,
                          by_name=True),
        payments=_lookup(PaymentOption, "name", related["payment"], "cost option", report,
                         by_name=True),
        accreditations=_lookup(Accreditation, "name", related["accreditation"],
                               "accreditation", report),
        services=_lookup(Service, "slug", related["service"], "service", report),
        places=places,
    )


class _Rejected(Exception):
    pass


def _save(wanted: _Wanted, program: Program | None, ref: str) -> Program:
    if program is None:
        program = Program(source=SOURCE, source_id=ref[:200], is_published=False,
                          slug=_unique_slug(wanted.fields["name"]))
    for key, value in wanted.fields.items():
        setattr(program, key, value)
    program.full_clean()
    program.save()
    program.levels.set(wanted.levels)
    program.populations.set(wanted.populations)
    program.languages.set(wanted.languages)
    program.payment_options.set(wanted.payments)
    program.accreditations.set(wanted.accreditations)
    # Services and locations one by one, keeping what stays (notes, ids, audit history).
    keep = {item.pk: item for item in wanted.services}
    for link in program.program_services.all():
        if keep.pop(link.service_id, None) is None:
            link.delete()
    for item in keep.values():
        ProgramService.objects.create(program=program, service=item)
    places = [_location_key(place) for place in wanted.places]
    for location in program.locations.all():
        key = _location_key(vars(location))
        if key in places:
            places.remove(key)
        else:
            location.delete()
    for key in places:
        location = Location(program=program, **dict(zip(
            ("street", "city", "state", "postal_code", "latitude", "longitude", "note"), key,
            strict=True)))
        location.full_clean()
        location.save()
    return program


def import_tables(tables: dict[str, list], *, dry_run: bool = False) -> Report:
    """Create or update one program per valid service (all in one transaction; rolled back
    with ``dry_run``). Cached catalogue pages and API answers are out of date afterwards."""
    report = Report()
    services = tables.get("services")
    if not isinstance(services, list):
        raise HsdsFileError("services must be a list of HSDS service objects.")
    if len(services) > MAX_SERVICES:
        raise HsdsFileError(f"{len(services)} services; at most {MAX_SERVICES} at once.")
    indexed = _Tables.of(tables)
    with search_index_batch(), transaction.atomic():
        existing = {p.source_id: p for p in Program.objects.filter(source=SOURCE)
                    .prefetch_related("levels", "populations", "languages", "payment_options",
                                      "accreditations", "locations")}
        seen = set()
        for number, service in enumerate(services, start=1):
            ref = service.get("id") if isinstance(service, dict) and isinstance(
                service.get("id"), str) else f"#{number}"
            problems = schema_errors("service", service)
            if problems:
                report.rejected.append((ref, "; ".join(problems[:5])))
                continue
            if ref in seen:
                report.rejected.append((ref, "appears twice in the file"))
                continue
            seen.add(ref)
            program = existing.get(ref[:200])
            try:
                wanted = _wanted(service, indexed, report)
                if program is not None and wanted.same_as(program):
                    report.unchanged.append(program.name)
                    continue
                with transaction.atomic():
                    saved = _save(wanted, program, ref)
            except ValidationError as error:
                report.rejected.append((ref, "; ".join(
                    f"{key}: {' '.join(msgs)}" for key, msgs in error.message_dict.items())))
                continue
            except _Rejected as error:
                report.rejected.append((ref, str(error)))
                continue
            (report.created if program is None else report.updated).append(saved.name)
        if dry_run:
            transaction.set_rollback(True)
    if report.changed and not dry_run:
        # Signals cover the rows saved above; this covers every page and API answer at once,
        # after the commit and the search index rebuild, whatever wrote in bulk.
        catalogue_changed()
    return report
