"""Enrolling a person of another organisation is an invitation she accepts or declines (issue 14)."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.api.tests.test_api_schema import assert_matches_schema, schema  # noqa: F401 - a fixture
from municipia.governance import calendars, selectors, services
from municipia.governance.choices import BodyKind, InvitationStatus, MemberRole
from municipia.governance.models import BodyInvitation, BodyMember
from municipia.governance.tests.factories import BodyFactory, MeetingFactory
from municipia.organizations.tests.factories import (
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)


@pytest.fixture
def world(governance_world):
    """The shared world, a private body with a future meeting, and another council's secretary."""
    w = governance_world
    private = BodyFactory(plan=w["plan"], kind=BodyKind.WORKING_GROUP, is_public=False, name_en="Private group")
    w["private"] = private
    w["private_meeting"] = MeetingFactory(
        body=private,
        title_en="Private meeting",
        starts_at=dt.datetime(2030, 3, 5, 9, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2030, 3, 5, 10, 0, tzinfo=dt.UTC),
    )
    w["outsider_user"] = UserFactory()
    other_council = OrganizationFactory(slug="other-council")
    # Both councils belong to one network, so the member form offers the other council's people.
    network = NetworkFactory()
    NetworkMembershipFactory(network=network, member=w["council"])
    NetworkMembershipFactory(network=network, member=other_council)
    w["outsider"] = PersonFactory(
        user=w["outsider_user"],
        organization=other_council,
        email="secretary@other.example",
        language="es",
    )
    return w


def _editor(world):
    return world["users"]["own editor"]


def _invite(world, role=MemberRole.CHAIR):
    return services.member_create(
        acting_user=_editor(world),
        body=world["private"],
        data={"person": world["outsider"], "role": role, "start_date": dt.date(2024, 1, 1)},
    )


def _feed_titles(person) -> set[str]:
    return {meeting.title for meeting in calendars.person_feed(person).meetings}


# --- Services


def test_editor_enrolling_another_councils_person_creates_only_an_invitation(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(world)
    assert isinstance(invitation, BodyInvitation) and invitation.status == InvitationStatus.PENDING
    assert not BodyMember.objects.filter(person=world["outsider"]).exists()
    # Her private calendar does not fill with the body's meetings, and she does not see the body.
    assert "Private meeting" not in _feed_titles(world["outsider"])
    assert not world["outsider_user"].has_perm("governance.view_body", world["private"])
    # She is told by e-mail, in her language, where to answer.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["secretary@other.example"]
    assert "Private group" in mail.outbox[0].subject and mail.outbox[0].extra_headers["Content-Language"] == "es"
    assert "/es/governance/me/" in mail.outbox[0].body


def test_editor_enrols_a_person_of_her_own_council_directly(world):
    person = PersonFactory(organization=world["council"])
    member = services.member_create(acting_user=_editor(world), body=world["private"], data={"person": person})
    assert isinstance(member, BodyMember) and member.pk
    assert not BodyInvitation.objects.exists()


def test_accepting_creates_the_membership_offered_and_fills_her_calendar(world):
    invitation = _invite(world)
    member = services.invitation_accept(acting_user=world["outsider_user"], invitation=invitation)
    assert (member.body, member.person, member.role) == (world["private"], world["outsider"], MemberRole.CHAIR)
    assert member.start_date == dt.date(2024, 1, 1)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED and invitation.membership == member
    assert "Private meeting" in _feed_titles(world["outsider"])


def test_declining_creates_nothing_and_an_answer_is_final(world):
    invitation = _invite(world)
    services.invitation_decline(acting_user=world["outsider_user"], invitation=invitation)
    assert not BodyMember.objects.filter(person=world["outsider"]).exists()
    with pytest.raises(Exception, match="already been answered"):
        services.invitation_accept(acting_user=world["outsider_user"], invitation=invitation)


def test_a_second_pending_invitation_for_the_same_seat_is_refused(world):
    _invite(world)
    with pytest.raises(Exception, match="already been invited"):
        _invite(world)


# --- Pages


def test_member_page_invites_and_says_so(client, world):
    client.force_login(_editor(world))
    url = reverse("governance:member-create", kwargs={"pk": world["private"].pk})
    response = client.post(url, {"person": world["outsider"].pk, "role": "member", "start_date": "2024-01-01"})
    assert response.status_code == 302, response.content
    assert response["Location"].endswith("#invitations")
    assert BodyInvitation.objects.filter(person=world["outsider"], status=InvitationStatus.PENDING).count() == 1
    assert not BodyMember.objects.filter(person=world["outsider"]).exists()
    body_page = client.get(response["Location"])
    assert "have been invited" in body_page.content.decode()
    assert world["outsider"].full_name in body_page.content.decode()


def test_invited_person_sees_the_invitation_on_her_pages_and_accepts(client, world):
    invitation = _invite(world)
    client.force_login(world["outsider_user"])
    mine = client.get(reverse("governance:my-governance"))
    assert "Private group" in mine.content.decode()
    assert reverse("governance:invitation-accept", kwargs={"pk": invitation.pk}) in mine.content.decode()
    work = client.get(reverse("portal:my-work"))
    assert "Invitations to bodies" in work.content.decode() and "Private group" in work.content.decode()
    answered = client.post(reverse("governance:invitation-accept", kwargs={"pk": invitation.pk}))
    assert answered.status_code == 302
    assert BodyMember.objects.filter(person=world["outsider"], body=world["private"]).count() == 1


@pytest.mark.parametrize("role", ["own editor", "other council's editor", "body member"])
def test_nobody_else_answers_someone_elses_invitation(client, world, role):
    invitation = _invite(world)
    client.force_login(world["users"][role])
    for name in ("governance:invitation-accept", "governance:invitation-decline"):
        assert client.post(reverse(name, kwargs={"pk": invitation.pk})).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_only_the_bodys_editors_withdraw(client, world):
    invitation = _invite(world)
    url = reverse("governance:invitation-withdraw", kwargs={"pk": invitation.pk})
    client.force_login(world["users"]["other council's editor"])
    assert client.post(url).status_code == 404
    client.force_login(world["outsider_user"])
    assert client.post(url).status_code == 404
    client.force_login(_editor(world))
    assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.WITHDRAWN


# --- API


def test_api_answers_202_with_a_pending_invitation_and_she_accepts(world, schema):  # noqa: F811
    api = APIClient()
    api.force_authenticate(_editor(world))
    response = api.post(
        "/api/v1/body-members/", {"body": world["private"].pk, "person": world["outsider"].pk, "role": "member"}
    )
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "pending" and response["Location"] == response.json()["url"]
    assert_matches_schema(schema, response, "/api/v1/body-members/", "post")
    assert not BodyMember.objects.filter(person=world["outsider"]).exists()

    invitee = APIClient()
    invitee.force_authenticate(world["outsider_user"])
    listed = invitee.get("/api/v1/body-invitations/")
    assert [row["id"] for row in listed.json()["results"]] == [response.json()["id"]]
    accept = f"/api/v1/body-invitations/{response.json()['id']}/accept/"
    # The editor cannot answer for her (403), someone else's editor does not see it (404).
    assert api.post(accept).status_code == 403
    stranger = APIClient()
    stranger.force_authenticate(world["users"]["other council's editor"])
    assert stranger.post(accept).status_code == 404
    accepted = invitee.post(accept)
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["person"] == world["outsider"].pk
    assert invitee.post(accept).status_code == 400  # answered already
    assert BodyMember.objects.filter(person=world["outsider"], body=world["private"]).count() == 1


def test_anonymous_api_clients_see_no_invitations(world):
    _invite(world)
    assert APIClient().get("/api/v1/body-invitations/").status_code in (401, 403)


def test_person_page_lists_pending_invitations_only(world):
    invitation = _invite(world)
    assert [i.pk for i in selectors.person_page(world["outsider_user"]).invitations] == [invitation.pk]
    services.invitation_decline(acting_user=world["outsider_user"], invitation=invitation)
    assert selectors.person_page(world["outsider_user"]).invitations == []
