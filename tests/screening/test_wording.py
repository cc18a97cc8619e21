"""Reasons, notes and scores worded at render time (screening.wording): staff words first,
gettext sentences otherwise, never an empty or raw-code sentence."""

import dataclasses

from screening import engine
from screening.wording import notes_of, reason_text, scores_of
from tests.screening.helpers import V1, V2, v1_answers, v2_answers

NAMES = {level.code: level.name for level in V2.levels}


def worded(questionnaire, answers) -> list[str]:
    result = engine.recommend(questionnaire, answers)
    return [reason_text(r.as_dict(), questionnaire, NAMES) for r in result.reasons]


def test_every_reason_code_of_the_shipped_cases_is_worded():
    codes = set()
    for questionnaire in (V1, V2):
        for case in questionnaire.test_cases:
            result = engine.recommend(questionnaire, case.answers)
            for reason in result.reasons:
                codes.add(reason.code)
                text = reason_text(reason.as_dict(), questionnaire, NAMES)
                assert text and "_" not in text.replace("AUDIT_C", ""), (reason, text)
    assert {"crisis", "min_level", "points", "requirement", "flag", "score", "rule",
            "escalation"} <= codes


def test_staff_explanation_is_used_when_present():
    text = worded(V2, v2_answers(psychosis="past_month"))
    assert V2.question("psychosis").option("past_month").explanation in text


def test_generic_sentences_name_the_answer_and_the_level_when_no_explanation():
    bare = dataclasses.replace(V2, questions=tuple(
        dataclasses.replace(q, options=tuple(
            dataclasses.replace(o, explanation="") for o in q.options))
        for q in V2.questions
    ), rules=tuple(dataclasses.replace(r, explanation="") for r in V2.rules))
    texts = worded(bare, v2_answers(psychosis="past_month", danger_now="yes",
                                    suicide_thoughts="thoughts", frequency="daily"))
    assert any("911" in text for text in texts)
    assert any("Partial hospitalization (PHP)" in text and "past month" not in text
               for text in texts)
    assert any("together" in text for text in texts)  # a combination rule


def test_escalation_reason_names_the_need_and_the_level():
    texts = worded(V1, v1_answers(6, housing="no"))
    assert texts[-1] == ("Because you don't have this yet (substance-free place to live), we "
                         "suggest starting with Residential treatment.")


def test_score_reason_and_score_lines_say_out_of_how_much():
    result = engine.recommend(V2, v2_answers(
        alcohol_frequency="4_plus_a_week", alcohol_binge="daily"))
    (score_reason,) = [r for r in result.reasons if r.code == "score"]
    text = reason_text(score_reason.as_dict(), V2, NAMES)
    assert "8 out of 12" in text and "Outpatient" in text
    lines = scores_of([[s.key, s.points, s.max_points, s.band] for s in result.scores], V2)
    audit = next(line for line in lines if line.key == "audit_c")
    assert (audit.points, audit.most, audit.instrument) == (8, 12, "AUDIT-C")
    assert audit.summary == "8 out of 12" and audit.meaning


def test_notes_in_the_order_given_and_only_with_text():
    notes = notes_of(["pregnancy_moud", "emergency", "naloxone", "unknown"], V2)
    assert [note.key for note in notes] == ["pregnancy_moud", "naloxone"]
