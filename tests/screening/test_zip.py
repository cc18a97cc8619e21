"""The screening's optional ZIP answer: only programs within the radius (or with video sessions
for the person's state), nearest first among equals, never stored."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iop.geo import zip_lookup
from screening.flow import EXTRAS_PAGE, RESULT_KEY, SESSION_KEY
from screening.forms import ExtrasForm
from screening.models import ScreeningOutcome
from screening.selectors import program_matches
from tests.factories import make_program
from tests.screening.helpers import V2, answer_all, answer_pages, text_of, v2_answers

pytestmark = pytest.mark.django_db

IOP_ANSWERS = v2_answers(frequency="daily", control="many_times")
EXTRAS_URL = f"/screening/step/{EXTRAS_PAGE}/"


def extras_form(data):
    return ExtrasForm(data, questionnaire=V2)


def at_zip(zip_code, **fields):
    point = zip_lookup(zip_code)
    return make_program(
        name=fields.pop("name", f"IOP at {zip_code}"), city=point.city.title(),
        state=point.state, postal_code=zip_code, latitude=point.latitude,
        longitude=point.longitude, **fields,
    )


@pytest.fixture
def programs():
    return [
        at_zip("90012", name="AAA Los Angeles IOP"),
        at_zip("19103", name="BBB Philadelphia IOP"),
        at_zip("11201", name="CCC Brooklyn IOP"),
        at_zip("10601", name="DDD White Plains IOP"),
    ]


def test_extras_form_accepts_blank_or_known_zip():
    assert extras_form({"zip": ""}).is_valid()
    assert extras_form({"zip": " 10001 "}).is_valid()
    assert extras_form({"zip": " 10001 "}).valid_answers()["zip"] == "10001"


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [("00000", "unknown_zip", "We could not find ZIP code 00000."),
     ("1000", "invalid_zip", "“1000” is not a US ZIP code."),
     ("abcde", "invalid_zip", "“abcde” is not a US ZIP code.")],
)
def test_extras_form_rejects_bad_zip_naming_it(value, code, message):
    form = extras_form({"zip": value})
    assert not form.is_valid()
    assert form.has_error("zip", code)
    assert message in form.errors["zip"][0]


def test_program_matches_nearest_first_with_distance_within_the_radius(programs):
    point = zip_lookup("10001")
    matches = program_matches(level="iop", near=point.coordinates, state=point.state)
    assert [m.program.name for m in matches] == ["CCC Brooklyn IOP", "DDD White Plains IOP"]
    assert matches[0].miles == pytest.approx(3.77, rel=0.01)
    assert "About 3.8 miles from your ZIP code (Brooklyn, NY)." in matches[0].why
    wider = program_matches(level="iop", near=point.coordinates, state=point.state,
                            radius_miles=100)
    assert [m.program.name for m in wider] == [
        "CCC Brooklyn IOP", "DDD White Plains IOP", "BBB Philadelphia IOP",
    ]  # Los Angeles is never listed in person for New York


def test_program_matches_without_zip_keeps_name_order(programs):
    assert [m.program.name for m in program_matches(level="iop")] == [
        "AAA Los Angeles IOP", "BBB Philadelphia IOP", "CCC Brooklyn IOP", "DDD White Plains IOP",
    ]


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_program_matches_zip_costs_one_query_for_the_programs_that_may_be_near(programs, limit):
    point = zip_lookup("10001")
    with CaptureQueriesContext(connection) as without:
        program_matches(level="iop", limit=limit)
    with CaptureQueriesContext(connection) as with_zip:
        program_matches(level="iop", near=point.coordinates, state=point.state, limit=limit)
    assert len(with_zip) == len(without) + 1
    assert "iop_location" in with_zip.captured_queries[0]["sql"]  # read first, as ids


def test_screening_result_ranks_by_zip_and_never_stores_it(client, programs):
    body = text_of(answer_all(client, IOP_ANSWERS, extras={"zip": "10001"}))
    assert body.index("CCC Brooklyn IOP") < body.index("DDD White Plains IOP")
    assert "AAA Los Angeles IOP" not in body and "BBB Philadelphia IOP" not in body
    assert "About 3.8 miles from your ZIP code (Brooklyn, NY)." in body
    # Erased from the session once the result is shown; never in the database.
    assert SESSION_KEY not in client.session
    assert "10001" not in repr(client.session[RESULT_KEY])
    outcome = ScreeningOutcome.objects.get()
    assert "10001" not in repr([getattr(outcome, f.attname) for f in outcome._meta.fields])
    client.post("/screening/start-over/")
    assert RESULT_KEY not in client.session


def test_screening_bad_zip_shows_error_and_keeps_step(client, programs):
    assert answer_pages(client, IOP_ANSWERS) == EXTRAS_URL
    response = client.post(EXTRAS_URL, {"zip": "00000", "action": "next"})
    assert response.status_code == 200
    body = text_of(response)
    assert "We could not find ZIP code 00000." in body
    assert re.search(r'<input type="text" name="zip"[^>]*aria-invalid="true"', body)
    assert 'href="#id_zip"' in body


def test_extras_step_renders_zip_input(client):
    assert answer_pages(client, IOP_ANSWERS) == EXTRAS_URL
    body = text_of(client.get(EXTRAS_URL))
    assert 'name="zip"' in body and 'autocomplete="postal-code"' in body
