"""The body's iCalendar feed, read back by an independent parser (vobject) and compared event by event."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from municipia.governance import services
from municipia.governance.models import Meeting
from municipia.governance.tests.factories import BodyFactory, BodyMemberFactory, MeetingFactory
from municipia.governance.tests.test_feeds import comparable, expanded, parse, stored
from municipia.organizations.tests.factories import RoleFactory, UserFactory
from municipia.strategy.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
UTC = dt.UTC


def _get(client, body):
    response = client.get(reverse("calendars:body", kwargs={"pk": body.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return response


def _feed(client, body):
    return parse(_get(client, body).content)


def test_feed_lists_every_meeting_with_utc_times_and_cancellations(client, site_admin):
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

    response = _get(client, body)
    calendar = parse(response.content)
    assert calendar.x_wr_calname.value == "Coordination group: smart administration"
    rows = expanded(calendar)
    assert comparable(rows) == stored(Meeting.objects.all())
    assert [row[4] for row in rows] == [f"meeting-{standalone.pk}@testserver"] + [f"series-{series.pk}@testserver"] * 7
    starts = [row[0] for row in rows]
    assert starts[1] == dt.datetime(2023, 5, 30, 15, 0, tzinfo=UTC)
    assert starts[4] == dt.datetime(2023, 8, 30, 8, 0, tzinfo=UTC)  # moved
    assert starts[6] == dt.datetime(2023, 10, 31, 16, 0, tzinfo=UTC)  # winter time, same wall clock
    assert [row[2] for row in rows].count("CANCELLED") == 1
    assert rows[3][2] == "CANCELLED"
    assert rows[1][1] - rows[1][0] == dt.timedelta(minutes=90)
    master = next(
        e for e in calendar.vevent_list if e.uid.value.startswith("series-") and not hasattr(e, "recurrence_id")
    )
    assert master.summary.value == "Monthly coordination"
    assert master.location.value == "Via Laietana 26, Barcelona"
    assert master.url.value == "https://meet.example.org/cg1"
    assert b"DTSTART;TZID=Europe/Madrid:20230530T170000" in response.content
    assert [tz.tzid.value for tz in calendar.vtimezone_list] == ["Europe/Madrid"]


def test_feed_uids_stay_the_same_after_a_move(client, site_admin):
    meeting = MeetingFactory(body=BodyFactory())
    before = [e.uid.value for e in _feed(client, meeting.body).vevent_list]
    services.meeting_move(acting_user=site_admin, meeting=meeting, starts_at=meeting.starts_at + dt.timedelta(days=2))
    after = _feed(client, meeting.body).vevent_list
    assert [e.uid.value for e in after] == before
    assert after[0].dtstart.value.astimezone(UTC) == meeting.starts_at.astimezone(UTC)


def test_feed_does_not_break_on_a_meeting_without_optional_data(client):
    body = BodyFactory(time_zone="Europe/Sofia", holiday_region="BG")
    MeetingFactory(body=body, place="", online_url="", title_en="", title_bg="Първа оперативна среща")
    response = _get(client, body)
    events = parse(response.content).vevent_list
    assert len(events) == 1
    assert not hasattr(events[0], "location") and not hasattr(events[0], "url")
    assert events[0].summary.value == "Първа оперативна среща"
    assert b"DTSTART;TZID=Europe/Sofia:" in response.content


def test_empty_body_gives_a_valid_empty_calendar(client):
    calendar = _feed(client, BodyFactory())
    assert not hasattr(calendar, "vevent_list")


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
    with django_assert_max_num_queries(4):  # + the content version read
        calendar = _feed(client, body)
    assert len(calendar.vevent_list) == count


def test_a_member_sees_the_feed_of_a_body_in_an_unpublished_plan(client):
    body = BodyFactory(is_public=True, plan=PlanFactory(is_published=False))
    member = BodyMemberFactory(body=body, person__user=UserFactory())
    url = reverse("calendars:body", kwargs={"pk": body.pk})
    assert client.get(url).status_code == 404
    client.force_login(member.person.user)
    assert client.get(url).status_code == 200
