import re

from django import template

from iop.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Staff Markdown → sanitised HTML."""
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
