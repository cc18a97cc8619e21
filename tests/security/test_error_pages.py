"""Refused requests (CSRF, wrong method, too large) get a page in the site's voice."""

import pytest
from django.conf import settings
from django.test import Client

from tests.security.test_headers import assert_hardening_headers, assert_strict_csp

pytestmark = pytest.mark.django_db


def assert_friendly_error_page(response, status):
    body = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert 'href="tel:911"' in body and 'href="tel:988"' in body and 'href="sms:988"' in body
    assert "<style" not in body.lower() and " style=" not in body.lower()
    assert "no-store" in response["Cache-Control"]
    assert_strict_csp(response)
    assert_hardening_headers(response)
    return body


def test_csrf_failure_on_a_screening_step_explains_and_shows_crisis_lines():
    browser = Client(enforce_csrf_checks=True)
    browser.get("/screening/step/suicide_thoughts/")
    response = browser.post(
        "/screening/step/suicide_thoughts/",
        {"suicide_thoughts": "no", "suicide_behavior": "no", "harm_others": "no",
         "danger_now": "no", "action": "next"},
    )
    body = assert_friendly_error_page(response, 403)
    assert "We could not take that form" in body
    assert "reload the page" in body
    assert "CSRF" not in body  # no jargon


def test_csrf_failure_on_start_over_explains_and_shows_crisis_lines():
    response = Client(enforce_csrf_checks=True).post("/screening/start-over/")
    body = assert_friendly_error_page(response, 403)
    assert "We could not take that form" in body


def test_csrf_failure_on_the_admin_login_is_the_same_page():
    response = Client(enforce_csrf_checks=True).post(
        "/admin/login/", {"username": "x", "password": "y"}
    )
    assert_friendly_error_page(response, 403)


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/"), ("post", "/programs/"), ("put", "/screening/"),
     ("get", "/screening/start-over/"), ("delete", "/screening/step/suicide_thoughts/")],
)
def test_wrong_method_is_a_friendly_405_with_allow(client, method, path):
    response = getattr(client, method)(path)
    body = assert_friendly_error_page(response, 405)
    assert "This page cannot be used that way" in body
    assert response["Allow"]


def test_body_over_the_request_limit_is_a_friendly_413(client):
    response = client.post(
        "/screening/step/suicide_thoughts/", b"x" * (settings.MAX_REQUEST_BODY_BYTES + 1),
        content_type="application/octet-stream",
    )
    body = assert_friendly_error_page(response, 413)
    assert "That was too much to send" in body


@pytest.mark.parametrize(
    "path", ["/", "/about-iop/", "/levels-of-care/", "/levels-of-care/iop/", "/programs/",
             "/privacy/", "/healthz", "/readyz"],
)
def test_get_only_pages_answer_head(client, path):
    response = client.head(path)
    assert response.status_code == 200, path
    assert response.content == b""


def test_program_page_answers_head(client, program):
    assert client.head(f"/programs/{program.slug}/").status_code == 200
