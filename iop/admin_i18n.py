"""The admin's editing of words in both languages (django-modeltranslation), for staff who are
not developers: each translated field appears twice, "Name (English)" and "Name (Spanish)",
and every list of translated rows can show only those that still lack Spanish.

An empty Spanish field is shown in English on Spanish pages, so nothing is ever blank for the
public; the "Spanish" filter is how staff find what is left to translate.
"""

from django.conf import settings
from django.contrib import admin
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from modeltranslation.translator import translator

LANGUAGE_NAMES = {"en": _("English"), "es": _("Spanish")}
SECOND = [code for code, _name in settings.LANGUAGES if code != "en"]


def missing_translation(model, language: str = "es") -> Q:
    """Rows with an English text whose translation in ``language`` is empty."""
    query = Q()
    for field in translator.get_options_for_model(model).fields:
        query |= Q(**{f"{field}_en__gt": ""}) & (
            Q(**{f"{field}_{language}__isnull": True}) | Q(**{f"{field}_{language}": ""}))
    return query


class SpanishMissingFilter(admin.SimpleListFilter):
    title = _("Spanish text")
    parameter_name = "spanish"

    def lookups(self, request, model_admin):
        return [("missing", _("Missing some Spanish")), ("complete", _("All in Spanish"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(missing_translation(queryset.model))
        if self.value() == "complete":
            return queryset.exclude(missing_translation(queryset.model))
        return queryset


class _Labels:
    """"Name (English)" and "Name (Spanish)" instead of the library's "name [en]"."""

    def patch_translation_field(self, db_field, field, request, **kwargs):
        super().patch_translation_field(db_field, field, request, **kwargs)
        original = getattr(db_field, "translated_field", None)
        language = getattr(db_field, "language", None)
        if original is None or language not in LANGUAGE_NAMES:
            return
        field.label = f"{capfirst(original.verbose_name)} ({LANGUAGE_NAMES[language]})"
        if language != "en":
            field.help_text = _("Leave empty to show the English text on Spanish pages.")


class TranslatedAdmin(_Labels, TranslationAdmin):
    """A ModelAdmin for a model with translated fields (put it first among the bases)."""

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), SpanishMissingFilter]


class TranslatedTabularInline(_Labels, TranslationTabularInline):
    pass


class TranslatedStackedInline(_Labels, TranslationStackedInline):
    pass
