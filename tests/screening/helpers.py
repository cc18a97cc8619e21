"""Shared test helpers: the shipped questionnaires as engine dataclasses (no database) and
answer sets built from them, and walking the web form page by page."""

from __future__ import annotations

import re

from screening import engine
from screening.documents import shipped_document

V1_DOCUMENT = shipped_document(1)
V2_DOCUMENT = shipped_document(2)
V1 = engine.Questionnaire.from_dict(V1_DOCUMENT)
V2 = engine.Questionnaire.from_dict(V2_DOCUMENT)

#: Version 1's mildest answers: 0 points, no crisis, every requirement met.
V1_BASE = {
    "safety": "no", "age_group": "26_64", "pregnant": "no_or_na", "substances": ["alcohol"],
    "frequency": "none", "consequences": "no", "control": "no", "relapse": "no_or_na",
    "withdrawal": "none", "withdrawal_danger": "no", "mental_health": "no", "medical": "no",
    "housing": "yes", "transport": "yes", "support": "yes", "responsibilities": "no",
    "recent_treatment": "no", "readiness": "ready",
}

#: Version 1 answers giving a chosen number of severity points.
V1_POINTS = {
    0: {},
    2: {"frequency": "weekly"},
    3: {"frequency": "several_times_a_week"},
    5: {"frequency": "daily", "consequences": "some"},
    6: {"frequency": "daily", "control": "many_times"},
    8: {"frequency": "daily", "consequences": "serious", "control": "once"},
    9: {"frequency": "daily", "consequences": "serious", "control": "many_times"},
    11: {"frequency": "daily", "consequences": "serious", "control": "many_times",
         "relapse": "yes"},
}


def v1_answers(points: int = 0, **changes) -> dict:
    return {**V1_BASE, **V1_POINTS[points], **changes}


#: Version 2's mildest answers for a person who drinks (every alcohol question shown).
V2_BASE = {
    "suicide_thoughts": "no", "suicide_behavior": "no", "harm_others": "no", "danger_now": "no",
    "age_group": "26_64", "pregnant": "no_or_na", "substances": ["alcohol"],
    "frequency": "none", "alcohol_frequency": "never", "alcohol_quantity": "1_2",
    "alcohol_binge": "never", "consequences": "no", "control": "no", "relapse": "no_or_na",
    "withdrawal": "none", "withdrawal_danger": "no", "psychosis": "no",
    "phq_interest": "not_at_all", "phq_mood": "not_at_all", "mental_health": "no",
    "medical": "no", "housing": "yes", "transport": "yes", "support": "yes",
    "responsibilities": "no", "recent_treatment": "no", "readiness": "ready",
}


def v2_answers(**changes) -> dict:
    """V2_BASE with changes; answers to questions the changes hide are dropped."""
    answers = {**V2_BASE, **changes}
    normal = {
        key: (value if isinstance(value, list | tuple) else (value,))
        for key, value in answers.items()
    }
    shown = {q.key for q in engine.shown_questions(V2, normal)}
    return {key: value for key, value in answers.items() if key in shown}


# --------------------------------------------------------------------------- the web form

STEP_URL = re.compile(r"^(?:/es)?/screening/step/([^/]+)/$")  # English, or Spanish under /es/


def page_fields(response) -> list[str]:
    """The question keys a step page asks."""
    return sorted(set(re.findall(
        r'<input type="(?:radio|checkbox)"[^>]*? name="([a-z_0-9]+)" value=',
        response.content.decode(),
    )))


def answer_pages(client, answers: dict, *, extras: dict | None = None, stop_at_extras=True,
                 prefix: str = ""):
    """Answer the questionnaire through the web form, page by page as the redirects lead,
    giving each page the answers it asks for. Stops on the optional last page (returns its
    URL) unless ``stop_at_extras`` is False, then answers it with ``extras`` and returns the
    result page response (after "Check your answers"). ``prefix`` "/es" walks the Spanish
    pages."""
    url = f"{prefix}/screening/step/" + first_page(client, prefix) + "/"
    for _ in range(60):
        if url == f"{prefix}/screening/check/":
            response = client.post(url)
            assert response.status_code == 302, (url, response.content[:3000])
            assert response["Location"] == f"{prefix}/screening/result/", response["Location"]
            return client.get(response["Location"])
        match = STEP_URL.match(url)
        assert match, url
        key = match.group(1)
        if key == "programs" and stop_at_extras:
            return url
        page = client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        data = {}
        if key == "programs":
            data.update(extras or {})
        else:
            for field in page_fields(page):
                if field in answers:
                    data[field] = answers[field]
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.content[:3000])
        url = response["Location"]
    raise AssertionError("the questionnaire did not end")


def first_page(client, prefix: str = "") -> str:
    body = client.get(f"{prefix}/screening/").content.decode()
    return re.search(rf'href="{prefix}/screening/step/([^/"]+)/"', body).group(1)


def answer_all(client, answers: dict, extras: dict | None = None, prefix: str = ""):
    """Answer every page and the optional one; the result page response."""
    return answer_pages(client, answers, extras=extras, stop_at_extras=False, prefix=prefix)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())
