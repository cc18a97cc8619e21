"""Content in English and Spanish (django-modeltranslation, README "Languages").

Each field named here gets a column per language (``name_en``, ``name_es``); reading
``level.name`` gives the current language's text, or the English one when the Spanish is
empty (``MODELTRANSLATION_FALLBACK_LANGUAGES``). Staff edit both in the admin. The original
column keeps the English text: the admin and the commands write in English, and raw SQL
(the search document, iop.services) reads it.

Names of programs, organizations and places are proper names and are not translated.
"""

from modeltranslation.translator import TranslationOptions

from iop import models
from iop.i18n import register_with_history


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


register_with_history(models.LevelOfCare, LevelOfCareTranslation)
register_with_history(models.Service, ServiceTranslation)
register_with_history(models.Population, PopulationTranslation)
register_with_history(models.PaymentOption, PaymentOptionTranslation)
register_with_history(models.Accreditation, AccreditationTranslation)
register_with_history(models.Language, LanguageTranslation)
register_with_history(models.Program, ProgramTranslation)
register_with_history(models.ProgramService, ProgramServiceTranslation)
register_with_history(models.Location, LocationTranslation)
register_with_history(models.CrisisResource, CrisisResourceTranslation)
