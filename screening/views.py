"""The anonymous self-screening: intro, one page per step, result.

Answers live only in the server-side session (cache-backed, never the database)
under SESSION_KEY, with the questionnaire version they belong to, and only until the
result is shown or the person starts over (DESIGN §7). Showing the result erases them
(and the optional ZIP code): what stays, under RESULT_KEY, is a snapshot of the result
page itself so it can be reloaded. Every response here is `Cache-Control: no-store`.
"""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from iop.crisis import crisis_lines
from iop.filters import filter_choices
from iop.models import LevelOfCare, Location, Program
from iop.selectors import SEARCH_DOCUMENT_FIELDS
from screening import engine
from screening.forms import EXTRAS_STEP, ExtrasForm, StepForm
from screening.rules import Rules, live_rules, published_rules
from screening.selectors import Match, recommendation_matches
from screening.services import outcome_record
from screening.wording import notes_of, reason_text, scores_of

SESSION_KEY = "screening"  # answers and extras while the questions are being answered
RESULT_KEY = "screening_result"  # what the result page shows, once answers are erased


def _rules_for(version) -> Rules | None:
    return published_rules(version) if isinstance(version, int) and version > 0 else None


def _state(request) -> tuple[Rules, dict]:
    """The rules this person answers and their answers so far. Someone part way through keeps
    the published version they started with, even when staff publish a new one; a state that
    is not well formed starts afresh on the live version."""
    state = request.session.get(SESSION_KEY)
    rules = _rules_for(state.get("version")) if isinstance(state, dict) else None
    if (
        rules is None
        or not isinstance(state.get("answers"), dict)
        or not isinstance(state.get("extras"), dict)
    ):
        rules = live_rules()
        state = {"version": rules.version, "answers": {}, "extras": {}}
    # Keep only well-formed entries: known answers to known questions, text extras.
    state["answers"] = {
        key: values for key, values in state["answers"].items()
        if isinstance(key, str) and rules.has_question(key) and isinstance(values, list)
        and values and all(
            isinstance(value, str) and value in rules.question(key).values for value in values
        )
    }
    state["extras"] = {
        key: value for key, value in state["extras"].items()
        if key in rules.questionnaire.extra_keys and isinstance(value, str)
    }
    return rules, state


def _save(request, state: dict) -> None:
    request.session[SESSION_KEY] = state
    if state["answers"] or state["extras"]:
        # New answers begin a new screening: the last result's snapshot goes.
        request.session.pop(RESULT_KEY, None)
    request.session.modified = True


def _crisis(rules: Rules, answers: dict) -> tuple[bool, bool]:
    """(crisis, emergency) from the shown options chosen so far, by the engine's own rule."""
    shown = rules.shown_keys(answers)
    return engine.crisis_of(
        rules.question(key).option(value)
        for key, values in answers.items() if key in shown
        for value in values
    )


def _crisis_context(crisis: bool, emergency: bool) -> dict:
    """What includes/crisis_panel.html needs: 911 first in an emergency, else 988 first."""
    if not crisis:
        return {"crisis": False, "emergency": False, "crisis_panel_lines": ()}
    lines = sorted(crisis_lines(), key=lambda line: line.is_emergency != emergency)
    return {"crisis": True, "emergency": emergency, "crisis_panel_lines": lines}


def _page_keys(rules: Rules, answers: dict) -> list[str]:
    """The pages this person sees, in order, given their answers so far, then the extras."""
    return [page.key for page in rules.visible_pages(answers)] + [EXTRAS_STEP]


def _first_incomplete(rules: Rules, answers: dict) -> str | None:
    shown = rules.shown_keys(answers)
    for page in rules.visible_pages(answers):
        for key in page.question_keys:
            if key in shown and rules.question(key).required and not answers.get(key):
                return page.key
    return None


@never_cache
@require_safe
def start(request):
    rules, state = _state(request)
    keys = _page_keys(rules, state["answers"])
    return render(
        request,
        "screening/start.html",
        {
            "has_answers": bool(state["answers"]),
            "has_result": _snapshot(request) is not None,
            "first_step": keys[0],
            "resume_step": _first_incomplete(rules, state["answers"]) or EXTRAS_STEP,
            "step_count": len(keys),
            **_crisis_context(*_crisis(rules, state["answers"])),
        },
    )


@never_cache
@require_POST
def start_over(request):
    had_result = request.session.pop(RESULT_KEY, None) is not None
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    messages.info(
        request,
        _("Your result has been erased.") if had_result else _("Your answers have been erased."),
    )
    return redirect("screening:start")


@never_cache
@require_http_methods(["GET", "POST"])
def step(request, key):
    rules, state = _state(request)
    if key != EXTRAS_STEP and key not in rules.page_keys:
        raise Http404(_("There is no such step."))
    keys = _page_keys(rules, state["answers"])
    if key not in keys:
        # A page this person's answers do not show (for example the drinking questions after
        # "no alcohol"): on to the next page they do see.
        later = [k for k in rules.page_keys if rules.page_keys.index(k) > rules.page_keys.index(
            key)]
        following = next((k for k in later if k in keys), EXTRAS_STEP)
        return redirect("screening:step", key=following)
    index = keys.index(key)

    is_extras = key == EXTRAS_STEP
    page = None if is_extras else rules.page(key)
    shown = rules.shown_keys(state["answers"])
    saved = state["extras"] if is_extras else {
        k: state["answers"][k] for k in page.question_keys if k in state["answers"]
    }

    def make_form(data=None, *, every_question=False):
        if is_extras:
            return ExtrasForm(data, initial=saved, extras=rules.questionnaire.extras)
        initial = {
            k: (v if rules.question(k).multiple else v[0]) for k, v in saved.items() if v
        }
        return StepForm(data, initial=initial, rules=rules, page=page,
                        shown=frozenset(page.question_keys) if every_question else shown)

    # Pages are answered in order: jump back to the first one still missing an answer,
    # keeping whatever was validly answered on this page (nothing typed is lost).
    missing = _first_incomplete(rules, state["answers"])
    if missing is not None and keys.index(missing) < index:
        had_answers = bool(state["answers"])
        after_result = not had_answers and _snapshot(request) is not None
        if after_result and is_extras and request.method == "POST":
            # "See my result" pressed twice: the first press already showed the result.
            return redirect("screening:result")
        if request.method == "POST":
            # Every question of the page: one shown when the person filled it in may be
            # hidden now only because the earlier answers it depends on are missing.
            valid = make_form(request.POST, every_question=True).valid_answers()
            if is_extras:
                state["extras"] = valid
            else:
                state["answers"].update(valid)
            _save(request, state)
        if had_answers:
            messages.info(request, _("Please answer this step first."))
        elif after_result:
            messages.info(request, _(
                "We erased your answers when we showed your result. To answer again, "
                "please start here."
            ))
        else:
            messages.info(request, _(
                "We do not have your earlier answers. For your privacy they are erased after "
                "2 hours without activity, or they were never given. Please start here; "
                "anything you answered later is kept."
            ) if request.method == "POST" else _("Please start with this step."))
        return redirect("screening:step", key=missing)

    if request.method == "POST":
        form = make_form(request.POST)
        going_back = request.POST.get("action") == "back"
        if going_back or form.is_valid():
            if is_extras:
                state["extras"] = form.valid_answers()
            else:
                # Keep what was answered validly; Back never discards earlier answers.
                valid = form.valid_answers()
                for k in page.question_keys:
                    if k in valid:
                        state["answers"][k] = valid[k]
                    elif not going_back:
                        state["answers"].pop(k, None)
            _save(request, state)
            if going_back:
                if index == 0:
                    return redirect("screening:start")
                return redirect("screening:step", key=keys[index - 1])
            keys = _page_keys(rules, state["answers"])  # these answers may show other pages
            index = keys.index(key)
            if index + 1 < len(keys):
                return redirect("screening:step", key=keys[index + 1])
            _result_compute(request, rules, state)
            return redirect("screening:result")
    else:
        form = make_form()

    return render(
        request,
        "screening/step.html",
        {
            "form": form,
            "step": page,
            "step_key": key,
            "is_extras": is_extras,
            "step_number": index + 1,
            "step_count": len(keys),
            "previous_url": reverse("screening:step", kwargs={"key": keys[index - 1]})
            if index
            else reverse("screening:start"),
            **_crisis_context(*_crisis(rules, state["answers"])),
        },
    )


# --------------------------------------------------------------------------- result


def _answers_for_engine(rules: Rules, answers: dict) -> dict:
    return {
        key: (values if rules.question(key).multiple else values[0])
        for key, values in answers.items()
        if rules.has_question(key) and values
    }


def _result_compute(request, rules: Rules, state: dict) -> bool:
    """Decide the result, record the de-identified outcome once, keep a snapshot of what the
    result page shows (codes, worded when shown) and erase the answers and extras (ZIP code
    included) from the session. False when the answers are not complete."""
    answers, extras = state["answers"], state["extras"]
    try:
        recommendation = engine.recommend(rules.questionnaire, _answers_for_engine(rules, answers))
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
    snapshot = {
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
        "groups": [
            {
                "level": group.level,
                "after": group.after,
                "programs": [[match.program.pk, list(match.why)] for match in group.matches],
            }
            for group in groups
        ],
    }
    outcome_record(recommendation=recommendation, version=rules.version)
    request.session.pop(SESSION_KEY, None)
    request.session[RESULT_KEY] = snapshot
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


def _snapshot(request) -> dict | None:
    """The result snapshot in this session, checked; None when there is none (or it is not
    well formed, which is treated the same)."""
    data = request.session.get(RESULT_KEY)
    if not isinstance(data, dict):
        return None
    try:
        groups = []
        for group in data["groups"]:
            programs = []
            for pk, why in group["programs"]:
                programs.append((_int(pk), _texts(why)))
            after = group["after"]
            groups.append({
                "level": _text(group["level"]),
                "after": None if after is None else _text(after),
                "programs": programs,
            })
        next_step = data["next_step"]
        scores = []
        for key, points, most, band in data["scores"]:
            scores.append([_text(key), _int(points), _int(most),
                           None if band is None else _int(band)])
        return {
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
    except (KeyError, TypeError, ValueError):
        return None


@never_cache
@require_safe
def result(request):
    snapshot = _snapshot(request)
    rules = _rules_for(snapshot["version"]) if snapshot else None
    if rules is None:
        rules, state = _state(request)
        if not _result_compute(request, rules, state):
            messages.warning(
                request, _("Please answer the questions first. Your result appears at the end.")
            )
            return redirect("screening:start")
        snapshot = _snapshot(request)

    # Re-rendered from the snapshot: the levels' texts and the programs' current listings.
    levels = {level.code: level for level in LevelOfCare.objects.order_by("rank")}
    ids = [pk for group in snapshot["groups"] for pk, _why in group["programs"]]
    programs = {
        program.pk: program
        for program in Program.objects.published()
        .filter(pk__in=ids)
        .defer(*SEARCH_DOCUMENT_FIELDS)
        .prefetch_related(Prefetch("locations", queryset=Location.objects.order_by("pk")))
    }
    groups = [
        {
            "level": levels.get(group["level"]),
            "after": levels.get(group["after"]) if group["after"] else None,
            "matches": [
                Match(program=programs[pk], why=why)
                for pk, why in group["programs"]
                if pk in programs
            ],
        }
        for group in snapshot["groups"]
    ]
    questionnaire = rules.questionnaire
    reasons = [
        {"text": text, "decisive": reason.get("decisive", False)}
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
    return render(
        request,
        "screening/result.html",
        {
            "rec": snapshot,
            "level": levels.get(snapshot["level"]),
            "next_level": levels.get(snapshot["next_step"] or ""),
            "groups": groups,
            "reasons": reasons,
            "unmet": unmet,
            "safety_notes": notes_of(snapshot["notes"], questionnaire),
            "tips": notes_of(snapshot["tips"], questionnaire),
            "next_steps": notes_of(snapshot["next_steps"], questionnaire),
            "scores": scores_of(snapshot["scores"], questionnaire),
            "version": snapshot["version"],
            **_crisis_context(snapshot["crisis"], snapshot["emergency"]),
        },
    )
