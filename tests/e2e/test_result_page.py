"""The result page in a real browser (issue 11): the level and the safety notes on the first
phone screen, axe on every kind of result and on the quick-exit page, quick exit with and
without JavaScript, and the folded parts printed open."""

import re

import pytest

from tests.e2e.journeys import SAFE, answer_all
from tests.e2e.test_accessibility import axe_check, no_horizontal_scroll, report

pytestmark = pytest.mark.e2e

#: Answers by question key (whatever page asks them), questionnaire v2.
FITS_IOP = {
    **SAFE, "age_group": "26_64", "pregnant": "no_or_na", "substances": ["alcohol"],
    "frequency": "daily", "alcohol_frequency": "2_3_a_week", "alcohol_quantity": "3_4",
    "alcohol_binge": "monthly", "consequences": "some", "control": "many_times",
    "relapse": "no_or_na", "withdrawal": "mild", "withdrawal_danger": "no", "psychosis": "no",
    "phq_interest": "several_days", "phq_mood": "not_at_all", "mental_health": "no",
    "medical": "no", "housing": "yes", "transport": "sometimes", "support": "yes",
    "responsibilities": "yes", "recent_treatment": "no", "readiness": "ready",
}
PREGNANT_OPIOIDS = {**FITS_IOP, "pregnant": "yes", "substances": ["opioids"]}
CRISIS = {**FITS_IOP, "suicide_thoughts": "thoughts"}
EMERGENCY = {**FITS_IOP, "danger_now": "yes"}
RESULTS = {"normal": FITS_IOP, "crisis": CRISIS, "emergency": EMERGENCY}


def bottom(page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box, selector
    return box["y"] + box["height"] + page.evaluate("window.scrollY")


def test_level_and_safety_notes_fit_the_first_phone_screen(phone, browser, server, screenshots):
    answer_all(phone, PREGNANT_OPIOIDS, extras={"zip": "10001"})
    assert phone.locator("section.safety-notes li").count() >= 3
    level, notes = bottom(phone, "#level-title"), bottom(phone, "section.safety-notes")
    assert level <= 800, f"the level heading ends at {level}px"
    assert notes <= 800, f"the safety notes end at {notes}px"
    no_horizontal_scroll(phone, "result @375")
    phone.screenshot(path=screenshots / "result-pregnancy-opioids-375.png", full_page=True)
    # A folded note opens with a tap, without JavaScript's help.
    note = phone.locator("section.safety-notes details").first
    note.locator("summary").click()
    assert note.locator("p").is_visible()
    # The call to action jumps to the programs, each with a call link and an accepting status.
    phone.get_by_role("link", name="See programs you can call").click()
    assert phone.url.endswith("#programs")
    cards = phone.locator("#programs article.program-card")
    assert cards.count() >= 1
    for index in range(cards.count()):
        card = cards.nth(index)
        assert card.locator('a[href^="tel:"]').count() == 1
        assert card.locator('[class^="status-"]').count() == 1
    wide = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=server)
    page = wide.new_page()
    answer_all(page, PREGNANT_OPIOIDS, extras={"zip": "10001"})
    assert bottom(page, "section.safety-notes") <= 800
    page.screenshot(path=screenshots / "result-pregnancy-opioids-1280.png", full_page=True)
    wide.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_every_kind_of_result_and_the_leave_page_pass_axe(browser, server, screenshots, width):
    moderate = []
    for kind, answers in RESULTS.items():
        context = browser.new_context(viewport={"width": width, "height": 812}, base_url=server)
        page = context.new_page()
        answer_all(page, answers, extras={"zip": "10001"} if kind == "normal" else None)
        label = f"{kind} result @{width}"
        no_horizontal_scroll(page, label)
        moderate += axe_check(page, label)
        page.screenshot(path=screenshots / f"result-{kind}-{width}.png", full_page=True)
        if kind == "emergency":
            links = page.locator("main a[href^='tel:']").all_inner_texts()
            assert links[0].endswith("Call 911"), links  # "Emergency services\nCall 911"
            assert page.locator("#level-title").count() == 0
        else:
            # Everything folded, opened: still nothing serious.
            page.eval_on_selector_all("details", "all => all.forEach(d => d.open = true)")
            moderate += axe_check(page, f"{label}, folded parts open")
        context.close()
    context = browser.new_context(viewport={"width": width, "height": 812}, base_url=server)
    page = context.new_page()
    page.goto("/leave/")
    moderate += axe_check(page, f"leave page @{width}")
    assert page.locator("h1").count() == 1
    page.screenshot(path=screenshots / f"leave-{width}.png", full_page=True)
    context.close()
    report(f"result-page-{width}", moderate)


def test_quick_exit_replaces_the_page_with_javascript(phone):
    answer_all(phone, FITS_IOP)
    link = phone.get_by_role("link", name=re.compile("Leave this site"))
    box = link.bounding_box()
    assert box["height"] >= 44 and box["y"] < 812  # a big target, on the first screen
    link.focus()
    assert phone.evaluate("document.activeElement.dataset.quickExit") == ""
    length = phone.evaluate("history.length")
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    phone.wait_for_url("**/leave/")
    assert phone.evaluate("history.length") == length  # replaced, not added
    assert "IOP" not in phone.title() and "IOP" not in phone.inner_text("body")
    phone.go_back()
    assert "/screening/result/" not in phone.url
    phone.goto("/screening/result/")
    phone.wait_for_url("**/screening/")  # erased: nothing to show


def test_quick_exit_works_without_javascript(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 812}, base_url=server,
                                  java_script_enabled=False)
    page = context.new_page()
    answer_all(page, FITS_IOP)
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Leave this site")).click()
    assert page.url.endswith("/leave/")
    assert "Easy meals" in page.inner_text("h1")
    page.goto("/screening/result/")
    assert page.url.endswith("/screening/")
    context.close()


def test_the_result_prints_with_folded_parts_open_and_without_menus(page):
    answer_all(page, FITS_IOP, extras={"zip": "10001"})
    assert not page.locator("#why-title").locator("xpath=../..").locator(".fold-body").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".fold-body").first.is_visible()
    assert page.locator("section.safety-notes details p").first.is_visible()
    for hidden in (".quick-exit", ".site-header", ".site-footer", "form", ".result-cta"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator(".print-only").is_visible()  # the crisis lines, on paper
