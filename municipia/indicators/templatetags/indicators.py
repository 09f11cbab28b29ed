"""Template helpers of the indicator pages: measured values written out in the page's language."""

from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def measure(value) -> str:
    """A stored value without its padding zeros, grouped and localised: 12.500000 → "12.5" ("12,5" in es)."""
    if value is None or value == "":
        return "—"
    number = Decimal(value).normalize()
    places = max(0, -number.as_tuple().exponent)
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)
