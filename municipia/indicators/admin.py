"""Admin for indicators, baselines, targets and observations; writes go through indicators.services."""

from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from municipia.core.admin import ServiceDeleteMixin, ServiceModelAdmin
from municipia.indicators import services
from municipia.indicators.models import (
    Baseline,
    Indicator,
    IndicatorReminder,
    Observation,
    ObservationImport,
    Target,
)


class UntranslatedServiceAdmin(ServiceDeleteMixin, ObjectPermissionsModelAdminMixin, admin.ModelAdmin):
    """ServiceModelAdmin's service writes for models without translated fields."""

    service_fields: list[str] = []
    service_data = ServiceModelAdmin.service_data
    save_model = ServiceModelAdmin.save_model
    save_related = ServiceModelAdmin.save_related
    _changeform_view = ServiceModelAdmin._changeform_view


@admin.register(Indicator)
class IndicatorAdmin(ServiceModelAdmin):
    list_display = [
        "code",
        "name",
        "owner_organization",
        "unit",
        "direction",
        "frequency",
        "framework_code",
        "is_public",
    ]
    list_filter = ["direction", "frequency", "is_public"]
    list_select_related = ["owner_organization"]
    search_fields = ["code", "framework_code", "name_en", "name_es", "name_ca", "name_bg"]
    autocomplete_fields = ["owner_organization", "owner_person", "objectives", "actions"]
    service_fields = services.INDICATOR_FIELDS

    def save_model(self, request, obj, form, change):
        self._links = {"objectives": form.cleaned_data.get("objectives"), "actions": form.cleaned_data.get("actions")}
        super().save_model(request, obj, form, change)

    def create(self, request, obj, data):
        return services.indicator_create(
            acting_user=request.user, owner=obj.owner_organization, data=data, **self._links
        )

    def update(self, request, obj, data):
        return services.indicator_update(acting_user=request.user, indicator=obj, data=data, **self._links)

    def delete_model(self, request, obj):
        services.indicator_delete(acting_user=request.user, indicator=obj)


@admin.register(Baseline)
class BaselineAdmin(UntranslatedServiceAdmin, SimpleHistoryAdmin):
    list_display = ["indicator", "organization", "date", "value"]
    list_select_related = ["indicator", "organization"]
    search_fields = ["indicator__code"]
    autocomplete_fields = ["indicator", "organization"]
    service_fields = services.BASELINE_FIELDS

    def create(self, request, obj, data):
        return services.baseline_create(acting_user=request.user, indicator=obj.indicator, data=data)

    def update(self, request, obj, data):
        return services.baseline_update(acting_user=request.user, baseline=obj, data=data)

    def delete_model(self, request, obj):
        # Through the service, so the indicator's cached status moves with the deletion.
        services.baseline_delete(acting_user=request.user, baseline=obj)


@admin.register(Target)
class TargetAdmin(UntranslatedServiceAdmin, SimpleHistoryAdmin):
    list_display = ["indicator", "organization", "year", "value"]
    list_filter = ["year"]
    list_select_related = ["indicator", "organization"]
    search_fields = ["indicator__code"]
    autocomplete_fields = ["indicator", "organization"]
    service_fields = services.TARGET_FIELDS

    def create(self, request, obj, data):
        return services.target_create(acting_user=request.user, indicator=obj.indicator, data=data)

    def update(self, request, obj, data):
        return services.target_update(acting_user=request.user, target=obj, data=data)

    def delete_model(self, request, obj):
        services.target_delete(acting_user=request.user, target=obj)


@admin.register(Observation)
class ObservationAdmin(UntranslatedServiceAdmin):
    list_display = ["indicator", "organization", "date", "value", "source"]
    list_select_related = ["indicator", "organization"]
    search_fields = ["indicator__code", "organization__slug"]
    autocomplete_fields = ["indicator", "organization"]
    readonly_fields = ["created_by", "batch", "created_at"]
    date_hierarchy = "date"
    service_fields = services.OBSERVATION_FIELDS

    def create(self, request, obj, data):
        return services.observation_create(
            acting_user=request.user, indicator=obj.indicator, organization=obj.organization, data=data
        )

    def update(self, request, obj, data):
        return services.observation_update(acting_user=request.user, observation=obj, data=data)

    def delete_model(self, request, obj):
        services.observation_delete(acting_user=request.user, observation=obj)


@admin.register(ObservationImport)
class ObservationImportAdmin(admin.ModelAdmin):
    """The record of every import: who uploaded which file, and what it changed."""

    list_display = ["file_name", "created_by", "created_at", "status", "row_count", "created_count", "replaced_count"]
    list_filter = ["status"]
    list_select_related = ["created_by"]
    exclude = ["content"]
    readonly_fields = [
        "file_name",
        "created_by",
        "created_at",
        "status",
        "replace",
        "row_count",
        "created_count",
        "replaced_count",
        "imported_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IndicatorReminder)
class IndicatorReminderAdmin(admin.ModelAdmin):
    """The log of reminders sent about stale values (read-only: the reminder command writes it)."""

    list_display = ["indicator", "organization", "latest_date", "recipient", "sent_at"]
    list_select_related = ["indicator", "organization"]
    search_fields = ["recipient", "indicator__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
