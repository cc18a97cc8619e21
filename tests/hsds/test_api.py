"""The public HSDS 3.0 API: published only, paginated, validated, cached, rate-limited."""

import json
import re

import pytest

from hsds.mapping import entity_uuid, organization_uuid
from hsds.validation import errors
from tests.factories import make_program

pytestmark = pytest.mark.django_db

# The HSDS 3.0 API profile (openreferral/specification, schema/openapi.json): each GET path
# and the query parameters it lists.
PROFILE = {
    "/": [],
    "/services": ["search", "page", "per_page", "format", "taxonomy_term_id", "taxonomy_id",
                  "organization_id", "modified_after", "minimal", "full"],
    "/services/{id}": [],
    "/taxonomies": ["search", "page", "per_page", "format"],
    "/taxonomies/{id}": [],
    "/taxonomy_terms": ["search", "page", "per_page", "format", "taxonomy_id", "top_only",
                        "parent_id"],
    "/taxonomy_terms/{id}": [],
    "/organizations": ["search", "full_service", "full", "taxonomy_term_id", "taxonomy_id",
                       "page", "per_page", "format"],
    "/organizations/{id}": ["full_service"],
    "/service_at_locations": ["search", "taxonomy_term_id", "taxonomy_id", "organization_id",
                              "modified_after", "full", "page", "per_page", "format",
                              "postcode", "proximity"],
    "/service_at_locations/{id}": [],
}


@pytest.fixture
def programs():
    shown = [make_program(name=f"Program {n}", organisation="Shared Org" if n < 3 else "",
                          services=["cbt"] if n % 2 else [], levels=("iop",) if n % 2 else ("php",))
             for n in range(5)]
    hidden = make_program(name="Hidden draft", is_published=False)
    return shown, hidden


def _get(client, url, **extra):
    response = client.get(url, **extra)
    return response, (json.loads(response.content) if response.content else None)


def test_meta_says_version_and_profile(client):
    response, body = _get(client, "/api/hsds/")
    assert response.status_code == 200
    assert body["version"] == "3.0" and body["profile"].startswith("https://")
    assert body["openapi_url"].endswith("/api/hsds/openapi.json")


def test_services_are_paginated_published_and_valid(client, programs):
    response, body = _get(client, "/api/hsds/services?per_page=2&page=2")
    assert response.status_code == 200
    assert body["total_items"] == 5 and body["total_pages"] == 3
    assert body["page_number"] == 2 and body["size"] == 2
    assert not body["first_page"] and not body["last_page"]
    for service in body["contents"]:
        assert errors("service", service) == []
    names = {s["name"] for page in (1, 2, 3)
             for s in _get(client, f"/api/hsds/services?per_page=2&page={page}")[1]["contents"]}
    assert "Hidden draft" not in names and len(names) == 5


def test_per_page_is_capped_and_odd_values_are_400(client, programs, settings):
    settings.HSDS_API_MAX_PER_PAGE = 3
    _response, body = _get(client, "/api/hsds/services?per_page=1000")
    assert body["size"] == 3
    response, body = _get(client, "/api/hsds/services?page=abc")
    assert response.status_code == 400 and "page" in body["detail"]
    response, body = _get(client, "/api/hsds/services?modified_after=yesterday")
    assert response.status_code == 400


def test_search_taxonomy_modified_after_and_organization(client, programs):
    _r, body = _get(client, "/api/hsds/services?search=Program%203")
    assert [s["name"] for s in body["contents"]] == ["Program 3"]
    _r, body = _get(client, "/api/hsds/services?taxonomy=cbt")
    assert {s["name"] for s in body["contents"]} == {"Program 1", "Program 3"}
    _r, body = _get(client, "/api/hsds/services?taxonomy=php")
    assert body["total_items"] == 3
    _r, body = _get(client, "/api/hsds/services?modified_after=2999-01-01")
    assert body["total_items"] == 0 and body["empty"]
    _r, body = _get(client, "/api/hsds/services?modified_after=2000-01-01T00:00:00Z")
    assert body["total_items"] == 5
    org = organization_uuid("Shared Org")
    _r, body = _get(client, f"/api/hsds/services?organization_id={org}")
    assert body["total_items"] == 3


def test_one_service_fully_nested_and_unpublished_is_404(client, programs):
    shown, hidden = programs
    response, body = _get(client, f"/api/hsds/services/{entity_uuid('service', shown[1].pk)}")
    assert response.status_code == 200
    assert errors("service", body) == []
    assert body["service_at_locations"][0]["location"]["addresss"][0]["city"] == "New York"
    response, body = _get(client, f"/api/hsds/services/{entity_uuid('service', hidden.pk)}")
    assert response.status_code == 404 and body["detail"]
    assert _get(client, "/api/hsds/services/not-a-uuid")[0].status_code == 404


def test_organizations_and_locations(client, programs):
    shown, hidden = programs
    _r, body = _get(client, "/api/hsds/organizations?per_page=50")
    names = [org["name"] for org in body["contents"]]
    assert names.count("Shared Org") == 1 and "Hidden draft" not in names
    for org in body["contents"]:
        assert errors("organization", org) == []
    response, org = _get(client, f"/api/hsds/organizations/{organization_uuid('Shared Org')}")
    assert response.status_code == 200 and len(org["services"]) == 3
    assert _get(client, "/api/hsds/organizations/nope")[0].status_code == 404
    _r, body = _get(client, "/api/hsds/locations?per_page=50")
    assert body["total_items"] == 5
    for location in body["contents"]:
        assert errors("location", location) == []
    location_id = body["contents"][0]["id"]
    response, location = _get(client, f"/api/hsds/locations/{location_id}")
    assert response.status_code == 200 and errors("location", location) == []
    hidden_location = entity_uuid("location", hidden.locations.get().pk)
    assert _get(client, f"/api/hsds/locations/{hidden_location}")[0].status_code == 404


def test_rate_limited_per_client(client, settings):
    settings.HSDS_API_RATE_LIMIT = 3
    statuses = [client.get("/api/hsds/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/hsds/")
    assert response["Retry-After"] and json.loads(response.content)["detail"]
    other = client.get("/api/hsds/", REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 200


def test_openapi_description_lists_the_paths_and_makes_no_third_party_calls(client):
    response, body = _get(client, "/api/hsds/openapi.json")
    assert response.status_code == 200 and body["openapi"].startswith("3.")
    paths = set(body["paths"])
    assert {"/api/hsds/locations", "/api/hsds/locations/{id}"} <= paths
    for path, parameters in PROFILE.items():
        assert f"/api/hsds{path}" in paths, path
        operation = body["paths"][f"/api/hsds{path}"]["get"]
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        assert set(parameters) <= names, (path, set(parameters) - names)
    params = {p["name"] for p in body["paths"]["/api/hsds/services"]["get"]["parameters"]}
    assert "taxonomy" in params  # ours, besides the profile's
    assert client.get("/api/hsds/docs").status_code == 404  # no docs page with outside scripts


def test_api_pages_load_nothing_from_elsewhere(client, programs):
    for url in ("/api/hsds/", "/api/hsds/services", "/api/hsds/openapi.json"):
        text = client.get(url).content.decode()
        assert not re.search(r"<script|cdn\.|unpkg|jsdelivr", text)


def test_the_api_is_read_only(client):
    assert client.post("/api/hsds/services", {}).status_code == 405
