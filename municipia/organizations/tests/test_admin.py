"""Roles and network memberships in the admin: written through the services, with history."""

import pytest
from django.urls import reverse

from municipia.organizations.choices import RoleKind
from municipia.organizations.models import NetworkMembership, Role
from municipia.organizations.tests.factories import (
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    PartnerFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _history(model, after: int = 0):
    """(type, user id) of the model's history rows newer than `after`."""
    rows = model.history.filter(history_id__gt=after).order_by("history_id")
    return list(rows.values_list("history_type", "history_user_id"))


def _last_history_id(model) -> int:
    return model.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0


def test_site_admin_grants_and_revokes_a_role_in_admin_and_history_says_who(client, site_admin):
    council = OrganizationFactory()
    editor = UserFactory()
    client.force_login(site_admin)

    response = client.post(
        reverse("admin:organizations_role_add"),
        {"user": editor.pk, "organization": council.pk, "kind": RoleKind.EDITOR},
    )
    assert response.status_code == 302, response.content[:2000]
    role = Role.objects.get(user=editor, organization=council)
    assert role.kind == RoleKind.EDITOR
    history_page = client.get(reverse("admin:organizations_role_history", args=[role.pk])).content.decode()
    assert site_admin.username in history_page

    response = client.post(reverse("admin:organizations_role_delete", args=[role.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Role.objects.exists()
    assert _history(Role) == [("+", site_admin.pk), ("-", site_admin.pk)]
    history_page = client.get(reverse("admin:organizations_historicalrole_changelist"))
    assert history_page.status_code == 200 and str(editor) in history_page.content.decode()


def test_admin_refuses_a_duplicate_role_and_changes_nothing(client, site_admin):
    role = RoleFactory()
    before = _last_history_id(Role)
    client.force_login(site_admin)
    response = client.post(
        reverse("admin:organizations_role_add"),
        {"user": role.user_id, "organization": role.organization_id, "kind": RoleKind.EDITOR},
    )
    assert response.status_code == 200
    assert Role.objects.count() == 1
    assert _history(Role, before) == []


def test_admin_refuses_an_editor_role_on_a_network(client, site_admin):
    network = NetworkFactory()
    client.force_login(site_admin)
    response = client.post(
        reverse("admin:organizations_role_add"),
        {"user": UserFactory().pk, "organization": network.pk, "kind": RoleKind.EDITOR},
    )
    assert response.status_code in (200, 302)
    assert not Role.objects.exists()
    assert _history(Role) == []


def test_staff_editor_cannot_see_roles_in_admin(client):
    editor = RoleFactory().user
    editor.is_staff = True
    editor.save()
    client.force_login(editor)
    assert client.get(reverse("admin:organizations_role_changelist")).status_code == 403
    assert client.get(reverse("admin:organizations_historicalrole_changelist")).status_code == 403


def _network_form(network, rows: list[dict], initial: int) -> dict:
    data = {
        "kind": network.kind,
        "name_en": network.name_en,
        "slug": network.slug,
        "country": network.country,
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": str(initial),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"memberships-{i}-{name}": value for name, value in row.items()})
    return data


def test_network_members_added_changed_and_removed_in_admin_leave_history(client, site_admin):
    network = NetworkFactory()
    staying, leaving, joining = OrganizationFactory(), OrganizationFactory(), OrganizationFactory()
    kept = NetworkMembershipFactory(network=network, member=staying)
    gone = NetworkMembershipFactory(network=network, member=leaving)
    before = _last_history_id(NetworkMembership)
    client.force_login(site_admin)
    rows = [
        {"id": kept.pk, "network": network.pk, "member": staying.pk, "joined_on": "2024-05-30"},
        {"id": gone.pk, "network": network.pk, "member": leaving.pk, "DELETE": "on"},
        {"network": network.pk, "member": joining.pk},
    ]
    response = client.post(
        reverse("admin:organizations_organization_change", args=[network.pk]), _network_form(network, rows, 2)
    )
    assert response.status_code == 302, response.content[:3000]
    assert set(network.memberships.values_list("member_id", flat=True)) == {staying.pk, joining.pk}
    assert str(network.memberships.get(member=staying).joined_on) == "2024-05-30"
    assert sorted(_history(NetworkMembership, before)) == [
        ("+", site_admin.pk),
        ("-", site_admin.pk),
        ("~", site_admin.pk),
    ]


def test_admin_refuses_a_partner_as_network_member_and_changes_nothing(client, site_admin):
    network = NetworkFactory()
    client.force_login(site_admin)
    rows = [{"network": network.pk, "member": PartnerFactory().pk}]
    response = client.post(
        reverse("admin:organizations_organization_change", args=[network.pk]), _network_form(network, rows, 0)
    )
    assert response.status_code == 200
    assert "Only councils can be members of a network." in response.content.decode()
    assert not NetworkMembership.objects.exists()
    assert _history(NetworkMembership) == []


def test_new_network_with_its_first_member_in_one_admin_form(client, site_admin):
    council = OrganizationFactory()
    client.force_login(site_admin)
    data = _network_form(NetworkFactory.build(slug="xarxa"), [{"member": council.pk, "joined_on": ""}], 0)
    response = client.post(reverse("admin:organizations_organization_add"), data)
    assert response.status_code == 302, response.content[:3000]
    membership = NetworkMembership.objects.get(network__slug="xarxa")
    assert membership.member == council
    assert membership.history.get().history_user == site_admin
