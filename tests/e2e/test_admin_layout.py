"""Every staff admin page fits a 1280 px screen (no sideways scrolling), and the public
"Report a problem with this listing" form works in a real browser at 375 px and 1280 px.

The admin walk starts at the index and follows what is reachable from it: each list, the
first rows of each list, each "add" page, and the draft version's questions, rules and scores
(made here with "Make a draft copy": the draft pages are the editable, widest ones).
"""

import re

import pytest

from tests.e2e.conftest import STAFF_PASSWORD, STAFF_USER

pytestmark = pytest.mark.e2e

DRAFT_MODELS = ["question", "rule", "score", "requirement", "severityband", "screeningtestcase"]
ROWS_PER_LIST = 3


def _sign_in(page):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(STAFF_USER)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def _sideways(page) -> int:
    """How many pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate(
        "Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


def _row_links(page, limit=ROWS_PER_LIST) -> list[str]:
    links = page.locator("#result_list tbody tr th a, #result_list tbody tr td.field-created a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    return list(dict.fromkeys(href for href in hrefs if href))[:limit]


def _draft_copy(page) -> str:
    """Make a draft copy of the published version; return its admin id."""
    page.goto("/admin/screening/questionnaire/")
    row = page.locator("#result_list tbody tr", has_text="Published").first
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", "make_draft_copy")
    with page.expect_navigation():
        page.locator("button[name=index], input[name=index]").first.click()
    page.goto("/admin/screening/questionnaire/?status__exact=draft")
    href = _row_links(page, 1)[0]
    return re.search(r"/questionnaire/(\d+)/", href).group(1)


def test_every_admin_page_fits_1280(page, screenshots):
    _sign_in(page)
    draft = _draft_copy(page)
    page.goto("/admin/")
    page.screenshot(path=screenshots / "admin-index-1280.png", full_page=True)
    index_links = page.locator("#content-main a")
    start = [index_links.nth(i).get_attribute("href") for i in range(index_links.count())]
    lists = [href for href in start if href and not href.endswith("/add/")]
    assert len(lists) >= 15, lists

    todo = list(dict.fromkeys(start))
    for href in lists:
        page.goto(href)
        todo.extend(_row_links(page))
    todo.append(f"/admin/screening/questionnaire/{draft}/change/")
    for model in DRAFT_MODELS:
        page.goto(f"/admin/screening/{model}/?questionnaire__id__exact={draft}")
        todo.extend(_row_links(page))
    todo.extend([
        f"/admin/screening/questionnaire/{draft}/publish/",
        f"/admin/screening/questionnaire/{draft}/testcases/",
    ])

    too_wide = {}
    for href in dict.fromkeys(todo):
        response = page.goto(href)
        assert response.status == 200, href
        if overflow := _sideways(page):
            too_wide[href] = overflow
    assert not too_wide, f"pages wider than 1280 px (by px): {too_wide}"
    for name, href in [
        ("admin-question-draft", f"/admin/screening/question/?questionnaire__id__exact={draft}"),
        ("admin-programs", "/admin/iop/program/"),
    ]:
        page.goto(href)
        if name == "admin-question-draft":
            page.goto(_row_links(page, 1)[0])
        page.screenshot(path=screenshots / f"{name}-1280.png", full_page=True)


def test_admin_index_grouped_by_task_in_plain_words(page):
    _sign_in(page)
    page.goto("/admin/")
    captions = [text.strip().lower() for text in
                page.locator("#content-main caption").all_inner_texts()]
    assert captions[:4] == ["listings", "screening rules", "site texts", "people and security"]
    text = page.locator("#content-main").inner_text()
    for jargon in ("AXES", "OTP_TOTP", "Historical", "TOTP"):
        assert jargon not in text


@pytest.mark.parametrize("width", [375, 1280])
def test_report_a_problem_form_in_browser(browser, server, screenshots, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, base_url=server)
    page = context.new_page()
    try:
        page.goto("/programs/")
        program = page.evaluate(
            "[...document.querySelectorAll('main a')].map(a => a.getAttribute('href'))"
            ".find(href => /^\\/programs\\/[^/?#]+\\/$/.test(href || ''))"
        )
        page.goto(program)
        with page.expect_navigation():
            page.get_by_role("link", name="Report a problem with this listing").click()
        assert page.locator("fieldset legend").first.is_visible()
        with page.expect_navigation():
            page.get_by_role("button", name="Send report").click()
        summary = page.locator("#error-summary")
        assert summary.is_visible()
        assert page.evaluate("document.activeElement.id") == "error-summary"
        assert page.title().startswith("Error:")
        assert _sideways(page) == 0
        page.screenshot(path=screenshots / f"report-form-error-{width}.png", full_page=True)
        page.get_by_label("The phone number is wrong or does not work").check()
        page.get_by_label("Tell us more (optional)").fill("The number rings out.")
        with page.expect_navigation():
            page.get_by_role("button", name="Send report").click()
        assert page.get_by_role("heading", name="Thank you for your report").is_visible()
        assert _sideways(page) == 0
        page.screenshot(path=screenshots / f"report-form-sent-{width}.png", full_page=True)
    finally:
        context.close()
