"""The site in Spanish (issue 14): every public page under /es/, a switch that keeps the page
(and the screening's answers), hreflang, Spanish content with English fallback, crisis help in
Spanish, the screening and its result in Spanish, and US Spanish formatting."""

import io
import json
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from iop.models import CrisisResource, LevelOfCare, Program, Service
from screening.rules import live_rules
from tests.factories import make_program
from tests.screening.helpers import answer_all, answer_pages, text_of, v2_answers

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/about-iop/", "/levels-of-care/", "/levels-of-care/iop/", "/programs/",
          "/privacy/", "/screening/"]
ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)">')


def switch_links(body: str) -> list[tuple[str, str]]:
    switch = re.search(r'<ul class="lang-switch.*?</ul>', body, re.S).group(0)
    return re.findall(r'<a href="([^"]+)" lang="([a-z]+)"', switch)


@pytest.fixture
def program():
    return make_program(name="Casa Verde IOP", slug="casa-verde", services=["cbt"],
                        languages=["es", "en"], last_verified=date(2026, 11, 2))


@pytest.mark.parametrize("path", PUBLIC)
def test_every_public_page_has_a_spanish_twin_with_lang_hreflang_and_a_switch(client, path):
    english = client.get(path)
    spanish = client.get(f"/es{path}")
    assert english.status_code == spanish.status_code == 200
    assert '<html lang="en">' in english.content.decode()
    body = spanish.content.decode()
    assert '<html lang="es">' in body
    alternates = dict(ALTERNATE.findall(body))
    assert alternates == {"en": f"http://testserver{path}", "es": f"http://testserver/es{path}",
                          "x-default": f"http://testserver{path}"}
    assert switch_links(body) == [(path, "en")]
    assert switch_links(english.content.decode()) == [(f"/es{path}", "es")]


def test_the_switch_keeps_the_query_string(client, program):
    body = client.get("/programs/?q=verde&level=iop").content.decode()
    assert switch_links(body) == [("/es/programs/?q=verde&amp;level=iop", "es")]


def test_english_has_no_prefix_and_unknown_prefixes_are_404(client):
    assert client.get("/en/programs/").status_code == 404
    assert client.get("/fr/programs/").status_code == 404


def test_spanish_interface_and_content_with_english_fallback(client, program):
    level = LevelOfCare.objects.get(code="iop")
    body = text_of(client.get("/es/levels-of-care/iop/"))
    assert level.name_es and level.name_es in body
    assert level.name_en not in body
    # No Spanish summary written for this program: its English one shows, never a blank.
    assert not program.summary_es
    page = text_of(client.get("/es/programs/casa-verde/"))
    assert "Summary of Casa Verde IOP." in page
    Program.objects.filter(pk=program.pk).update(summary_es="Grupos por la tarde.")
    from iop.cache import catalogue_changed

    catalogue_changed()
    page = text_of(client.get("/es/programs/casa-verde/"))
    assert "Grupos por la tarde." in page and "Summary of Casa Verde IOP." not in page
    assert text_of(client.get("/programs/casa-verde/")).count("Summary of Casa Verde IOP.")


def test_dates_are_written_the_spanish_way(client, program):
    assert "2 de noviembre de 2026" in text_of(client.get("/es/programs/casa-verde/"))
    assert "Nov. 2, 2026" in text_of(client.get("/programs/casa-verde/"))


def test_spanish_pages_say_988_answers_in_spanish(client):
    spanish = client.get("/es/").content.decode()
    assert 'href="sms:988?body=AYUDA"' in spanish and "oprima 2" in spanish
    assert "AYUDA" not in client.get("/").content.decode()


def test_crisis_lines_are_worded_in_the_page_language(client):
    line = CrisisResource.objects.get(slug="988-call")
    assert line.name_es and line.name_es != line.name_en
    assert escape(line.name_es) in client.get("/es/").content.decode()
    assert escape(line.name_en) in client.get("/").content.decode()
    CrisisResource.objects.filter(pk=line.pk).update(name_es="")
    from iop.crisis import crisis_cache_clear

    crisis_cache_clear()
    assert escape(line.name_en) in client.get("/es/about-iop/").content.decode()  # falls back


def test_cached_pages_are_kept_per_language(client):
    assert client.get("/es/").content != client.get("/").content
    assert '<html lang="es">' in client.get("/es/").content.decode()  # from the cache
    assert '<html lang="en">' in client.get("/").content.decode()


def test_program_filters_list_their_choices_in_spanish(client, program):
    body = client.get("/es/programs/").content.decode()
    cbt = Service.objects.get(slug="cbt")
    assert cbt.name_es and f">{cbt.name_es}<" in body
    assert re.search(r'<option value="es"[^>]*>Español<', body)


# --------------------------------------------------------------------------- the screening


def test_the_whole_screening_in_spanish(client, program):
    result = answer_all(client, v2_answers(frequency="daily", control="many_times"),
                        extras={"zip": "10001"}, prefix="/es")
    assert result.status_code == 200
    body = text_of(result)
    assert '<html lang="es">' in result.content.decode()
    assert LevelOfCare.objects.get(code="iop").name_es in body
    assert "Casa Verde IOP" in body
    assert "You answered" not in body
    # The program cards (screening_tags.result_cards) are worded in Spanish too.
    assert "Por qué podría ser adecuado:" in body
    assert re.search(r"A unas \d+\.\d millas</span>", body)  # US Spanish: a decimal point
    assert "Why it may fit" not in body and "miles away" not in body


def test_switching_language_mid_screening_keeps_the_answers(client):
    answers = v2_answers()
    url = answer_pages(client, answers)  # English, up to the optional last page
    assert url == "/screening/step/programs/"
    page = client.get("/es/screening/check/")
    assert page.status_code == 200
    body = text_of(page)
    with translation.override("en"):
        rules = live_rules()
    with translation.override("es"):
        spanish = live_rules()
    question = spanish.question("suicide_thoughts")
    assert question.text in body
    assert question.option("no").label in body
    assert rules.question("suicide_thoughts").text not in body
    assert switch_links(page.content.decode()) == [("/screening/check/", "en")]


def test_the_language_answer_defaults_to_spanish_on_spanish_pages(client):
    answer_pages(client, v2_answers(), prefix="/es")
    spanish = client.get("/es/screening/step/programs/").content.decode()
    assert re.search(r'<option value="es" selected>', spanish)
    english = Client()
    answer_pages(english, v2_answers())
    assert not re.search(r'<option value="es" selected>',
                         english.get("/screening/step/programs/").content.decode())


def test_a_crisis_answer_in_spanish_shows_988_in_spanish_first(client):
    result = answer_all(client, v2_answers(suicide_thoughts="thoughts"), prefix="/es")
    body = result.content.decode()
    panel = body[body.index('id="crisis"'):body.index("</section>", body.index('id="crisis"'))]
    assert 'href="tel:988"' in panel and 'href="sms:988?body=AYUDA"' in panel
    assert body.index('id="crisis"') < body.index("<h2")


def test_rules_are_cached_once_per_language():
    english = live_rules()
    with translation.override("es"):
        spanish = live_rules()
    assert english.version == spanish.version
    assert [(r.key, r.when, r.min_level, r.flags) for r in english.questionnaire.rules] == [
        (r.key, r.when, r.min_level, r.flags) for r in spanish.questionnaire.rules]
    assert english.questionnaire.bands == spanish.questionnaire.bands
    assert english.question("frequency").text != spanish.question("frequency").text
    assert english.level_names["iop"] != spanish.level_names["iop"]


def test_screen_command_in_spanish():
    answers = json.dumps(v2_answers(pregnant="yes", substances=["opioids"], frequency="daily"))
    out = io.StringIO()
    call_command("screen", "-", "--lang", "es", stdin=io.StringIO(answers), stdout=out)
    result = json.loads(out.getvalue())
    english_out = io.StringIO()
    call_command("screen", "-", stdin=io.StringIO(answers), stdout=english_out)
    english = json.loads(english_out.getvalue())
    assert result["level"] == english["level"]  # the rules never depend on the language
    words = json.dumps(result, ensure_ascii=False)
    assert "embarazada" in words.lower()
    assert "You answered" not in words


def test_no_program_nearby_in_spanish_still_names_the_national_helpline(client, program):
    result = answer_all(client, v2_answers(frequency="daily", control="many_times"),
                        extras={"zip": "99501"}, prefix="/es")  # Anchorage: none near
    helpline = CrisisResource.objects.get(slug="samhsa-helpline")
    body = result.content.decode()
    assert f'href="{helpline.href}"' in body
    assert escape(helpline.name_es) in body or helpline.number in body


def test_search_finds_spanish_and_english_words_on_either_page(client, program):
    Program.objects.filter(pk=program.pk).update(summary_es="Grupos por la tarde en Queens.")
    from iop.cache import catalogue_changed
    from iop.services import program_search_index_update

    program_search_index_update([program.pk])
    catalogue_changed()
    for path in ("/programs/?q=tarde", "/es/programs/?q=tarde", "/es/programs/?q=summary"):
        assert "Casa Verde IOP" in client.get(path).content.decode(), path


@pytest.mark.parametrize("prefix", ["", "/es"])
@pytest.mark.parametrize(("path", "section"), [
    ("/about-iop/", "/about-iop/"), ("/levels-of-care/", "/levels-of-care/"),
    ("/levels-of-care/iop/", "/levels-of-care/"), ("/programs/", "/programs/"),
    ("/programs/?q=casa", "/programs/"), ("/programs/casa-verde/", "/programs/"),
    ("/screening/", "/screening/"), ("/", None), ("/privacy/", None),
])
def test_the_main_navigation_marks_the_page_s_section_in_both_languages(
    client, program, prefix, path, section
):
    """The section a page belongs to is marked (aria-current) in English and in Spanish (the
    navigation is rendered once for each language and section, iop_tags.site_nav)."""
    body = client.get(f"{prefix}{path}").content.decode()
    nav = re.search(r'<ul class="site-nav.*?</ul>', body, re.S).group(0)
    current = re.findall(r'<a (?:class="nav-cta" )?href="([^"]+)" aria-current="page"', nav)
    assert current == ([f"{prefix}{section}"] if section else []), nav
