"""API of agreements, commitments, clarifications and news: serializers and viewsets.

Reads are scoped by the entities' visibility rules, writes go through the services (the same as
pages and admin). Organisations, plans and agreements are named by slug; actions, tasks,
meetings and campaigns by id, among those the caller may see.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action as viewset_action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from municipia.api.serializers import HtmlUrlField, LinkField, translated_read_only_kwargs
from municipia.api.viewsets import EntityViewSet
from municipia.diagnosis.entities import CAMPAIGN
from municipia.diagnosis.models import Campaign
from municipia.governance.entities import MEETING, TASK
from municipia.governance.models import Meeting, Task
from municipia.organizations.models import Organization
from municipia.partnerships import services
from municipia.partnerships.entities import AGREEMENT, CLARIFICATION, COMMITMENT, NEWS_POST
from municipia.partnerships.filters import AgreementFilter, ClarificationFilter, CommitmentFilter, NewsPostFilter
from municipia.partnerships.models import Agreement, AgreementDocument, Clarification, Commitment, NewsPost, Signatory
from municipia.partnerships.selectors import commitment_state, commitments_with_work
from municipia.strategy.api import entity_fields
from municipia.strategy.entities import ACTION, PLAN
from municipia.strategy.models import Action, Plan

FIXED_AFTER_CREATION = _("This cannot be changed once created.")


def _organization_field(help_text, **kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="slug", queryset=Organization.objects.all(), help_text=help_text, **kwargs
    )


class PartnershipSerializer(serializers.ModelSerializer):
    """Base: link choices limited to what the caller may see; the parent fixed after creation."""

    parent_field = ""
    #: Many-valued links and the entity scoping their choices.
    scoped_links: dict[str, Any] = {}

    def _user(self):
        request = self.context.get("request")
        return request.user if request is not None else AnonymousUser()

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is None or request.method in SAFE_METHODS:
            return fields
        for name, entity in self.scoped_links.items():
            field = fields.get(name)
            if field is not None and not field.read_only:
                target = field.child_relation if hasattr(field, "child_relation") else field
                target.queryset = entity.visible(self._user())
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        name = self.parent_field
        if self.instance is not None and name in attrs and attrs[name] != getattr(self.instance, name):
            raise serializers.ValidationError({name: [FIXED_AFTER_CREATION]})
        return attrs


# --- Agreements


class SignatorySerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Signatory
        fields = ["id", "person_name", "position", "organization", "signed_on"]


class DocumentSerializer(serializers.ModelSerializer):
    download_url = HtmlUrlField(help_text=_("Link to download the document."))

    class Meta:
        model = AgreementDocument
        fields = ["id", "title", "size", "download_url"]


class AgreementSerializer(PartnershipSerializer):
    """A memorandum, agreement or convenio with its parties, signatories and documents."""

    parent_field = "owner"

    url = LinkField(view_name="api:agreement-detail", lookup_field="slug")
    html_url = HtmlUrlField()
    owner = _organization_field(_("Slug of the registering organisation (a party); fixed once created."))
    parties = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        required=False,
        queryset=Organization.objects.all(),
        help_text=_("Slugs of the parties (the owner is always one)."),
    )
    signatories = SignatorySerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = entity_fields(AGREEMENT, first=("url", "html_url", "slug", "owner"), last=("signatories", "documents"))
        extra_kwargs = {
            **translated_read_only_kwargs(*AGREEMENT.translated),
            "slug": {"required": False, "help_text": _("Made from the title when left out.")},
        }


class AgreementViewSet(EntityViewSet):
    """Agreements: everyone sees public ones; the parties' editors also their private ones."""

    entity = AGREEMENT
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return (
            self.entity.visible(self.request.user)
            .select_related("owner")
            .prefetch_related(
                Prefetch("parties", queryset=Organization.objects.only("id", "slug").order_by("slug")),
                Prefetch("signatories", queryset=Signatory.objects.select_related("organization")),
                "documents",
            )
        )


# --- Commitments


class CommitmentSerializer(PartnershipSerializer):
    """What one party undertakes in an agreement, the work it is linked to and whether that work is done."""

    parent_field = "agreement"
    scoped_links = {
        "agreement": AGREEMENT,
        "actions": ACTION,
        "tasks": TASK,
        "meetings": MEETING,
        "campaigns": CAMPAIGN,
    }

    url = LinkField(view_name="api:commitment-detail")
    html_url = HtmlUrlField()
    agreement = serializers.SlugRelatedField(
        slug_field="slug", queryset=Agreement.objects.none(), help_text=_("Slug of the agreement; fixed once created.")
    )
    party = _organization_field(_("Slug of the committed party (one of the agreement's parties)."))
    actions = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=Action.objects.none())
    tasks = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=Task.objects.none())
    meetings = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=Meeting.objects.none())
    campaigns = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=Campaign.objects.none())
    fulfilled = serializers.SerializerMethodField(help_text=_("True when every piece of linked work is done."))

    class Meta:
        model = Commitment
        fields = entity_fields(COMMITMENT, first=("url", "html_url", "id", "agreement"), last=("fulfilled",))
        extra_kwargs = translated_read_only_kwargs(*COMMITMENT.translated)

    @extend_schema_field(serializers.BooleanField())
    def get_fulfilled(self, commitment: Commitment) -> bool:
        return commitment_state(commitment).fulfilled


class CommitmentViewSet(EntityViewSet):
    """Commitments of the parties of agreements."""

    entity = COMMITMENT
    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return self.entity.visible(self.request.user, commitments_with_work())


# --- Clarifications


class ClarificationSerializer(PartnershipSerializer):
    """A verified answer to a claim, with its verdict, facts and sources; published by a second editor."""

    parent_field = "publisher"
    scoped_links = {"plans": PLAN, "actions": ACTION}

    url = LinkField(view_name="api:clarification-detail", lookup_field="slug")
    html_url = HtmlUrlField()
    publisher = _organization_field(_("Slug of the publishing organisation; fixed once created."))
    plans = serializers.SlugRelatedField(slug_field="slug", many=True, required=False, queryset=Plan.objects.none())
    actions = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=Action.objects.none())

    class Meta:
        model = Clarification
        fields = entity_fields(
            CLARIFICATION,
            first=("url", "html_url", "slug", "publisher"),
            last=("status", "published_at", "corrected_at"),
        )
        read_only_fields = ["status", "published_at", "corrected_at"]
        extra_kwargs = {
            **translated_read_only_kwargs(*CLARIFICATION.translated),
            "slug": {"required": False, "help_text": _("Made from the title when left out.")},
            "status": {"help_text": _("Changed with POST …/publish/ by an editor who is not the author.")},
        }


@extend_schema_view(publish=extend_schema(request=None, responses=ClarificationSerializer))
class ClarificationViewSet(EntityViewSet):
    """The register of clarifications: published ones for everyone, drafts for the publisher's editors."""

    entity = CLARIFICATION
    serializer_class = ClarificationSerializer
    filterset_class = ClarificationFilter
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    # The four-eyes rule is the service's: the author gets a 400 naming `reviewer`, not a bare 403.
    rules_actions = {"publish": "change"}

    def get_queryset(self):
        return (
            self.entity.visible(self.request.user)
            .select_related("publisher")
            .prefetch_related(
                Prefetch("plans", queryset=Plan.objects.only("id", "slug")),
                Prefetch("actions", queryset=Action.objects.only("id")),
            )
        )

    @viewset_action(detail=True, methods=["post"])
    def publish(self, request, slug=None):
        """Publishes the clarification after review; its author may not."""
        clarification = self.get_object()
        services.clarification_publish(acting_user=request.user, clarification=clarification)
        return Response(self.get_serializer(self.refetched(clarification)).data)


# --- News


class NewsPostSerializer(PartnershipSerializer):
    """A news post; drafts and posts scheduled for later are seen by their organisation's editors only."""

    parent_field = "organization"
    scoped_links = {"plans": PLAN, "actions": ACTION, "agreements": AGREEMENT, "meetings": MEETING}

    url = LinkField(view_name="api:newspost-detail", lookup_field="slug")
    html_url = HtmlUrlField()
    organization = _organization_field(_("Slug of the publishing organisation; fixed once created."))
    plans = serializers.SlugRelatedField(slug_field="slug", many=True, required=False, queryset=Plan.objects.none())
    actions = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=Action.objects.none())
    agreements = serializers.SlugRelatedField(
        slug_field="slug", many=True, required=False, queryset=Agreement.objects.none()
    )
    meetings = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=Meeting.objects.none())
    is_live = serializers.BooleanField(read_only=True, help_text=_("Whether the public sees it now."))

    class Meta:
        model = NewsPost
        fields = entity_fields(NEWS_POST, first=("url", "html_url", "slug", "organization"), last=("is_live",))
        extra_kwargs = {
            **translated_read_only_kwargs(*NEWS_POST.translated),
            "slug": {"required": False, "help_text": _("Made from the title when left out.")},
        }


class NewsPostViewSet(EntityViewSet):
    """News posts of organisations."""

    entity = NEWS_POST
    serializer_class = NewsPostSerializer
    filterset_class = NewsPostFilter
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def _from_cache(self, request, handler, *args, **kwargs):
        # Not publicly cached: a scheduled post appears when its time comes, whatever the cache holds.
        return handler(request, *args, **kwargs)

    def get_queryset(self):
        return (
            self.entity.visible(self.request.user)
            .select_related("organization")
            .prefetch_related(
                Prefetch("plans", queryset=Plan.objects.only("id", "slug")),
                Prefetch("actions", queryset=Action.objects.only("id")),
                Prefetch("agreements", queryset=Agreement.objects.only("id", "slug")),
                Prefetch("meetings", queryset=Meeting.objects.only("id")),
            )
        )
