"""Program pages on a phone (issue 12): openings and the call button first, folded filters
with removable chips, a "back" link that keeps the search, level cards, crisis names."""

import re
from datetime import date
from html import escape, unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iop.crisis import crisis_lines
from iop.models import LevelOfCare
from tests.factories import make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return make_program(
        name="Harbor Light IOP", slug="harbor-light", services=["cbt", "telehealth"],
        payments=["medicaid"], phone="(555) 010-0199", accepting="yes",
        accepting_note="First visit within a week.", last_verified=date(2026, 3, 14),
    )


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _links(html: str) -> list[tuple[str, str]]:
    """(href, text without tags) of every link."""
    return [(unescape(href), unescape(re.sub(r"<[^>]+>", "", text)).strip())
            for href, text in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', html, re.S)]


def test_program_page_puts_openings_and_call_before_the_details(client, program):
    html = _html(client.get(program.get_absolute_url()))
    contact = html.index('id="h-contact"')
    assert contact < html.index('id="h-overview"') < html.index('id="h-services"')
    box = html[contact:html.index('id="h-overview"')]
    assert 'href="tel:5550100199"' in box and "Call (555) 010-0199" in box
    assert "Accepting new patients" in box and "First visit within a week." in box
    assert re.search(r"last checked with the program on \w+\.? 14, 2026", box)
    # Said once, in that box (not again under "At a glance").
    assert html.count("Accepting new patients") == 1


def test_program_page_back_link_keeps_the_search(client, program):
    html = _html(client.get(f"{program.get_absolute_url()}?level=iop&payment=medicaid&x=1"))
    back = [href for href, text in _links(html) if text == "Back to your search results"]
    assert back == ["/programs/?level=iop&payment=medicaid"]
    html = _html(client.get(program.get_absolute_url()))
    assert ("/programs/", "All programs") in _links(html)
    assert "Back to your search results" not in html


def test_program_cards_carry_the_search_to_the_program_page(client, program):
    html = _html(client.get("/programs/?level=iop&payment=medicaid&page=1"))
    assert f"{program.get_absolute_url()}?level=iop&amp;payment=medicaid&amp;page=1" in html
    html = _html(client.get("/programs/"))
    assert f'href="{program.get_absolute_url()}"' in html


def test_filters_fold_behind_a_filter_button_open_only_on_errors(client, program):
    html = _html(client.get("/programs/"))
    assert re.search(r'<details class="filters-fold">\s*<summary[^>]*>Filter</summary>', html)
    assert "Your filters" not in html
    html = _html(client.get("/programs/?level=nope"))
    assert '<details class="filters-fold" open>' in html


def _chips(html: str) -> dict[str, dict]:
    section = html[html.index('id="active-filters-title"'):]
    section = section[:section.index("</section>")]
    return {text.replace("×", "").strip(): parse_qs(urlsplit(href).query)
            for href, text in _links(section) if text.startswith("Remove filter:")}


def test_active_filters_are_chips_that_each_remove_one_filter(client, program):
    html = _html(client.get(
        "/programs/?level=iop&payment=medicaid&service=cbt&service=telehealth"
        "&near=10001&radius=50&telehealth=true&page=1"
    ))
    assert "Filter <span class=\"filters-count\">(6 chosen)</span>" in html
    chips = _chips(html)
    everything = {"level": ["iop"], "payment": ["medicaid"], "service": ["cbt", "telehealth"],
                  "near": ["10001"], "radius": ["50"], "telehealth": ["true"]}

    def without(name, value=None):
        rest = {key: list(values) for key, values in everything.items()}
        if value:
            rest[name].remove(value)
        else:
            rest.pop(name)
        if name == "near":
            rest.pop("radius")
        return rest

    assert chips == {
        "Remove filter: Intensive outpatient (IOP)": without("level"),
        "Remove filter: Medicaid": without("payment"),
        "Remove filter: Cognitive behavioral therapy (CBT)": without("service", "cbt"),
        "Remove filter: Video or phone sessions (telehealth)": without("service", "telehealth"),
        "Remove filter: Within 50 miles of 10001": without("near"),
        "Remove filter: Telehealth": without("telehealth"),
    }
    assert ("/programs/", "Clear all filters") in _links(html)


def test_search_chip_and_no_chip_for_an_invalid_filter(client, program):
    html = _html(client.get("/programs/?q=harbor&level=nope"))
    assert list(_chips(html)) == ["Remove filter: Search: “harbor”"]


def test_a_chip_escapes_what_was_typed_and_links_in_the_pages_language(client, program):
    html = _html(client.get("/es/programs/?q=%3Cb%3Ecaf%C3%A9%3C%2Fb%3E+%26+%22x%22"))
    assert "<b>café" not in html and "&lt;b&gt;café&lt;/b&gt; &amp; &quot;x&quot;" in html
    html = _html(client.get("/es/programs/?q=harbor&telehealth=true"))
    section = html[html.index('id="active-filters-title"'):html.index("</section>")]
    hrefs = [href for href, _text in _links(section)]
    assert hrefs == ["/es/programs/?telehealth=true", "/es/programs/?q=harbor", "/es/programs/"]


def test_levels_page_has_cards_for_phones_and_no_sideways_table_note(client):
    html = _html(client.get("/levels-of-care/"))
    cards = html[html.index('class="compare-cards'):]
    cards = cards[:cards.index("</ol>")]
    assert cards.count('class="compare-card"') == LevelOfCare.objects.count() == 6
    for level in LevelOfCare.objects.all():
        assert level.name in cards
    assert "scrolls sideways" not in html


@pytest.mark.parametrize("path", ["/", "/levels-of-care/", "/levels-of-care/iop/"])
def test_continuum_does_not_read_like_questionnaire_progress(client, path):
    html = _html(client.get(path))
    assert not re.search(r"Step \d+ of \d+", html)
    assert "Least intensive" in html and "Most intensive" in html


def test_every_crisis_button_in_the_banner_shows_its_name(client):
    html = _html(client.get("/"))
    banner = html[html.index('class="crisis-banner"'):html.index("</aside>")]
    links = _links(banner)
    lines = crisis_lines()
    assert len(links) == len(lines) >= 3
    for (href, text), line in zip(links, lines, strict=True):
        assert href == line.href
        action = "Text" if line.action == "text" else "Call"
        assert text.startswith(line.name) and text.endswith(f"{action} {line.number}"), text


def test_crisis_panel_buttons_show_the_line_name():
    from django.template.loader import render_to_string

    html = render_to_string("includes/crisis_panel.html", {
        "crisis_panel_lines": crisis_lines(), "emergency": True})
    for (href, text), line in zip(_links(html), crisis_lines(), strict=True):
        assert href == line.href and text.startswith(line.name), text


def _chips_as_before(request, form, cleaned, near, radius):
    """The chips' links as iop.views._filter_chips wrote them before it read the query once
    (a QueryDict copied for every chip): the oracle for the test below."""
    def without(name, value=None):
        query = request.GET.copy()
        query.pop("page", None)
        if value is None:
            query.pop(name, None)
            if name == "near":
                query.pop("radius", None)
        else:
            query.setlist(name, [v for v in query.getlist(name) if v != value])
        return query.urlencode()

    links = []
    if (cleaned.get("q") or "").strip():
        links.append(without("q"))
    if near:
        links.append(without("near"))
    if cleaned.get("level"):
        links.append(without("level"))
    for slug in cleaned.get("service") or ():
        links.append(without("service", slug))
    for name in ("population", "payment", "language"):
        if cleaned.get(name):
            links.append(without(name))
    if cleaned.get("telehealth"):
        links.append(without("telehealth"))
    for name in ("schedule", "state"):
        if cleaned.get(name):
            links.append(without(name))
    return links


_QUERY_PARTS = st.sampled_from([
    ("q", "evening group"), ("q", "café & más?"), ("near", "10001"), ("radius", "50"),
    ("level", "iop"), ("level", "nope"), ("service", "cbt"), ("service", "telehealth"),
    ("service", "cbt"), ("payment", "medicaid"), ("language", "es"), ("telehealth", "true"),
    ("schedule", "evening"), ("state", "NY"), ("page", "2"), ("other", "x y"),
    ("population", "veterans"),
])


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(_QUERY_PARTS, max_size=10))
def test_chips_link_as_they_did_before(program, parts):
    from django.test import RequestFactory

    from iop.filters import ProgramFilter
    from iop.selectors import program_list_base
    from iop.views import _filter_chips

    request = RequestFactory().get("/programs/", parts)
    program_filter = ProgramFilter(request.GET or None, queryset=program_list_base())
    form = program_filter.form
    if program_filter.is_bound:
        program_filter.errors  # noqa: B018 - validates
    cleaned = getattr(form, "cleaned_data", {}) if program_filter.is_bound else {}
    near, radius = program_filter.near_point, program_filter.radius_miles
    chips = _filter_chips(request, form, cleaned, near, radius)
    assert [link for _label, link in chips] == _chips_as_before(request, form, cleaned, near,
                                                                radius)
    for label, _link in chips:
        assert label and not label.startswith("<")


def _query_replace_as_before(query, changes):
    """iop_tags.query_replace as it was (the QueryDict copied, then set or popped): the
    oracle for the test below."""
    copied = query.copy()
    for key, value in changes.items():
        if value in (None, ""):
            copied.pop(key, None)
        else:
            copied[key] = value
    return copied.urlencode()


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(_QUERY_PARTS, max_size=10),
       changes=st.dictionaries(st.sampled_from(["page", "q", "near", "service", "new"]),
                               st.one_of(st.none(), st.just(""), st.integers(1, 99),
                                         st.sampled_from(["x y", "é&?", "3"])), max_size=3))
def test_query_replace_writes_what_the_copied_querydict_wrote(parts, changes):
    from django.http import QueryDict
    from django.utils.http import urlencode as django_urlencode

    from iop.templatetags.iop_tags import replaced_query

    query = QueryDict(django_urlencode(parts) if parts else "")
    assert replaced_query(query, changes) == _query_replace_as_before(query, changes)


def test_the_filter_forms_kept_words_follow_the_language(client, program):
    from django.utils import translation

    pages = {}
    for language, prefix in (("en", ""), ("es", "/es"), ("en", "")):
        html = _html(client.get(f"{prefix}/programs/?near=1"))  # an error: the hint is named
        with translation.override(language):
            expected = [translation.gettext(text) for text in (
                "Name, service or city", "For example 10001", "Offers telehealth (video sessions)",
                "Your ZIP code finds programs you can reach. It is not saved.", "Level of care")]
        for text in expected:
            assert escape(text) in html, (language, text)
        pages.setdefault(language, html)
    assert pages["en"] != pages["es"]
