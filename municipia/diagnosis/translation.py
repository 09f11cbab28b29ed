"""Translated content fields (django-modeltranslation) and change history registration.

History is registered after translation so the historical tables keep every language. Responses
and answers have no history: an anonymous response must not gain a log of who wrote it.
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from municipia.diagnosis.models import (
    Campaign,
    Finding,
    MaturityAssessment,
    MaturityDimension,
    MaturityRating,
    Option,
    Question,
    Questionnaire,
    Section,
)


@register(Questionnaire)
class QuestionnaireTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Section)
class SectionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "help_text", "scale_min_label", "scale_max_label")


@register(Option)
class OptionTranslation(TranslationOptions):
    fields = ("label",)


@register(Campaign)
class CampaignTranslation(TranslationOptions):
    fields = ("title", "description")


@register(MaturityDimension)
class MaturityDimensionTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Finding)
class FindingTranslation(TranslationOptions):
    fields = ("title", "text")


register_history(Questionnaire, app=__package__)
register_history(Section, app=__package__)
register_history(Question, app=__package__)
register_history(Option, app=__package__)
register_history(Campaign, app=__package__)
register_history(MaturityAssessment, app=__package__)
register_history(MaturityRating, app=__package__)
register_history(Finding, app=__package__)
