"""Template tags of the screening pages."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from iop.i18n import date_text, tenths_formatter
from iop.models import Program
from iop.templatetags.iop_tags import _html, tel_filter

register = template.Library()


@register.simple_tag
def result_cards(matches) -> str:
    """The program cards of a result group (screening.result_views.Card), written out in
    Python: the same HTML as a template loop, in a fraction of the time (up to twenty cards
    with a dozen translated phrases each were half of the result page's rendering). Every
    value is escaped."""
    words = {
        "telehealth": _html(_("Telehealth (video sessions) in your state")),
        "details": _html(_("See details")),
        "no_phone": _html(_("No phone number is listed.")),
        "reach": _html(_("See how to reach them")),
        "unchecked": _html(_("This listing has not been checked with the program yet.")),
        "why": _html(_("Why it may fit:")),
        # Worded once for all the cards (a translation lookup is not free).
        "away": _("About %(miles)s miles away"),
        "call": _("Call %(phone)s"),
        "checked": _("Listing last checked with the program on %(date)s."),
        "tenths": tenths_formatter(),
    }
    accepting = Program.accepting_labels()
    return mark_safe("\n".join(  # noqa: S308
        _result_card(card, words, accepting) for card in matches))


def _result_card(card, words: dict[str, str], accepting: dict[str, str]) -> str:
    program = card.program
    url, name = _html(program.get_absolute_url()), _html(program.name)
    location = card.location
    place = (f'<span class="text-muted-strong">{_html(location.city)}, '
             f"{_html(location.state)}</span>") if location else ""
    between = " · " if location else ""
    if card.miles is not None:
        away = words["away"] % {"miles": words["tenths"](card.miles)}
        where = f'<span class="fw-semibold">{_html(away)}</span>{between}{place}'
    elif card.telehealth_state:
        where = f'<span class="fw-semibold">{words["telehealth"]}</span>{between}{place}'
    else:
        where = place
    status = (f'<span class="status-{_html(program.accepting)}">'
              f"{_html(accepting.get(program.accepting, program.accepting))}</span>")
    if program.accepting_note:
        status += f" — {_html(program.accepting_note)}"
    hidden_name = f'<span class="visually-hidden">: {name}</span>'
    if program.phone:
        call = _html(words["call"] % {"phone": program.phone})
        actions = (f'<a class="btn btn-primary" href="tel:{_html(tel_filter(program.phone))}">'
                   f"{call}</a>\n"
                   f'<a class="card-details" href="{url}">{words["details"]}{hidden_name}</a>')
    else:
        actions = (f'<span>{words["no_phone"]}</span> '
                   f'<a class="card-details" href="{url}">{words["reach"]}{hidden_name}</a>')
    if program.last_verified:
        checked = _html(words["checked"] % {"date": date_text(program.last_verified)})
    else:
        checked = words["unchecked"]
    why = "".join(f"<li>{_html(reason)}</li>" for reason in card.why)
    return (
        '<article class="program-card">\n'
        f'  <h3><a href="{url}">{name}</a></h3>\n'
        f'  <p class="mb-1 card-where">{where}</p>\n'
        f'  <p class="mb-2">{status}</p>\n'
        f'  <p class="mb-2 card-actions">{actions}</p>\n'
        f'  <p class="small text-muted-strong mb-1">{checked}</p>\n'
        f'  <p class="mb-1 fw-semibold">{words["why"]}</p>\n'
        f'  <ul class="mb-0">{why}</ul>\n'
        "</article>"
    )
