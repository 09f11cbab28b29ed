"""Admin for governance bodies, series, meetings, decisions, tasks and reports; writes go through the services."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from municipia.core.admin import ServiceDeleteMixin, ServiceModelAdmin
from municipia.governance import services
from municipia.governance.models import (
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    Decision,
    Meeting,
    MeetingSeries,
    ReminderSent,
    Report,
    Task,
)
from municipia.governance.services import AGENDA_ITEM_FIELDS, MEMBER_FIELDS


@admin.register(Body)
class BodyAdmin(ServiceModelAdmin):
    list_display = ["name", "kind", "plan", "holiday_region", "is_public"]
    list_filter = ["kind", "is_public", "holiday_region"]
    list_select_related = ["plan"]
    search_fields = ["name_en", "name_es", "name_ca", "name_bg"]
    autocomplete_fields = ["plan", "axis", "action", "followed_up_by"]
    service_fields = services.BODY_FIELDS

    def create(self, request, obj, data):
        return services.body_create(acting_user=request.user, plan=obj.plan, data=data)

    def update(self, request, obj, data):
        return services.body_update(acting_user=request.user, body=obj, data=data)

    def delete_model(self, request, obj):
        services.body_delete(acting_user=request.user, body=obj)


@admin.register(BodyMember)
class BodyMemberAdmin(ServiceDeleteMixin, ObjectPermissionsModelAdmin, SimpleHistoryAdmin):
    list_display = ["person", "body", "role", "organization", "start_date", "end_date"]
    list_filter = ["role"]
    list_select_related = ["person", "body", "organization"]
    autocomplete_fields = ["body", "person", "organization"]

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in MEMBER_FIELDS if name in form.cleaned_data}
        if change:
            services.member_update(acting_user=request.user, member=obj, data=data)
        else:
            organization = data.pop("organization", None)
            created = services.member_add(
                acting_user=request.user, body=obj.body, person=obj.person, organization=organization, data=data
            )
            obj.pk = created.pk

    def delete_model(self, request, obj):
        services.member_remove(acting_user=request.user, member=obj)


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(ServiceModelAdmin):
    list_display = ["title", "body", "rrule", "first_start", "time_zone", "on_holiday"]
    list_select_related = ["body"]
    search_fields = ["title_en", "title_es", "title_ca", "title_bg"]
    autocomplete_fields = ["body"]
    service_fields = services.SERIES_FIELDS

    def create(self, request, obj, data):
        return services.series_create(acting_user=request.user, body=obj.body, data=data)

    def update(self, request, obj, data):
        # The service brings the meetings still to come in line with the changed series.
        return services.series_update(acting_user=request.user, series=obj, data=data)

    def delete_model(self, request, obj):
        deleted, kept = services.series_delete(acting_user=request.user, series=obj)
        if kept:
            messages.info(
                request,
                _("%(kept)d meetings of this series that had work recorded were kept as single meetings.")
                % {"kept": kept},
            )


class AgendaItemInline(admin.TabularInline):
    """Agenda items edited on their meeting; `MeetingAdmin.save_formset` saves them through the services."""

    model = AgendaItem
    extra = 0
    fields = ["position", "title_en", "title_es", "title_ca", "title_bg", "presenter", "action"]
    autocomplete_fields = ["presenter", "action"]


@admin.register(Meeting)
class MeetingAdmin(ServiceModelAdmin):
    list_display = ["title", "body", "starts_at", "is_cancelled", "minutes_status"]
    list_filter = ["is_cancelled", "minutes_status"]
    list_select_related = ["body"]
    search_fields = ["title_en", "title_es", "title_ca", "title_bg"]
    autocomplete_fields = ["body"]
    date_hierarchy = "starts_at"
    service_fields = services.MEETING_FIELDS
    readonly_fields = ["series", "original_start", "is_cancelled", "minutes_status", "minutes_approved_by"]
    inlines = [AgendaItemInline]

    def create(self, request, obj, data):
        return services.meeting_create(acting_user=request.user, body=obj.body, data=data)

    def update(self, request, obj, data):
        return services.meeting_update(acting_user=request.user, meeting=obj, data=data)

    def delete_model(self, request, obj):
        services.meeting_delete(acting_user=request.user, meeting=obj)

    def save_formset(self, request, form, formset, change):
        """Agenda items go through `agenda_item_create/update/delete`, like the pages and the API."""
        if formset.model is not AgendaItem:
            return super().save_formset(request, form, formset, change)
        meeting = form.instance
        deleted = {id(item_form) for item_form in formset.deleted_forms}
        # The admin's change message reads what the formset's own save() would have recorded.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for item_form in formset.forms:
            item = item_form.instance
            if id(item_form) in deleted:
                if item.pk:
                    services.agenda_item_delete(acting_user=request.user, item=item)
                    formset.deleted_objects.append(item)
                continue
            if not item_form.has_changed():
                continue
            data = {name: item_form.cleaned_data[name] for name in AGENDA_ITEM_FIELDS if name in item_form.cleaned_data}
            if item.pk:
                services.agenda_item_update(acting_user=request.user, item=item, data=data)
                formset.changed_objects.append((item, item_form.changed_data))
            else:
                created = services.agenda_item_create(acting_user=request.user, meeting=meeting, data=data)
                formset.new_objects.append(created)
        return None


@admin.register(Decision)
class DecisionAdmin(ServiceModelAdmin):
    list_display = ["number", "body", "meeting", "action"]
    list_select_related = ["body", "meeting", "action"]
    search_fields = ["text_en", "text_es", "text_ca", "text_bg"]
    autocomplete_fields = ["body", "meeting", "action"]
    service_fields = services.DECISION_FIELDS

    def create(self, request, obj, data):
        return services.decision_record(acting_user=request.user, body=obj.body, data=data)

    def update(self, request, obj, data):
        return services.decision_update(acting_user=request.user, decision=obj, data=data)

    def delete_model(self, request, obj):
        services.decision_delete(acting_user=request.user, decision=obj)


@admin.register(Task)
class TaskAdmin(ServiceModelAdmin):
    list_display = ["title", "body", "owner", "due_date", "status"]
    list_filter = ["status"]
    list_select_related = ["body", "owner"]
    search_fields = ["title_en", "title_es", "title_ca", "title_bg"]
    autocomplete_fields = ["body", "meeting", "decision", "action", "owner"]
    service_fields = services.TASK_FIELDS

    def create(self, request, obj, data):
        return services.task_create(acting_user=request.user, body=obj.body, data=data)

    def update(self, request, obj, data):
        return services.task_update(acting_user=request.user, task=obj, data=data)

    def delete_model(self, request, obj):
        services.task_delete(acting_user=request.user, task=obj)


@admin.register(Report)
class ReportAdmin(ServiceModelAdmin):
    list_display = ["body", "addressed_to", "period_start", "period_end", "progress_percent"]
    list_select_related = ["body", "addressed_to"]
    autocomplete_fields = ["body"]
    readonly_fields = ["addressed_to", "filed_by"]
    service_fields = services.REPORT_FIELDS

    def create(self, request, obj, data):
        return services.report_file(acting_user=request.user, body=obj.body, data=data)

    def update(self, request, obj, data):
        return services.report_update(acting_user=request.user, report=obj, data=data)

    def delete_model(self, request, obj):
        services.report_delete(acting_user=request.user, report=obj)


@admin.register(Attendance)
class AttendanceAdmin(ServiceDeleteMixin, ObjectPermissionsModelAdmin, SimpleHistoryAdmin):
    list_display = ["meeting", "person", "organization", "status"]
    list_filter = ["status"]
    list_select_related = ["meeting", "person", "organization"]
    autocomplete_fields = ["meeting", "person", "organization"]

    def save_model(self, request, obj, form, change):
        organizations = {obj.person: obj.organization} if obj.organization_id else None
        (saved,) = services.attendance_record(
            acting_user=request.user,
            meeting=obj.meeting,
            statuses={obj.person: obj.status},
            organizations=organizations,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.attendance_delete(acting_user=request.user, attendance=obj)


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    """Read-only: what the reminder command has sent, for support questions."""

    list_display = ["kind", "key", "recipient", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["recipient", "key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
