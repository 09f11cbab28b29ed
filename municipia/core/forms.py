"""Form base shared by the apps' editing pages."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from municipia.core.i18n import current_language, language_codes, split_translated
from municipia.core.money import MoneyField, is_money
from municipia.core.pickers import use_pickers

#: Fields a person edits most, shown first in the form's details (in this order); the rest keep theirs.
FIRST_FIELDS = ("status", "reported_status", "progress", "start_date", "end_date", "due_date", "date", "budget")


class ServiceModelForm(forms.ModelForm):
    """A ModelForm that only cleans its fields; the service validates the model and saves it.

    Every language column of a translated field (`title_en`, `title_es`…) is optional here; the
    service requires one of them. `language_groups()` lets templates show one fieldset per language.
    """

    #: For a model whose `slug` may be left empty (the service makes it from the title): the
    #: slug field's help text ("" keeps the model's); the field is then optional and an empty
    #: slug is not sent to the service.
    slug_help: str | None = None

    #: Whether single choices among many organisations become search-as-you-type pickers
    #: (`core.pickers`; costs a COUNT per such field, so forms shown many times on a page opt out).
    pickers: bool = False

    def __init__(self, *args, parent=None, **kwargs):
        # The object the new or edited one belongs to (a plan for an axis), for forms whose
        # choices depend on it; entity pages always pass it.
        self.parent = parent
        super().__init__(*args, **kwargs)
        if self.slug_help is not None and "slug" in self.fields:
            self.fields["slug"].required = False
            if self.slug_help:
                self.fields["slug"].help_text = self.slug_help
        if "slug" in self.fields:
            self.fields["slug"].label = _("Web address")
        self._use_money_fields()
        for name, form_field in self.fields.items():
            if language := self._language_of(name):
                # The disclosure names the language, so the label does not repeat "[ca]"; the
                # label is in the interface's language, the text typed in the field in `language`.
                form_field.required = False
                form_field.label = capfirst(self._meta.model._meta.get_field(split_translated(name)[0]).verbose_name)
                form_field.widget.attrs["lang"] = language
            plain_empty_choice(form_field)
            if isinstance(form_field, forms.DateField):
                form_field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            elif isinstance(form_field.widget, forms.Textarea):
                form_field.widget.attrs["rows"] = 3
        if self.pickers:
            use_pickers(self)

    def _use_money_fields(self) -> None:
        """Amounts in euros are shown and typed as the reader's language writes them (core.money)."""
        model_fields = {f.name: f for f in self._meta.model._meta.concrete_fields}
        for name, form_field in list(self.fields.items()):
            model_field = model_fields.get(name)
            if isinstance(form_field, forms.DecimalField) and model_field is not None and is_money(model_field):
                money = model_field.formfield(form_class=MoneyField)
                money.label, money.required = form_field.label, form_field.required
                money.help_text = form_field.help_text
                self.fields[name] = money

    def _language_of(self, name: str) -> str | None:
        return split_translated(name)[1]

    def _post_clean(self):
        # Model validation runs once, in the service, so the form must not build or check the instance.
        pass

    def language_groups(self) -> list[dict]:
        """One disclosure per language: open for the interface's language, one with errors, or
        one with text when the interface's language has none (so the text being edited shows)."""
        groups = []
        for code in language_codes():
            fields = [self[name] for name in self.fields if self._language_of(name) == code]
            if fields:
                info = get_language_info(code)
                filled = sum(1 for field in fields if str(field.value() or "").strip())
                errors = any(field.errors for field in fields)
                groups.append(
                    {"code": code, "name": info["name_local"], "fields": fields, "filled": filled, "errors": errors}
                )
        current = current_language()
        current_filled = any(group["filled"] for group in groups if group["code"] == current)
        first_filled = next((group["code"] for group in groups if group["filled"]), None)
        for group in groups:
            group["open"] = (
                group["code"] == current or group["errors"] or (not current_filled and group["code"] == first_filled)
            )
        return groups

    def common_fields(self) -> list:
        names = [name for name in self.fields if not self._language_of(name)]
        first = [name for name in FIRST_FIELDS if name in names]
        return [self[name] for name in first + [name for name in names if name not in first]]

    def service_data(self, *, exclude: tuple[str, ...] = ()) -> dict:
        """The cleaned values the service accepts (many-to-many values are passed separately)."""
        data = {name: value for name, value in self.cleaned_data.items() if name not in exclude}
        if self.slug_help is not None and not data.get("slug"):
            data.pop("slug", None)
        return data


def plain_empty_choice(form_field: forms.Field) -> None:
    """Replace Django's "---------" empty choice with words: "Choose…" or, when optional, "None"."""
    label = _("Choose…") if form_field.required else _("None")
    if isinstance(form_field, forms.ModelChoiceField) and not isinstance(form_field, forms.ModelMultipleChoiceField):
        if form_field.empty_label is not None:
            form_field.empty_label = label
    elif isinstance(form_field, forms.ChoiceField) and not isinstance(
        form_field, forms.MultipleChoiceField | forms.ModelChoiceField
    ):
        # (Never a model choice field: listing its choices would query the database.)
        choices = list(form_field.choices)  # type: ignore[arg-type]  # a list of pairs once the field exists
        if choices and choices[0][0] in ("", None) and choices[0][1] == "---------":
            form_field.choices = [("", label), *choices[1:]]
