"""The reads other apps make of organisations, departments, people and memberships."""

import pytest
from django.contrib.auth.models import AnonymousUser

from municipia.organizations import selectors
from municipia.organizations.choices import RoleKind
from municipia.organizations.tests.factories import (
    DepartmentFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    PartnerFactory,
    PersonFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    """Two networks sharing Tremp; Sort is in the first only, Vic in the second only; Lleida in none."""
    first, second = NetworkFactory(), NetworkFactory()
    tremp, sort, vic, lleida = (OrganizationFactory(name_en=name) for name in ("Tremp", "Sort", "Vic", "Lleida"))
    for network, member in ((first, tremp), (first, sort), (second, tremp), (second, vic)):
        NetworkMembershipFactory(network=network, member=member)
    return {"first": first, "second": second, "tremp": tremp, "sort": sort, "vic": vic, "lleida": lleida}


def test_associated_councils_of_a_network_are_its_members(region):
    assert list(selectors.associated_councils(region["first"])) == [region["sort"], region["tremp"]]


def test_associated_councils_of_a_council_are_itself_and_its_network_peers(region):
    found = selectors.associated_councils(region["sort"])
    assert set(found) == {region["sort"], region["tremp"]}
    also = selectors.associated_councils(region["sort"], also=[region["lleida"].pk])
    assert set(also) == {region["sort"], region["tremp"], region["lleida"]}


def test_network_member_ids_and_organization_with_members(region):
    ids = selectors.network_member_ids([region["first"].pk, region["second"].pk])
    assert sorted(ids) == sorted([region["tremp"].pk, region["sort"].pk, region["tremp"].pk, region["vic"].pk])
    with_members = selectors.organization_with_members(region["second"].pk)
    assert set(with_members) == {region["second"], region["tremp"], region["vic"]}
    assert list(selectors.network_members(region["first"])) == [region["sort"], region["tremp"]]


def test_organizations_edited_by_follow_the_users_roles():
    council = OrganizationFactory()
    editor = RoleFactory(organization=council, kind=RoleKind.EDITOR).user
    assert list(selectors.organizations_edited_by(editor)) == [council]
    assert list(selectors.organizations_edited_by(AnonymousUser())) == []


def test_organizations_by_code_finds_slugs_and_official_codes():
    council = OrganizationFactory(slug="tremp", official_code="25234")
    PartnerFactory(slug="iab")
    rows = selectors.organizations_by_code(["25234", "tremp", "nothing"])
    assert [row[0] for row in rows] == [council.pk]
    assert selectors.organization_slugs([council.pk]) == {council.pk: "tremp"}


def test_people_of_organisations_and_departments_of_organisations():
    council, other = OrganizationFactory(), OrganizationFactory()
    mine, guest = PersonFactory(organization=council), PersonFactory(organization=other)
    assert list(selectors.people_of([council.pk])) == [mine]
    assert set(selectors.people_of([council.pk], also=[guest.pk])) == {mine, guest}
    both = selectors.people_among([guest.pk], selectors.person_list().filter(pk=mine.pk).values("pk"))
    assert set(both) == {mine, guest}
    department = DepartmentFactory(organization=council)
    DepartmentFactory(organization=other)
    assert list(selectors.departments_of([council.pk])) == [department]


def test_person_of_user_is_none_for_visitors_and_users_without_a_person():
    person = PersonFactory(user=UserFactory())
    PersonFactory()  # no account: must not be taken for the visitor's
    assert selectors.person_of_user(person.user) == person
    assert selectors.person_of_user(UserFactory()) is None
    assert selectors.person_of_user(AnonymousUser()) is None
