"""API of agreements, commitments, clarifications and news: serializers and viewsets.

Reads are scoped by the entities' visibility rules, writes go through the services (the same as
pages and admin). Organisations, plans and agreements are named by slug; actions, tasks,
meetings and campaigns by id, among those the caller may see.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as viewset_action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from municipia.api.pagination import KeysetPagination
from municipia.api.serializers import HtmlUrlField, LinkField, entity_fields, translated_read_only_kwargs
from municipia.api.viewsets import EntityViewSet
from municipia.core.entities import Entity
from municipia.core.i18n import current_language
from municipia.diagnosis.entities import CAMPAIGN
from municipia.governance.entities import MEETING, TASK
from municipia.organizations.models import Organization
from municipia.organizations.selectors import organization_list
from municipia.partnerships import services
from municipia.partnerships.entities import AGREEMENT, CLARIFICATION, COMMITMENT, NEWS_POST
from municipia.partnerships.filters import AgreementFilter, ClarificationFilter, CommitmentFilter, NewsPostFilter
from municipia.partnerships.models import (
    Agreement,
    AgreementDocument,
    Clarification,
    Commitment,
    NewsletterSend,
    NewsPost,
    Signatory,
    Subscription,
)
from municipia.partnerships.selectors import (
    AGREEMENT_KEY,
    CLARIFICATION_KEY,
    NEWS_KEY,
    commitment_state,
    commitments_with_work,
    follows_of,
    newsletter_sends,
)
from municipia.strategy.entities import ACTION, PLAN

FIXED_AFTER_CREATION = _("This cannot be changed once created.")


def _organization_field(help_text, **kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="slug", queryset=organization_list(), help_text=help_text, **kwargs)


def _reader(field: serializers.Field) -> Any:
    request = field.context.get("request")
    return request.user if request is not None else AnonymousUser()


class ScopedIdField(serializers.PrimaryKeyRelatedField):
    """Objects of `entity` named by id, among those the caller may see (its visibility rule)."""

    def __init__(self, entity: Entity, **kwargs: Any) -> None:
        self.entity = entity
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        return self.entity.visible(_reader(self))


class ScopedSlugField(serializers.SlugRelatedField):
    """Objects of `entity` named by slug, among those the caller may see (its visibility rule)."""

    def __init__(self, entity: Entity, **kwargs: Any) -> None:
        self.entity = entity
        super().__init__(slug_field="slug", **kwargs)

    def get_queryset(self) -> QuerySet:
        return self.entity.visible(_reader(self))


def _visible_links(user: Any, **entities: Entity) -> list[Prefetch]:
    """Prefetches of many-to-many links showing only the linked objects the reader may see."""
    return [Prefetch(name, queryset=entity.visible(user)) for name, entity in entities.items()]


class PartnershipSerializer(serializers.ModelSerializer):
    """Base: the parent is fixed after creation."""

    parent_field = ""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        name = self.parent_field
        if self.instance is not None and name in attrs and attrs[name] != getattr(self.instance, name):
            raise serializers.ValidationError({name: [FIXED_AFTER_CREATION]})
        return attrs


# --- Agreements


class SignatorySerializer(serializers.ModelSerializer):
    organization: "serializers.SlugRelatedField[Organization]" = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

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
        queryset=organization_list(),
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
    pagination_class = KeysetPagination
    keyset_field = AGREEMENT_KEY
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return (
            self.entity.visible(self.request.user)
            .select_related("owner")
            .prefetch_related(
                Prefetch("parties", queryset=organization_list().only("id", "slug").order_by("slug")),
                Prefetch("signatories", queryset=Signatory.objects.select_related("organization")),
                "documents",
            )
        )


# --- Commitments


class CommitmentSerializer(PartnershipSerializer):
    """What one party undertakes in an agreement, the work it is linked to and whether that work is done."""

    parent_field = "agreement"
    url = LinkField(view_name="api:commitment-detail")
    html_url = HtmlUrlField()
    agreement = ScopedSlugField(AGREEMENT, help_text=_("Slug of the agreement; fixed once created."))
    party = _organization_field(_("Slug of the committed party (one of the agreement's parties)."))
    actions = ScopedIdField(ACTION, many=True, required=False)
    tasks = ScopedIdField(TASK, many=True, required=False)
    meetings = ScopedIdField(MEETING, many=True, required=False)
    campaigns = ScopedIdField(CAMPAIGN, many=True, required=False)
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
    url = LinkField(view_name="api:clarification-detail", lookup_field="slug")
    html_url = HtmlUrlField()
    publisher = _organization_field(_("Slug of the publishing organisation; fixed once created."))
    plans = ScopedSlugField(PLAN, many=True, required=False)
    actions = ScopedIdField(ACTION, many=True, required=False)

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
    pagination_class = KeysetPagination
    keyset_field = CLARIFICATION_KEY
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    # The four-eyes rule is the service's: the author gets a 400 naming `reviewer`, not a bare 403.
    rules_actions = {"publish": "change"}

    def get_queryset(self):
        return (
            self.entity.visible(self.request.user)
            .select_related("publisher")
            .prefetch_related(
                *_visible_links(self.request.user, plans=PLAN, actions=ACTION),
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
    url = LinkField(view_name="api:newspost-detail", lookup_field="slug")
    html_url = HtmlUrlField()
    organization = _organization_field(_("Slug of the publishing organisation; fixed once created."))
    plans = ScopedSlugField(PLAN, many=True, required=False)
    actions = ScopedIdField(ACTION, many=True, required=False)
    agreements = ScopedSlugField(AGREEMENT, many=True, required=False)
    meetings = ScopedIdField(MEETING, many=True, required=False)
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
    pagination_class = KeysetPagination
    keyset_field = NEWS_KEY
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
                *_visible_links(self.request.user, plans=PLAN, actions=ACTION, agreements=AGREEMENT, meetings=MEETING),
            )
        )


# --- Newsletter sends (site administrators): queue one, follow its progress


class CanSendNewsletter(BasePermission):
    """The newsletter reaches every subscriber: site administrators only (partnerships.permissions)."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm("partnerships.send_newsletter"))


class NewsletterSendSerializer(serializers.ModelSerializer):
    url = HtmlUrlField()
    requested_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = NewsletterSend
        fields = [
            "id",
            "url",
            "state",
            "total",
            "processed",
            "sent",
            "failed",
            "posts",
            "created_at",
            "started_at",
            "finished_at",
            "error",
            "requested_by",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="Newsletter sends, newest first, with their progress"),
    retrieve=extend_schema(summary="One newsletter send: state, counts, times"),
    create=extend_schema(
        summary="Queue a send of the news digests (a running send is returned instead of a second)",
        request=None,
    ),
)
class NewsletterSendViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = NewsletterSendSerializer
    permission_classes = [CanSendNewsletter]

    def get_queryset(self) -> QuerySet[NewsletterSend]:
        return newsletter_sends()

    def create(self, request, *args, **kwargs):
        send = services.newsletter_send_queue(acting_user=request.user)
        send.refresh_from_db()
        return Response(self.get_serializer(send).data, status=status.HTTP_202_ACCEPTED)


# --- Follows of actions and plans (the signed-in user's own)


class FollowSerializer(serializers.ModelSerializer):
    """An action or a plan the caller follows: changes of its status or progress are e-mailed to them."""

    action = ScopedIdField(
        ACTION,
        required=False,
        allow_null=True,
        help_text=_("Id of the action to follow (one you may see); give either an action or a plan."),
        error_messages={"does_not_exist": _("There is no action with id {pk_value} that you may see.")},
    )
    plan = ScopedSlugField(
        PLAN,
        required=False,
        allow_null=True,
        help_text=_("Slug of the plan to follow (one you may see); give either an action or a plan."),
        error_messages={"does_not_exist": _("There is no plan with slug {value} that you may see.")},
    )
    title = serializers.SerializerMethodField(help_text=_("Title of the followed action or plan."))
    html_url = serializers.SerializerMethodField(help_text=_("Link to the followed action's or plan's page."))

    class Meta:
        model = Subscription
        fields = ["id", "action", "plan", "title", "html_url", "language", "created_at"]
        read_only_fields = ["id", "language", "created_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("action")) == bool(attrs.get("plan")):
            raise serializers.ValidationError({"action": [_("Give either an action or a plan to follow.")]})
        return attrs

    @extend_schema_field(serializers.CharField())
    def get_title(self, follow: Subscription) -> str:
        return str(follow.target or "")

    @extend_schema_field(serializers.URLField())
    def get_html_url(self, follow: Subscription) -> str:
        request = self.context.get("request")
        path = follow.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


@extend_schema_view(
    list=extend_schema(summary="The actions and plans you follow"),
    retrieve=extend_schema(summary="One of your follows"),
    create=extend_schema(summary="Follow an action or a plan you may see (following twice is one follow)"),
    destroy=extend_schema(summary="Stop following"),
)
class FollowViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in caller's follows, and nobody else's: another user's follow answers 404.

    Not an EntityViewSet: a follow belongs to a user, not to an organisation, so the entity layer's
    per-organisation rules do not apply; the queryset is the caller's own (`selectors.follows_of`)
    and writes go through the same services as the follow buttons of the pages.
    """

    serializer_class = FollowSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Subscription]:
        return follows_of(self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        target = {
            name: serializer.validated_data[name] for name in ("action", "plan") if serializer.validated_data.get(name)
        }
        known = set(self.get_queryset().values_list("pk", flat=True))
        follow = services.follow_create(acting_user=request.user, language=current_language(), **target)
        follow = self.get_queryset().get(pk=follow.pk)
        code = status.HTTP_200_OK if follow.pk in known else status.HTTP_201_CREATED
        return Response(self.get_serializer(follow).data, status=code)

    def perform_destroy(self, instance: Subscription) -> None:
        if instance.action_id:
            services.follow_cancel(acting_user=self.request.user, action=instance.action)
        else:
            services.follow_cancel(acting_user=self.request.user, plan=instance.plan)
