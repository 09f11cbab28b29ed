"""Translated content fields (django-modeltranslation) and change history registration.

History is registered after translation so that the historical tables keep every language.
Observations have no per-row history: they arrive in bulk, and each carries who recorded it
and the import it came from (ObservationImport).
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from municipia.indicators.models import Baseline, Indicator, Target


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("name", "description")


register_history(Indicator, app=__package__, m2m_fields=["objectives", "actions"])
register_history(Baseline, app=__package__)
register_history(Target, app=__package__)
