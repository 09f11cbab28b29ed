"""API of organisations and networks: serializers and viewsets, writes through the services."""

from typing import Any

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from municipia.api.pagination import StandardPagination
from municipia.api.permissions import RulesPermission
from municipia.api.serializers import HtmlUrlField, LinkField, translated_fields, translated_read_only_kwargs
from municipia.api.viewsets import EntityViewSet, PublicCacheMixin
from municipia.organizations import selectors, services
from municipia.organizations.entities import ORGANIZATION
from municipia.organizations.filters import OrganizationFilter
from municipia.organizations.models import NetworkMembership, Organization
from municipia.organizations.permissions import is_site_admin
from municipia.organizations.services import ORGANIZATION_PROFILE_FIELDS

# The entity's fields (so a field added there appears here), the identifying ones first.
ORGANIZATION_API_FIELDS = [
    "url",
    "html_url",
    "slug",
    "kind",
    *translated_fields(*ORGANIZATION.translated),
    *(name for name in ORGANIZATION.fields if name not in {"slug", "kind", *ORGANIZATION.translated}),
]


class OrganizationSerializer(serializers.ModelSerializer):
    """A council, network, partner organisation or other public body."""

    url = LinkField(view_name="api:organization-detail", lookup_field="slug")
    html_url = HtmlUrlField()
    networks = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        read_only=True,
        help_text=_("Slugs of the networks this council belongs to (memberships are managed on /networks/)."),
    )

    class Meta:
        model = Organization
        fields = [*ORGANIZATION_API_FIELDS, "networks"]
        # The official code's uniqueness per country is checked by the service (full_clean),
        # so both fields stay optional here.
        validators: list = []
        extra_kwargs = {
            **translated_read_only_kwargs("name", "description"),
            "slug": {"required": False, "help_text": _("Made from the name when left out.")},
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # A council's editors keep its profile up to date; the register data (kind, codes,
        # population…) is the site administrators'.
        request = self.context["request"]
        if self.instance is not None and not is_site_admin(request.user):
            errors = {
                name: [_("Only site administrators may change this.")]
                for name, value in attrs.items()
                if name not in ORGANIZATION_PROFILE_FIELDS and getattr(self.instance, name) != value
            }
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class MembershipSerializer(serializers.ModelSerializer):
    """A member council of a network."""

    slug = serializers.CharField(source="member.slug", read_only=True)
    name = serializers.CharField(source="member.name", read_only=True)
    url = serializers.HyperlinkedRelatedField(
        source="member", view_name="api:organization-detail", lookup_field="slug", read_only=True
    )

    class Meta:
        model = NetworkMembership
        fields = ["slug", "name", "url", "joined_on"]


class NetworkSerializer(OrganizationSerializer):
    """A network of councils with its member councils."""

    url = LinkField(view_name="api:network-detail", lookup_field="slug")
    organization_url = LinkField(view_name="api:organization-detail", lookup_field="slug")
    member_count = serializers.IntegerField(read_only=True)
    members = MembershipSerializer(source="memberships", many=True, read_only=True)

    class Meta(OrganizationSerializer.Meta):
        fields = [*ORGANIZATION_API_FIELDS, "organization_url", "member_count", "members"]


class MembershipWriteSerializer(serializers.Serializer):
    """A council to add to the network."""

    member = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organization.objects.all(), help_text=_("Slug of the member council.")
    )
    joined_on = serializers.DateField(required=False, allow_null=True)


class OrganizationViewSet(EntityViewSet):
    """Councils, networks, partners and other public bodies.

    Anyone reads; site administrators create and delete; a council's editors update its
    profile (names, descriptions, website)."""

    entity = ORGANIZATION
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return super().get_queryset().prefetch_related(Prefetch("networks", queryset=selectors.organization_links()))


@extend_schema_view(
    add_member=extend_schema(request=MembershipWriteSerializer, responses={201: MembershipSerializer}),
    remove_member=extend_schema(
        request=None,
        responses={204: None},
        parameters=[OpenApiParameter("member_slug", str, OpenApiParameter.PATH, description=_("Slug of the member."))],
    ),
)
class NetworkViewSet(PublicCacheMixin, viewsets.ReadOnlyModelViewSet):
    """Networks of councils with their member councils. Memberships are changed by site
    administrators only."""

    serializer_class = NetworkSerializer
    filterset_class = OrganizationFilter
    permission_classes = [RulesPermission]
    filter_backends = [DjangoFilterBackend]
    pagination_class = StandardPagination
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    rules_actions = {
        "add_member": "organizations.add_networkmembership",
        "remove_member": "organizations.delete_networkmembership",
    }

    def get_queryset(self):
        memberships = NetworkMembership.objects.select_related("member").order_by("member__name", "member_id")
        return selectors.network_list().prefetch_related(Prefetch("memberships", queryset=memberships))

    @action(detail=True, methods=["post"], url_path="members")
    def add_member(self, request, slug=None):
        network = self.get_object()
        serializer = MembershipWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.network_member_add(acting_user=request.user, network=network, **serializer.validated_data)
        return Response(MembershipSerializer(membership, context=self.get_serializer_context()).data, status=201)

    @action(detail=True, methods=["delete"], url_path=r"members/(?P<member_slug>[-a-zA-Z0-9_]+)")
    def remove_member(self, request, slug=None, member_slug=None):
        network = self.get_object()
        member = get_object_or_404(Organization, slug=member_slug, network_memberships__network=network)
        services.network_member_remove(acting_user=request.user, network=network, member=member)
        return Response(status=status.HTTP_204_NO_CONTENT)
