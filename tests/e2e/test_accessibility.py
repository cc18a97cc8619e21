"""Every public page and screening step: axe-core, no horizontal scroll, page weight."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import ARTIFACTS as SCREENSHOTS
from tests.e2e.journeys import FITS_IOP, answer_all, answer_step

ARTIFACTS = SCREENSHOTS.parent

pytestmark = pytest.mark.e2e

PUBLIC_PAGES = [
    "/",
    "/about-iop/",
    "/levels-of-care/",
    *(f"/levels-of-care/{code}/" for code in
      ("self_help", "outpatient", "iop", "php", "residential", "withdrawal_management")),
    "/programs/",
    "/programs/?q=evening&telehealth=true",
    "/programs/?level=nope",  # a page showing a filter error
    "/privacy/",
    "/screening/",
    "/no-such-page/",
]
WEIGHT_LIMIT = 150 * 1024

axe = Axe()
# Every rule axe-core enables by default, plus WCAG 2.2's target size (24 × 24 px), explicitly.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}


def axe_check(page, label: str) -> list[str]:
    """Fail on serious/critical violations; return the moderate ones to report."""
    results = axe.run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, f"{label}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in serious
    )
    return [
        f"{label}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    ]


def report(name: str, findings: list[str]) -> None:
    """Keep moderate/minor findings for the end-of-run summary (tests/conftest.py)."""
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text("\n".join(findings) + "\n")


def no_horizontal_scroll(page, label: str) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{label} scrolls sideways by {overflow}px"


def demo_slug(page) -> str:
    page.goto("/programs/")
    href = page.locator("article.program-card h2 a").first.get_attribute("href")
    return href


@pytest.mark.parametrize("width", [375, 1280])
def test_public_pages_have_no_serious_axe_violations_or_sideways_scroll(
    browser, server, screenshots, width
):
    context = browser.new_context(viewport={"width": width, "height": 812}, base_url=server)
    page = context.new_page()
    moderate = []
    pages = [*PUBLIC_PAGES, demo_slug(page)]
    for path in pages:
        response = page.goto(path)
        assert response.status in (200, 404), (path, response.status)
        label = f"{path} @{width}"
        assert page.locator("h1").count() == 1, label
        no_horizontal_scroll(page, label)
        moderate += axe_check(page, label)
        name = path.strip("/").replace("/", "_").replace("?", "_").replace("&", "_") or "home"
        page.screenshot(path=screenshots / f"{name}-{width}.png", full_page=True)
    context.close()
    report(f"public-{width}", moderate)


@pytest.mark.parametrize("width", [375, 1280])
def test_every_screening_step_error_and_result_pass_axe(browser, server, screenshots, width):
    context = browser.new_context(viewport={"width": width, "height": 812}, base_url=server)
    page = context.new_page()
    moderate = []
    page.goto("/screening/step/suicide_thoughts/")
    with page.expect_navigation():
        page.get_by_role("button", name="Next").click()  # nothing answered: errors
    assert page.locator(".error-summary").is_visible()
    no_horizontal_scroll(page, "error step")
    moderate += axe_check(page, f"safety step with errors @{width}")
    page.screenshot(path=screenshots / f"step-errors-{width}.png", full_page=True)
    # Error summary links move focus to the first field of the question.
    page.locator(".error-summary a").first.click()
    assert page.evaluate("document.activeElement.name") == "suicide_thoughts"
    page.goto("/screening/step/suicide_thoughts/")
    while "/step/" in page.url:
        step = page.url.rstrip("/").rsplit("/", 1)[-1]
        label = f"step {step} @{width}"
        no_horizontal_scroll(page, label)
        moderate += axe_check(page, label)
        if step in ("suicide_thoughts", "age_group", "substances", "programs"):
            page.screenshot(path=screenshots / f"step-{step}-{width}.png", full_page=True)
        if step != "programs":
            names = set(page.eval_on_selector_all(
                'form input[type="radio"], form input[type="checkbox"]',
                "inputs => inputs.map(input => input.name)"))
            answer_step(page, {name: FITS_IOP[name] for name in names})
        with page.expect_navigation():
            page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/screening/check/")
    no_horizontal_scroll(page, "check your answers")
    moderate += axe_check(page, f"check your answers @{width}")
    page.screenshot(path=screenshots / f"check-{width}.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="See my result", exact=True).click()
    page.wait_for_url("**/screening/result/")
    no_horizontal_scroll(page, "result")
    moderate += axe_check(page, f"result @{width}")
    page.screenshot(path=screenshots / f"result-{width}.png", full_page=True)
    context.close()
    report(f"screening-{width}", moderate)


@pytest.mark.parametrize("width", [375, 1280])
def test_emergency_and_crisis_results_pass_axe(browser, server, screenshots, width):
    from tests.e2e.journeys import DANGER_NOW, FITS_IOP

    context = browser.new_context(viewport={"width": width, "height": 812}, base_url=server)
    page = context.new_page()
    answer_all(page, DANGER_NOW)
    report(f"emergency-result-{width}", axe_check(page, f"emergency result @{width}"))
    no_horizontal_scroll(page, "emergency result")
    page.screenshot(path=screenshots / f"result-emergency-{width}.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Erase and start again").click()
    answer_all(page, {**FITS_IOP, "suicide_thoughts": "thoughts"})
    assert page.locator("#crisis a").all_inner_texts()[0].endswith("988")
    report(f"crisis-result-{width}", axe_check(page, f"crisis result @{width}"))
    page.screenshot(path=screenshots / f"result-crisis-{width}.png", full_page=True)
    context.close()


def transferred_bytes(page) -> int:
    return page.evaluate(
        """() => {
          const nav = performance.getEntriesByType('navigation')[0];
          const res = performance.getEntriesByType('resource');
          return nav.transferSize + res.reduce((sum, r) => sum + r.transferSize, 0);
        }"""
    )


@pytest.mark.parametrize("path", ["/", "/screening/step/suicide_thoughts/"])
def test_page_weight_is_at_most_150_kb(browser, server, path):
    # A fresh context: nothing cached, so every byte is counted.
    context = browser.new_context(base_url=server)
    page = context.new_page()
    page.goto(path, wait_until="load")
    size = transferred_bytes(page)
    folder = ARTIFACTS / "measurements"
    folder.mkdir(parents=True, exist_ok=True)
    slug = path.strip("/").replace("/", "_") or "home"
    (folder / f"weight-{slug}.txt").write_text(
        f"page weight {path}: {size / 1024:.1f} KB transferred (limit 150 KB)\n"
    )
    assert 0 < size <= WEIGHT_LIMIT, f"{path}: {size} bytes"
    context.close()


def test_text_resizes_to_200_percent_without_sideways_scroll(browser, server):
    context = browser.new_context(
        viewport={"width": 640, "height": 800}, base_url=server, bypass_csp=True
    )
    page = context.new_page()
    for path in ["/", "/screening/step/suicide_thoughts/", "/programs/"]:
        page.goto(path)
        page.add_style_tag(content="html { font-size: 200% !important; }")
        no_horizontal_scroll(page, f"{path} at 200% text")
    context.close()
