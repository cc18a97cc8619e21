"""What a person does, in a real browser."""

import re

import pytest

from tests.e2e.conftest import STAFF_PASSWORD, STAFF_USER
from tests.e2e.journeys import (
    DANGER_NOW,
    FITS_IOP,
    NO_ALCOHOL,
    STRONG_WITHDRAWAL,
    answer_all,
    answer_until,
)

pytestmark = pytest.mark.e2e


def test_browse_home_to_filtered_list_to_program_details(page):
    page.goto("/")
    with page.expect_navigation():
        page.get_by_role("link", name="Find a program", exact=True).first.click()
    page.wait_for_url("**/programs/")
    page.get_by_label("Transportation help").check()
    page.get_by_label("ZIP code").fill("10001")
    with page.expect_navigation():
        page.get_by_role("button", name="Show programs").click()
    assert "service=transportation-assistance" in page.url
    assert "near=10001" in page.url
    cards = page.locator("article.program-card")
    assert cards.count() >= 1
    first = cards.first
    assert re.search(r"\d+(\.\d)? mi", first.inner_text())
    with page.expect_navigation():
        first.get_by_role("link").first.click()
    assert page.locator("h1").count() == 1
    assert page.get_by_role("heading", name="Services").is_visible()
    assert "Transportation help" in page.inner_text("main")
    assert page.get_by_role("heading", name=re.compile("Locations?")).is_visible()


def test_screening_person_who_fits_iop(page):
    answer_all(page, FITS_IOP, extras={"payment": "private"})
    main = page.inner_text("main")
    assert "Suggested level of care: Intensive outpatient (IOP)" in main
    assert "Why we suggest this" in main
    # The details are folded (work without JavaScript): the barriers open on a tap.
    assert "Reliable transport" not in main
    page.locator("summary", has_text="Things to sort out").click()
    assert "Reliable transport" in page.inner_text("main")  # transport "sometimes"
    # Drinking with withdrawal signs: the safety note, near the top, before the reasons.
    notes = page.locator("section[aria-labelledby=notes-title]")
    assert "Keep yourself safe" in notes.inner_text()
    assert "suddenly" in notes.inner_text()
    assert notes.bounding_box()["y"] < page.locator("#why-title").bounding_box()["y"]
    page.locator("summary", has_text="Your scores").click()
    scores = page.inner_text("main")
    assert "out of 12" in scores and "AUDIT-C" in scores
    assert page.locator("section[aria-labelledby=programs-title] article").count() >= 1
    assert page.locator("#crisis").count() == 0
    assert "We erased your answers" in main
    assert page.get_by_role("link", name="Change my answers").count() == 0
    page.reload()  # the result survives a reload, from its snapshot
    assert "Suggested level of care: Intensive outpatient (IOP)" in page.inner_text("main")
    with page.expect_navigation():
        page.get_by_role("button", name="Erase and start again").click()
    page.wait_for_url("**/screening/")
    assert "Your result has been erased." in page.inner_text("main")


def test_screening_strong_withdrawal_puts_withdrawal_management_first(page):
    answer_all(page, STRONG_WITHDRAWAL)
    main = page.inner_text("main")
    assert "Suggested level of care: Medically managed withdrawal" in main
    assert "What usually comes next" in main
    page.locator("summary", has_text="Things to sort out").click()
    assert "Withdrawal that is safe to manage at home" in page.inner_text("main")  # unmet
    assert "Why we suggest this" in main
    # Programs for withdrawal management first, then IOP programs for afterwards.
    first = page.locator("section[aria-labelledby=programs-title]")
    assert "Medically managed withdrawal" in first.locator("h2").inner_text()
    assert first.locator("article").count() >= 1
    after = page.locator("section[aria-labelledby=programs-after-title]")
    assert after.locator("article").count() >= 1
    assert first.bounding_box()["y"] < after.bounding_box()["y"]


def test_screening_danger_now_result_is_the_emergency_help(page):
    answer_all(page, DANGER_NOW)
    links = page.locator("#crisis a").all_inner_texts()
    assert links[0].split()[-2:] == ["Call", "911"] and "Emergency services" in links[0]
    assert any("988" in link for link in links[1:])
    assert page.locator("h1").inner_text() == "Please get help right now"
    main = page.inner_text("main")
    assert "When you are safe" in main
    # Nothing that reads as routine: no level heading, no programs to call, no "ready".
    assert "Suggested level of care" not in main
    assert page.locator("article.program-card").count() == 0
    assert "Call one of the programs" not in main
    assert page.locator("#crisis").bounding_box()["y"] < page.locator(
        "#after-safety-title").bounding_box()["y"]


def test_screening_without_alcohol_skips_the_drinking_questions(page):
    answer_all(page, NO_ALCOHOL)
    assert "Suggested level of care" in page.inner_text("main")
    assert "AUDIT-C" not in page.inner_text("main")


def test_steps_after_danger_now_show_911_first_above_the_questions(page):
    page.goto("/screening/")
    with page.expect_navigation():
        page.get_by_role("link", name="Start the questions").click()
    assert answer_until(page, DANGER_NOW, stop="age_group") == "age_group"
    assert page.locator("#crisis a").all_inner_texts()[0].endswith("Call 911")
    assert page.locator("#crisis").bounding_box()["y"] < page.locator("h1").bounding_box()["y"]
    assert "keep going with the questions" in page.inner_text("#crisis")


def test_back_link_keeps_answers_and_start_over_erases_them(page):
    page.goto("/screening/")
    with page.expect_navigation():
        page.get_by_role("link", name="Start the questions").click()
    assert answer_until(page, FITS_IOP, stop="pregnant") == "pregnant"
    with page.expect_navigation():
        page.get_by_role("link", name="Back", exact=True).click()
    page.wait_for_url("**/step/age_group/")
    assert page.is_checked('input[name="age_group"][value="26_64"]')
    with page.expect_navigation():
        page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/step/pregnant/")
    with page.expect_navigation():
        page.get_by_role("button", name="Start over and erase my answers").click()
    page.wait_for_url("**/screening/")
    assert "Your answers have been erased." in page.inner_text("main")
    page.goto("/screening/step/suicide_thoughts/")
    assert not page.is_checked('input[name="suicide_thoughts"][value="no"]')


def test_check_your_answers_lists_them_and_change_returns_there(page):
    page.goto("/screening/")
    with page.expect_navigation():
        page.get_by_role("link", name="Start the questions").click()
    assert answer_until(page, FITS_IOP) == "programs"
    with page.expect_navigation():
        page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/screening/check/")
    main = page.inner_text("main")
    assert "How old are you?" in main and "26 to 64" in main.replace("–", " to ")
    with page.expect_navigation():
        page.get_by_role("link", name="Change your answer to: How old are you?").click()
    page.wait_for_url("**/step/age_group/?from=check")
    page.check('input[name="age_group"][value="65_plus"]')
    with page.expect_navigation():
        page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/screening/check/")
    assert "65" in page.locator(".answer-row", has_text="How old are you?").inner_text()


def test_error_summary_takes_focus_and_names_the_question(page):
    page.goto("/screening/step/suicide_thoughts/")
    with page.expect_navigation():
        page.get_by_role("button", name="Next").click()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.inner_text(".error-summary a").startswith("Choose whether you have had thoughts")
    assert page.title().startswith("Error:")


def test_staff_edit_program_summary_shows_on_public_page(page):
    page.goto("/admin/")
    page.get_by_label("Username").fill(STAFF_USER)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    page.goto("/admin/iop/program/")
    with page.expect_navigation():
        page.locator("#result_list tbody tr th a").first.click()
    summary = "Edited in the browser test: evening groups every weekday."
    page.fill("#id_summary_en", summary)
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue editing").click()
    assert page.locator(".messagelist .success").count() == 1
    with page.expect_navigation():
        page.get_by_role("link", name="View on site").click()
    assert summary in page.inner_text("main")


def test_keyboard_only_finishes_screening_with_visible_focus(page):
    page.goto("/screening/")
    focused_outlines = []

    def tab_to(selector: str, limit: int = 80) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                style = page.evaluate(
                    "(() => { const s = getComputedStyle(document.activeElement);"
                    " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; })()"
                )
                focused_outlines.append(style)
                return
        raise AssertionError(f"could not reach {selector} with Tab")

    tab_to("a.btn-success")
    with page.expect_navigation(url="**/step/suicide_thoughts/"):
        page.keyboard.press("Enter")
    while "/step/programs/" not in page.url:
        names = sorted(set(page.eval_on_selector_all(
            'form input[type="radio"], form input[type="checkbox"]',
            "inputs => inputs.map(input => input.name)")))
        assert len(names) == 1, names  # one question per page
        name = names[0]
        value = FITS_IOP[name]
        values = value if isinstance(value, list) else [value]
        # Radios: Tab into the group, then arrow keys move and select; Space selects.
        tab_to(f'input[name="{name}"]')
        current = page.evaluate("document.activeElement.value")
        for one in values:
            if page.evaluate("document.activeElement.type") == "checkbox":
                while page.evaluate("document.activeElement.value") != one:
                    page.keyboard.press("Tab")
                page.keyboard.press("Space")
            else:
                for _ in range(10):
                    if current == one:
                        break
                    page.keyboard.press("ArrowDown")
                    current = page.evaluate("document.activeElement.value")
                page.keyboard.press("Space")
        assert all(page.is_checked(f'input[name="{name}"][value="{one}"]') for one in values), name
        tab_to('form button.btn-success')
        with page.expect_navigation():
            page.keyboard.press("Enter")
    tab_to('form button.btn-success')
    with page.expect_navigation(url="**/screening/check/"):
        page.keyboard.press("Enter")
    tab_to('form button.btn-success')
    with page.expect_navigation(url="**/screening/result/"):
        page.keyboard.press("Enter")
    assert "Suggested level of care" in page.inner_text("main")
    for outline_style, outline_width, box_shadow in focused_outlines:
        assert (outline_style != "none" and outline_width != "0px") or box_shadow != "none"
