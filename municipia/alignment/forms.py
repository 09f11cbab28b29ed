"""Forms of the alignment pages; they only clean input, the services validate and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from municipia.alignment.choices import ItemLevel
from municipia.alignment.entities import FRAMEWORK, FRAMEWORK_ITEM
from municipia.alignment.models import Framework, FrameworkItem
from municipia.core.forms import ServiceModelForm
from municipia.core.i18n import translated_names


class FrameworkForm(ServiceModelForm):
    class Meta:
        model = Framework
        fields = FRAMEWORK.editable_names()


class FrameworkItemForm(ServiceModelForm):
    """A new item of the framework given as `parent=` (the item above it may be chosen), or an item's edit form."""

    parent = forms.ModelChoiceField(queryset=FrameworkItem.objects.none(), required=False, label=_("Parent"))

    class Meta:
        model = FrameworkItem
        # The item above is the field below (its choices are the framework's items); owners are
        # chosen on the local-target form.
        fields = [name for name in FRAMEWORK_ITEM.editable_names() if name not in ("parent", "owner")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # `self.parent` is the framework (the object the item is created in); the field `parent` the item above.
        if self.instance.pk is None and self.parent is not None:
            self.fields["parent"].queryset = self.parent.items.order_by("position")
        else:
            del self.fields["parent"]


class LocalTargetForm(ServiceModelForm):
    class Meta:
        model = FrameworkItem
        fields = [*translated_names("title"), "code"]


class AlignmentForm(forms.Form):
    """Framework and item code (e.g. SDG and 11.3), primary or not, and why — in the page's language."""

    framework = forms.ChoiceField(label=_("Framework"))
    code = forms.CharField(
        label=_("Item code"), max_length=40, help_text=_("The item's code in that framework, e.g. 11.3 or EJE-2.")
    )
    is_primary = forms.BooleanField(label=_("Primary alignment"), required=False)
    rationale = forms.CharField(
        label=_("Rationale"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, frameworks: list[Framework], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = [(f.code, f"{f.code} — {f.name}") for f in frameworks]
        self.fields["code"].widget.attrs.update({"list": "item-codes", "autocomplete": "off"})


class AlignmentUpdateForm(forms.Form):
    is_primary = forms.BooleanField(label=_("Primary alignment"), required=False)
    rationale = forms.CharField(
        label=_("Rationale"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PlanFrameworkForm(forms.Form):
    framework = forms.ChoiceField(label=_("Framework"))

    def __init__(self, *args, frameworks: list[Framework], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = [(f.code, f"{f.code} — {f.name}") for f in frameworks]


class SuggestionAnswerForm(forms.Form):
    goal = forms.CharField(max_length=5)
    language = forms.CharField(max_length=5, required=False)


LEVEL_CHOICES = ItemLevel.choices
