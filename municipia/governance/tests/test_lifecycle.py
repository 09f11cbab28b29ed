"""Tasks set at meetings, deleting and ending things, changing a series, reopening approved minutes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from municipia.governance import services
from municipia.governance.choices import MinutesStatus
from municipia.governance.models import AgendaItem, Body, BodyMember, Decision, Meeting, MeetingSeries, Task
from municipia.governance.tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    BodyMemberFactory,
    DecisionFactory,
    MeetingFactory,
    ReportFactory,
    TaskFactory,
)
from municipia.strategy.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")


def gov(name: str, *args) -> str:
    return reverse(f"governance:{name}", args=args)


def _monthly_series(site_admin, **overrides) -> MeetingSeries:
    """Monthly meetings from two years ago to well after today, in a plan long enough to hold them."""
    today = timezone.localdate()
    plan = PlanFactory(
        period_start=today.replace(day=1) - dt.timedelta(days=800), period_end=today + dt.timedelta(days=800)
    )
    body = BodyFactory(plan=plan)
    first = (today.replace(day=1) - dt.timedelta(days=700)).replace(day=10)
    data = {
        "title_en": "Monthly coordination",
        "rrule": "FREQ=MONTHLY;BYMONTHDAY=10;COUNT=40",
        "first_start": dt.datetime.combine(first, dt.time(17, 0), tzinfo=MADRID),
        "duration_minutes": 90,
        "place": "Sala 1",
        **overrides,
    }
    return services.series_create(acting_user=site_admin, body=body, data=data)


# --- Tasks set at a meeting


def test_task_set_at_a_meeting_without_a_decision_is_listed_on_the_meeting_page(client, governance_world):
    w = governance_world
    client.force_login(w["users"]["body secretary"])
    response = client.post(
        gov("meeting-task-create", w["meeting"].pk),
        {"task-title_en": "Book the room", "task-owner": w["member"].person.pk, "task-due_date": "2023-07-15"},
    )
    assert response.status_code == 302
    task = Task.objects.get(title_en="Book the room")
    assert task.meeting == w["meeting"] and task.decision is None
    page = client.get(gov("meeting-detail", w["meeting"].pk)).content.decode()
    assert "Book the room" in page
    other = MeetingFactory(body=w["body"], starts_at=dt.datetime(2023, 9, 26, 17, tzinfo=MADRID))
    assert "Book the room" not in client.get(gov("meeting-detail", other.pk)).content.decode()


def test_task_meeting_of_another_body_is_refused_naming_the_field(site_admin):
    member = BodyMemberFactory()
    elsewhere = MeetingFactory()
    with pytest.raises(ValidationError) as exc:
        services.task_create(
            acting_user=site_admin,
            body=member.body,
            data={"title_en": "Send", "owner": member.person, "due_date": dt.date(2023, 7, 1), "meeting": elsewhere},
        )
    assert set(exc.value.message_dict) == {"meeting"}
    assert not Task.objects.exists()


def test_api_records_and_shows_the_meeting_a_task_was_set_at(governance_world):
    w = governance_world
    api = APIClient()
    api.force_authenticate(w["users"]["body secretary"])
    created = api.post(
        "/api/v1/tasks/",
        {
            "body": w["body"].pk,
            "title_en": "Send the survey",
            "owner": w["member"].person.pk,
            "due_date": "2023-10-31",
            "meeting": w["meeting"].pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["meeting"] == w["meeting"].pk
    other_body_meeting = MeetingFactory(body=w["working_group"])
    refused = api.patch(f"/api/v1/tasks/{created.json()['id']}/", {"meeting": other_body_meeting.pk}, format="json")
    assert refused.status_code == 400 and "meeting" in refused.json()


# --- Deleting


def test_deleting_a_meeting_with_approved_minutes_or_decisions_is_refused_saying_why(site_admin):
    approved = MeetingFactory(minutes="Agreed.", minutes_status=MinutesStatus.APPROVED)
    with pytest.raises(ValidationError, match="approved"):
        services.meeting_delete(acting_user=site_admin, meeting=approved)
    decided = MeetingFactory()
    DecisionFactory(body=decided.body, meeting=decided, number=7)
    with pytest.raises(ValidationError, match="Decisions 7"):
        services.meeting_delete(acting_user=site_admin, meeting=decided)
    assert Meeting.objects.count() == 2


def test_deleting_a_meeting_keeps_the_tasks_set_at_it_and_records_who(site_admin):
    member = BodyMemberFactory()
    meeting = MeetingFactory(body=member.body)
    AgendaItemFactory(meeting=meeting)
    task = TaskFactory(body=member.body, owner=member.person, meeting=meeting)
    meeting_id = meeting.pk
    services.meeting_delete(acting_user=site_admin, meeting=meeting)
    task.refresh_from_db()
    assert task.meeting is None
    assert not AgendaItem.objects.exists()
    deleted = Meeting.history.filter(id=meeting_id, history_type="-").get()
    assert deleted.history_user == site_admin


def test_decision_followed_up_by_tasks_is_not_deleted(site_admin):
    member = BodyMemberFactory()
    decision = DecisionFactory(body=member.body, number=1)
    TaskFactory(body=member.body, owner=member.person, decision=decision, title_en="Draft the tender")
    with pytest.raises(ValidationError, match="Draft the tender"):
        services.decision_delete(acting_user=site_admin, decision=decision)
    Task.objects.update(decision=None)
    services.decision_delete(acting_user=site_admin, decision=decision)
    assert not Decision.objects.exists()


def test_deleting_a_body_takes_its_meetings_and_register_and_leaves_its_followers(site_admin):
    body = BodyFactory()
    follower = BodyFactory(plan=body.plan, followed_up_by=body)
    meeting = MeetingFactory(body=body)
    DecisionFactory(body=body, meeting=meeting, number=1)
    report = ReportFactory(body=follower, addressed_to=body)
    services.body_delete(acting_user=site_admin, body=body)
    assert not Body.objects.filter(pk=body.pk).exists()
    assert not Meeting.objects.exists() and not Decision.objects.exists()
    follower.refresh_from_db()
    report.refresh_from_db()
    assert follower.followed_up_by is None and report.addressed_to is None


def test_deleting_a_series_keeps_past_and_worked_on_meetings_as_single_meetings(site_admin):
    series = _monthly_series(site_admin)
    now = timezone.now()
    past = Meeting.objects.filter(series=series, starts_at__lt=now).count()
    future = list(Meeting.objects.filter(series=series, starts_at__gt=now).order_by("starts_at"))
    AgendaItemFactory(meeting=future[0])
    deleted, kept = services.series_delete(acting_user=site_admin, series=series)
    assert (deleted, kept) == (len(future) - 1, past + 1)
    assert Meeting.objects.filter(body=series.body, series__isnull=True).count() == past + 1
    assert Meeting.objects.filter(pk=future[0].pk).exists()


def test_ending_a_membership_keeps_the_row_and_deleting_removes_it(client, governance_world):
    w = governance_world
    client.force_login(w["users"]["own editor"])
    assert "End membership" in client.get(gov("body-detail", w["body"].pk)).content.decode()
    response = client.post(gov("member-end", w["member"].pk), {"end_date": "2023-12-31"})
    assert response.status_code == 302
    w["member"].refresh_from_db()
    assert w["member"].end_date == dt.date(2023, 12, 31)
    assert w["member"].history.first().history_change_reason == "membership ended"
    refused = client.post(gov("member-end", w["secretary"].pk), {"end_date": "2020-01-01"})
    assert refused.status_code == 400 and "end_date" in refused.context["form"].errors
    assert client.post(gov("member-delete", w["member"].pk)).status_code == 302
    assert not BodyMember.objects.filter(pk=w["member"].pk).exists()


def test_delete_page_shows_why_a_meeting_cannot_be_deleted(client, governance_world):
    w = governance_world
    client.force_login(w["users"]["body secretary"])
    assert client.get(gov("meeting-delete", w["meeting"].pk)).status_code == 200
    response = client.post(gov("meeting-delete", w["meeting"].pk))
    assert response.status_code == 400
    assert "Decisions 1 were taken at this meeting" in response.content.decode()
    assert Meeting.objects.filter(pk=w["meeting"].pk).exists()


# --- Changing a series


def test_changing_place_and_duration_changes_future_meetings_that_kept_the_series_values(site_admin):
    series = _monthly_series(site_admin)
    now = timezone.now()
    future = list(Meeting.objects.filter(series=series, starts_at__gt=now).order_by("starts_at"))
    own_room = future[1]
    services.meeting_update(acting_user=site_admin, meeting=own_room, data={"place": "Town hall"})
    services.series_update(
        acting_user=site_admin, series=series, data={"place": "Sala 2", "duration_minutes": 60, "title_en": "Renamed"}
    )
    past = Meeting.objects.filter(series=series, starts_at__lt=now)
    assert set(past.values_list("place", flat=True)) == {"Sala 1"}
    assert {m.ends_at - m.starts_at for m in past} == {dt.timedelta(minutes=90)}
    upcoming = Meeting.objects.filter(series=series, starts_at__gt=now).exclude(pk=own_room.pk)
    assert set(upcoming.values_list("place", "title_en")) == {("Sala 2", "Renamed")}
    assert {m.ends_at - m.starts_at for m in upcoming} == {dt.timedelta(minutes=60)}
    own_room.refresh_from_db()
    assert own_room.place == "Town hall"
    assert Meeting.objects.filter(series=series).count() == 40


def test_changing_the_rule_replaces_untouched_future_meetings_and_keeps_worked_on_ones(site_admin):
    series = _monthly_series(site_admin)
    now = timezone.now()
    past_before = list(Meeting.objects.filter(series=series, starts_at__lt=now).values_list("pk", "starts_at"))
    future = list(Meeting.objects.filter(series=series, starts_at__gt=now).order_by("starts_at"))
    worked_on = future[0]
    AgendaItemFactory(meeting=worked_on)
    services.series_update(acting_user=site_admin, series=series, data={"rrule": "FREQ=MONTHLY;BYMONTHDAY=20;COUNT=40"})
    assert list(Meeting.objects.filter(series=series, starts_at__lt=now).values_list("pk", "starts_at")) == past_before
    upcoming = Meeting.objects.filter(series=series, starts_at__gt=now).exclude(pk=worked_on.pk)
    days = {m.starts_at.astimezone(MADRID).day for m in upcoming}
    assert days == {20}
    assert Meeting.objects.filter(pk=worked_on.pk, series=series).exists()


def test_series_with_a_rule_yielding_nothing_is_refused_and_nothing_changes(site_admin):
    series = _monthly_series(site_admin)
    before = list(Meeting.objects.filter(series=series).values_list("pk", "starts_at"))
    with pytest.raises(ValidationError) as exc:
        services.series_update(acting_user=site_admin, series=series, data={"rrule": "FREQ=SOMETIMES"})
    assert "rrule" in exc.value.message_dict
    assert list(Meeting.objects.filter(series=series).values_list("pk", "starts_at")) == before


# --- Reopening approved minutes


def test_approved_minutes_are_frozen_for_site_admins_until_reopened_with_a_reason(site_admin):
    meeting = MeetingFactory(minutes="Agreed.")
    services.minutes_approve(acting_user=site_admin, meeting=meeting)
    with pytest.raises(ValidationError) as exc:
        services.meeting_update(acting_user=site_admin, meeting=meeting, data={"minutes": "Rewritten"})
    assert "minutes" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.minutes_approve(acting_user=site_admin, meeting=meeting)
    assert "minutes" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.minutes_reopen(acting_user=site_admin, meeting=meeting, reason="  ")
    assert "reason" in exc.value.message_dict
    services.minutes_reopen(acting_user=site_admin, meeting=meeting, reason="Wrong date in item 2")
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.DRAFT and meeting.minutes_approved_by is None
    entry = meeting.history.first()
    assert entry.history_user == site_admin
    assert entry.history_change_reason == "Minutes reopened: Wrong date in item 2"
    services.meeting_update(acting_user=site_admin, meeting=meeting, data={"minutes": "Corrected."})
    with pytest.raises(ValidationError):
        services.minutes_reopen(acting_user=site_admin, meeting=meeting, reason="Again")


def test_site_admin_reopens_minutes_on_the_page_and_nobody_else_may(client, governance_world):
    w = governance_world
    meeting = w["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(minutes_status=MinutesStatus.APPROVED)
    client.force_login(w["users"]["site admin"])
    page = client.get(gov("meeting-detail", meeting.pk)).content.decode()
    assert gov("minutes-reopen", meeting.pk) in page
    assert f'action="{gov("minutes-update", meeting.pk)}"' not in page
    # A site administrator passes every permission, as in the API; the service keeps approved minutes.
    assert client.post(gov("minutes-update", meeting.pk), {"minutes": "Rewritten"}).status_code == 400
    assert client.post(gov("minutes-reopen", meeting.pk), {"reason": ""}).status_code == 400
    assert client.post(gov("minutes-reopen", meeting.pk), {"reason": "Typo in a name"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.DRAFT
    # Nothing to reopen now: the page no longer offers it, and the service refuses it.
    assert gov("minutes-reopen", meeting.pk) not in client.get(gov("meeting-detail", meeting.pk)).content.decode()
    assert client.post(gov("minutes-reopen", meeting.pk), {"reason": "Again"}).status_code == 400
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.DRAFT
    Meeting.objects.filter(pk=meeting.pk).update(minutes_status=MinutesStatus.APPROVED)
    client.force_login(w["users"]["body secretary"])
    assert client.post(gov("minutes-reopen", meeting.pk), {"reason": "Typo"}).status_code == 403


def test_api_reopens_minutes_for_site_admins_and_refuses_changes_to_approved_minutes(governance_world):
    w = governance_world
    api = APIClient()
    api.force_authenticate(w["users"]["site admin"])
    url = f"/api/v1/meetings/{w['meeting'].pk}/"
    assert api.post(url + "approve-minutes/").status_code == 200
    assert api.post(url + "approve-minutes/").status_code == 400
    refused = api.patch(url, {"minutes": "Rewritten."}, format="json")
    assert refused.status_code == 400 and set(refused.json()) == {"minutes"}
    assert api.post(url + "reopen-minutes/", {}, format="json").status_code == 400
    reopened = api.post(url + "reopen-minutes/", {"reason": "Typo in a name"}, format="json")
    assert reopened.status_code == 200 and reopened.json()["minutes_status"] == MinutesStatus.DRAFT
    assert api.patch(url, {"minutes": "Corrected."}, format="json").status_code == 200
