"""The HSDS 3.0 API profile beyond services: taxonomies, taxonomy terms, service_at_locations,
organizations in full, the full/minimal services and every parameter's bad values."""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hsds.export import taxonomy_id, taxonomy_term_id
from hsds.mapping import TAXONOMIES, entity_uuid, organization_uuid
from hsds.validation import errors
from iop.models import LevelOfCare, Population, Service
from tests.factories import make_program

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.HSDS_API_RATE_LIMIT = 10_000


@pytest.fixture
def programs():
    nyc = make_program(
        name="Harbour Evening IOP", organisation="Harbour Health", services=["cbt"],
        populations=["veterans"], levels=("iop",), schedule_evening=True, telehealth=True,
        phone="555-0100", postal_code="10001", latitude=40.7506, longitude=-73.9972)
    days = make_program(
        name="Harbour Day Program", organisation="harbour  health", services=["dbt"],
        levels=("php",), schedule_day=True, schedule_weekend=True, postal_code="10001",
        latitude=40.7506, longitude=-73.9972)
    la = make_program(
        name="Pacific Outpatient", levels=("outpatient",), state="CA", city="Los Angeles",
        postal_code="90001", latitude=33.9731, longitude=-118.2479)
    hidden = make_program(name="Hidden draft", is_published=False, services=["cbt"])
    return nyc, days, la, hidden


def _get(client, url):
    response = client.get(url)
    return response, json.loads(response.content)


def _ids(client, url):
    response, body = _get(client, url)
    assert response.status_code == 200, (url, body)
    return {item["id"] for item in body["contents"]}


# --------------------------------------------------------------------------- taxonomies


def test_taxonomies_are_our_four_vocabularies(client):
    response, body = _get(client, "/api/hsds/taxonomies")
    assert response.status_code == 200 and body["total_items"] == len(TAXONOMIES) == 4
    for taxonomy in body["contents"]:
        assert errors("taxonomy", taxonomy) == []
    names = {t["name"] for t in body["contents"]}
    assert {"Levels of care", "Services offered", "Populations served", "Session times"} == names
    level = taxonomy_id("level")
    response, one = _get(client, f"/api/hsds/taxonomies/{level}")
    assert response.status_code == 200 and one["name"] == "Levels of care"
    assert _get(client, "/api/hsds/taxonomies/nope")[0].status_code == 404
    _r, found = _get(client, "/api/hsds/taxonomies?search=session")
    assert [t["name"] for t in found["contents"]] == ["Session times"]


def test_taxonomy_terms_cover_levels_services_populations_and_session_times(client):
    _r, body = _get(client, "/api/hsds/taxonomy_terms?per_page=100")
    expected = (LevelOfCare.objects.count() + Service.objects.count()
                + Population.objects.count() + 3)
    assert body["total_items"] == expected
    _r, rest = _get(client, "/api/hsds/taxonomy_terms?per_page=100&page=2")
    terms = body["contents"] + rest["contents"]
    assert len({t["id"] for t in terms}) == expected
    for term in terms:
        assert errors("taxonomy_term", term) == [], term
    by_code = {(t["taxonomy_id"], t["code"]): t for t in terms}
    assert (taxonomy_id("level"), "iop") in by_code
    assert (taxonomy_id("schedule"), "evening") in by_code
    cbt = by_code[(taxonomy_id("service"), "cbt")]
    response, one = _get(client, f"/api/hsds/taxonomy_terms/{cbt['id']}")
    assert response.status_code == 200 and one == cbt
    assert _get(client, "/api/hsds/taxonomy_terms/nope")[0].status_code == 404


def test_taxonomy_term_filters(client):
    levels = _ids(client, f"/api/hsds/taxonomy_terms?taxonomy_id={taxonomy_id('level')}")
    assert levels == {taxonomy_term_id("level", code)
                      for code in LevelOfCare.objects.values_list("code", flat=True)}
    by_key = _ids(client, f"/api/hsds/taxonomy_terms?taxonomy_id={TAXONOMIES['level'][0]}")
    assert by_key == levels
    assert _ids(client, "/api/hsds/taxonomy_terms?taxonomy_id=unknown") == set()
    assert _ids(client, f"/api/hsds/taxonomy_terms?parent_id={taxonomy_term_id('level', 'iop')}"
                ) == set()
    _r, top = _get(client, "/api/hsds/taxonomy_terms?top_only=true")
    _r, every = _get(client, "/api/hsds/taxonomy_terms")
    assert top["total_items"] == every["total_items"]  # ours are flat
    assert taxonomy_term_id("service", "cbt") in _ids(client, "/api/hsds/taxonomy_terms?search=cbt")


def test_every_term_filters_services_as_its_code_does(client, programs):
    """A term's id (taxonomy_term_id) and its code (taxonomy) find the same services: those
    whose attributes (or schedule's attributes) carry that term."""
    _r, first = _get(client, "/api/hsds/taxonomy_terms?per_page=100")
    _r, second = _get(client, "/api/hsds/taxonomy_terms?per_page=100&page=2")
    services = {s["id"]: s for s in _get(client, "/api/hsds/services?full=true")[1]["contents"]}
    used = 0
    for term in first["contents"] + second["contents"]:
        by_id = _ids(client, f"/api/hsds/services?taxonomy_term_id={term['id']}")
        by_code = _ids(client, f"/api/hsds/services?taxonomy={term['code']}")
        assert by_id == by_code, term["code"]
        carrying = {
            sid for sid, service in services.items()
            if any(a["taxonomy_term_id"] == term["id"] for a in service.get("attributes", []))
            or any(a["taxonomy_term_id"] == term["id"] for schedule in service.get("schedules", [])
                   for a in schedule.get("attributes", []))
        }
        assert by_id == carrying, term["code"]
        used += bool(carrying)
    assert used >= 8  # iop, php, outpatient, cbt, dbt, veterans, day, evening, weekend


def test_services_by_taxonomy_id(client, programs):
    nyc, days, la, _hidden = programs
    every = {entity_uuid("service", p.pk) for p in (nyc, days, la)}
    assert _ids(client, f"/api/hsds/services?taxonomy_id={taxonomy_id('level')}") == every
    assert _ids(client, f"/api/hsds/services?taxonomy_id={taxonomy_id('schedule')}") == {
        entity_uuid("service", nyc.pk), entity_uuid("service", days.pk)}
    assert _ids(client, f"/api/hsds/services?taxonomy_id={taxonomy_id('population')}") == {
        entity_uuid("service", nyc.pk)}
    assert _ids(client, "/api/hsds/services?taxonomy_id=not-ours") == set()
    assert _ids(client, "/api/hsds/services?taxonomy_term_id=not-a-term") == set()


# --------------------------------------------------------------------------- services


def test_services_full_and_minimal(client, programs):
    nyc, days, la, _hidden = programs
    _r, full = _get(client, "/api/hsds/services?full=true")
    assert full["total_items"] == 3
    for service in full["contents"]:
        assert errors("service", service) == []
        assert service["service_at_locations"][0]["location"]["addresss"]
    _r, flat = _get(client, "/api/hsds/services")
    assert all("service_at_locations" not in s for s in flat["contents"])
    _r, minimal = _get(client, "/api/hsds/services?minimal=true")
    assert minimal["size"] == 3 and minimal["total_pages"] == 1
    nyc.refresh_from_db()
    assert {"id": entity_uuid("service", nyc.pk),
            "modified_date": nyc.updated_at.isoformat()} in minimal["contents"]
    assert all(set(item) == {"id", "modified_date"} for item in minimal["contents"])
    response, body = _get(client, "/api/hsds/services?full=true&minimal=true")
    assert response.status_code == 400 and "full or minimal" in body["detail"]


@pytest.mark.parametrize("query, name", [
    ("page=abc", "page"), ("per_page=1.5", "per_page"), ("full=maybe", "full"),
    ("minimal=perhaps", "minimal"), ("page=" + "9" * 5000, "page"),
])
def test_parameters_of_the_wrong_type_are_400_naming_them(client, programs, query, name):
    response, body = _get(client, f"/api/hsds/services?{query}")
    assert response.status_code == 400 and name in body["detail"]


@pytest.mark.parametrize("url", [
    "/api/hsds/services?format=ndjson", "/api/hsds/taxonomies?format=xml",
    "/api/hsds/taxonomy_terms?format=csv", "/api/hsds/organizations?format=ndjson",
    "/api/hsds/service_at_locations?format=ndjson", "/api/hsds/locations?format=x",
    "/api/hsds/services?modified_after=last-week",
    "/api/hsds/service_at_locations?modified_after=2024-13-45",
    "/api/hsds/service_at_locations?proximity=1000",
    "/api/hsds/service_at_locations?postcode=NY&proximity=1000",
    "/api/hsds/service_at_locations?postcode=10001&proximity=far",
    "/api/hsds/service_at_locations?postcode=10001&proximity=-5",
    "/api/hsds/service_at_locations?postcode=10001&proximity=nan",
    "/api/hsds/service_at_locations?postcode=10001&proximity=99999999",
    "/api/hsds/service_at_locations?postcode=00000&proximity=1000",
    "/api/hsds/organizations/x?full_service=sometimes",
])
def test_bad_values_are_a_clear_400(client, programs, url):
    response, body = _get(client, url)
    assert response.status_code == 400, url
    assert body["detail"] and len(body["detail"]) < 300


@pytest.mark.parametrize("url", [
    "/api/hsds/services?page=99999999999", "/api/hsds/services?page=0&per_page=-3",
    "/api/hsds/organizations?page=1000000", "/api/hsds/service_at_locations?page=123456789",
    "/api/hsds/taxonomy_terms?page=99", "/api/hsds/services?format=JSON&search=" + "x" * 500,
])
def test_odd_but_harmless_pages_are_answered(client, programs, url):
    response, body = _get(client, url)
    assert response.status_code == 200, url
    assert body["page_number"] >= 1 and body["size"] <= 100


# --------------------------------------------------------------------------- service_at_locations


def test_service_at_locations_list_and_detail(client, programs):
    nyc, days, la, hidden = programs
    _r, body = _get(client, "/api/hsds/service_at_locations")
    assert body["total_items"] == 3
    for link in body["contents"]:
        assert errors("service_at_location", link) == []
        assert errors("service", link["service"]) == []
        assert "addresss" not in link["location"]  # one-to-one fields only
    _r, service = _get(client, f"/api/hsds/services/{entity_uuid('service', nyc.pk)}")
    link_id = service["service_at_locations"][0]["id"]
    assert link_id in {link["id"] for link in body["contents"]}
    response, one = _get(client, f"/api/hsds/service_at_locations/{link_id}")
    assert response.status_code == 200 and errors("service_at_location", one) == []
    assert one["location"]["addresss"][0]["postal_code"] == "10001"
    assert one["service"]["name"] == "Harbour Evening IOP"
    assert errors("service", one["service"]) == []
    assert one["service"]["phones"][0]["number"] == "555-0100"
    _r, full = _get(client, "/api/hsds/service_at_locations?full=true")
    assert all(link["location"]["addresss"] for link in full["contents"])
    for unknown in ("nope", entity_uuid("service_at_location", 999_999),
                    entity_uuid("location", nyc.locations.get().pk),  # a location's id
                    entity_uuid("service_at_location", hidden.locations.get().pk)):
        assert _get(client, f"/api/hsds/service_at_locations/{unknown}")[0].status_code == 404


def test_service_at_locations_filters(client, programs):
    nyc, days, la, _hidden = programs
    link = {p.pk: entity_uuid("service_at_location", p.locations.get().pk)
            for p in (nyc, days, la)}
    assert _ids(client, "/api/hsds/service_at_locations?postcode=90001") == {link[la.pk]}
    assert _ids(client, "/api/hsds/service_at_locations?postcode=10001&proximity=5000") == {
        link[nyc.pk], link[days.pk]}
    assert _ids(client, "/api/hsds/service_at_locations?postcode=10001&proximity=500000"
                ) == {link[nyc.pk], link[days.pk]}
    assert _ids(client, "/api/hsds/service_at_locations?search=los%20angeles") == {link[la.pk]}
    assert _ids(client, f"/api/hsds/service_at_locations?taxonomy_term_id="
                        f"{taxonomy_term_id('schedule', 'weekend')}") == {link[days.pk]}
    assert _ids(client, f"/api/hsds/service_at_locations?taxonomy_id={taxonomy_id('population')}"
                ) == {link[nyc.pk]}
    harbour = organization_uuid("Harbour Health")
    assert _ids(client, f"/api/hsds/service_at_locations?organization_id={harbour}") == {
        link[nyc.pk], link[days.pk]}
    assert _ids(client, "/api/hsds/service_at_locations?modified_after=2999-01-01") == set()


# --------------------------------------------------------------------------- organizations


def test_organizations_basic_full_and_with_full_services(client, programs):
    nyc, days, la, _hidden = programs
    harbour = organization_uuid("Harbour Health")
    _r, basic = _get(client, "/api/hsds/organizations")
    assert basic["total_items"] == 2  # "harbour  health" is the same organization
    assert all("services" not in org and "locations" not in org for org in basic["contents"])
    _r, full = _get(client, "/api/hsds/organizations?full=true")
    org = next(o for o in full["contents"] if o["id"] == harbour)
    assert errors("organization", org) == []
    assert len(org["locations"]) == 2 and len(org["services"]) == 2
    assert all("phones" not in s for s in org["services"])  # one-to-one fields
    _r, fuller = _get(client, "/api/hsds/organizations?full_service=true")
    org = next(o for o in fuller["contents"] if o["id"] == harbour)
    assert all(errors("service", s) == [] and s["service_at_locations"]
               for s in org["services"])
    _r, detail = _get(client, f"/api/hsds/organizations/{harbour}?full_service=true")
    assert {s["name"] for s in detail["services"]} == {"Harbour Evening IOP",
                                                     "Harbour Day Program"}
    assert detail["services"][0]["service_at_locations"]
    assert _ids(client, f"/api/hsds/organizations?taxonomy_term_id="
                        f"{taxonomy_term_id('level', 'outpatient')}") == {
        organization_uuid("Pacific Outpatient")}
    assert _ids(client, f"/api/hsds/organizations?taxonomy_id={taxonomy_id('schedule')}") == {
        harbour}


@pytest.mark.parametrize("url", [
    "/api/hsds/services", "/api/hsds/services?full=true", "/api/hsds/services?minimal=true",
    "/api/hsds/organizations?full_service=true", "/api/hsds/service_at_locations?full=true",
    "/api/hsds/locations",
    f"/api/hsds/services?taxonomy_term_id={taxonomy_term_id('level', 'iop')}",
])
def test_a_page_costs_the_same_queries_however_many_programs(client, url):
    def cost():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    for n in range(2):
        make_program(name=f"Few {n}", services=["cbt"], populations=["veterans"], locations=2)
    few = cost()
    for n in range(10):
        make_program(name=f"More {n}", organisation=f"Org {n}", services=["cbt", "dbt"],
                     populations=["veterans"], languages=["es"], locations=2)
    assert cost() == few
