"""Programs as Open Referral HSDS 3.0 objects (organizations, services, locations…).

``service_object(program)`` is one fully nested service; ``build_export(queryset)`` is every
table of an export as lists of objects; ``write_zip`` puts them in a zip of JSON files.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import OrderedDict

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from hsds.mapping import (
    HSDS_VERSION,
    LINK_TYPES,
    PROFILE_URL,
    TAXONOMIES,
    child_uuid,
    entity_uuid,
    organization_name,
    organization_uuid,
)
from iop.models import Location, Program, ProgramService


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


def taxonomy_object(kind: str) -> dict:
    key, name, description = TAXONOMIES[kind]
    return {"id": child_uuid("taxonomy", key), "name": name, "description": description}


def taxonomy_term(kind: str, code: str, name: str, description: str = "") -> dict:
    taxonomy = taxonomy_object(kind)
    return {
        "id": child_uuid("taxonomy_term", kind, code), "code": code, "name": name,
        "description": description or name, "taxonomy_id": taxonomy["id"], "taxonomy": taxonomy,
    }


def _attributes(program: Program, service_id: str) -> list[dict]:
    terms = [("level", level.code, level.name, level.summary) for level in program.levels.all()]
    terms += [("service", link.service.slug, link.service.name, link.service.description)
              for link in program.program_services.all()]
    terms += [("population", pop.slug, pop.name, "") for pop in program.populations.all()]
    attributes = []
    for kind, code, name, description in terms:
        term = taxonomy_term(kind, code, name, description)
        attributes.append({
            "id": child_uuid(service_id, "attribute", kind, code), "link_id": service_id,
            "link_type": LINK_TYPES[kind], "link_entity": "service",
            "taxonomy_term_id": term["id"], "taxonomy_term": term,
        })
    return attributes


def _schedules(program: Program, service_id: str) -> list[dict]:
    parts = [str(label) for label in program.schedule_labels]
    if program.telehealth:
        parts.append("Telehealth (video) sessions")
    if not parts and not program.hours_min and not program.hours_max:
        return []
    hours = ""
    if program.hours_min or program.hours_max:
        low, high = program.hours_min or program.hours_max, program.hours_max or program.hours_min
        hours = f"{low}–{high} hours a week" if low != high else f"{low} hours a week"
    if program.sessions_per_week:
        hours += f"{', ' if hours else ''}{program.sessions_per_week} sessions a week"
    description = "; ".join(p for p in (", ".join(parts), hours) if p)
    return [_drop_empty({
        "id": child_uuid(service_id, "schedule"), "service_id": service_id,
        "description": description,
        "attending_type": "online and in person" if program.telehealth else "in person",
        "notes": (f"Typical length: about {program.length_weeks} weeks."
                  if program.length_weeks else ""),
    })]


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
        ages += (" Only for: " if program.populations_only else " Specialises in: ")
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
        "alert": "" if program.accepting == Program.Accepting.YES else " – ".join(
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
            {"id": child_uuid(service_id, "service_at_location", location.pk),
             "service_id": service_id, "location_id": entity_uuid("location", location.pk),
             "location": location_object(location, program)}
            for location in program.locations.all()
        ],
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
    grouped: OrderedDict[str, list[Program]] = OrderedDict()
    for program in programs:
        grouped.setdefault(organization_name(program), []).append(program)
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
        "cost_options": [], "attributes": [],
    }
    for service in services:
        for link in service.get("service_at_locations", []):
            tables["service_at_locations"].append(
                {k: v for k, v in link.items() if k != "location"})
        for table in ("phones", "schedules", "languages", "cost_options", "attributes"):
            tables[table].extend(service.get(table, []))
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
