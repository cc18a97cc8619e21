"""The result page as a person in trouble uses it (issue 11): emergency help first, a top box
with the level and the safety notes, cards to call, a summary without answers, quick exit,
and a result that erases itself after 30 minutes."""

import re
import time
from html import unescape
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iop.crisis import crisis_lines
from screening import result_views
from screening.flow import RESULT_KEY, SESSION_KEY
from tests.factories import make_program
from tests.screening.helpers import V2, answer_all, answer_pages, text_of, v2_answers

pytestmark = pytest.mark.django_db

IOP = {"frequency": "daily", "control": "many_times"}  # intensive outpatient
PREGNANT_OPIOIDS = v2_answers(pregnant="yes", substances=["opioids"], **IOP)
CRISIS = v2_answers(suicide_thoughts="thoughts")
EMERGENCY = v2_answers(danger_now="yes")


def main_of(response) -> str:
    body = response.content.decode()
    return body[body.index("<main"):body.index("</main>")]


def tel_links(html: str) -> list[str]:
    return re.findall(r'href="(tel:[^"]+)"', html)


def cards_of(html: str) -> list[str]:
    return re.findall(r'<article class="program-card">.*?</article>', html, flags=re.S)


def top_box(html: str) -> str:
    start = html.index('<section class="result-top')
    return html[start:html.index("<div class=\"result-more", start)]


def snapshot(client) -> dict:
    return client.session[RESULT_KEY]


def store(client, data) -> None:
    session = client.session
    session[RESULT_KEY] = data
    session.save()


# --------------------------------------------------------------------------- emergency, crisis


def test_emergency_result_has_911_as_first_call_link_and_no_level_heading(client):
    make_program(name="Routine IOP", phone="555-010-0100")
    response = answer_all(client, EMERGENCY)
    main = main_of(response)
    assert tel_links(main)[:2] == ["tel:911", "tel:988"]
    assert re.search(r"<h1[^>]*>Please get help right now</h1>", main)
    assert main.index('id="crisis"') < main.index("When you are safe")
    assert 'id="level-title"' not in main
    assert "Suggested level of care" not in main
    assert not cards_of(main)
    assert "you are ready" not in main.lower()
    assert "Routine IOP" not in main


def test_crisis_result_has_988_first_and_says_reach_out_today(client):
    response = answer_all(client, CRISIS)
    main = main_of(response)
    assert tel_links(main)[0] == "tel:988"
    assert "tel:911" in tel_links(main)
    assert main.index('id="crisis"') < main.index("reach out today") < main.index(
        'id="level-title"')


# --------------------------------------------------------------------------- the top box


def test_top_box_holds_level_safety_notes_main_reason_and_a_call_to_action(client):
    make_program(name="Pregnancy IOP", phone="555-010-0111")
    response = answer_all(client, PREGNANT_OPIOIDS)
    main = main_of(response)
    top = top_box(main)
    assert re.search(r'<h1 id="level-title"[^>]*>Suggested level of care: Intensive outpatient',
                     top)
    assert "Keep yourself safe" in top
    # Every safety note is in the box: long ones show their first sentence and fold the rest.
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", top)))
    for key in ("pregnancy_moud", "naloxone", "medical_review"):
        note = V2.flags_by_key[key].note
        assert note.split(". ")[0] in text, key
        assert note.split(". ")[-1] in text, key
    assert "The main reasons:" in top or "The main reason:" in top
    assert 'href="#programs"' in top and "See programs you can call" in top
    assert 'id="programs"' in main


def test_more_about_the_result_is_folded_and_the_next_step_is_not(client):
    answers = v2_answers(**IOP, transport="no", alcohol_frequency="4_plus_a_week",
                         alcohol_binge="weekly")
    main = main_of(answer_all(client, answers))
    folds = re.findall(r'<details class="fold">.*?</details>', main, flags=re.S)
    titles = [re.search(r'class="fold-title">([^<]+)<', fold).group(1) for fold in folds]
    assert titles[:3] == ["Why we suggest this", "Your scores",
                          "Things to sort out, and what can help"]
    assert "Reliable transport" in folds[2]
    assert "out of 12" in folds[1]
    assert "Copy a short summary" in titles
    assert not any('id="next-steps-title"' in fold for fold in folds)


# --------------------------------------------------------------------------- program cards


def test_every_card_has_an_accepting_status_and_a_call_link_when_it_has_a_phone(client):
    make_program(name="Open IOP", phone="(555) 010-0123", accepting="yes")
    make_program(name="Waiting IOP", phone="555-010-0124", accepting="waitlist",
                 accepting_note="About two weeks")
    make_program(name="Full IOP", phone="555-010-0125", accepting="no",
                 accepting_note="Opens again in May")
    make_program(name="No Phone IOP", accepting="yes")
    cards = cards_of(main_of(answer_all(client, v2_answers(**IOP))))
    assert len(cards) == 4
    statuses = {"Accepting new patients", "Waitlist", "Not accepting new patients"}
    for card in cards:
        status = re.search(r'<span class="status-(yes|waitlist|no)">([^<]+)</span>', card)
        assert status and status.group(2) in statuses, card
        name = re.search(r"<h3><a href=\"/programs/[^\"]+/\">([^<]+)</a>", card).group(1)
        if name == "No Phone IOP":
            assert "tel:" not in card
            assert "See how to reach them" in card  # the detail page says how
        else:
            assert len(tel_links(card)) == 1, name
    waiting = next(card for card in cards if "Waiting IOP" in card)
    assert "Waitlist</span> — About two weeks" in waiting
    assert 'href="tel:5550100124"' in waiting
    assert "Opens again in May" in next(card for card in cards if "Full IOP" in card)


def test_cards_say_how_far_or_telehealth_in_your_state(client):
    make_program(name="Near IOP", phone="555-010-0130")  # New York, NY 10001
    make_program(name="Video IOP", phone="555-010-0131", telehealth=True,
                 telehealth_states="NY", state="CA", city="Los Angeles", postal_code="90001",
                 latitude=34.05, longitude=-118.24)
    main = main_of(answer_all(client, v2_answers(**IOP), extras={"zip": "10001"}))
    cards = cards_of(main)
    near = next(card for card in cards if "Near IOP" in card)
    video = next(card for card in cards if "Video IOP" in card)
    assert re.search(r"About \d+\.\d miles away", near)
    assert "Telehealth (video sessions) in your state" in video
    assert "miles away" not in video
    programs = [group["programs"] for group in snapshot(client)["groups"]][0]
    assert [entry[3] for entry in programs if entry[2] is None] == ["NY"]


def test_no_program_within_the_radius_says_so_and_shows_telehealth_and_the_helpline(client):
    make_program(name="Far IOP", phone="555-010-0140", state="CA", city="Los Angeles",
                 postal_code="90001", latitude=34.05, longitude=-118.24)
    make_program(name="Video IOP", phone="555-010-0141", telehealth=True,
                 telehealth_states="NY", state="CA", city="San Diego", postal_code="92101",
                 latitude=32.72, longitude=-117.16)
    main = main_of(answer_all(client, v2_answers(**IOP),
                              extras={"zip": "10001", "radius": "50"}))
    programs = main[main.index('id="programs"'):]
    assert "We found no program within 50 miles of your ZIP code." in programs
    assert "Far IOP" not in main
    assert "Video IOP" in programs
    helpline = next(line for line in crisis_lines() if "Helpline" in line.name)
    assert f'href="{helpline.href}"' in programs
    assert helpline.name in programs


def test_full_list_link_keeps_the_level_and_radius_but_not_the_zip(client):
    make_program(name="Near IOP", phone="555-010-0150")
    response = answer_all(client, v2_answers(**IOP), extras={"zip": "10001", "radius": "25"})
    main = main_of(response)
    form = re.search(r'<form method="get" action="/programs/".*?</form>', main, re.S).group(0)
    assert '<input type="hidden" name="level" value="iop">' in form
    assert '<input type="hidden" name="radius" value="25">' in form
    assert 'name="near"' in form and "10001" not in form
    assert "10001" not in repr(snapshot(client))
    assert "10001" not in main


# --------------------------------------------------------------------------- summary


def test_summary_is_a_plain_text_download_without_answers(client):
    make_program(name="Summary IOP", phone="(555) 010-0160", accepting="waitlist",
                 accepting_note="About a week")
    answer_all(client, PREGNANT_OPIOIDS, extras={"zip": "10001"})
    response = client.get("/screening/result/summary.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert "Suggested level of care: Intensive outpatient (IOP)" in text
    assert V2.flags_by_key["pregnancy_moud"].note in text
    assert "Your next step" in text
    assert "Summary IOP" in text and "(555) 010-0160" in text
    assert "Waitlist: About a week" in text
    for line in crisis_lines():
        assert line.number in text
    # No answers: no ZIP code, no answer labels, no question keys.
    assert "10001" not in text
    for key, value in PREGNANT_OPIOIDS.items():
        question = V2.question(key)
        for one in value if isinstance(value, list) else [value]:
            label = question.option(one).label
            assert f"“{label}”" not in text, key
            if len(label) > 12:
                assert label not in text, (key, label)
        if "_" in key:
            assert key not in text
    # The page offers the same text to copy, without JavaScript.
    page = client.get("/screening/result/").content.decode()
    area = re.search(r'<textarea[^>]*id="summary-text"[^>]*readonly>(.*?)</textarea>', page,
                     re.S)
    assert unescape(area.group(1)).strip() == text.strip()
    assert 'href="/screening/result/summary.txt"' in page


def test_emergency_summary_puts_911_first_and_lists_no_programs(client):
    make_program(name="Routine IOP", phone="555-010-0170")
    answer_all(client, EMERGENCY)
    text = client.get("/screening/result/summary.txt").content.decode()
    assert text.index("Call 911") < text.index("Call 988")
    assert "When you are safe" in text
    assert "Routine IOP" not in text and "Suggested level of care" not in text


def test_summary_without_a_result_goes_to_the_start(client):
    response = client.get("/screening/result/summary.txt")
    assert response.status_code == 302
    assert response["Location"] == "/screening/"


# --------------------------------------------------------------------------- quick exit


@pytest.mark.parametrize("answers", [v2_answers(**IOP), CRISIS, EMERGENCY],
                         ids=["normal", "crisis", "emergency"])
def test_result_has_a_quick_exit_link_at_the_top(client, answers):
    main = main_of(answer_all(client, answers))
    link = re.search(r'<a class="quick-exit-link" href="/leave/" data-quick-exit>Leave this site',
                     main)
    assert link
    assert link.start() < main.find('id="crisis"') or 'id="crisis"' not in main
    assert link.start() < main.find("<h1") or "<h1" not in main[:link.start()]
    assert '<script src="/static/js/quick-exit.js" defer></script>' in main


def test_leave_erases_the_result_and_shows_a_neutral_page(client):
    answer_all(client, v2_answers(**IOP))
    response = client.get("/leave/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert RESULT_KEY not in client.session and SESSION_KEY not in client.session
    assert client.get("/screening/result/").status_code == 302
    body = response.content.decode()
    assert re.search(r"<title>[^<]+</title>", body)
    for word in ("IOP", "Navigator", "screening", "treatment", "crisis", "988", "program",
                 "/screening/", "Leave this site"):
        assert word.lower() not in body.lower(), word


def test_leave_erases_answers_in_progress(client):
    answer_pages(client, v2_answers(**IOP))  # every question answered, no result yet
    assert SESSION_KEY in client.session
    client.get("/leave/")
    assert SESSION_KEY not in client.session
    assert client.get("/screening/check/").status_code == 302


# --------------------------------------------------------------------------- erase, expiry


def test_result_offers_erase_and_start_again(client):
    main = main_of(answer_all(client, v2_answers(**IOP)))
    form = re.search(r'<form method="post" action="/screening/start-over/".*?</form>', main,
                     re.S).group(0)
    assert "Erase and start again" in form
    assert "for 30 minutes" in main and "2 hours" not in main
    response = client.post("/screening/start-over/")
    assert response.status_code == 302
    assert RESULT_KEY not in client.session


def test_result_expires_30_minutes_after_it_is_shown(client, monkeypatch):
    assert settings.SCREENING_RESULT_SECONDS == 30 * 60
    answer_all(client, v2_answers(**IOP))
    assert client.session.get_expiry_age() == 30 * 60  # the session ends with it
    created = snapshot(client)["created"]

    def at(seconds):
        monkeypatch.setattr(result_views, "time", SimpleNamespace(time=lambda: created + seconds))

    at(30 * 60 - 5)
    assert client.get("/screening/result/").status_code == 200
    at(30 * 60 + 5)
    response = client.get("/screening/result/", follow=True)
    assert response.redirect_chain[-1][0] == "/screening/"
    assert "kept for 30 minutes only" in text_of(response)
    assert RESULT_KEY not in client.session
    at(0)
    assert client.get("/screening/result/").status_code == 302  # erased, not only hidden


def well_formed() -> dict:
    return {
        "created": int(time.time()), "version": 2, "level": "iop", "crisis": False,
        "emergency": False, "next_step": None, "reasons": [], "unmet": [], "notes": [],
        "tips": [], "next_steps": [], "scores": [],
        "groups": [{"level": "iop", "after": None, "radius": 50, "nearby": 1,
                    "programs": [[1, ["why"], 3.2, None], [2, ["why"], None, "NY"]]}],
    }


def test_a_well_formed_snapshot_is_shown(client):
    store(client, well_formed())
    assert client.get("/screening/result/").status_code == 200
    assert client.get("/screening/result/summary.txt").status_code == 200


def _changed(path, value):
    data = well_formed()
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


TAMPERED = {
    "no created": (("created",), KeyError),
    "created text": (("created",), "1700000000"),
    "created in the future": (("created",), int(time.time()) + 10 * 24 * 3600),
    "old program entry": (("groups", 0, "programs"), [[1, ["why"]]]),
    "miles text": (("groups", 0, "programs"), [[1, ["why"], "3.2", None]]),
    "miles negative": (("groups", 0, "programs"), [[1, ["why"], -1, None]]),
    "miles not a number": (("groups", 0, "programs"), [[1, ["why"], float("nan"), None]]),
    "miles true": (("groups", 0, "programs"), [[1, ["why"], True, None]]),
    "state not a code": (("groups", 0, "programs"), [[1, ["why"], None, "New York"]]),
    "state a number": (("groups", 0, "programs"), [[1, ["why"], None, 36]]),
    "radius text": (("groups", 0, "radius"), "50"),
    "nearby missing": (("groups", 0, "nearby"), KeyError),
    "nearby negative": (("groups", 0, "nearby"), -1),
    "groups not a list": (("groups",), {"level": "iop"}),
}


@pytest.mark.parametrize(("path", "value"), TAMPERED.values(), ids=TAMPERED)
def test_tampered_snapshot_is_treated_as_no_snapshot_not_a_500(client, path, value):
    store(client, _changed(path, value))
    response = client.get("/screening/result/")
    assert response.status_code == 302
    assert client.get("/screening/result/summary.txt").status_code == 302
    assert client.get("/screening/").status_code == 200


# --------------------------------------------------------------------------- queries


def test_result_reload_query_count_does_not_grow_with_programs(client):
    def reload_queries(count: int) -> int:
        for n in range(count):
            make_program(name=f"IOP {count}-{n}", phone="555-010-0199", locations=2)
        answer_all(client, v2_answers(**IOP), extras={"zip": "10001"})
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/screening/result/").status_code == 200
        with CaptureQueriesContext(connection) as summary:
            assert client.get("/screening/result/summary.txt").status_code == 200
        return len(queries), len(summary)

    assert reload_queries(1) == reload_queries(6)


def test_cards_name_the_place_of_the_first_location_unless_a_distance_decides(client):
    program = make_program(name="Two Places IOP", phone="555-010-0132", locations=2)
    first = program.locations.order_by("pk").first()
    first.city = "Albany"
    first.save()
    card = next(card for card in cards_of(main_of(answer_all(client, v2_answers(**IOP))))
                if "Two Places IOP" in card)
    place = '<span class="text-muted-strong">{}, NY</span>'
    assert place.format("Albany") in card and place.format("New York") not in card
    client.post("/screening/start-over/")
    card = next(card for card in cards_of(main_of(answer_all(
        client, v2_answers(**IOP), extras={"zip": "10001"}))) if "Two Places IOP" in card)
    assert "miles away" in card  # the reasons name the nearest place; no other place is shown
    assert place.format("Albany") not in card and place.format("New York") not in card
