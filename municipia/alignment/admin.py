"""Admin for frameworks, their items and alignments; writes go through alignment.services."""

from django.contrib import admin

from municipia.alignment import services
from municipia.alignment.models import Alignment, Framework, FrameworkItem, SuggestionFeedback
from municipia.core.admin import ServiceModelAdmin


@admin.register(Framework)
class FrameworkAdmin(ServiceModelAdmin):
    list_display = ["code", "name", "owner", "is_default", "position"]
    list_select_related = ["owner"]
    search_fields = ["code", "name_en", "name_es", "name_ca", "name_bg"]
    autocomplete_fields = ["owner"]
    service_fields = services.FRAMEWORK_FIELDS

    def create(self, request, obj, data):
        return services.framework_create(acting_user=request.user, owner=obj.owner, data=data)

    def update(self, request, obj, data):
        return services.framework_update(acting_user=request.user, framework=obj, data=data)

    def delete_model(self, request, obj):
        services.framework_delete(acting_user=request.user, framework=obj)


@admin.register(FrameworkItem)
class FrameworkItemAdmin(ServiceModelAdmin):
    list_display = ["code", "title", "framework", "level", "owner"]
    list_filter = ["framework", "level"]
    list_select_related = ["framework", "owner"]
    search_fields = ["code", "title_en", "title_es", "title_ca", "short_title_en"]
    autocomplete_fields = ["parent", "owner"]
    service_fields = services.ITEM_FIELDS

    def create(self, request, obj, data):
        if obj.owner_id is not None and obj.parent_id is not None:
            return services.local_target_create(acting_user=request.user, parent=obj.parent, owner=obj.owner, data=data)
        return services.framework_item_create(
            acting_user=request.user, framework=obj.framework, parent=obj.parent, data=data
        )

    def update(self, request, obj, data):
        return services.framework_item_update(acting_user=request.user, item=obj, data=data)

    def delete_model(self, request, obj):
        services.framework_item_delete(acting_user=request.user, item=obj)


@admin.register(Alignment)
class AlignmentAdmin(ServiceModelAdmin):
    list_display = ["id", "in_plan", "element_kind", "item", "is_primary"]
    list_filter = ["is_primary", "item__framework"]
    list_select_related = ["in_plan", "item__framework"]
    autocomplete_fields = ["plan", "axis", "objective", "action", "indicator", "item"]
    service_fields = services.ALIGNMENT_FIELDS

    def get_readonly_fields(self, request, obj=None):
        # The element and the item are chosen once; later only the rationale and "primary" change.
        return ["plan", "axis", "objective", "action", "indicator", "item"] if obj is not None else []

    def create(self, request, obj, data):
        element = obj.plan or obj.axis or obj.objective or obj.action or obj.indicator
        return services.alignment_create(acting_user=request.user, element=element, item=obj.item, data=data)

    def update(self, request, obj, data):
        return services.alignment_update(acting_user=request.user, alignment=obj, data=data)

    def delete_model(self, request, obj):
        services.alignment_delete(acting_user=request.user, alignment=obj)


@admin.register(SuggestionFeedback)
class SuggestionFeedbackAdmin(admin.ModelAdmin):
    """Read-only: answers are given on the action pages and through the API."""

    list_display = ["created_at", "goal", "accepted", "language", "action", "indicator", "user"]
    list_filter = ["accepted", "language", "goal"]
    list_select_related = ["action", "indicator", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
