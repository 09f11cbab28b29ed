"""The governance admin renders for site admins and writes through the services."""

import datetime as dt

import pytest
from django.urls import reverse

from municipia.governance.choices import BodyKind
from municipia.governance.models import Body, Meeting
from municipia.governance.tests.factories import (
    BodyFactory,
    BodyMemberFactory,
    DecisionFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    TaskFactory,
)
from municipia.strategy.tests.factories import PlanFactory

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
