"""The HSDS 3.0 export validates against the vendored 3.0 schemas; zip and command."""

import io
import json
import zipfile
from datetime import date

import pytest
from django.core.management import call_command

from hsds.export import build_export, service_object, write_zip
from hsds.mapping import entity_uuid, pk_from_uuid
from hsds.validation import SCHEMA_DIR, errors
from iop.models import Accreditation
from tests.factories import make_program

pytestmark = pytest.mark.django_db

ENTITY = {
    "organizations": "organization", "services": "service", "locations": "location",
    "service_at_locations": "service_at_location", "phones": "phone",
    "schedules": "schedule", "languages": "language", "cost_options": "cost_option",
    "service_areas": "service_area", "attributes": "attribute", "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
}


@pytest.fixture
def programs():
    first = make_program(
        name="Riverbend IOP", organisation="Riverbend Health", services=["cbt", "telehealth"],
        populations=["veterans"], payments=["medicaid", "sliding-fee"], languages=["en", "es"],
        levels=("iop", "php"), locations=2, schedule_evening=True, telehealth=True,
        telehealth_states="NY,NJ", hours_min=9, hours_max=12, sessions_per_week=3,
        length_weeks=12, phone="555-0100",
        website="https://riverbend.example.org", email="intake@riverbend.example.org",
        accepting="waitlist", accepting_note="About two weeks", age_min=18, age_max=64,
        last_verified=date(2026, 10, 1),
    )
    first.accreditations.set(Accreditation.objects.filter(slug="carf"))
    second = make_program(name="Hilltop Teens", organisation="Riverbend Health", age_min=12,
                          age_max=17, latitude=None, longitude=None)
    hidden = make_program(name="Not yet published", is_published=False)
    return first, second, hidden


def test_the_vendored_schemas_are_hsds_3_0_with_source_and_licence():
    names = {path.stem for path in SCHEMA_DIR.glob("*.json")}
    assert {"service", "organization", "location", "service_at_location", "phone",
            "schedule", "language", "cost_option", "address", "attribute"} <= names
    readme = (SCHEMA_DIR / "README.md").read_text()
    assert "openreferral/specification" in readme and "CC BY-SA 4.0" in readme
    service = json.loads((SCHEMA_DIR / "service.json").read_text())
    assert "assured_date" in service["properties"] and service["required"] == ["id", "name",
                                                                               "status"]


def test_the_validator_catches_a_broken_service():
    assert errors("service", {"id": "x", "name": "n"})  # no status
    assert errors("service", {"id": "x", "name": "n", "status": "open"})  # not in the enum
    assert errors("service", {"id": "x", "name": "n", "status": "active",
                              "phones": [{"id": "p"}]})  # a phone needs a number


def test_every_exported_object_validates_against_hsds_3_0(programs):
    tables = build_export()
    assert len(tables["services"]) == 3
    for table, rows in tables.items():
        assert rows, table
        for row in rows:
            assert errors(ENTITY[table], row) == [], (table, row)


def test_service_carries_the_listing(programs):
    first, _second, _hidden = programs
    service = service_object(first)
    assert service["id"] == entity_uuid("service", first.pk)
    assert pk_from_uuid("service", service["id"]) == first.pk
    assert pk_from_uuid("location", service["id"]) is None
    assert service["assured_date"] == "2026-10-01"
    assert (service["minimum_age"], service["maximum_age"]) == (18, 64)
    assert service["accreditations"] == "CARF International" or "CARF" in service["accreditations"]
    assert service["alert"].startswith("Waitlist")
    assert [p["number"] for p in service["phones"]] == ["555-0100"]
    assert {lang["code"] for lang in service["languages"]} == {"en", "es"}
    assert {c["option"] for c in service["cost_options"]} == {"Medicaid", "Sliding fee scale"}
    schedule = service["schedules"][0]
    assert "Evenings" in schedule["description"] and "9–12 hours a week" in schedule["description"]
    assert schedule["attending_type"] == "online and in person"
    assert schedule["notes"] == "Typical length: about 12 weeks."
    assert [a["taxonomy_term"]["code"] for a in schedule["attributes"]] == ["evening"]
    assert {a["link_entity"] for a in schedule["attributes"]} == {"schedule"}
    assert [area["name"] for area in service["service_areas"]] == ["New Jersey", "New York"]
    assert len(service["service_at_locations"]) == 2
    assert [pk_from_uuid("service_at_location", link["id"])
            for link in service["service_at_locations"]] == sorted(
        first.locations.values_list("pk", flat=True))
    address = service["service_at_locations"][0]["location"]["addresss"][0]
    assert (address["state_province"], address["country"]) == ("NY", "US")
    codes = {a["taxonomy_term"]["code"] for a in service["attributes"]}
    assert {"iop", "php", "cbt", "veterans"} <= codes
    assert service["organization"]["name"] == "Riverbend Health"


def test_programs_of_one_organisation_are_one_organization(programs):
    make_program(name="Another", organisation="riverbend  HEALTH")  # the same, typed loosely
    tables = build_export()
    names = [org["name"] for org in tables["organizations"]]
    assert names.count("Riverbend Health") == 1 and "riverbend  HEALTH" not in names
    assert len({org["id"] for org in tables["organizations"]}) == len(names)


def test_the_tables_hold_the_vocabulary_and_schedule_attributes(programs):
    tables = build_export()
    assert {t["name"] for t in tables["taxonomies"]} == {
        "Levels of care", "Services offered", "Populations served", "Session times"}
    codes = {t["code"] for t in tables["taxonomy_terms"]}
    assert {"iop", "cbt", "veterans", "day", "evening", "weekend"} <= codes
    schedule_links = [a for a in tables["attributes"] if a["link_entity"] == "schedule"]
    assert [a["taxonomy_term"]["code"] for a in schedule_links] == ["evening"]
    assert {a["service_id"] for a in tables["service_areas"]} == {
        entity_uuid("service", programs[0].pk)}


def test_zip_holds_every_table_and_the_command_writes_it(programs, tmp_path):
    archive = zipfile.ZipFile(io.BytesIO(write_zip(build_export())))
    assert {"services.json", "organizations.json", "locations.json",
            "service_at_locations.json", "phones.json", "schedules.json", "languages.json",
            "cost_options.json", "service_areas.json", "attributes.json", "taxonomies.json",
            "taxonomy_terms.json", "datapackage.json"} <= set(archive.namelist())
    target = tmp_path / "out.zip"
    call_command("export_hsds", "--zip", str(target), stderr=io.StringIO())
    with zipfile.ZipFile(target) as written:
        services = json.loads(written.read("services.json"))
    assert {s["name"] for s in services} == {"Riverbend IOP", "Hilltop Teens"}  # published only
    folder = tmp_path / "folder"
    call_command("export_hsds", "--output", str(folder), "--include-unpublished",
                 stderr=io.StringIO())
    assert len(json.loads((folder / "services.json").read_text())) == 3
