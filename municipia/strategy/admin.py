"""Admin for plans and their content; writes go through the entities' services (strategy/entities.py)."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet

from municipia.core.admin import EntityAdmin
from municipia.strategy.entities import ACTION, AXIS, CHALLENGE, MILESTONE, OBJECTIVE, PLAN
from municipia.strategy.models import Action, Axis, Challenge, Milestone, Objective, Plan, PlanVersion

TITLE_SEARCH = ["title_en", "title_es", "title_ca", "title_bg"]


@admin.register(Plan)
class PlanAdmin(EntityAdmin):
    entity = PLAN
    list_display = ["title", "owner", "status", "period_start", "period_end", "is_published"]
    list_filter = ["status", "is_published"]
    search_fields = [*TITLE_SEARCH, "slug"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["status"]


@admin.register(Axis)
class AxisAdmin(EntityAdmin):
    entity = AXIS
    list_display = ["code", "title", "plan", "weight"]
    list_select_related = ["plan"]
    search_fields = ["code", *TITLE_SEARCH]
    autocomplete_fields = ["plan"]


@admin.register(Challenge)
class ChallengeAdmin(EntityAdmin):
    entity = CHALLENGE
    list_display = ["code", "title", "axis"]
    list_select_related = ["axis__plan"]
    search_fields = ["code", *TITLE_SEARCH]
    autocomplete_fields = ["axis"]


@admin.register(Objective)
class ObjectiveAdmin(EntityAdmin):
    entity = OBJECTIVE
    list_display = ["code", "title", "axis", "weight"]
    list_select_related = ["axis__plan"]
    search_fields = ["code", *TITLE_SEARCH]
    autocomplete_fields = ["axis", "challenges"]


class MilestoneFormSet(BaseInlineFormSet):
    """The action page's milestones, added, changed and deleted through the milestone services.

    Django's inline formset saves straight to the database; here each row goes through
    `milestone_create`/`_update`/`_delete` with the administrator as `acting_user`, so the
    services' rules apply and the history names who did it, as on the pages and in the API.
    A refusal rolls the whole admin save back (the action's own changes too) and is reported on
    the page by ServiceModelAdmin, which catches it inside Django's transaction: hence `set_rollback`.
    """

    acting_user = None  # set per request by MilestoneInline.get_formset

    def save(self, commit=True):
        try:
            return super().save(commit)
        except ValidationError:
            transaction.set_rollback(True)
            raise

    def save_new(self, form, commit=True):
        return MILESTONE.create_object(acting_user=self.acting_user, parent=self.instance, data=form.cleaned_data)

    def save_existing(self, form, obj, commit=True):
        return MILESTONE.update_object(acting_user=self.acting_user, obj=obj, data=form.cleaned_data)

    def delete_existing(self, obj, commit=True):
        if commit:
            MILESTONE.delete_object(acting_user=self.acting_user, obj=obj)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    formset = MilestoneFormSet
    extra = 0
    fields = MILESTONE.editable_names()

    def get_formset(self, request, obj=None, **kwargs):
        # inlineformset_factory builds a new class on every call, so this is per request.
        formset = super().get_formset(request, obj, **kwargs)
        formset.acting_user = request.user
        return formset


@admin.register(Action)
class ActionAdmin(EntityAdmin):
    entity = ACTION
    list_display = ["code", "title", "plan", "status", "progress", "budget"]
    list_filter = ["status"]
    list_select_related = ["plan", "objective"]
    search_fields = ["code", *TITLE_SEARCH]
    autocomplete_fields = ["objective", "owner_department", "lead", "participants", "dependencies"]
    inlines = [MilestoneInline]

    def parent_from(self, obj, data):
        # The plan is not a form field (it never changes); a new action joins its objective's plan.
        return obj.plan if obj.plan_id else data["objective"].axis.plan


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "approved_at", "approved_by"]
    list_select_related = ["plan", "approved_by"]
    readonly_fields = ["plan", "number", "approved_at", "approved_by", "note", "snapshot"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
