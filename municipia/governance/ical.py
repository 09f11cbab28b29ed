"""iCalendar (RFC 5545) feeds of meetings: one VEVENT per materialised meeting, with time zones."""

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import icalendar
from django.utils import timezone

from municipia.governance.models import Body, Meeting
from municipia.governance.recurrence import is_known_time_zone

PRODID = "-//Municipia//Governance calendar//EN"


def meeting_uid(meeting: Meeting, *, domain: str) -> str:
    """Stable for the meeting's life: moving or renaming it updates the same calendar entry."""
    return f"meeting-{meeting.pk}@{domain}"


def _zone(meeting: Meeting, fallback: str) -> ZoneInfo:
    name = meeting.series.time_zone if meeting.series_id and meeting.series else fallback
    return ZoneInfo(name if is_known_time_zone(name) else "UTC")


def meeting_event(meeting: Meeting, *, domain: str, time_zone: str, calendar_name: str = "") -> icalendar.Event:
    zone = _zone(meeting, time_zone)
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting, domain=domain))
    event.add("dtstamp", (meeting.updated_at or timezone.now()).astimezone(dt.UTC))
    if meeting.updated_at:
        event.add("last-modified", meeting.updated_at.astimezone(dt.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    if meeting.ends_at and meeting.ends_at > meeting.starts_at:
        event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", meeting.title or calendar_name or str(meeting.pk))
    location = meeting.place or meeting.online_url
    if location:
        event.add("location", location)
    if meeting.online_url:
        event.add("url", meeting.online_url)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


def meetings_calendar(meetings: Iterable[Meeting], *, name: str, domain: str, time_zone: str) -> bytes:
    """A whole calendar of `meetings`, with a VTIMEZONE for every zone its events use."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    if is_known_time_zone(time_zone):
        calendar.add("x-wr-timezone", time_zone)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, domain=domain, time_zone=time_zone, calendar_name=name))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def body_calendar(body: Body, meetings: Iterable[Meeting], *, domain: str) -> bytes:
    return meetings_calendar(meetings, name=body.name, domain=domain, time_zone=body.time_zone)
