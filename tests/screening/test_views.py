"""The questionnaire as a person uses it: pages, Back, Check your answers, Start over,
result, privacy.

Written against the live version (2): one question per page, keyed by the question. Which
pages a person sees comes from the redirects the form gives (a page whose question is hidden
is skipped), never from a list.
"""

import dataclasses
import re
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from iop.models import LevelOfCare
from screening import engine
from screening.flow import EXTRAS_PAGE, RESULT_KEY, SESSION_KEY
from screening.models import Question, Questionnaire, ScreeningOutcome
from screening.rules import live_rules, pages_of
from screening.services import questionnaire_copy, questionnaire_publish
from tests.factories import make_program
from tests.screening.helpers import (
    STEP_URL,
    V2,
    V2_BASE,
    answer_all,
    answer_pages,
    first_page,
    page_fields,
    text_of,
    v1_answers,
    v2_answers,
)

pytestmark = pytest.mark.django_db

#: The live version's pages, in order (read from the shipped document: no database needed to
#: parametrize). test_live_version_is_the_shipped_v2 checks they are the live ones.
PAGE_KEYS = [page.key for page in pages_of(V2)]
ALCOHOL_QUESTIONS = ("alcohol_frequency", "alcohol_quantity", "alcohol_binge")
IOP = {"frequency": "daily", "control": "many_times"}  # 6 points: intensive outpatient


# --------------------------------------------------------------------------- walking the form


def pages_walk(client, answers: dict, *, extras: dict | None = None, start: str | None = None):
    """Go through the form as its redirects lead. Yields (page key, the page as shown) for each
    page before answering it with the answers it asks for; the extras page gets ``extras``.
    Ends once the result is worked out."""
    url = f"/screening/step/{start or first_page(client)}/"
    for _ in range(60):
        key = STEP_URL.match(url).group(1)
        page = client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        yield key, page
        data = {}
        if key == EXTRAS_PAGE:
            data.update(extras or {})
        else:
            data.update({field: answers[field] for field in page_fields(page) if field in answers})
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.content[:3000])
        url = response["Location"]
        if url == "/screening/check/":
            response = client.post(url)
            assert response["Location"] == "/screening/result/"
            return
    raise AssertionError("the questionnaire did not end")


def answer_through(client, answers: dict, last: str) -> str:
    """Answer the pages up to and including ``last``; the key of the page that comes next."""
    done = False
    for key, _page in pages_walk(client, answers):
        if done:
            return key
        done = key == last
    raise AssertionError(f"{last} was the last page")


def step_counts(page) -> tuple[int, int]:
    match = re.search(r'class="step-count[^"]*">Question (\d+) of (\d+)<', page.content.decode())
    return int(match.group(1)), int(match.group(2))


def result_program_slugs(response) -> list[str]:
    """The programs listed on a result page, in order (every group)."""
    return re.findall(
        r'<article class="program-card">\s*<h3><a href="/programs/([^/"]+)/"',
        response.content.decode(),
    )


def crisis_panel(body: str) -> str:
    start = body.index('<section class="crisis-panel')
    return body[start:body.index("</section>", start)]


def main_of(body: str) -> str:
    return body[body.index("<main"):]


def section(body: str, marker: str) -> str:
    start = body.index(marker)
    return body[start:body.index("</section>", start)]


def plain(html: str) -> str:
    """Text without tags, entities undone and spaces squeezed. A long safety note shows its
    first sentence at once and folds the rest behind a "More" toggle: the toggle goes too."""
    from html import unescape

    html = re.sub(r'<span class="note-more-hint">[^<]*</span>', " ", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def level_names() -> dict[str, str]:
    return dict(LevelOfCare.objects.values_list("code", "name"))


# --------------------------------------------------------------------------- pages


def test_live_version_is_the_shipped_v2():
    rules = live_rules()
    assert rules.version == 2
    assert list(rules.page_keys) == PAGE_KEYS


def test_start_page_explains_privacy_and_links_first_step(client):
    response = client.get("/screening/")
    assert response.status_code == 200
    body = text_of(response)
    assert "about 5 minutes" in body
    assert "not a diagnosis" in body
    assert f'href="/screening/step/{PAGE_KEYS[0]}/"' in body
    assert f"About {len(live_rules().visible_pages({})) + 1} questions" in body
    assert 'href="/leave/"' in body and "Leave this site" in body
    assert "no-store" in response["Cache-Control"]


def test_a_page_is_one_question_with_its_heading_caption_back_link_and_quick_exit(client):
    rules = live_rules()
    response = client.get(f"/screening/step/{PAGE_KEYS[0]}/")
    body = text_of(response)
    assert f"Question 1 of {len(rules.visible_pages({})) + 1}" in body
    assert body.count("<fieldset") == body.count("<legend") == 1
    question = rules.question(PAGE_KEYS[0])
    # The question is the page's one heading, inside its legend, under the step's caption.
    assert re.search(r'<legend class="question-legend"> <span class="step-caption">Your safety'
                     r'</span> <h1 class="question-text">' + re.escape(escape(question.text)),
                     body)
    assert body.count("<h1") == 1
    assert "Why we ask:" in body
    assert "no-store" in response["Cache-Control"]
    # The back link comes first, then "Leave this site"; Next is the form's only button.
    main = main_of(body)
    assert main.index('class="back-link" href="/screening/"') < main.index('href="/leave/"')
    form = main[main.index('<form method="post" novalidate>'):]
    form = form[:form.index("</form>")]
    assert re.findall(r"<button[^>]*>([^<]*)</button>", form) == ["Next"]


def test_back_link_leads_to_the_page_before_among_those_shown(client):
    answers = v2_answers(substances=["cannabis"])
    assert answer_through(client, answers, "frequency") == "consequences"
    body = text_of(client.get("/screening/step/consequences/"))
    assert 'class="back-link" href="/screening/step/frequency/"' in body
    # Back keeps what was answered: the earlier page shows its answer still chosen.
    body = text_of(client.get("/screening/step/frequency/"))
    assert re.search(r'value="none" id="id_frequency_0" checked', body)


def test_missing_answer_shows_a_focused_error_summary_with_the_question_s_own_message(client):
    response = client.post("/screening/step/suicide_thoughts/", {})
    assert response.status_code == 200
    body = text_of(response)
    assert re.search(r'<div class="alert alert-danger error-summary" role="alert" '
                     r'aria-labelledby="error-summary-title" tabindex="-1" id="error-summary" '
                     r'autofocus>', body)
    assert "There is a problem" in body
    message = live_rules().question("suicide_thoughts").error
    assert message.startswith("Choose whether you have had thoughts about death")
    assert f'<a href="#id_suicide_thoughts_0">{escape(message)}</a>' in body
    assert 'id="id_suicide_thoughts-error"' in body
    assert "<title>Error:" in body


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_every_question_of_v2_has_its_own_error_message(key):
    message = V2.question(key).error
    assert message.startswith("Choose ") and len(message) < 120
    assert message != "Choose an answer to this question."


def test_every_aria_describedby_points_at_an_element_on_the_page(client):
    """Every page as shown, and again with an error, on one walk through the form."""
    def check(response, where):
        assert response.status_code == 200, where
        body = response.content.decode()
        ids = set(re.findall(r'\bid="([^"]+)"', body))
        referenced = {
            ref for refs in re.findall(r'aria-describedby="([^"]*)"', body) for ref in refs.split()
        }
        assert referenced, where
        assert referenced <= ids, (where, referenced - ids)
        return body

    seen = []
    for key, page in pages_walk(client, V2_BASE):
        seen.append(key)
        check(page, key)
        wrong = client.post(f"/screening/step/{key}/", {"zip": "abc", "age": "x", key: "nope"})
        assert "There is a problem" in check(wrong, f"{key} with an error")
    assert seen == [*PAGE_KEYS, EXTRAS_PAGE]


def test_forged_option_value_is_a_form_error_not_a_500(client):
    response = client.post(
        "/screening/step/suicide_thoughts/", {"suicide_thoughts": "maybe'; DROP TABLE"},
    )
    assert response.status_code == 200
    assert "Choose one of the answers shown." in text_of(response)


def test_steps_out_of_order_redirect_to_first_unanswered(client):
    response = client.get("/screening/step/phq_interest/")
    assert response.status_code == 302
    assert response["Location"] == f"/screening/step/{PAGE_KEYS[0]}/"


def test_unknown_step_is_404(client):
    assert client.get("/screening/step/nope/").status_code == 404


def test_start_over_erases_answers(client):
    answer_through(client, V2_BASE, "pregnant")
    assert SESSION_KEY in client.session
    response = client.post("/screening/start-over/")
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert "Your answers have been erased." in text_of(client.get("/screening/"))


def test_start_again_on_the_result_erases_the_result(client):
    body = text_of(answer_all(client, V2_BASE))
    assert re.search(r'<form method="post" action="/screening/start-over/"[^>]*>.*?'
                     r'<button type="submit"[^>]*>Erase and start again</button>', body)
    assert RESULT_KEY in client.session
    response = client.post("/screening/start-over/")
    assert response.status_code == 302
    assert RESULT_KEY not in client.session and SESSION_KEY not in client.session
    assert "Your result has been erased." in text_of(client.get("/screening/"))
    response = client.get("/screening/result/")
    assert response.status_code == 302
    assert response["Location"] == "/screening/"


def test_start_over_needs_post(client):
    assert client.get("/screening/start-over/").status_code == 405


def test_result_without_answers_redirects_with_message(client):
    response = client.get("/screening/result/", follow=True)
    assert response.redirect_chain[-1][0] == "/screening/"
    assert "Please answer the questions first" in text_of(response)


def test_tampered_session_is_reset_not_500(client):
    session = client.session
    session[SESSION_KEY] = {"version": 2, "answers": "garbage", "extras": []}
    session.save()
    assert client.get("/screening/step/suicide_thoughts/").status_code == 200
    assert client.get("/screening/result/").status_code == 302
    assert client.get("/screening/check/").status_code == 302


# --------------------------------------------------------------------------- shown when


def rules_patch(monkeypatch, rules):
    """Run the screening on these rules (in place of the live version and its published
    copy, which a person part way through is kept on)."""
    from screening import session

    published = session.published_rules
    monkeypatch.setattr(session, "live_rules", lambda: rules)
    monkeypatch.setattr(
        session, "published_rules",
        lambda version: rules if version == rules.version else published(version),
    )


def walk_counts(client, answers: dict):
    """(page keys visited, the question keys each asked, "Question k of n" of each)."""
    visited, asked, counts = [], [], []
    for key, page in pages_walk(client, answers):
        visited.append(key)
        asked.append(set(page_fields(page)))
        counts.append(step_counts(page))
    return visited, asked, counts


def assert_counts_are_the_pages_seen(visited, counts):
    """Question k of n: k is the page's place among the pages this person sees, and n their
    number (once the answers that show or hide pages are given; before, no more than that)."""
    use = visited.index("substances")
    for place, (key, (k, n)) in enumerate(zip(visited, counts, strict=True), start=1):
        assert k == place, (key, k, place)
        if place > use + 1:
            assert n == len(visited), (key, n, visited)
        else:
            assert n <= len(visited), (key, n, visited)
    assert counts[-1] == (len(visited), len(visited))  # the last page says so


def test_drinking_questions_are_asked_only_of_people_who_drink(client):
    visited, asked, counts = walk_counts(client, v2_answers(substances=["none"]))
    assert not [key for key in visited if key not in PAGE_KEYS + [EXTRAS_PAGE]]
    every_question = set().union(*asked)
    assert every_question.isdisjoint({*ALCOHOL_QUESTIONS, "frequency", "withdrawal"})
    assert_counts_are_the_pages_seen(visited, counts)
    assert ScreeningOutcome.objects.get().level == "self_help"

    client.post("/screening/start-over/")
    visited, asked, counts = walk_counts(client, v2_answers(substances=["alcohol"]))
    every_question = set().union(*asked)
    assert {*ALCOHOL_QUESTIONS, "frequency", "withdrawal"} <= every_question
    # Never on the page of the answer they depend on.
    assert not [page for page in asked if "substances" in page and page & {*ALCOHOL_QUESTIONS}]
    assert_counts_are_the_pages_seen(visited, counts)


def test_a_link_to_a_hidden_question_leads_on_to_the_next_one_shown(client):
    rules = live_rules()
    everything = len(rules.pages) + 1
    answers = v2_answers(substances=["alcohol"], alcohol_frequency="4_plus_a_week")
    assert answer_through(client, answers, "frequency") == "alcohol_frequency"
    assert step_counts(client.get("/screening/step/alcohol_frequency/")) == (9, everything)

    # Changing the answer to "none" hides the drinking questions: a link to one leads on.
    client.post("/screening/start-over/")
    answer_through(client, v2_answers(substances=["none"]), "relapse")
    response = client.get("/screening/step/alcohol_quantity/")
    assert response.status_code == 302
    assert response["Location"] == "/screening/step/consequences/"
    # (Without any substance the frequency and withdrawal questions are hidden too.)
    assert step_counts(client.get("/screening/step/withdrawal_danger/"))[1] == everything - 5


def test_none_ticked_with_another_substance_is_an_error_naming_it_and_loses_nothing(client):
    assert answer_through(client, V2_BASE, "pregnant") == "substances"
    before = dict(client.session[SESSION_KEY]["answers"])
    response = client.post("/screening/step/substances/", {"substances": ["none", "alcohol"]})
    assert response.status_code == 200
    body = text_of(response)
    assert "There is a problem" in body
    assert ("“None of these” cannot be ticked together with other answers. Untick it, or "
            "untick the others.") in body
    assert 'href="#id_substances_0"' in body
    # Both ticks are still there to correct, and the earlier answers are kept.
    assert re.search(r'value="none" id="id_substances_0" checked', body)
    assert re.search(r'value="alcohol" id="id_substances_1" checked', body)
    assert client.session[SESSION_KEY]["answers"] == before
    response = client.post("/screening/step/substances/", {"substances": ["alcohol"]})
    assert response["Location"] == "/screening/step/frequency/"
    assert client.session[SESSION_KEY]["answers"] == {**before, "substances": ["alcohol"]}


# --------------------------------------------------------------------------- shipped cases


@pytest.mark.parametrize("case", V2.test_cases, ids=lambda case: case.name)
def test_every_shipped_v2_case_through_the_form_matches_the_engine(client, case):
    answers = {k: v for k, v in case.answers.items() if k not in V2.extra_keys}
    extras = {k: v for k, v in case.answers.items() if k in V2.extra_keys}
    response = answer_all(client, answers, extras)
    assert response.status_code == 200
    expected = engine.recommend(live_rules().questionnaire, case.answers)
    assert expected.level == case.expected_level
    assert expected.crisis is case.expected_crisis
    outcome = ScreeningOutcome.objects.get()
    assert (outcome.level, outcome.crisis, outcome.questionnaire_version) == (
        expected.level, expected.crisis, 2)
    body = text_of(response)
    heading = f"Suggested level of care: {level_names()[case.expected_level]}"
    assert (heading in body) is not expected.emergency
    assert ('id="crisis"' in body) is case.expected_crisis
    if expected.crisis:
        first = re.findall(r'href="(tel:\d+)"', crisis_panel(body))[0]
        assert first == ("tel:911" if expected.emergency else "tel:988")
    assert "Questionnaire version 2." in body


# --------------------------------------------------------------------------- result


def test_result_is_no_store_and_has_reasons_unmet_and_disclaimer(client):
    answers = v2_answers(**IOP, transport="no", substances=["sedatives"])
    response = answer_all(client, answers)
    assert "no-store" in response["Cache-Control"]
    body = text_of(response)
    assert "Suggested level of care: Intensive outpatient (IOP)" in body
    assert "Why we suggest this" in body
    assert "Reliable transport" in body
    assert plain(V2.flags_by_key["no_abrupt_stop"].note) in plain(section(
        body, '<section class="safety-notes'))
    assert "This is not a diagnosis" in body
    assert 'href="/levels-of-care/iop/"' in body


EMERGENCIES = {
    "danger now": {"danger_now": "yes"},
    "intent or plan": {"suicide_thoughts": "intent_or_plan"},
    "plan to hurt someone": {"harm_others": "plan_or_danger"},
    "dangerous withdrawal now": {"withdrawal_danger": "now"},
    "psychosis now": {"psychosis": "now", **IOP},
}


@pytest.mark.parametrize("answer", EMERGENCIES.values(), ids=EMERGENCIES)
def test_emergency_result_is_the_emergency_help_not_a_routine_result(client, answer):
    for code in level_names():  # programs at every level: none of them may be listed
        make_program(name=f"Program for {code}", levels=(code,))
    response = answer_all(client, v2_answers(**answer, readiness="ready"))
    body = text_of(response)
    main = main_of(body)
    assert re.findall(r'href="(tel:\d+)"', main)[0] == "tel:911"
    panel = crisis_panel(main)
    assert re.findall(r'href="((?:tel|sms):\d+)"', panel)[:2] == ["tel:911", "tel:988"]
    assert "Please get help right now" in panel
    assert main.index('id="crisis"') < main.index("When you are safe")
    assert "Suggested level of care" not in body
    assert "call one of the programs" not in body.lower()
    assert "you are ready" not in body.lower()
    assert 'class="program-card"' not in body
    assert result_program_slugs(response) == []
    assert "<title>Please get help right now" in body


def test_crisis_without_emergency_puts_988_first_and_says_reach_out_today(client):
    response = answer_all(client, v2_answers(suicide_thoughts="thoughts"))
    body = text_of(response)
    panel = body[body.index('id="crisis"'):body.index("Suggested level of care")]
    tel = re.findall(r'href="(tel:\d+)"', panel)
    assert tel[0] == "tel:988" and "tel:911" in tel
    assert "reach out today" in body
    assert body.index("reach out today") < body.index("Suggested level of care")


def test_keep_yourself_safe_comes_before_the_reasons_and_holds_the_pregnancy_note(client):
    answers = v2_answers(pregnant="yes", substances=["opioids"], frequency="weekly")
    body = text_of(answer_all(client, answers))
    assert body.index("Keep yourself safe") < body.index("Why we suggest this")
    safety = section(body, '<section class="safety-notes')
    assert "Keep yourself safe" in safety
    assert plain(V2.flags_by_key["pregnancy_moud"].note) in plain(safety)
    assert plain(V2.flags_by_key["naloxone"].note) in plain(safety)
    # Safety notes are never mixed with practical tips.
    if "Good to know" in body:
        assert "pregnant" not in section(body, 'aria-labelledby="tips-title"')


def test_scores_are_shown_out_of_their_maximum_with_their_meaning(client):
    answers = v2_answers(alcohol_frequency="2_3_a_week", alcohol_quantity="3_4",
                         alcohol_binge="monthly", phq_interest="several_days",
                         phq_mood="more_than_half")
    body = text_of(answer_all(client, answers))
    scores = section(body, 'aria-labelledby="scores-title"')
    audit, phq = V2.score("audit_c"), V2.score("phq_2")
    assert f"{audit.name}: 6 out of 12 — Risky drinking" in scores
    assert f"{phq.name}: 3 out of 6 — Worth a closer look" in scores
    assert escape(audit.band_for(6).meaning) in scores
    assert scores.count("A screen, not a diagnosis.") == 2


def test_emergency_shows_911_first_before_what_comes_after_safety(client):
    response = answer_all(client, v2_answers(danger_now="yes"))
    body = text_of(response)
    crisis = body.index('id="crisis"')
    assert crisis < body.index("When you are safe")
    panel = crisis_panel(body)
    assert panel.index("tel:911") < panel.index("tel:988")


def test_withdrawal_result_lists_withdrawal_programs_then_iop_for_afterwards(client):
    iop = make_program(name="AAA Step Down IOP", levels=("iop",))
    detox = make_program(name="ZZZ Detox Unit", levels=("withdrawal_management",))
    make_program(name="Only Outpatient", levels=("outpatient",))
    response = answer_all(client, v2_answers(withdrawal="strong"))
    body = text_of(response)
    assert "What usually comes next" in body
    assert "Only Outpatient" not in body
    assert result_program_slugs(response) == [detox.slug, iop.slug]
    offers = body.index("Programs that offer Medically managed withdrawal")
    afterwards = body.index("For afterwards: Intensive outpatient (IOP)")
    assert offers < body.index(detox.name) < afterwards < body.index(iop.name)
    assert "<li>Offers Medically managed withdrawal / inpatient.</li>" in body
    assert ("<li>Offers Intensive outpatient (IOP), the usual next step after Medically "
            "managed withdrawal / inpatient.</li>") in body
    assert "Offers this level of care." not in body


# --------------------------------------------------------------------------- matching


def test_matching_ranks_remedy_services_first_and_says_why(client):
    make_program(name="AAA Plain IOP", levels=("iop",))
    make_program(name="ZZZ Helpful IOP", levels=("iop",),
                 services=("transportation-assistance", "telehealth"), payments=("medicaid",))
    answers = v2_answers(**IOP, transport="no")
    body = text_of(answer_all(client, answers, extras={"payment": "medicaid"}))
    assert body.index("ZZZ Helpful IOP") < body.index("AAA Plain IOP")
    assert "Offers: Transportation help." in body
    assert "Accepts the payment you chose." in body


def test_adolescent_sees_only_programs_for_their_age(client):
    make_program(name="Teen IOP", levels=("iop",), age_min=13, age_max=17)
    make_program(name="Adult IOP", levels=("iop",), age_min=18)
    answers = v2_answers(**IOP, age_group="under_18")
    body = text_of(answer_all(client, answers))
    assert "Teen IOP" in body
    assert "Adult IOP" not in body


def test_age_range_comes_from_the_age_option(client):
    """26–64 (the option's own ages): only programs taking every age of the group are shown
    (no 55-and-over program for someone who may be 30); an exact age, given on the extras
    page, shows every program that takes it."""
    assert V2.question("age_group").option("26_64").age_min == 26
    make_program(name="Adults IOP", levels=("iop",), age_min=18)
    make_program(name="Young adults IOP", levels=("iop",), age_min=18, age_max=25)
    make_program(name="Seniors IOP", levels=("iop",), age_min=65)
    make_program(name="Up to 26 IOP", levels=("iop",), age_min=18, age_max=26)
    make_program(name="55 and over IOP", levels=("iop",), age_min=55)
    response = answer_all(client, v2_answers(**IOP, age_group="26_64"))
    body = text_of(response)
    assert "Adults IOP" in body
    for name in ("Up to 26 IOP", "Young adults IOP", "Seniors IOP", "55 and over IOP"):
        assert name not in body, name
    client.post("/screening/start-over/")
    body = text_of(answer_all(client, v2_answers(**IOP, age_group="26_64"),
                              extras={"age": "26"}))
    assert "Adults IOP" in body and "Up to 26 IOP" in body and "55 and over IOP" not in body
    client.post("/screening/start-over/")
    body = text_of(answer_all(client, v2_answers(**IOP, age_group="65_plus")))
    assert "Seniors IOP" in body and "Adults IOP" in body
    assert "Young adults IOP" not in body


def test_pregnant_opioid_user_sees_programs_for_pregnant_people_first(client):
    answers = v2_answers(pregnant="yes", substances=["opioids"], frequency="weekly")
    level = engine.recommend(live_rules().questionnaire, answers).level
    plain = make_program(name="AAA Plain program", levels=(level,))
    serving = make_program(name="ZZZ Pregnancy program", levels=(level,),
                           populations=("pregnant-postpartum",))
    response = answer_all(client, answers)
    assert result_program_slugs(response) == [serving.slug, plain.slug]
    assert "Serves: Pregnant or postpartum people." in text_of(response)
    # Without the pregnancy answer they are equal again: name order.
    client.post("/screening/start-over/")
    response = answer_all(client, {**answers, "pregnant": "no_or_na"})
    assert result_program_slugs(response) == [plain.slug, serving.slug]


@pytest.mark.parametrize(("payment", "first"), [
    ("private", "ZZZ Private insurance IOP"), ("medicaid", "MMM Medicaid IOP"),
    ("not_sure", "AAA Other IOP"),
])
def test_payment_choice_maps_through_the_extras(client, payment, first):
    make_program(name="AAA Other IOP", levels=("iop",), payments=("self-pay",))
    make_program(name="MMM Medicaid IOP", levels=("iop",), payments=("medicaid",))
    make_program(name="ZZZ Private insurance IOP", levels=("iop",),
                 payments=("private-insurance",))
    body = text_of(answer_all(client, v2_answers(**IOP), extras={"payment": payment}))
    names = re.findall(r'<h3><a href="/programs/[^"]+">([^<]+)</a>', body)
    assert names[0] == first
    assert ("Accepts the payment you chose." in body) is (payment != "not_sure")


# --------------------------------------------------------------------------- privacy


def test_answers_never_reach_the_database(client):
    from django.contrib.sessions.models import Session

    answers = v2_answers(substances=["stimulants"], pregnant="yes")
    assert answer_pages(client, answers) == f"/screening/step/{EXTRAS_PAGE}/"
    assert client.session[SESSION_KEY]["answers"]["substances"] == ["stimulants"]
    client.post(f"/screening/step/{EXTRAS_PAGE}/", {"language": "es"})
    assert client.session[SESSION_KEY]["extras"] == {"language": "es"}
    client.post("/screening/check/")
    client.get("/screening/result/")
    assert Session.objects.count() == 0  # sessions live in the cache only
    assert ScreeningOutcome.objects.count() == 1


def test_outcome_is_de_identified_and_recorded_once_per_run(client):
    answer_all(client, v2_answers(**IOP, housing="no"))
    client.get("/screening/result/")
    assert ScreeningOutcome.objects.count() == 1
    outcome = ScreeningOutcome.objects.get()
    assert outcome.level == "residential"
    assert outcome.unmet_requirements == ["sober_housing"]
    assert outcome.crisis is False
    assert outcome.questionnaire_version == 2
    field_names = {f.name for f in ScreeningOutcome._meta.get_fields()}
    assert field_names == {
        "id", "date", "questionnaire_version", "level", "crisis", "unmet_requirements",
    }


@pytest.mark.parametrize(
    "answers",
    [v2_answers(**IOP, transport="no"),
     v2_answers(withdrawal="strong", transport="no", support="some"),
     # Flags whose services, populations and features rank programs (pregnancy_moud,
     # naloxone, medication_info, co_occurring, flexible_schedule).
     v2_answers(**IOP, pregnant="yes", substances=["opioids"], mental_health="yes_managed",
                responsibilities="yes")],
    ids=["iop", "withdrawal-then-iop", "flag-hints"],
)
@pytest.mark.parametrize("extras", [{}, {"zip": "10001", "payment": "medicaid"}],
                         ids=["no-extras", "zip"])
def test_result_query_count_does_not_grow_with_programs(client, answers, extras):
    def add_programs(count):
        for n in range(count):
            make_program(levels=("iop", "withdrawal_management")[: 1 + n % 2],
                         services=("telehealth", "transportation-assistance", "case-management",
                                   "mental-health-care", "medication-assisted-treatment"),
                         populations=("co-occurring", "pregnant-postpartum"),
                         offers_buprenorphine=bool(n % 2), schedule_evening=True, locations=2)

    def finish():
        client.post("/screening/start-over/")
        answer_pages(client, answers)
        client.post(f"/screening/step/{EXTRAS_PAGE}/", extras)
        with CaptureQueriesContext(connection) as computed:
            client.post("/screening/check/")
        with CaptureQueriesContext(connection) as shown:
            response = client.get("/screening/result/")
        assert response.status_code == 200
        return len(computed), len(shown)

    add_programs(3)
    finish()  # warm the rules cache
    few = finish()
    add_programs(25)
    many = finish()
    # Never more queries with more programs (with a ZIP code, one fewer once enough
    # programs are nearby: the others need not be read).
    assert many[0] <= few[0] and many[1] == few[1]
    computed, shown = few
    assert shown <= 8
    assert computed <= 8


def test_intro_offers_resume_after_some_answers(client):
    following = answer_through(client, V2_BASE, PAGE_KEYS[0])
    body = text_of(client.get("/screening/"))
    assert "Continue where you left off" in body
    assert f'href="/screening/step/{following}/"' in body


def test_post_to_a_later_step_without_earlier_answers_keeps_it_and_explains(client):
    # As after the 2-hour expiry: the session is empty, the person submits a later page.
    response = client.post(
        "/screening/step/withdrawal_danger/", {"withdrawal_danger": "in_the_past"}, follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/screening/step/{PAGE_KEYS[0]}/"
    assert "erased after 2 hours without activity" in text_of(response)
    assert client.session[SESSION_KEY]["answers"] == {"withdrawal_danger": ["in_the_past"]}
    # Going on from the first page reaches that page with its answer still checked.
    answers = {key: value for key, value in V2_BASE.items() if key != "withdrawal_danger"}
    assert answer_through(client, answers, "withdrawal") == "withdrawal_danger"
    body = text_of(client.get("/screening/step/withdrawal_danger/"))
    assert re.search(r'value="in_the_past" id="id_withdrawal_danger_1" checked', body)


def test_get_of_a_later_step_first_asks_for_the_first_step(client):
    response = client.get("/screening/step/phq_interest/", follow=True)
    assert response.redirect_chain[-1][0] == f"/screening/step/{PAGE_KEYS[0]}/"
    assert "Please start with this question." in text_of(response)


# --------------------------------------------------------------------------- versions


def test_a_person_midway_keeps_version_2_after_version_3_is_published(client):
    answers = v2_answers(**IOP)
    following = answer_through(client, answers, "substances")
    before = client.session[SESSION_KEY]

    draft = questionnaire_copy(source=Questionnaire.objects.get(version=2))
    assert draft.version == 3
    Question.objects.filter(questionnaire=draft, key="consequences").update(
        text="Version three asks this differently?")
    questionnaire_publish(questionnaire=draft)
    assert live_rules().version == 3

    # Someone new starts on version 3.
    newcomer = Client()
    answer_through(newcomer, answers, "relapse")
    assert "Version three asks this differently?" in text_of(
        newcomer.get("/screening/step/consequences/"))

    # The person part way through is not reset and keeps answering version 2.
    assert client.session[SESSION_KEY] == before
    assert client.session[SESSION_KEY]["version"] == 2
    seen = []
    for key, page in pages_walk(client, answers, start=following):
        seen.append(key)
        body = text_of(page)
        assert "Version three" not in body, key
        assert "erased" not in body and "Please start" not in body, key
        assert 'class="messages' not in body, key
    assert seen[0] == following and seen[-1] == EXTRAS_PAGE
    body = text_of(client.get("/screening/result/"))
    assert "Questionnaire version 2." in body
    assert "Suggested level of care: Intensive outpatient (IOP)" in body
    assert ScreeningOutcome.objects.get().questionnaire_version == 2


def test_a_version_1_session_still_finishes_on_version_1(client):
    session = client.session
    session[SESSION_KEY] = {
        "version": 1, "extras": {},
        "answers": {"safety": ["no"], "age_group": ["26_64"], "pregnant": ["no_or_na"]},
    }
    session.save()
    assert "Continue where you left off" in text_of(client.get("/screening/"))
    answers = v1_answers(6)
    seen = []
    for key, page in pages_walk(client, answers):
        seen.append((key, set(page_fields(page))))
    assert seen[0] == ("substances", {"substances"})
    assert all("suicide_thoughts" not in fields for _key, fields in seen)
    body = text_of(client.get("/screening/result/"))
    assert "Questionnaire version 1." in body
    assert "Suggested level of care: Intensive outpatient (IOP)" in body
    outcome = ScreeningOutcome.objects.get()
    assert (outcome.questionnaire_version, outcome.level) == (1, "iop")


# --------------------------------------------------------------------------- crisis on steps


def later_steps_after(client, answers: dict, first: str):
    """Answer up to and including `first`; then yield each later page (GET) in turn,
    answering it to reach the next one."""
    following = answer_through(client, answers, first)
    for key, page in pages_walk(client, answers, start=following):
        yield key, text_of(page)


@pytest.mark.parametrize(
    ("answer", "step", "first_line"),
    [({"suicide_thoughts": "thoughts"}, "suicide_thoughts", "tel:988"),
     ({"danger_now": "yes"}, "danger_now", "tel:911"),
     ({"withdrawal_danger": "now"}, "withdrawal_danger", "tel:911")],
    ids=["thoughts-988", "danger-now-911", "withdrawal-danger-now-911"],
)
def test_every_step_after_a_crisis_answer_shows_the_crisis_panel_first(
    client, answer, step, first_line
):
    answers = v2_answers(**answer)
    seen = []
    for later, body in later_steps_after(client, answers, step):
        seen.append(later)
        main = main_of(body)
        # First in the page's own content: before the step count, the heading and the form.
        assert main.index('<section class="crisis-panel') < main.index('class="step-count'), later
        assert re.search(r'<div class="col-lg-8">\s*<section class="crisis-panel', main), later
        panel = crisis_panel(main)
        tel = re.findall(r'href="(tel:\d+)"', panel)
        assert tel[0] == first_line, (later, tel)
        assert {"tel:911", "tel:988"} <= set(tel)
        assert "When you are safe, you can keep going with the questions" in panel
        heading = "Please get help right now" if first_line == "tel:911" else (
            "You don't have to go through this alone")
        assert heading in panel
        assert body.count("<h1") == 1
    assert len(seen) >= 2 and seen[-1] == EXTRAS_PAGE


def test_steps_before_a_crisis_answer_and_without_one_show_no_crisis_panel(client):
    for _step, body in later_steps_after(client, V2_BASE, PAGE_KEYS[0]):
        assert "crisis-panel" not in body
    client.post("/screening/start-over/")
    following = answer_through(client, V2_BASE, PAGE_KEYS[0])
    assert "crisis-panel" not in text_of(client.get(f"/screening/step/{following}/"))


def test_step_crisis_panel_follows_the_live_rules_option_data(client, monkeypatch):
    """Crisis and emergency come from the published options, not from fixed keys: mark
    'daily' use as an emergency crisis in the rules, and the next page shows 911 first."""
    rules = live_rules()

    def edited(question):
        if question.key != "frequency":
            return question
        return dataclasses.replace(question, options=tuple(
            dataclasses.replace(option, crisis=True, flags=option.flags | {"emergency"})
            if option.value == "daily" else option
            for option in question.options
        ))

    questionnaire = dataclasses.replace(
        rules.questionnaire, questions=tuple(edited(q) for q in rules.questionnaire.questions)
    )
    rules_patch(monkeypatch, dataclasses.replace(rules, questionnaire=questionnaire))
    answers = v2_answers(frequency="daily")
    assert answer_through(client, answers, "substances") == "frequency"
    assert "crisis-panel" not in text_of(client.get("/screening/step/frequency/"))
    assert answer_through(client, answers, "frequency") == "alcohol_frequency"
    panel = crisis_panel(text_of(client.get("/screening/step/alcohol_frequency/")))
    assert re.findall(r'href="(tel:\d+)"', panel)[0] == "tel:911"


# --------------------------------------------------------------------------- answers erased


def test_result_erases_answers_and_zip_keeping_only_the_result(client):
    make_program(name="Near IOP", levels=("iop",))
    answer_pages(client, v2_answers(**IOP))
    client.post(f"/screening/step/{EXTRAS_PAGE}/", {"zip": "10001", "payment": "medicaid"})
    assert client.post("/screening/check/")["Location"] == "/screening/result/"
    response = client.get("/screening/result/")
    assert response.status_code == 200
    assert "Near IOP" in text_of(response)
    assert "miles from your ZIP code (New York, NY)" in text_of(response)  # the ZIP was used
    session = client.session
    assert SESSION_KEY not in session
    snapshot = session[RESULT_KEY]
    assert set(snapshot) == {
        "created", "version", "level", "crisis", "emergency", "next_step", "reasons", "unmet",
        "notes", "tips", "next_steps", "scores", "groups",
    }
    stored = repr(dict(session.items()))
    assert "10001" not in stored
    assert "medicaid" not in stored
    for key in ("answers", "extras", "zip", "payment"):
        assert f"'{key}'" not in stored, key
    # The only answers kept are the reasons the result gives (as codes, worded when shown);
    # answers that did not move the result are gone.
    reasons = {reason.get("question") for reason in snapshot["reasons"]}
    assert "frequency" in reasons
    for question in V2.questions:
        if question.key not in reasons:
            assert f"'{question.key}'" not in stored, question.key


def test_result_reload_uses_the_snapshot_and_records_the_outcome_once(client):
    program = make_program(name="Reload IOP", levels=("iop",),
                           services=("transportation-assistance",))
    first = answer_all(client, v2_answers(**IOP, transport="no"), extras={"zip": "10001"})
    assert ScreeningOutcome.objects.count() == 1
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/screening/result/")
    assert again.status_code == 200
    assert "no-store" in again["Cache-Control"]
    assert len(queries) <= 8
    assert not [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert ScreeningOutcome.objects.count() == 1

    def without_token(response):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text_of(response))

    assert without_token(again) == without_token(first)
    assert result_program_slugs(again) == [program.slug]
    assert "miles from your ZIP code" in text_of(again)


def test_result_page_says_answers_were_erased_and_offers_start_again_not_back(client):
    body = text_of(answer_all(client, V2_BASE))
    assert "We erased your answers, and your ZIP code if you gave one, when we showed this " \
        "result." in body
    assert "Change my answers" not in body
    assert 'href="/screening/step/' not in body


def test_steps_after_the_result_start_empty(client):
    answer_all(client, V2_BASE)
    body = text_of(client.get(f"/screening/step/{PAGE_KEYS[0]}/"))
    assert " checked" not in body
    response = client.get(f"/screening/step/{PAGE_KEYS[1]}/", follow=True)
    assert response.redirect_chain[-1][0] == f"/screening/step/{PAGE_KEYS[0]}/"
    assert "We erased your answers when we showed your result." in text_of(response)
    # The result stays until new answers begin a new screening.
    assert client.get("/screening/result/").status_code == 200
    assert "See your result again" in text_of(client.get("/screening/"))
    answer_through(client, V2_BASE, PAGE_KEYS[0])
    assert RESULT_KEY not in client.session
    assert client.get("/screening/result/").status_code == 302


def test_see_my_result_pressed_twice_shows_the_result(client):
    answer_all(client, V2_BASE)
    for url in (f"/screening/step/{EXTRAS_PAGE}/", "/screening/check/"):
        response = client.post(url, {})
        assert response.status_code == 302
        assert response["Location"] == "/screening/result/"
    assert ScreeningOutcome.objects.count() == 1


def test_a_new_screening_after_the_result_records_a_new_outcome(client):
    answer_all(client, V2_BASE)
    answer_all(client, v2_answers(**IOP))
    assert list(ScreeningOutcome.objects.order_by("pk").values_list("level", flat=True)) == [
        "self_help", "iop",
    ]


#: "created" is set to now when a test stores it (not here: test ids must not depend on the
#: time, or the xdist workers collect different tests).
WELL_FORMED_SNAPSHOT = {
    "created": None, "version": 2, "level": "iop", "crisis": True,
    "emergency": False, "next_step": None,
    "reasons": [], "unmet": [], "notes": [], "tips": [], "next_steps": [], "scores": [],
    "groups": [{"level": "iop", "after": None, "radius": None, "nearby": 0,
                "programs": [[1, ["why"], None, None]]}],
}


def created_now(snapshot):
    if isinstance(snapshot, dict) and "created" in snapshot and snapshot["created"] is None:
        return {**snapshot, "created": int(time.time())}
    return snapshot


def test_a_well_formed_snapshot_is_shown(client):
    """The one the junk below is made from (so each junk differs in only what it names)."""
    session = client.session
    session[RESULT_KEY] = created_now(WELL_FORMED_SNAPSHOT)
    session.save()
    assert client.get("/screening/result/").status_code == 200


@pytest.mark.parametrize("junk", [
    "x", [], {"groups": "x"}, {"version": 1, "level": 3},
    {**WELL_FORMED_SNAPSHOT, "groups": [
        {"level": "iop", "after": None, "radius": None, "nearby": 0,
         "programs": [["1", ["why"], None, None]]}]},
    {**WELL_FORMED_SNAPSHOT, "scores": [["audit_c", "6", 12, 1]]},
    {**WELL_FORMED_SNAPSHOT, "scores": [["audit_c", 6, 12]]},
    {**WELL_FORMED_SNAPSHOT, "notes": [3]},
    {**WELL_FORMED_SNAPSHOT, "reasons": [{"code": "points", "question": {"x": 1}}]},
    {**WELL_FORMED_SNAPSHOT, "version": True},
], ids=lambda junk: repr(junk)[:40])
def test_tampered_result_snapshot_is_ignored_not_500(client, junk):
    session = client.session
    session[RESULT_KEY] = created_now(junk)
    session.save()
    response = client.get("/screening/result/")
    assert response.status_code == 302
    assert client.get("/screening/").status_code == 200


def test_crisis_panel_comes_before_any_message(client):
    answer_through(client, v2_answers(danger_now="yes"), "danger_now")
    # Skipping a page adds a message ("Please answer this question first.").
    response = client.get("/screening/step/withdrawal/", follow=True)
    body = response.content.decode()
    assert "Please answer this question first." in body
    assert 0 < body.index('id="crisis"') < body.index('class="messages"')


def test_screening_pages_answer_head(client):
    assert client.head("/screening/").status_code == 200
    assert client.head("/screening/result/").status_code == 302  # nothing answered yet


def test_a_snapshot_reason_with_text_points_is_treated_as_no_snapshot_not_a_500(client):
    from tests.screening.helpers import answer_all as walk

    walk(client, v2_answers(alcohol_frequency="4_plus_a_week", alcohol_binge="daily"))
    session = client.session
    snapshot = session[RESULT_KEY]
    score = next(reason for reason in snapshot["reasons"] if reason["code"] == "score")
    score["points"] = "eight"
    session[RESULT_KEY] = snapshot
    session.save()
    response = client.get("/screening/result/")
    assert response.status_code == 302  # not well formed: back to the start, no 500
