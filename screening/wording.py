"""Reasons, notes and scores in words, at render time (the engine returns codes only).

Staff words come first: an answer's or a rule's "explanation on the result" is what the person
reads when it is set. Otherwise the sentence comes from gettext, so every sentence a person
reads can be translated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from screening import engine


def _option(questionnaire: engine.Questionnaire, reason: Mapping):
    key, value = reason.get("question"), reason.get("answer")
    if not (isinstance(key, str) and questionnaire.has_question(key)):
        return None, None
    question = questionnaire.question(key)
    try:
        return question, question.option(value)
    except KeyError:
        return question, None


def reason_text(
    reason: Mapping, questionnaire: engine.Questionnaire, level_names: Mapping[str, str]
) -> str:
    """One reason (``Reason.as_dict()``) as a sentence."""
    code = reason.get("code")
    level = level_names.get(reason.get("level") or "", reason.get("level") or "")
    question, option = _option(questionnaire, reason)
    answer = option.label if option else str(reason.get("answer", ""))
    if code in ("crisis", "min_level", "points", "requirement", "flag") and option:
        if option.explanation:
            return option.explanation
    if code == "crisis":
        if reason.get("emergency"):
            return _("You answered “%(answer)s”. Your safety comes first: call 911 or go to "
                     "the nearest emergency room now.") % {"answer": answer}
        return _("You answered “%(answer)s”. You deserve support today, so we show who to call "
                 "or text first.") % {"answer": answer}
    if code == "min_level":
        return _("You answered “%(answer)s”, so we suggest at least %(level)s.") % {
            "answer": answer, "level": level}
    if code == "points":
        return _("You answered “%(answer)s”. Answers like this add to how much support may "
                 "help.") % {"answer": answer}
    if code == "requirement":
        return _("You answered “%(answer)s”. Below you can see what can help with this.") % {
            "answer": answer}
    if code == "flag":
        return _("You answered “%(answer)s”.") % {"answer": answer}
    if code == "score":
        key = reason.get("score") or ""
        try:
            score = questionnaire.score(key)
        except engine.QuestionnaireError:
            return ""
        band = score.band_for(int(reason.get("points") or 0))
        text = _("%(name)s: %(points)s out of %(most)s (%(label)s).") % {
            "name": score.name, "points": reason.get("points"),
            "most": questionnaire.score_max(key), "label": band.label if band else "",
        }
        if reason.get("level"):
            text += " " + _("So we suggest at least %(level)s.") % {"level": level}
        return text
    if code == "rule":
        rule = next((r for r in questionnaire.rules if r.key == reason.get("rule")), None)
        if rule and rule.explanation:
            return rule.explanation
        if level:
            return _("Some of your answers together mean we suggest at least %(level)s.") % {
                "level": level}
        return _("Some of your answers together mean extra care is worth talking about.")
    if code == "escalation":
        try:
            requirement = questionnaire.requirement(reason.get("requirement") or "")
        except engine.QuestionnaireError:
            return ""
        return _("Because you don't have this yet (%(need)s), we suggest starting with "
                 "%(level)s.") % {"need": requirement.name.lower(), "level": level}
    return ""


@dataclass(frozen=True)
class Note:
    key: str
    name: str
    text: str


def notes_of(keys, questionnaire: engine.Questionnaire) -> list[Note]:
    """Flag notes (safety notes, tips or next steps) by flag key, in the order given."""
    flags = questionnaire.flags_by_key
    return [
        Note(key=key, name=flags[key].name, text=flags[key].note)
        for key in keys if key in flags and flags[key].note
    ]


@dataclass(frozen=True)
class ScoreLine:
    key: str
    name: str
    instrument: str
    help_text: str
    points: int
    most: int
    label: str
    meaning: str

    @property
    def summary(self) -> str:
        return _("%(points)s out of %(most)s") % {"points": self.points, "most": self.most}


def scores_of(items, questionnaire: engine.Questionnaire) -> list[ScoreLine]:
    """Score results (``[key, points, most, band index]``) with what they mean."""
    lines = []
    for key, points, most, band in items:
        try:
            score = questionnaire.score(key)
        except engine.QuestionnaireError:
            continue
        chosen = score.bands[band] if band is not None and band < len(score.bands) else None
        lines.append(ScoreLine(
            key=key, name=score.name, instrument=score.instrument, help_text=score.help_text,
            points=points, most=most, label=chosen.label if chosen else "",
            meaning=chosen.meaning if chosen else "",
        ))
    return lines
