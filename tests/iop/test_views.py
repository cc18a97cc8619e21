"""Public catalogue pages: status, key content, and what every page must carry."""

import json
import re
from datetime import date

import pytest
from django.utils import translation

from iop.models import LevelOfCare, Program
from tests.factories import make_program

pytestmark = pytest.mark.django_db

LEVEL_NAMES = [
    "Education and early intervention",
    "Outpatient",
    "Intensive outpatient (IOP)",
    "Partial hospitalization (PHP)",
    "Residential treatment",
    "Medically managed withdrawal / inpatient",
]


@pytest.fixture
def program():
    return make_program(
        name="Harbor Light IOP",
        slug="harbor-light",
        services=["cbt", "group-counselling", "medication-assisted-treatment", "telehealth"],
        payments=["medicaid"],
        languages=["es"],
        city="Albany",
        state="NY",
        postal_code="12207",
        phone="(555) 010-0199",
        last_verified=date(2025, 3, 14),
    )


def _html(response):
    return response.content.decode()


def _page_urls(program):
    return [
        "/",
        "/about-iop/",
        "/levels-of-care/",
        "/levels-of-care/iop/",
        "/levels-of-care/self_help/",
        "/levels-of-care/withdrawal_management/",
        "/programs/",
        "/programs/?q=zzzz-no-match",
        "/programs/?level=nope",
        program.get_absolute_url(),
    ]


def test_home_has_heading_screening_link_and_search_form(client):
    response = client.get("/")
    html = _html(response)
    assert response.status_code == 200
    assert "<h1" in html
    assert 'href="/screening/"' in html
    form = re.search(r'<form[^>]*action="/programs/"[^>]*>(.*?)</form>', html, re.S)
    assert form, "search form pointing at /programs/ missing"
    assert 'name="q"' in form.group(1)


def test_home_shows_the_continuum(client):
    html = _html(client.get("/"))
    for name in LEVEL_NAMES:
        assert name in html


def test_about_iop_explains_the_four_needs(client):
    response = client.get("/about-iop/")
    html = _html(response)
    assert response.status_code == 200
    assert "Is IOP right for me?" in html
    assert "A home free of alcohol and drugs" in html
    assert 'href="/levels-of-care/iop/"' in html


def test_level_list_shows_all_six_levels_in_rank_order(client):
    response = client.get("/levels-of-care/")
    html = _html(response)
    assert response.status_code == 200
    positions = [html.index(name) for name in LEVEL_NAMES]
    assert positions == sorted(positions)
    for level in LevelOfCare.objects.all():
        assert f'href="{level.get_absolute_url()}"' in html


def test_level_detail_shows_level_and_neighbours(client):
    response = client.get("/levels-of-care/iop/")
    html = _html(response)
    assert response.status_code == 200
    assert re.search(r"<h1[^>]*>\s*Intensive outpatient \(IOP\)\s*</h1>", html)
    assert 'href="/levels-of-care/outpatient/" rel="prev"' in html
    assert 'href="/levels-of-care/php/" rel="next"' in html
    assert 'href="/programs/?level=iop"' in html


def test_level_detail_unknown_code_404(client):
    assert client.get("/levels-of-care/nope/").status_code == 404


@pytest.mark.parametrize(
    "url", ["/levels-of-care/%00/", "/levels-of-care/iop%00/", "/levels-of-care/%ff/"]
)
def test_level_detail_odd_code_404_not_500(client, url):
    # A NUL byte reaching PostgreSQL raises ValueError (500) unless the URL rejects it.
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/programs/%00/", "/programs/a%00b/", "/programs/%ff/"])
def test_program_detail_odd_slug_404_not_500(client, url):
    assert client.get(url).status_code == 404


def test_program_list_shows_published_program(client, program):
    response = client.get("/programs/")
    html = _html(response)
    assert response.status_code == 200
    assert "Harbor Light IOP" in html
    assert 'href="/programs/harbor-light/"' in html
    assert "Albany, NY" in html


def test_program_detail_groups_services_under_category_headings(client, program):
    response = client.get("/programs/harbor-light/")
    html = _html(response)
    assert response.status_code == 200
    services = html[html.index('id="h-services"'):html.index('id="h-quality"')]
    headings = re.findall(r"<h3[^>]*>([^<]+)</h3>", services)
    assert headings == ["Medical and medication", "Practical help", "Therapy and counseling"]
    sections = dict(re.findall(r"<h3[^>]*>([^<]+)</h3>\s*<ul>(.*?)</ul>", services, re.S))
    assert "Cognitive behavioral therapy (CBT)" in sections["Therapy and counseling"]
    assert "Group counseling" in sections["Therapy and counseling"]
    assert "Medication for substance use disorders" in sections["Medical and medication"]
    assert "Medication for substance use" not in sections["Therapy and counseling"]
    assert "telehealth" in sections["Practical help"]


def test_program_detail_shows_address_phone_and_last_checked(client, program):
    html = _html(client.get("/programs/harbor-light/"))
    assert re.search(r"<address[^>]*>100 Main Street<br>Albany, NY 12207</address>", html)
    assert 'href="tel:5550100199"' in html
    assert "Call (555) 010-0199" in html
    assert "last checked" in html
    assert "March 14, 2025" in html


def test_program_detail_never_checked_says_so(client):
    program = make_program(last_verified=None)
    html = _html(client.get(program.get_absolute_url()))
    assert "has not been checked with the program yet" in html


def test_program_detail_shows_payment_and_language(client, program):
    html = _html(client.get("/programs/harbor-light/"))
    assert "Medicaid" in html
    assert "Spanish" in html


def test_unpublished_program_404_and_absent_from_list(client):
    hidden = make_program(name="Hidden Harbor", is_published=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    response = client.get("/programs/")
    assert "Hidden Harbor" not in _html(response)
    assert response.context["total"] == 0


def test_unknown_program_404(client):
    assert client.get("/programs/no-such-program/").status_code == 404


def test_program_list_post_not_allowed(client):
    assert client.post("/programs/").status_code == 405


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_readyz_reports_database_and_cache_ok(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok"}


def test_every_page_has_exactly_one_h1(client, program):
    for url in _page_urls(program):
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(re.findall(r"<h1[\s>]", _html(response))) == 1, url


def test_every_page_has_skip_link_and_lang(client, program):
    for url in _page_urls(program):
        html = _html(client.get(url))
        assert re.search(r'<html lang="en[^"]*"', html), url
        assert re.search(r'<a class="skip-link" href="#main">', html), url
        assert 'id="main"' in html, url


def test_every_page_shows_988_and_911(client, program):
    for url in _page_urls(program):
        html = _html(client.get(url))
        assert 'href="tel:911"' in html, url
        assert 'href="tel:988"' in html, url
        assert 'href="sms:988"' in html, url


def test_crisis_lines_shown_even_when_resources_deactivated(client):
    from iop.models import CrisisResource

    CrisisResource.objects.update(is_active=False)
    html = _html(client.get("/"))
    assert 'href="tel:988"' in html and 'href="tel:911"' in html


def test_not_found_page_shows_crisis_lines_and_links(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    html = _html(response)
    assert response.status_code == 404
    assert "We could not find that page" in html
    assert 'href="tel:988"' in html and 'href="tel:911"' in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert 'href="/programs/"' in html


def test_unpublished_program_not_found_page_friendly(client, settings):
    settings.DEBUG = False
    hidden = make_program(is_published=False)
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 404
    assert "We could not find that page" in _html(response)


def test_readyz_reports_unavailable_cache_with_503(client, monkeypatch):
    class BrokenCache:
        def set(self, *args, **kwargs):
            raise ConnectionError("cache down")

    monkeypatch.setattr("iop.views.cache", BrokenCache())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable", "database": "ok", "cache": "unavailable",
    }


def test_server_error_page_stands_alone_with_crisis_lines():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")  # rendered without a request, like Django does
    assert 'href="tel:911"' in html and 'href="tel:988"' in html and 'href="sms:988"' in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert 'class="skip-link"' in html and "<html lang=" in html


def test_program_page_words_openings_and_physician_as_the_model_does(client):
    from iop.views import _choice_label

    for accepting, _label in Program.Accepting.choices:
        for physician, _label in Program.Physician.choices:
            program = Program(accepting=accepting, physician=physician)
            for language in ("en", "es"):
                with translation.override(language):
                    assert _choice_label(Program.Accepting, accepting) == (
                        program.get_accepting_display())
                    assert _choice_label(Program.Physician, physician) == (
                        program.get_physician_display())
    assert _choice_label(Program.Accepting, "retired-value") == "retired-value"


def test_program_page_shows_openings_and_physician(client):
    make_program(name="Labels IOP", slug="labels-iop", accepting="waitlist", physician="on_staff")
    body = client.get("/programs/labels-iop/").content.decode()
    assert '<span class="status-waitlist">Waitlist</span>' in body
    assert "<li>Physician on staff</li>" in body
    spanish = client.get("/es/programs/labels-iop/").content.decode()
    with translation.override("es"):
        assert f"<li>{Program.Physician.ON_STAFF.label}</li>" in spanish
        assert str(Program.Physician.ON_STAFF.label) != "Physician on staff"
