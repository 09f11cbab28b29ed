"""People, departments and roles in the API and a person's page: each shows what its readers may see."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.organizations.models import Department, Person, Role
from municipia.organizations.tests.factories import (
    DepartmentFactory,
    OrganizationFactory,
    PersonFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PEOPLE = "/api/v1/people/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def sofia():
    council = OrganizationFactory(slug="sofia", name_en="Sofia")
    public = PersonFactory(
        organization=council, full_name="Mariya Ivanova", position_en="PR expert", email="m@sofia.bg", is_public=True
    )
    shown = PersonFactory(
        organization=council, full_name="Nikolay Dimitrov", email="n@sofia.bg", is_public=True, show_email=True
    )
    hidden = PersonFactory(organization=council, full_name="Hidden Person", email="h@sofia.bg")
    return council, public, shown, hidden


def names(response):
    return [row["full_name"] for row in response.json()["results"]]


def test_anonymous_readers_see_public_profiles_only_and_emails_only_when_chosen(api, sofia):
    response = api.get(PEOPLE)
    assert response.status_code == 200
    assert names(response) == ["Mariya Ivanova", "Nikolay Dimitrov"]
    emails = {row["full_name"]: row["email"] for row in response.json()["results"]}
    assert emails == {"Mariya Ivanova": None, "Nikolay Dimitrov": "n@sofia.bg"}
    row = response.json()["results"][0]
    assert row["position"] == "PR expert" and row["organization"] == "sofia" and row["organization_name"] == "Sofia"


def test_signed_in_readers_see_everyone_and_the_organisations_editors_their_emails(api, sofia):
    council, _public, _shown, hidden = sofia
    api.force_authenticate(UserFactory())
    rows = {row["full_name"]: row["email"] for row in api.get(PEOPLE).json()["results"]}
    assert set(rows) == {"Mariya Ivanova", "Nikolay Dimitrov", "Hidden Person"}
    assert rows["Hidden Person"] is None
    api.force_authenticate(RoleFactory(organization=council).user)
    rows = {row["full_name"]: row["email"] for row in api.get(PEOPLE).json()["results"]}
    assert rows["Hidden Person"] == "h@sofia.bg"


def test_people_are_found_by_name_position_or_exact_email_and_organisation(api, sofia):
    api.force_authenticate(UserFactory())
    assert names(api.get(PEOPLE, {"search": "ivanova"})) == ["Mariya Ivanova"]
    assert names(api.get(PEOPLE, {"search": "pr exp"})) == ["Mariya Ivanova"]
    assert names(api.get(PEOPLE, {"search": "h@sofia.bg"})) == ["Hidden Person"]
    assert names(api.get(PEOPLE, {"search": "sofia.bg"})) == []  # e-mails match whole only
    assert names(api.get(PEOPLE, {"organization": "elsewhere"})) == []


def test_an_editor_adds_a_person_to_their_organisation_without_ids(api, sofia):
    council = sofia[0]
    api.force_authenticate(RoleFactory(organization=council).user)
    response = api.post(
        PEOPLE,
        {"full_name": "Desislava Todorova", "position_en": "Head of research", "organization": "sofia"},
        format="json",
    )
    assert response.status_code == 201, response.content
    person = Person.objects.get(full_name="Desislava Todorova")
    assert person.organization == council and response.json()["id"] == person.pk
    assert response.json()["is_public"] is False  # nothing is published unless chosen


def test_people_of_other_organisations_are_refused_and_bad_input_names_the_field(api, sofia):
    other = OrganizationFactory(slug="tremp")
    editor = RoleFactory(organization=other).user
    api.force_authenticate(editor)
    before = Person.objects.count()
    assert api.post(PEOPLE, {"full_name": "X", "organization": "sofia"}, format="json").status_code == 403
    response = api.post(PEOPLE, {"full_name": "X", "organization": "tremp", "email": "not-an-email"}, format="json")
    assert response.status_code == 400 and "email" in response.json()
    assert api.patch(f"{PEOPLE}{sofia[1].pk}/", {"full_name": "Y"}, format="json").status_code == 403
    assert api.post(PEOPLE, {"full_name": "X"}, format="json").status_code == 400
    assert Person.objects.count() == before
    assert api.get(PEOPLE).status_code == 200
    api.force_authenticate(None)
    assert api.post(PEOPLE, {"full_name": "X", "organization": "tremp"}, format="json").status_code in (401, 403)


def test_people_list_queries_do_not_grow(api, django_assert_max_num_queries):
    council = OrganizationFactory()
    for _ in range(30):
        PersonFactory(organization=council, is_public=True)
    with django_assert_max_num_queries(4):
        assert api.get(PEOPLE).status_code == 200


def test_departments_are_read_by_anyone_and_written_by_their_organisations_editors(api, sofia):
    council = sofia[0]
    DepartmentFactory(organization=council, name_en="Digitalisation", slug="digitalisation")
    rows = api.get("/api/v1/departments/", {"organization": "sofia"}).json()["results"]
    assert [row["name"] for row in rows] == ["Digitalisation"]
    api.force_authenticate(RoleFactory(organization=council).user)
    response = api.post("/api/v1/departments/", {"organization": "sofia", "name_en": "Education"}, format="json")
    assert response.status_code == 201, response.content
    assert Department.objects.get(name_en="Education").slug == "education"
    api.force_authenticate(RoleFactory(organization=OrganizationFactory()).user)
    assert api.post("/api/v1/departments/", {"organization": "sofia", "name_en": "X"}, format="json").status_code == 403


def test_roles_are_for_site_administrators_only(api, sofia):
    council = sofia[0]
    editor = RoleFactory(organization=council, user=UserFactory(username="editor-sofia")).user
    api.force_authenticate(editor)
    assert api.get("/api/v1/roles/").json()["results"] == []
    refused = api.post("/api/v1/roles/", {"user": "editor-sofia", "organization": "sofia"}, format="json")
    assert refused.status_code == 403
    api.force_authenticate(UserFactory(is_superuser=True))
    newcomer = UserFactory(username="newcomer")
    response = api.post("/api/v1/roles/", {"user": "newcomer", "organization": "sofia"}, format="json")
    assert response.status_code == 201, response.content
    assert Role.objects.filter(user=newcomer, organization=council, kind="editor").exists()
    assert api.post("/api/v1/roles/", {"user": "nobody", "organization": "sofia"}, format="json").status_code == 400


def test_a_person_page_shows_what_they_chose_to_publish(client, sofia):
    _council, public, shown, hidden = sofia
    page = client.get(reverse("organizations:person-detail", args=[public.pk]))
    assert page.status_code == 200 and "PR expert" in page.content.decode()
    assert "m@sofia.bg" not in page.content.decode()
    assert "n@sofia.bg" in client.get(reverse("organizations:person-detail", args=[shown.pk])).content.decode()
    assert client.get(reverse("organizations:person-detail", args=[hidden.pk])).status_code == 404
    organization_page = client.get(reverse("organizations:organization-detail", args=["sofia"])).content.decode()
    assert "Mariya Ivanova" in organization_page and "Hidden Person" not in organization_page


def test_the_organisations_editor_changes_what_a_person_publishes(client, sofia):
    council, _public, _shown, hidden = sofia
    client.force_login(RoleFactory(organization=council).user)
    url = reverse("organizations:person-update", args=[hidden.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"full_name": "Hidden Person", "is_public": "on", "email": "h@sofia.bg"})
    assert response.status_code == 302
    hidden.refresh_from_db()
    assert hidden.is_public and not hidden.show_email
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
