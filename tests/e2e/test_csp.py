"""The Content Security Policy breaks nothing: no violations on public pages or in the admin.

(Owned by the security work; it lives here to share the real server and browser fixtures.)
"""

import pytest

from tests.e2e.conftest import STAFF_PASSWORD, STAFF_USER

pytestmark = pytest.mark.e2e

PUBLIC = ["/", "/about-iop/", "/levels-of-care/", "/levels-of-care/iop/", "/programs/",
          "/privacy/", "/screening/", "/screening/step/suicide_thoughts/", "/no-such-page/"]
ADMIN = ["/admin/", "/admin/iop/program/", "/admin/iop/program/add/",
         "/admin/screening/questionnaire/", "/admin/screening/question/",
         "/admin/otp_totp/totpdevice/add/", "/admin/axes/accessattempt/"]


def csp_violations(messages):
    return [text for text in messages if "Content Security Policy" in text]


def watch(page):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(f"page error: {error}"))
    return messages


def test_public_pages_have_no_csp_violations(page):
    messages = watch(page)
    for path in PUBLIC:
        page.goto(path)
    page.goto("/programs/")
    with page.expect_navigation():
        page.locator(".program-card a[href^='/programs/']").first.click()
    page.wait_for_load_state()
    assert csp_violations(messages) == []
    assert not [m for m in messages if m.startswith("page error")]


def test_admin_works_under_the_csp(page):
    messages = watch(page)
    page.goto("/admin/login/")
    page.fill("#id_username", STAFF_USER)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    for path in ADMIN:
        assert page.goto(path).status == 200, path

    # The admin's own scripts run: the slug fills itself in from the name.
    page.goto("/admin/iop/program/add/")
    page.locator("#id_name").press_sequentially("Csp Check Program")
    assert page.input_value("#id_slug") == "csp-check-program"

    # Edit a program, then see the audit history and its revert page.
    page.goto("/admin/iop/program/")
    with page.expect_navigation():
        page.locator("#result_list tbody tr th a").first.click()
    change_url = page.url
    page.fill("#id_summary_en", "Checked in a real browser.")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    page.goto(change_url.replace("/change/", "/history/"))
    assert "Checked in a real browser." in page.content()
    with page.expect_navigation():
        page.locator("#change-history a[href*='/history/']").last.click()
    page.wait_for_load_state()
    assert page.locator("input[type=submit]").count()
    assert csp_violations(messages) == []
