"""Search-as-you-type pickers for long choice lists (thousands of councils), working without JavaScript.

A `PickerField` is a text input: the person types an organisation's name (or its web address,
the slug) and the form finds it among the field's queryset. `static/js/municipia.js` adds, when it
runs, suggestions from a small JSON endpoint into the input's <datalist>; without it the form is
still a plain form that accepts an exact name. A select of 8,000 options is neither usable nor
light (every page load sends them all).
"""

import re

from django import forms
from django.db.models import Model, Q
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from municipia.core.i18n import translated_names

#: Above this many choices a picker replaces the select.
PICKER_THRESHOLD = 40


class PickerInput(forms.TextInput):
    """A text input with an (initially empty) datalist the script fills from `search_url`."""

    def __init__(self, search_url: str = "", attrs: dict | None = None):
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.search_url = search_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["list"] = f"{widget_attrs.get('id', name)}-options"
        widget_attrs["data-picker-url"] = str(self.search_url)
        return context

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        list_id = f"{(attrs or {}).get('id', name)}-options"
        return format_html('{}<datalist id="{}"></datalist>', html, list_id)


class PickerField(forms.ModelChoiceField):
    """A model choice typed as text: an object's slug, its exact name (case-insensitive) or its id."""

    default_error_messages = {
        "invalid_choice": _("No organisation of those you may choose is called “%(value)s”."),
        "ambiguous": _(
            "Several organisations are called “%(value)s”: choose one from the suggestions or type its web address."
        ),
    }

    def __init__(self, *, search_url: str, queryset, name_field: str = "name", key_field: str = "slug", **kwargs):
        self.name_field, self.key_field = name_field, key_field
        if not kwargs.get("help_text"):
            kwargs["help_text"] = _("Start typing the name, then choose from the suggestions.")
        super().__init__(queryset=queryset, widget=PickerInput(search_url), **kwargs)

    def prepare_value(self, value):
        # Shown in the input: the chosen object's name, which the person recognises.
        if isinstance(value, Model):
            return getattr(value, self.name_field)
        if value and str(value).isdigit():
            found = self.queryset.filter(pk=value).values_list(self.name_field, flat=True).first()
            return found or value
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if text.isdigit():
            match = self.queryset.filter(pk=text).first()
            if match is not None:
                return match
        # "Name (slug)": how the suggestions tell apart organisations of the same name.
        suffix = re.search(r"\(([-\w]+)\)$", text)
        key = suffix[1] if suffix else text
        match = self.queryset.filter(**{self.key_field: key}).first()
        if match is not None:
            return match
        # Any language's name (modeltranslation columns when the field is translated).
        model_fields = {f.name for f in self.queryset.model._meta.get_fields()}
        columns = [c for c in translated_names(self.name_field) if c in model_fields] or [self.name_field]
        same_name = Q()
        for column in columns:
            same_name |= Q(**{f"{column}__iexact": text})
        named = list(self.queryset.filter(same_name)[:2])
        if len(named) == 1:
            return named[0]
        code = "ambiguous" if named else "invalid_choice"
        raise forms.ValidationError(self.error_messages[code], code=code, params={"value": text})


#: Model → (name of the URL of its JSON suggestions, field class reading the typed text back);
#: each app registers its own (AppConfig.ready).
_SOURCES: dict[type[Model], tuple[str, type[PickerField]]] = {}


def register_picker(model: type[Model], url_name: str, field_class: type[PickerField] = PickerField) -> None:
    _SOURCES[model] = (url_name, field_class)


def picker_or_select(form: forms.Form, name: str, queryset=None, *, search_url: str | None = None) -> None:
    """Give `form.fields[name]` the queryset (or keep its own), as a picker when the choices are many
    and the model has registered suggestions."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    queryset = field.queryset if queryset is None else queryset
    url_name, field_class = _SOURCES.get(queryset.model, ("", PickerField))
    if search_url is None and url_name:
        search_url = str(reverse_lazy(url_name))
    if search_url is not None and queryset.count() > PICKER_THRESHOLD:
        form.fields[name] = field_class(
            search_url=search_url,
            queryset=queryset,
            label=field.label,
            required=field.required,
            help_text=field.help_text or None,
        )
    else:
        field.queryset = queryset


def use_pickers(form: forms.Form) -> None:
    """Every single-choice field of `form` over a registered model becomes a picker when its choices are many
    (call it once the form has set its fields' querysets)."""
    for name, field in list(form.fields.items()):
        if (
            isinstance(field, forms.ModelChoiceField)
            and not isinstance(field, forms.ModelMultipleChoiceField | PickerField)
            and field.queryset is not None
            and field.queryset.model in _SOURCES
        ):
            picker_or_select(form, name)
