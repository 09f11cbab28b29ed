"""Every governance write route of the API × every role: only the roles the rules allow write anything.

Each request carries valid data, so only the permission system can stop it; the governance
fingerprint (row and history counts, minutes states) shows whether anything was written.
"""

import pytest
from rest_framework.test import APIClient

from municipia.governance.choices import MemberRole, MinutesStatus
from municipia.governance.tests.conftest import (
    GOVERNANCE_ROLES,
    MEETING_WRITERS,
    STRUCTURE_WRITERS,
    governance_fingerprint,
)
from municipia.governance.tests.factories import AttendanceFactory, DecisionFactory, MeetingFactory
from municipia.organizations.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(governance_world):
    w = governance_world
    w["spare_meeting"] = MeetingFactory(body=w["body"])  # no decisions: it can be deleted
    w["attendance"] = AttendanceFactory(meeting=w["meeting"], person=w["member"].person)
    w["newcomer"] = PersonFactory(organization=w["council"])
    w["spare_decision"] = DecisionFactory(body=w["body"], number=2)  # no tasks follow it: it can be deleted
    w["approved_meeting"] = MeetingFactory(body=w["body"], minutes="Agreed.", minutes_status=MinutesStatus.APPROVED)
    return w


def _meeting_url(w, suffix: str = "") -> str:
    return f"/api/v1/meetings/{w['meeting'].pk}/{suffix}"


# name → (method, url(world), data(world), roles allowed)
API_ROUTES = {
    "bodies-create": (
        "post",
        lambda w: "/api/v1/bodies/",
        lambda w: {"plan": w["plan"].slug, "kind": "committee", "name_en": "Ethics committee"},
        STRUCTURE_WRITERS,
    ),
    "bodies-update": (
        "patch",
        lambda w: f"/api/v1/bodies/{w['body'].pk}/",
        lambda w: {"mandate_en": "Follows up axis 1."},
        STRUCTURE_WRITERS,
    ),
    "bodies-delete": (
        "delete",
        lambda w: f"/api/v1/bodies/{w['working_group'].pk}/",
        lambda w: None,
        STRUCTURE_WRITERS,
    ),
    "body-members-create": (
        "post",
        lambda w: "/api/v1/body-members/",
        lambda w: {"body": w["body"].pk, "person": w["newcomer"].pk, "role": MemberRole.OBSERVER},
        STRUCTURE_WRITERS,
    ),
    "body-members-update": (
        "patch",
        lambda w: f"/api/v1/body-members/{w['member'].pk}/",
        lambda w: {"end_date": "2030-12-31"},
        STRUCTURE_WRITERS,
    ),
    "body-members-delete": (
        "delete",
        lambda w: f"/api/v1/body-members/{w['member'].pk}/",
        lambda w: None,
        STRUCTURE_WRITERS,
    ),
    "meeting-series-create": (
        "post",
        lambda w: "/api/v1/meeting-series/",
        lambda w: {
            "body": w["body"].pk,
            "title_en": "Quarterly",
            "rrule": "FREQ=MONTHLY;INTERVAL=3;BYDAY=1WE;COUNT=4",
            "first_start": "2024-01-03T10:00:00+01:00",
        },
        STRUCTURE_WRITERS,
    ),
    "meeting-series-update": (
        "patch",
        lambda w: f"/api/v1/meeting-series/{w['series'].pk}/",
        lambda w: {"place": "Sala 3", "duration_minutes": 120},
        STRUCTURE_WRITERS,
    ),
    "meeting-series-delete": (
        "delete",
        lambda w: f"/api/v1/meeting-series/{w['series'].pk}/",
        lambda w: None,
        STRUCTURE_WRITERS,
    ),
    "meetings-reopen-minutes": (
        "post",
        lambda w: f"/api/v1/meetings/{w['approved_meeting'].pk}/reopen-minutes/",
        lambda w: {"reason": "Wrong date in item 2"},
        {"site admin"},
    ),
    "meetings-create": (
        "post",
        lambda w: "/api/v1/meetings/",
        lambda w: {
            "body": w["body"].pk,
            "title_en": "Extraordinary meeting",
            "starts_at": "2023-09-05T17:00:00+02:00",
            "ends_at": "2023-09-05T18:00:00+02:00",
        },
        MEETING_WRITERS,
    ),
    "meetings-update": ("patch", lambda w: _meeting_url(w), lambda w: {"place": "Room 1"}, MEETING_WRITERS),
    "meetings-minutes": ("patch", lambda w: _meeting_url(w), lambda w: {"minutes": "Final minutes."}, MEETING_WRITERS),
    "meetings-delete": (
        "delete",
        lambda w: f"/api/v1/meetings/{w['spare_meeting'].pk}/",
        lambda w: None,
        MEETING_WRITERS,
    ),
    "meetings-move": (
        "post",
        lambda w: _meeting_url(w, "move/"),
        lambda w: {"starts_at": "2023-06-28T17:00:00+02:00"},
        MEETING_WRITERS,
    ),
    "meetings-cancel": (
        "post",
        lambda w: _meeting_url(w, "cancel/"),
        lambda w: {"reason": "No quorum"},
        MEETING_WRITERS,
    ),
    "meetings-approve-minutes": ("post", lambda w: _meeting_url(w, "approve-minutes/"), lambda w: {}, MEETING_WRITERS),
    "agenda-items-create": (
        "post",
        lambda w: "/api/v1/agenda-items/",
        lambda w: {"meeting": w["meeting"].pk, "title_en": "Any other business"},
        MEETING_WRITERS,
    ),
    "agenda-items-update": (
        "patch",
        lambda w: f"/api/v1/agenda-items/{w['agenda_item'].pk}/",
        lambda w: {"position": 5},
        MEETING_WRITERS,
    ),
    "agenda-items-delete": (
        "delete",
        lambda w: f"/api/v1/agenda-items/{w['agenda_item'].pk}/",
        lambda w: None,
        MEETING_WRITERS,
    ),
    "attendances-create": (
        "post",
        lambda w: "/api/v1/attendances/",
        lambda w: {"meeting": w["meeting"].pk, "person": w["secretary"].person.pk, "status": "present"},
        MEETING_WRITERS,
    ),
    "attendances-update": (
        "patch",
        lambda w: f"/api/v1/attendances/{w['attendance'].pk}/",
        lambda w: {"status": "excused"},
        MEETING_WRITERS,
    ),
    "attendances-delete": (
        "delete",
        lambda w: f"/api/v1/attendances/{w['attendance'].pk}/",
        lambda w: None,
        MEETING_WRITERS,
    ),
    "decisions-create": (
        "post",
        lambda w: "/api/v1/decisions/",
        lambda w: {"body": w["body"].pk, "meeting": w["meeting"].pk, "text_en": "Approve the work plan"},
        MEETING_WRITERS,
    ),
    "decisions-update": (
        "patch",
        lambda w: f"/api/v1/decisions/{w['decision'].pk}/",
        lambda w: {"text_ca": "Aprovar el pla de treball"},
        MEETING_WRITERS,
    ),
    "decisions-delete": (
        "delete",
        lambda w: f"/api/v1/decisions/{w['spare_decision'].pk}/",
        lambda w: None,
        MEETING_WRITERS,
    ),
    "tasks-create": (
        "post",
        lambda w: "/api/v1/tasks/",
        lambda w: {
            "body": w["body"].pk,
            "title_en": "Send the survey",
            "owner": w["member"].person.pk,
            "due_date": "2023-10-31",
        },
        MEETING_WRITERS,
    ),
    "tasks-update": (
        "patch",
        lambda w: f"/api/v1/tasks/{w['task'].pk}/",
        lambda w: {"status": "done"},
        MEETING_WRITERS,
    ),
    "tasks-delete": ("delete", lambda w: f"/api/v1/tasks/{w['task'].pk}/", lambda w: None, MEETING_WRITERS),
    # The secretary of the coordination group is the working group's secretary too.
    "reports-create": (
        "post",
        lambda w: "/api/v1/reports/",
        lambda w: {
            "body": w["working_group"].pk,
            "period_start": "2023-07-01",
            "period_end": "2023-07-31",
            "progress_en": "Survey drafted",
        },
        MEETING_WRITERS,
    ),
    "reports-update": (
        "patch",
        lambda w: f"/api/v1/reports/{w['report'].pk}/",
        lambda w: {"next_steps_en": "Send the survey"},
        MEETING_WRITERS,
    ),
    "reports-delete": ("delete", lambda w: f"/api/v1/reports/{w['report'].pk}/", lambda w: None, MEETING_WRITERS),
}


@pytest.mark.parametrize("role", GOVERNANCE_ROLES)
@pytest.mark.parametrize("route", API_ROUTES)
def test_api_write_route_by_role(world, route, role):
    method, url_of, data_of, allowed = API_ROUTES[route]
    client = APIClient()
    user = world["users"][role]
    if user is not None:
        client.force_authenticate(user)
    before = governance_fingerprint()
    response = getattr(client, method)(url_of(world), data_of(world), format="json")
    after = governance_fingerprint()
    if role in allowed:
        assert response.status_code in (200, 201, 204), (route, role, response.status_code, response.content[:800])
        assert after != before, f"{route} by {role} wrote nothing"
    else:
        assert after == before, f"{route} by {role} changed the database"
        # Everything in this world is public: the refusal is about permission, never "not found".
        expected = 401 if user is None else 403
        assert response.status_code == expected, (route, role, response.status_code, response.content[:800])


# Invitations: the person invited answers, the body's editors withdraw (roles as above plus "invitee").
INVITATION_API_ROUTES = {
    "body-invitations-accept": {"invitee"},
    "body-invitations-decline": {"invitee"},
    "body-invitations-withdraw": STRUCTURE_WRITERS,
}


@pytest.mark.parametrize("role", [*GOVERNANCE_ROLES, "invitee"])
@pytest.mark.parametrize("route", sorted(INVITATION_API_ROUTES))
def test_api_invitation_route_by_role(world, route, role):
    from municipia.governance import services
    from municipia.organizations.tests.factories import OrganizationFactory, UserFactory

    invitee = UserFactory()
    person = PersonFactory(user=invitee, organization=OrganizationFactory())
    invitation = services.member_create(
        acting_user=world["users"]["own editor"], body=world["body"], data={"person": person, "role": "member"}
    )
    client = APIClient()
    user = invitee if role == "invitee" else world["users"][role]
    if user is not None:
        client.force_authenticate(user)
    before = governance_fingerprint()
    action = route.removeprefix("body-invitations-")
    response = client.post(f"/api/v1/body-invitations/{invitation.pk}/{action}/", format="json")
    after = governance_fingerprint()
    if role in INVITATION_API_ROUTES[route]:
        assert response.status_code in (200, 201), (route, role, response.status_code, response.content[:800])
        assert after != before
    else:
        assert after == before, f"{route} by {role} changed the database"
        # Who may not see the invitation gets 404; the body's editor answering for the invitee 403.
        assert response.status_code in (401, 403, 404), (route, role, response.status_code)
        if user is None:
            assert response.status_code in (401, 403)


def test_matrix_covers_every_governance_write_route_of_the_api():
    """A new write endpoint or action must be added to the matrix above."""
    from municipia.api.urls import router

    expected = set()
    for prefix, viewset, _basename in router.registry:
        if viewset.__module__ != "municipia.governance.api":
            continue
        # The writes a viewset implements (a read-only viewset answers 405 to the others).
        if hasattr(viewset, "create"):
            expected.add(f"{prefix}-create")
        if hasattr(viewset, "partial_update"):
            expected.add(f"{prefix}-update")
        if hasattr(viewset, "destroy"):
            expected.add(f"{prefix}-delete")
        for extra in viewset.get_extra_actions():
            expected.add(f"{prefix}-{extra.url_path}")
    covered = set(API_ROUTES) | set(INVITATION_API_ROUTES)
    assert expected <= covered, expected - covered
