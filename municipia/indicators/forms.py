"""The upload form of observation files; the importer checks the content."""

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ACCEPTED_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")


class ObservationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV or XLSX, at most 20 MB. The first row names the columns: "
            "indicator, organization, date, value, source, note."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_SUFFIXES)}),
    )
    replace = forms.BooleanField(
        label=_("Replace values already stored for the same indicator, organisation and date"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB: split it."))
        if not (upload.name or "").lower().endswith(ACCEPTED_SUFFIXES):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        return upload
