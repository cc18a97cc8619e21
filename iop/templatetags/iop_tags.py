import re
from functools import lru_cache
from html import escape
from urllib.parse import urlencode

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from iop.filters import option_parts
from iop.kept import Kept
from iop.markdown import render_markdown
from iop.selectors import TemplateRow

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Staff Markdown → sanitised HTML (remembered: the same text gives the same HTML, and
    building the HTML takes about a millisecond)."""
    return _markdown_html(str(text or ""))


@lru_cache(maxsize=1024)
def _markdown_html(text: str):
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (None/'' removes them): the
    same string as copying ``request.GET``, setting or popping each one and ``urlencode()``
    (a replaced parameter keeps its place, a new one goes last), without the deep copy."""
    return replaced_query(context["request"].GET, kwargs)


def replaced_query(query, changes: dict) -> str:
    """`query` (a QueryDict) as a query string, each parameter of `changes` replaced by its
    value, or left out when the value is None or ''."""
    pairs = []
    for name, values in query.lists():
        if name not in changes:
            pairs.extend((name, value) for value in values)
        elif changes[name] not in (None, ""):
            pairs.append((name, str(changes[name])))
    pairs.extend((name, str(value)) for name, value in changes.items()
                 if name not in query and value not in (None, ""))
    return urlencode(pairs)


@register.filter(name="tel")
def tel_filter(phone: str) -> str:
    """A phone number as written in a listing → a tel: link target (RFC 3966): the digits, a
    leading + kept, an extension ("ext. 4", "x4") as ";ext=4"."""
    phone = (phone or "").strip()
    number, extension = phone, ""
    match = _EXTENSION.search(phone)
    if match:
        number, extension = phone[:match.start()], match.group(1)
    digits = "".join(char for char in number if char.isdigit())
    if phone.startswith("+"):
        digits = f"+{digits}"
    return f"{digits};ext={extension}" if extension and digits else digits


_EXTENSION = re.compile(r"\s*(?:ext\.?|extension|x)\s*(\d+)\s*$", re.IGNORECASE)


def _html(value) -> str:
    """`value` escaped for HTML, as the template language would print it."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


@register.simple_tag
def select_options(field, default=None):
    """The ``<option>`` elements of a choice field of the program filters, the current value
    selected (or `default` when there is none). One call instead of a template loop with two
    comparisons and two filters for each of the 150 options of the filter form."""
    current = field.value()
    current = "" if current is None else str(current)
    if not current and default is not None:
        current = str(default)
    options = []
    for value, value_html, label_html in option_parts(field.field):
        selected = " selected" if value == current else ""
        options.append(f'<option value="{value_html}"{selected}>{label_html}</option>')
    return mark_safe("".join(options))  # noqa: S308 - every value escaped


@register.simple_tag
def checkbox_options(field):
    """The checkboxes of a multiple-choice field of the program filters (the services), as
    Django's CheckboxSelectMultiple names them (``id_service_0``…), the chosen ones checked,
    all marked invalid when the field has errors."""
    chosen = {str(value) for value in (field.value() or ())}
    name, auto_id = _html(field.html_name), _html(field.auto_id)
    invalid = f' aria-invalid="true" aria-describedby="{auto_id}-errors"' if field.errors else ""
    boxes = []
    for index, (value, value_html, label_html) in enumerate(option_parts(field.field)):
        checked = " checked" if value in chosen else ""
        boxes.append(
            f'<div class="form-check"><input type="checkbox" name="{name}" value="{value_html}"'
            f' class="form-check-input" id="{auto_id}_{index}"{checked}{invalid}>'
            f'<label class="form-check-label" for="{auto_id}_{index}">{label_html}</label>'
            "</div>"
        )
    return mark_safe("\n".join(boxes))  # noqa: S308 - every value escaped


class FilterField(TemplateRow):
    """What the filter form's template reads of one field: BoundField's names, worked out
    once (a BoundField works out its id, value and errors again at every mention)."""

    __slots__ = ()


def filter_fields(form, radius=None) -> list[FilterField]:
    """The program filters' fields but the page number, each as a FilterField with its
    options (select) or checkboxes (services) rendered: what program_list.html loops over."""
    fields = []
    for bound in form:
        if bound.name == "page":
            continue
        field = FilterField(
            name=bound.name, label=bound.label, html_name=bound.html_name,
            auto_id=bound.auto_id, id_for_label=bound.id_for_label, errors=bound.errors,
            value=bound.value(),
        )
        if bound.name == "service":
            field["options"] = checkbox_options(bound)
        elif bound.name not in ("q", "near", "telehealth"):
            field["options"] = select_options(bound, radius if bound.name == "radius" else None)
        fields.append(field)
    return fields


@register.simple_tag
def filter_field_list(fields) -> str:
    """The filter form's fields (filter_fields) as HTML, written here rather than in a
    template loop of a dozen branches for each field (a sixth of the list page's time):
    the services as a fieldset of checkboxes, telehealth as one checkbox, the search and the
    ZIP code as text inputs, the rest as selects. Every value escaped."""
    return mark_safe("\n".join(_filter_field_html(field) for field in fields))  # noqa: S308


def _errors_html(field) -> str:
    if not field["errors"]:
        return ""
    items = "".join(f"<li>{_html(error)}</li>" for error in field["errors"])
    return f'<ul class="errorlist" id="{_html(field["auto_id"])}-errors">{items}</ul>'


# The filter form's fixed words, escaped, per language: each field's label (the program
# filters' labels are the class's, one per field name) and the hints and placeholders.
_filter_words = Kept(settings={"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"})


_FILTER_TEXTS = {
    "telehealth": gettext_lazy("Offers telehealth (video sessions)"),
    "q": gettext_lazy("Name, service or city"),
    "near": gettext_lazy("Your ZIP code finds programs you can reach. It is not saved."),
    "zip": gettext_lazy("For example 10001"),
}


def _filter_word(key: str, text) -> str:
    """`text` (a lazy translation) escaped, in the page's language, kept under `key`."""
    return _filter_words.get_or_make((get_language() or "", key), lambda: _html(text))


def _filter_field_html(field) -> str:
    name = field["name"]
    label = _filter_word(f"label:{name}", field["label"])
    auto_id, for_id = _html(field["auto_id"]), _html(field["id_for_label"])
    errors, invalid = _errors_html(field), bool(field["errors"])
    # A control with errors points to them (the ZIP code also to its hint, below).
    marked = f' aria-invalid="true" aria-describedby="{auto_id}-errors"' if invalid else ""
    if name == "service":
        return (f"<fieldset>\n<legend>{label}</legend>\n{errors}"
                f'<div class="service-list" id="{auto_id}">\n{field["options"]}\n</div>\n'
                "</fieldset>")
    if name == "telehealth":
        checked = " checked" if field["value"] else ""
        words = _filter_word("telehealth", _FILTER_TEXTS["telehealth"])
        return (f'<div class="form-check mb-3">\n<input type="checkbox" class="form-check-input" '
                f'name="telehealth" value="true" id="{for_id}"{checked}>\n'
                f'<label class="form-check-label" for="{for_id}">{words}</label>\n</div>')
    is_invalid = " is-invalid" if invalid else ""
    if name == "q":
        control = (f'<input type="search" name="q" id="{for_id}" class="form-control{is_invalid}" '
                   f'value="{_html(field["value"] or "")}" maxlength="200" '
                   f'placeholder="{_filter_word("q", _FILTER_TEXTS["q"])}"{marked}>')
    elif name == "near":
        hint = _filter_word("near", _FILTER_TEXTS["near"])
        described = f"{auto_id}-hint" + (f" {auto_id}-errors" if invalid else "")
        control = (f'<p class="form-text mt-0 mb-1" id="{auto_id}-hint">{hint}</p>\n'
                   f'<input type="text" name="near" id="{for_id}" class="form-control{is_invalid}" '
                   f'value="{_html(field["value"] or "")}" maxlength="10" inputmode="numeric" '
                   f'autocomplete="postal-code" '
                   f'placeholder="{_filter_word("zip", _FILTER_TEXTS["zip"])}" '
                   f'aria-describedby="{described}"' + (' aria-invalid="true"' if invalid else "")
                   + ">")
    else:
        control = (f'<select name="{_html(field["html_name"])}" id="{for_id}" '
                   f'class="form-select{is_invalid}"{marked}>\n{field["options"]}\n</select>')
    return (f'<div class="mb-3">\n<label class="form-label fw-semibold" for="{for_id}">{label}'
            f"</label>\n{errors}{control}\n</div>")


@register.simple_tag
def program_card_list(cards, near=None):
    """The list's cards (iop.selectors.program_cards: every value already worked out), as
    HTML: written here rather than in a template loop, which cost the list page about a
    third of its time (twenty cards of some thirty tags each). The markup is a card's
    ``<article>`` as before: a heading with the link, the summary, the levels and badges, then
    distance (near a ZIP code), where, when and openings as a description list."""
    words = {
        "levels": _html(_("Levels of care")), "distance": _html(_("Distance")),
        "where": _html(_("Where")), "when": _html(_("When")), "openings": _html(_("Openings")),
        "telehealth_available": _html(_("telehealth available")),
        "demo": _html(_("Demo listing (fictional)")),
        "synthetic": _html(_("Synthetic test listing")),
        "telehealth": _html(_("Telehealth")),
        "included": _html(_("included because you asked for video sessions")),
    }
    return mark_safe("\n".join(_card_html(card, near, words) for card in cards))  # noqa: S308


def _card_html(card, near, words: dict[str, str]) -> str:
    """One card; every value from the card escaped (words: escaped labels)."""
    pk = _html(card["pk"])
    badges = [f'<li><span class="badge badge-level">{_html(level)}</span></li>'
              for level in card["levels"]]
    if card["is_demo"]:
        badges.append(f'<li><span class="badge badge-demo">{words["demo"]}</span></li>')
    if card["is_synthetic"]:
        badges.append(f'<li><span class="badge badge-demo">{words["synthetic"]}</span></li>')
    facts = []
    if near:
        if card["miles"] is not None and not card["beyond_radius"]:
            distance = f"<strong>{_html(card['distance'])}</strong>"
            if card["nearest"]:
                distance += f" · {_html(card['nearest'])}"
        elif card["telehealth"]:
            away = f"{_html(card['distance_away'])} " if card["miles"] is not None else ""
            distance = f"<strong>{words['telehealth']}</strong> · {away}{words['included']}"
        else:
            distance = ""
        facts.append(f'<dt>{words["distance"]}</dt>\n<dd class="distance">{distance}</dd>')
    if card["location"]:
        more = f" {_html(card['more_locations'])}" if card["more_locations"] else ""
        facts.append(f"<dt>{words['where']}</dt>\n<dd>{_html(card['location'])}{more}</dd>")
    if card["when"] or card["telehealth"]:
        when = _html(card["when"])
        if card["telehealth"]:
            when += f"{' · ' if card['when'] else ''}{words['telehealth_available']}"
        facts.append(f"<dt>{words['when']}</dt>\n<dd>{when}</dd>")
    facts.append(
        f"<dt>{words['openings']}</dt>\n"
        f'<dd class="status-{_html(card["accepting"])}">{_html(card["accepting_label"])}</dd>'
    )
    facts_html = "\n    ".join(facts)
    organisation = (
        f'\n  <p class="mb-1 text-muted-strong">{_html(card["organisation"])}</p>'
        if card["organisation"] else ""
    )
    return (
        f'<article class="program-card" aria-labelledby="program-{pk}">\n'
        f'  <h2 id="program-{pk}"><a href="{_html(card["url"])}">{_html(card["name"])}</a></h2>'
        f"{organisation}\n"
        f'  <p class="mb-2">{_html(card["summary"])}</p>\n'
        f'  <ul class="list-unstyled d-flex flex-wrap gap-2 mb-2" aria-label="{words["levels"]}">'
        f'{"".join(badges)}</ul>\n'
        f'  <dl class="facts small">\n    {facts_html}\n  </dl>\n'
        "</article>"
    )


@register.simple_tag
def chip_items(chips) -> str:
    """The list's chips (iop.views._filter_chips: (label, query string without that filter)),
    as the ``<li>`` items of their list: each a link that removes its filter, its label read
    out as "Remove filter: …"; then "Clear all filters" when there are two or more. Written
    here rather than in a template loop of five tags a chip."""
    address = _html(dict(_nav_addresses(get_language()))["programs"])  # the list's address
    remove = _html(_("Remove filter:"))
    items = [
        f'<li><a class="chip" href="{address}{"?" + _html(query) if query else ""}">'
        f'<span class="visually-hidden">{remove} </span>{_html(label)}'
        '<span class="chip-x" aria-hidden="true">×</span></a></li>'
        for label, query in chips
    ]
    if len(chips) > 1:
        clear = _html(_("Clear all filters"))  # not in the f-string: xgettext would miss it
        items.append(f'<li><a class="chip-clear" href="{address}">{clear}</a></li>')
    return mark_safe("\n".join(items))  # noqa: S308 - every value escaped


# ----------------------------------------------------------------- the page in every language


@register.simple_tag(takes_context=True)
def alternate_links(context) -> str:
    """``<link rel="alternate" hreflang>`` for this page in every language (the first also
    as x-default), from iop.context_processors.languages: one call, not a template loop."""
    request, alternates = context.get("request"), context.get("page_languages") or ()
    if request is None:
        return ""
    origin = f"{request.scheme}://{request.get_host()}"
    links = []
    for index, alternate in enumerate(alternates):
        href = _html(origin + alternate.url)
        links.append(f'<link rel="alternate" hreflang="{_html(alternate.code)}" href="{href}">')
        if index == 0:
            links.append(f'<link rel="alternate" hreflang="x-default" href="{href}">')
    return mark_safe("\n  ".join(links))  # noqa: S308 - every value escaped


@register.simple_tag(takes_context=True)
def language_switch(context) -> str:
    """The header's links to this page in the other languages, each named in its own."""
    items = [
        f'<li><a href="{_html(alternate.url)}" lang="{_html(alternate.code)}" '
        f'hreflang="{_html(alternate.code)}">{_html(alternate.name)}</a></li>'
        for alternate in context.get("page_languages") or () if not alternate.current
    ]
    return mark_safe("\n".join(items))  # noqa: S308 - every value escaped


# --------------------------------------------------------------------------- the site's chrome
# The crisis banner, the main navigation and the footer are on every page and depend on
# nothing but the language, the crisis lines and the page's section: each is rendered once
# for each such combination and remembered by this process (keyed by what it is made of, so
# an edited crisis line is a new key and shows at once). Rendering them every time cost about
# 1 ms of every page.

@lru_cache(maxsize=64)
def _chrome(template_name: str, language: str, values: tuple) -> str:
    return mark_safe(render_to_string(template_name, dict(values)))  # noqa: S308 - a template's output


@register.simple_tag(takes_context=True)
def crisis_banner(context):
    """includes/crisis_banner.html for this page's language and the crisis lines in force."""
    lines = context.get("crisis_lines", ())
    lines = tuple(lines() if callable(lines) else lines)
    return _chrome("includes/crisis_banner.html", get_language(), (("crisis_lines", lines),))


# The sections of the main navigation: (name, URL name); a page belongs to the first whose
# address it is ("about") or starts with (the others).
NAV_SECTIONS = (("about", "iop:about_iop"), ("levels", "iop:level_list"),
                ("programs", "iop:program_list"), ("screening", "screening:start"))


@lru_cache(maxsize=8)
def _nav_addresses(language: str) -> tuple[tuple[str, str], ...]:
    return tuple((name, reverse(url_name)) for name, url_name in NAV_SECTIONS)


def nav_section(path: str) -> str:
    """The navigation section of the page at `path` ("" for none)."""
    for name, address in _nav_addresses(get_language()):
        if path == address or (name != "about" and path.startswith(address)):
            return name
    return ""


@register.simple_tag(takes_context=True)
def site_nav(context):
    """includes/site_nav.html, this page's section marked."""
    request = context.get("request")
    current = nav_section(request.path) if request is not None else ""
    return _chrome("includes/site_nav.html", get_language(), (("current", current),))


@register.simple_tag
def site_footer():
    return _chrome("includes/site_footer.html", get_language(), ())
