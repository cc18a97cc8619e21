"""The page cache (iop.cache): anonymous catalogue pages are stored, compressed and validated
with an ETag; every staff edit made through the admin shows on the public page at once; pages
of anyone with a session, and screening pages, are never stored or shared."""

import gzip

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from iop.cache import VERSION_KEY, catalogue_changed, catalogue_version
from iop.models import CrisisResource, LevelOfCare, Population, Program, Service
from tests.factories import make_program

pytestmark = pytest.mark.django_db

CATALOGUE_PAGES = ["/", "/about-iop/", "/levels-of-care/", "/levels-of-care/iop/", "/privacy/",
                   "/programs/", "/programs/?q=harbour", "/programs/?near=10001&radius=25"]


@pytest.fixture
def program(db):
    return make_program(name="Safe Harbour IOP", slug="safe-harbour-iop", services=["cbt"],
                        populations=["veterans"])


def _queries(client, url, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers=headers)
    return response, len(ctx.captured_queries)


def _admin_data(response) -> dict:
    """The POST body the admin change page would send unchanged: its form and inlines."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
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


def _admin_change(client, model, obj, **changes):
    url = f"/admin/iop/{model._meta.model_name}/{obj.pk}/change/"
    data = _admin_data(client.get(url))
    # A translated field is edited as its English column ("name_en"; iop/translation.py).
    data.update({f"{name}_en" if f"{name}_en" in data else name: value
                 for name, value in changes.items()})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if (
        response.context and "adminform" in response.context) else response.status_code
    return response


# --------------------------------------------------------------------------- stored and served


def test_anonymous_catalogue_pages_are_served_from_the_cache(client, program):
    for url in [*CATALOGUE_PAGES, f"/programs/{program.slug}/"]:
        first, _ = _queries(client, url)
        second, queries = _queries(client, url)
        assert first.status_code == second.status_code == 200, url
        assert second.content == first.content, url
        assert queries == 0, url


def test_cached_pages_touch_no_session_and_do_not_vary_on_cookies(client, program):
    for url in [*CATALOGUE_PAGES, f"/programs/{program.slug}/"]:
        for response in (client.get(url), client.get(url)):
            assert dict(response.cookies) == {}, url
            assert "cookie" not in response.get("Vary", "").lower(), url
            assert "csrfmiddlewaretoken" not in response.content.decode(), url


def test_query_order_does_not_matter(client, program):
    client.get("/programs/?q=harbour&level=iop")
    _, queries = _queries(client, "/programs/?level=iop&q=harbour")
    assert queries == 0


def test_etag_gives_304_not_modified(client, program):
    response = client.get("/programs/")
    etag = response["ETag"]
    assert response["Cache-Control"] == "no-cache"
    again = client.get("/programs/", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    # After an edit the page is another one: the old ETag no longer matches.
    program.name = "Safe Harbour Evening IOP"
    program.save()
    changed = client.get("/programs/", headers={"if-none-match": etag})
    assert changed.status_code == 200 and "Safe Harbour Evening IOP" in changed.content.decode()


def test_gzip_when_the_client_accepts_it(client, program):
    plain = client.get("/programs/")
    for _ in range(2):  # rendered, then from the cache
        packed = client.get("/programs/", headers={"accept-encoding": "gzip, deflate"})
        assert packed["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.content) == plain.content
        assert "Accept-Encoding" in packed["Vary"]
        assert packed["ETag"] != plain["ETag"]
    assert not plain.has_header("Content-Encoding")


def test_unknown_program_is_404_and_not_stored(client):
    assert client.get("/programs/no-such-program/").status_code == 404
    make_program(name="Late Arrival", slug="no-such-program")
    assert client.get("/programs/no-such-program/").status_code == 200


# --------------------------------------------------------------------------- never shared


def test_screening_pages_are_never_cached_or_shared(client):
    first = client.get("/screening/step/suicide_thoughts/")
    assert "no-store" in first["Cache-Control"]
    other = Client()
    response, queries = _queries(other, "/screening/step/suicide_thoughts/")
    assert "no-store" in response["Cache-Control"]
    token_a = first.cookies[settings.CSRF_COOKIE_NAME].value
    token_b = response.cookies[settings.CSRF_COOKIE_NAME].value
    assert token_a != token_b  # each person their own page and token


def test_visitor_with_a_session_gets_a_fresh_private_page(client, program):
    client.get("/programs/")  # stored for anonymous visitors
    screener = Client()
    screener.get("/screening/step/suicide_thoughts/")
    screener.post("/screening/step/suicide_thoughts/", {"suicide_thoughts": "no"})
    assert settings.SESSION_COOKIE_NAME in screener.cookies
    response, queries = _queries(screener, "/programs/")
    assert response.status_code == 200 and queries > 0  # rendered for them, not from the store
    assert response["Cache-Control"] == "private, no-cache"
    # and what was rendered for them is not served to anyone else
    anonymous, _ = _queries(Client(), "/programs/")
    assert "private" not in anonymous["Cache-Control"]


def test_a_flash_message_is_shown_only_to_its_owner(client, program):
    person = Client()
    person.get("/screening/step/suicide_thoughts/")
    person.post("/screening/step/suicide_thoughts/", {"suicide_thoughts": "no"})
    person.post("/screening/start-over/")  # "Your answers have been erased." (a message)
    # A catalogue page in between (same for everyone) leaves the message where it is.
    assert "have been erased" not in person.get("/about-iop/").content.decode()
    assert "Your answers have been erased." in person.get("/screening/").content.decode()
    assert "have been erased" not in client.get("/screening/").content.decode()
    assert "have been erased" not in client.get("/about-iop/").content.decode()


# --------------------------------------------------------------------------- exact invalidation


def test_admin_program_edit_shows_at_once(admin_client, client, program):
    detail = f"/programs/{program.slug}/"
    for url in ("/programs/", detail, "/programs/?q=harbour"):
        assert "Safe Harbour IOP" in client.get(url).content.decode()
    _admin_change(admin_client, Program, program, name="Quiet Cove IOP",
                  summary="Now with weekend groups.")
    for url in ("/programs/", detail):
        page = client.get(url).content.decode()
        assert "Quiet Cove IOP" in page and "Safe Harbour IOP" not in page, url
    assert "Now with weekend groups." in client.get(detail).content.decode()


def test_admin_unpublish_and_delete_show_at_once(admin_client, client, program):
    other = make_program(name="Other Place IOP", slug="other-place")
    detail = f"/programs/{program.slug}/"
    assert client.get(detail).status_code == 200
    response = admin_client.post("/admin/iop/program/", {
        "action": "unpublish", "_selected_action": [str(program.pk)],
    })
    assert response.status_code == 302
    assert client.get(detail).status_code == 404
    assert "Safe Harbour IOP" not in client.get("/programs/").content.decode()
    assert "Other Place IOP" in client.get(f"/programs/{other.slug}/").content.decode()
    admin_client.post(f"/admin/iop/program/{other.pk}/delete/", {"post": "yes"})
    assert client.get(f"/programs/{other.slug}/").status_code == 404


def test_admin_level_choice_change_shows_in_filtered_list(admin_client, client, program):
    url = "/programs/?level=php"
    assert "Safe Harbour IOP" not in client.get(url).content.decode()
    php = LevelOfCare.objects.get(code="php")
    data_levels = [str(pk) for pk in program.levels.values_list("pk", flat=True)] + [str(php.pk)]
    _admin_change(admin_client, Program, program, levels=data_levels)
    assert "Safe Harbour IOP" in client.get(url).content.decode()  # the m2m set changed


def test_admin_service_rename_shows_on_program_page(admin_client, client, program):
    service = Service.objects.get(slug="cbt")
    detail = f"/programs/{program.slug}/"
    assert service.name in client.get(detail).content.decode()
    _admin_change(admin_client, Service, service, name="Thinking and feeling skills (CBT)")
    assert "Thinking and feeling skills (CBT)" in client.get(detail).content.decode()


def test_admin_level_text_edit_shows_on_level_pages(admin_client, client):
    level = LevelOfCare.objects.get(code="iop")
    for url in ("/levels-of-care/", "/levels-of-care/iop/", "/"):
        client.get(url)
    _admin_change(admin_client, LevelOfCare, level, name="Intensive outpatient care (IOP)")
    for url in ("/levels-of-care/", "/levels-of-care/iop/", "/", "/levels-of-care/php/"):
        assert "Intensive outpatient care (IOP)" in client.get(url).content.decode(), url


def test_admin_lookup_rename_shows_in_filters(admin_client, client, program):
    population = Population.objects.get(slug="veterans")
    client.get("/programs/")
    _admin_change(admin_client, Population, population, name="Veterans and their families")
    assert "Veterans and their families" in client.get("/programs/").content.decode()


def test_admin_crisis_line_edit_shows_on_every_catalogue_page(admin_client, client, program):
    resource = CrisisResource.objects.get(slug="samhsa-helpline")
    for url in CATALOGUE_PAGES:
        client.get(url)
    _admin_change(admin_client, CrisisResource, resource, number="1-800-555-0199")
    for url in [*CATALOGUE_PAGES, f"/programs/{program.slug}/"]:
        assert 'href="tel:18005550199"' in client.get(url).content.decode(), url


def test_version_changes_again_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    before = catalogue_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        catalogue_changed()
        catalogue_changed()  # one bump on commit, however many rows changed
        during = catalogue_version()
    assert during != before
    assert len(callbacks) == 1
    assert catalogue_version() != during


def test_a_lost_version_means_every_page_is_rendered_again(client, program):
    client.get("/programs/")
    from django.core.cache import cache

    cache.delete(VERSION_KEY)  # Redis restarted, or the key evicted
    _, queries = _queries(client, "/programs/")
    assert queries > 0


@pytest.mark.parametrize("url", ["/programs/?q=harbour", "/programs/?near=10001&radius=25"])
def test_a_kept_ranking_follows_every_edit(admin_client, program, url):
    """The order of a search or near-me list is kept for the catalogue version
    (iop.cache.ranking_key): a visitor rendered fresh pages (a session) sees a new match, a
    rename and an unpublished program at once."""
    person = Client()
    person.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    assert "Safe Harbour IOP" in person.get(url).content.decode()  # ranked and kept
    make_program(name="Harbour Light IOP", slug="harbour-light")
    page = person.get(url).content.decode()
    assert "Harbour Light IOP" in page and "Safe Harbour IOP" in page
    _admin_change(admin_client, Program, program, name="Safe Harbour Evening IOP")
    assert "Safe Harbour Evening IOP" in person.get(url).content.decode()
    admin_client.post("/admin/iop/program/", {
        "action": "unpublish", "_selected_action": [str(program.pk)],
    })
    response = person.get(url)
    assert "Safe Harbour Evening IOP" not in response.content.decode()
    assert response.context["total"] == 1


@pytest.mark.parametrize("kept", [None, 25])
def test_every_page_of_a_kept_ranking_is_in_the_order_first_worked_out(db, kept, monkeypatch):
    """Pages read from the kept order list the same programs, in the same order, as the
    database ranks them with nothing kept; with only the first 25 kept, page 2 (20–39) and
    page 3 are ranked by the database, and still agree."""
    from iop.cache import page_cache

    if kept is not None:
        monkeypatch.setattr("iop.cache.RANKING_KEPT", kept)

    for number in range(45):
        make_program(name=f"Harbour Program {number:02d}", slug=f"harbour-{number}",
                     summary="Harbour " * (number % 5 + 1))
    person = Client()
    person.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"

    def pages(query):
        return [[card["pk"] for card in person.get(
            "/programs/", {**query, "page": number}).context["programs"]] for number in (1, 2, 3)]

    for query in ({"q": "harbour"}, {"near": "10001", "radius": "100"}):
        kept = pages(query)  # page 1 ranks and keeps the order; 2 and 3 read it
        fresh = []
        for number in (1, 2, 3):
            page_cache().clear()  # nothing kept: the database ranks this page
            fresh.append([card["pk"] for card in person.get(
                "/programs/", {**query, "page": number}).context["programs"]])
        assert kept == fresh
        assert [len(page) for page in kept] == [20, 20, 5]
        assert len({pk for page in kept for pk in page}) == 45


def test_a_ranking_keeps_ids_and_miles_in_order():
    from iop.cache import Ranking

    near = Ranking.of([(7, 1.5), (3, None), (9, 12.25)])
    assert len(near) == 3
    assert near.slice(0, 3) == [(7, 1.5), (3, None), (9, 12.25)]
    assert near.slice(1, 2) == [(3, None)]
    searched = Ranking.of([(4, None), (2, None)])
    assert searched.miles is None and searched.slice(0, 20) == [(4, None), (2, None)]
    assert Ranking.of([]).slice(0, 20) == []


def test_a_ranking_keeps_the_first_matches_and_counts_them_all(monkeypatch):
    from iop.cache import Ranking

    monkeypatch.setattr("iop.cache.RANKING_KEPT", 4)
    ranking = Ranking.of([(pk, float(pk)) for pk in range(10)])
    assert len(ranking) == 10 and list(ranking.ids) == [0, 1, 2, 3]
    assert ranking.covers(0, 4) and ranking.covers(2, 4)
    assert not ranking.covers(0, 5) and not ranking.covers(4, 8)
    assert ranking.slice(2, 4) == [(2, 2.0), (3, 3.0)]
    whole = Ranking.of([(1, None), (2, None)])
    assert whole.covers(0, 20)  # a last page shorter than a page is covered


# --------------------------------------------------------------------------- versions a request


def _shared_reads(monkeypatch):
    """Count the reads of the shared cache (get and get_many) by key."""
    from collections import Counter

    from django.core.cache import cache

    reads = Counter()
    get, get_many = cache.get, cache.get_many
    inside_many = []  # local memory's get_many calls get for each key: counted once

    def counted_get(key, *args, **kwargs):
        if not inside_many:
            reads[key] += 1
        return get(key, *args, **kwargs)

    def counted_get_many(keys, *args, **kwargs):
        for key in keys:
            reads[key] += 1
        inside_many.append(True)
        try:
            return get_many(keys, *args, **kwargs)
        finally:
            inside_many.pop()

    monkeypatch.setattr(cache, "get", counted_get)
    monkeypatch.setattr(cache, "get_many", counted_get_many)
    return reads


def test_a_request_reads_the_versions_once(monkeypatch, program):
    """A page rendered for a visitor with a session reads the catalogue and lookups versions
    once (together), and the crisis lines from this process while the version holds."""
    from iop.cache import LOOKUPS_VERSION_KEY
    from iop.crisis import cache_key

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session-at-all"
    for url in ("/programs/", "/programs/?q=harbour", "/programs/safe-harbour-iop/"):
        client.get(url)
        reads = _shared_reads(monkeypatch)
        assert client.get(url).status_code == 200
        assert reads[VERSION_KEY] == 1 and reads[LOOKUPS_VERSION_KEY] == 1, (url, reads)
        assert reads[cache_key()] == 0, (url, reads)
        monkeypatch.undo()


def test_versions_are_read_again_after_a_change_in_the_same_request():
    from iop.cache import _request_versions, lookups_changed, lookups_version

    token = _request_versions.set({})
    try:
        catalogue, lookups = catalogue_version(), lookups_version()
        assert catalogue_version() == catalogue
        catalogue_changed()
        assert catalogue_version() != catalogue
        lookups_changed()
        assert lookups_version() != lookups
    finally:
        _request_versions.reset(token)


def test_crisis_lines_kept_by_a_process_follow_another_process_edit(client, program):
    """Another app server edits a crisis line: its signals change the shared version and
    clear the shared entry; this process's kept lines are not shown again."""
    from django.core.cache import cache

    from iop import crisis

    assert "Safe Test Line" not in client.get("/about-iop/").content.decode()
    from iop.cache import _memo

    assert f"crisis_lines:{settings.LANGUAGE_CODE}" in _memo  # this process keeps the lines
    # What the other server's signals do, without touching this process's memory:
    CrisisResource.objects.filter(pk=CrisisResource.objects.first().pk).update(
        name="Safe Test Line")
    cache.delete(crisis.cache_key())
    cache.set(VERSION_KEY, "another-servers-version", None)
    assert "Safe Test Line" in client.get("/about-iop/").content.decode()
    assert "Safe Test Line" in Client().get("/screening/").content.decode()


@pytest.mark.parametrize("url", ["/", "/about-iop/", "/levels-of-care/", "/levels-of-care/iop/",
                                 "/programs/", "/privacy/"])
def test_catalogue_pages_read_no_session_and_leave_messages_for_the_screening(
    client, program, url, monkeypatch,
):
    """A visitor with a session (mid-screening) gets catalogue pages without a session read (a
    round trip to Redis); a flash message the screening set waits for the screening page."""
    from django.contrib.sessions.backends.cache import SessionStore

    client.post(reverse("screening:start_over"))  # sets "Your answers have been erased."
    loads = []
    real_load = SessionStore.load
    monkeypatch.setattr(SessionStore, "load", lambda self: loads.append(1) or real_load(self))
    page = client.get(url)
    assert page.status_code == 200
    assert "have been erased" not in page.content.decode()
    assert loads == []
    start = client.get(reverse("screening:start")).content.decode()
    assert "Your answers have been erased." in start


def test_every_catalogue_page_answers_a_visitor_with_a_session(client, program):
    """The privacy page (a TemplateView: a response rendered later) answered 500 to anyone
    with a session cookie, because its body was compressed before it was rendered."""
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    for url in [*CATALOGUE_PAGES, f"/programs/{program.slug}/", "/api/hsds/services"]:
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-cache", url
        assert gzip.decompress(response.content), url
