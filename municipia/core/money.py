"""Amounts of money in forms: shown and typed as the reader's language writes them.

"1 065 000,00" in Bulgarian, "1.065.000,00" in Spanish and Catalan, "1,065,000.00" in English.
The field also accepts the other convention when it cannot be misread (a decimal comma or point
followed by one or two digits, spaces as thousands), so a figure pasted from a spreadsheet in
another language is understood; anything else is refused with the field's name and an example.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

#: The model fields holding euros (strategy's budget, portfolio's MONEY): 14 digits, 2 decimals.
MONEY_DIGITS = (14, 2)

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009'€]")


def is_money(model_field: models.Field) -> bool:
    return (
        isinstance(model_field, models.DecimalField)
        and (
            model_field.max_digits,
            model_field.decimal_places,
        )
        == MONEY_DIGITS
    )


def format_money(value: Decimal | float | int | None) -> str:
    """The amount with two decimals and the language's grouping ("1.065.000,00"); "" when empty."""
    if value is None or value == "":
        return ""
    return formats.number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)


def _grouped(integer: str, separator: str) -> str | None:
    """The digits of `integer` when `separator` groups them by thousands correctly, else None."""
    parts = integer.split(separator)
    if not parts[0] or len(parts[0]) > 3 or any(len(part) != 3 for part in parts[1:]):
        return None
    return "".join(parts)


def parse_money(text: str) -> Decimal | None:
    """The amount written in `text`, read with the active language's separators; None if unreadable."""
    compact = _SPACES.sub("", str(text))
    sign = ""
    if compact[:1] in "-−":
        sign, compact = "-", compact[1:]
    if not compact or not re.fullmatch(r"[0-9.,]+", compact) or not compact[0].isdigit():
        return None
    decimal_sep = formats.get_format("DECIMAL_SEPARATOR")
    seps = {c for c in compact if c in ".,"}
    integer, fraction = compact, ""
    if len(seps) == 2:
        # Both: the last one is the decimal separator, the other groups thousands.
        last = max(compact.rfind("."), compact.rfind(","))
        integer, fraction = compact[:last], compact[last + 1 :]
        grouping = "," if compact[last] == "." else "."
        grouped = _grouped(integer, grouping)
        if grouped is None:
            return None
        integer = grouped
    elif len(seps) == 1:
        sep = seps.pop()
        count = compact.count(sep)
        head, _sep, tail = compact.rpartition(sep)
        # One separator before one or two digits (or before three in the language's own decimal
        # convention, "1,065" in Spanish) marks the decimals; otherwise it groups thousands.
        if count == 1 and (len(tail) != 3 or sep == decimal_sep):
            integer, fraction = head, tail
        else:
            grouped = _grouped(compact, sep)
            if grouped is None:
                return None
            integer = grouped
    if not integer or not fraction.isdigit() and fraction:
        return None
    try:
        return Decimal(f"{sign}{integer}.{fraction or '0'}")
    except InvalidOperation:
        return None


class MoneyInput(forms.TextInput):
    """A text input (a number input would refuse "1.065.000,00") showing the formatted amount."""

    input_type = "text"

    def __init__(self, attrs: dict | None = None):
        super().__init__(attrs={"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
            return format_money(value)
        return super().format_value(value)


class MoneyField(forms.DecimalField):
    """An amount in euros typed as the language writes it; the error names the field and shows an example."""

    widget = MoneyInput

    def __init__(self, **kwargs):
        kwargs.setdefault("decimal_places", MONEY_DIGITS[1])
        kwargs.setdefault("max_digits", MONEY_DIGITS[0])
        super().__init__(**kwargs)
        # DecimalField puts step/min/max on number inputs only; a text input needs none of them.
        self.widget.attrs.pop("step", None)

    def widget_attrs(self, widget):
        return {key: value for key, value in super().widget_attrs(widget).items() if key != "step"}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int | float):
            return Decimal(value)
        amount = parse_money(str(value))
        if amount is None:
            raise forms.ValidationError(
                _("“%(field)s”: “%(value)s” is not an amount; write it like %(example)s."),
                code="invalid",
                params={"field": self.label or "", "value": value, "example": format_money(Decimal("1065000"))},
            )
        return amount


def money_formfield(model_field: models.Field, **kwargs) -> forms.Field | None:
    """The form field of a model field, as a MoneyField when it holds euros (a formfield_callback)."""
    if is_money(model_field):
        return model_field.formfield(form_class=MoneyField, **kwargs)
    return model_field.formfield(**kwargs)
