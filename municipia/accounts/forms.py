"""Forms of the account pages."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What or who uses it, e.g. “monthly import script”.")
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        initial=lambda: settings.API_TOKEN_DEFAULT_DAYS,
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
    )
