"""Answer sets for the browser journeys (questionnaire v2, DESIGN §6b keys): question key →
value, one question per page. `answer_all` follows whichever page the form shows next."""

import re

SAFE = {"suicide_thoughts": "no", "suicide_behavior": "no", "harm_others": "no",
        "danger_now": "no"}

FITS_IOP = {
    **SAFE,
    "age_group": "26_64", "pregnant": "no_or_na",
    "substances": ["alcohol"],
    "frequency": "daily", "alcohol_frequency": "2_3_a_week", "alcohol_quantity": "3_4",
    "alcohol_binge": "monthly", "consequences": "some", "control": "once",
    "relapse": "no_or_na",
    "withdrawal": "mild", "withdrawal_danger": "no", "psychosis": "no",
    "phq_interest": "several_days", "phq_mood": "not_at_all", "mental_health": "yes_managed",
    "medical": "no",
    "housing": "yes", "transport": "sometimes", "support": "yes", "responsibilities": "yes",
    "recent_treatment": "no", "readiness": "ready",
}
STRONG_WITHDRAWAL = {**FITS_IOP, "withdrawal": "strong"}
DANGER_NOW = {**FITS_IOP, "danger_now": "yes", "age_group": "18_25"}
NO_ALCOHOL = {  # the drinking questions are not asked
    **{key: value for key, value in FITS_IOP.items() if not key.startswith("alcohol_")},
    "substances": ["cannabis"],
}

STEP_URL = re.compile(r"/screening/step/([^/]+)/$")


def answer_step(page, answers: dict) -> None:
    """Tick the answers of the question(s) on this page."""
    for name, value in answers.items():
        for one in value if isinstance(value, list) else [value]:
            page.check(f'input[name="{name}"][value="{one}"]')


def answer_until(page, journey: dict, stop: str | None = None) -> str:
    """From the current question page, answer each page the form shows with ``journey`` until
    the page ``stop`` (not answered), the extras page, or Check your answers; returns the key
    of the page reached ("check" for Check your answers)."""
    for _ in range(60):
        if page.url.endswith("/screening/check/"):
            return "check"
        key = STEP_URL.search(page.url).group(1)
        if key == stop or key == "programs":
            return key
        names = set(page.eval_on_selector_all(
            'form input[type="radio"], form input[type="checkbox"]',
            "inputs => inputs.map(input => input.name)"))
        answer_step(page, {name: journey[name] for name in names if name in journey})
        with page.expect_navigation():
            page.get_by_role("button", name="Next").click()
    raise AssertionError("the questionnaire did not end")


def answer_all(page, journey: dict, extras: dict | None = None) -> None:
    """The whole screening from the start page: every question, the extras page (selects by
    name, text boxes by name), Check your answers, then the result."""
    page.goto("/screening/")
    with page.expect_navigation():
        page.get_by_role("link", name="Start the questions").click()
    assert answer_until(page, journey) == "programs"
    for name, value in (extras or {}).items():
        field = page.locator(f'[name="{name}"]')
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    with page.expect_navigation():
        page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/screening/check/")
    with page.expect_navigation():
        page.get_by_role("button", name="See my result", exact=True).click()
    page.wait_for_url("**/screening/result/")
