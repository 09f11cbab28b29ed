"""Role and network-membership services: checked, atomic, and recorded with the acting user."""

import pytest
from django.core.exceptions import ValidationError

from municipia.organizations import services
from municipia.organizations.choices import RoleKind
from municipia.organizations.models import NetworkMembership, Role
from municipia.organizations.tests.factories import (
    NetworkFactory,
    OrganizationFactory,
    PartnerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _history(model):
    return list(model.history.order_by("history_id").values_list("history_type", "history_user_id"))


def test_role_assign_and_revoke_record_the_acting_user(site_admin):
    council, user = OrganizationFactory(), UserFactory()
    role = services.role_assign(acting_user=site_admin, user=user, organization=council)
    assert role.kind == RoleKind.EDITOR
    services.role_revoke(acting_user=site_admin, role=role)
    assert not Role.objects.exists()
    history = Role.history.order_by("history_id")
    assert _history(Role) == [("+", site_admin.pk), ("-", site_admin.pk)]
    assert {(h.user_id, h.organization_id, h.kind) for h in history} == {(user.pk, council.pk, RoleKind.EDITOR)}


def test_role_assign_twice_keeps_one_role_and_one_history_row(site_admin):
    council, user = OrganizationFactory(), UserFactory()
    first = services.role_assign(acting_user=site_admin, user=user, organization=council)
    assert services.role_assign(acting_user=site_admin, user=user, organization=council) == first
    assert _history(Role) == [("+", site_admin.pk)]


def test_role_create_refuses_a_duplicate_and_changes_nothing(site_admin):
    council, user = OrganizationFactory(), UserFactory()
    services.role_create(acting_user=site_admin, organization=council, data={"user": user})
    with pytest.raises(ValidationError):
        services.role_create(acting_user=site_admin, organization=council, data={"user": user})
    assert Role.objects.count() == 1
    assert _history(Role) == [("+", site_admin.pk)]


def test_networks_have_coordinators_not_editors(site_admin):
    with pytest.raises(ValidationError) as refused:
        services.role_assign(acting_user=site_admin, user=UserFactory(), organization=NetworkFactory(), kind="editor")
    assert "kind" in refused.value.message_dict
    assert not Role.objects.exists() and _history(Role) == []


def test_network_member_add_and_remove_record_the_acting_user(site_admin):
    network, council = NetworkFactory(), OrganizationFactory()
    services.network_member_add(acting_user=site_admin, network=network, member=council)
    services.network_member_add(acting_user=site_admin, network=network, member=council)
    assert list(network.members.all()) == [council]
    services.network_member_remove(acting_user=site_admin, network=network, member=council)
    assert not NetworkMembership.objects.exists()
    assert _history(NetworkMembership) == [("+", site_admin.pk), ("-", site_admin.pk)]


def test_only_councils_join_networks_and_a_refusal_changes_nothing(site_admin):
    network = NetworkFactory()
    with pytest.raises(ValidationError):
        services.network_member_add(acting_user=site_admin, network=network, member=PartnerFactory())
    with pytest.raises(ValidationError):
        services.network_member_add(acting_user=site_admin, network=OrganizationFactory(), member=OrganizationFactory())
    assert not NetworkMembership.objects.exists() and _history(NetworkMembership) == []
