"""The questionnaire as a person uses it: steps, Back, Start over, result, privacy."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from screening import default_questionnaire as v1
from screening import engine
from screening.models import ScreeningOutcome
from screening.rules import live_rules
from screening.views import SESSION_KEY
from tests.factories import make_program

pytestmark = pytest.mark.django_db

STEP_KEYS = ["safety", "use", "withdrawal", "health", "situation"]


def step_data(answers: dict, step: str) -> dict:
    keys = [q["key"] for q in v1.QUESTIONS if q["step"] == step]
    return {key: answers[key] for key in keys if key in answers}


def answer_all(client, answers: dict, extras: dict | None = None):
    for step in STEP_KEYS:
        response = client.post(
            f"/screening/step/{step}/", {**step_data(answers, step), "action": "next"}
        )
        assert response.status_code == 302, (step, response.content[:2000])
    response = client.post("/screening/step/programs/", {**(extras or {}), "action": "next"})
    assert response.status_code == 302
    assert response["Location"] == "/screening/result/"
    return client.get("/screening/result/")


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_start_page_explains_privacy_and_links_first_step(client):
    response = client.get("/screening/")
    assert response.status_code == 200
    body = text_of(response)
    assert "about 3 minutes" in body
    assert "not a diagnosis" in body
    assert 'href="/screening/step/safety/"' in body
    assert "no-store" in response["Cache-Control"]


def test_step_shows_step_k_of_n_fieldsets_and_why_we_ask(client):
    response = client.get("/screening/step/safety/")
    body = text_of(response)
    assert "Step 1 of 6" in body
    assert body.count("<fieldset") == 3
    assert body.count("<legend") == 3
    assert "Why we ask:" in body
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("case", v1.TEST_CASES, ids=lambda case: case["name"])
def test_every_shipped_case_through_the_form_matches_the_engine(client, case):
    response = answer_all(client, case["answers"])
    assert response.status_code == 200
    expected = engine.recommend(live_rules().questionnaire, case["answers"])
    assert expected.level == case["expected_level"]
    level_name = {lv["code"]: lv["name"] for lv in v1.LEVELS}[case["expected_level"]]
    assert f"Suggested level of care: {level_name}" in text_of(response)
    assert ('id="crisis"' in text_of(response)) is case["expected_crisis"]


def test_missing_answer_shows_error_summary_linked_to_field_and_keeps_other_answers(client):
    response = client.post(
        "/screening/step/safety/", {"safety": "no", "age_group": "26_64", "action": "next"}
    )
    assert response.status_code == 200
    body = text_of(response)
    assert "There is a problem" in body
    assert 'href="#id_pregnant_0"' in body
    assert "Choose an answer to this question." in body
    assert 'aria-describedby="id_pregnant-hint id_pregnant-error"' in body
    # What was answered is still selected.
    assert re.search(r'value="26_64" id="id_age_group_2" checked', body)
    assert "<title>Error:" in body


@pytest.mark.parametrize("step", [*STEP_KEYS, "programs"])
@pytest.mark.parametrize("with_errors", [False, True])
def test_every_aria_describedby_points_at_an_element_on_the_page(client, step, with_errors):
    answers = v1.TEST_CASES[0]["answers"]
    for earlier in STEP_KEYS[: STEP_KEYS.index(step) if step in STEP_KEYS else None]:
        data = {**step_data(answers, earlier), "action": "next"}
        client.post(f"/screening/step/{earlier}/", data)
    if with_errors:
        response = client.post(f"/screening/step/{step}/", {"action": "next", "zip": "abc"})
    else:
        response = client.get(f"/screening/step/{step}/")
    assert response.status_code == 200
    body = response.content.decode()
    ids = set(re.findall(r'\bid="([^"]+)"', body))
    referenced = {
        ref for refs in re.findall(r'aria-describedby="([^"]*)"', body) for ref in refs.split()
    }
    assert referenced, step
    assert referenced <= ids, referenced - ids
    if with_errors:
        assert "There is a problem" in body


def test_forged_option_value_is_a_form_error_not_a_500(client):
    response = client.post(
        "/screening/step/safety/",
        {"safety": "maybe'; DROP TABLE", "age_group": "26_64", "pregnant": "no_or_na",
         "action": "next"},
    )
    assert response.status_code == 200
    assert "Choose one of the answers shown." in text_of(response)


def test_back_keeps_answers_of_both_steps(client):
    answers = v1.TEST_CASES[5]["answers"]
    client.post("/screening/step/safety/", {**step_data(answers, "safety"), "action": "next"})
    partial = {"frequency": "daily", "action": "back"}
    response = client.post("/screening/step/use/", partial)
    assert response["Location"] == "/screening/step/safety/"
    body = text_of(client.get("/screening/step/safety/"))
    assert re.search(r'value="26_64" id="id_age_group_2" checked', body)
    body = text_of(client.get("/screening/step/use/"))
    assert re.search(r'value="daily" id="id_frequency_4" checked', body)


def test_steps_out_of_order_redirect_to_first_unanswered(client):
    response = client.get("/screening/step/health/")
    assert response.status_code == 302
    assert response["Location"] == "/screening/step/safety/"


def test_unknown_step_is_404(client):
    assert client.get("/screening/step/nope/").status_code == 404


def test_start_over_erases_answers(client):
    answer_all(client, v1.BASE_ANSWERS)
    assert SESSION_KEY in client.session
    response = client.post("/screening/start-over/")
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
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
    session[SESSION_KEY] = {"version": 1, "answers": "garbage", "extras": []}
    session.save()
    assert client.get("/screening/step/safety/").status_code == 200
    assert client.get("/screening/result/").status_code == 302


def test_result_is_no_store_and_has_reasons_unmet_and_disclaimer(client):
    answers = {**v1.BASE_ANSWERS, "frequency": "daily", "control": "many_times",
               "transport": "no", "substances": ["sedatives"]}
    response = answer_all(client, answers)
    assert "no-store" in response["Cache-Control"]
    body = text_of(response)
    assert "Intensive outpatient (IOP)" in body
    assert "Why we suggest this" in body
    assert "Reliable transport" in body
    assert "Never stop benzodiazepines" in body
    assert "This is not a diagnosis" in body
    assert 'href="/levels-of-care/iop/"' in body


def test_emergency_shows_911_first_before_the_level(client):
    response = answer_all(client, {**v1.BASE_ANSWERS, "safety": "danger_now"})
    body = text_of(response)
    crisis = body.index('id="crisis"')
    assert crisis < body.index("Suggested level of care")
    panel = body[crisis:body.index("Suggested level of care")]
    assert panel.index("tel:911") < panel.index("tel:988")


def test_thoughts_show_988_first(client):
    response = answer_all(client, {**v1.BASE_ANSWERS, "safety": "thoughts"})
    body = text_of(response)
    panel = body[body.index('id="crisis"'):body.index("Suggested level of care")]
    assert panel.index("tel:988") < panel.index("tel:911")


def test_withdrawal_result_names_next_step_and_matches_iop_programs(client):
    program = make_program(name="Step Down IOP", levels=("iop",))
    make_program(name="Only Outpatient", levels=("outpatient",))
    response = answer_all(client, {**v1.BASE_ANSWERS, "withdrawal": "strong"})
    body = text_of(response)
    assert "Medically managed withdrawal" in body
    assert "What usually comes next" in body
    assert program.name in body
    assert "Only Outpatient" not in body


def test_matching_ranks_remedy_services_first_and_says_why(client):
    make_program(name="AAA Plain IOP", levels=("iop",))
    make_program(name="ZZZ Helpful IOP", levels=("iop",),
                 services=("transportation-assistance", "telehealth"), payments=("medicaid",))
    answers = {**v1.BASE_ANSWERS, "frequency": "daily", "control": "many_times",
               "transport": "no"}
    body = text_of(answer_all(client, answers, extras={"payment": "medicaid"}))
    assert body.index("ZZZ Helpful IOP") < body.index("AAA Plain IOP")
    assert "Offers: Transportation help." in body
    assert "Accepts the payment you chose." in body


def test_adolescent_sees_only_programs_for_their_age(client):
    make_program(name="Teen IOP", levels=("iop",), age_min=13, age_max=17)
    make_program(name="Adult IOP", levels=("iop",), age_min=18)
    answers = {**v1.BASE_ANSWERS, "age_group": "under_18", "frequency": "daily",
               "control": "many_times"}
    body = text_of(answer_all(client, answers))
    assert "Teen IOP" in body
    assert "Adult IOP" not in body


def test_answers_never_reach_the_database(client):
    from django.contrib.sessions.models import Session

    answer_all(client, {**v1.BASE_ANSWERS, "substances": ["stimulants"], "pregnant": "yes"},
               extras={"language": "es"})
    assert client.session[SESSION_KEY]["answers"]["substances"] == ["stimulants"]
    assert Session.objects.count() == 0  # sessions live in the cache only
    assert ScreeningOutcome.objects.count() == 1


def test_outcome_is_de_identified_and_recorded_once_per_run(client):
    answers = {**v1.BASE_ANSWERS, "housing": "no", "frequency": "daily", "control": "many_times"}
    answer_all(client, answers)
    client.get("/screening/result/")
    assert ScreeningOutcome.objects.count() == 1
    outcome = ScreeningOutcome.objects.get()
    assert outcome.level == "residential"
    assert outcome.unmet_requirements == ["sober_housing"]
    assert outcome.crisis is False
    assert outcome.questionnaire_version == 1
    field_names = {f.name for f in ScreeningOutcome._meta.get_fields()}
    assert field_names == {
        "id", "date", "questionnaire_version", "level", "crisis", "unmet_requirements",
    }


def test_result_query_count_does_not_grow_with_programs(client):
    answers = {**v1.BASE_ANSWERS, "frequency": "daily", "control": "many_times",
               "transport": "no"}
    for _ in range(3):
        make_program(levels=("iop",), services=("telehealth", "transportation-assistance"),
                     locations=2)
    answer_all(client, answers)
    client.get("/screening/result/")  # warm the rules cache
    with CaptureQueriesContext(connection) as few:
        client.get("/screening/result/")
    for _ in range(25):
        make_program(levels=("iop",), services=("telehealth", "case-management"), locations=2)
    with CaptureQueriesContext(connection) as many:
        client.get("/screening/result/")
    assert len(many) == len(few)
    assert len(many) <= 12


def test_intro_offers_resume_after_some_answers(client):
    client.post("/screening/step/safety/",
                {**step_data(v1.BASE_ANSWERS, "safety"), "action": "next"})
    body = text_of(client.get("/screening/"))
    assert "Continue where you left off" in body
    assert 'href="/screening/step/use/"' in body


def test_post_to_a_later_step_without_earlier_answers_keeps_it_and_explains(client):
    # As after the 2-hour expiry: the session is empty, the person submits step 3.
    response = client.post(
        "/screening/step/withdrawal/",
        {"withdrawal": "mild", "withdrawal_danger": "no", "action": "next"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/screening/step/safety/"
    assert "erased after 2 hours without activity" in text_of(response)
    assert client.session[SESSION_KEY]["answers"] == {
        "withdrawal": ["mild"], "withdrawal_danger": ["no"],
    }
    # Going on from step 1 reaches the withdrawal step with its answers still checked.
    answers = v1.TEST_CASES[0]["answers"]
    for step in ("safety", "use"):
        client.post(f"/screening/step/{step}/", {**step_data(answers, step), "action": "next"})
    body = text_of(client.get("/screening/step/withdrawal/"))
    assert re.search(r'value="mild" id="id_withdrawal_\d" checked', body)


def test_get_of_a_later_step_first_asks_for_the_first_step(client):
    response = client.get("/screening/step/health/", follow=True)
    assert response.redirect_chain[-1][0] == "/screening/step/safety/"
    assert "Please start with this step." in text_of(response)
