"""Read Open Referral HSDS 3.0 JSON (a folder or zip of the export's files, or one
``services.json``) into programs.

Each service is checked against the HSDS 3.0 schema first; a service that fails is reported
with the reasons and skipped. A service becomes one program, matched on re-import by
``source="hsds"`` and ``source_id`` = the service id (no copies). New programs start
unpublished. Levels, services and populations come from the service's attributes in our
taxonomies (an export of this site); languages by ISO code; payment from cost options by
name; what does not map is reported.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from hsds.mapping import TAXONOMIES, child_uuid
from hsds.validation import errors as schema_errors
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

SOURCE = "hsds"
MAX_BYTES = 50 * 1024 * 1024
MAX_SERVICES = 20_000
_STATES = frozenset(code for code, _name in US_STATES)
_TAXONOMY_KIND = {child_uuid("taxonomy", key): kind for kind, (key, _n, _d) in TAXONOMIES.items()}


class HsdsFileError(ValueError):
    pass


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (service id or #n, reason)
    unmapped: Counter = field(default_factory=Counter)  # (what, value) -> services

    def lines(self) -> list[str]:
        out = [f"{len(self.created)} created, {len(self.updated)} updated, "
               f"{len(self.rejected)} rejected."]
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


def _program_fields(service: dict, organizations: dict, report: Report, ref: str):
    org = service.get("organization") or organizations.get(service.get("organization_id")) or {}
    description = _str(service.get("description"))
    summary, _sep, rest = description.partition("\n\n")
    summary = re.sub(r"\s+", " ", summary).strip()[:400] or _str(service.get("name"))[:400]
    phones = [p for p in service.get("phones") or [] if isinstance(p, dict)]
    fields = {
        "name": _str(service.get("name"))[:200],
        "organisation": _str(org.get("name"))[:200] if isinstance(org, dict) else "",
        "summary": summary, "description": rest.strip(),
        "website": _str(service.get("url"))[:200],
        "email": _str(service.get("email"))[:254],
        "phone": _str(phones[0].get("number"))[:40] if phones else "",
        "accepting": Program.Accepting.YES,
    }
    if service.get("status") in ("inactive", "defunct", "temporarily closed"):
        fields["accepting"] = Program.Accepting.NO
    for key, target in (("minimum_age", "age_min"), ("maximum_age", "age_max")):
        value = service.get(key)
        if isinstance(value, (int, float)) and 0 <= value <= 120:
            fields[target] = int(value)
    fields.setdefault("age_min", 18 if "minimum_age" not in service else 0)
    fields.setdefault("age_max", None)
    assured = _str(service.get("assured_date"))
    if assured:
        try:
            fields["last_verified"] = date.fromisoformat(assured[:10])
        except ValueError:
            report.unmapped[("assured_date", assured[:40])] += 1
    return fields


def _related(service: dict, report: Report) -> dict[str, set]:
    found = {"level": set(), "service": set(), "population": set(), "payment": set(),
             "language": set(), "accreditation": set()}
    for attribute in service.get("attributes") or []:
        term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
        if not isinstance(term, dict):
            continue
        kind = _TAXONOMY_KIND.get(term.get("taxonomy_id"))
        code = _str(term.get("code"))
        if kind:
            found[kind].add(code)
        else:
            report.unmapped[("taxonomy term", _str(term.get("name"))[:80] or code)] += 1
    for language in service.get("languages") or []:
        if isinstance(language, dict):
            code = _str(language.get("code")).lower() or _str(language.get("name"))
            found["language"].add(code)
    for option in service.get("cost_options") or []:
        if isinstance(option, dict) and _str(option.get("option")):
            found["payment"].add(_str(option.get("option")))
    for name in _str(service.get("accreditations")).split(";"):
        if name.strip():
            found["accreditation"].add(name.strip())
    return found


def _locations(service: dict, locations: dict, links: list) -> list[dict]:
    entries = [link for link in service.get("service_at_locations") or [] if isinstance(link, dict)]
    entries += [link for link in links if link.get("service_id") == service.get("id")]
    out, seen = [], set()
    for link in entries:
        location = link.get("location") or locations.get(link.get("location_id"))
        if not isinstance(location, dict) or location.get("id") in seen:
            continue
        seen.add(location.get("id"))
        addresses = [a for a in location.get("addresss") or [] if isinstance(a, dict)]
        if not addresses:
            continue
        address = addresses[0]
        street = ", ".join(p for p in (_str(address.get("address_1")),
                                       _str(address.get("address_2"))) if p)
        lat, lng = location.get("latitude"), location.get("longitude")
        ok = isinstance(lat, (int, float)) and isinstance(lng, (int, float)) and (
            -90 <= lat <= 90 and -180 <= lng <= 180)
        out.append({
            "street": street[:200], "city": _str(address.get("city"))[:100],
            "state": _str(address.get("state_province")).upper()[:2],
            "postal_code": _str(address.get("postal_code"))[:5],
            "latitude": float(lat) if ok else None, "longitude": float(lng) if ok else None,
            "note": _str(location.get("description"))[:200],
        })
    return out


def _unique_slug(name: str) -> str:
    base = (slugify(name) or "program")[:180]
    slug, n = base, 1
    while Program.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _lookup(model, field_name, values, what, report, *, by_name=False):
    chosen = []
    for value in values:
        query = {f"{field_name}__iexact": value}
        item = model.objects.filter(**query).first()
        if item is None and by_name:
            item = model.objects.filter(name__iexact=value).first()
        if item is None:
            report.unmapped[(what, value[:80])] += 1
        else:
            chosen.append(item)
    return chosen


def import_tables(tables: dict[str, list], *, dry_run: bool = False) -> Report:
    report = Report()
    services = tables.get("services")
    if not isinstance(services, list):
        raise HsdsFileError("services must be a list of HSDS service objects.")
    if len(services) > MAX_SERVICES:
        raise HsdsFileError(f"{len(services)} services; at most {MAX_SERVICES} at once.")
    organizations = {o.get("id"): o for o in tables.get("organizations", [])
                     if isinstance(o, dict)}
    locations = {loc.get("id"): loc for loc in tables.get("locations", []) if isinstance(loc, dict)}
    links = [link for link in tables.get("service_at_locations", []) if isinstance(link, dict)]
    with search_index_batch(), transaction.atomic():
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
            try:
                with transaction.atomic():
                    _save(service, organizations, locations, links, report, ref)
            except ValidationError as error:
                report.rejected.append((ref, "; ".join(
                    f"{key}: {' '.join(msgs)}" for key, msgs in error.message_dict.items())))
                continue
            except _Rejected as error:
                report.rejected.append((ref, str(error)))
        if dry_run:
            transaction.set_rollback(True)
    return report


class _Rejected(Exception):
    pass


def _save(service, organizations, locations, links, report, ref) -> str:
    fields = _program_fields(service, organizations, report, ref)
    related = _related(service, report)
    places = _locations(service, locations, links)
    for place in places:
        if place["state"] not in _STATES or not re.fullmatch(r"\d{5}", place["postal_code"]):
            raise _Rejected(f"location {place['street']!r}: needs a US state and a 5-digit ZIP")
    program = Program.objects.filter(source=SOURCE, source_id=ref).first()
    created = program is None
    if created:
        program = Program(source=SOURCE, source_id=ref[:200], is_published=False,
                          slug=_unique_slug(fields["name"]))
    for key, value in fields.items():
        setattr(program, key, value)
    program.full_clean()
    program.save()
    program.levels.set(LevelOfCare.objects.filter(code__in=related["level"]))
    for code in related["level"] - set(program.levels.values_list("code", flat=True)):
        report.unmapped[("level of care", code)] += 1
    program.populations.set(_lookup(Population, "slug", related["population"],
                                    "population", report))
    program.languages.set(_lookup(Language, "code", related["language"], "language", report,
                                  by_name=True))
    program.payment_options.set(_lookup(PaymentOption, "name", related["payment"],
                                        "cost option", report, by_name=True))
    program.accreditations.set(_lookup(Accreditation, "name", related["accreditation"],
                                       "accreditation", report))
    wanted = {s.slug: s for s in _lookup(Service, "slug", related["service"], "service", report)}
    for link in program.program_services.select_related("service"):
        if link.service.slug not in wanted:
            link.delete()
        else:
            wanted.pop(link.service.slug)
    for item in wanted.values():
        ProgramService.objects.create(program=program, service=item)
    program.locations.all().delete()
    for place in places:
        location = Location(program=program, **place)
        location.full_clean()
        location.save()
    (report.created if created else report.updated).append(program.name)
    return program.name
