"""The governance API: scoped reads, writes through the services, bad input, filters, schema and query counts."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.api.tests.test_api_schema import assert_matches_schema, schema  # noqa: F401 - a fixture
from municipia.governance.choices import BodyKind, MemberRole, MinutesStatus, TaskStatus
from municipia.governance.models import Attendance, Meeting
from municipia.governance.tests.conftest import governance_fingerprint
from municipia.governance.tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    BodyFactory,
    BodyMemberFactory,
    DecisionFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    ReportFactory,
    TaskFactory,
)
from municipia.organizations.tests.factories import PersonFactory, UserFactory
from municipia.strategy.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
RESOURCES = [
    "bodies",
    "body-members",
    "meeting-series",
    "meetings",
    "agenda-items",
    "attendances",
    "decisions",
    "tasks",
    "reports",
]


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def world(governance_world):
    """The shared world plus a private body of the same plan with one member, and an attendance row."""
    w = governance_world
    private = BodyFactory(plan=w["plan"], kind=BodyKind.WORKING_GROUP, is_public=False, name_en="Private group")
    insider = UserFactory()
    BodyMemberFactory(body=private, person=PersonFactory(user=insider, organization=w["council"]))
    w["private"] = private
    w["private_meeting"] = MeetingFactory(body=private, title_en="Private meeting")
    w["insider"] = insider
    w["attendance"] = AttendanceFactory(meeting=w["meeting"], person=w["member"].person)
    return w


def _as(api, world, role):
    user = world["users"][role] if isinstance(role, str) else role
    if user is not None:
        api.force_authenticate(user)
    return api


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- Visibility


def test_anonymous_cannot_read_a_private_bodys_meetings_but_a_member_can(api, world):
    private, meeting = world["private"], world["private_meeting"]
    assert meeting.pk not in _ids(api.get("/api/v1/meetings/"))
    assert private.pk not in _ids(api.get("/api/v1/bodies/"))
    assert api.get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404
    assert api.get(f"/api/v1/bodies/{private.pk}/").status_code == 404

    _as(api, world, world["insider"])
    assert meeting.pk in _ids(api.get("/api/v1/meetings/"))
    assert api.get(f"/api/v1/meetings/{meeting.pk}/").json()["title"] == "Private meeting"
    assert private.pk in _ids(api.get("/api/v1/bodies/"))


def test_a_signed_in_outsider_does_not_see_private_bodies_either(api, world):
    _as(api, world, "plain user")
    assert world["private_meeting"].pk not in _ids(api.get("/api/v1/meetings/"))
    assert api.get(f"/api/v1/bodies/{world['private'].pk}/").status_code == 404
    _as(api, world, "own editor")
    assert world["private_meeting"].pk in _ids(api.get("/api/v1/meetings/"))


def test_a_members_view_is_never_served_to_anonymous_users_from_the_cache(api, world):
    member_api = _as(APIClient(), world, world["insider"])
    assert world["private_meeting"].pk in _ids(member_api.get("/api/v1/meetings/"))
    assert world["private_meeting"].pk not in _ids(api.get("/api/v1/meetings/"))


def test_anonymous_reads_are_cached_until_governance_content_changes(api, world):
    first = api.get("/api/v1/meetings/")
    with CaptureQueriesContext(connection) as captured:
        again = api.get("/api/v1/meetings/")
    assert again.content == first.content
    assert len(captured) == 1  # the content version only
    MeetingFactory(body=world["body"], title_en="Added later")
    titles = {row["title"] for row in api.get("/api/v1/meetings/").json()["results"]}
    assert "Added later" in titles


def test_private_ids_in_write_payloads_answer_like_missing_ones(api, world):
    _as(api, world, "body secretary")
    payload = {"title_en": "Sneaky", "starts_at": "2023-09-01T10:00:00+02:00", "ends_at": "2023-09-01T11:00:00+02:00"}
    before = governance_fingerprint()
    hidden = api.post("/api/v1/meetings/", {**payload, "body": world["private"].pk})
    missing = api.post("/api/v1/meetings/", {**payload, "body": 999999})
    assert hidden.status_code == missing.status_code == 400
    assert set(hidden.json()) == {"body"}
    assert hidden.json()["body"][0].replace(str(world["private"].pk), "N") == missing.json()["body"][0].replace(
        "999999", "N"
    )
    hidden_meeting = api.post("/api/v1/agenda-items/", {"meeting": world["private_meeting"].pk, "title_en": "X"})
    assert hidden_meeting.status_code == 400 and "meeting" in hidden_meeting.json()
    assert governance_fingerprint() == before


def test_private_ids_in_filters_answer_like_missing_ones(api, world):
    hidden = api.get(f"/api/v1/meetings/?body={world['private'].pk}")
    missing = api.get("/api/v1/meetings/?body=999999")
    assert hidden.status_code == missing.status_code == 400
    assert set(hidden.json()) == {"body"}


def test_reports_are_seen_through_the_body_they_are_addressed_to(api, world):
    hidden_group = BodyFactory(plan=world["plan"], is_public=False, followed_up_by=world["body"])
    report = ReportFactory(body=hidden_group, addressed_to=world["body"])
    assert report.pk in _ids(api.get("/api/v1/reports/"))
    assert api.get(f"/api/v1/reports/{report.pk}/").json()["addressed_to"] == world["body"].pk


# --- Writes


def test_secretary_runs_a_meeting_end_to_end(api, world):
    _as(api, world, "body secretary")
    body = world["body"]
    meeting = api.post(
        "/api/v1/meetings/",
        {
            "body": body.pk,
            "title_en": "Kick-off",
            "title_ca": "Inici",
            "starts_at": "2023-09-05T17:00:00+02:00",
            "ends_at": "2023-09-05T18:30:00+02:00",
            "place": "Online",
        },
    )
    assert meeting.status_code == 201, meeting.content
    meeting_id = meeting.json()["id"]
    assert meeting.json()["series"] is None and meeting.json()["time_zone"] == "Europe/Madrid"

    item = api.post("/api/v1/agenda-items/", {"meeting": meeting_id, "title_en": "Welcome"})
    assert item.status_code == 201 and item.json()["position"] == 1 and item.json()["body"] == body.pk
    second = api.post("/api/v1/agenda-items/", {"meeting": meeting_id, "title_en": "Work plan"})
    assert second.json()["position"] == 2

    attendance = api.post(
        "/api/v1/attendances/", {"meeting": meeting_id, "person": world["member"].person.pk, "status": "excused"}
    )
    assert attendance.status_code == 201, attendance.content
    assert attendance.json()["organization"] == "own-council"
    again = api.post(
        "/api/v1/attendances/", {"meeting": meeting_id, "person": world["member"].person.pk, "status": "present"}
    )
    assert again.json()["id"] == attendance.json()["id"]  # recorded again: the same row, updated
    assert Attendance.objects.get(pk=attendance.json()["id"]).status == "present"

    minutes = api.patch(f"/api/v1/meetings/{meeting_id}/", {"minutes": "We agreed the work plan."})
    assert minutes.status_code == 200 and minutes.json()["minutes_status"] == MinutesStatus.DRAFT

    decision = api.post(
        "/api/v1/decisions/", {"body": body.pk, "meeting": meeting_id, "text_en": "Adopt the work plan", "number": 77}
    )
    assert decision.status_code == 201, decision.content
    assert decision.json()["number"] == 2  # numbered by the body's register (the world has decision 1)

    task = api.post(
        "/api/v1/tasks/",
        {
            "body": body.pk,
            "title_en": "Circulate the plan",
            "owner": world["member"].person.pk,
            "due_date": "2023-09-30",
            "decision": decision.json()["id"],
        },
    )
    assert task.status_code == 201, task.content
    assert task.json()["owner_name"] == world["member"].person.full_name
    done = api.patch(f"/api/v1/tasks/{task.json()['id']}/", {"status": TaskStatus.DONE})
    assert done.json()["status"] == "done" and done.json()["is_overdue"] is False

    approved = api.post(f"/api/v1/meetings/{meeting_id}/approve-minutes/")
    assert approved.status_code == 200
    assert approved.json()["minutes_status"] == MinutesStatus.APPROVED
    assert approved.json()["minutes_approved_by"] == world["users"]["body secretary"].username


def test_approved_minutes_are_frozen_for_those_who_run_the_meetings(api, world):
    meeting = world["meeting"]
    _as(api, world, "body secretary")
    assert api.post(f"/api/v1/meetings/{meeting.pk}/approve-minutes/").status_code == 200
    before = governance_fingerprint()
    # The minutes page answers 403 to this (`change_minutes`); the API checks the same permission first.
    refused = api.patch(f"/api/v1/meetings/{meeting.pk}/", {"minutes": "Rewritten."})
    assert refused.status_code == 403
    assert governance_fingerprint() == before
    # Approving again is not allowed either, and other fields can still be changed.
    assert api.post(f"/api/v1/meetings/{meeting.pk}/approve-minutes/").status_code == 403
    full = api.get(f"/api/v1/meetings/{meeting.pk}/").json()
    put = api.put(f"/api/v1/meetings/{meeting.pk}/", {**full, "place": "Room 2"})  # same minutes: fine
    assert put.status_code == 200, put.content
    assert put.json()["place"] == "Room 2"
    meeting.refresh_from_db()
    assert meeting.minutes == "Draft minutes."


def test_changing_approved_minutes_is_forbidden_alike_on_the_page_and_in_the_api(api, client, world):
    """One permission, one answer: 403 on the minutes page and from the API, before any service runs."""
    meeting = world["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(minutes_status=MinutesStatus.APPROVED)
    secretary = world["users"]["body secretary"]
    before = governance_fingerprint()
    client.force_login(secretary)
    page = client.post(reverse("governance:minutes-update", args=[meeting.pk]), {"minutes": "Rewritten."})
    _as(api, world, "body secretary")
    put = api.get(f"/api/v1/meetings/{meeting.pk}/").json()
    responses = [
        api.patch(f"/api/v1/meetings/{meeting.pk}/", {"minutes": "Rewritten."}),
        api.put(f"/api/v1/meetings/{meeting.pk}/", {**put, "minutes": "Rewritten."}),
    ]
    assert [page.status_code, *(response.status_code for response in responses)] == [403, 403, 403]
    assert governance_fingerprint() == before
    # A site administrator passes the permission; the service keeps approved minutes (400 naming them).
    _as(api, world, "site admin")
    refused = api.patch(f"/api/v1/meetings/{meeting.pk}/", {"minutes": "Rewritten."})
    assert refused.status_code == 400 and set(refused.json()) == {"minutes"}


def test_approving_empty_minutes_names_the_field(api, world):
    meeting = MeetingFactory(body=world["body"])
    _as(api, world, "body secretary")
    response = api.post(f"/api/v1/meetings/{meeting.pk}/approve-minutes/")
    assert response.status_code == 400
    assert "minutes" in response.json()


def test_moving_an_occurrence_keeps_its_slot_and_its_series(api, world):
    meeting = world["meeting"]
    _as(api, world, "body secretary")
    response = api.post(
        f"/api/v1/meetings/{meeting.pk}/move/", {"starts_at": "2023-06-29T10:00:00+02:00", "reason": "Holiday"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["starts_at"] == "2023-06-29T10:00:00+02:00"
    assert body["ends_at"] == "2023-06-29T11:30:00+02:00"  # the same duration
    assert body["original_start"] == "2023-06-27T17:00:00+02:00"
    assert body["is_moved"] is True and body["series"] == world["series"].pk
    history = Meeting.history.filter(id=meeting.pk).first()
    assert history.history_change_reason == "Holiday"


def test_moving_with_an_end_before_the_start_names_the_field(api, world):
    _as(api, world, "body secretary")
    before = governance_fingerprint()
    response = api.post(
        f"/api/v1/meetings/{world['meeting'].pk}/move/",
        {"starts_at": "2023-06-29T10:00:00+02:00", "ends_at": "2023-06-29T09:00:00+02:00"},
    )
    assert response.status_code == 400
    assert "ends_at" in response.json()
    assert governance_fingerprint() == before


def test_changing_times_by_patch_is_refused_in_favour_of_move(api, world):
    _as(api, world, "body secretary")
    response = api.patch(f"/api/v1/meetings/{world['meeting'].pk}/", {"starts_at": "2023-06-28T17:00:00+02:00"})
    assert response.status_code == 400
    assert "starts_at" in response.json()


def test_cancelled_meetings_leave_the_list_unless_asked_for(api, world):
    meeting = world["meeting"]
    _as(api, world, "body secretary")
    response = api.post(f"/api/v1/meetings/{meeting.pk}/cancel/", {"reason": "No quorum"})
    assert response.status_code == 200 and response.json()["is_cancelled"] is True
    assert meeting.pk not in _ids(api.get("/api/v1/meetings/"))
    assert meeting.pk in _ids(api.get("/api/v1/meetings/?include_cancelled=true"))
    assert api.get(f"/api/v1/meetings/{meeting.pk}/").json()["is_cancelled"] is True


def test_times_are_read_and_written_in_the_meetings_time_zone(api, world):
    sofia = BodyFactory(plan=world["plan"], time_zone="Europe/Sofia", holiday_region="BG")
    _as(api, world, "own editor")
    response = api.post(
        "/api/v1/meetings/",
        {"body": sofia.pk, "title_en": "Operational", "starts_at": "2023-10-12T11:00", "ends_at": "2023-10-12T12:30"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["starts_at"] == "2023-10-12T11:00:00+03:00"
    assert response.json()["time_zone"] == "Europe/Sofia"
    stored = Meeting.objects.get(pk=response.json()["id"])
    assert stored.starts_at == dt.datetime(2023, 10, 12, 8, 0, tzinfo=dt.UTC)


def test_creating_a_series_materialises_its_meetings(api, world):
    _as(api, world, "own editor")
    response = api.post(
        "/api/v1/meeting-series/",
        {
            "body": world["working_group"].pk,
            "title_en": "Working group",
            "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20230915",
            "first_start": "2023-06-15T10:00:00",
            "duration_minutes": 60,
        },
    )
    assert response.status_code == 201, response.content
    series = response.json()
    assert series["first_start"] == "2023-06-15T10:00:00+02:00"
    assert series["time_zone"] == "Europe/Madrid"
    assert series["meeting_count"] == Meeting.objects.filter(series_id=series["id"]).count() >= 6
    listed = api.get(f"/api/v1/meetings/?body={world['working_group'].pk}").json()["results"]
    assert {row["series"] for row in listed} == {series["id"]}


def test_series_are_changed_and_deleted_through_the_api_keeping_past_meetings(api, world):
    _as(api, world, "site admin")
    url = f"/api/v1/meeting-series/{world['series'].pk}/"
    changed = api.patch(url, {"place": "Elsewhere"})
    assert changed.status_code == 200 and changed.json()["place"] == "Elsewhere"
    assert api.patch(url, {"time_zone": "Mars/Olympus"}).status_code == 400
    assert api.delete(url).status_code == 204
    world["meeting"].refresh_from_db()
    assert world["meeting"].series_id is None  # a past meeting stays, detached


def test_member_added_and_ended(api, world):
    _as(api, world, "own editor")
    # A person of the editor's own council is enrolled at once (another council's is invited: test_invitations).
    person = PersonFactory(organization=world["council"])
    response = api.post("/api/v1/body-members/", {"body": world["body"].pk, "person": person.pk, "role": "member"})
    assert response.status_code == 201, response.content
    assert response.json()["organization"] == "own-council"
    assert response.json()["start_date"] is not None
    ended = api.patch(response.json()["url"], {"end_date": "2030-01-01"})
    assert ended.status_code == 200 and ended.json()["end_date"] == "2030-01-01"
    moved = api.patch(response.json()["url"], {"body": world["working_group"].pk})
    assert moved.status_code == 400 and "body" in moved.json()


def test_report_is_addressed_by_the_service(api, world):
    _as(api, world, "body secretary")
    response = api.post(
        "/api/v1/reports/",
        {
            "body": world["working_group"].pk,
            "addressed_to": world["working_group"].pk,
            "period_start": "2023-07-01",
            "period_end": "2023-07-31",
            "progress_percent": 40,
            "progress_en": "Survey sent",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["addressed_to"] == world["body"].pk
    assert response.json()["filed_by"] == world["users"]["body secretary"].username


def test_body_created_by_plan_editor(api, world):
    _as(api, world, "own editor")
    response = api.post(
        "/api/v1/bodies/",
        {
            "plan": "own-plan",
            "kind": "working_group",
            "name_en": "Open data",
            "followed_up_by": world["body"].pk,
            "time_zone": "Europe/Madrid",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["followed_up_by"] == world["body"].pk
    assert response.json()["html_url"].endswith(f"/governance/bodies/{response.json()['id']}/")
    assert api.patch(response.json()["url"], {"plan": PlanFactory().slug}).status_code == 400


def test_deleting_a_meeting_with_decisions_is_refused_naming_them(api, world):
    _as(api, world, "own editor")
    response = api.delete(f"/api/v1/meetings/{world['meeting'].pk}/")
    assert response.status_code == 400
    assert "Decisions 1 were taken at this meeting" in str(response.json())
    assert Meeting.objects.filter(pk=world["meeting"].pk).exists()


# --- Bad input: 400 naming the field, nothing saved


def _series(world, **overrides):
    return {
        "body": world["body"].pk,
        "title_en": "Monthly",
        "rrule": "FREQ=MONTHLY;BYDAY=-1TU",
        "first_start": "2023-05-30T17:00:00+02:00",
        **overrides,
    }


BAD_INPUT = {
    "series: bad rule": ("/api/v1/meeting-series/", lambda w: _series(w, rrule="FREQ=SOMETIMES"), "rrule"),
    "series: rule yields nothing": (
        "/api/v1/meeting-series/",
        lambda w: _series(w, rrule="FREQ=WEEKLY;UNTIL=20230101"),
        "rrule",
    ),
    "series: unknown time zone": (
        "/api/v1/meeting-series/",
        lambda w: _series(w, time_zone="Mars/Olympus"),
        "time_zone",
    ),
    "series: start outside the plan": (
        "/api/v1/meeting-series/",
        lambda w: _series(w, first_start="2031-01-07T10:00:00+01:00"),
        "first_start",
    ),
    "series: no title": ("/api/v1/meeting-series/", lambda w: _series(w, title_en=""), "title_en"),
    "body: unknown time zone": (
        "/api/v1/bodies/",
        lambda w: {"plan": "own-plan", "kind": "committee", "name_en": "X", "time_zone": "Europe/Atlantis"},
        "time_zone",
    ),
    "body: bad kind": ("/api/v1/bodies/", lambda w: {"plan": "own-plan", "kind": "club", "name_en": "X"}, "kind"),
    "meeting: end before start": (
        "/api/v1/meetings/",
        lambda w: {
            "body": w["body"].pk,
            "title_en": "X",
            "starts_at": "2023-09-05T17:00:00+02:00",
            "ends_at": "2023-09-05T16:00:00+02:00",
        },
        "ends_at",
    ),
    "meeting: not a date": (
        "/api/v1/meetings/",
        lambda w: {"body": w["body"].pk, "title_en": "X", "starts_at": "soon", "ends_at": "later"},
        "starts_at",
    ),
    "member: added twice for overlapping dates": (
        "/api/v1/body-members/",
        lambda w: {"body": w["body"].pk, "person": w["member"].person.pk, "role": "member", "start_date": "2024-01-01"},
        "person",
    ),
    "member: end before start": (
        "/api/v1/body-members/",
        lambda w: {
            "body": w["body"].pk,
            "person": PersonFactory().pk,
            "start_date": "2024-01-01",
            "end_date": "2023-01-01",
        },
        "end_date",
    ),
    "task: owner not a member": (
        "/api/v1/tasks/",
        lambda w: {"body": w["body"].pk, "title_en": "X", "owner": PersonFactory().pk, "due_date": "2023-09-30"},
        "owner",
    ),
    "task: decision of another body": (
        "/api/v1/tasks/",
        lambda w: {
            "body": w["working_group"].pk,
            "title_en": "X",
            "owner": w["secretary"].person.pk,
            "due_date": "2023-09-30",
            "decision": w["decision"].pk,
        },
        "decision",
    ),
    "attendance: not a member": (
        "/api/v1/attendances/",
        lambda w: {"meeting": w["meeting"].pk, "person": PersonFactory().pk, "status": "present"},
        "person",
    ),
    "attendance: unknown status": (
        "/api/v1/attendances/",
        lambda w: {"meeting": w["meeting"].pk, "person": w["member"].person.pk, "status": "asleep"},
        "status",
    ),
    "decision: meeting of another body": (
        "/api/v1/decisions/",
        lambda w: {"body": w["working_group"].pk, "meeting": w["meeting"].pk, "text_en": "X"},
        "meeting",
    ),
    "decision: no text": ("/api/v1/decisions/", lambda w: {"body": w["body"].pk, "text_en": ""}, "text_en"),
    "report: period end before start": (
        "/api/v1/reports/",
        lambda w: {
            "body": w["working_group"].pk,
            "period_start": "2023-07-31",
            "period_end": "2023-07-01",
            "progress_en": "X",
        },
        "period_end",
    ),
    "report: progress over 100": (
        "/api/v1/reports/",
        lambda w: {
            "body": w["working_group"].pk,
            "period_start": "2023-07-01",
            "period_end": "2023-07-31",
            "progress_percent": 120,
            "progress_en": "X",
        },
        "progress_percent",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_names_the_field_and_saves_nothing(api, world, case):
    url, payload_of, field = BAD_INPUT[case]
    _as(api, world, "site admin")
    payload = payload_of(world)
    before = governance_fingerprint()
    response = api.post(url, payload)
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert all(isinstance(messages, list) and messages for messages in response.json().values())
    assert governance_fingerprint() == before


def test_task_owner_changed_to_a_non_member_is_refused(api, world):
    _as(api, world, "body secretary")
    response = api.patch(f"/api/v1/tasks/{world['task'].pk}/", {"owner": PersonFactory().pk})
    assert response.status_code == 400 and "owner" in response.json()
    world["task"].refresh_from_db()
    assert world["task"].owner_id == world["member"].person.pk


# --- Filters (the same FilterSets as the pages)


def test_meeting_filters(api, world):
    other_plan = PlanFactory(slug="other-plan", is_published=True)
    elsewhere = MeetingFactory(body=BodyFactory(plan=other_plan, kind=BodyKind.STEERING_COMMITTEE))
    late = MeetingFactory(
        body=world["working_group"],
        title_en="Late",
        title_ca="Reunió tardana",
        starts_at=dt.datetime(2023, 12, 31, 23, 30, tzinfo=MADRID),
    )
    meeting = world["meeting"]
    assert _ids(api.get("/api/v1/meetings/?plan=own-plan")) == {meeting.pk, late.pk}
    assert _ids(api.get("/api/v1/meetings/?plan=other-plan")) == {elsewhere.pk}
    assert _ids(api.get("/api/v1/meetings/?kind=working_group")) == {late.pk}
    assert _ids(api.get(f"/api/v1/meetings/?body={world['body'].pk}")) == {meeting.pk}
    assert _ids(api.get("/api/v1/meetings/?from=2023-06-27&to=2023-06-27")) == {meeting.pk}
    assert _ids(api.get("/api/v1/meetings/?from=2023-12-31")) == {late.pk}
    assert _ids(api.get("/api/v1/meetings/?to=2023-06-26")) == {elsewhere.pk}
    assert _ids(api.get("/api/v1/meetings/?search=tardana")) == {late.pk}
    assert _ids(api.get("/api/v1/meetings/?to=9999-12-31")) == {meeting.pk, late.pk, elsewhere.pk}
    assert api.get("/api/v1/meetings/?from=yesterday").status_code == 400
    assert api.get("/api/v1/meetings/?plan=no-such-plan").status_code == 400


def test_task_decision_body_and_report_filters(api, world):
    done = TaskFactory(body=world["body"], owner=world["member"].person, status=TaskStatus.DONE)
    future = TaskFactory(body=world["body"], owner=world["member"].person, due_date=dt.date(2099, 1, 1))
    task = world["task"]
    assert _ids(api.get("/api/v1/tasks/?overdue=true")) == {task.pk}
    assert _ids(api.get("/api/v1/tasks/?overdue=false")) == {done.pk, future.pk}
    assert _ids(api.get("/api/v1/tasks/?status=done")) == {done.pk}
    assert _ids(api.get(f"/api/v1/tasks/?owner={world['member'].person.pk}&plan=own-plan")) == {
        task.pk,
        done.pk,
        future.pk,
    }
    DecisionFactory(body=world["working_group"])
    assert _ids(api.get(f"/api/v1/decisions/?meeting={world['meeting'].pk}")) == {world["decision"].pk}
    assert _ids(api.get("/api/v1/bodies/?kind=working_group")) == {world["working_group"].pk}
    assert _ids(api.get("/api/v1/bodies/?search=coordination")) >= {world["body"].pk}
    assert _ids(api.get(f"/api/v1/reports/?addressed_to={world['body'].pk}")) == {world["report"].pk}
    assert _ids(api.get(f"/api/v1/reports/?body={world['body'].pk}")) == set()
    assert _ids(api.get(f"/api/v1/body-members/?body={world['working_group'].pk}")) == {
        m.pk for m in world["working_group"].members.all()
    }
    assert _ids(api.get(f"/api/v1/agenda-items/?meeting={world['meeting'].pk}")) == {world["agenda_item"].pk}
    assert _ids(api.get("/api/v1/attendances/?status=present")) == {world["attendance"].pk}


# --- Schema


def test_schema_documents_every_governance_resource_and_action(schema):  # noqa: F811
    paths = set(schema["paths"])
    for resource in RESOURCES:
        assert f"/api/v1/{resource}/" in paths
    for action in ("move", "cancel", "approve-minutes"):
        assert f"/api/v1/meetings/{{id}}/{action}/" in paths
    parameters = {p["name"] for p in schema["paths"]["/api/v1/meetings/"]["get"]["parameters"]}
    assert {"plan", "body", "kind", "from", "to", "include_cancelled", "search", "page"} <= parameters
    assert "overdue" in {p["name"] for p in schema["paths"]["/api/v1/tasks/"]["get"]["parameters"]}
    assert schema["components"]["schemas"]["Decision"]["properties"]["number"]["readOnly"] is True


@pytest.mark.parametrize("resource", RESOURCES)
def test_read_responses_match_the_schema(api, world, schema, resource):  # noqa: F811
    MeetingFactory(body=world["body"], minutes="Done.", minutes_status=MinutesStatus.APPROVED)
    _as(api, world, "site admin")
    listed = api.get(f"/api/v1/{resource}/")
    assert listed.json()["results"], "an empty list would prove nothing"
    assert_matches_schema(schema, listed, f"/api/v1/{resource}/")
    detail = api.get(listed.json()["results"][0]["url"])
    assert_matches_schema(schema, detail, f"/api/v1/{resource}/{{id}}/")


def test_write_responses_match_the_schema(api, world, schema):  # noqa: F811
    _as(api, world, "site admin")
    meeting = world["meeting"]
    series = api.post("/api/v1/meeting-series/", _series(world, body=world["working_group"].pk))
    assert series.status_code == 201
    assert_matches_schema(schema, series, "/api/v1/meeting-series/", "post")
    moved = api.post(f"/api/v1/meetings/{meeting.pk}/move/", {"starts_at": "2023-06-28T17:00:00+02:00"})
    assert_matches_schema(schema, moved, "/api/v1/meetings/{id}/move/", "post")
    patched = api.patch(f"/api/v1/meetings/{meeting.pk}/", {"minutes": "Final."})
    assert_matches_schema(schema, patched, "/api/v1/meetings/{id}/", "patch")
    approved = api.post(f"/api/v1/meetings/{meeting.pk}/approve-minutes/")
    assert_matches_schema(schema, approved, "/api/v1/meetings/{id}/approve-minutes/", "post")
    cancelled = api.post(f"/api/v1/meetings/{meeting.pk}/cancel/", {})
    assert_matches_schema(schema, cancelled, "/api/v1/meetings/{id}/cancel/", "post")
    task = api.post(
        "/api/v1/tasks/",
        {"body": world["body"].pk, "title_en": "X", "owner": world["member"].person.pk, "due_date": "2023-09-30"},
    )
    assert_matches_schema(schema, task, "/api/v1/tasks/", "post")
    attendance = api.post(
        "/api/v1/attendances/", {"meeting": meeting.pk, "person": world["secretary"].person.pk, "status": "present"}
    )
    assert_matches_schema(schema, attendance, "/api/v1/attendances/", "post")
    error = api.post("/api/v1/meeting-series/", _series(world, rrule="nonsense"))
    assert error.status_code == 400 and set(error.json()) == {"rrule"}


# --- Query counts

# count + page (+ the public cache's content-version read for anonymous users)
MAX_QUERIES = 3


def _grow(plan, size: int) -> None:
    """`size` public bodies of `plan`, each with a member, a meeting of a series and everything below it."""
    for _ in range(size):
        body = BodyFactory(plan=plan, is_public=True)
        member = BodyMemberFactory(body=body, role=MemberRole.SECRETARY)
        series = MeetingSeriesFactory(body=body)
        meeting = MeetingFactory(body=body, series=series, minutes="Ok.", minutes_status=MinutesStatus.APPROVED)
        meeting.minutes_approved_by = UserFactory()
        meeting.save()
        AgendaItemFactory(meeting=meeting, presenter=member.person)
        AttendanceFactory(meeting=meeting, person=member.person)
        decision = DecisionFactory(body=body, meeting=meeting)
        TaskFactory(body=body, owner=member.person, decision=decision)
        ReportFactory(body=body, addressed_to=None, filed_by=UserFactory())


def _queries(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"page_size": 200})
    assert response.status_code == 200
    return len(captured), len(response.json()["results"])


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("role", ["anonymous", "body secretary"])
def test_list_queries_do_not_grow_with_the_page(world, resource, role, django_assert_max_num_queries):
    user = world["users"][role]
    client = APIClient()
    _grow(world["plan"], 3)
    if user is not None:
        client.force_authenticate(type(user).objects.get(pk=user.pk))
    small, small_rows = _queries(client, f"/api/v1/{resource}/")
    _grow(world["plan"], 30)
    if user is not None:
        # A fresh user object per request, as in production (memberships are cached on it).
        client.force_authenticate(type(user).objects.get(pk=user.pk))
    # + 1: anonymous users read the content version, signed-in users their roles.
    with django_assert_max_num_queries(MAX_QUERIES + 1):
        large, large_rows = _queries(client, f"/api/v1/{resource}/")
    assert large_rows >= small_rows + 30
    assert large == small
