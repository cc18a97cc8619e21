"""Languages helpers for queries (content translation is django-modeltranslation's:
iop/translation.py, screening/translation.py).

Reading ``obj.name`` falls back to English by itself; a query that returns values instead of
objects (``values_list``, a ``union``) must ask for the fallback: `localized`.
"""

from django.conf import settings
from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
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
