"""The body's iCalendar feed, read back by an independent parser and compared event by event."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from municipia.governance import services
from municipia.governance.tests.factories import BodyFactory, BodyMemberFactory, MeetingFactory
from municipia.organizations.tests.factories import RoleFactory, UserFactory
from municipia.strategy.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
UTC = dt.UTC


def _feed(client, body) -> icalendar.Calendar:
    response = client.get(reverse("calendars:body", kwargs={"pk": body.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def _utc(value) -> dt.datetime:
    return value.dt.astimezone(UTC)


def test_feed_lists_every_meeting_with_uid_utc_times_and_cancellations(client, site_admin):
    body = BodyFactory(name_en="Coordination group: smart administration")
    series = services.series_create(
        acting_user=site_admin,
        body=body,
        data={
            "title_en": "Monthly coordination",
            "rrule": "FREQ=MONTHLY;BYDAY=-1TU;COUNT=7",
            "first_start": dt.datetime(2023, 5, 30, 17, 0),
            "duration_minutes": 90,
            "place": "Via Laietana 26, Barcelona",
            "online_url": "https://meet.example.org/cg1",
        },
    )
    meetings = list(series.meetings.order_by("starts_at"))
    services.meeting_cancel(acting_user=site_admin, meeting=meetings[2])
    services.meeting_move(
        acting_user=site_admin, meeting=meetings[3], starts_at=dt.datetime(2023, 8, 30, 10, 0, tzinfo=MADRID)
    )
    standalone = MeetingFactory(body=body, title_en="Kick-off", starts_at=dt.datetime(2023, 5, 16, 9, tzinfo=MADRID))

    calendar = _feed(client, body)
    events = calendar.walk("VEVENT")
    assert str(calendar["X-WR-CALNAME"]) == "Coordination group: smart administration"
    assert [str(e["UID"]) for e in events] == [f"meeting-{m.pk}@testserver" for m in [standalone, *meetings]]
    starts = [_utc(e["DTSTART"]) for e in events]
    assert starts[1] == dt.datetime(2023, 5, 30, 15, 0, tzinfo=UTC)
    assert starts[4] == dt.datetime(2023, 8, 30, 8, 0, tzinfo=UTC)  # moved
    assert starts[6] == dt.datetime(2023, 10, 31, 16, 0, tzinfo=UTC)  # winter time, same wall clock
    assert [str(e["STATUS"]) for e in events].count("CANCELLED") == 1
    assert str(events[3]["STATUS"]) == "CANCELLED"
    first = events[1]
    assert first["DTSTART"].params["TZID"] == "Europe/Madrid"
    assert _utc(first["DTEND"]) - _utc(first["DTSTART"]) == dt.timedelta(minutes=90)
    assert str(first["SUMMARY"]) == "Monthly coordination"
    assert str(first["LOCATION"]) == "Via Laietana 26, Barcelona"
    assert str(first["URL"]) == "https://meet.example.org/cg1"
    assert "RECURRENCE-ID" not in first
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Madrid"]


def test_feed_uids_stay_the_same_after_a_move(client, site_admin):
    meeting = MeetingFactory(body=BodyFactory())
    before = [str(e["UID"]) for e in _feed(client, meeting.body).walk("VEVENT")]
    services.meeting_move(acting_user=site_admin, meeting=meeting, starts_at=meeting.starts_at + dt.timedelta(days=2))
    after = _feed(client, meeting.body).walk("VEVENT")
    assert [str(e["UID"]) for e in after] == before
    assert _utc(after[0]["DTSTART"]) == (meeting.starts_at).astimezone(UTC)


def test_feed_does_not_break_on_a_meeting_without_optional_data(client):
    body = BodyFactory(time_zone="Europe/Sofia", holiday_region="BG")
    MeetingFactory(body=body, place="", online_url="", title_en="", title_bg="Първа оперативна среща")
    events = _feed(client, body).walk("VEVENT")
    assert len(events) == 1
    assert "LOCATION" not in events[0] and "URL" not in events[0]
    assert str(events[0]["SUMMARY"]) == "Първа оперативна среща"
    assert events[0]["DTSTART"].params["TZID"] == "Europe/Sofia"


def test_empty_body_gives_a_valid_empty_calendar(client):
    calendar = _feed(client, BodyFactory())
    assert calendar.walk("VEVENT") == []


def test_anonymous_visitors_see_only_public_bodies_of_published_plans(client):
    private = BodyFactory(is_public=False)
    unpublished = BodyFactory(plan=PlanFactory(is_published=False))
    for body in (private, unpublished):
        assert client.get(reverse("calendars:body", kwargs={"pk": body.pk})).status_code == 404
    assert client.get(reverse("calendars:body", kwargs={"pk": 999999})).status_code == 404


def test_members_and_plan_editors_see_a_private_body(client):
    body = BodyFactory(is_public=False)
    member = BodyMemberFactory(body=body, person__user=UserFactory())
    client.force_login(member.person.user)
    assert client.get(reverse("calendars:body", kwargs={"pk": body.pk})).status_code == 200
    editor = RoleFactory(organization=body.plan.owner).user
    client.force_login(editor)
    assert client.get(reverse("calendars:body", kwargs={"pk": body.pk})).status_code == 200
    client.force_login(UserFactory())
    assert client.get(reverse("calendars:body", kwargs={"pk": body.pk})).status_code == 404


@pytest.mark.parametrize("count", [20, 200])
def test_feed_uses_a_constant_number_of_queries(client, django_assert_max_num_queries, count):
    body = BodyFactory()
    MeetingFactory.create_batch(count, body=body)
    with django_assert_max_num_queries(2):
        calendar = _feed(client, body)
    assert len(calendar.walk("VEVENT")) == count


def test_a_member_sees_the_feed_of_a_body_in_an_unpublished_plan(client):
    body = BodyFactory(is_public=True, plan=PlanFactory(is_published=False))
    member = BodyMemberFactory(body=body, person__user=UserFactory())
    url = reverse("calendars:body", kwargs={"pk": body.pk})
    assert client.get(url).status_code == 404
    client.force_login(member.person.user)
    assert client.get(url).status_code == 200
