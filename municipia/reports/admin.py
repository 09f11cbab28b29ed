"""Report jobs in the admin: read-only, for following up failures."""

from django.contrib import admin

from municipia.reports.models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "subject_title", "language", "status", "requested_by"]
    list_filter = ["status", "kind", "language"]
    list_select_related = ["plan", "network", "indicator", "council", "requested_by"]
    readonly_fields = [field.name for field in ReportJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
