"""Admin base class: rules-based object permissions, translated fields, history, service writes."""

from functools import partial
from types import SimpleNamespace

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from modeltranslation.admin import TranslationAdmin
from modeltranslation.translator import translator
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from municipia.core.entities import Entity


class ServiceDeleteMixin:
    """Deletes, one by one or in bulk, go through `delete_model`, which subclasses point at a service.

    Django's bulk action deletes a queryset in SQL, skipping the service's rules (an approved
    record kept, related rows cleaned up, history written); here every selected object goes
    through `delete_model` in one transaction, and a refusal deletes nothing and says why.
    """

    def get_deleted_objects(self, objs, request):
        # Django refuses outright when a protected row points at an object; the service knows
        # the order that makes a delete possible (a body's decisions before its meetings) or refuses
        # with a reason of its own, so the confirmation page leaves that decision to it.
        deleted, model_count, perms_needed, _protected = super().get_deleted_objects(objs, request)
        return deleted, model_count, perms_needed, []

    def delete_queryset(self, request, queryset):
        try:
            with transaction.atomic():
                for obj in queryset:
                    self.delete_model(request, obj)
        except ValidationError as exc:
            request._service_delete_refused = True
            messages.error(request, " ".join(exc.messages))

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # The bulk action reports success after `delete_queryset` returns; not when it refused.
        if level == messages.SUCCESS and getattr(request, "_service_delete_refused", False):
            return
        super().message_user(request, message, level, *args, **kwargs)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(request.get_full_path())


class ServiceModelAdmin(ServiceDeleteMixin, ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin, TranslationAdmin):
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


class EntityAdmin(ServiceModelAdmin):
    """The admin of a declared entity: saves and deletes go through the entity's services.

    The parent of a new object is the form's value of `entity.parent` (or what
    `parent_from(data)` derives from the form's values when the parent is not a form field);
    the entity's `links` (many-to-many) are handed to the services as they are to pages and API.
    """

    entity: Entity  # set by each subclass

    def __init__(self, model, admin_site) -> None:
        if model in translator.get_registered_models():
            super().__init__(model, admin_site)
        else:
            # modeltranslation's admin refuses a model without translated fields; such a model
            # gets the plain admin with an empty set of translated fields.
            admin.ModelAdmin.__init__(self, model, admin_site)
            self.trans_opts = SimpleNamespace(fields={}, all_fields={})
        if not hasattr(model, "history"):
            # Not every model keeps a history (observations are too many); Django's own page then.
            self.object_history_template = None
            self.history_view = partial(admin.ModelAdmin.history_view, self)

    def get_queryset(self, request):
        # The change list shows what the entity's visibility rule lets this user see.
        return self.entity.visible(request.user, super().get_queryset(request))

    def get_service_fields(self) -> list[str]:
        return self.service_fields or self.entity.editable_names()

    def service_data(self, form) -> dict:
        names = [*self.get_service_fields(), *self.entity.links]
        return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}

    def parent_from(self, obj, data: dict):
        name = self.entity.parent
        return data.get(name) or getattr(obj, name, None) if name else None

    def create(self, request, obj, data):
        return self.entity.create_object(acting_user=request.user, parent=self.parent_from(obj, data), data=data)

    def update(self, request, obj, data):
        return self.entity.update_object(acting_user=request.user, obj=obj, data=data)

    def delete_model(self, request, obj):
        self.entity.delete_object(acting_user=request.user, obj=obj)
