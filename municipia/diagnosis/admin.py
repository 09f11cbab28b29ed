"""Admin of the diagnosis; writes go through diagnosis.services. Responses are read-only (and an
anonymous one shows nothing that identifies its respondent: there is nothing to show)."""

from django.contrib import admin

from municipia.core.admin import EntityAdmin
from municipia.diagnosis.entities import CAMPAIGN, FINDING, QUESTIONNAIRE
from municipia.diagnosis.models import (
    Campaign,
    CampaignResultSnapshot,
    Finding,
    MaturityDimension,
    Questionnaire,
    RefusedSubmission,
    Response,
)


@admin.register(Questionnaire)
class QuestionnaireAdmin(EntityAdmin):
    entity = QUESTIONNAIRE
    list_display = ["title", "owner", "kind", "is_template"]
    list_filter = ["kind", "is_template"]
    search_fields = ["title_en", "title_es", "title_ca", "title_bg"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]
    exclude = ["copied_from"]


@admin.register(Campaign)
class CampaignAdmin(EntityAdmin):
    entity = CAMPAIGN
    list_display = ["title", "owner", "audience", "access", "status", "wave_number"]
    list_filter = ["status", "audience", "access", "is_anonymous"]
    search_fields = ["title_en", "title_es", "title_ca", "title_bg", "slug"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner", "results_published_to", "plan"]
    # Margins are set on the campaign's margins page or through the API (campaign_margins_update).
    readonly_fields = ["status", "wave_of", "wave_number", "population_margins"]


@admin.register(Finding)
class FindingAdmin(EntityAdmin):
    entity = FINDING
    list_display = ["title", "plan", "kind", "challenge"]
    list_filter = ["kind"]
    list_select_related = ["plan", "challenge"]
    search_fields = ["title_en", "title_es", "title_ca", "title_bg"]
    autocomplete_fields = ["plan"]
    readonly_fields = ["challenge"]


@admin.register(MaturityDimension)
class MaturityDimensionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "position"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "campaign", "submitted_at", "language", "weight"]
    list_filter = ["language"]
    list_select_related = ["campaign"]
    exclude = ["user", "invitation"]


@admin.register(RefusedSubmission)
class RefusedSubmissionAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "reason", "created_at"]
    list_filter = ["reason"]
    list_select_related = ["campaign"]


@admin.register(CampaignResultSnapshot)
class CampaignResultSnapshotAdmin(ReadOnlyAdmin):
    """Stored results: when and how fast each campaign's were computed, and any computation running."""

    list_display = ["campaign", "responses", "computed_at", "milliseconds", "computing_since"]
    list_select_related = ["campaign"]
    exclude = ["results"]
