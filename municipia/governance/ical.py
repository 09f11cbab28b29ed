"""iCalendar (RFC 5545) feeds of meetings: one recurring event per series, its exceptions, and single events.

A series becomes one master VEVENT with the series' rule cut to the meetings the feed holds
(UNTIL = the last slot, in UTC as RFC 5545 requires beside a DTSTART with TZID), EXDATE for
slots without a meeting (skipped for a holiday, or outside a person's membership), and an
override VEVENT (RECURRENCE-ID = the slot) for each meeting that differs from the series: moved,
cancelled, retitled, elsewhere, or with an agenda of its own. The recurrence set is computed
here the way a calendar application will compute it, so a meeting the rule cannot reproduce
(a rule edited since, a slot in a daylight-saving gap) is published as a single event instead.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from zoneinfo import ZoneInfo

import icalendar
from dateutil.rrule import rrule
from django.conf import settings
from django.urls import NoReverseMatch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from municipia.core.i18n import language_codes
from municipia.core.links import reverse_many
from municipia.governance.calendars import Feed
from municipia.governance.models import Meeting, MeetingSeries, Task
from municipia.governance.recurrence import RecurrenceError, is_known_time_zone, parse_rule

PRODID = "-//Municipia//Governance calendar//EN"
# VTIMEZONE definitions cover the feed's meetings with this margin (the zone's rules, not 1970–2038).
TIME_ZONE_MARGIN = dt.timedelta(days=366)

LinkMaker = Callable[[object], str]


def meeting_uid(meeting: Meeting, *, domain: str) -> str:
    """Stable for the meeting's life: moving or renaming it updates the same calendar entry."""
    return f"meeting-{meeting.pk}@{domain}"


def series_uid(series: MeetingSeries, *, domain: str) -> str:
    return f"series-{series.pk}@{domain}"


def task_uid(task: Task, *, domain: str) -> str:
    return f"task-{task.pk}@{domain}"


def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name if is_known_time_zone(name) else settings.TIME_ZONE)


def _naive_local(instant: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return instant.astimezone(zone).replace(tzinfo=None, microsecond=0)


def _aware(naive: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return naive.replace(tzinfo=zone)


def link_maker(viewname: str, *, language: str, base_url: str) -> LinkMaker | None:
    """Absolute page links in `language` for many rows, or None while the page does not exist."""
    with translation.override(language):
        make = reverse_many(viewname)
        try:
            make(1)  # reverses once, in this language; later calls only fill in the id
        except NoReverseMatch:
            return None
    return lambda pk: base_url + make(pk)


class _Writer:
    """Builds the components of one calendar; keeps the links and the span of dates it used."""

    def __init__(self, *, domain: str, meeting_link: LinkMaker | None, body_link: LinkMaker | None):
        self.domain = domain
        self.meeting_link = meeting_link
        self.body_link = body_link
        self.first: dt.datetime | None = None
        self.last: dt.datetime | None = None

    def _seen(self, instant: dt.datetime) -> None:
        self.first = instant if self.first is None or instant < self.first else self.first
        self.last = instant if self.last is None or instant > self.last else self.last

    def _stamp(self, event: icalendar.Event, updated_at: dt.datetime | None) -> None:
        # DTSTAMP from the content rather than the clock: an unchanged feed is byte-identical (ETag).
        event.add("dtstamp", (updated_at or timezone.now()).astimezone(dt.UTC))
        if updated_at:
            event.add("last-modified", updated_at.astimezone(dt.UTC))

    def _where(self, event: icalendar.Event, place: str, online_url: str) -> None:
        location = place or online_url
        if location:
            event.add("location", location)
        if online_url:
            event.add("url", online_url)

    def _meeting_description(self, meeting: Meeting) -> str:
        lines = []
        items = list(meeting.agenda_items.all())
        if items:
            lines.append(_("Agenda:"))
            lines.extend(f"{number}. {item.title}" for number, item in enumerate(items, start=1))
        if self.meeting_link is not None:
            if lines:
                lines.append("")
            lines.append(self.meeting_link(meeting.pk))
        return "\n".join(lines)

    def _meeting_properties(self, event: icalendar.Event, meeting: Meeting, zone: ZoneInfo, fallback: str) -> None:
        self._stamp(event, meeting.updated_at)
        event.add("dtstart", meeting.starts_at.astimezone(zone))
        if meeting.ends_at and meeting.ends_at > meeting.starts_at:
            event.add("dtend", meeting.ends_at.astimezone(zone))
        event.add("summary", meeting.title or fallback or str(meeting.pk))
        self._where(event, meeting.place, meeting.online_url)
        description = self._meeting_description(meeting)
        if description:
            event.add("description", description)
        event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
        self._seen(meeting.starts_at)

    def single(self, meeting: Meeting) -> icalendar.Event:
        event = icalendar.Event()
        event.add("uid", meeting_uid(meeting, domain=self.domain))
        self._meeting_properties(event, meeting, _zone(meeting.time_zone), meeting.body.name)
        return event

    def series(self, series: MeetingSeries, meetings: list[Meeting], *, complete: bool) -> list[icalendar.Event]:
        """The master event of a series and its overrides; meetings the rule cannot place come back single."""
        zone = _zone(series.time_zone)
        by_slot: dict[dt.datetime, Meeting] = {}
        singles: list[Meeting] = []
        for meeting in meetings:
            slot = _naive_local(meeting.original_start or meeting.starts_at, zone)
            if slot in by_slot:
                singles.append(meeting)
            else:
                by_slot[slot] = meeting
        first_local = _naive_local(series.first_start, zone)
        try:
            stored = parse_rule(series.rrule, first_local=first_local, zone=zone)
        except RecurrenceError:
            return [self.single(meeting) for meeting in meetings]
        low, high = min(by_slot), max(by_slot)
        # The master starts at the series' first start when the feed holds the whole series and
        # that start is an occurrence of the rule; otherwise at the first slot the feed holds.
        start = (
            first_local
            if complete and first_local <= low and first_local in stored.between(first_local, first_local, inc=True)
            else low
        )
        rule_text = _rule_until(series.rrule, _aware(high, zone))
        slots = list(rrule_from(rule_text, start=start, zone=zone).between(start, high, inc=True))
        slot_set = set(slots)
        singles.extend(meeting for slot, meeting in by_slot.items() if slot not in slot_set)
        overrides = [(slot, by_slot[slot]) for slot in slots if slot in by_slot]
        if not overrides:
            return [self.single(meeting) for meeting in sorted(singles, key=lambda m: (m.starts_at, m.pk))]

        uid = series_uid(series, domain=self.domain)
        duration = dt.timedelta(minutes=series.duration_minutes or 1)
        master = icalendar.Event()
        master.add("uid", uid)
        self._stamp(master, series.updated_at)
        master.add("dtstart", _aware(start, zone))
        master.add("dtend", _aware(start, zone) + duration)
        master.add("rrule", icalendar.vRecur.from_ical(rule_text))
        missing = [_aware(slot, zone) for slot in slots if slot not in by_slot]
        if missing:
            master.add("exdate", missing)
        master.add("summary", series.title or series.body.name or str(series.pk))
        self._where(master, series.place, series.online_url)
        if self.body_link is not None:
            master.add("description", self.body_link(series.body_id))
        master.add("status", "CONFIRMED")
        self._seen(_aware(start, zone))
        events = [master]
        for slot, meeting in overrides:
            if _differs(meeting, series, _aware(slot, zone), duration):
                event = icalendar.Event()
                event.add("uid", uid)
                event.add("recurrence-id", _aware(slot, zone))
                self._meeting_properties(event, meeting, zone, series.title)
                events.append(event)
        events.extend(self.single(meeting) for meeting in sorted(singles, key=lambda m: (m.starts_at, m.pk)))
        return events

    def task(self, task: Task) -> icalendar.Event:
        """An open task as an all-day entry on its due date: calendars show it where VTODOs are ignored."""
        event = icalendar.Event()
        event.add("uid", task_uid(task, domain=self.domain))
        self._stamp(event, task.updated_at)
        event.add("dtstart", task.due_date)
        event.add("dtend", task.due_date + dt.timedelta(days=1))
        event.add("summary", _("Task due: %(title)s") % {"title": task.title or task.pk})
        event.add("description", task.body.name)
        event.add("transp", "TRANSPARENT")  # a due date does not make the person busy
        return event


def _differs(meeting: Meeting, series: MeetingSeries, slot: dt.datetime, duration: dt.timedelta) -> bool:
    """Whether an occurrence needs its own entry rather than the master's defaults."""
    return (
        meeting.is_cancelled
        or meeting.starts_at != slot
        or meeting.ends_at - meeting.starts_at != duration
        or meeting.place != series.place
        or meeting.online_url != series.online_url
        or any(getattr(meeting, f"title_{code}") != getattr(series, f"title_{code}") for code in language_codes())
        or bool(meeting.agenda_items.all())
    )


def _rule_parts(text: str) -> list[str]:
    text = (text or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    return [part for part in text.split(";") if part.strip()]


def _rule_until(text: str, last: dt.datetime) -> str:
    """The stored rule with its COUNT/UNTIL replaced by UNTIL = `last` in UTC (RFC 5545 §3.3.10)."""
    parts = [part for part in _rule_parts(text) if part.split("=")[0].strip().upper() not in ("COUNT", "UNTIL")]
    parts.append("UNTIL=" + last.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ"))
    return ";".join(parts)


def rrule_from(rule_text: str, *, start: dt.datetime, zone: ZoneInfo) -> rrule:
    """The published rule as a client expands it, on naive local times (UTC UNTIL made local)."""
    return parse_rule(rule_text, first_local=start, zone=zone)


def feed_calendar(
    feed: Feed,
    *,
    domain: str,
    base_url: str,
    link_language: str | None = None,
) -> bytes:
    """The whole calendar of a feed, with a VTIMEZONE for every zone its events use."""
    language = link_language or settings.LANGUAGE_CODE
    writer = _Writer(
        domain=domain,
        meeting_link=link_maker("governance:meeting-detail", language=language, base_url=base_url),
        body_link=link_maker("governance:body-detail", language=language, base_url=base_url),
    )
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", feed.name)
    if is_known_time_zone(feed.time_zone):
        calendar.add("x-wr-timezone", feed.time_zone)

    by_series: dict[int, list[Meeting]] = defaultdict(list)
    events: list[tuple[dt.datetime, int, list[icalendar.Event]]] = []
    for meeting in feed.meetings:
        if meeting.series_id:
            by_series[meeting.series_id].append(meeting)
        else:
            events.append((meeting.starts_at, 1, [writer.single(meeting)]))
    for meetings in by_series.values():
        series = meetings[0].series
        events.append((meetings[0].starts_at, 0, writer.series(series, meetings, complete=feed.complete_series)))
    for _start, _order, components in sorted(events, key=lambda row: (row[0], row[1])):
        for component in components:
            calendar.add_component(component)
    for task in feed.tasks:
        calendar.add_component(writer.task(task))
    if writer.first is not None:
        calendar.add_missing_timezones(
            first_date=(writer.first - TIME_ZONE_MARGIN).date(), last_date=(writer.last + TIME_ZONE_MARGIN).date()
        )
    return calendar.to_ical()
