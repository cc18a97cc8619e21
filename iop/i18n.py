"""Languages helpers for queries (content translation is django-modeltranslation's:
iop/translation.py, screening/translation.py).

Reading ``obj.name`` falls back to English by itself; a query that returns values instead of
objects (``values_list``, a ``union``) must ask for the fallback: `localized`.
"""

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.conf import settings
from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.template.defaultfilters import floatformat
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.translation import get_language

DEFAULT = "en"


def current_language() -> str:
    """The request's language if the site has it, else English."""
    language = get_language() or DEFAULT
    return language if language in {code for code, _name in settings.LANGUAGES} else DEFAULT


def localized(field: str, language: str | None = None):
    """An expression for a translated column in the current language, falling back to the
    English one when it is empty."""
    language = language or current_language()
    if language == DEFAULT:
        return Coalesce(F(f"{field}_{DEFAULT}"), F(field), output_field=CharField())
    return Coalesce(NullIf(F(f"{field}_{language}"), Value("")), F(f"{field}_{DEFAULT}"),
                    output_field=CharField())


def localized_sql(column: str, language: str | None = None) -> str:
    """`localized` written as SQL, for a plain query of one table (`column`: a model
    constant, never input)."""
    language = language or current_language()
    if language == DEFAULT:
        return f"COALESCE({column}_{DEFAULT}, {column})"
    return f"COALESCE(NULLIF({column}_{language}, ''), {column}_{DEFAULT})"


def register_with_history(model, options) -> None:
    """Register a model's translated fields (django-modeltranslation) and the same fields on
    its audit history model (django-simple-history), so the history records every language."""
    from modeltranslation.translator import translator

    translator.register(model, options)
    history = getattr(model, "history", None)
    if history is not None:
        translator.register(history.model, options)


_TENTH = Decimal("0.1")


def tenths_formatter():
    """A function number → its text with one decimal, exactly as ``floatformat(number, 1)``
    writes it in the current language (rounded half up, the language's decimal separator, no
    grouping), made once for a page: floatformat works out the format and the context anew on
    every call, which was a tenth of a near-me list page's time (twenty distances)."""
    separator = get_format("DECIMAL_SEPARATOR")
    grouped = settings.USE_THOUSAND_SEPARATOR

    def tenths(number) -> str:
        value = Decimal(str(number))
        if grouped or not value.is_finite() or not 1e-100 < abs(value) < 1e15 and value:
            # Grouping, huge or tiny numbers (floatformat gives those back as they are):
            # Django's own path.
            return floatformat(number, 1)
        text = str(value.quantize(_TENTH, ROUND_HALF_UP))
        if text.startswith("-") and not value.quantize(_TENTH, ROUND_HALF_UP):
            text = text[1:]  # floatformat writes -0.04 as "0.0"
        return text if separator == "." else text.replace(".", separator)

    return tenths


@lru_cache(maxsize=4096)
def _date_text(value, language: str, format_string: str) -> str:
    return dateformat.format(value, format_string)


def date_text(value) -> str:
    """``date_format(value, "DATE_FORMAT")``, kept per date, language and format: a result
    page words twenty "last checked" dates, which cost a twentieth of the page."""
    return _date_text(value, get_language() or "", get_format("DATE_FORMAT"))
