"""Admin for indicators, baselines, targets and observations; writes go through indicators.services."""

from django.contrib import admin

from municipia.core.admin import EntityAdmin
from municipia.indicators.entities import BASELINE, INDICATOR, OBSERVATION, TARGET
from municipia.indicators.models import (
    Baseline,
    Indicator,
    IndicatorReminder,
    Observation,
    ObservationImport,
    Target,
)


@admin.register(Indicator)
class IndicatorAdmin(EntityAdmin):
    entity = INDICATOR
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


@admin.register(Baseline)
class BaselineAdmin(EntityAdmin):
    """Deletes go through the service, so the indicator's cached status moves with them."""

    entity = BASELINE
    list_display = ["indicator", "organization", "date", "value"]
    list_select_related = ["indicator", "organization"]
    search_fields = ["indicator__code"]
    autocomplete_fields = ["indicator", "organization"]


@admin.register(Target)
class TargetAdmin(EntityAdmin):
    entity = TARGET
    list_display = ["indicator", "organization", "year", "value"]
    list_filter = ["year"]
    list_select_related = ["indicator", "organization"]
    search_fields = ["indicator__code"]
    autocomplete_fields = ["indicator", "organization"]


@admin.register(Observation)
class ObservationAdmin(EntityAdmin):
    entity = OBSERVATION
    list_display = ["indicator", "organization", "date", "value", "source"]
    list_select_related = ["indicator", "organization"]
    search_fields = ["indicator__code", "organization__slug"]
    autocomplete_fields = ["indicator", "organization"]
    readonly_fields = ["created_by", "batch", "created_at"]
    date_hierarchy = "date"


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
