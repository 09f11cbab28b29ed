"""Admin for frameworks, their items and alignments; writes go through alignment.services."""

from django.contrib import admin

from municipia.alignment.entities import ALIGNMENT, FRAMEWORK, FRAMEWORK_ITEM
from municipia.alignment.models import Alignment, Framework, FrameworkItem, SuggestionFeedback
from municipia.core.admin import EntityAdmin


@admin.register(Framework)
class FrameworkAdmin(EntityAdmin):
    entity = FRAMEWORK
    list_display = ["code", "name", "owner", "is_default", "position"]
    list_select_related = ["owner"]
    search_fields = ["code", "name_en", "name_es", "name_ca", "name_bg"]
    autocomplete_fields = ["owner"]


@admin.register(FrameworkItem)
class FrameworkItemAdmin(EntityAdmin):
    """An item with an owner and a parent is that council's local target (see services.framework_item_create)."""

    entity = FRAMEWORK_ITEM
    list_display = ["code", "title", "framework", "level", "owner"]
    list_filter = ["framework", "level"]
    list_select_related = ["framework", "owner"]
    search_fields = ["code", "title_en", "title_es", "title_ca", "short_title_en"]
    autocomplete_fields = ["parent", "owner"]


@admin.register(Alignment)
class AlignmentAdmin(EntityAdmin):
    entity = ALIGNMENT
    list_display = ["id", "in_plan", "element_kind", "item", "is_primary"]
    list_filter = ["is_primary", "item__framework"]
    list_select_related = ["in_plan", "item__framework"]
    autocomplete_fields = ["plan", "axis", "objective", "action", "indicator", "item"]

    def get_readonly_fields(self, request, obj=None):
        # The element and the item are chosen once; later only the rationale and "primary" change.
        return ["plan", "axis", "objective", "action", "indicator", "item"] if obj is not None else []


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
