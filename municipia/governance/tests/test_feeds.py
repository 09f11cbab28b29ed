"""Plan, person and public feeds, read back with vobject (an independent parser) and compared with the database.

vobject expands each master's RRULE/EXDATE itself; overrides replace the occurrence named by
their RECURRENCE-ID. The resulting list of (start, end, status, summary) must equal the
meetings stored for the feed, event by event.
"""

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import dateutil.tz
import pytest
import vobject
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from municipia.governance import services
from municipia.governance.calendars import public_window
from municipia.governance.choices import HolidayPolicy, MemberRole
from municipia.governance.models import CalendarToken, Meeting
from municipia.governance.tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    BodyMemberFactory,
    MeetingFactory,
    TaskFactory,
)
from municipia.organizations.tests.factories import PersonFactory, RoleFactory, UserFactory
from municipia.strategy.choices import PlanStatus
from municipia.strategy.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
SOFIA = ZoneInfo("Europe/Sofia")
UTC = dt.UTC


# --- Reading a feed back, independently of the library that wrote it


def parse(content: bytes):
    """The calendar read by vobject, its times in the feed's own VTIMEZONE definitions.

    vobject keeps the first VTIMEZONE it met for a TZID in a process-wide registry (a feed
    parsed earlier would win), and re-serialises each definition for dateutil keeping only the
    first value of a multi-valued RDATE. So each definition is read by dateutil's own parser and
    registered before vobject reads the events.
    """
    text = content.decode("utf-8")
    registry = vars(vobject.icalendar)["__tzidMap"]
    for tzid in [tzid for tzid in registry if tzid != "UTC"]:
        del registry[tzid]
    for block in re.findall(r"BEGIN:VTIMEZONE\r?\n.*?END:VTIMEZONE\r?\n", text, flags=re.S):
        zone = dateutil.tz.tzical(io.StringIO(block)).get()
        vobject.icalendar.registerTzid(re.search(r"^TZID:(.+?)\r?$", block, flags=re.M).group(1), zone)
    return vobject.readOne(text)


def _utc(value) -> dt.datetime:
    return value.astimezone(UTC)


def expanded(calendar) -> list[tuple]:
    """Every occurrence of every VEVENT: (start UTC, end UTC, status, summary, uid), sorted by start."""
    events = list(getattr(calendar, "vevent_list", []))
    overrides: dict[str, dict[dt.datetime, object]] = {}
    for event in events:
        if hasattr(event, "recurrence_id"):
            overrides.setdefault(event.uid.value, {})[_utc(event.recurrence_id.value)] = event
    rows = []

    def row(event, start):
        end = _utc(event.dtend.value) if hasattr(event, "dtend") else None
        status = event.status.value if hasattr(event, "status") else "CONFIRMED"
        return (start, end, status, event.summary.value, event.uid.value)

    for event in events:
        if hasattr(event, "recurrence_id"):
            continue
        uid = event.uid.value
        if not hasattr(event, "rrule"):
            if isinstance(event.dtstart.value, dt.datetime):
                rows.append(row(event, _utc(event.dtstart.value)))
            continue
        duration = event.dtend.value - event.dtstart.value
        replaced = overrides.get(uid, {})
        for start in event.getrruleset(addRDate=True):
            start = _utc(start)
            if start in replaced:
                override = replaced.pop(start)
                rows.append(row(override, _utc(override.dtstart.value)))
            else:
                rows.append((start, start + duration, "CONFIRMED", event.summary.value, uid))
        assert not replaced, f"overrides without an occurrence in {uid}: {sorted(replaced)}"
    return sorted(rows)


def stored(meetings) -> list[tuple]:
    return sorted(
        (
            m.starts_at.astimezone(UTC),
            m.ends_at.astimezone(UTC),
            "CANCELLED" if m.is_cancelled else "CONFIRMED",
            m.title,
        )
        for m in meetings
    )


def comparable(rows) -> list[tuple]:
    return [row[:4] for row in rows]


def get_feed(client, name: str, **kwargs):
    response = client.get(reverse(f"calendars:{name}", kwargs=kwargs))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/calendar")
    return response


# --- A Catalan coordination group through a winter


@pytest.fixture
def catalan_world(db, site_admin):
    """A monthly series on the last Tuesday (26 December 2023 is Sant Esteve, moved to the 27th),
    a weekly series that skips holidays, a manual move, a cancellation and a standalone meeting."""
    plan = PlanFactory(
        slug="agenda-digital",
        is_published=True,
        status=PlanStatus.IN_EXECUTION,
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2024, 6, 30),
    )
    body = BodyFactory(plan=plan, name_en="Coordination group 1", holiday_region="ES-CT", is_public=True)
    monthly = services.series_create(
        acting_user=site_admin,
        body=body,
        data={
            "title_en": "Monthly coordination",
            "title_ca": "Coordinació mensual",
            "rrule": "FREQ=MONTHLY;BYDAY=-1TU",
            "first_start": dt.datetime(2023, 5, 30, 17, 0),
            "duration_minutes": 90,
            "place": "Via Laietana 26, Barcelona",
            "online_url": "https://meet.example.org/cg1",
        },
    )
    weekly = services.series_create(
        acting_user=site_admin,
        body=body,
        data={
            "title_en": "Weekly working session",
            "rrule": "FREQ=WEEKLY;BYDAY=TU;COUNT=6",
            "first_start": dt.datetime(2023, 12, 12, 10, 0),
            "duration_minutes": 60,
            "on_holiday": HolidayPolicy.SKIP,
        },
    )
    months = list(monthly.meetings.order_by("starts_at"))
    services.meeting_cancel(acting_user=site_admin, meeting=months[2])  # 25 July 2023
    services.meeting_move(  # 29 August → Wednesday 30 August, morning
        acting_user=site_admin, meeting=months[3], starts_at=dt.datetime(2023, 8, 30, 10, 0, tzinfo=MADRID)
    )
    services.meeting_update(acting_user=site_admin, meeting=months[4], data={"place": "Tremp town hall"})
    AgendaItemFactory(meeting=months[5], position=2, title_en="Cybersecurity plan")
    AgendaItemFactory(meeting=months[5], position=1, title_en="Minutes of the last meeting")
    standalone = MeetingFactory(
        body=body, title_en="", title_ca="Sessió de llançament", starts_at=dt.datetime(2023, 5, 16, 9, tzinfo=MADRID)
    )
    return {
        "plan": plan,
        "body": body,
        "monthly": monthly,
        "weekly": weekly,
        "months": months,
        "standalone": standalone,
    }


def test_plan_feed_matches_the_meetings_event_by_event(client, catalan_world):
    response = get_feed(client, "plan", slug="agenda-digital")
    calendar = parse(response.content)
    assert comparable(expanded(calendar)) == stored(Meeting.objects.all())


def test_a_series_is_one_recurring_event_with_its_exceptions(client, catalan_world):
    content = get_feed(client, "plan", slug="agenda-digital").content
    calendar = parse(content)
    monthly = catalan_world["monthly"]
    uid = f"series-{monthly.pk}@testserver"
    events = [e for e in calendar.vevent_list if e.uid.value == uid]
    master = next(e for e in events if not hasattr(e, "recurrence_id"))
    assert master.dtstart.value == dt.datetime(2023, 5, 30, 17, 0, tzinfo=master.dtstart.value.tzinfo)
    assert b"DTSTART;TZID=Europe/Madrid:20230530T170000" in content
    rule = master.rrule.value
    assert "COUNT" not in rule
    assert "UNTIL=20240625T150000Z" in rule  # the last slot, 25 June 2024 17:00 CEST, in UTC
    assert not hasattr(master, "exdate")
    overrides = {_utc(e.recurrence_id.value): e for e in events if hasattr(e, "recurrence_id")}
    # Sant Esteve: the series moved 26 December to the 27th; the override names the original slot.
    christmas = overrides[dt.datetime(2023, 12, 26, 16, 0, tzinfo=UTC)]
    assert _utc(christmas.dtstart.value) == dt.datetime(2023, 12, 27, 16, 0, tzinfo=UTC)
    assert overrides[dt.datetime(2023, 7, 25, 15, 0, tzinfo=UTC)].status.value == "CANCELLED"
    assert _utc(overrides[dt.datetime(2023, 8, 29, 15, 0, tzinfo=UTC)].dtstart.value) == dt.datetime(
        2023, 8, 30, 8, 0, tzinfo=UTC
    )
    assert overrides[dt.datetime(2023, 9, 26, 15, 0, tzinfo=UTC)].location.value == "Tremp town hall"
    agenda = overrides[dt.datetime(2023, 10, 31, 16, 0, tzinfo=UTC)].description.value
    assert agenda.index("1. Minutes of the last meeting") < agenda.index("2. Cybersecurity plan")
    try:
        link = "http://testserver" + reverse("governance:meeting-detail", kwargs={"pk": catalan_world["months"][5].pk})
    except NoReverseMatch:
        link = None
    if link:
        assert link in agenda and "/en/" in link
    # Plain occurrences need no entry of their own: 14 slots, 5 differ.
    assert len(overrides) == 5


def test_winter_times_follow_the_wall_clock_across_daylight_saving(client, catalan_world):
    rows = expanded(parse(get_feed(client, "plan", slug="agenda-digital").content))
    starts = {row[0] for row in rows}
    assert dt.datetime(2023, 10, 31, 16, 0, tzinfo=UTC) in starts  # 17:00 CET, after 29 October
    assert dt.datetime(2024, 3, 26, 16, 0, tzinfo=UTC) in starts  # 17:00 CET, before 31 March
    assert dt.datetime(2024, 4, 30, 15, 0, tzinfo=UTC) in starts  # 17:00 CEST
    assert dt.datetime(2024, 1, 30, 16, 0, tzinfo=UTC) in starts  # across the year end


def test_a_skipped_holiday_is_an_exdate(client, catalan_world):
    calendar = parse(get_feed(client, "plan", slug="agenda-digital").content)
    uid = f"series-{catalan_world['weekly'].pk}@testserver"
    master = next(e for e in calendar.vevent_list if e.uid.value == uid)
    excluded = [_utc(value) for line in master.exdate_list for value in line.value]
    assert excluded == [dt.datetime(2023, 12, 26, 9, 0, tzinfo=UTC)]
    weekly = [row for row in expanded(calendar) if row[4] == uid]
    assert [row[0].date() for row in weekly] == [
        dt.date(2023, 12, 12),
        dt.date(2023, 12, 19),
        dt.date(2024, 1, 2),
        dt.date(2024, 1, 9),
        dt.date(2024, 1, 16),
    ]


def test_a_meeting_without_optional_data_is_a_single_event_with_a_fallback_title(client, catalan_world):
    calendar = parse(get_feed(client, "plan", slug="agenda-digital").content)
    uid = f"meeting-{catalan_world['standalone'].pk}@testserver"
    (event,) = [e for e in calendar.vevent_list if e.uid.value == uid]
    assert event.summary.value == "Sessió de llançament"
    assert not hasattr(event, "location") and not hasattr(event, "rrule")
    assert [tz.tzid.value for tz in calendar.vtimezone_list] == ["Europe/Madrid"]


def test_every_time_zone_used_gets_its_definition(client, site_admin):
    plan = PlanFactory(slug="two-zones", is_published=True)
    MeetingFactory(body=BodyFactory(plan=plan, time_zone="Europe/Sofia", holiday_region="BG"))
    MeetingFactory(body=BodyFactory(plan=plan))
    calendar = parse(get_feed(client, "plan", slug="two-zones").content)
    assert sorted(tz.tzid.value for tz in calendar.vtimezone_list) == ["Europe/Madrid", "Europe/Sofia"]
    assert comparable(expanded(calendar)) == stored(Meeting.objects.all())


# --- Who sees what


def test_anonymous_plan_feed_hides_private_bodies_and_unpublished_plans(client, catalan_world):
    private = BodyFactory(plan=catalan_world["plan"], is_public=False)
    MeetingFactory(body=private, title_en="Private steering")
    summaries = {row[3] for row in expanded(parse(get_feed(client, "plan", slug="agenda-digital").content))}
    assert "Private steering" not in summaries
    PlanFactory(slug="draft-plan", is_published=False)
    assert client.get(reverse("calendars:plan", kwargs={"slug": "draft-plan"})).status_code == 404
    assert client.get(reverse("calendars:plan", kwargs={"slug": "no-such-plan"})).status_code == 404


def test_plan_editors_see_private_bodies_in_the_plan_feed(client, catalan_world):
    private = BodyFactory(plan=catalan_world["plan"], is_public=False)
    MeetingFactory(body=private, title_en="Private steering")
    client.force_login(RoleFactory(organization=catalan_world["plan"].owner).user)
    response = get_feed(client, "plan", slug="agenda-digital")
    assert "Private steering" in {row[3] for row in expanded(parse(response.content))}
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_public_feed_lists_public_meetings_of_published_plans_only(client, catalan_world):
    soon = timezone.now().astimezone(MADRID).replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(7)
    MeetingFactory(body=catalan_world["body"], title_en="Upcoming public meeting", starts_at=soon)
    MeetingFactory(
        body=BodyFactory(plan=catalan_world["plan"], is_public=False), title_en="Private steering", starts_at=soon
    )
    MeetingFactory(body=BodyFactory(plan=PlanFactory(is_published=False)), title_en="Unpublished plan", starts_at=soon)
    other = BodyFactory(plan=PlanFactory(is_published=True), time_zone="Europe/Sofia", holiday_region="BG")
    MeetingFactory(body=other, title_en="Sofia and IAB Bulgaria", starts_at=soon.astimezone(SOFIA) + dt.timedelta(1))
    client.force_login(UserFactory(is_superuser=True))  # the public feed is the same for everyone
    calendar = parse(get_feed(client, "public").content)
    start, end = public_window()
    visible = Meeting.objects.filter(
        body__is_public=True, body__plan__is_published=True, starts_at__gte=start, starts_at__lt=end
    )
    assert {row[3] for row in stored(visible)} == {"Upcoming public meeting", "Sofia and IAB Bulgaria"}
    assert comparable(expanded(calendar)) == stored(visible)


def _local_days_from_now(days: int) -> dt.datetime:
    """A naive Madrid wall-clock time at 10:00, `days` from today (series take naive local starts)."""
    return dt.datetime.combine(timezone.now().astimezone(MADRID).date() + dt.timedelta(days), dt.time(10, 0))


@pytest.fixture
def long_series(db, site_admin):
    """A weekly public series from 200 days ago to about 500 days ahead: wider than the public window."""
    today = timezone.now().date()
    plan = PlanFactory(
        slug="long-running",
        is_published=True,
        period_start=today - dt.timedelta(days=400),
        period_end=today + dt.timedelta(days=800),
    )
    body = BodyFactory(plan=plan, is_public=True)
    return services.series_create(
        acting_user=site_admin,
        body=body,
        data={
            "title_en": "Weekly steering",
            "rrule": "FREQ=WEEKLY;COUNT=100",
            "first_start": _local_days_from_now(-200),
            "duration_minutes": 60,
        },
    )


def test_public_feed_holds_exactly_the_meetings_of_its_window(client, site_admin, long_series):
    start, end = public_window()
    meetings = list(long_series.meetings.order_by("starts_at"))
    inside = [m for m in meetings if start + dt.timedelta(7) < m.starts_at < end - dt.timedelta(7)]
    before = [m for m in meetings if m.starts_at < start - dt.timedelta(7)]
    services.meeting_cancel(acting_user=site_admin, meeting=inside[3])
    moved_inside = inside[5].starts_at + dt.timedelta(2)
    services.meeting_move(acting_user=site_admin, meeting=inside[5], starts_at=moved_inside)
    # Moved further before the window: must not appear.
    moved_outside = before[-2].starts_at - dt.timedelta(2)
    services.meeting_move(acting_user=site_admin, meeting=before[-2], starts_at=moved_outside)
    # A slot inside the window moved beyond its end: not shown, its slot excluded from the rule.
    leaving = inside[10].starts_at
    services.meeting_move(acting_user=site_admin, meeting=inside[10], starts_at=end + dt.timedelta(days=10))
    # A slot before the window moved into it: shown, at its new time.
    entering = before[-1]
    services.meeting_move(
        acting_user=site_admin,
        meeting=entering,
        starts_at=(start + dt.timedelta(days=1, hours=2)).replace(second=0, microsecond=0),
    )

    content = get_feed(client, "public").content
    calendar = parse(content)
    in_window = Meeting.objects.filter(starts_at__gte=start, starts_at__lt=end)
    assert Meeting.objects.count() > in_window.count()  # the series is wider than the window
    assert comparable(expanded(calendar)) == stored(in_window)
    statuses = {row[0]: row[2] for row in expanded(calendar)}
    assert statuses[inside[3].starts_at.astimezone(UTC)] == "CANCELLED"
    assert moved_inside.astimezone(UTC) in statuses
    assert moved_outside.astimezone(UTC) not in statuses
    assert leaving.astimezone(UTC) not in statuses
    master = next(e for e in calendar.vevent_list if hasattr(e, "rrule"))
    # The master starts at the first slot the window holds, not at the series' first start.
    assert _utc(master.dtstart.value) == entering.original_start.astimezone(UTC)
    assert _utc(master.dtstart.value) > long_series.first_start


# --- Built once per content version


@pytest.mark.parametrize("name", ["plan", "body", "public"])
def test_anonymous_feeds_are_built_once_per_content_version(
    client, site_admin, long_series, django_assert_max_num_queries, name
):
    kwargs = {"plan": {"slug": "long-running"}, "body": {"pk": long_series.body_id}, "public": {}}[name]
    first = get_feed(client, name, **kwargs)
    with django_assert_max_num_queries(1):  # the content version, nothing else
        second = get_feed(client, name, **kwargs)
    assert second.content == first.content
    for header in ("Content-Type", "Content-Disposition", "ETag", "Last-Modified", "Cache-Control"):
        assert second[header] == first[header]
    with django_assert_max_num_queries(1):
        unchanged = client.get(reverse(f"calendars:{name}", kwargs=kwargs), HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304 and unchanged["ETag"] == first["ETag"]

    meeting = long_series.meetings.filter(starts_at__gt=timezone.now()).order_by("starts_at")[2]
    moved_to = meeting.starts_at + dt.timedelta(hours=3)
    services.meeting_move(acting_user=site_admin, meeting=meeting, starts_at=moved_to)
    changed = get_feed(client, name, **kwargs)
    assert changed.content != first.content and changed["ETag"] != first["ETag"]
    assert moved_to.astimezone(UTC) in {row[0] for row in expanded(parse(changed.content))}


def test_a_signed_in_editor_is_not_served_the_anonymous_feed(client, catalan_world):
    MeetingFactory(body=BodyFactory(plan=catalan_world["plan"], is_public=False), title_en="Private steering")
    anonymous = get_feed(client, "plan", slug="agenda-digital")
    assert "Private steering" not in {row[3] for row in expanded(parse(anonymous.content))}
    client.force_login(RoleFactory(organization=catalan_world["plan"].owner).user)
    signed_in = get_feed(client, "plan", slug="agenda-digital")
    assert "Private steering" in {row[3] for row in expanded(parse(signed_in.content))}
    assert {"private", "no-store"} <= {part.strip() for part in signed_in["Cache-Control"].split(",")}


def test_the_cached_feed_names_the_host_that_asked(client, long_series):
    url = reverse("calendars:body", kwargs={"pk": long_series.body_id})
    assert b"@testserver" in client.get(url).content
    other = client.get(url, HTTP_HOST="localhost")
    assert b"@localhost" in other.content and b"@testserver" not in other.content


# --- A person's private feed


@pytest.fixture
def member_with_token(catalan_world):
    person = PersonFactory(email="marta@example.org")
    # A member of the Catalan group from September to January, then of a private body.
    BodyMemberFactory(
        body=catalan_world["body"], person=person, start_date=dt.date(2023, 9, 1), end_date=dt.date(2024, 1, 31)
    )
    private = BodyFactory(plan=catalan_world["plan"], is_public=False, name_en="Steering committee")
    BodyMemberFactory(body=private, person=person, role=MemberRole.CHAIR, start_date=dt.date(2023, 1, 1))
    MeetingFactory(body=private, title_en="Steering meeting", starts_at=dt.datetime(2024, 2, 6, 9, tzinfo=MADRID))
    token = services.calendar_token_issue(person=person)
    return {"person": person, "token": token, "private": private}


def test_person_feed_lists_meetings_within_membership_periods_including_private_bodies(
    client, catalan_world, member_with_token
):
    response = get_feed(client, "person", token=member_with_token["token"].token)
    calendar = parse(response.content)
    body = catalan_world["body"]
    expected = [
        m
        for m in Meeting.objects.select_related("series", "body")
        if m.body_id == member_with_token["private"].pk
        or (
            m.body_id == body.pk
            and dt.date(2023, 9, 1) <= m.starts_at.astimezone(MADRID).date() <= dt.date(2024, 1, 31)
        )
    ]
    rows = [row for row in expanded(calendar) if not row[4].startswith("task-")]
    assert comparable(rows) == stored(expected)
    assert "Steering meeting" in {row[3] for row in rows}
    assert response["Cache-Control"].startswith("private")


def test_person_feed_shows_open_tasks_on_their_due_dates(client, catalan_world, member_with_token):
    person = member_with_token["person"]
    TaskFactory(
        body=member_with_token["private"], owner=person, title_en="Draft the budget", due_date=dt.date(2024, 3, 1)
    )
    TaskFactory(body=member_with_token["private"], owner=person, title_en="Done already", status="done")
    calendar = parse(get_feed(client, "person", token=member_with_token["token"].token).content)
    tasks = [e for e in calendar.vevent_list if e.uid.value.startswith("task-")]
    assert len(tasks) == 1
    assert tasks[0].dtstart.value == dt.date(2024, 3, 1)
    assert "Draft the budget" in tasks[0].summary.value


def test_person_feed_speaks_the_persons_language(client, catalan_world, member_with_token):
    person = member_with_token["person"]
    person.language = "ca"
    person.save()
    calendar = parse(get_feed(client, "person", token=member_with_token["token"].token).content)
    summaries = {e.summary.value for e in calendar.vevent_list}
    assert "Coordinació mensual" in summaries


def test_revoked_and_unknown_tokens_get_404(client, member_with_token):
    old = member_with_token["token"].token
    services.calendar_token_issue(person=member_with_token["person"])  # revokes the old one
    assert client.get(reverse("calendars:person", kwargs={"token": old})).status_code == 404
    assert client.get(reverse("calendars:person", kwargs={"token": "not-a-token"})).status_code == 404
    services.calendar_token_revoke(person=member_with_token["person"])
    assert Meeting.objects.exists()
    assert client.get(reverse("calendars:person", kwargs={"token": old})).status_code == 404


def test_an_ended_membership_keeps_only_its_own_period(client, catalan_world, member_with_token):
    calendar = parse(get_feed(client, "person", token=member_with_token["token"].token).content)
    starts = [row[0] for row in expanded(calendar) if row[3] == "Monthly coordination"]
    assert min(starts).date() == dt.date(2023, 9, 26)
    assert max(starts).date() == dt.date(2024, 1, 30)


# --- HTTP caching


def test_an_unchanged_feed_answers_304_to_its_etag(client, catalan_world, site_admin):
    url = reverse("calendars:plan", kwargs={"slug": "agenda-digital"})
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert first["Cache-Control"].startswith("public")
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    services.meeting_cancel(acting_user=site_admin, meeting=catalan_world["months"][7])
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


# --- Queries


def _plan_with_series(site_admin, *, series: int, meetings: int) -> None:
    """Weekly series from a month ago (inside the public window), an agenda on every third meeting."""
    today = timezone.now().date()
    plan = PlanFactory(
        slug="sized",
        is_published=True,
        period_start=today - dt.timedelta(days=365),
        period_end=today + dt.timedelta(days=3 * 365),
    )
    body = BodyFactory(plan=plan)
    person = PersonFactory()
    BodyMemberFactory(body=body, person=person, start_date=dt.date(2023, 1, 1))
    services.calendar_token_issue(person=person)
    for number in range(series):
        created = services.series_create(
            acting_user=site_admin,
            body=body,
            data={
                "title_en": f"Series {number}",
                "rrule": f"FREQ=WEEKLY;BYDAY=TH;COUNT={meetings}",
                "first_start": _local_days_from_now(-30) + dt.timedelta(hours=number - 1),
            },
        )
        for meeting in created.meetings.all()[::3]:
            AgendaItemFactory(meeting=meeting)
        services.meeting_cancel(acting_user=site_admin, meeting=created.meetings.last())
    MeetingFactory(body=body, starts_at=timezone.now().replace(second=0, microsecond=0))
    TaskFactory(body=body, owner=person)


@pytest.mark.parametrize(("series", "meetings"), [(1, 5), (3, 40)])
def test_feeds_use_a_constant_number_of_queries(client, site_admin, django_assert_max_num_queries, series, meetings):
    _plan_with_series(site_admin, series=series, meetings=meetings)
    token = CalendarToken.objects.get().token
    total = series * meetings + 1
    with django_assert_max_num_queries(4):  # + the content version read
        plan = parse(get_feed(client, "plan", slug="sized").content)
    with django_assert_max_num_queries(4):
        public = parse(get_feed(client, "public").content)
    with django_assert_max_num_queries(5):
        person = parse(get_feed(client, "person", token=token).content)
    assert len(expanded(plan)) == len(expanded(public)) == total
    assert len(expanded(person)) == total
    assert len([e for e in person.vevent_list if e.uid.value.startswith("task-")]) == 1
    assert comparable(expanded(plan)) == stored(Meeting.objects.all())


# --- Our own content lines: escaping and folding (RFC 5545 §3.3.11, §3.1)


def test_text_values_escape_commas_semicolons_backslashes_and_line_breaks():
    from municipia.governance.ical import escape_text

    assert escape_text("Sala 2, planta 1; C:\\actes\r\nsegona línia\rtercera") == (
        "Sala 2\\, planta 1\\; C:\\\\actes\\nsegona línia\\ntercera"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Заседание на работната група за цифрова трансформация на Столична община, " * 4,  # 2-byte letters
        "Reunió del grup de coordinació: administració intel·ligent i serveis públics; línia 2 « ERDF » " * 3,
        "€ ☃ 𝄞 " * 40,  # 3- and 4-byte characters
    ],
)
def test_long_lines_fold_at_75_octets_without_splitting_a_character(text):
    from municipia.governance.ical import escape_text, fold

    folded = fold("SUMMARY:" + escape_text(text))
    lines = folded.split(b"\r\n")
    assert lines[-1] == b"" and len(lines) > 2
    for index, line in enumerate(lines[:-1]):
        assert len(line) <= 75
        assert index == 0 or line.startswith(b" ")
        line.decode("utf-8")  # every physical line is whole UTF-8: no character was cut
    unfolded = folded.replace(b"\r\n ", b"").decode("utf-8")
    assert unfolded == "SUMMARY:" + escape_text(text) + "\r\n"


def test_cyrillic_and_catalan_titles_with_separators_survive_an_independent_parser(client, site_admin):
    plan = PlanFactory(
        is_published=True,
        status=PlanStatus.IN_EXECUTION,
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2024, 12, 31),
    )
    body = BodyFactory(plan=plan, is_public=True, time_zone="Europe/Sofia")
    title_bg = "Първа оперативна среща на Столична община и IAB България, посветена на дезинформацията; " * 2
    title_ca = "Reunió de coordinació, eix 1; administració intel·ligent \\ serveis públics\nsegona línia " * 2
    MeetingFactory(
        body=body,
        title_en=title_bg,
        place=title_ca,
        starts_at=dt.datetime(2023, 6, 13, 10, tzinfo=ZoneInfo("Europe/Sofia")),
    )
    response = client.get(reverse("calendars:plan", kwargs={"slug": plan.slug}))
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))
    (event,) = parse(response.content).vevent_list
    assert event.summary.value == title_bg
    assert event.location.value == title_ca


def test_the_time_zone_definition_covers_every_occurrence_of_a_long_series(client, site_admin):
    plan = PlanFactory(
        slug="long-plan", is_published=True, period_start=dt.date(2025, 1, 1), period_end=dt.date(2027, 12, 31)
    )
    body = BodyFactory(plan=plan, is_public=True)
    services.series_create(
        acting_user=site_admin,
        body=body,
        data={
            "title_en": "Monthly steering",
            "rrule": "FREQ=MONTHLY;BYDAY=1TU",
            "first_start": dt.datetime(2025, 11, 4, 10, 0),
            "duration_minutes": 60,
        },
    )
    meetings = Meeting.objects.filter(body=body)
    assert meetings.filter(starts_at__year=2027, starts_at__month=7).exists()
    content = get_feed(client, "plan", slug="long-plan").content
    # Summer 2027 occurrences must be read at +02:00, so the definition reaches the 2027 changes.
    assert b"20270328T030000" in content
    assert comparable(expanded(parse(content))) == stored(meetings)
