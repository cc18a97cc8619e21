"""The HSDS API answers anonymous GETs from the catalogue page cache (iop.cache): stored once
per catalogue version, revalidated with the ETag, and any edit (ORM, admin, related rows)
shows in the very next answer. The rate limit counts cached answers too."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hsds.mapping import entity_uuid
from iop.models import Location, Program
from tests.factories import make_program

pytestmark = pytest.mark.django_db

URLS = ["/api/hsds/", "/api/hsds/services", "/api/hsds/services?full=true&per_page=5",
        "/api/hsds/organizations?full=true", "/api/hsds/service_at_locations",
        "/api/hsds/taxonomy_terms?taxonomy_id=iop-navigator-services", "/api/hsds/taxonomies",
        "/api/hsds/locations", "/api/hsds/openapi.json"]


@pytest.fixture
def program():
    return make_program(name="Safe Harbour IOP", organisation="Harbour Health",
                        services=["cbt"], phone="555-0100")


def _get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries.captured_queries)


def _body(response):
    return json.loads(response.content)


def test_anonymous_answers_come_from_the_page_cache(client, program):
    detail = f"/api/hsds/services/{entity_uuid('service', program.pk)}"
    for url in [*URLS, detail]:
        first, _ = _get(client, url)
        second, queries = _get(client, url)
        assert first.status_code == second.status_code == 200, url
        assert second.content == first.content, url
        assert queries == 0, url
        assert second["ETag"] and "no-cache" in second["Cache-Control"], url
        assert second["Access-Control-Allow-Origin"] == "*", url
        assert not second.cookies, url


def test_etag_gives_304(client, program):
    first, _ = _get(client, "/api/hsds/services")
    again, queries = _get(client, "/api/hsds/services", if_none_match=first["ETag"])
    assert again.status_code == 304 and queries == 0


def test_an_orm_edit_shows_at_once(client, program):
    url = f"/api/hsds/services/{entity_uuid('service', program.pk)}"
    assert _body(client.get(url))["name"] == "Safe Harbour IOP"
    assert _body(client.get("/api/hsds/services"))["contents"][0]["name"] == "Safe Harbour IOP"
    program.name = "Quiet Cove IOP"
    program.phone = "555-0199"
    program.save()
    detail = _body(client.get(url))
    assert detail["name"] == "Quiet Cove IOP" and detail["phones"][0]["number"] == "555-0199"
    assert _body(client.get("/api/hsds/services"))["contents"][0]["name"] == "Quiet Cove IOP"


def test_related_rows_and_publishing_show_at_once(client, program):
    assert _body(client.get("/api/hsds/service_at_locations"))["contents"][0][
        "location"]["name"].endswith("New York")
    location = program.locations.get()
    location.city = "Brooklyn"
    location.save()
    assert _body(client.get("/api/hsds/service_at_locations"))["contents"][0][
        "location"]["name"].endswith("Brooklyn")
    assert _body(client.get("/api/hsds/services?taxonomy=dbt"))["total_items"] == 0
    program.program_services.create(service_id=_service_id("dbt"))
    assert _body(client.get("/api/hsds/services?taxonomy=dbt"))["total_items"] == 1
    draft = make_program(name="Draft", is_published=False)
    url = f"/api/hsds/services/{entity_uuid('service', draft.pk)}"
    assert client.get(url).status_code == 404
    draft.is_published = True
    draft.save()
    assert client.get(url).status_code == 200  # a 404 is never stored
    Program.objects.filter(pk=draft.pk).delete()
    assert client.get(url).status_code == 404


def _service_id(slug):
    from iop.models import Service

    return Service.objects.get(slug=slug).pk


def _admin_post_data(response) -> dict:
    """What the admin change page posts when nothing is changed: its form and inlines."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            if isinstance(value, list | tuple):
                value = [str(item) for item in value]
            data[bound.html_name] = value
    return data


def test_an_admin_edit_shows_at_once(admin_client, client, program):
    url = f"/api/hsds/services/{entity_uuid('service', program.pk)}"
    assert _body(client.get(url))["name"] == "Safe Harbour IOP"
    change = f"/admin/iop/program/{program.pk}/change/"
    data = _admin_post_data(admin_client.get(change))
    data["name"] = "Quiet Cove IOP"
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _body(client.get(url))["name"] == "Quiet Cove IOP"
    assert "Quiet Cove IOP" in client.get("/api/hsds/organizations?full=true").content.decode()


def test_a_visitor_with_a_session_gets_a_fresh_private_answer(client, program, settings):
    client.get("/api/hsds/services")
    client.cookies[settings.SESSION_COOKIE_NAME] = "someone"
    response, queries = _get(client, "/api/hsds/services")
    assert response.status_code == 200 and queries > 0
    assert "private" in response["Cache-Control"]


def test_cached_answers_count_against_the_rate_limit(client, program, settings):
    settings.HSDS_API_RATE_LIMIT = 3
    statuses = [client.get("/api/hsds/services").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/hsds/services")
    assert limited["Retry-After"] and _body(limited)["detail"]
    assert Client(REMOTE_ADDR="10.9.9.9").get("/api/hsds/services").status_code == 200


def test_bulk_writes_show_once_catalogue_changed_is_called(client, program):
    """QuerySet.update sends no signal: code that writes so calls catalogue_changed (as the
    importers do), and the API follows it at once."""
    from iop.cache import catalogue_changed

    client.get("/api/hsds/services")
    Program.objects.filter(pk=program.pk).update(name="Renamed in bulk")
    Location.objects.filter(program=program).update(city="Albany")
    catalogue_changed()
    body = _body(client.get("/api/hsds/services?full=true"))
    service = body["contents"][0]
    assert service["name"] == "Renamed in bulk"
    assert service["service_at_locations"][0]["location"]["addresss"][0]["city"] == "Albany"
