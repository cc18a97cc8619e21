"""The anonymous self-screening: the start page, one page per question, the optional
"finding programs" page and "Check your answers". The result is in `result_views`.

Answers live only in the server-side session (`screening.session`), with the questionnaire
version they belong to, until the result is shown or the person starts over (DESIGN §7).
Which page comes next is `screening.flow`'s decision; these views validate, call it and
render. Every response here is `Cache-Control: no-store`.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from screening import flow
from screening.forms import ExtrasForm, StepForm
from screening.result_views import result_compute, snapshot_of
from screening.session import crisis_context, crisis_of, session_of, session_save


def _page_url(key: str, *, from_check: bool = False) -> str:
    if key == flow.CHECK_PAGE:
        return reverse("screening:check")
    url = reverse("screening:step", kwargs={"key": key})
    return f"{url}?from=check" if from_check else url


@never_cache
@require_safe
def start(request):
    rules, session = session_of(request)
    keys = flow.pages(rules, session.answers)
    missing = flow.first_missing(rules, session.answers)
    return render(
        request,
        "screening/start.html",
        {
            "has_answers": bool(session.answers),
            "has_result": snapshot_of(request) is not None,
            "first_step": keys[0],
            "resume_url": _page_url(missing or flow.CHECK_PAGE),
            "step_count": len(keys),
            **crisis_context(*crisis_of(rules, session.answers)),
        },
    )


@never_cache
@require_POST
def start_over(request):
    had_result = request.session.pop(flow.RESULT_KEY, None) is not None
    request.session.pop(flow.SESSION_KEY, None)
    request.session.cycle_key()
    request.session.set_expiry(None)  # the usual session age again, not the result's
    messages.info(
        request,
        _("Your result has been erased.") if had_result else _("Your answers have been erased."),
    )
    return redirect("screening:start")


def _missing_redirect(request, rules, session, key: str, missing: str, make_form):
    """A page asked for before an earlier one is answered: keep whatever was validly
    answered on this page (nothing typed is lost) and go to the missing page."""
    had_answers = bool(session.answers)
    after_result = not had_answers and snapshot_of(request) is not None
    if after_result and request.method == "POST" and key in (flow.EXTRAS_PAGE, flow.CHECK_PAGE):
        # "See my result" pressed twice: the first press already showed the result.
        return redirect("screening:result")
    if request.method == "POST" and make_form is not None:
        # Every question of the page: one shown when the person filled it in may be hidden
        # now only because the earlier answers it depends on are missing.
        valid = make_form(request.POST, every_question=True).valid_answers()
        if key == flow.EXTRAS_PAGE:
            session.extras = valid
        else:
            session.answers.update(valid)
        session_save(request, session)
    if had_answers:
        messages.info(request, _("Please answer this question first."))
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
        ) if request.method == "POST" else _("Please start with this question."))
    return redirect(_page_url(missing))


@never_cache
@require_http_methods(["GET", "POST"])
def step(request, key):
    rules, session = session_of(request)
    if not flow.is_page(rules, key):
        raise Http404(_("There is no such question."))
    from_check = (request.POST if request.method == "POST" else request.GET).get("from") == "check"
    if key not in flow.pages(rules, session.answers):
        return redirect(_page_url(flow.shown_instead(rules, session.answers, key),
                                  from_check=from_check))

    is_extras = key == flow.EXTRAS_PAGE
    page = None if is_extras else rules.page(key)
    shown = rules.shown_keys(session.answers)
    saved = session.extras if is_extras else {
        k: session.answers[k] for k in page.question_keys if k in session.answers
    }

    def make_form(data=None, *, every_question=False):
        if is_extras:
            return ExtrasForm(data, initial=saved, questionnaire=rules.questionnaire,
                              answers=session.answers)
        initial = {
            k: (v if rules.question(k).multiple else v[0]) for k, v in saved.items() if v
        }
        return StepForm(data, initial=initial, rules=rules, page=page,
                        shown=frozenset(page.question_keys) if every_question else shown)

    missing = flow.blocked_by(rules, session.answers, key)
    if missing is not None:
        return _missing_redirect(request, rules, session, key, missing, make_form)

    if request.method == "POST":
        form = make_form(request.POST)
        if form.is_valid():
            if is_extras:
                session.extras = form.valid_answers()
            else:
                valid = form.valid_answers()
                for k in page.question_keys:
                    if k in valid:
                        session.answers[k] = valid[k]
                    else:
                        session.answers.pop(k, None)
            session_save(request, session)
            following = flow.next_page(rules, session.answers, key, from_check=from_check)
            return redirect(_page_url(following, from_check=from_check))
    else:
        form = make_form()

    number, count = flow.progress(rules, session.answers, key)
    previous = flow.previous_page(rules, session.answers, key)
    return render(
        request,
        "screening/step.html",
        {
            "form": form,
            "step": page,
            "step_key": key,
            "is_extras": is_extras,
            "from_check": from_check,
            "step_number": number,
            "step_count": count,
            "previous_url": _page_url(flow.CHECK_PAGE) if from_check
            else _page_url(previous) if previous else reverse("screening:start"),
            **crisis_context(*crisis_of(rules, session.answers)),
        },
    )


def _answer_rows(rules, session) -> list[dict]:
    """Check your answers: each question shown, with the answer's words and a Change link."""
    shown = rules.shown_keys(session.answers)
    rows = []
    for page in rules.visible_pages(session.answers):
        for key in page.question_keys:
            if key not in shown or key not in session.answers:
                continue
            question = rules.question(key)
            rows.append({
                "key": key,
                "step": page.title,
                "question": question.text,
                "answers": [question.option(value).label for value in session.answers[key]],
                "change_url": _page_url(page.key, from_check=True),
            })
    return rows


def _extra_rows(rules, session) -> list[dict]:
    form = ExtrasForm(initial=session.extras, questionnaire=rules.questionnaire,
                      answers=session.answers)
    rows = []
    for name, field in form.fields.items():
        value = session.extras.get(name, "")
        rows.append({
            "key": name,
            "question": field.label,
            "answers": [form.display_value(name, value)] if value else [],
            "change_url": _page_url(flow.EXTRAS_PAGE, from_check=True),
        })
    return rows


@never_cache
@require_http_methods(["GET", "POST"])
def check(request):
    """Check your answers, then "See my result"."""
    rules, session = session_of(request)
    missing = flow.blocked_by(rules, session.answers, flow.CHECK_PAGE)
    if missing is not None:
        return _missing_redirect(request, rules, session, flow.CHECK_PAGE, missing, None)
    if request.method == "POST":
        if result_compute(request, rules, session):
            return redirect("screening:result")
        messages.warning(request, _("Please answer the questions first."))
        return redirect("screening:start")
    number, count = flow.progress(rules, session.answers, flow.CHECK_PAGE)
    return render(
        request,
        "screening/check.html",
        {
            "answer_rows": _answer_rows(rules, session),
            "extra_rows": _extra_rows(rules, session),
            "previous_url": _page_url(flow.EXTRAS_PAGE),
            "step_count": count,
            **crisis_context(*crisis_of(rules, session.answers)),
        },
    )
