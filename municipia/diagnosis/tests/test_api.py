"""API: responses written by token (201 / 400 naming the question / 409 used), campaigns,
questionnaires, maturity assessments and findings, with the pages' permissions."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from municipia.diagnosis import services
from municipia.diagnosis.choices import Access, CampaignStatus
from municipia.diagnosis.models import RefusedSubmission, Response
from municipia.diagnosis.selectors import questionnaire_structure
from municipia.diagnosis.tests.factories import (
    VALID_ANSWERS,
    CampaignFactory,
    FindingFactory,
    InvitationFactory,
    build_questionnaire,
)
from municipia.organizations.tests.factories import PartnerFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def invitation():
    campaign = CampaignFactory(questionnaire=build_questionnaire(), access=Access.INVITATION)
    return InvitationFactory(campaign=campaign)


def test_response_by_token_is_created_without_an_account(api, invitation):
    body = {"token": invitation.token, "answers": VALID_ANSWERS, "language": "ca"}
    response = api.post("/api/v1/responses/", body, format="json")
    assert response.status_code == 201, response.json()
    stored = Response.objects.get()
    assert (stored.language, stored.invitation_id, stored.user_id) == ("ca", None, None)


def test_bad_answer_answers_400_naming_the_question_code(api, invitation):
    body = {"token": invitation.token, "answers": {**VALID_ANSWERS, "satisfaction": 7, "visits": "x"}}
    response = api.post("/api/v1/responses/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["answers"]
    assert set(errors) == {"satisfaction", "visits"}
    assert "between 1 and 5" in errors["satisfaction"][0]
    assert not Response.objects.exists()


def test_used_token_answers_409(api, invitation):
    assert (
        api.post("/api/v1/responses/", {"token": invitation.token, "answers": VALID_ANSWERS}, format="json").status_code
        == 201
    )
    again = api.post("/api/v1/responses/", {"token": invitation.token, "answers": VALID_ANSWERS}, format="json")
    assert again.status_code == 409
    assert again.json()["reason"] == "token_used"
    assert Response.objects.count() == 1


def test_unknown_and_revoked_tokens_and_closed_campaigns(api, invitation):
    assert api.post("/api/v1/responses/", {"token": "nope", "answers": {}}, format="json").status_code == 404
    services.invitation_revoke(acting_user=None, invitation=invitation)
    assert (
        api.post("/api/v1/responses/", {"token": invitation.token, "answers": VALID_ANSWERS}, format="json").status_code
        == 410
    )
    assert set(RefusedSubmission.objects.values_list("reason", flat=True)) == {"token_unknown", "token_revoked"}


def test_response_body_must_name_a_token_or_a_campaign(api):
    response = api.post("/api/v1/responses/", {"answers": {}}, format="json")
    assert response.status_code == 400 and "token" in response.json()


def test_public_campaign_accepts_answers_by_slug(api):
    campaign = CampaignFactory(questionnaire=build_questionnaire())
    response = api.post("/api/v1/responses/", {"campaign": campaign.slug, "answers": VALID_ANSWERS}, format="json")
    assert response.status_code == 201
    campaign.status = CampaignStatus.CLOSED
    campaign.save()
    closed = api.post("/api/v1/responses/", {"campaign": campaign.slug, "answers": VALID_ANSWERS}, format="json")
    assert closed.status_code == 410


def test_responses_are_read_by_the_owner_and_the_council_they_are_published_to(api):
    partner = PartnerFactory()
    council_editor = RoleFactory().user
    council = council_editor.roles.get().organization
    campaign = CampaignFactory(
        questionnaire=build_questionnaire(owner=partner), owner=partner, results_published_to=council
    )
    structure = questionnaire_structure(campaign.questionnaire)
    for _ in range(3):
        services.response_submit(campaign=campaign, answers=VALID_ANSWERS, structure=structure)
    partner_editor = RoleFactory(organization=partner).user
    outsider = RoleFactory().user
    for user, expected in ((partner_editor, 3), (council_editor, 3), (outsider, 0)):
        api.force_authenticate(user)
        body = api.get("/api/v1/responses/", {"campaign": campaign.slug}).json()
        assert body["count"] == expected
    api.force_authenticate(None)
    assert api.get("/api/v1/responses/").json()["count"] == 0


def test_response_list_uses_a_constant_number_of_queries(api, django_assert_max_num_queries):
    owner_editor = RoleFactory().user
    owner = owner_editor.roles.get().organization
    campaign = CampaignFactory(questionnaire=build_questionnaire(owner=owner), owner=owner)
    structure = questionnaire_structure(campaign.questionnaire)
    for _ in range(30):
        services.response_submit(campaign=campaign, answers=VALID_ANSWERS, structure=structure)
    api.force_authenticate(owner_editor)
    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/responses/")
    assert response.status_code == 200 and len(response.json()["results"]) == 30


def test_questionnaire_detail_lists_sections_questions_and_options(api, django_assert_max_num_queries):
    editor = RoleFactory().user
    questionnaire = build_questionnaire(owner=editor.roles.get().organization)
    api.force_authenticate(editor)
    with django_assert_max_num_queries(8):
        body = api.get(f"/api/v1/questionnaires/{questionnaire.pk}/").json()
    codes = [q["code"] for s in body["sections"] for q in s["questions"]]
    assert codes[:2] == ["age_band", "uses_online"] and "ratings" in codes
    why_not = next(q for s in body["sections"] for q in s["questions"] if q["code"] == "why_not")
    assert why_not["show_if_question"] == "uses_online" and why_not["show_if_values"] == ["no"]


def test_campaign_api_opens_and_closes(api):
    editor = RoleFactory().user
    owner = editor.roles.get().organization
    campaign = CampaignFactory(questionnaire=build_questionnaire(owner=owner), owner=owner, status=CampaignStatus.DRAFT)
    api.force_authenticate(editor)
    assert api.post(f"/api/v1/campaigns/{campaign.slug}/open/").json()["status"] == "open"
    assert api.post(f"/api/v1/campaigns/{campaign.slug}/close/").json()["status"] == "closed"


def test_maturity_level_out_of_range_answers_400_naming_the_dimension(api):
    services.maturity_dimensions_ensure()
    editor = RoleFactory().user
    owner = editor.roles.get().organization
    api.force_authenticate(editor)
    response = api.post(
        "/api/v1/maturity-assessments/",
        {"organization": owner.slug, "assessed_on": "2021-03-01", "ratings": [{"dimension": "data", "level": 9}]},
        format="json",
    )
    assert response.status_code == 400 and "level_data" in response.json()


def test_finding_to_challenge_through_the_api(api):
    finding = FindingFactory()
    editor = RoleFactory(organization=finding.plan.owner).user
    from municipia.strategy.tests.factories import AxisFactory

    axis = AxisFactory(plan=finding.plan, code="2")
    api.force_authenticate(editor)
    response = api.post(f"/api/v1/findings/{finding.pk}/to-challenge/", {"axis": axis.pk}, format="json")
    assert response.status_code == 200 and response.json()["challenge"]
    again = api.post(f"/api/v1/findings/{finding.pk}/to-challenge/", {"axis": axis.pk}, format="json")
    assert again.status_code == 400


def test_schema_builds(api):
    assert connection.vendor in ("sqlite", "postgresql")
    assert api.get("/api/schema/").status_code == 200
