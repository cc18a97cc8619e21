"""Keyword search (ranked full text on PostgreSQL, a simple match on SQLite), the echo of
what was searched, suggestions when nothing matches, and bad parameter values."""

import pytest
from django.db import connection

from iop.filters import filter_choices
from iop.models import Service
from iop.services import program_search_index_update
from tests.factories import make_program

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL only"
)


def _names(response):
    return [program.name for program in response.context["programs"]]


@pytest.fixture
def catalogue():
    return {
        "intensive": make_program(
            name="Harbor Intensive Outpatient", summary="Groups three days a week.",
            services=("group-counselling",), city="Boston", state="MA", postal_code="02108",
            latitude=42.36, longitude=-71.06,
        ),
        "evening": make_program(
            name="Cedar Recovery", summary="Evening groups after work.",
            services=("sober-living-referral",), schedule_evening=True,
        ),
        "description": make_program(
            name="Maple Health", summary="Care close to home.",
            description="We also run evening sessions twice a month.",
        ),
    }


def test_search_finds_words_in_name_summary_service_and_city(client, catalogue):
    assert _names(client.get("/programs/", {"q": "harbor"})) == ["Harbor Intensive Outpatient"]
    assert _names(client.get("/programs/", {"q": "boston"})) == ["Harbor Intensive Outpatient"]
    assert _names(client.get("/programs/", {"q": "sober living"})) == ["Cedar Recovery"]
    assert set(_names(client.get("/programs/", {"q": "evening"}))) == {
        "Cedar Recovery", "Maple Health",
    }


def test_search_is_echoed_with_count(client, catalogue):
    html = client.get("/programs/", {"q": "evening"}).content.decode()
    assert "2 programs for “evening”" in html
    html = client.get("/programs/", {"q": "evening", "near": "10001"}).content.decode()
    assert "programs for “evening” within 25 miles of 10001" in html


def test_empty_search_suggests_what_to_loosen(client, catalogue):
    html = client.get("/programs/", {"q": "zzzz", "level": "php"}).content.decode()
    assert "No programs match" in html
    assert "Search without “zzzz”" in html
    assert "Any level of care" in html
    assert 'href="?level=php"' in html  # the search dropped, the filter kept


def test_search_partial_word_finds_program(client, catalogue):
    assert _names(client.get("/programs/", {"q": "intensiv"})) == ["Harbor Intensive Outpatient"]


@postgres_only
def test_search_ranks_name_above_summary_above_description(client, catalogue):
    make_program(name="Evening Star IOP", summary="Care.")
    names = _names(client.get("/programs/", {"q": "evening"}))
    assert names == ["Evening Star IOP", "Cedar Recovery", "Maple Health"]


@postgres_only
def test_search_forgives_small_typos(client, catalogue):
    assert _names(client.get("/programs/", {"q": "sober livng"})) == ["Cedar Recovery"]
    assert _names(client.get("/programs/", {"q": "harbr"})) == ["Harbor Intensive Outpatient"]


@postgres_only
def test_typo_is_widened_to_the_known_word_and_reported(catalogue):
    from iop.models import Program
    from iop.selectors import program_search

    corrections = {}
    found = program_search(Program.objects.published(), "evning grups", corrections)
    assert {program.name for program in found} == {"Cedar Recovery"}
    assert corrections == {"evning": ["evening"], "grups": ["groups"]}
    corrections = {}
    assert program_search(Program.objects.published(), "evening", corrections).count() == 2
    assert corrections == {}  # an exact match needs no spelling help


@postgres_only
def test_list_page_says_which_words_were_widened(client, catalogue):
    html = client.get("/programs/", {"q": "evning"}).content.decode()
    assert "we also looked for words spelled like them" in html
    assert "“evning” → “evening”" in html
    html = client.get("/programs/", {"q": "evening"}).content.decode()
    assert "spelled like them" not in html


@postgres_only
def test_spelling_help_is_kept_with_the_order(catalogue):
    """A search ranks once per catalogue version (iop.cache.ranking_key) and keeps the spelling
    help with the order: a visitor whose pages are rendered fresh (a session) still reads
    which words were widened, on every page view and every page."""
    from django.conf import settings
    from django.test import Client

    person = Client()
    person.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    for params in ({"q": "evning"}, {"q": "evning"}, {"q": "evning", "page": "1"}):
        html = person.get("/programs/", params).content.decode()
        assert "“evning” → “evening”" in html, params
        assert "Cedar Recovery" in html


@postgres_only
def test_vocabulary_learns_new_words_when_the_search_index_is_rebuilt(client, catalogue):
    assert _names(client.get("/programs/", {"q": "quokka"})) == []
    make_program(name="Quokka Valley Recovery")  # saved: the signal rebuilds its document
    assert _names(client.get("/programs/", {"q": "quokkka"})) == ["Quokka Valley Recovery"]


@postgres_only
def test_search_stems_words(client, catalogue):
    assert _names(client.get("/programs/", {"q": "groups evenings"})) == ["Cedar Recovery"]


@postgres_only
def test_search_index_follows_service_and_location_edits(client, catalogue):
    program = catalogue["description"]
    program.locations.update(city="Springfield")  # bulk update: no signal
    assert _names(client.get("/programs/", {"q": "springfield"})) == []
    program_search_index_update([program.pk])
    assert _names(client.get("/programs/", {"q": "springfield"})) == ["Maple Health"]
    service = Service.objects.get(slug="sober-living-referral")
    service.name = "Recovery housing referral"
    service.save()  # signal: programs offering it are re-indexed
    assert _names(client.get("/programs/", {"q": "housing"})) == ["Cedar Recovery"]


@postgres_only
def test_search_punctuation_only_finds_nothing(client, catalogue):
    assert _names(client.get("/programs/", {"q": "!!! ???"})) == []


def test_filter_choices_are_cached_and_refreshed_on_edit(django_assert_num_queries):
    filter_choices()
    with django_assert_num_queries(0):
        choices = filter_choices()
    assert "cbt" in dict(choices["service"])
    service = Service.objects.get(slug="cbt")
    service.name = "CBT (renamed)"
    service.save()
    assert ("cbt", "CBT (renamed)") in filter_choices()["service"]


def test_level_choices_in_rank_order():
    assert [code for code, _name in filter_choices()["level"]] == [
        "self_help", "outpatient", "iop", "php", "residential", "withdrawal_management",
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "abc"}, "Page numbers are whole numbers"),
        ({"page": "1.5"}, "Page numbers are whole numbers"),
        ({"page": "0"}, "Page numbers start at 1."),
        ({"page": "-1"}, "Page numbers start at 1."),
        ({"page": "9" * 40}, "There are not that many pages."),
        ({"radius": "7"}, "Choose 5, 10, 25, 50 or 100 miles."),
        ({"near": "0000"}, "is not a US ZIP code"),
        ({"near": "00000"}, "We could not find ZIP code 00000."),
        ({"level": "nope"}, "Choose one of the options in the list."),
        ({"service": ["cbt", "zzz"]}, "Choose one of the options in the list."),
    ],
)
def test_bad_values_give_form_errors_and_first_page(client, catalogue, params, message):
    response = client.get("/programs/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters could not be used" in html
    assert message in html
    assert response.context["page"].number == 1
    assert response.context["total"] == 3


VOCABULARY = tuple(sorted(["evening", "enning", "groups", "living", "sober", "telehealth"]))


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("livng", ["living"]),
        ("evning", ["evening"]),  # not also "enning", a weaker match
        ("telehelth", ["telehealth"]),
        ("sober", []),  # known
        ("sob", []),  # starts a known word: the prefix search finds it
        ("ab", []),  # too short to guess
        ("zzzzqx", []),  # like nothing
        ("12345", []),
    ],
)
def test_spelling_alternatives(word, expected):
    from iop.selectors import spelling_alternatives

    assert spelling_alternatives(word, VOCABULARY) == expected
