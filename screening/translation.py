"""The questionnaire's words in English and Spanish (django-modeltranslation).

Only wording is translated: keys, values, points, levels and conditions are one set for
every language, so the rules a person is screened by never depend on the page's language.
The rules cache keeps one copy per language (screening.rules). The optional questions
(``Questionnaire.extras``, JSON) keep their other languages' words in
``Questionnaire.extras_translations``, laid over the English by key (screening.documents).
"""

from modeltranslation.translator import TranslationOptions, translator

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


def _register(model, options) -> None:
    """The model and its audit history (django-simple-history), so the history records the
    words of every language."""
    translator.register(model, options)
    history = getattr(model, "history", None)
    if history is not None:
        translator.register(history.model, options)


_register(models.Step, StepTranslation)
_register(models.Flag, FlagTranslation)
_register(models.Requirement, RequirementTranslation)
_register(models.Question, QuestionTranslation)
_register(models.Option, OptionTranslation)
_register(models.Score, ScoreTranslation)
_register(models.ScoreBand, ScoreBandTranslation)
_register(models.Rule, RuleTranslation)
