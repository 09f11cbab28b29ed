"""A new questionnaire without ?owner=: the one council the editor edits, or a choice among hers."""

import pytest

from municipia.diagnosis.models import Questionnaire
from municipia.organizations.tests.factories import OrganizationFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/en/diagnosis/questionnaires/new/"
DATA = {"title_en": "Council services survey", "title_es": "", "title_ca": "", "title_bg": "", "kind": "custom"}


def test_editor_of_one_council_creates_it_for_that_council(client):
    role = RoleFactory(organization__name_en="Ajuntament de Tremp")
    client.force_login(role.user)
    page = client.get(URL)
    assert page.status_code == 200
    assert 'name="owner"' not in page.content.decode()
    response = client.post(URL, DATA)
    assert response.status_code == 302
    assert Questionnaire.objects.get(title_en="Council services survey").owner == role.organization


def test_editor_of_two_councils_chooses_and_may_not_name_a_third(client):
    first = RoleFactory(organization__name_en="Ajuntament de Girona")
    second = RoleFactory(user=first.user, organization__name_en="Ajuntament de Lleida")
    stranger = OrganizationFactory(name_en="Ajuntament de Reus")
    client.force_login(first.user)
    html = client.get(URL).content.decode()
    assert 'name="owner"' in html
    assert "Ajuntament de Lleida" in html and "Ajuntament de Reus" not in html

    refused = client.post(URL, {**DATA, "owner": stranger.pk})
    assert refused.status_code == 400
    assert refused.context["form"].errors["owner"]
    assert 'value="Council services survey"' in refused.content.decode()  # what was typed stays
    assert not Questionnaire.objects.exists()

    assert client.post(URL, {**DATA, "owner": second.organization.pk}).status_code == 302
    assert Questionnaire.objects.get().owner == second.organization


def test_user_without_a_council_is_refused(client):
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403
    assert client.post(URL, DATA).status_code == 403
    assert not Questionnaire.objects.exists()


def test_site_admin_chooses_among_every_organisation(client):
    council = OrganizationFactory(name_en="Ajuntament de Vic")
    OrganizationFactory(name_en="Ajuntament de Olot")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert 'name="owner"' in client.get(URL).content.decode()
    assert client.post(URL, {**DATA, "owner": council.pk}).status_code == 302
    assert Questionnaire.objects.get().owner == council
