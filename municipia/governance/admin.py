"""Admin for governance bodies, series, meetings, decisions, tasks and reports; writes go through the services."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from municipia.core.admin import EntityAdmin
from municipia.governance import services
from municipia.governance.entities import (
    AGENDA_ITEM,
    ATTENDANCE,
    BODY,
    DECISION,
    MEETING,
    MEMBER,
    REPORT,
    SERIES,
    TASK,
)
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


@admin.register(Body)
class BodyAdmin(EntityAdmin):
    entity = BODY
    list_display = ["name", "kind", "plan", "holiday_region", "is_public"]
    list_filter = ["kind", "is_public", "holiday_region"]
    list_select_related = ["plan"]
    search_fields = ["name_en", "name_es", "name_ca", "name_bg"]
    autocomplete_fields = ["plan", "axis", "action", "followed_up_by"]


@admin.register(BodyMember)
class BodyMemberAdmin(EntityAdmin):
    entity = MEMBER
    list_display = ["person", "body", "role", "organization", "start_date", "end_date"]
    list_filter = ["role"]
    list_select_related = ["person", "body", "organization"]
    autocomplete_fields = ["body", "person", "organization"]

    def create(self, request, obj, data):
        # The admin enrols directly; a person whose consent is needed is invited from the body page,
        # where she is told and answers (services.member_create).
        person = data.get("person")
        if person is not None and services.needs_invitation(acting_user=request.user, person=person):
            raise ValidationError(
                {
                    "person": _(
                        "This person belongs to an organisation you do not edit: invite them from the body's page."
                    )
                }
            )
        return super().create(request, obj, data)


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(EntityAdmin):
    entity = SERIES
    list_display = ["title", "body", "rrule", "first_start", "time_zone", "on_holiday"]
    list_select_related = ["body"]
    search_fields = ["title_en", "title_es", "title_ca", "title_bg"]
    autocomplete_fields = ["body"]

    def delete_model(self, request, obj):
        # Not the entity's delete: the page says how many meetings with work recorded were kept.
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
class MeetingAdmin(EntityAdmin):
    entity = MEETING
    list_display = ["title", "body", "starts_at", "is_cancelled", "minutes_status"]
    list_filter = ["is_cancelled", "minutes_status"]
    list_select_related = ["body"]
    search_fields = ["title_en", "title_es", "title_ca", "title_bg"]
    autocomplete_fields = ["body"]
    date_hierarchy = "starts_at"
    readonly_fields = ["series", "original_start", "is_cancelled", "minutes_status", "minutes_approved_by"]
    inlines = [AgendaItemInline]

    def save_formset(self, request, form, formset, change):
        """Agenda items go through their entity's services, like the pages and the API."""
        if formset.model is not AgendaItem:
            return super().save_formset(request, form, formset, change)
        meeting = form.instance
        fields = set(AGENDA_ITEM.editable_names())
        deleted = {id(item_form) for item_form in formset.deleted_forms}
        # The admin's change message reads what the formset's own save() would have recorded.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for item_form in formset.forms:
            item = item_form.instance
            if id(item_form) in deleted:
                if item.pk:
                    AGENDA_ITEM.delete_object(acting_user=request.user, obj=item)
                    formset.deleted_objects.append(item)
                continue
            if not item_form.has_changed():
                continue
            data = {name: value for name, value in item_form.cleaned_data.items() if name in fields}
            if item.pk:
                AGENDA_ITEM.update_object(acting_user=request.user, obj=item, data=data)
                formset.changed_objects.append((item, item_form.changed_data))
            else:
                created = AGENDA_ITEM.create_object(acting_user=request.user, parent=meeting, data=data)
                formset.new_objects.append(created)
        return None


@admin.register(Decision)
class DecisionAdmin(EntityAdmin):
    entity = DECISION
    list_display = ["number", "body", "meeting", "action"]
    list_select_related = ["body", "meeting", "action"]
    search_fields = ["text_en", "text_es", "text_ca", "text_bg"]
    autocomplete_fields = ["body", "meeting", "action"]


@admin.register(Task)
class TaskAdmin(EntityAdmin):
    entity = TASK
    list_display = ["title", "body", "owner", "due_date", "status"]
    list_filter = ["status"]
    list_select_related = ["body", "owner"]
    search_fields = ["title_en", "title_es", "title_ca", "title_bg"]
    autocomplete_fields = ["body", "meeting", "decision", "action", "owner"]


@admin.register(Report)
class ReportAdmin(EntityAdmin):
    entity = REPORT
    list_display = ["body", "addressed_to", "period_start", "period_end", "progress_percent"]
    list_select_related = ["body", "addressed_to"]
    autocomplete_fields = ["body"]
    readonly_fields = ["addressed_to", "filed_by"]


@admin.register(Attendance)
class AttendanceAdmin(EntityAdmin):
    entity = ATTENDANCE
    list_display = ["meeting", "person", "organization", "status"]
    list_filter = ["status"]
    list_select_related = ["meeting", "person", "organization"]
    autocomplete_fields = ["meeting", "person", "organization"]


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
