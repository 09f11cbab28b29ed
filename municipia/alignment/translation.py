"""Translated content fields (django-modeltranslation) and change history registration.

History is registered after translation so the historical tables keep every language's column.
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from municipia.alignment.models import Alignment, Framework, FrameworkItem, PlanFramework


@register(Framework)
class FrameworkTranslation(TranslationOptions):
    fields = ("name", "description")


@register(FrameworkItem)
class FrameworkItemTranslation(TranslationOptions):
    fields = ("short_title", "title")


@register(Alignment)
class AlignmentTranslation(TranslationOptions):
    fields = ("rationale",)


register_history(Framework, app=__package__)
register_history(FrameworkItem, app=__package__)
register_history(PlanFramework, app=__package__)
register_history(Alignment, app=__package__)
