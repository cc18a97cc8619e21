"""Questionnaire version 1 in the shapes migration 0002 reads (it predates the document form).

Version 1 itself is the frozen document ``screening/data/questionnaire_v1.json``; this module
only reshapes it for ``0002_load_default_questionnaire``, which must keep loading exactly what
shipped. New code reads the documents through :mod:`screening.documents`.
"""

from __future__ import annotations

import json
from pathlib import Path

_DOCUMENT = json.loads(
    (Path(__file__).resolve().parent / "data" / "questionnaire_v1.json").read_text("utf-8")
)

VERSION = _DOCUMENT["version"]
STEPS = _DOCUMENT["steps"]
REQUIREMENTS = _DOCUMENT["requirements"]
BANDS = [(band["min_points"], band["max_points"], band["level"]) for band in _DOCUMENT["bands"]]
TEST_CASES = _DOCUMENT["test_cases"]


def _questions() -> list[dict]:
    orders: dict[str, int] = {}
    questions = []
    for question in _DOCUMENT["questions"]:
        orders[question["step"]] = orders.get(question["step"], 0) + 1
        questions.append({**question, "order": orders[question["step"]]})
    return questions


QUESTIONS = _questions()
