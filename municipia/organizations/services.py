"""Every write to organisations, departments, people, network memberships and roles."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from municipia.core.i18n import translated_names
from municipia.core.services import apply_fields, delete_with_history, save_with_history, unique_slug
from municipia.organizations.choices import OrganizationKind, RoleKind
from municipia.organizations.models import Department, NetworkMembership, Organization, Person, Role

ORGANIZATION_FIELDS = [
    *translated_names("name", "description"),
    "kind",
    "slug",
    "country",
    "official_code",
    "ekatte_code",
    "province",
    "region",
    "region_code",
    "population",
    "population_year",
    "longitude",
    "latitude",
    "website",
]
# What a council's own editors may change on their organisation's profile.
ORGANIZATION_PROFILE_FIELDS = [*translated_names("name", "description"), "website"]
DEPARTMENT_FIELDS = [*translated_names("name"), "slug"]
PERSON_FIELDS = [*translated_names("position"), "full_name", "email", "organization", "user", "language"]


@transaction.atomic
def organization_create(*, acting_user, data: dict[str, Any]) -> Organization:
    organization = Organization()
    apply_fields(organization, data, ORGANIZATION_FIELDS)
    if not organization.slug:
        organization.slug = unique_slug(Organization, organization.name)
    return save_with_history(organization, acting_user=acting_user)


@transaction.atomic
def organization_update(*, acting_user, organization: Organization, data: dict[str, Any]) -> Organization:
    apply_fields(organization, data, ORGANIZATION_FIELDS)
    return save_with_history(organization, acting_user=acting_user)


@transaction.atomic
def organization_delete(*, acting_user, organization: Organization) -> None:
    delete_with_history(organization, acting_user=acting_user)


@transaction.atomic
def network_member_add(*, network: Organization, member: Organization, joined_on=None) -> NetworkMembership:
    if network.kind != OrganizationKind.NETWORK:
        raise ValidationError({"network": _("%(name)s is not a network.") % {"name": network.name}})
    if member.kind != OrganizationKind.MUNICIPALITY:
        raise ValidationError({"member": _("Only councils can be members of a network.")})
    membership, _created = NetworkMembership.objects.get_or_create(
        network=network, member=member, defaults={"joined_on": joined_on}
    )
    return membership


@transaction.atomic
def network_member_remove(*, network: Organization, member: Organization) -> None:
    NetworkMembership.objects.filter(network=network, member=member).delete()


@transaction.atomic
def department_create(*, acting_user, organization: Organization, data: dict[str, Any]) -> Department:
    department = Department(organization=organization)
    apply_fields(department, data, DEPARTMENT_FIELDS)
    if not department.slug:
        department.slug = unique_slug(Department, department.name, organization=organization)
    return save_with_history(department, acting_user=acting_user)


@transaction.atomic
def department_update(*, acting_user, department: Department, data: dict[str, Any]) -> Department:
    apply_fields(department, data, DEPARTMENT_FIELDS)
    return save_with_history(department, acting_user=acting_user)


@transaction.atomic
def department_delete(*, acting_user, department: Department) -> None:
    delete_with_history(department, acting_user=acting_user)


@transaction.atomic
def person_create(*, acting_user, data: dict[str, Any]) -> Person:
    person = Person()
    apply_fields(person, data, PERSON_FIELDS)
    return save_with_history(person, acting_user=acting_user)


@transaction.atomic
def person_update(*, acting_user, person: Person, data: dict[str, Any]) -> Person:
    apply_fields(person, data, PERSON_FIELDS)
    return save_with_history(person, acting_user=acting_user)


@transaction.atomic
def role_assign(*, user, organization: Organization, kind: str = "") -> Role:
    """Gives `user` the right to edit `organization`'s content (coordinator for networks)."""
    expected = RoleKind.COORDINATOR if organization.kind == OrganizationKind.NETWORK else RoleKind.EDITOR
    kind = kind or expected
    if kind != expected:
        raise ValidationError({"kind": _("Networks have coordinators; other organisations have editors.")})
    role, _created = Role.objects.get_or_create(user=user, organization=organization, kind=kind)
    return role


@transaction.atomic
def role_revoke(*, user, organization: Organization) -> None:
    Role.objects.filter(user=user, organization=organization).delete()
