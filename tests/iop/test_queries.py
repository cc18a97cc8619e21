"""Query budgets: list and detail pages cost the same however much data there is."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iop.models import Accreditation
from tests.factories import make_program

pytestmark = pytest.mark.django_db

LIST_BUDGET = 12
DETAIL_BUDGET = 14

RICH = {
    "levels": ("outpatient", "iop", "php"),
    "services": (
        "individual-counselling", "group-counselling", "cbt", "dbt",
        "medication-assisted-treatment", "case-management", "telehealth",
    ),
    "populations": ("adults", "veterans", "women"),
    "payments": ("medicaid", "medicare", "private-insurance", "sliding-fee"),
    "languages": ("en", "es", "zh"),
    "locations": 3,
}


def _make_programs(count):
    accreditations = list(Accreditation.objects.all()[:2])
    programs = []
    for _ in range(count):
        program = make_program(
            **RICH, telehealth=True, schedule_day=True, schedule_evening=True,
            phone="555-0100", description="**Bold** text and a [link](https://example.org).",
        )
        program.accreditations.set(accreditations)
        programs.append(program)
    return programs


def _count_queries(client, url, params=None):
    cache.clear()  # the crisis lines are read from the database on a cold cache
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


EVERY_FILTER = {
    "service": ["cbt", "dbt"], "payment": "medicaid", "language": "es", "state": "NY",
    "telehealth": "true", "schedule": "day", "population": "veterans", "level": "iop",
    "q": "program york",
}


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "program york", "level": "iop"}, {"page": "2"}, {"page": "99999"},
     {"near": "10001", "radius": "25", "level": "iop", "payment": "medicaid"},
     {"near": "10001", "telehealth": "true", "service": ["cbt", "dbt"]}],
)
def test_program_list_queries_do_not_grow_with_programs(client, params):
    _make_programs(3)
    few = _count_queries(client, "/programs/", params)
    _make_programs(27)
    many = _count_queries(client, "/programs/", params)
    print(f"/programs/ {params}: {few} queries with 3 programs, {many} with 30")
    assert few == many
    assert many <= LIST_BUDGET


def test_program_list_every_filter_queries_do_not_grow_with_programs(client):
    _make_programs(3)
    few = _count_queries(client, "/programs/", EVERY_FILTER)
    _make_programs(27)
    response = client.get("/programs/", EVERY_FILTER)
    assert response.context["total"] == 30  # the filters really ran and matched
    many = _count_queries(client, "/programs/", EVERY_FILTER)
    print(f"/programs/ every filter: {few} queries with 3 programs, {many} with 30")
    assert few == many
    # Each chosen level/service list/population/payment/language costs one lookup to
    # validate it (ModelChoiceField); everything else fits the plain budget.
    assert many <= LIST_BUDGET + 5


def test_program_list_budget_with_warm_cache(client, django_assert_max_num_queries):
    _make_programs(30)
    client.get("/programs/")
    with django_assert_max_num_queries(LIST_BUDGET - 1):
        client.get("/programs/")


@pytest.mark.parametrize("params", [
    {}, {"level": "iop", "page": "2"}, {"near": "10001", "radius": "25"},
    {"near": "10001", "telehealth": "true"},
])
def test_program_list_reads_two_queries_once_counted(params):
    """Rendered for a visitor with a session (never from the page cache), with the lookups and
    the count kept for the catalogue version: the page, then its levels and locations (one
    query); near a ZIP code (a ranked list: its ids are kept) both in one query."""
    from django.conf import settings
    from django.test import Client

    _make_programs(30)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    client.get("/programs/", params)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/programs/", params).status_code == 200
    expected = 1 if "near" in params else 2
    assert len(ctx.captured_queries) == expected, [q["sql"][:80] for q in ctx.captured_queries]


def test_program_detail_queries_do_not_grow_with_programs(client):
    first = _make_programs(3)[0]
    few = _count_queries(client, first.get_absolute_url())
    _make_programs(27)
    many = _count_queries(client, first.get_absolute_url())
    print(f"/programs/<slug>/: {few} queries with 3 programs, {many} with 30")
    assert few == many
    assert many <= DETAIL_BUDGET


def test_program_detail_queries_do_not_grow_with_relations(client):
    bare = make_program(levels=("iop",), services=("cbt",), locations=1)
    rich = _make_programs(1)[0]
    assert _count_queries(client, bare.get_absolute_url()) == _count_queries(
        client, rich.get_absolute_url()
    )


def test_program_detail_budget(client, django_assert_max_num_queries):
    program = _make_programs(30)[-1]
    cache.clear()
    with django_assert_max_num_queries(DETAIL_BUDGET):
        client.get(program.get_absolute_url())


@pytest.mark.parametrize("params", [
    {"q": "program"}, {"q": "program", "page": "2"},
    {"near": "10001", "radius": "25", "level": "iop"},
    {"near": "10001", "telehealth": "true", "page": "2"},
])
def test_ranked_lists_read_one_query_once_ranked(params):
    """A search (by relevance) or near-me (by distance) ranks every match once per catalogue
    version (iop.cache.ranking_key); then a page, for anyone, reads its twenty rows by id with
    no ranking in the query, and their levels and locations, in one query: nothing else."""
    from django.conf import settings
    from django.test import Client

    _make_programs(30)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    client.get("/programs/", {"q": params["q"]} if "q" in params else {
        key: value for key, value in params.items() if key != "page"})  # ranks (page 1)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/programs/", params)
    assert response.status_code == 200
    sqls = [query["sql"] for query in ctx.captured_queries]
    # Not even the search's "does every word match somewhere?" (the spelling help, kept with
    # the order) is asked again.
    assert len(sqls) == 1, [sql[:80] for sql in sqls]
    rows = sqls[0].split(" UNION ALL ")[0]  # the programs' part (then levels, locations)
    # By id: a list on SQLite, one array on PostgreSQL (iop.selectors.rows_for_ids).
    assert "FROM iop_program WHERE is_published" in rows, rows[:300]
    assert " id IN (" in rows or " id = ANY(" in rows, rows[:300]
    for ranking in ("ts_rank", "search_vector", "search_text", "miles", "latitude"):
        assert ranking not in rows, (ranking, rows[:300])
    assert response.context["total"] == 30
    assert len(response.context["programs"]) == (10 if params.get("page") == "2" else 20)


@pytest.mark.parametrize("url", ["/", "/about-iop/", "/levels-of-care/", "/levels-of-care/php/"])
def test_level_pages_read_no_query_once_the_levels_are_kept(url):
    """The levels of care are kept per version of the lookup tables (iop.selectors.level_list):
    once read, the home, about and levels pages ask the database nothing, however often they
    are rendered (here for a visitor with a session, never from the page cache)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert ctx.captured_queries == []
