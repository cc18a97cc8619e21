"""Error logs carry a request id and never what a person answered or typed."""

import io
import logging

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

# A complete first page of the live questionnaire (version 2), so the view goes on to save it.
ANSWERS = {"suicide_thoughts": "intent_or_plan"}
SECRET_VALUES = ("intent_or_plan",)


@pytest.fixture
def log_output():
    """What the configured console handler (settings.LOGGING) writes."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(old)


def test_error_log_has_request_id_and_no_screening_answers(log_output, monkeypatch):
    def broken(request, session):
        raise RuntimeError("could not save the state")

    monkeypatch.setattr("screening.views.session_save", broken)
    response = Client(raise_request_exception=False).post(
        "/screening/step/suicide_thoughts/", ANSWERS)
    assert response.status_code == 500
    log = log_output.getvalue()
    assert "Internal Server Error: /screening/step/suicide_thoughts/" in log
    assert f"[{response['X-Request-ID']}]" in log
    assert "RuntimeError" in log
    for value in SECRET_VALUES:
        assert value not in log


def test_not_found_log_has_no_search_text(log_output, client):
    response = client.get("/programs/no-such-program/", {"q": "my private search"})
    assert response.status_code == 404
    log = log_output.getvalue()
    assert f"[{response['X-Request-ID']}]" in log
    assert "my private search" not in log and "private" not in log


def test_error_reports_hide_post_values(rf):
    from django.views.debug import ExceptionReporter

    request = rf.post("/screening/step/suicide_thoughts/", ANSWERS)
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        report = ExceptionReporter(request, type(error), error, error.__traceback__)
        text = report.get_traceback_text()
    for value in SECRET_VALUES:
        assert value not in text
