"""Every governance page write route × every role: only structure or meeting writers change anything.

Each request carries valid data, so the only thing that can stop it is the permission system;
`governance_fingerprint()` (row and history counts, minutes states) shows whether anything was written.
"""

import pytest
from django.urls import reverse

from municipia.core.tests.matrix import fresh, module_world
from municipia.governance import urls as governance_urls
from municipia.governance.choices import AttendanceStatus, BodyKind, MemberRole, MinutesStatus, TaskStatus
from municipia.governance.models import CalendarToken, Meeting
from municipia.governance.tests.conftest import (
    GOVERNANCE_ROLES,
    MEETING_WRITERS,
    STRUCTURE_WRITERS,
    build_governance_world,
    governance_fingerprint,
)
from municipia.governance.tests.factories import DecisionFactory, MeetingFactory
from municipia.organizations.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

# One world for the module (it overrides the conftest's per-test one), rolled back at its end; each
# case runs in a savepoint of it and takes the objects it hands to a request or service afresh.
governance_world = module_world(build_governance_world)

READ_ROUTES = {"plan-bodies", "body-detail", "meeting-detail", "calendar", "my-governance"}
# A person's own private calendar address: whoever has a person record manages their own.
PERSONAL_ROUTES = {"calendar-token-issue", "calendar-token-revoke"}


def gov(name: str, *args) -> str:
    return reverse(f"governance:{name}", args=args)


def _approved_minutes_url(w) -> str:
    Meeting.objects.filter(pk=w["meeting"].pk).update(minutes_status=MinutesStatus.APPROVED)
    return gov("minutes-reopen", w["meeting"].pk)


def _meeting_times(start: str = "2023-09-26T17:00", end: str = "2023-09-26T18:30") -> dict:
    return {"starts_at": start, "ends_at": end}


# name → (allowed roles, url(world), data(world)); the data is complete and valid for the form.
PAGE_ROUTES = {
    "body-create": (
        STRUCTURE_WRITERS,
        lambda w: gov("body-create", w["plan"].slug),
        lambda w: {
            "name_en": "Cybersecurity working group",
            "kind": BodyKind.WORKING_GROUP,
            "followed_up_by": w["body"].pk,
            "time_zone": "Europe/Madrid",
            "holiday_region": "ES-CT",
            "is_public": "on",
        },
    ),
    "body-update": (
        STRUCTURE_WRITERS,
        lambda w: gov("body-update", w["body"].pk),
        lambda w: {
            "name_en": "Renamed group",
            "mandate_en": "Follows up axis 1.",
            "kind": BodyKind.COORDINATION_GROUP,
            "time_zone": "Europe/Madrid",
            "holiday_region": "ES-CT",
            "is_public": "on",
        },
    ),
    "member-create": (
        STRUCTURE_WRITERS,
        lambda w: gov("member-create", w["body"].pk),
        lambda w: {
            "person": PersonFactory(organization=w["council"]).pk,
            "role": MemberRole.MEMBER,
            "start_date": "2023-06-01",
        },
    ),
    "member-update": (
        STRUCTURE_WRITERS,
        lambda w: gov("member-update", w["member"].pk),
        lambda w: {"role": MemberRole.OBSERVER, "start_date": "2023-05-01", "organization": w["council"].pk},
    ),
    "series-create": (
        STRUCTURE_WRITERS,
        lambda w: gov("series-create", w["working_group"].pk),
        lambda w: {
            "title_en": "Fortnightly meeting",
            "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20230915",
            "first_start": "2023-06-15T10:00",
            "time_zone": "Europe/Madrid",
            "duration_minutes": "60",
            "on_holiday": "next_working_day",
        },
    ),
    "meeting-create": (
        MEETING_WRITERS,
        lambda w: gov("meeting-create", w["body"].pk),
        lambda w: {"title_en": "Extraordinary meeting", **_meeting_times()},
    ),
    "meeting-update": (
        MEETING_WRITERS,
        lambda w: gov("meeting-update", w["meeting"].pk),
        lambda w: {"title_en": "Renamed meeting", "place": "Sala 2", **_meeting_times("2023-06-27T17:00")},
    ),
    "meeting-move": (
        MEETING_WRITERS,
        lambda w: gov("meeting-move", w["meeting"].pk),
        lambda w: {"starts_at": "2023-06-28T17:00", "reason": "Room taken"},
    ),
    "meeting-cancel": (MEETING_WRITERS, lambda w: gov("meeting-cancel", w["meeting"].pk), lambda w: {"reason": "-"}),
    "minutes-update": (
        MEETING_WRITERS,
        lambda w: gov("minutes-update", w["meeting"].pk),
        lambda w: {"minutes": "The group agreed on the pilot."},
    ),
    "minutes-approve": (MEETING_WRITERS, lambda w: gov("minutes-approve", w["meeting"].pk), lambda w: {}),
    "attendance-record": (
        MEETING_WRITERS,
        lambda w: gov("attendance-record", w["meeting"].pk),
        lambda w: {
            f"person-{w['member'].person_id}": AttendanceStatus.PRESENT,
            f"person-{w['secretary'].person_id}": AttendanceStatus.EXCUSED,
        },
    ),
    "agenda-item-create": (
        MEETING_WRITERS,
        lambda w: gov("agenda-item-create", w["meeting"].pk),
        lambda w: {"title_en": "Budget 2024", "presenter": w["member"].person.pk, "action": w["action"].pk},
    ),
    "agenda-item-update": (
        MEETING_WRITERS,
        lambda w: gov("agenda-item-update", w["agenda_item"].pk),
        lambda w: {"title_en": "Renamed item", "position": "2"},
    ),
    "decision-create": (
        MEETING_WRITERS,
        lambda w: gov("decision-create", w["body"].pk),
        lambda w: {"text_en": "Adopt the plan", "meeting": w["meeting"].pk},
    ),
    "meeting-decision-create": (
        MEETING_WRITERS,
        lambda w: gov("meeting-decision-create", w["meeting"].pk),
        lambda w: {"decision-text_en": "Adopt the plan", "decision-action": w["action"].pk},
    ),
    "decision-update": (
        MEETING_WRITERS,
        lambda w: gov("decision-update", w["decision"].pk),
        lambda w: {"text_en": "Reworded decision", "meeting": w["meeting"].pk},
    ),
    "task-create": (
        MEETING_WRITERS,
        lambda w: gov("task-create", w["body"].pk),
        lambda w: {"title_en": "Draft the tender", "owner": w["member"].person.pk, "due_date": "2023-09-30"},
    ),
    "meeting-task-create": (
        MEETING_WRITERS,
        lambda w: gov("meeting-task-create", w["meeting"].pk),
        lambda w: {
            "task-title_en": "Draft the tender",
            "task-owner": w["member"].person.pk,
            "task-due_date": "2023-09-30",
            "task-decision": w["decision"].pk,
        },
    ),
    "task-update": (
        MEETING_WRITERS,
        lambda w: gov("task-update", w["task"].pk),
        lambda w: {
            "title_en": "Renamed task",
            "owner": w["member"].person.pk,
            "due_date": "2023-08-31",
            "status": TaskStatus.DONE,
        },
    ),
    "report-create": (
        MEETING_WRITERS,
        lambda w: gov("report-create", w["working_group"].pk),
        lambda w: {
            "period_start": "2023-07-01",
            "period_end": "2023-07-31",
            "progress_percent": "40",
            "progress_en": "Pilot under way",
        },
    ),
    "report-update": (
        MEETING_WRITERS,
        lambda w: gov("report-update", w["report"].pk),
        lambda w: {"period_start": "2023-06-01", "period_end": "2023-06-30", "progress_en": "Revised"},
    ),
    "body-delete": (STRUCTURE_WRITERS, lambda w: gov("body-delete", w["working_group"].pk), lambda w: {}),
    "member-end": (
        STRUCTURE_WRITERS,
        lambda w: gov("member-end", w["member"].pk),
        lambda w: {"end_date": "2030-12-31"},
    ),
    "member-delete": (STRUCTURE_WRITERS, lambda w: gov("member-delete", w["member"].pk), lambda w: {}),
    "series-update": (
        STRUCTURE_WRITERS,
        lambda w: gov("series-update", w["series"].pk),
        lambda w: {
            "title_en": "Monthly coordination",
            "rrule": "FREQ=MONTHLY;BYDAY=-1TU",
            "first_start": "2023-05-30T17:00",
            "time_zone": "Europe/Madrid",
            "duration_minutes": "120",
            "place": "Sala 3",
            "on_holiday": "next_working_day",
        },
    ),
    "series-delete": (STRUCTURE_WRITERS, lambda w: gov("series-delete", w["series"].pk), lambda w: {}),
    "meeting-delete": (
        MEETING_WRITERS,
        lambda w: gov("meeting-delete", MeetingFactory(body=w["body"]).pk),  # no decisions: deletable
        lambda w: {},
    ),
    "minutes-reopen": ({"site admin"}, _approved_minutes_url, lambda w: {"reason": "Wrong date in item 2"}),
    "agenda-item-delete": (MEETING_WRITERS, lambda w: gov("agenda-item-delete", w["agenda_item"].pk), lambda w: {}),
    "decision-delete": (
        MEETING_WRITERS,
        lambda w: gov("decision-delete", DecisionFactory(body=w["body"], number=2).pk),  # no tasks follow it
        lambda w: {},
    ),
    "task-delete": (MEETING_WRITERS, lambda w: gov("task-delete", w["task"].pk), lambda w: {}),
    "report-delete": (MEETING_WRITERS, lambda w: gov("report-delete", w["report"].pk), lambda w: {}),
}


@pytest.mark.parametrize("role", GOVERNANCE_ROLES)
@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_page_write_route_by_role(client, governance_world, route, role):
    allowed, url_of, data_of = PAGE_ROUTES[route]
    user = fresh(governance_world["users"][role])
    if user is not None:
        client.force_login(user)
    address, data = url_of(governance_world), data_of(governance_world)
    before = governance_fingerprint()
    response = client.post(address, data)
    after = governance_fingerprint()
    if role in allowed:
        assert response.status_code == 302, (route, role, response.status_code, response.content.decode()[:2000])
        assert after != before, f"{route} by {role} wrote nothing"
    else:
        assert after == before, f"{route} by {role} changed the database"
        if user is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code in (403, 404), (route, role, response.status_code)


@pytest.mark.parametrize("role", GOVERNANCE_ROLES)
@pytest.mark.parametrize("route", sorted(PERSONAL_ROUTES))
def test_personal_calendar_address_routes_by_role(client, governance_world, route, role):
    """Only a signed-in user with a person record changes their own address, and nobody else's."""
    user = fresh(governance_world["users"][role])
    if user is not None:
        client.force_login(user)
    has_person = role in ("body member", "body secretary")
    others = [governance_world["member"].person, governance_world["secretary"].person]
    for person in others:
        CalendarToken.objects.create(person=person, token=f"token-{person.pk}")
    before = sorted(CalendarToken.objects.values_list("person_id", "token", "revoked_at"))
    response = client.post(gov(route))
    after = sorted(CalendarToken.objects.values_list("person_id", "token", "revoked_at"))
    if has_person:
        assert response.status_code == 302
        changed = {row[0] for row in set(after) ^ set(before)}
        assert changed == {user.person.pk}
    else:
        assert after == before
        if user is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 404


# Invitations to a body (services.invitation_create): the person invited answers, the body's
# editors withdraw; roles are the usual ones plus "invitee", another council's person invited.
INVITATION_ROUTES = {
    "invitation-accept": {"invitee"},
    "invitation-decline": {"invitee"},
    "invitation-withdraw": STRUCTURE_WRITERS,
}


@pytest.mark.parametrize("role", [*GOVERNANCE_ROLES, "invitee"])
@pytest.mark.parametrize("route", sorted(INVITATION_ROUTES))
def test_invitation_routes_by_role(client, governance_world, route, role):
    from municipia.governance import services
    from municipia.organizations.tests.factories import OrganizationFactory, UserFactory

    invitee = UserFactory()
    person = PersonFactory(user=invitee, organization=OrganizationFactory())
    invitation = services.member_create(
        acting_user=fresh(governance_world["users"]["own editor"]),
        body=fresh(governance_world["body"]),
        data={"person": person, "role": MemberRole.MEMBER},
    )
    user = invitee if role == "invitee" else fresh(governance_world["users"][role])
    if user is not None:
        client.force_login(user)
    before = governance_fingerprint()
    response = client.post(gov(route, invitation.pk))
    after = governance_fingerprint()
    if role in INVITATION_ROUTES[route]:
        assert response.status_code == 302, (route, role, response.status_code)
        assert after != before, f"{route} by {role} wrote nothing"
    else:
        assert after == before, f"{route} by {role} changed the database"
        if user is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 404, (route, role, response.status_code)


def test_matrix_covers_every_write_route_of_the_governance_pages():
    """A new governance editing page must be added to the matrix above."""
    names = {pattern.name for pattern in governance_urls.urlpatterns} - READ_ROUTES
    assert names == set(PAGE_ROUTES) | PERSONAL_ROUTES | set(INVITATION_ROUTES)
