"""Response identifiers are random wherever they are shown, and anonymous campaigns keep no draft
next to an invitee's e-mail address (issue 14)."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.diagnosis import services
from municipia.diagnosis.choices import Access
from municipia.diagnosis.models import Invitation, Response
from municipia.diagnosis.selectors import questionnaire_structure
from municipia.diagnosis.tests.factories import VALID_ANSWERS, CampaignFactory, InvitationFactory, build_questionnaire
from municipia.organizations.tests.factories import RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered():
    """A campaign with five responses and the editor of its owner."""
    editor = RoleFactory().user
    owner = editor.roles.get().organization
    campaign = CampaignFactory(questionnaire=build_questionnaire(owner=owner), owner=owner, slug="ids-2026")
    structure = questionnaire_structure(campaign.questionnaire)
    for _ in range(5):
        services.response_submit(campaign=campaign, answers=VALID_ANSWERS, structure=structure)
    return campaign, editor


def test_every_response_gets_a_random_uuid4(answered):
    campaign, _editor = answered
    ids = list(campaign.responses.order_by("pk").values_list("public_id", flat=True))
    assert len(set(ids)) == 5 and all(isinstance(i, uuid.UUID) and i.version == 4 for i in ids)
    assert str(ids[0]) in str(campaign.responses.order_by("pk").first())  # __str__ names no sequential key


def test_api_names_responses_by_public_id_in_random_order(answered):
    campaign, editor = answered
    api = APIClient()
    api.force_authenticate(editor)
    rows = api.get("/api/v1/responses/", {"campaign": campaign.slug}).json()["results"]
    public = {str(i) for i in campaign.responses.values_list("public_id", flat=True)}
    assert {row["id"] for row in rows} == public
    # Listed by public id, not by submission: the list's order tells nothing of when.
    assert [row["id"] for row in rows] == sorted(public)
    first = campaign.responses.order_by("pk").first()
    assert api.get(f"/api/v1/responses/{first.public_id}/").json()["id"] == str(first.public_id)
    assert api.get(f"/api/v1/responses/{first.pk}/").status_code == 404
    assert api.get("/api/v1/responses/0000000-not-a-uuid-00000000000000/").status_code == 404


def test_response_export_shows_public_ids_in_their_random_order(client, answered):
    campaign, editor = answered
    client.force_login(editor)
    export = client.get(reverse("diagnosis-results:responses-csv", kwargs={"slug": campaign.slug}))
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    exported = [line.split(",")[0] for line in lines[1:]]
    public = sorted(str(i) for i in campaign.responses.values_list("public_id", flat=True))
    assert exported == public
    # Every row still carries its own answers (the answers stream in the same order).
    assert all(line.count(",") == lines[0].count(",") for line in lines[1:])
    assert {len([cell for cell in line.split(",")[4:] if cell]) for line in lines[1:]} == {
        len([cell for cell in lines[1].split(",")[4:] if cell])
    }


def test_anonymous_invitation_draft_lives_in_the_session_without_the_invitation(answered):
    campaign, _editor = answered
    campaign.access = Access.INVITATION
    campaign.is_anonymous = True
    campaign.save()
    invitation = InvitationFactory(campaign=campaign)
    browser = Client()
    url = reverse("diagnosis:answer-token", kwargs={"token": invitation.token})
    assert browser.post(url, {"q-age_band": "30-49", "action": "save"}).status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).draft in (None, {})
    keys = [key for key, _value in browser.session.items() if key.startswith("diagnosis-draft-")]
    assert keys and all(key == f"diagnosis-draft-{campaign.pk}" for key in keys)


def test_a_campaign_made_anonymous_forgets_drafts_kept_with_invitations():
    editor = RoleFactory().user
    owner = editor.roles.get().organization
    campaign = CampaignFactory(
        questionnaire=build_questionnaire(owner=owner), owner=owner, access=Access.INVITATION, is_anonymous=False
    )
    invitation = InvitationFactory(campaign=campaign)
    Invitation.objects.filter(pk=invitation.pk).update(draft={"age_band": "30-49"})
    services.campaign_update(acting_user=editor, campaign=campaign, data={"is_anonymous": True})
    assert Invitation.objects.get(pk=invitation.pk).draft == {}
    assert not Response.objects.exists()
