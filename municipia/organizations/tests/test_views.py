"""Organisation pages: the filtered list, the profile page and the editors' profile form."""

import pytest
from django.urls import reverse

from municipia.organizations.choices import OrganizationKind, RoleKind
from municipia.organizations.models import Organization
from municipia.organizations.tests.factories import (
    DepartmentFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    PartnerFactory,
    RoleFactory,
)
from municipia.strategy.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


def test_list_filters_by_kind_and_search_with_labels(client):
    OrganizationFactory(name_en="Tremp")
    PartnerFactory(name_en="IAB Bulgaria")
    response = client.get(reverse("organizations:organization-list"), {"kind": OrganizationKind.PARTNER})
    content = response.content.decode()
    assert "IAB Bulgaria" in content and "Tremp" not in content
    assert '<label for="id_kind">' in content
    content = client.get(reverse("organizations:organization-list"), {"search": "tremp"}).content.decode()
    assert "Tremp" in content and "IAB Bulgaria" not in content
    assert "1 organisation found" in content


def test_list_filters_by_network_membership(client):
    network = NetworkFactory(slug="xarxa")
    member = OrganizationFactory(name_en="Barcelona")
    OrganizationFactory(name_en="Sevilla")
    NetworkMembershipFactory(network=network, member=member)
    content = client.get(reverse("organizations:organization-list"), {"network": "xarxa"}).content.decode()
    assert "Barcelona" in content and "Sevilla" not in content


def test_list_is_paginated(client):
    OrganizationFactory.create_batch(55)
    response = client.get(reverse("organizations:organization-list"))
    assert len(response.context["page"].object_list) == 50
    assert "Page 1 of 2" in response.content.decode()
    assert len(client.get(reverse("organizations:organization-list"), {"page": 2}).context["page"].object_list) == 5


def test_municipality_page_shows_profile_departments_networks_and_published_plans(client):
    council = OrganizationFactory(name_en="Tremp", official_code="25234", region="Catalonia", population=5900)
    DepartmentFactory(organization=council, name_en="IT services")
    NetworkMembershipFactory(network=NetworkFactory(name_en="Xarxa"), member=council)
    PlanFactory(owner=council, title_en="Tremp digital")
    PlanFactory(owner=council, title_en="Secret draft", is_published=False)
    content = client.get(council.get_absolute_url()).content.decode()
    for text in ("25234", "Catalonia", "5,900", "IT services", "Xarxa", "Tremp digital"):
        assert text in content
    assert "Secret draft" not in content
    assert "History of changes" not in content
    assert reverse("organizations:organization-update", args=[council.slug]) not in content


def test_network_page_lists_member_councils(client):
    network = NetworkFactory(name_en="Xarxa")
    for name in ("Barcelona", "Tremp"):
        NetworkMembershipFactory(network=network, member=OrganizationFactory(name_en=name))
    content = client.get(network.get_absolute_url()).content.decode()
    assert "2 member councils" in content and "Barcelona" in content and "Tremp" in content


def test_unknown_organisation_is_not_found(client):
    assert client.get(reverse("organizations:organization-detail", args=["nowhere"])).status_code == 404


def test_editor_edits_the_profile_and_sees_its_history(client):
    council = OrganizationFactory(name_en="Tremp", slug="tremp")
    editor = RoleFactory(organization=council, kind=RoleKind.EDITOR).user
    client.force_login(editor)
    response = client.post(
        reverse("organizations:organization-update", args=["tremp"]),
        {
            "name_en": "Tremp",
            "name_ca": "Tremp (ca)",
            "description_en": "Capital of Pallars Jussà",
            "website": "https://www.ajuntamentdetremp.cat",
        },
    )
    assert response.status_code == 302
    council.refresh_from_db()
    assert council.description_en == "Capital of Pallars Jussà" and council.name_ca == "Tremp (ca)"
    content = client.get(council.get_absolute_url()).content.decode()
    assert "History of changes" in content and "Capital of Pallars Jussà" in content


def test_profile_without_any_name_is_refused_and_saves_nothing(client):
    council = OrganizationFactory(name_en="Tremp", slug="tremp")
    client.force_login(RoleFactory(organization=council).user)
    response = client.post(
        reverse("organizations:organization-update", args=["tremp"]), {"name_en": "", "website": "https://example.org"}
    )
    assert response.status_code == 400 and response.context["form"].errors["name_en"]
    assert Organization.objects.get(pk=council.pk).website == ""


def test_editor_of_another_council_cannot_edit_the_profile(client):
    council = OrganizationFactory(slug="tremp")
    client.force_login(RoleFactory(organization=OrganizationFactory()).user)
    assert client.get(reverse("organizations:organization-update", args=["tremp"])).status_code == 403
    council.refresh_from_db()


@pytest.mark.parametrize("size", [2, 30])
def test_list_and_page_queries_do_not_grow(client, django_assert_max_num_queries, size):
    network = NetworkFactory(slug="net")
    for _ in range(size):
        member = OrganizationFactory()
        NetworkMembershipFactory(network=network, member=member)
        DepartmentFactory(organization=member)
        PlanFactory(owner=network)
    with django_assert_max_num_queries(4):  # + the public cache's content-version read
        assert client.get(reverse("organizations:organization-list"), {"kind": "municipality"}).status_code == 200
    # + people (1), actions it is a partner in (1), agreements, news and clarifications (3),
    # + the council's participations in others' plans (1)
    with django_assert_max_num_queries(15):
        assert client.get(network.get_absolute_url()).status_code == 200


def test_large_network_page_lists_the_biggest_members_and_links_to_all(client):
    network = NetworkFactory()
    for i in range(65):
        NetworkMembershipFactory(network=network, member=OrganizationFactory(population=1000 + i))
    response = client.get(reverse("organizations:organization-detail", args=[network.slug]))
    html = response.content.decode()
    assert "65 member councils" in html
    assert html.count('class="cards small"') == 1
    assert "See all 65 member councils" in html
    assert f"?network={network.slug}" in html
    biggest = network.memberships.order_by("-member__population").first().member
    smallest = network.memberships.order_by("member__population").first().member
    assert f'href="{biggest.get_absolute_url()}"' in html
    assert f'href="{smallest.get_absolute_url()}"' not in html


def test_network_page_has_no_departments_section(client):
    network = NetworkFactory()
    html = client.get(reverse("organizations:organization-detail", args=[network.slug])).content.decode()
    assert 'id="departments-heading"' not in html
