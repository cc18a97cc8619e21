"""The anonymous self-screening: intro, one page per step, result.

Answers live only in the server-side session (cache-backed, never the database)
under SESSION_KEY, with the questionnaire version they belong to. Every response
here is `Cache-Control: no-store`.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from iop.crisis import crisis_lines
from iop.geo import zip_lookup
from iop.models import LevelOfCare, Service
from screening import engine
from screening.forms import EXTRAS_STEP, ExtrasForm, StepForm
from screening.rules import Rules, live_rules
from screening.selectors import program_matches
from screening.services import outcome_record

SESSION_KEY = "screening"


def _state(request, rules: Rules) -> dict:
    """This person's answers for the live version (a stale or tampered state is reset)."""
    state = request.session.get(SESSION_KEY)
    if (
        not isinstance(state, dict)
        or state.get("version") != rules.version
        or not isinstance(state.get("answers"), dict)
        or not isinstance(state.get("extras"), dict)
    ):
        state = {"version": rules.version, "answers": {}, "extras": {}}
    # Keep only well-formed entries: lists of text for known questions, text extras.
    state["answers"] = {
        key: values for key, values in state["answers"].items()
        if key in rules.questions and isinstance(values, list)
        and all(isinstance(value, str) for value in values)
    }
    state["extras"] = {
        key: value for key, value in state["extras"].items() if isinstance(value, str)
    }
    return state


def _save(request, state: dict) -> None:
    request.session[SESSION_KEY] = state
    request.session.modified = True


def _step_keys(rules: Rules) -> list[str]:
    return [step.key for step in rules.steps] + [EXTRAS_STEP]


def _first_incomplete(rules: Rules, answers: dict) -> str | None:
    for step in rules.steps:
        for key in step.question_keys:
            if rules.questions[key].required and not answers.get(key):
                return step.key
    return None


def _answers_for_engine(rules: Rules, answers: dict) -> dict:
    return {
        key: (values if rules.questions[key].multiple else values[0])
        for key, values in answers.items()
        if key in rules.questions and values
    }


@never_cache
@require_http_methods(["GET"])
def start(request):
    rules = live_rules()
    state = _state(request, rules)
    return render(
        request,
        "screening/start.html",
        {
            "has_answers": bool(state["answers"]),
            "first_step": rules.steps[0].key,
            "resume_step": _first_incomplete(rules, state["answers"]) or EXTRAS_STEP,
            "step_count": len(_step_keys(rules)),
        },
    )


@never_cache
@require_POST
def start_over(request):
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    messages.info(request, _("Your answers have been erased."))
    return redirect("screening:start")


@never_cache
@require_http_methods(["GET", "POST"])
def step(request, key):
    rules = live_rules()
    keys = _step_keys(rules)
    if key not in keys:
        raise Http404(_("There is no such step."))
    state = _state(request, rules)
    index = keys.index(key)

    is_extras = key == EXTRAS_STEP
    step_info = None if is_extras else rules.steps[index]

    # Steps are answered in order: jump back to the first one still missing an answer,
    # keeping whatever was validly answered on this page (nothing typed is lost).
    missing = _first_incomplete(rules, state["answers"])
    if missing is not None and keys.index(missing) < index:
        had_answers = bool(state["answers"])
        if request.method == "POST":
            if is_extras:
                state["extras"] = ExtrasForm(request.POST).valid_answers()
            else:
                state["answers"].update(
                    StepForm(request.POST, rules=rules, step=step_info).valid_answers()
                )
            _save(request, state)
        if had_answers:
            messages.info(request, _("Please answer this step first."))
        else:
            messages.info(request, _(
                "We do not have your earlier answers. For your privacy they are erased after "
                "2 hours without activity, or they were never given. Please start here; "
                "anything you answered later is kept."
            ) if request.method == "POST" else _("Please start with this step."))
        return redirect("screening:step", key=missing)

    saved = state["extras"] if is_extras else {
        k: state["answers"][k] for k in step_info.question_keys if k in state["answers"]
    }

    def make_form(data=None):
        if is_extras:
            return ExtrasForm(data, initial=saved)
        initial = {
            k: (v if rules.questions[k].multiple else v[0]) for k, v in saved.items() if v
        }
        return StepForm(data, initial=initial, rules=rules, step=step_info)

    if request.method == "POST":
        form = make_form(request.POST)
        going_back = request.POST.get("action") == "back"
        if going_back or form.is_valid():
            if is_extras:
                state["extras"] = form.valid_answers()
            else:
                # Keep what was answered validly; Back never discards earlier answers.
                valid = form.valid_answers()
                for k in step_info.question_keys:
                    if k in valid:
                        state["answers"][k] = valid[k]
                    elif not going_back:
                        state["answers"].pop(k, None)
            _save(request, state)
            if going_back:
                if index == 0:
                    return redirect("screening:start")
                return redirect("screening:step", key=keys[index - 1])
            if index + 1 < len(keys):
                return redirect("screening:step", key=keys[index + 1])
            return redirect("screening:result")
    else:
        form = make_form()

    return render(
        request,
        "screening/step.html",
        {
            "form": form,
            "step": step_info,
            "step_key": key,
            "is_extras": is_extras,
            "step_number": index + 1,
            "step_count": len(keys),
            "previous_url": reverse("screening:step", kwargs={"key": keys[index - 1]})
            if index
            else reverse("screening:start"),
        },
    )


def _zip_point(zip_code) -> tuple[float, float] | None:
    point = zip_lookup(zip_code) if isinstance(zip_code, str) else None
    return point.coordinates if point else None


@never_cache
@require_http_methods(["GET"])
def result(request):
    rules = live_rules()
    state = _state(request, rules)
    try:
        recommendation = engine.recommend(
            rules.questionnaire, _answers_for_engine(rules, state["answers"])
        )
    except engine.AnswerError:
        messages.warning(
            request, _("Please answer the questions first. Your result appears at the end.")
        )
        return redirect("screening:start")

    state["outcome_id"] = outcome_record(
        recommendation=recommendation, version=rules.version, outcome_id=state.get("outcome_id")
    )
    _save(request, state)

    answers = state["answers"]
    levels = {level.code: level for level in LevelOfCare.objects.order_by("rank")}
    remedy_slugs = {slug for item in recommendation.unmet_requirements for slug in item.remedies}
    services = {s.slug: s for s in Service.objects.filter(slug__in=remedy_slugs)}
    match_level = recommendation.next_step or recommendation.level
    matches = program_matches(
        level=match_level,
        age_group=(answers.get("age_group") or [None])[0],
        remedies=frozenset(remedy_slugs),
        payment=state["extras"].get("payment"),
        language=state["extras"].get("language"),
        flags=frozenset(recommendation.flags),
        near=_zip_point(state["extras"].get("zip")),
    )
    # 911 first in an emergency; otherwise the crisis lines (988) lead.
    lines = sorted(
        crisis_lines(), key=lambda line: line.is_emergency != recommendation.emergency
    )
    unmet = [
        {
            "requirement": item,
            "help_text": rules.requirement_help.get(item.key, ""),
            "services": [services[slug] for slug in item.remedies if slug in services],
        }
        for item in recommendation.unmet_requirements
    ]
    notes = [rules.flag_notes[flag] for flag in recommendation.flags if flag in rules.flag_notes]
    return render(
        request,
        "screening/result.html",
        {
            "rec": recommendation,
            "level": levels.get(recommendation.level),
            "next_level": levels.get(recommendation.next_step or ""),
            "match_level": levels.get(match_level),
            "unmet": unmet,
            "notes": notes,
            "matches": matches,
            "crisis_result_lines": lines,
            "readiness": (answers.get("readiness") or [""])[0],
            "version": rules.version,
        },
    )
