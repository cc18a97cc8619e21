"""The site in Spanish in a real browser: public pages, the whole screening, the result and
the crisis panel pass axe-core with no sideways scroll; the language switch keeps the answers."""

import re

import pytest

from tests.e2e.journeys import FITS_IOP, STEP_URL, answer_step
from tests.e2e.test_accessibility import axe_check, no_horizontal_scroll, report

pytestmark = pytest.mark.e2e

PAGES = ["/es/", "/es/about-iop/", "/es/levels-of-care/", "/es/levels-of-care/iop/",
         "/es/programs/", "/es/programs/?q=grupo&telehealth=true", "/es/privacy/",
         "/es/screening/"]


def next_button(page):
    return page.locator("main form button.btn-success").first


def answer_until_extras(page, journey: dict) -> None:
    for _ in range(60):
        key = STEP_URL.search(page.url).group(1)
        if key == "programs":
            return
        names = set(page.eval_on_selector_all(
            'form input[type="radio"], form input[type="checkbox"]',
            "inputs => inputs.map(input => input.name)"))
        answer_step(page, {name: journey[name] for name in names if name in journey})
        with page.expect_navigation():
            next_button(page).click()
    raise AssertionError("the questionnaire did not end")


@pytest.mark.parametrize("width", [375, 1280])
def test_spanish_public_pages_pass_axe(browser, server, screenshots, width):
    context = browser.new_context(viewport={"width": width, "height": 812}, base_url=server)
    page = context.new_page()
    moderate = []
    page.goto("/es/programs/")
    detail = page.locator("article.program-card h2 a").first.get_attribute("href")
    assert detail.startswith("/es/programs/")
    for path in [*PAGES, detail]:
        response = page.goto(path)
        assert response.status == 200, path
        assert page.evaluate("document.documentElement.lang") == "es"
        label = f"{path} @{width}"
        assert page.locator("h1").count() == 1, label
        no_horizontal_scroll(page, label)
        moderate += axe_check(page, label)
        name = "es-" + (path.strip("/").replace("/", "_").replace("?", "_").replace("&", "_"))
        page.screenshot(path=screenshots / f"{name}-{width}.png", full_page=True)
    context.close()
    report(f"spanish-public-{width}", moderate)


@pytest.mark.parametrize("width", [375, 1280])
def test_the_whole_screening_in_spanish_passes_axe(browser, server, screenshots, width):
    context = browser.new_context(viewport={"width": width, "height": 812}, base_url=server)
    page = context.new_page()
    moderate = []
    page.goto("/es/screening/")
    with page.expect_navigation():
        page.locator('main a[href^="/es/screening/step/"]').first.click()
    for _ in range(60):
        key = STEP_URL.search(page.url).group(1)
        assert page.evaluate("document.documentElement.lang") == "es"
        no_horizontal_scroll(page, f"step {key}")
        moderate += axe_check(page, f"es step {key} @{width}")
        if key == "programs":
            assert page.locator('select[name="language"]').input_value() == "es"
            break
        names = set(page.eval_on_selector_all(
            'form input[type="radio"], form input[type="checkbox"]',
            "inputs => inputs.map(input => input.name)"))
        answer_step(page, {name: FITS_IOP[name] for name in names})
        with page.expect_navigation():
            next_button(page).click()
    page.locator('[name="zip"]').fill("10001")
    with page.expect_navigation():
        next_button(page).click()
    page.wait_for_url("**/es/screening/check/")
    moderate += axe_check(page, f"es check @{width}")
    with page.expect_navigation():
        page.get_by_role("button", name="Ver mi resultado", exact=True).first.click()
    page.wait_for_url("**/es/screening/result/")
    no_horizontal_scroll(page, "result")
    moderate += axe_check(page, f"es result @{width}")
    assert "Programa ambulatorio intensivo" in page.locator("h1").inner_text()
    page.screenshot(path=screenshots / f"es-result-{width}.png", full_page=True)
    context.close()
    report(f"spanish-screening-{width}", moderate)


def test_spanish_crisis_result_shows_988_in_spanish_and_passes_axe(browser, server, screenshots):
    context = browser.new_context(viewport={"width": 375, "height": 812}, base_url=server)
    page = context.new_page()
    page.goto("/es/screening/step/suicide_thoughts/")
    answer_until_extras(page, {**FITS_IOP, "suicide_thoughts": "thoughts"})
    with page.expect_navigation():
        next_button(page).click()
    with page.expect_navigation():
        page.get_by_role("button", name="Ver mi resultado", exact=True).first.click()
    crisis = page.locator("#crisis")
    links = crisis.locator("a").evaluate_all("links => links.map(link => link.href)")
    assert links[0] == "tel:988"
    assert "sms:988?body=AYUDA" in links
    assert crisis.bounding_box()["y"] < 812  # on the first phone screen
    report("spanish-crisis-375", axe_check(page, "es crisis result @375"))
    page.screenshot(path=screenshots / "es-result-crisis-375.png", full_page=True)
    context.close()


def test_the_language_switch_keeps_the_page_and_the_answers(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 812}, base_url=server)
    page = context.new_page()
    page.goto("/screening/step/suicide_thoughts/")
    answer_step(page, {"suicide_thoughts": "no"})
    with page.expect_navigation():
        page.get_by_role("button", name="Next").click()
    here = STEP_URL.search(page.url).group(1)
    with page.expect_navigation():
        page.locator(".lang-switch a").click()
    assert page.url.endswith(f"/es/screening/step/{here}/")
    with page.expect_navigation():
        page.locator("main a.back-link, main a[href*='suicide_thoughts']").first.click()
    assert re.search(r"/es/screening/step/suicide_thoughts/", page.url)
    assert page.locator('input[name="suicide_thoughts"][value="no"]').is_checked()
    context.close()
