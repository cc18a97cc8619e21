"""Content in English and Spanish (django-modeltranslation, README "Languages").

Each field named here gets a column per language (``name_en``, ``name_es``); reading
``level.name`` gives the current language's text, or the English one when the Spanish is
empty (``MODELTRANSLATION_FALLBACK_LANGUAGES``). Staff edit both in the admin. The original
column keeps the English text: the admin and the commands write in English, and raw SQL
(the search document, iop.services) reads it.

Names of programs, organizations and places are proper names and are not translated.
"""

from modeltranslation.translator import TranslationOptions, translator

from iop import models


class LevelOfCareTranslation(TranslationOptions):
    fields = ("name", "summary", "description", "hours_note", "setting", "who_it_fits",
              "relative_cost")


class ServiceTranslation(TranslationOptions):
    fields = ("name", "description")


class PopulationTranslation(TranslationOptions):
    fields = ("name",)


class PaymentOptionTranslation(TranslationOptions):
    fields = ("name",)


class AccreditationTranslation(TranslationOptions):
    fields = ("name", "description")


class LanguageTranslation(TranslationOptions):
    fields = ("name",)


class ProgramTranslation(TranslationOptions):
    fields = ("summary", "description", "accepting_note")


class ProgramServiceTranslation(TranslationOptions):
    fields = ("note",)


class LocationTranslation(TranslationOptions):
    fields = ("note",)


class CrisisResourceTranslation(TranslationOptions):
    fields = ("name", "description")


def _register(model, options) -> None:
    """The model and its audit history (django-simple-history), so the history records the
    words of every language."""
    translator.register(model, options)
    history = getattr(model, "history", None)
    if history is not None:
        translator.register(history.model, options)


_register(models.LevelOfCare, LevelOfCareTranslation)
_register(models.Service, ServiceTranslation)
_register(models.Population, PopulationTranslation)
_register(models.PaymentOption, PaymentOptionTranslation)
_register(models.Accreditation, AccreditationTranslation)
_register(models.Language, LanguageTranslation)
_register(models.Program, ProgramTranslation)
_register(models.ProgramService, ProgramServiceTranslation)
_register(models.Location, LocationTranslation)
_register(models.CrisisResource, CrisisResourceTranslation)
