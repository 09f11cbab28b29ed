"""Form base shared by the apps' editing pages."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import get_language_info

from municipia.core.i18n import language_codes, split_translated


class ServiceModelForm(forms.ModelForm):
    """A ModelForm that only cleans its fields; the service validates the model and saves it.

    Every language column of a translated field (`title_en`, `title_es`…) is optional here; the
    service requires one of them. `language_groups()` lets templates show one fieldset per language.
    """

    #: For a model whose `slug` may be left empty (the service makes it from the title): the
    #: slug field's help text ("" keeps the model's); the field is then optional and an empty
    #: slug is not sent to the service.
    slug_help: str | None = None

    def __init__(self, *args, parent=None, **kwargs):
        # The object the new or edited one belongs to (a plan for an axis), for forms whose
        # choices depend on it; entity pages always pass it.
        self.parent = parent
        super().__init__(*args, **kwargs)
        if self.slug_help is not None and "slug" in self.fields:
            self.fields["slug"].required = False
            if self.slug_help:
                self.fields["slug"].help_text = self.slug_help
        for name, form_field in self.fields.items():
            if self._language_of(name):
                # The fieldset's legend names the language, so the label does not repeat "[ca]".
                form_field.required = False
                form_field.label = capfirst(self._meta.model._meta.get_field(split_translated(name)[0]).verbose_name)
            if isinstance(form_field, forms.DateField):
                form_field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            elif isinstance(form_field.widget, forms.Textarea):
                form_field.widget.attrs["rows"] = 3

    def _language_of(self, name: str) -> str | None:
        return split_translated(name)[1]

    def _post_clean(self):
        # Model validation runs once, in the service, so the form must not build or check the instance.
        pass

    def language_groups(self) -> list[dict]:
        groups = []
        for code in language_codes():
            fields = [self[name] for name in self.fields if self._language_of(name) == code]
            if fields:
                info = get_language_info(code)
                groups.append({"code": code, "name": info["name_local"], "fields": fields})
        return groups

    def common_fields(self) -> list:
        return [self[name] for name in self.fields if not self._language_of(name)]

    def service_data(self, *, exclude: tuple[str, ...] = ()) -> dict:
        """The cleaned values the service accepts (many-to-many values are passed separately)."""
        data = {name: value for name, value in self.cleaned_data.items() if name not in exclude}
        if self.slug_help is not None and not data.get("slug"):
            data.pop("slug", None)
        return data
