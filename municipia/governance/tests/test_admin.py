"""The governance admin renders for site admins and writes through the services."""

import datetime as dt

import pytest
from django.urls import reverse

from municipia.governance.choices import BodyKind, MinutesStatus
from municipia.governance.models import AgendaItem, Body, Meeting
from municipia.governance.tests.factories import (
    BodyFactory,
    BodyMemberFactory,
    DecisionFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    TaskFactory,
)
from municipia.strategy.tests.factories import ActionFactory, PlanFactory

pytestmark = pytest.mark.django_db

MODELS = ["body", "bodymember", "meetingseries", "meeting", "decision", "task"]


def test_admin_lists_and_forms_render(client, site_admin):
    body = BodyFactory()
    objects = {
        "body": body,
        "bodymember": BodyMemberFactory(body=body),
        "meetingseries": MeetingSeriesFactory(body=body),
        "meeting": MeetingFactory(body=body),
        "decision": DecisionFactory(body=body),
        "task": TaskFactory(body=body),
    }
    client.force_login(site_admin)
    for name in MODELS:
        assert client.get(reverse(f"admin:governance_{name}_changelist")).status_code == 200, name
        assert client.get(reverse(f"admin:governance_{name}_add")).status_code == 200, name
        change = reverse(f"admin:governance_{name}_change", args=[objects[name].pk])
        assert client.get(change).status_code == 200, name


def test_admin_creates_a_series_with_its_meetings(client, site_admin):
    body = BodyFactory()
    client.force_login(site_admin)
    response = client.post(
        reverse("admin:governance_meetingseries_add"),
        {
            "body": body.pk,
            "title_en": "Monthly",
            "rrule": "FREQ=MONTHLY;BYDAY=-1TU;COUNT=3",
            "first_start_0": "2023-05-30",
            "first_start_1": "17:00",
            "time_zone": "Europe/Madrid",
            "duration_minutes": 90,
            "on_holiday": "next_working_day",
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.filter(body=body).count() == 3


def test_admin_creates_a_body_through_the_service(client, site_admin):
    plan = PlanFactory(period_start=dt.date(2023, 1, 1))
    client.force_login(site_admin)
    response = client.post(
        reverse("admin:governance_body_add"),
        {
            "kind": BodyKind.WORKING_GROUP,
            "plan": plan.pk,
            "name_en": "Working group 1.1",
            "name_ca": "Grup de treball 1.1",
            "holiday_region": "ES-CT",
            "time_zone": "Europe/Madrid",
        },
    )
    assert response.status_code == 302
    body = Body.objects.get()
    assert body.history.first().history_user == site_admin


def _meeting_change_data(meeting, items: list[dict], initial: int = 0) -> dict:
    data = {
        "body": meeting.body_id,
        "title_en": meeting.title_en,
        "starts_at_0": "2023-06-13",
        "starts_at_1": "10:00",
        "ends_at_0": "2023-06-13",
        "ends_at_1": "11:00",
        "place": "",
        "online_url": "",
        "minutes": "",
        "agenda_items-TOTAL_FORMS": str(len(items)),
        "agenda_items-INITIAL_FORMS": str(initial),
        "agenda_items-MIN_NUM_FORMS": "0",
        "agenda_items-MAX_NUM_FORMS": "1000",
    }
    for index, item in enumerate(items):
        data.update({f"agenda_items-{index}-{key}": value for key, value in item.items()})
    return data


def test_admin_agenda_inline_saves_through_the_services(client, site_admin):
    meeting = MeetingFactory()
    client.force_login(site_admin)
    change = reverse("admin:governance_meeting_change", args=[meeting.pk])
    response = client.post(
        change, _meeting_change_data(meeting, [{"title_en": "Budget 2024", "position": "0", "meeting": meeting.pk}])
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.position == 1  # the service put it last
    assert item.history.first().history_user == site_admin

    foreign = ActionFactory()  # an action of another plan: the service refuses it
    data = _meeting_change_data(
        meeting,
        [{"id": item.pk, "title_en": "Budget 2024", "position": "1", "action": foreign.pk, "meeting": meeting.pk}],
        initial=1,
    )
    client.post(change, data)
    item.refresh_from_db()
    assert item.action_id is None

    data = _meeting_change_data(
        meeting, [{"id": item.pk, "title_en": "Budget 2024", "position": "1", "DELETE": "on", "meeting": meeting.pk}], 1
    )
    assert client.post(change, data).status_code == 302
    assert not AgendaItem.objects.exists()
    assert AgendaItem.history.filter(history_type="-").get().history_user == site_admin


def test_admin_bulk_delete_goes_through_the_service_and_refuses_as_a_whole(client, site_admin):
    body = BodyFactory()
    free = MeetingFactory(body=body)
    with_decision = MeetingFactory(body=body)
    DecisionFactory(body=body, meeting=with_decision)
    client.force_login(site_admin)
    changelist = reverse("admin:governance_meeting_changelist")
    response = client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [free.pk, with_decision.pk], "post": "yes"},
        follow=True,
    )
    # The service refuses the meeting with a decision, so neither meeting is deleted.
    assert set(Meeting.objects.filter(body=body).values_list("pk", flat=True)) == {free.pk, with_decision.pk}
    shown = [str(message) for message in response.context["messages"]]
    assert any("were taken at this meeting" in message for message in shown), shown
    assert not any("Successfully deleted" in message for message in shown), shown

    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [free.pk], "post": "yes"}, follow=True
    )
    assert not Meeting.objects.filter(pk=free.pk).exists()
    assert Meeting.history.filter(history_type="-", id=free.pk).get().history_user == site_admin


def test_admin_deletes_a_body_with_decisions_through_the_service(client, site_admin):
    body = BodyFactory()
    meeting = MeetingFactory(body=body)
    DecisionFactory(body=body, meeting=meeting)
    TaskFactory(body=body)
    client.force_login(site_admin)
    response = client.post(reverse("admin:governance_body_delete", args=[body.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Body.objects.filter(pk=body.pk).exists()
    assert Body.history.filter(history_type="-", id=body.pk).get().history_user == site_admin


def test_admin_refuses_to_delete_a_meeting_with_approved_minutes(client, site_admin):
    meeting = MeetingFactory(minutes_status=MinutesStatus.APPROVED)
    client.force_login(site_admin)
    delete = reverse("admin:governance_meeting_delete", args=[meeting.pk])
    response = client.post(delete, {"post": "yes"}, follow=True)
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    shown = [str(message) for message in response.context["messages"]]
    assert any("approved record cannot be deleted" in message for message in shown), shown
