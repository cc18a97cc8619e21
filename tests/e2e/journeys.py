"""Answer sets for the browser journeys (DESIGN §6 keys and values)."""

FITS_IOP = {
    "safety": {"safety": "no", "age_group": "26_64", "pregnant": "no_or_na"},
    "use": {"substances": ["alcohol"], "frequency": "daily", "consequences": "some",
            "control": "many_times", "relapse": "no_or_na"},
    "withdrawal": {"withdrawal": "mild", "withdrawal_danger": "no"},
    "health": {"mental_health": "yes_managed", "medical": "no"},
    "situation": {"housing": "yes", "transport": "sometimes", "support": "yes",
                  "responsibilities": "yes", "recent_treatment": "no", "readiness": "ready"},
}
STRONG_WITHDRAWAL = {
    **FITS_IOP,
    "withdrawal": {"withdrawal": "strong", "withdrawal_danger": "no"},
}
DANGER_NOW = {
    **FITS_IOP,
    "safety": {"safety": "danger_now", "age_group": "18_25", "pregnant": "no_or_na"},
}


def answer_step(page, answers: dict) -> None:
    for name, value in answers.items():
        for one in value if isinstance(value, list) else [value]:
            page.check(f'input[name="{name}"][value="{one}"]')


def answer_all(page, journey: dict, extras: dict | None = None) -> None:
    page.goto("/screening/")
    with page.expect_navigation():
        page.get_by_role("link", name="Start the questions").click()
    for answers in journey.values():
        answer_step(page, answers)
        with page.expect_navigation():
            page.get_by_role("button", name="Next").click()
    for name, value in (extras or {}).items():
        page.select_option(f'select[name="{name}"]', value)
    with page.expect_navigation():
        page.get_by_role("button", name="See my result").click()
    page.wait_for_url("**/screening/result/")
