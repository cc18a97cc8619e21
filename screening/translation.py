"""The questionnaire's words in English and Spanish (django-modeltranslation).

Only wording is translated: keys, values, points, levels and conditions are one set for
every language, so the rules a person is screened by never depend on the page's language.
The rules cache keeps one copy per language (screening.rules). The optional questions
(``Questionnaire.extras``, JSON) keep their other languages' words in
``Questionnaire.extras_translations``, laid over the English by key (screening.documents).
"""

from modeltranslation.translator import TranslationOptions

from iop.i18n import register_with_history
from screening import models


class StepTranslation(TranslationOptions):
    fields = ("title", "intro")


class FlagTranslation(TranslationOptions):
    fields = ("name", "note")


class RequirementTranslation(TranslationOptions):
    fields = ("name", "help_text")


class QuestionTranslation(TranslationOptions):
    fields = ("text", "help_text", "error_message")


class OptionTranslation(TranslationOptions):
    fields = ("label", "explanation")


class ScoreTranslation(TranslationOptions):
    fields = ("name", "help_text")


class ScoreBandTranslation(TranslationOptions):
    fields = ("label", "meaning")


class RuleTranslation(TranslationOptions):
    fields = ("name", "explanation")


register_with_history(models.Step, StepTranslation)
register_with_history(models.Flag, FlagTranslation)
register_with_history(models.Requirement, RequirementTranslation)
register_with_history(models.Question, QuestionTranslation)
register_with_history(models.Option, OptionTranslation)
register_with_history(models.Score, ScoreTranslation)
register_with_history(models.ScoreBand, ScoreBandTranslation)
register_with_history(models.Rule, RuleTranslation)
