"""Answer sets for the browser journeys, page by page (questionnaire v2, DESIGN §6b keys)."""

SAFE = {"suicide_thoughts": "no", "suicide_behavior": "no", "harm_others": "no",
        "danger_now": "no"}

FITS_IOP = {
    "safety": SAFE,
    "about": {"age_group": "26_64", "pregnant": "no_or_na"},
    "use": {"substances": ["alcohol"]},
    "use-2": {"frequency": "daily", "alcohol_frequency": "2_3_a_week",
              "alcohol_quantity": "3_4", "alcohol_binge": "monthly", "consequences": "some",
              "control": "once", "relapse": "no_or_na"},
    "withdrawal": {"withdrawal": "mild", "withdrawal_danger": "no", "psychosis": "no"},
    "health": {"phq_interest": "several_days", "phq_mood": "not_at_all",
               "mental_health": "yes_managed", "medical": "no"},
    "situation": {"housing": "yes", "transport": "sometimes", "support": "yes",
                  "responsibilities": "yes", "recent_treatment": "no", "readiness": "ready"},
}
STRONG_WITHDRAWAL = {
    **FITS_IOP,
    "withdrawal": {"withdrawal": "strong", "withdrawal_danger": "no", "psychosis": "no"},
}
DANGER_NOW = {
    **FITS_IOP,
    "safety": {**SAFE, "danger_now": "yes"},
    "about": {"age_group": "18_25", "pregnant": "no_or_na"},
}
NO_ALCOHOL = {  # the drinking questions are not asked
    **FITS_IOP,
    "use": {"substances": ["cannabis"]},
    "use-2": {"frequency": "daily", "consequences": "some", "control": "once",
              "relapse": "no_or_na"},
}


def answer_step(page, answers: dict) -> None:
    for name, value in answers.items():
        for one in value if isinstance(value, list) else [value]:
            page.check(f'input[name="{name}"][value="{one}"]')


def answer_all(page, journey: dict, extras: dict | None = None) -> None:
    page.goto("/screening/")
    with page.expect_navigation():
        page.get_by_role("link", name="Start the questions").click()
    for step, answers in journey.items():
        page.wait_for_url(f"**/step/{step}/")
        answer_step(page, answers)
        with page.expect_navigation():
            page.get_by_role("button", name="Next").click()
    for name, value in (extras or {}).items():
        page.select_option(f'select[name="{name}"]', value)
    with page.expect_navigation():
        page.get_by_role("button", name="See my result").click()
    page.wait_for_url("**/screening/result/")
