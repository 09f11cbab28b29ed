"""Admin of agreements, commitments, clarifications and news; writes go through the entities' services."""

from django.contrib import admin

from municipia.core.admin import EntityAdmin
from municipia.partnerships.entities import (
    AGREEMENT,
    CLARIFICATION,
    COMMITMENT,
    DOCUMENT,
    NEWS_POST,
    SIGNATORY,
    SUBSCRIPTION,
)
from municipia.partnerships.models import (
    Agreement,
    AgreementDocument,
    Clarification,
    Commitment,
    MailSent,
    NewsPost,
    Signatory,
    Subscription,
)

TITLE_SEARCH = ["title_en", "title_es", "title_ca", "title_bg"]


@admin.register(Agreement)
class AgreementAdmin(EntityAdmin):
    entity = AGREEMENT
    list_display = ["title", "kind", "owner", "signed_on", "expires_on", "is_public"]
    list_filter = ["kind", "is_public"]
    list_select_related = ["owner"]
    search_fields = [*TITLE_SEARCH, "slug"]
    autocomplete_fields = ["owner", "parties"]


@admin.register(Signatory)
class SignatoryAdmin(EntityAdmin):
    entity = SIGNATORY
    list_display = ["person_name", "position", "organization", "agreement", "signed_on"]
    list_select_related = ["organization", "agreement"]
    search_fields = ["person_name", "position"]
    autocomplete_fields = ["agreement", "organization"]


@admin.register(AgreementDocument)
class AgreementDocumentAdmin(EntityAdmin):
    entity = DOCUMENT
    list_display = ["title", "agreement", "size"]
    list_select_related = ["agreement"]
    autocomplete_fields = ["agreement"]


@admin.register(Commitment)
class CommitmentAdmin(EntityAdmin):
    entity = COMMITMENT
    list_display = ["__str__", "agreement", "due_date", "status"]
    list_filter = ["status"]
    list_select_related = ["agreement", "party"]
    search_fields = ["deliverable_en", "deliverable_es", "deliverable_ca", "deliverable_bg"]
    autocomplete_fields = ["agreement", "party", "actions"]
    raw_id_fields = ["tasks", "meetings", "campaigns"]


@admin.register(Clarification)
class ClarificationAdmin(EntityAdmin):
    entity = CLARIFICATION
    list_display = ["title", "publisher", "verdict", "status", "published_at"]
    list_filter = ["verdict", "status"]
    list_select_related = ["publisher"]
    search_fields = [*TITLE_SEARCH, "slug"]
    autocomplete_fields = ["publisher", "plans", "actions"]
    # Publication is the four-eyes step of the page and the API (clarification_publish), not a field.
    readonly_fields = ["status", "author", "reviewer", "published_at", "corrected_at"]


@admin.register(NewsPost)
class NewsPostAdmin(EntityAdmin):
    entity = NEWS_POST
    list_display = ["title", "organization", "status", "publish_at"]
    list_filter = ["status"]
    list_select_related = ["organization"]
    search_fields = [*TITLE_SEARCH, "slug"]
    autocomplete_fields = ["organization", "plans", "actions", "agreements"]
    raw_id_fields = ["meetings"]


@admin.register(Subscription)
class SubscriptionAdmin(EntityAdmin):
    entity = SUBSCRIPTION
    list_display = ["email", "scope", "language", "confirmed_at", "last_sent_at"]
    list_filter = ["language"]
    list_select_related = ["plan", "organization"]
    search_fields = ["email"]
    autocomplete_fields = ["plan", "organization"]


@admin.register(MailSent)
class MailSentAdmin(admin.ModelAdmin):
    """Read-only: what this app has e-mailed (reminders, confirmations, digests), for support questions."""

    list_display = ["kind", "key", "recipient", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["recipient", "key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
