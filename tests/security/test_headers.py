"""Security headers and cookies on every response (DESIGN §7)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)

#: The first page of the live questionnaire (version 2), fully answered.
FIRST_PAGE = {"suicide_thoughts": "no", "suicide_behavior": "no", "harm_others": "no",
              "danger_now": "no"}


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_strict_csp(response):
    csp = csp_directives(response)
    assert csp["default-src"] == ["'self'"]
    script = csp.get("script-src", csp["default-src"])
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]


def assert_hardening_headers(response):
    assert response["Referrer-Policy"] in ("no-referrer", "same-origin")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in policy
    assert re.fullmatch(r"[A-Za-z0-9._-]{8,64}", response["X-Request-ID"])


def test_every_public_page_has_csp_and_hardening_headers(client, public_pages):
    for path in public_pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict_csp(response)
        assert_hardening_headers(response)


@pytest.mark.parametrize(
    "path", ["/no-such-page/", "/healthz", "/readyz", "/admin/login/", "/programs/nope/"]
)
def test_errors_health_and_admin_have_the_headers_too(client, path):
    response = client.get(path)
    assert_strict_csp(response)
    assert_hardening_headers(response)


def test_admin_change_form_has_the_csp(admin_client, program):
    response = admin_client.get(f"/admin/iop/program/{program.pk}/change/")
    assert response.status_code == 200
    assert_strict_csp(response)


def test_request_id_from_a_proxy_is_kept_when_sane_and_replaced_when_not(client):
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-1234abcd"})
    assert kept["X-Request-ID"] == "lb-1234abcd"
    forged = client.get("/healthz", headers={"X-Request-ID": "x\nInjected: log line"})
    assert forged["X-Request-ID"] != "x\nInjected: log line"
    assert re.fullmatch(r"[0-9a-f]{32}", forged["X-Request-ID"])


# --------------------------------------------------------------------------- caching


@pytest.mark.parametrize(
    "path", ["/screening/", "/screening/step/suicide_thoughts/", "/screening/step/programs/",
             "/screening/result/"],
)
def test_screening_pages_are_never_cached(client, path):
    response = client.get(path)
    assert "no-store" in response["Cache-Control"]


def test_screening_post_response_is_never_cached(client):
    for data in ({"suicide_thoughts": "no", "action": "next"},  # a form error
                 {**FIRST_PAGE, "action": "next"}):  # a redirect to the next page
        response = client.post("/screening/step/suicide_thoughts/", data)
        assert "no-store" in response["Cache-Control"], response.status_code


# --------------------------------------------------------------------------- cookies


def test_reading_pages_sets_no_cookies(client, public_pages):
    for path in public_pages:
        if path.startswith("/screening/"):
            continue
        response = client.get(path)
        assert dict(response.cookies) == {}, (path, list(response.cookies))


def test_screening_sets_only_session_and_csrf_cookies(client):
    seen = set()
    for path in ["/screening/", "/screening/step/suicide_thoughts/"]:
        seen |= set(client.get(path).cookies)
    response = client.post("/screening/step/suicide_thoughts/", {**FIRST_PAGE, "action": "next"})
    assert response.status_code == 302
    seen |= set(response.cookies)
    next_page = client.get(response["Location"])
    assert next_page.status_code == 200
    seen |= set(next_page.cookies)
    # A message ("Please answer this step first") rides in the session, not a cookie.
    seen |= set(client.get("/screening/step/health/", follow=True).cookies)
    seen |= set(client.post("/screening/start-over/", follow=True).cookies)
    assert seen <= {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    assert settings.SESSION_COOKIE_NAME in seen


def test_session_and_csrf_cookies_are_httponly_and_lax(client):
    # The first page with a form sets the CSRF cookie (once per browser).
    csrf = client.get("/screening/step/suicide_thoughts/").cookies[settings.CSRF_COOKIE_NAME]
    assert csrf.value
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    assert not csrf["max-age"] and not csrf["expires"]  # ends when the browser closes
    response = client.post("/screening/step/suicide_thoughts/", {**FIRST_PAGE, "action": "next"})
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert int(session["max-age"]) <= 2 * 60 * 60
    # The admin sign-in form sets it too.
    admin_csrf = client.__class__().get("/admin/login/").cookies[settings.CSRF_COOKIE_NAME]
    assert admin_csrf["httponly"] and admin_csrf["samesite"] == "Lax"


def test_no_messages_cookie_even_after_a_message(client):
    response = client.get("/screening/result/")  # no answers: redirect with a message
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert "Please answer the questions first" in follow.content.decode()
    assert "messages" not in response.cookies and "messages" not in follow.cookies


# --------------------------------------------------------------------------- templates


TEMPLATE_FILES = sorted(
    p for p in (ROOT / "templates").rglob("*.html")
)


def test_templates_have_no_inline_script_style_or_event_handlers():
    problems = []
    for path in TEMPLATE_FILES:
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT)
        for match in re.finditer(r"<script\b([^>]*)>", text, re.I):
            attrs = match.group(1)
            if "src=" not in attrs and "application/json" not in attrs:
                problems.append(f"{rel}: inline <script>")
        if re.search(r"<style\b", text, re.I):
            problems.append(f"{rel}: <style> element")
        if re.search(r"\sstyle\s*=", text, re.I):
            problems.append(f"{rel}: style= attribute")
        if re.search(r"\son[a-z]+\s*=", text, re.I):
            problems.append(f"{rel}: on*= event handler")
        if re.search(r"javascript:", text, re.I):
            problems.append(f"{rel}: javascript: URL")
    assert problems == []
