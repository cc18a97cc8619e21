"""Search and filters on /programs/: exact results, combinations, and bad input."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    alpha = make_program(
        name="Alpha Recovery", organisation="Northwind Health",
        summary="Small daytime groups close to the river.",
        levels=["iop"], services=["cbt", "group-counselling"], populations=["veterans"],
        payments=["medicaid"], languages=["es"], telehealth=True, schedule_day=True,
        state="NY", city="Albany", postal_code="12207",
    )
    bravo = make_program(
        name="Bravo Health", summary="Mindfulness skills in a small group.",
        levels=["outpatient"], services=["cbt", "dbt"], populations=["women"],
        payments=["private-insurance"], languages=["en"], schedule_evening=True,
        state="CA", city="Oakland", postal_code="94612",
    )
    charlie = make_program(
        name="Charlie Center", summary="Day treatment for teens and families.",
        levels=["php", "iop"], services=["dbt", "family-therapy"], populations=["adolescents"],
        payments=["sliding-fee", "medicaid"], languages=["es", "zh"], telehealth=True,
        schedule_weekend=True, state="TX", city="Austin", postal_code="73301",
    )
    # A second location in another state for Charlie.
    charlie.locations.create(street="9 Lake St", city="Reno", state="NV", postal_code="89501")
    make_program(
        name="Zulu Hidden", summary="Unpublished, matches everything.", is_published=False,
        levels=["iop", "php", "outpatient"], services=["cbt", "dbt", "family-therapy"],
        populations=["veterans", "women", "adolescents"], payments=["medicaid", "sliding-fee"],
        languages=["es", "en", "zh"], telehealth=True, schedule_day=True,
        schedule_evening=True, schedule_weekend=True, state="NY", city="Austin",
    )
    return {"alpha": alpha, "bravo": bravo, "charlie": charlie}


def _names(response):
    assert response.status_code == 200
    return {p.name for p in response.context["programs"]}


def _html(response):
    return response.content.decode()


def _has_form_error(response):
    return "Some filters could not be used" in _html(response)


ALL = {"Alpha Recovery", "Bravo Health", "Charlie Center"}


def test_no_filters_lists_all_published(client, catalogue):
    response = client.get("/programs/")
    assert _names(response) == ALL
    assert response.context["total"] == 3
    assert not _has_form_error(response)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("alpha", {"Alpha Recovery"}),  # name, case-insensitive
        ("northwind", {"Alpha Recovery"}),  # organisation
        ("mindfulness", {"Bravo Health"}),  # summary
        ("dialectical", {"Bravo Health", "Charlie Center"}),  # service name
        ("family therapy", {"Charlie Center"}),  # service name, two words
        ("austin", {"Charlie Center"}),  # city
        ("reno", {"Charlie Center"}),  # second location's city
        ("oakland", {"Bravo Health"}),
        ("cognitive oakland", {"Bravo Health"}),  # words are ANDed across fields
        ("dialectical austin", {"Charlie Center"}),
        ("alpha oakland", set()),
        ("  ALPHA  ", {"Alpha Recovery"}),
        ("zzzz", set()),
        ("100% off", set()),  # LIKE wildcards are literal
        ("_", set()),
    ],
)
def test_q_matches_every_word_somewhere(client, catalogue, q, expected):
    assert _names(client.get("/programs/", {"q": q})) == expected


def test_q_echoes_search_in_heading(client, catalogue):
    html = _html(client.get("/programs/", {"q": "alpha"}))
    assert "1 program for “alpha”" in html
    assert 'value="alpha"' in html


def test_q_does_not_find_unpublished(client, catalogue):
    assert _names(client.get("/programs/", {"q": "zulu"})) == set()


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("iop", {"Alpha Recovery", "Charlie Center"}),
        ("php", {"Charlie Center"}),
        ("outpatient", {"Bravo Health"}),
        ("residential", set()),
    ],
)
def test_level_filter(client, catalogue, level, expected):
    assert _names(client.get("/programs/", {"level": level})) == expected


@pytest.mark.parametrize(
    ("services", "expected"),
    [
        (["cbt"], {"Alpha Recovery", "Bravo Health"}),
        (["dbt"], {"Bravo Health", "Charlie Center"}),
        (["cbt", "dbt"], {"Bravo Health"}),
        (["dbt", "family-therapy"], {"Charlie Center"}),
        (["cbt", "family-therapy"], set()),
    ],
)
def test_service_filter_requires_all_chosen_services(client, catalogue, services, expected):
    assert _names(client.get("/programs/", {"service": services})) == expected


@pytest.mark.parametrize(
    ("population", "expected"),
    [("veterans", {"Alpha Recovery"}), ("women", {"Bravo Health"}), ("lgbtq", set())],
)
def test_population_filter(client, catalogue, population, expected):
    assert _names(client.get("/programs/", {"population": population})) == expected


@pytest.mark.parametrize(
    ("payment", "expected"),
    [
        ("medicaid", {"Alpha Recovery", "Charlie Center"}),
        ("private-insurance", {"Bravo Health"}),
        ("sliding-fee", {"Charlie Center"}),
        ("free", set()),
    ],
)
def test_payment_filter(client, catalogue, payment, expected):
    assert _names(client.get("/programs/", {"payment": payment})) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", {"Alpha Recovery", "Charlie Center"}),
        ("zh", {"Charlie Center"}),
        ("en", {"Bravo Health"}),
        ("ase", set()),
    ],
)
def test_language_filter(client, catalogue, language, expected):
    assert _names(client.get("/programs/", {"language": language})) == expected


def test_telehealth_filter(client, catalogue):
    assert _names(client.get("/programs/", {"telehealth": "true"})) == {
        "Alpha Recovery", "Charlie Center",
    }


def test_telehealth_unchecked_lists_all(client, catalogue):
    assert _names(client.get("/programs/", {"telehealth": "false"})) == ALL


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        ("day", {"Alpha Recovery"}),
        ("evening", {"Bravo Health"}),
        ("weekend", {"Charlie Center"}),
    ],
)
def test_schedule_filter(client, catalogue, schedule, expected):
    assert _names(client.get("/programs/", {"schedule": schedule})) == expected


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("NY", {"Alpha Recovery"}),
        ("CA", {"Bravo Health"}),
        ("TX", {"Charlie Center"}),
        ("NV", {"Charlie Center"}),  # any of the program's locations
        ("WY", set()),
    ],
)
def test_state_filter(client, catalogue, state, expected):
    assert _names(client.get("/programs/", {"state": state})) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"level": "iop", "payment": "medicaid"}, {"Alpha Recovery", "Charlie Center"}),
        ({"level": "iop", "payment": "medicaid", "language": "zh"}, {"Charlie Center"}),
        ({"telehealth": "true", "state": "NY"}, {"Alpha Recovery"}),
        ({"service": ["cbt"], "schedule": "evening"}, {"Bravo Health"}),
        ({"q": "austin", "level": "php", "service": ["dbt"]}, {"Charlie Center"}),
        ({"q": "austin", "level": "outpatient"}, set()),
        ({"population": "veterans", "telehealth": "true", "schedule": "day"}, {"Alpha Recovery"}),
        ({"level": "iop", "language": "es", "payment": "medicaid", "state": "TX"},
         {"Charlie Center"}),
    ],
)
def test_filters_combine(client, catalogue, params, expected):
    response = client.get("/programs/", params)
    assert _names(response) == expected
    assert response.context["total"] == len(expected)  # no duplicate rows from joins


def test_filters_keep_choices_selected(client, catalogue):
    html = _html(client.get("/programs/", {"level": "iop", "state": "TX", "telehealth": "true"}))
    assert '<option value="iop" selected>' in html
    assert '<option value="TX" selected>' in html
    assert re.search(r'name="telehealth" value="true" id="[^"]+" checked', html)


def test_empty_results_offer_a_way_back(client, catalogue):
    html = _html(client.get("/programs/", {"q": "nothing-matches"}))
    assert "No programs match all of these choices" in html


def _pagination_links(html):
    return [unescape(href) for href in re.findall(r'class="page-link" href="([^"]+)"', html)]


def test_pagination_links_keep_filters(client, settings):
    settings.PROGRAMS_PER_PAGE = 2
    for n in range(5):
        make_program(name=f"Paged {n}", services=["cbt", "dbt"], telehealth=True)
    make_program(name="Paged but no telehealth", services=["cbt", "dbt"])
    params = {"q": "paged", "service": ["cbt", "dbt"], "telehealth": "true"}

    response = client.get("/programs/", params)
    assert response.context["total"] == 5
    (next_link,) = _pagination_links(_html(response))
    query = parse_qs(urlsplit(next_link).query)
    assert query == {"q": ["paged"], "service": ["cbt", "dbt"], "telehealth": ["true"],
                     "page": ["2"]}

    page2 = client.get("/programs/" + next_link)
    assert [p.name for p in page2.context["programs"]] == ["Paged 2", "Paged 3"]
    links = _pagination_links(_html(page2))
    assert len(links) == 2
    for link in links:
        query = parse_qs(urlsplit(link).query)
        assert query["service"] == ["cbt", "dbt"] and query["q"] == ["paged"]
    assert "Page 2 of 3" in _html(page2)


def test_pagination_pages_cover_every_program_once(client, settings):
    settings.PROGRAMS_PER_PAGE = 3
    for n in range(7):
        make_program(name=f"Program {n:02d}")
    seen = []
    for page in (1, 2, 3):
        seen += [p.name for p in client.get("/programs/", {"page": page}).context["programs"]]
    assert seen == [f"Program {n:02d}" for n in range(7)]


@pytest.mark.parametrize(
    "params",
    [
        {"level": "nope"},
        {"service": "zzz"},
        {"service": ["cbt", "zzz"]},
        {"state": "XX"},
        {"schedule": "midnight"},
        {"population": "martians"},
        {"payment": "bitcoin"},
        {"language": "<script>"},
        {"q": "x" * 5000},
        {"q": "alpha\x00"},
        {"level": "iop\x00"},
        {"service": "cbt\x00"},
        {"language": "es\x00"},
    ],
)
def test_bad_filter_values_show_form_error_and_still_list(client, catalogue, params):
    response = client.get("/programs/", params)
    assert response.status_code == 200
    assert _has_form_error(response)
    assert 'aria-invalid="true"' in _html(response)
    assert _names(response), "the list should still show programs"


@pytest.mark.parametrize(
    "params",
    # Bad page numbers ("abc", "0", "1.5") are form errors now: tests/iop/test_search.py.
    [{"payment": ""}, {"level": ""}, {"q": ""}, {"q": "   "}, {"page": "99999"}],
)
def test_harmless_values_list_without_error(client, catalogue, params):
    response = client.get("/programs/", params)
    assert _names(response) == ALL
    assert not _has_form_error(response)


def test_bad_filter_ignored_but_good_filter_applied(client, catalogue):
    response = client.get("/programs/", {"level": "nope", "state": "CA"})
    assert _has_form_error(response)
    assert _names(response) == {"Bravo Health"}


def test_bad_value_is_not_reflected_as_markup(client, catalogue):
    payload = "<script>alert(1)</script>"
    for key in ("service", "q", "language", "state"):
        html = _html(client.get("/programs/", {key: payload}))
        assert payload not in html, key


def test_invalid_percent_encoding_does_not_fail(client, catalogue):
    response = client.get("/programs/?q=%ff%fe")
    assert response.status_code == 200
    assert _names(response) == set()  # searched for replacement characters


def test_invalid_percent_encoding_in_filter_does_not_fail(client, catalogue):
    response = client.get("/programs/?level=%ff&service=%fe%ff&state=%c3")
    assert response.status_code == 200
    assert _has_form_error(response)
    assert _names(response) == ALL


def test_page_out_of_range_shows_last_page(client, settings):
    settings.PROGRAMS_PER_PAGE = 2
    for n in range(3):
        make_program(name=f"Last {n}")
    response = client.get("/programs/", {"page": "99999"})
    assert [p.name for p in response.context["programs"]] == ["Last 2"]


def test_many_words_in_q_do_not_fail(client, catalogue):
    response = client.get("/programs/", {"q": " ".join(["a"] * 60)})
    assert response.status_code == 200


def test_each_filterset_has_its_own_filters_bound_to_itself(catalogue):
    """ProgramFilter copies its filters shallowly (iop.filters): each copy's method still
    runs on its own FilterSet, so one request's results and spelling help never land on
    another's; the definitions stay untouched."""
    from django.http import QueryDict

    from iop.filters import ProgramFilter
    from iop.selectors import program_list_base

    first = ProgramFilter(QueryDict("q=alpha"), queryset=program_list_base())
    second = ProgramFilter(QueryDict("q=bravo"), queryset=program_list_base())
    for filterset in (first, second):
        for name, copied in filterset.filters.items():
            assert copied is not ProgramFilter.base_filters[name]
            assert copied.parent is filterset
            if copied.method is not None:
                assert copied.filter.f is copied
    assert [program.name for program in first.qs] == ["Alpha Recovery"]
    assert [program.name for program in second.qs] == ["Bravo Health"]
    assert first.spelling == {} and second.spelling == {}
    assert not hasattr(ProgramFilter.base_filters["q"], "parent")
    assert first.form.__class__ is second.form.__class__  # made once
    assert first.form is not second.form and first.form.data["q"] == "alpha"


@pytest.mark.parametrize("query", [
    "service=cbt%00", "service=zzz&level=nope", "level=iop%00&state=XX", "page=abc&near=abc",
    "radius=7&schedule=midnight&payment=%01x&language=%7F", "population=x&q=" + "y" * 300,
])
def test_every_filter_error_links_to_its_field_and_echoes_no_control_character(
        client, catalogue, query):
    html = client.get("/programs/?" + query).content.decode()
    errors = html[html.index('id="filter-errors"'):]
    errors = errors[:errors.index("</ul>")]
    targets = re.findall(r'<li><a href="#([^"]*)">', errors)
    assert targets and all(targets), errors
    for target in targets:
        assert f'id="{target}"' in html, target  # the field (or the results) is on the page
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", html)


def test_a_bad_choice_is_explained_in_the_pages_language(client, catalogue):
    html = client.get("/es/programs/?level=nope&service=zzz&service=cbt&near=1").content.decode()
    assert "Elija una de las opciones de la lista." in html
    errors = html[html.index('id="filter-errors"'):]
    errors = errors[:errors.index("</ul>")]
    assert "Choose one of the options" not in html and "nope" not in errors
    assert "Por ejemplo, 10001" in html and "For example 10001" not in html
    html = client.get("/es/programs/?level=iop&service=cbt").content.decode()
    assert "Quitar todos los filtros" in html and "Clear all filters" not in html
