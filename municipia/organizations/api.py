"""API of organisations and networks: serializers and viewsets, writes through the services."""

from typing import Any

from django.contrib.auth import get_user_model
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
from municipia.organizations.entities import DEPARTMENT, ORGANIZATION, PERSON, ROLE
from municipia.organizations.filters import DepartmentFilter, OrganizationFilter, PersonFilter, RoleFilter
from municipia.organizations.models import Department, NetworkMembership, Organization, Person, Role
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


# --- People, departments and roles


class PersonSerializer(serializers.ModelSerializer):
    """A person with position and organisation; the e-mail only when they chose to show it, or to
    the editors of their organisation. Anonymous readers see only the people with a public profile."""

    url = LinkField(view_name="api:person-detail")
    html_url = HtmlUrlField(view_name="organizations:person-detail")
    organization = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organization.objects.all(),
        help_text=_("Slug of the person's organisation; its editors manage the person."),
    )
    organization_name = serializers.CharField(source="organization.name", read_only=True, default=None)
    user = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.all(),
        required=False,
        allow_null=True,
        help_text=_("User name of the person's account; shown to and set by site administrators only."),
    )

    class Meta:
        model = Person
        fields = [
            "url",
            "html_url",
            "id",
            "full_name",
            *translated_fields("position"),
            "organization",
            "organization_name",
            "email",
            "language",
            "is_public",
            "show_email",
            "user",
        ]
        extra_kwargs = translated_read_only_kwargs("position")

    def _reader(self):
        request = self.context.get("request")
        return request.user if request is not None else None

    def validate_user(self, value):
        reader = self._reader()
        if reader is None or not is_site_admin(reader):
            raise serializers.ValidationError(_("Only site administrators may change this."))
        return value

    def to_representation(self, instance: Person) -> dict[str, Any]:
        data = super().to_representation(instance)
        reader = self._reader()
        if reader is None or not reader.has_perm("organizations.view_person_email", instance):
            data["email"] = None
        if reader is None or not is_site_admin(reader):
            data["user"] = None
        return data


class DepartmentSerializer(serializers.ModelSerializer):
    """A department (area, service) of an organisation."""

    url = LinkField(view_name="api:department-detail")
    organization = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organization.objects.all(), help_text=_("Slug of the organisation; fixed.")
    )

    class Meta:
        model = Department
        fields = ["url", "id", "organization", *translated_fields("name"), "slug"]
        extra_kwargs = {
            **translated_read_only_kwargs("name"),
            "slug": {"required": False, "help_text": _("Made from the name when left out.")},
        }
        validators: list = []


class RoleSerializer(serializers.ModelSerializer):
    """Who may edit an organisation's content (site administrators only)."""

    url = LinkField(view_name="api:role-detail")
    user = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.all(), help_text=_("User name of the account.")
    )
    organization = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organization.objects.all(), help_text=_("Slug of the organisation; fixed.")
    )

    class Meta:
        model = Role
        fields = ["url", "id", "user", "organization", "kind"]
        extra_kwargs = {"kind": {"required": False, "help_text": _("Editor, or coordinator for a network.")}}
        validators: list = []


class FixedOrganizationMixin:
    """The organisation a department, role or person belongs to governs who may create it there."""

    def parent_of(self, data: dict[str, Any]) -> Organization | None:
        return data.get("organization")

    def update_object(self, instance, data):
        if "organization" in data and data["organization"] != instance.organization:
            raise serializers.ValidationError({"organization": [_("This cannot be changed once created.")]})
        return super().update_object(instance, data)  # type: ignore[misc]


class PersonViewSet(FixedOrganizationMixin, EntityViewSet):
    """People who lead actions or sit in bodies, with position and organisation.

    Anyone reads the public profiles; signed-in users read everyone; the editors of a person's
    organisation create, change and delete them. Search by name or position (`search`), or by
    the exact e-mail address."""

    entity = PERSON
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    create_has_parent = True

    def get_queryset(self):
        return super().get_queryset().select_related("organization", "user").order_by("full_name", "id")

    def create_object(self, parent, data):
        return self.entity.create_object(acting_user=self.request.user, parent=None, data=data)

    def update_object(self, instance, data):
        # Moving a person to another organisation needs the right on both.
        target = data.get("organization")
        moving = target is not None and target != instance.organization
        if moving and not self.request.user.has_perm("organizations.add_person", target):
            raise serializers.ValidationError(
                {"organization": [_("You may only move people to organisations you edit.")]}
            )
        return self.entity.update_object(acting_user=self.request.user, obj=instance, data=data)


class DepartmentViewSet(FixedOrganizationMixin, EntityViewSet):
    """Departments of organisations; anyone reads, the organisation's editors write."""

    entity = DEPARTMENT
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilter

    def get_queryset(self):
        return super().get_queryset().select_related("organization").order_by("organization__name", "name", "id")


class RoleViewSet(FixedOrganizationMixin, EntityViewSet):
    """Roles (who edits which organisation): seen and changed by site administrators only."""

    entity = ROLE
    serializer_class = RoleSerializer
    filterset_class = RoleFilter

    def get_queryset(self):
        return super().get_queryset().select_related("user", "organization").order_by("organization__name", "id")
