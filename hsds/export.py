"""Programs as Open Referral HSDS 3.0 objects (organizations, services, locations…).

``service_object(program)`` is one fully nested service; ``build_export(queryset)`` is every
table of an export as lists of objects; ``write_zip`` puts them in a zip of JSON files.
Our vocabularies are HSDS taxonomies (``taxonomy_objects``, ``taxonomy_terms``): levels of
care, services and populations as attributes of a service, session times (day, evening,
weekend) as attributes of its schedule. Telehealth is the schedule's ``attending_type``, and the
states a telehealth program serves are its ``service_areas``. What HSDS has no field for
(hours a week, waitlist, "only for" populations) is written in words `hsds.importer` reads back.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import OrderedDict

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import get_language

from hsds.mapping import (
    ALERT_SEPARATOR,
    ATTENDING_BOTH,
    ATTENDING_IN_PERSON,
    HSDS_VERSION,
    LINK_TYPES,
    ONLY_FOR,
    PROFILE_URL,
    SESSION_TIMES,
    SPECIALISES_IN,
    TAXONOMIES,
    TELEHEALTH_TEXT,
    child_uuid,
    entity_uuid,
    hours_text,
    length_text,
    organization_name,
    organization_uuid,
)
from iop.models import (
    US_STATES,
    LevelOfCare,
    Location,
    Population,
    Program,
    ProgramService,
    Service,
)

_STATE_NAMES = dict(US_STATES)


def programs_for_export(queryset=None):
    queryset = Program.objects.all() if queryset is None else queryset
    return queryset.order_by("pk").prefetch_related(
        "levels", "populations", "payment_options", "languages", "accreditations",
        Prefetch("locations", queryset=Location.objects.order_by("pk")),
        Prefetch("program_services", queryset=ProgramService.objects.select_related("service")),
    )


def _site_url(path: str) -> str | None:
    base = getattr(settings, "SITE_URL", "") or ""
    return f"{base.rstrip('/')}{path}" if base else None


def _drop_empty(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def taxonomy_id(kind: str) -> str:
    return child_uuid("taxonomy", TAXONOMIES[kind][0])


def taxonomy_term_id(kind: str, code: str) -> str:
    return child_uuid("taxonomy_term", kind, code)


def taxonomy_object(kind: str) -> dict:
    _key, name, description = TAXONOMIES[kind]
    return {"id": taxonomy_id(kind), "name": name, "description": description}


def taxonomy_objects() -> list[dict]:
    return [taxonomy_object(kind) for kind in TAXONOMIES]


def taxonomy_term(kind: str, code: str, name: str, description: str = "") -> dict:
    taxonomy = taxonomy_object(kind)
    return {
        "id": taxonomy_term_id(kind, code), "code": code, "name": name,
        "description": description or name, "taxonomy_id": taxonomy["id"], "taxonomy": taxonomy,
        "language": (get_language() or "en").split("-")[0],
    }


def vocabulary() -> list[tuple[str, str, str, str]]:
    """Every term of our taxonomies as (kind, code, name, description), in taxonomy order."""
    terms = [("level", level.code, level.name, level.summary)
             for level in LevelOfCare.objects.order_by("rank")]
    terms += [("service", service.slug, service.name, service.description)
              for service in Service.objects.order_by("name", "pk")]
    terms += [("population", population.slug, population.name, "")
              for population in Population.objects.order_by("name", "pk")]
    terms += [("schedule", code, name, description) for code, name, description in SESSION_TIMES]
    return terms


def taxonomy_terms() -> list[dict]:
    return [taxonomy_term(*term) for term in vocabulary()]


def _attribute(link_id: str, link_entity: str, kind: str, code: str, name: str,
               description: str = "") -> dict:
    term = taxonomy_term(kind, code, name, description)
    return {
        "id": child_uuid(link_id, "attribute", kind, code), "link_id": link_id,
        "link_type": LINK_TYPES[kind], "link_entity": link_entity,
        "taxonomy_term_id": term["id"], "taxonomy_term": term,
    }


def _attributes(program: Program, service_id: str) -> list[dict]:
    terms = [("level", level.code, level.name, level.summary) for level in program.levels.all()]
    terms += [("service", link.service.slug, link.service.name, link.service.description)
              for link in program.program_services.all()]
    terms += [("population", pop.slug, pop.name, "") for pop in program.populations.all()]
    return [_attribute(service_id, "service", *term) for term in terms]


def _schedules(program: Program, service_id: str) -> list[dict]:
    """One schedule: the session times in words and as attributes, in person or online too,
    hours a week and typical length (in words: HSDS has no field for them)."""
    parts = [str(label) for label in program.schedule_labels]
    if program.telehealth:
        parts.append(TELEHEALTH_TEXT)
    hours = hours_text(program.hours_min, program.hours_max, program.sessions_per_week)
    notes = length_text(program.length_weeks)
    if not (parts or hours or notes):
        return []
    schedule_id = child_uuid(service_id, "schedule")
    return [_drop_empty({
        "id": schedule_id, "service_id": service_id,
        "description": "; ".join(p for p in (", ".join(parts), hours) if p),
        "attending_type": ATTENDING_BOTH if program.telehealth else ATTENDING_IN_PERSON,
        "notes": notes,
        "attributes": [_attribute(schedule_id, "schedule", "schedule", code, name, description)
                       for code, name, description in SESSION_TIMES
                       if getattr(program, f"schedule_{code}")],
    })]


def _service_areas(program: Program, service_id: str) -> list[dict]:
    """The states whose residents can join a telehealth program by video, when staff listed
    them (otherwise those of its locations, which the export already gives)."""
    if not program.telehealth or not program.telehealth_states:
        return []
    return [{
        "id": child_uuid(service_id, "service_area", code), "service_id": service_id,
        "name": _STATE_NAMES.get(code, code),
        "description": f"{TELEHEALTH_TEXT} for people in {_STATE_NAMES.get(code, code)}.",
    } for code in program.telehealth_states.split(",") if code]


def service_at_location_id(location: Location) -> str:
    return entity_uuid("service_at_location", location.pk)


def service_at_location_object(location: Location, program: Program, *,
                               full: bool = False) -> dict:
    """The link between a service and one of its locations, with both: one-to-one fields only,
    or (``full``) the nested location and the fully nested service."""
    service_id = entity_uuid("service", program.pk)
    data = {
        "id": service_at_location_id(location), "service_id": service_id,
        "location_id": entity_uuid("location", location.pk),
        "location": location_object(location, program, nested=full),
    }
    if full:
        service = service_object(program)
        service.pop("service_at_locations", None)  # this is one of them
        data["service"] = service
    else:
        data["service"] = service_object(program, nested=False)
    return data


def location_object(location: Location, program: Program, *, nested: bool = True) -> dict:
    location_id = entity_uuid("location", location.pk)
    data = {
        "id": location_id, "location_type": "physical",
        "organization_id": organization_uuid(organization_name(program)),
        "name": f"{program.name} – {location.city}",
        "description": location.note,
        "latitude": location.latitude, "longitude": location.longitude,
    }
    if nested:
        data["addresss"] = [{
            "id": child_uuid(location_id, "address"), "location_id": location_id,
            "address_1": location.street, "city": location.city,
            "state_province": location.state, "postal_code": location.postal_code,
            "country": "US", "address_type": "physical",
        }]
    return _drop_empty(data)


def service_object(program: Program, *, nested: bool = True) -> dict:
    service_id = entity_uuid("service", program.pk)
    org_name = organization_name(program)
    organization_id = organization_uuid(org_name)
    description = program.summary
    if program.description:
        description = f"{program.summary}\n\n{program.description}"
    ages = f"Ages {program.age_min}" + (f" to {program.age_max}." if program.age_max
                                        else " and over.")
    populations = [pop.name for pop in program.populations.all()]
    if populations:
        ages += " " + (ONLY_FOR if program.populations_only else SPECIALISES_IN)
        ages += ", ".join(populations) + "."
    payments = [option.name for option in program.payment_options.all()]
    data = {
        "id": service_id, "organization_id": organization_id, "name": program.name,
        "description": description,
        "url": program.website or _site_url(program.get_absolute_url()),
        "email": program.email,
        "status": "active",
        "fees_description": ("Payment accepted: " + ", ".join(payments) + ".") if payments else "",
        "accreditations": "; ".join(a.name for a in program.accreditations.all()),
        "eligibility_description": ages,
        "minimum_age": program.age_min,
        "maximum_age": program.age_max,
        "assured_date": program.last_verified.isoformat() if program.last_verified else None,
        "alert": "" if program.accepting == Program.Accepting.YES else ALERT_SEPARATOR.join(
            p for p in (str(program.get_accepting_display()), program.accepting_note) if p),
    }
    if not nested:
        return _drop_empty(data)
    data.update({
        "phones": [{"id": child_uuid(service_id, "phone"), "service_id": service_id,
                    "number": program.phone, "type": "voice"}] if program.phone else [],
        "schedules": _schedules(program, service_id),
        "languages": [{"id": child_uuid(service_id, "language", lang.code),
                       "service_id": service_id, "name": lang.name, "code": lang.code}
                      for lang in program.languages.all()],
        "cost_options": [{"id": child_uuid(service_id, "cost_option", option.slug),
                          "service_id": service_id, "option": option.name}
                         for option in program.payment_options.all()],
        "service_at_locations": [
            {"id": service_at_location_id(location),
             "service_id": service_id, "location_id": entity_uuid("location", location.pk),
             "location": location_object(location, program)}
            for location in program.locations.all()
        ],
        "service_areas": _service_areas(program, service_id),
        "attributes": _attributes(program, service_id),
        "organization": organization_object(org_name, [program], nested=False),
    })
    return _drop_empty(data)


def organization_object(name: str, programs, *, nested: bool = True) -> dict:
    organization_id = organization_uuid(name)
    websites = [p.website for p in programs if p.website]
    emails = [p.email for p in programs if p.email]
    count = len(programs)
    data = {
        "id": organization_id, "name": name,
        "description": (programs[0].summary if count == 1 else
                        f"{name} runs {count} programs listed here."),
        "website": websites[0] if websites else None,
        "email": emails[0] if emails else None,
    }
    if nested:
        data["phones"] = [
            {"id": child_uuid(organization_id, "phone", p.pk), "organization_id": organization_id,
             "number": p.phone, "type": "voice"} for p in programs if p.phone
        ][:1]
        data["locations"] = [location_object(loc, p) for p in programs for loc in p.locations.all()]
    return _drop_empty(data)


def organizations(programs) -> OrderedDict[str, list[Program]]:
    """Name -> programs of each organization (names that differ only in case or spacing are
    one organization, with one id, named as its first program says)."""
    names: dict[str, str] = {}
    grouped: OrderedDict[str, list[Program]] = OrderedDict()
    for program in programs:
        name = organization_name(program)
        name = names.setdefault(organization_uuid(name), name)
        grouped.setdefault(name, []).append(program)
    return grouped


def build_export(queryset=None) -> dict[str, list]:
    """Every table of an HSDS export, each a list of objects (services fully nested)."""
    programs = list(programs_for_export(queryset))
    services = [service_object(program) for program in programs]
    tables: dict[str, list] = {
        "organizations": [organization_object(name, group, nested=False)
                          for name, group in organizations(programs).items()],
        "services": services,
        "locations": [location_object(loc, p) for p in programs for loc in p.locations.all()],
        "service_at_locations": [], "phones": [], "schedules": [], "languages": [],
        "cost_options": [], "service_areas": [], "attributes": [],
        "taxonomies": taxonomy_objects(), "taxonomy_terms": taxonomy_terms(),
    }
    for service in services:
        for link in service.get("service_at_locations", []):
            tables["service_at_locations"].append(
                {k: v for k, v in link.items() if k != "location"})
        for table in ("phones", "schedules", "languages", "cost_options", "service_areas",
                      "attributes"):
            tables[table].extend(service.get(table, []))
        for schedule in service.get("schedules", []):
            tables["attributes"].extend(schedule.get("attributes", []))
    return tables


def manifest(tables: dict[str, list]) -> dict:
    return {
        "name": "iop-navigator-hsds-export", "hsds_version": HSDS_VERSION,
        "profile": PROFILE_URL, "created": timezone.now().isoformat(timespec="seconds"),
        "resources": [{"name": name, "path": f"{name}.json", "count": len(rows)}
                      for name, rows in tables.items()],
    }


def dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)


def write_zip(tables: dict[str, list]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", dumps(manifest(tables)))
        for name, rows in tables.items():
            archive.writestr(f"{name}.json", dumps(rows))
    return buffer.getvalue()
