"""Template helpers of the indicator pages: measured values written out in the page's language."""

from decimal import Decimal

from django import template
from django.utils import formats

from municipia.indicators.choices import ActionHealth

register = template.Library()


@register.filter
def measure(value) -> str:
    """A stored value without its padding zeros, grouped and localised: 12.500000 → "12.5" ("12,5" in es)."""
    if value is None or value == "":
        return "—"
    number = Decimal(value).normalize()
    exponent = number.as_tuple().exponent  # a letter for NaN and infinity, which have no places
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def get(mapping, key):
    """`counts|get:status`: a dictionary's value in a template (None when missing)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def health_label(value) -> str:
    """The translated name of an action health (see monitoring.py)."""
    return str(ActionHealth(value).label) if value in ActionHealth.values else ""


@register.filter
def approx(value) -> str:
    """A computed value (an expected value, a median) rounded to two decimals, then shown like `measure`."""
    if value is None or value == "":
        return "—"
    return measure(Decimal(value).quantize(Decimal("0.01")))
