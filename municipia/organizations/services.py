"""Every write to organisations, departments, people, network memberships and roles.

Each takes the acting user and records it in the change history, so administrators can see who
gave whom which role, or put which council in which network, and when.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from municipia.core.i18n import translated_names
from municipia.core.services import apply_fields, delete_with_history, save_with_history, unique_slug
from municipia.core.visibility import User
from municipia.organizations.choices import OrganizationKind, RoleKind
from municipia.organizations.entities import DEPARTMENT, NETWORK_MEMBERSHIP, ORGANIZATION, PERSON, ROLE
from municipia.organizations.models import Department, NetworkMembership, Organization, Person, Role

ORGANIZATION_FIELDS = ORGANIZATION.editable_names()
# What a council's own editors may change on their organisation's profile.
ORGANIZATION_PROFILE_FIELDS = [*translated_names("name", "description"), "website"]
DEPARTMENT_FIELDS = DEPARTMENT.editable_names()
PERSON_FIELDS = PERSON.editable_names()
MEMBERSHIP_FIELDS = NETWORK_MEMBERSHIP.editable_names()
ROLE_FIELDS = ROLE.editable_names()

M = TypeVar("M", bound=Model)


def _saved(instance: M, *, acting_user: User | None, data: dict[str, Any], fields: Sequence[str]) -> M:
    """`instance` with the editable `data` applied, validated and saved with history (typed as given:
    core.services.save_with_history answers a Model)."""
    apply_fields(instance, data, fields)
    save_with_history(instance, acting_user=acting_user)
    return instance


# --- Organisations


@transaction.atomic
def organization_create(*, acting_user: User | None, data: dict[str, Any]) -> Organization:
    organization = Organization()
    apply_fields(organization, data, ORGANIZATION_FIELDS)
    if not organization.slug:
        organization.slug = unique_slug(Organization, organization.name)
    save_with_history(organization, acting_user=acting_user)
    return organization


@transaction.atomic
def organization_update(*, acting_user: User | None, organization: Organization, data: dict[str, Any]) -> Organization:
    return _saved(organization, acting_user=acting_user, data=data, fields=ORGANIZATION_FIELDS)


@transaction.atomic
def organization_delete(*, acting_user: User | None, organization: Organization) -> None:
    delete_with_history(organization, acting_user=acting_user)


# --- Network memberships


def network_membership_check(*, network: Organization, member: Organization) -> None:
    """Raises ValidationError unless `member` is a council and `network` a network.

    The network admin's member list checks its rows with this before anything is saved.
    """
    if network.kind != OrganizationKind.NETWORK:
        raise ValidationError({"network": _("%(name)s is not a network.") % {"name": network.name}})
    if member.kind != OrganizationKind.MUNICIPALITY:
        raise ValidationError({"member": _("Only councils can be members of a network.")})


@transaction.atomic
def network_membership_create(
    *, acting_user: User | None, network: Organization, data: dict[str, Any]
) -> NetworkMembership:
    """Puts the council `data["member"]` in `network`; refuses a council that is already a member."""
    membership = NetworkMembership(network=network)
    apply_fields(membership, data, MEMBERSHIP_FIELDS)
    if membership.member_id is not None:
        network_membership_check(network=network, member=membership.member)
    save_with_history(membership, acting_user=acting_user)
    return membership


@transaction.atomic
def network_membership_update(
    *, acting_user: User | None, membership: NetworkMembership, data: dict[str, Any]
) -> NetworkMembership:
    """Changes a membership's member council or joining date."""
    apply_fields(membership, data, MEMBERSHIP_FIELDS)
    network_membership_check(network=membership.network, member=membership.member)
    save_with_history(membership, acting_user=acting_user)
    return membership


@transaction.atomic
def network_membership_delete(*, acting_user: User | None, membership: NetworkMembership) -> None:
    delete_with_history(membership, acting_user=acting_user)


@transaction.atomic
def network_member_add(
    *, acting_user: User | None = None, network: Organization, member: Organization, joined_on: date | None = None
) -> NetworkMembership:
    """`network_membership_create`, unless `member` is already in `network` (then that membership:
    data loads repeat)."""
    # acting_user may be left out only by the demo builder (strategy/demo.py), until it passes its admin.
    network_membership_check(network=network, member=member)
    existing = NetworkMembership.objects.filter(network=network, member=member).first()
    if existing is not None:
        return existing
    return network_membership_create(
        acting_user=acting_user, network=network, data={"member": member, "joined_on": joined_on}
    )


@transaction.atomic
def network_member_remove(*, acting_user: User | None, network: Organization, member: Organization) -> None:
    for membership in NetworkMembership.objects.filter(network=network, member=member):
        network_membership_delete(acting_user=acting_user, membership=membership)


# --- Departments


@transaction.atomic
def department_create(*, acting_user: User | None, organization: Organization, data: dict[str, Any]) -> Department:
    department = Department(organization=organization)
    apply_fields(department, data, DEPARTMENT_FIELDS)
    if not department.slug:
        department.slug = unique_slug(Department, department.name, organization=organization)
    save_with_history(department, acting_user=acting_user)
    return department


@transaction.atomic
def department_update(*, acting_user: User | None, department: Department, data: dict[str, Any]) -> Department:
    return _saved(department, acting_user=acting_user, data=data, fields=DEPARTMENT_FIELDS)


@transaction.atomic
def department_delete(*, acting_user: User | None, department: Department) -> None:
    delete_with_history(department, acting_user=acting_user)


# --- People


@transaction.atomic
def person_create(*, acting_user: User | None, data: dict[str, Any]) -> Person:
    return _saved(Person(), acting_user=acting_user, data=data, fields=PERSON_FIELDS)


@transaction.atomic
def person_update(*, acting_user: User | None, person: Person, data: dict[str, Any]) -> Person:
    return _saved(person, acting_user=acting_user, data=data, fields=PERSON_FIELDS)


@transaction.atomic
def person_delete(*, acting_user: User | None, person: Person) -> None:
    delete_with_history(person, acting_user=acting_user)


# --- Roles


def _role_kind(organization: Organization, kind: str) -> str:
    """The role `organization` gives (coordinator of a network, editor of anything else); `kind` must be it."""
    expected = RoleKind.COORDINATOR if organization.kind == OrganizationKind.NETWORK else RoleKind.EDITOR
    if kind and kind != expected:
        raise ValidationError({"kind": _("Networks have coordinators; other organisations have editors.")})
    return expected


@transaction.atomic
def role_create(*, acting_user: User | None, organization: Organization, data: dict[str, Any]) -> Role:
    """Gives `data["user"]` the right to edit `organization`'s content; refuses a role the user already has."""
    role = Role(organization=organization)
    apply_fields(role, data, ROLE_FIELDS)
    role.kind = _role_kind(organization, role.kind)
    save_with_history(role, acting_user=acting_user)
    return role


@transaction.atomic
def role_assign(
    *, acting_user: User | None = None, user: AbstractBaseUser, organization: Organization, kind: str = ""
) -> Role:
    """`role_create`, unless `user` already has the role (then that one: data loads repeat)."""
    # acting_user may be left out only by the demo builder (strategy/demo.py), until it passes its admin.
    kind = _role_kind(organization, kind)
    existing = Role.objects.filter(user_id=user.pk, organization=organization, kind=kind).first()
    if existing is not None:
        return existing
    return role_create(acting_user=acting_user, organization=organization, data={"user": user, "kind": kind})


@transaction.atomic
def role_update(*, acting_user: User | None, role: Role, data: dict[str, Any]) -> Role:
    apply_fields(role, data, ROLE_FIELDS)
    role.kind = _role_kind(role.organization, role.kind)
    save_with_history(role, acting_user=acting_user)
    return role


@transaction.atomic
def role_revoke(*, acting_user: User | None, role: Role) -> None:
    delete_with_history(role, acting_user=acting_user)
