import re
from functools import lru_cache
from html import escape

from django import template
from django.utils.safestring import mark_safe

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
    """The current query string with some parameters replaced (None/'' removes them)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


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
    for value, label in field.field.choices:
        value = str(value)
        selected = " selected" if value == current else ""
        options.append(f'<option value="{_html(value)}"{selected}>{_html(label)}</option>')
    return mark_safe("".join(options))  # noqa: S308 - every value escaped above


@register.simple_tag
def checkbox_options(field):
    """The checkboxes of a multiple-choice field of the program filters (the services), as
    Django's CheckboxSelectMultiple names them (``id_service_0``…), the chosen ones checked,
    all marked invalid when the field has errors."""
    chosen = {str(value) for value in (field.value() or ())}
    name, auto_id = _html(field.html_name), _html(field.auto_id)
    invalid = f' aria-invalid="true" aria-describedby="{auto_id}-errors"' if field.errors else ""
    boxes = []
    for index, (value, label) in enumerate(field.field.choices):
        value = str(value)
        checked = " checked" if value in chosen else ""
        boxes.append(
            f'<div class="form-check"><input type="checkbox" name="{name}" value="{_html(value)}"'
            f' class="form-check-input" id="{auto_id}_{index}"{checked}{invalid}>'
            f'<label class="form-check-label" for="{auto_id}_{index}">{_html(label)}</label>'
            "</div>"
        )
    return mark_safe("\n".join(boxes))  # noqa: S308 - every value escaped above


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
