"""Numbers in reports, whatever their type (Decimal from the database, float from a computation)."""

from decimal import Decimal, InvalidOperation

from django import template

from municipia.indicators.templatetags.indicators import approx, measure

register = template.Library()


def as_decimal(value) -> Decimal | None:
    """A Decimal holding what the value shows: a float goes through its shortest text (0.1, not 0.1000…0555)."""
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def figure(value) -> str:
    """An observed value, as the indicator pages show it ("12.5", "1,234", "—" when missing)."""
    return measure(as_decimal(value))


@register.filter
def approx_figure(value) -> str:
    """A computed figure (median, quartile) rounded to two decimals, as the benchmark page shows it."""
    return approx(as_decimal(value))
