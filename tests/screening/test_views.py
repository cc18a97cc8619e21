"""The questionnaire as a person uses it: steps, Back, Start over, result, privacy."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from screening import default_questionnaire as v1
from screening import engine
from screening.models import ScreeningOutcome
from screening.rules import live_rules
from screening.views import RESULT_KEY, SESSION_KEY
from tests.factories import make_program

pytestmark = pytest.mark.django_db

STEP_KEYS = ["safety", "use", "withdrawal", "health", "situation"]


def step_data(answers: dict, step: str) -> dict:
    keys = [q["key"] for q in v1.QUESTIONS if q["step"] == step]
    return {key: answers[key] for key in keys if key in answers}


def answer_steps(client, answers: dict, steps=STEP_KEYS):
    """Answer the question steps (not the last, optional one), so no result yet."""
    for step in steps:
        response = client.post(
            f"/screening/step/{step}/", {**step_data(answers, step), "action": "next"}
        )
        assert response.status_code == 302, (step, response.content[:2000])


def answer_all(client, answers: dict, extras: dict | None = None):
    answer_steps(client, answers)
    response = client.post("/screening/step/programs/", {**(extras or {}), "action": "next"})
    assert response.status_code == 302
    assert response["Location"] == "/screening/result/"
    return client.get("/screening/result/")


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def result_program_slugs(response) -> list[str]:
    """The programs listed on a result page, in order (every group)."""
    return re.findall(
        r'<article class="program-card">\s*<h3><a href="/programs/([^/"]+)/"',
        response.content.decode(),
    )


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
    answer_steps(client, v1.BASE_ANSWERS, STEP_KEYS[:2])
    assert SESSION_KEY in client.session
    response = client.post("/screening/start-over/")
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert "Your answers have been erased." in text_of(client.get("/screening/"))


def test_start_again_on_the_result_erases_the_result(client):
    body = text_of(answer_all(client, v1.BASE_ANSWERS))
    assert re.search(r'<form method="post" action="/screening/start-over/"[^>]*>.*?'
                     r'<button type="submit"[^>]*>Start again</button>', body)
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


def test_withdrawal_result_lists_withdrawal_programs_then_iop_for_afterwards(client):
    iop = make_program(name="AAA Step Down IOP", levels=("iop",))
    detox = make_program(name="ZZZ Detox Unit", levels=("withdrawal_management",))
    make_program(name="Only Outpatient", levels=("outpatient",))
    response = answer_all(client, {**v1.BASE_ANSWERS, "withdrawal": "strong"})
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

    answer_steps(client, {**v1.BASE_ANSWERS, "substances": ["stimulants"], "pregnant": "yes"})
    assert client.session[SESSION_KEY]["answers"]["substances"] == ["stimulants"]
    client.post("/screening/step/programs/", {"language": "es", "action": "next"})
    client.get("/screening/result/")
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


@pytest.mark.parametrize(
    "answers",
    [{**v1.BASE_ANSWERS, "frequency": "daily", "control": "many_times", "transport": "no"},
     {**v1.BASE_ANSWERS, "withdrawal": "strong", "transport": "no", "support": "some"}],
    ids=["iop", "withdrawal-then-iop"],
)
@pytest.mark.parametrize("extras", [{}, {"zip": "10001", "payment": "medicaid"}],
                         ids=["no-extras", "zip"])
def test_result_query_count_does_not_grow_with_programs(client, answers, extras):
    def add_programs(count):
        for n in range(count):
            make_program(levels=("iop", "withdrawal_management")[: 1 + n % 2],
                         services=("telehealth", "transportation-assistance", "case-management"),
                         locations=2)

    def finish():
        client.post("/screening/start-over/")
        answer_steps(client, answers)
        with CaptureQueriesContext(connection) as computed:
            client.post("/screening/step/programs/", {**extras, "action": "next"})
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


# --------------------------------------------------------------------------- crisis on steps


def later_steps_after(client, answers: dict, first: str):
    """Answer up to and including `first`; then yield each later step page (GET) in turn,
    answering it to reach the next one."""
    keys = [*STEP_KEYS, "programs"]
    answer_steps(client, answers, STEP_KEYS[: STEP_KEYS.index(first) + 1])
    for step in keys[keys.index(first) + 1:]:
        response = client.get(f"/screening/step/{step}/")
        assert response.status_code == 200, step
        yield step, text_of(response)
        if step in STEP_KEYS:
            client.post(f"/screening/step/{step}/", {**step_data(answers, step), "action": "next"})


def crisis_panel(body: str) -> str:
    start = body.index('<section class="crisis-panel')
    return body[start:body.index("</section>", start)]


@pytest.mark.parametrize(
    ("answer", "step", "first_line"),
    [({"safety": "thoughts"}, "safety", "tel:988"),
     ({"safety": "danger_now"}, "safety", "tel:911"),
     ({"withdrawal_danger": "now"}, "withdrawal", "tel:911")],
    ids=["thoughts-988", "danger-now-911", "withdrawal-danger-now-911"],
)
def test_every_step_after_a_crisis_answer_shows_the_crisis_panel_first(
    client, answer, step, first_line
):
    answers = {**v1.BASE_ANSWERS, **answer}
    seen = []
    for later, body in later_steps_after(client, answers, step):
        seen.append(later)
        main = body[body.index('<main'):]
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
    assert seen[-1] == "programs"


def test_steps_before_a_crisis_answer_and_without_one_show_no_crisis_panel(client):
    for _step, body in later_steps_after(client, v1.BASE_ANSWERS, "safety"):
        assert "crisis-panel" not in body
    client.post("/screening/start-over/")
    answer_steps(client, v1.BASE_ANSWERS, STEP_KEYS[:1])
    assert "crisis-panel" not in text_of(client.get("/screening/step/use/"))


def test_step_crisis_panel_follows_the_live_rules_option_data(client, monkeypatch):
    """Crisis and emergency come from the published options, not from fixed keys: mark
    'daily' use as an emergency crisis in the rules, and the next step shows 911 first."""
    import dataclasses

    from screening import views

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
    monkeypatch.setattr(views, "live_rules",
                        lambda: dataclasses.replace(rules, questionnaire=questionnaire))
    answers = {**v1.BASE_ANSWERS, "frequency": "daily"}
    answer_steps(client, answers, STEP_KEYS[:1])
    assert "crisis-panel" not in text_of(client.get("/screening/step/use/"))
    answer_steps(client, answers, STEP_KEYS[1:2])
    panel = crisis_panel(text_of(client.get("/screening/step/withdrawal/")))
    assert re.findall(r'href="(tel:\d+)"', panel)[0] == "tel:911"


# --------------------------------------------------------------------------- answers erased


def test_result_erases_answers_and_zip_keeping_only_the_result(client):
    make_program(name="Near IOP", levels=("iop",))
    answers = {**v1.BASE_ANSWERS, "frequency": "daily", "control": "many_times"}
    answer_steps(client, answers)
    client.post("/screening/step/programs/", {"zip": "10001", "payment": "medicaid",
                                              "action": "next"})
    response = client.get("/screening/result/")
    assert response.status_code == 200
    assert "Near IOP" in text_of(response)
    assert "miles from your ZIP code (New York, NY)" in text_of(response)  # the ZIP was used
    session = client.session
    assert SESSION_KEY not in session
    snapshot = session[RESULT_KEY]
    assert set(snapshot) == {
        "version", "level", "crisis", "emergency", "next_step", "reasons", "unmet", "notes",
        "readiness", "groups",
    }
    stored = repr(dict(session.items()))
    assert "10001" not in stored
    assert "medicaid" not in stored
    for key in ("answers", "extras", "frequency", "age_group", "zip"):
        assert f"'{key}'" not in stored, key


def test_result_reload_uses_the_snapshot_and_records_the_outcome_once(client):
    program = make_program(name="Reload IOP", levels=("iop",),
                           services=("transportation-assistance",))
    answers = {**v1.BASE_ANSWERS, "frequency": "daily", "control": "many_times",
               "transport": "no"}
    first = answer_all(client, answers, extras={"zip": "10001"})
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
    body = text_of(answer_all(client, v1.BASE_ANSWERS))
    assert "We erased your answers, and your ZIP code if you gave one, when we showed this " \
        "result." in body
    assert "Change my answers" not in body
    assert 'href="/screening/step/' not in body


def test_steps_after_the_result_start_empty(client):
    answer_all(client, v1.BASE_ANSWERS)
    body = text_of(client.get("/screening/step/safety/"))
    assert " checked" not in body
    response = client.get("/screening/step/use/", follow=True)
    assert response.redirect_chain[-1][0] == "/screening/step/safety/"
    assert "We erased your answers when we showed your result." in text_of(response)
    # The result stays until new answers begin a new screening.
    assert client.get("/screening/result/").status_code == 200
    assert "See your result again" in text_of(client.get("/screening/"))
    answer_steps(client, v1.BASE_ANSWERS, STEP_KEYS[:1])
    assert RESULT_KEY not in client.session
    assert client.get("/screening/result/").status_code == 302


def test_see_my_result_pressed_twice_shows_the_result(client):
    answer_all(client, v1.BASE_ANSWERS)
    response = client.post("/screening/step/programs/", {"action": "next"})
    assert response.status_code == 302
    assert response["Location"] == "/screening/result/"
    assert ScreeningOutcome.objects.count() == 1


def test_a_new_screening_after_the_result_records_a_new_outcome(client):
    answer_all(client, v1.BASE_ANSWERS)
    answer_all(client, {**v1.BASE_ANSWERS, "frequency": "daily", "control": "many_times"})
    assert list(ScreeningOutcome.objects.order_by("pk").values_list("level", flat=True)) == [
        "self_help", "iop",
    ]


@pytest.mark.parametrize("junk", [
    "x", [], {"groups": "x"}, {"version": 1, "level": 3},
    {"version": 1, "level": "iop", "crisis": True, "emergency": False, "next_step": None,
     "reasons": [], "unmet": [], "notes": [], "readiness": "", "groups": [
         {"level": "iop", "after": None, "programs": [["1", ["why"]]]}]},
])
def test_tampered_result_snapshot_is_ignored_not_500(client, junk):
    session = client.session
    session[RESULT_KEY] = junk
    session.save()
    response = client.get("/screening/result/")
    assert response.status_code == 302
    assert client.get("/screening/").status_code == 200


def test_crisis_panel_comes_before_any_message(client):
    answers = {**v1.TEST_CASES[0]["answers"], "safety": "danger_now"}
    client.post("/screening/step/safety/", {**step_data(answers, "safety"), "action": "next"})
    # Skipping a step adds a message ("Please answer this step first.").
    response = client.get("/screening/step/withdrawal/", follow=True)
    body = response.content.decode()
    assert "Please answer this step first." in body
    assert 0 < body.index('id="crisis"') < body.index('class="messages"')


def test_screening_pages_answer_head(client):
    assert client.head("/screening/").status_code == 200
    assert client.head("/screening/result/").status_code == 302  # nothing answered yet
