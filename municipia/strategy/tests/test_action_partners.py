"""Partner organisations take part in actions with a role, shown on the action, the partner's page,
the exports and the API."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.organizations.tests.factories import OrganizationFactory, PartnerFactory, RoleFactory, UserFactory
from municipia.strategy import services
from municipia.strategy.choices import PartnerRole
from municipia.strategy.models import ActionPartner
from municipia.strategy.tests.factories import ActionFactory, ActionPartnerFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    council = OrganizationFactory(slug="sofia", name_en="Sofia")
    partner = PartnerFactory(slug="iab-bulgaria", name_en="IAB Bulgaria")
    plan = PlanFactory(owner=council, slug="sofia-plan", is_published=True)
    action = ActionFactory(objective=ObjectiveFactory(axis__plan=plan), code="1.1.1", title_en="Quantitative study")
    editor = RoleFactory(organization=council).user
    return council, partner, plan, action, editor


def test_a_partner_takes_part_in_several_roles_but_a_council_is_refused(setting):
    council, partner, _plan, action, editor = setting
    services.action_partner_create(acting_user=editor, action=action, data={"organization": partner, "role": "lead"})
    services.action_partner_create(
        acting_user=editor, action=action, data={"organization": partner, "role": PartnerRole.DATA_PROVIDER}
    )
    with pytest.raises(ValidationError) as refused:
        services.action_partner_create(
            acting_user=editor, action=action, data={"organization": partner, "role": "lead"}
        )
    assert "role" in refused.value.message_dict
    with pytest.raises(ValidationError) as council_refused:
        services.action_partner_create(acting_user=editor, action=action, data={"organization": council})
    assert "participating councils" in council_refused.value.message_dict["organization"][0]
    assert ActionPartner.objects.filter(action=action).count() == 2


def test_a_partner_as_participant_is_pointed_to_the_partners(setting):
    _council, partner, _plan, action, editor = setting
    with pytest.raises(ValidationError) as refused:
        services.action_update(acting_user=editor, action=action, data={}, participants=[partner])
    assert "partners" in refused.value.message_dict["participants"][0]


def test_the_action_page_and_the_partners_page_show_the_role(client, setting):
    _council, partner, _plan, action, editor = setting
    ActionPartnerFactory(action=action, organization=partner, role=PartnerRole.FUNDER, note="Pays the fieldwork")
    page = client.get(action.get_absolute_url()).content.decode()
    assert "IAB Bulgaria" in page and "Funder" in page and "Pays the fieldwork" in page
    partner_page = client.get(partner.get_absolute_url()).content.decode()
    assert "Quantitative study" in partner_page and "Funder" in partner_page
    bulgarian = client.get(partner.get_absolute_url().replace("/en/", "/bg/")).content.decode()
    assert "Финансиращ" in bulgarian


def test_editors_add_partners_on_the_page_and_others_cannot(client, setting):
    _council, partner, _plan, action, editor = setting
    url = reverse("strategy:actionpartner-create", args=[action.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(editor)
    assert client.get(url).status_code == 200
    response = client.post(url, {"organization": partner.pk, "role": "contributor", "note": ""})
    assert response.status_code == 302
    assert ActionPartner.objects.get(action=action).role == "contributor"


def test_exports_name_the_partners_with_their_roles(client, setting):
    _council, partner, plan, action, _editor = setting
    ActionPartnerFactory(action=action, organization=partner, role=PartnerRole.LEAD)
    ActionPartnerFactory(action=action, organization=partner, role=PartnerRole.DATA_PROVIDER)
    response = client.get(reverse("reports:plan-export", args=[plan.slug, "json"]))
    record = json.loads(b"".join(response.streaming_content))["actions"][0]
    assert sorted(record["partner_organisations"]) == ["IAB Bulgaria (Data provider)", "IAB Bulgaria (Lead)"]
    csv_text = b"".join(client.get(reverse("reports:plan-export", args=[plan.slug, "csv"])).streaming_content)
    assert "partner organisations" in csv_text.decode("utf-8-sig")


def test_the_api_lists_and_writes_partners_with_the_same_rules(setting):
    council, partner, _plan, action, editor = setting
    api = APIClient()
    body = {"action": action.pk, "organization": "iab-bulgaria", "role": "data_provider"}
    api.force_authenticate(RoleFactory(organization=OrganizationFactory()).user)
    assert api.post("/api/v1/action-partners/", body, format="json").status_code == 403
    api.force_authenticate(editor)
    created = api.post("/api/v1/action-partners/", body, format="json")
    assert created.status_code == 201, created.content
    council_body = {**body, "organization": "sofia"}
    assert api.post("/api/v1/action-partners/", council_body, format="json").status_code == 400
    assert api.post("/api/v1/action-partners/", body, format="json").status_code == 400  # the same role twice
    api.force_authenticate(None)
    rows = api.get("/api/v1/action-partners/", {"organization": "iab-bulgaria"}).json()["results"]
    assert [(row["action"], row["role"]) for row in rows] == [(action.pk, "data_provider")]
    detail = api.get(f"/api/v1/actions/{action.pk}/").json()
    assert detail["partners"][0]["organization"] == "iab-bulgaria"
