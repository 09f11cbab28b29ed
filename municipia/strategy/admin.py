"""Admin for plans and their content; writes go through strategy.services."""

from django.contrib import admin

from municipia.core.admin import ServiceModelAdmin
from municipia.strategy import services
from municipia.strategy.models import Action, Axis, Challenge, Milestone, Objective, Plan, PlanVersion


@admin.register(Plan)
class PlanAdmin(ServiceModelAdmin):
    list_display = ["title", "owner", "status", "period_start", "period_end", "is_published"]
    list_filter = ["status", "is_published"]
    search_fields = ["title_en", "title_es", "title_ca", "title_bg", "slug"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]
    service_fields = services.PLAN_FIELDS
    readonly_fields = ["status"]

    def create(self, request, obj, data):
        return services.plan_create(acting_user=request.user, owner=obj.owner, data=data)

    def update(self, request, obj, data):
        return services.plan_update(acting_user=request.user, plan=obj, data=data)


@admin.register(Axis)
class AxisAdmin(ServiceModelAdmin):
    list_display = ["code", "title", "plan", "weight"]
    list_select_related = ["plan"]
    search_fields = ["code", "title_en", "title_es", "title_ca", "title_bg"]
    autocomplete_fields = ["plan"]
    service_fields = services.AXIS_FIELDS

    def create(self, request, obj, data):
        return services.axis_create(acting_user=request.user, plan=obj.plan, data=data)

    def update(self, request, obj, data):
        return services.axis_update(acting_user=request.user, axis=obj, data=data)


@admin.register(Challenge)
class ChallengeAdmin(ServiceModelAdmin):
    list_display = ["code", "title", "axis"]
    list_select_related = ["axis__plan"]
    search_fields = ["code", "title_en", "title_es", "title_ca", "title_bg"]
    autocomplete_fields = ["axis"]
    service_fields = services.CHALLENGE_FIELDS

    def create(self, request, obj, data):
        return services.challenge_create(acting_user=request.user, axis=obj.axis, data=data)

    def update(self, request, obj, data):
        return services.challenge_update(acting_user=request.user, challenge=obj, data=data)


@admin.register(Objective)
class ObjectiveAdmin(ServiceModelAdmin):
    list_display = ["code", "title", "axis", "weight"]
    list_select_related = ["axis__plan"]
    search_fields = ["code", "title_en", "title_es", "title_ca", "title_bg"]
    autocomplete_fields = ["axis", "challenges"]
    service_fields = services.OBJECTIVE_FIELDS

    def create(self, request, obj, data):
        return services.objective_create(
            acting_user=request.user, axis=obj.axis, data=data, challenges=self._challenges(request)
        )

    def update(self, request, obj, data):
        return services.objective_update(
            acting_user=request.user, objective=obj, data=data, challenges=self._challenges(request)
        )

    def _challenges(self, request):
        return Challenge.objects.filter(pk__in=request.POST.getlist("challenges"))


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title_en", "title_es", "title_ca", "title_bg", "due_date", "completed_on"]


@admin.register(Action)
class ActionAdmin(ServiceModelAdmin):
    list_display = ["code", "title", "plan", "status", "progress", "budget"]
    list_filter = ["status"]
    list_select_related = ["plan", "objective"]
    search_fields = ["code", "title_en", "title_es", "title_ca", "title_bg"]
    autocomplete_fields = ["objective", "owner_department", "lead", "participants", "dependencies"]
    service_fields = services.ACTION_FIELDS
    inlines = [MilestoneInline]

    def save_model(self, request, obj, form, change):
        self._participants = form.cleaned_data.get("participants")
        self._dependencies = form.cleaned_data.get("dependencies")
        super().save_model(request, obj, form, change)

    def create(self, request, obj, data):
        plan = data["objective"].axis.plan
        return services.action_create(
            acting_user=request.user,
            plan=plan,
            data=data,
            participants=self._participants,
            dependencies=self._dependencies,
        )

    def update(self, request, obj, data):
        return services.action_update(
            acting_user=request.user,
            action=obj,
            data=data,
            participants=self._participants,
            dependencies=self._dependencies,
        )


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "approved_at", "approved_by"]
    list_select_related = ["plan", "approved_by"]
    readonly_fields = ["plan", "number", "approved_at", "approved_by", "note", "snapshot"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
