"""The screening result: worked out once from the answers, kept as a snapshot in the session
(the answers themselves are erased), and rendered from that snapshot; the short summary to
copy or download; and the quick exit ("Leave this site").

What the snapshot holds is what the result page shows: codes worded at render time, and per
program its id, its "why" lines, its distance in miles (when a ZIP code found it nearby) and the
person's state code (when it offers telehealth there). No answers, no ZIP code. It is erased
SCREENING_RESULT_SECONDS after it was made (the session then expires too). Every response
here is `Cache-Control: no-store`.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from iop import geo
from iop.crisis import crisis_lines
from iop.filters import filter_choices
from iop.i18n import localized_sql
from iop.models import Location, Program
from iop.selectors import level_list, program_url_maker, rows_for_ids
from screening import engine
from screening.flow import RESULT_KEY, SESSION_KEY, ScreeningSession
from screening.rules import Rules
from screening.selectors import recommendation_matches
from screening.services import outcome_record
from screening.session import crisis_context, rules_for, session_of
from screening.wording import notes_of, reason_text, scores_of

#: Staff may add more; the shipped data has the SAMHSA National Helpline (iop.reference_data).
HELPLINE_SLUG = "samhsa-helpline"
_STATE = re.compile(r"^[A-Z]{2}$")


def result_seconds() -> int:
    return int(getattr(settings, "SCREENING_RESULT_SECONDS", 30 * 60))


# --------------------------------------------------------------------------- the snapshot


def _miles(value) -> float | None:
    return None if value is None else round(float(value), 1)


def result_compute(request, rules: Rules, session: ScreeningSession) -> bool:
    """Decide the result, record the de-identified outcome once, keep a snapshot of what the
    result page shows (codes, worded when shown) and erase the answers and extras (ZIP code
    included) from the session. False when the answers are not complete."""
    answers, extras = session.answers, session.extras
    try:
        recommendation = engine.recommend(rules.questionnaire, session.engine_answers(rules))
    except engine.AnswerError:
        return False
    groups = recommendation_matches(
        recommendation=recommendation,
        questionnaire=rules.questionnaire,
        level_names=rules.level_names,
        answers=answers,
        extras=extras,
    )
    remedy_slugs = {slug for item in recommendation.unmet_requirements for slug in item.remedies}
    service_names = {  # from the cached option lists: no query
        slug: name for slug, name in filter_choices()["service"] if slug in remedy_slugs
    }
    snapshot_groups = []
    for group in groups:
        snapshot_groups.append({
            "level": group.level,
            "after": group.after,
            "radius": group.radius_miles,
            "nearby": group.nearby_count,
            "programs": [
                [match.program.pk, list(match.why), _miles(match.miles), match.telehealth_state]
                for match in group.matches
            ],
        })
    snapshot = {
        "created": int(time.time()),
        "version": rules.version,
        "level": recommendation.level,
        "crisis": recommendation.crisis,
        "emergency": recommendation.emergency,
        "next_step": recommendation.next_step,
        "reasons": [reason.as_dict() for reason in recommendation.reasons],
        "unmet": [
            {
                "key": item.key,
                "status": item.status,
                "services": [service_names[slug] for slug in item.remedies
                             if slug in service_names],
            }
            for item in recommendation.unmet_requirements
        ],
        "notes": list(recommendation.notes),
        "tips": list(recommendation.tips),
        "next_steps": list(recommendation.next_steps),
        "scores": [
            [score.key, score.points, score.max_points, score.band]
            for score in recommendation.scores
        ],
        "groups": snapshot_groups,
    }
    outcome_record(recommendation=recommendation, version=rules.version)
    request.session.pop(SESSION_KEY, None)
    request.session[RESULT_KEY] = snapshot
    # The whole session (now only the result) ends with the result, not two hours later.
    request.session.set_expiry(result_seconds())
    return True


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _texts(values) -> list[str]:
    if not isinstance(values, list):
        raise TypeError(values)
    return [_text(value) for value in values]


def _int(value) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(value)
    return value


def _count(value) -> int:
    if _int(value) < 0:
        raise ValueError(value)
    return value


def _distance(value) -> float | None:
    if value is None:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise TypeError(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(value)
    return float(value)


def _state(value) -> str | None:
    if value is None:
        return None
    if not _STATE.match(_text(value)):
        raise ValueError(value)
    return value


def _reason(value) -> dict:
    if not isinstance(value, dict) or not isinstance(value.get("code"), str):
        raise TypeError(value)
    if "points" in value:
        _int(value["points"])
    for item in value.values():
        if not isinstance(item, str | int | bool) and not (
            isinstance(item, list) and all(isinstance(flag, str) for flag in item)
        ):
            raise TypeError(item)
    return value


def _snapshot_checked(data: dict) -> dict:
    """The snapshot, every field checked; KeyError, TypeError or ValueError when one is not
    well formed."""
    groups = []
    for group in data["groups"]:
        programs = []
        for pk, why, miles, state in group["programs"]:
            programs.append((_int(pk), _texts(why), _distance(miles), _state(state)))
        after, radius = group["after"], group["radius"]
        groups.append({
            "level": _text(group["level"]),
            "after": None if after is None else _text(after),
            "radius": None if radius is None else _count(radius),
            "nearby": _count(group["nearby"]),
            "programs": programs,
        })
    next_step = data["next_step"]
    scores = []
    for key, points, most, band in data["scores"]:
        scores.append([_text(key), _int(points), _int(most),
                       None if band is None else _int(band)])
    return {
        "created": _int(data["created"]),
        "version": _int(data["version"]),
        "level": _text(data["level"]),
        "crisis": data["crisis"] is True,
        "emergency": data["emergency"] is True,
        "next_step": None if next_step is None else _text(next_step),
        "reasons": [_reason(reason) for reason in data["reasons"]],
        "unmet": [
            {
                "key": _text(item["key"]),
                "status": _text(item["status"]),
                "services": _texts(item["services"]),
            }
            for item in data["unmet"]
        ],
        "notes": _texts(data["notes"]),
        "tips": _texts(data["tips"]),
        "next_steps": _texts(data["next_steps"]),
        "scores": scores,
        "groups": groups,
    }


def _snapshot_read(request) -> tuple[dict | None, bool]:
    """(the checked snapshot or None, whether one was there but had expired). An expired
    snapshot is erased from the session."""
    data = request.session.get(RESULT_KEY)
    if not isinstance(data, dict):
        return None, False
    try:
        snapshot = _snapshot_checked(data)
    except (KeyError, TypeError, ValueError):
        return None, False
    age = time.time() - snapshot["created"]
    if age > result_seconds():
        request.session.pop(RESULT_KEY, None)
        return None, True
    if age < -60:  # made in the future: not one of ours
        return None, False
    return snapshot, False


def snapshot_of(request) -> dict | None:
    """The result snapshot in this session, checked; None when there is none, when it has
    expired (it is erased then) or when it is not well formed (treated the same)."""
    return _snapshot_read(request)[0]


# --------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class Place:
    """Where one of a program's locations is: all a result card says of it."""

    city: str
    state: str


@dataclass
class Card:
    """One program on the result: the listing as it is now, with what the snapshot says."""

    program: CardProgram
    why: list[str] = field(default_factory=list)
    miles: float | None = None
    telehealth_state: str | None = None
    places: tuple[Place, ...] = ()  # the program's locations, in order

    @property
    def location(self) -> Place | None:
        """The program's place to show with the card: its only location, or its first when
        no distance says which one is near."""
        if not self.places or (self.miles is not None and len(self.places) > 1):
            return None
        return self.places[0]


class CardProgram(NamedTuple):
    """What a result card and the summary read of a program (iop.Program), as a plain row:
    nothing else is loaded, and no model instance is made."""

    pk: int
    slug: str
    name: str
    phone: str
    accepting: str
    accepting_note: str  # in the page's language (iop.i18n.localized_sql)
    last_verified: date | None
    url: str  # the program page's address

    def get_absolute_url(self) -> str:
        return self.url


_PROGRAM = Program._meta
_LOCATION = Location._meta
_PROGRAM_COLUMN = _LOCATION.get_field("program").column


def _card_programs_sql() -> str:
    return (
        "SELECT id, slug, name, phone, accepting, "  # noqa: S608 - model constants
        f"{localized_sql('accepting_note')}, last_verified FROM {_PROGRAM.db_table} "
        "WHERE is_published AND id IN ({ids})"
    )


# Plain rows (the city and state are not translated): no model or translation wrappers.
_PLACES_SQL = (
    f"SELECT {_PROGRAM_COLUMN}, city, state FROM {_LOCATION.db_table} "  # noqa: S608 - model constants
    f"WHERE {_PROGRAM_COLUMN} IN ({{ids}}) ORDER BY id"
)


def _cards_programs(ids: list[int]) -> tuple[dict[int, CardProgram], dict[int, tuple[Place, ...]]]:
    """The published programs among `ids`, and each one's places in location order: two
    plain queries (none without ids)."""
    if not ids:
        return {}, {}
    url_of = program_url_maker()
    programs = {}
    for pk, slug, name, phone, accepting, note, verified in rows_for_ids(
        _card_programs_sql(), list(dict.fromkeys(ids))
    ):
        programs[pk] = CardProgram(pk, slug, name, phone, accepting, note or "", verified,
                                   url_of(slug))
    places: dict[int, list[Place]] = {}
    rows = rows_for_ids(_PLACES_SQL, list(programs)) if programs else ()
    for program_id, city, state in rows:
        places.setdefault(program_id, []).append(Place(city, state))
    return programs, {pk: tuple(found) for pk, found in places.items()}


@dataclass(frozen=True)
class SafetyNote:
    """A "Keep yourself safe" note, split so the first sentence shows at once and the rest
    folds (long notes do not push the others off the first phone screen)."""

    key: str
    lead: str
    rest: str


FOLD_NOTES_LONGER_THAN = 120
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])\s+(\S.*)$", re.S)


def _safety_notes(notes, *, fold: bool = True) -> list[SafetyNote]:
    """The notes to show; with ``fold`` False (a crisis result, where the crisis help comes
    first anyway) every note is shown whole."""
    items = []
    for note in notes:
        match = _FIRST_SENTENCE.match(note.text)
        if fold and len(note.text) > FOLD_NOTES_LONGER_THAN and match:
            items.append(SafetyNote(key=note.key, lead=match.group(1), rest=match.group(2)))
        else:
            items.append(SafetyNote(key=note.key, lead=note.text, rest=""))
    return items


def _main_reasons(reasons: list[dict]) -> list[dict]:
    """The one or two reasons that decided the level: the decisive ones, else the first ones
    that moved the level (severity points, a minimum level), else the first reason."""
    decisive = [reason for reason in reasons if reason["decisive"]]
    moved = [reason for reason in reasons if reason["moves_level"]]
    return (decisive or moved or reasons)[:2 if decisive or moved else 1]


def _summary_reasons(snapshot: dict, questionnaire: engine.Questionnaire,
                     level_names: dict) -> list[str]:
    """The main reasons, for the summary: never a crisis reason, and never one that quotes
    an answer (a reason is worded from its answer's label when staff wrote no explanation)."""
    lines = []
    for reason in snapshot["reasons"]:
        if reason.get("code") == "crisis":
            continue
        if reason.get("question") is not None:
            question = (questionnaire.question(reason["question"])
                        if questionnaire.has_question(reason["question"]) else None)
            try:
                option = question.option(reason.get("answer")) if question else None
            except KeyError:
                option = None
            if option is None or not option.explanation:
                continue
        text = reason_text(reason, questionnaire, level_names)
        if text:
            lines.append({"text": text, "decisive": reason.get("decisive", False),
                          "moves_level": _moves_level(reason)})
    return [reason["text"] for reason in _main_reasons(lines)] if lines else []


def _moves_level(reason: dict) -> bool:
    return reason.get("code") in ("points", "escalation") or bool(reason.get("level"))


def _helplines() -> list:
    """The national helpline among the crisis lines staff keep (never a number written here),
    found by its slug, so it is found whatever language its name is in."""
    return [line for line in crisis_lines()
            if not line.is_emergency and line.slug == HELPLINE_SLUG]


def _full_list_url(level: str, radius: int | None) -> str:
    """The program list with this level chosen. The ZIP code is not kept, so the person types
    it again there (the radius is kept when the list offers it)."""
    query = {"level": level}
    if radius in geo.RADIUS_CHOICES:
        query["radius"] = radius
    return f"{reverse('iop:program_list')}?{urlencode(query)}"


def _page_context(request, snapshot: dict, rules: Rules) -> dict:
    """What the result page and the summary show: re-rendered from the snapshot with the
    levels' texts (kept per lookups version) and the programs' current listings. Two queries,
    whatever the snapshot."""
    levels = {level.code: level for level in level_list()}
    programs, places = _cards_programs(
        [pk for group in snapshot["groups"] for pk, *_rest in group["programs"]]
    )
    groups = []
    for group in snapshot["groups"]:
        cards = [
            Card(program=programs[pk], why=why, miles=miles, telehealth_state=state,
                 places=places.get(pk, ()))
            for pk, why, miles, state in group["programs"]
            if pk in programs
        ]
        groups.append({
            "level": levels.get(group["level"]),
            "after": levels.get(group["after"]) if group["after"] else None,
            "matches": cards,
            "radius": group["radius"],
            "nearby": group["nearby"],
            "none_nearby": group["radius"] is not None and group["nearby"] == 0,
            "telehealth_count": sum(1 for card in cards if card.telehealth_state),
            "full_list_url": _full_list_url(group["level"], group["radius"]),
            "list_radius": group["radius"] if group["radius"] in geo.RADIUS_CHOICES else None,
        })
    questionnaire = rules.questionnaire
    reasons = [
        {"text": text, "decisive": reason.get("decisive", False),
         "moves_level": _moves_level(reason)}
        for reason in snapshot["reasons"]
        if (text := reason_text(reason, questionnaire, rules.level_names))
    ]
    unmet = []
    for item in snapshot["unmet"]:
        try:
            requirement = questionnaire.requirement(item["key"])
        except engine.QuestionnaireError:
            continue
        unmet.append({**item, "name": requirement.name, "help_text": requirement.help_text})
    notes = notes_of(snapshot["notes"], questionnaire)
    created = datetime.fromtimestamp(snapshot["created"], tz=UTC)
    return {
        "rec": snapshot,
        "level": levels.get(snapshot["level"]),
        "next_level": levels.get(snapshot["next_step"] or ""),
        "groups": groups,
        "reasons": reasons,
        "main_reasons": _main_reasons(reasons),
        "summary_reasons": _summary_reasons(snapshot, questionnaire, rules.level_names),
        "unmet": unmet,
        "notes": notes,
        "safety_notes": _safety_notes(notes, fold=not snapshot["crisis"]),
        "tips": notes_of(snapshot["tips"], questionnaire),
        "next_steps": notes_of(snapshot["next_steps"], questionnaire),
        "scores": scores_of(snapshot["scores"], questionnaire),
        "version": snapshot["version"],
        "helplines": _helplines(),
        "all_crisis_lines": crisis_lines(),
        "made_on": timezone.localtime(created),
        "expires_minutes": result_seconds() // 60,
        "site_url": request.build_absolute_uri("/").rstrip("/"),
        **crisis_context(snapshot["crisis"], snapshot["emergency"]),
    }


def _line_text(line) -> str:
    action = _("Text %(number)s") if line.action == "text" else _("Call %(number)s")
    text = f"- {action % {'number': line.number}}: {line.name}"
    return f"{text}. {line.description}" if line.description else text


def summary_text(context: dict) -> str:
    """The short summary, as plain text (what summary.txt downloads and the page shows to
    copy). From the page context only, which the snapshot made: no answers, no ZIP code."""
    site = context["site_url"]
    level = context["level"]
    lines = [
        _("IOP Navigator: a short summary of your result"),
        _("Made on %(date)s. This is not a diagnosis. Share it with a doctor, counselor or "
          "program: they can tell you what fits you best.")
        % {"date": date_format(context["made_on"], "DATE_FORMAT")},
        "",
    ]
    emergency = context["emergency"]
    crisis_lines_shown = (context["crisis_panel_lines"] if context["crisis"]
                          else context["all_crisis_lines"])
    if emergency:
        lines.append(_("Please get help right now"))
        lines.append(_("Your safety comes first. Call 911 now or go to the nearest emergency "
                       "room. If you can, tell someone near you."))
    elif context["crisis"]:
        lines.append(_("Please reach out today"))
    else:
        lines.append(_("If you need help now"))
    lines += [_line_text(line) for line in crisis_lines_shown]
    lines.append("")
    if context["notes"]:
        lines.append(_("Keep yourself safe"))
        lines += [f"- {note.text}" for note in context["notes"]]
        lines.append("")
    if emergency:
        lines.append(_("When you are safe"))
        lines.append(_("Once you are safe, the people helping you can plan what comes next "
                       "with you. Care can help, and you do not have to work it out alone."))
        if level:
            lines.append(_("After that, your answers suggest talking about %(name)s.")
                         % {"name": level.name})
        return "\n".join(lines).strip() + "\n"
    if level:
        lines.append(_("Suggested level of care: %(name)s") % {"name": level.name})
        if level.summary:
            lines.append(level.summary)
        lines.append(_("About this level: %(url)s") % {"url": site + level.get_absolute_url()})
        lines.append("")
    if context["summary_reasons"]:
        lines.append(_("The main reasons"))
        lines += [f"- {text}" for text in context["summary_reasons"]]
        lines.append("")
    lines.append(_("Your next step"))
    lines += [f"- {note.text}" for note in context["next_steps"]] or [
        "- " + _("A first call is not a promise: you can ask a program or your doctor "
                 "questions first and see how it feels.")]
    lines.append("")
    # Worded once for every card (a translation lookup each time is not free).
    phone_words, no_phone = _("Phone: %(phone)s"), _("No phone number listed.")
    away_words = _("In person, about %(miles)s miles away")
    video_words = _("Telehealth (video sessions) in %(state)s")
    details_words = _("Details: %(url)s")
    accepting = Program.accepting_labels()
    for group in context["groups"]:
        name = group["level"].name if group["level"] else ""
        if group["after"]:
            lines.append(_("For afterwards: %(name)s") % {"name": name})
        else:
            lines.append(_("Programs that offer %(name)s") % {"name": name})
        if group["none_nearby"] and not group["after"]:
            lines.append(_("We found no program within %(miles)s miles of your ZIP code.")
                         % {"miles": group["radius"]})
        if not group["matches"]:
            lines.append(_("No listed program yet. See all programs: %(url)s")
                         % {"url": site + group["full_list_url"]})
        for number, card in enumerate(group["matches"], start=1):
            program = card.program
            lines.append(f"{number}. {program.name}")
            lines.append("   " + (phone_words % {"phone": program.phone}
                                  if program.phone else no_phone))
            where = card.location
            if card.miles is not None:
                lines.append("   " + away_words % {"miles": f"{card.miles:.1f}"}
                             + (f" ({where.city}, {where.state})" if where else ""))
            elif card.telehealth_state:
                lines.append("   " + video_words % {"state": card.telehealth_state})
            elif where:
                lines.append(f"   {where.city}, {where.state}")
            status = accepting.get(program.accepting, program.accepting)
            if program.accepting_note:
                status = f"{status}: {program.accepting_note}"
            lines.append(f"   {status}")
            lines.append("   " + details_words % {"url": site + program.get_absolute_url()})
        lines.append("")
    return "\n".join(lines).strip() + "\n"


def _no_result(request, expired: bool):
    if expired:
        messages.info(request, _(
            "Your result was erased, because results are kept for %(minutes)s minutes only. "
            "You can answer the questions again."
        ) % {"minutes": result_seconds() // 60})
    else:
        messages.warning(
            request, _("Please answer the questions first. Your result appears at the end.")
        )
    return redirect("screening:start")


@never_cache
@require_safe
def result(request):
    snapshot, expired = _snapshot_read(request)
    rules = rules_for(snapshot["version"]) if snapshot else None
    if rules is None:
        rules, session = session_of(request)
        if expired or not result_compute(request, rules, session):
            return _no_result(request, expired)
        snapshot = snapshot_of(request)
    context = _page_context(request, snapshot, rules)
    context["summary_text"] = summary_text(context)
    return render(request, "screening/result.html", context)


@never_cache
@require_safe
def result_summary(request):
    """The result as a short plain-text file to keep: level, main reasons, safety notes, next
    step, programs and crisis lines. Built from the snapshot only: it holds no answers."""
    snapshot, expired = _snapshot_read(request)
    rules = rules_for(snapshot["version"]) if snapshot else None
    if rules is None:
        return _no_result(request, expired)
    text = summary_text(_page_context(request, snapshot, rules))
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="summary.txt"'
    return response


# --------------------------------------------------------------------------- quick exit


@never_cache
@require_safe
def leave(request):
    """"Leave this site": erase the screening (answers and result, the whole session) and
    show a page that says nothing about this site. A plain link, so it works without
    JavaScript; static/js/quick-exit.js makes it replace the page in the history."""
    request.session.flush()
    response = render(request, "screening/leave.html")
    # Not "cookies": that would clear cookies for the whole registrable domain.
    response["Clear-Site-Data"] = '"cache"'
    return response
