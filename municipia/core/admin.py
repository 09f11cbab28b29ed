"""Admin base class: rules-based object permissions, translated fields, history, service writes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from modeltranslation.admin import TranslationAdmin
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin


class ServiceModelAdmin(ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin, TranslationAdmin):
    """Every admin save goes through the app's service, as pages and API do.

    Subclasses implement `create(request, obj, data)` and `update(request, obj, data)`.
    The admin form has already run the model's validation; a service error that only the
    service can see (a dependency cycle, say) is reported on the form field.
    """

    service_fields: list[str] = []

    def service_data(self, form) -> dict:
        return {name: form.cleaned_data[name] for name in self.service_fields if name in form.cleaned_data}

    def save_model(self, request, obj, form, change):
        data = self.service_data(form)
        if change:
            self.update(request, obj, data)
        else:
            created = self.create(request, obj, data)
            obj.pk = created.pk

    def save_related(self, request, form, formsets, change):
        # Many-to-many values were set by the service; only inline formsets remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def create(self, request, obj, data):
        raise NotImplementedError

    def update(self, request, obj, data):
        raise NotImplementedError

    def _changeform_view(self, request, object_id, form_url, extra_context):
        try:
            return super()._changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            # Only cross-object rules reach here (a dependency cycle, say): the admin's own form
            # has already checked each field. The service has rolled its own changes back; the page says why.
            for field, errors in exc.message_dict.items():
                for error in errors:
                    messages.error(request, f"{field}: {error}")
            return HttpResponseRedirect(request.get_full_path())
