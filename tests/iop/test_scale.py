"""Scale: synthetic programs, and query counts that do not grow with the catalogue."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iop.cache import catalogue_changed
from iop.models import Location, Program
from iop.synthetic import programs_generate
from screening.flow import EXTRAS_PAGE
from tests.factories import make_program
from tests.screening.helpers import answer_pages, v2_answers

pytestmark = pytest.mark.django_db

BUDGET = 8  # queries per page, whatever the size of the catalogue

PAGES = {
    "list": ("/programs/", {}),
    "search": ("/programs/", {"q": "evening groups"}),
    "near": ("/programs/", {"near": "10001", "radius": "25", "level": "iop",
                            "payment": "medicaid"}),
    "near, telehealth": ("/programs/", {"near": "10001", "telehealth": "true"}),
    "every filter": ("/programs/", {
        "q": "recovery", "near": "60601", "radius": "100", "level": "iop",
        "service": ["group-counselling", "cbt"], "population": "veterans",
        "payment": "medicaid", "language": "es", "telehealth": "true", "schedule": "evening",
        "state": "IL", "page": "1",
    }),
    "bad values": ("/programs/", {"near": "00000", "radius": "7", "page": "x", "level": "?"}),
}


def _make_matching_programs():
    """Two programs that every page above finds, so no page is trivially empty."""
    for n in range(2):
        make_program(
            name=f"Lakeside Recovery {n}", summary="Evening groups after work.",
            levels=("iop",), services=("group-counselling", "cbt"), populations=("veterans",),
            payments=("medicaid",), languages=("en", "es"), telehealth=True,
            schedule_evening=True, city="Chicago", state="IL", postal_code="60601",
            latitude=41.886, longitude=-87.618,
        )
        make_program(
            name=f"Hudson Recovery {n}", summary="Evening groups in Manhattan.",
            levels=("iop",), payments=("medicaid",), telehealth=True,
        )


def _queries(client, url, params, *, warm):
    if not warm:
        cache.clear()  # crisis lines and filter choices come from the database once
    client.get(url, params)  # warms the cache for the warm case
    if not warm:
        cache.clear()
    catalogue_changed()  # the page itself is rendered again, from warm lookups when warm
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    if url == "/programs/":
        assert response.context["total"] > 0, params  # a non-empty page, with its prefetches
    return len(ctx.captured_queries)


def test_generate_programs_command_creates_marked_programs():
    call_command("generate_programs", "12", "--seed", "3")
    programs = Program.objects.filter(is_synthetic=True)
    assert programs.count() == 12
    assert all(p.is_published for p in programs)
    assert Location.objects.filter(program__in=programs).count() >= 12
    # Real ZIP centroids, in the contiguous US or beyond, never (0, 0).
    assert not Location.objects.filter(program__in=programs, latitude=0).exists()
    assert all(p.levels.exists() and p.program_services.exists() for p in programs[:5])


def test_generate_programs_replace_deletes_earlier_ones():
    call_command("generate_programs", "5")
    call_command("generate_programs", "3", "--replace")
    assert Program.objects.filter(is_synthetic=True).count() == 3


def test_generated_programs_show_at_once_on_cached_pages(client):
    """Bulk writes send no signals: generating programs says the catalogue changed itself,
    on SQLite too (where no search index is rebuilt)."""
    make_program(name="Harbour Real IOP")
    assert client.get("/programs/").context["total"] == 1  # now in the page cache
    programs_generate(count=3, seed=4)
    response = client.get("/programs/")
    assert "Synthetic test listing" in response.content.decode()
    assert response.context["total"] == 4  # rendered again, not the stored page


def test_synthetic_listing_is_badged(client):
    programs_generate(count=1, seed=1)
    html = client.get("/programs/").content.decode()
    assert "Synthetic test listing" in html


@pytest.mark.parametrize("warm", [True, False], ids=["warm cache", "cold cache"])
def test_query_counts_constant_from_10_to_200_programs(client, warm):
    _make_matching_programs()
    programs_generate(count=6, seed=1)
    few = {name: _queries(client, url, params, warm=warm) for name, (url, params) in PAGES.items()}
    program = Program.objects.order_by("pk").first()
    few["detail"] = _queries(client, program.get_absolute_url(), {}, warm=warm)

    programs_generate(count=190, seed=2)
    assert Program.objects.count() == 200  # 10 → 200
    many = {name: _queries(client, url, params, warm=warm) for name, (url, params) in PAGES.items()}
    many["detail"] = _queries(client, program.get_absolute_url(), {}, warm=warm)
    print(f"queries ({'warm' if warm else 'cold'} cache), 10 → 200 programs:",
          {name: (few[name], many[name]) for name in few})
    assert few == many
    if warm:
        assert max(many.values()) <= BUDGET, many


def test_screening_result_queries_constant_and_within_budget(client):
    """Working out the result ("See my result" on Check your answers: matching, outcome row)
    and showing it."""
    answers = v2_answers(frequency="daily", control="many_times", transport="no")
    extras = {"zip": "10001", "payment": "medicaid"}

    def finish():
        client.post("/screening/start-over/")
        extras_url = answer_pages(client, answers)
        assert extras_url == f"/screening/step/{EXTRAS_PAGE}/"
        assert client.post(extras_url, extras)["Location"] == "/screening/check/"
        with CaptureQueriesContext(connection) as computed:
            assert client.post("/screening/check/").status_code == 302
        with CaptureQueriesContext(connection) as shown:
            assert client.get("/screening/result/").status_code == 200
        return len(computed), len(shown)

    programs_generate(count=10, seed=1)
    finish()  # warm the rules and option-list caches
    few = finish()
    programs_generate(count=190, seed=2)
    many = finish()
    print("screening result queries (computed, shown), 10 → 200 programs:", few, many)
    assert many[0] <= few[0] and many[1] == few[1]
    assert max(few) <= BUDGET
