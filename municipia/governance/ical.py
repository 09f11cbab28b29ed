"""iCalendar (RFC 5545) feeds of meetings: one recurring event per series, its exceptions, and single events.

A series becomes one master VEVENT with the series' rule cut to the meetings the feed holds
(UNTIL = the last slot, in UTC as RFC 5545 requires beside a DTSTART with TZID), EXDATE for
slots without a meeting (skipped for a holiday, or outside a person's membership), and an
override VEVENT (RECURRENCE-ID = the slot) for each meeting that differs from the series: moved,
cancelled, retitled, elsewhere, or with an agenda of its own. The recurrence set is computed
here the way a calendar application will compute it, so a meeting the rule cannot reproduce
(a rule edited since, a slot in a daylight-saving gap) is published as a single event instead.

The events are written here as RFC 5545 content lines (`_Event`): a feed holds thousands of them,
and building and serialising icalendar components for each cost most of a large feed's time.
icalendar still writes the calendar's header and the VTIMEZONE definitions, which need the
time-zone rules.
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
from municipia.governance.recurrence import RecurrenceError, is_known_time_zone, parse_rule, rule_until

PRODID = "-//Municipia//Governance calendar//EN"
# VTIMEZONE definitions cover the feed's meetings with this margin (the zone's rules, not 1970–2038).
TIME_ZONE_MARGIN = dt.timedelta(days=366)

LinkMaker = Callable[[object], str]

# RFC 5545 §3.3.11: backslash, semicolon, comma and newline are escaped in TEXT values.
_TEXT_ESCAPES = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n"})
# §3.1: content lines are folded at 75 octets; a continuation line starts with one space.
LINE_OCTETS = 75
UTC_ZONE_NAMES = frozenset({"UTC", "Etc/UTC"})


def escape_text(value: str) -> str:
    """A TEXT value: line breaks of any kind become \\n, and \\ ; , are escaped."""
    return value.replace("\r\n", "\n").replace("\r", "\n").translate(_TEXT_ESCAPES)


def fold(line: str) -> bytes:
    """One content line as UTF-8 with CRLF, folded at 75 octets without splitting a character."""
    data = line.encode("utf-8")
    if len(data) <= LINE_OCTETS:
        return data + b"\r\n"
    parts, start, limit = [], 0, LINE_OCTETS
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            end -= 1
        parts.append(data[start:end])
        start, limit = end, LINE_OCTETS - 1  # the leading space takes one octet
    parts.append(data[start:])
    return b"\r\n ".join(parts) + b"\r\n"


def _stamp_text(instant: dt.datetime) -> str:
    """An instant in UTC, form #2 of RFC 5545 §3.3.5 (20230530T150000Z)."""
    d = instant.astimezone(dt.UTC)
    return f"{d.year:04d}{d.month:02d}{d.day:02d}T{d.hour:02d}{d.minute:02d}{d.second:02d}Z"


def _local_text(local: dt.datetime) -> str:
    return f"{local.year:04d}{local.month:02d}{local.day:02d}T{local.hour:02d}{local.minute:02d}{local.second:02d}"


class _Event:
    """The content lines of one VEVENT, unfolded until `to_ical`."""

    __slots__ = ("lines",)

    def __init__(self) -> None:
        self.lines = ["BEGIN:VEVENT"]

    def text(self, name: str, value: str) -> None:
        self.lines.append(f"{name}:{escape_text(value)}")

    def raw(self, name: str, value: str) -> None:
        # Values that are not TEXT (URIs, status words, rules) must still fit on one logical line.
        self.lines.append(f"{name}:{value.replace(chr(13), '').replace(chr(10), '')}")

    def to_ical(self) -> bytes:
        return b"".join(fold(line) for line in self.lines) + b"END:VEVENT\r\n"


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
        self.zones: set[str] = set()

    def _when(self, name: str, instant: dt.datetime, zone: ZoneInfo) -> str:
        """`DTSTART;TZID=Europe/Madrid:20230530T170000` (a UTC zone is written with Z instead)."""
        if zone.key in UTC_ZONE_NAMES:
            return f"{name}:{_stamp_text(instant)}"
        self.zones.add(zone.key)
        return f"{name};TZID={zone.key}:{_local_text(instant.astimezone(zone))}"

    def _seen(self, instant: dt.datetime) -> None:
        self.first = instant if self.first is None or instant < self.first else self.first
        self.last = instant if self.last is None or instant > self.last else self.last

    def _stamp(self, event: _Event, updated_at: dt.datetime | None) -> None:
        # DTSTAMP from the content rather than the clock: an unchanged feed is byte-identical (ETag).
        event.raw("DTSTAMP", _stamp_text(updated_at or timezone.now()))
        if updated_at:
            event.raw("LAST-MODIFIED", _stamp_text(updated_at))

    def _where(self, event: _Event, place: str, online_url: str) -> None:
        location = place or online_url
        if location:
            event.text("LOCATION", location)
        if online_url:
            event.raw("URL", online_url)

    def _meeting_description(self, meeting: Meeting) -> str:
        lines = []
        items = _agenda(meeting)
        if items:
            lines.append(_("Agenda:"))
            lines.extend(f"{number}. {item.title}" for number, item in enumerate(items, start=1))
        if self.meeting_link is not None:
            if lines:
                lines.append("")
            lines.append(self.meeting_link(meeting.pk))
        return "\n".join(lines)

    def _meeting_properties(self, event: _Event, meeting: Meeting, zone: ZoneInfo, fallback: str) -> None:
        self._stamp(event, meeting.updated_at)
        event.lines.append(self._when("DTSTART", meeting.starts_at, zone))
        if meeting.ends_at and meeting.ends_at > meeting.starts_at:
            event.lines.append(self._when("DTEND", meeting.ends_at, zone))
        event.text("SUMMARY", meeting.title or fallback or str(meeting.pk))
        self._where(event, meeting.place, meeting.online_url)
        description = self._meeting_description(meeting)
        if description:
            event.text("DESCRIPTION", description)
        event.raw("STATUS", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
        self._seen(meeting.starts_at)

    def single(self, meeting: Meeting) -> _Event:
        event = _Event()
        event.text("UID", meeting_uid(meeting, domain=self.domain))
        self._meeting_properties(event, meeting, _zone(meeting.time_zone), meeting.body.name)
        return event

    def series(self, series: MeetingSeries, meetings: list[Meeting], *, complete: bool) -> list[_Event]:
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
        rule_text = rule_until(series.rrule, _aware(high, zone))
        slots = list(rrule_from(rule_text, start=start, zone=zone).between(start, high, inc=True))
        slot_set = set(slots)
        singles.extend(meeting for slot, meeting in by_slot.items() if slot not in slot_set)
        overrides = [(slot, by_slot[slot]) for slot in slots if slot in by_slot]
        if not overrides:
            return [self.single(meeting) for meeting in sorted(singles, key=lambda m: (m.starts_at, m.pk))]

        uid = series_uid(series, domain=self.domain)
        duration = dt.timedelta(minutes=series.duration_minutes or 1)
        missing = [_aware(slot, zone) for slot in slots if slot not in by_slot]
        master = self._master(series, uid=uid, start=_aware(start, zone), rule_text=rule_text, missing=missing)
        # The VTIMEZONE must cover every occurrence the rule expands to, not only the master's start:
        # a calendar reads later occurrences with the last offset the definition gives.
        self._seen(_aware(slots[-1], zone))
        events = [master]
        for slot, meeting in overrides:
            if _differs(meeting, series, _aware(slot, zone), duration):
                event = _Event()
                event.text("UID", uid)
                event.lines.append(self._when("RECURRENCE-ID", _aware(slot, zone), zone))
                self._meeting_properties(event, meeting, zone, series.title)
                events.append(event)
        events.extend(self.single(meeting) for meeting in sorted(singles, key=lambda m: (m.starts_at, m.pk)))
        return events

    def _master(
        self, series: MeetingSeries, *, uid: str, start: dt.datetime, rule_text: str, missing: list[dt.datetime]
    ) -> _Event:
        """The recurring event of a series, from `start`, without the slots that hold no meeting."""
        zone = _zone(series.time_zone)
        master = _Event()
        master.text("UID", uid)
        self._stamp(master, series.updated_at)
        master.lines.append(self._when("DTSTART", start, zone))
        master.lines.append(self._when("DTEND", start + dt.timedelta(minutes=series.duration_minutes or 1), zone))
        master.raw("RRULE", rule_text)
        if missing:
            first, *others = (self._when("EXDATE", instant, zone) for instant in missing)
            # One EXDATE with every date, after the first one's TZID (or with Z for UTC).
            master.lines.append(",".join([first, *(line.rsplit(":", 1)[1] for line in others)]))
        master.text("SUMMARY", series.title or series.body.name or str(series.pk))
        self._where(master, series.place, series.online_url)
        if self.body_link is not None:
            master.text("DESCRIPTION", self.body_link(series.body_id))
        master.raw("STATUS", "CONFIRMED")
        self._seen(start)
        return master

    def task(self, task: Task) -> _Event:
        """An open task as an all-day entry on its due date: calendars show it where VTODOs are ignored."""
        event = _Event()
        event.text("UID", task_uid(task, domain=self.domain))
        self._stamp(event, task.updated_at)
        event.raw("DTSTART;VALUE=DATE", task.due_date.strftime("%Y%m%d"))
        event.raw("DTEND;VALUE=DATE", (task.due_date + dt.timedelta(days=1)).strftime("%Y%m%d"))
        event.text("SUMMARY", _("Task due: %(title)s") % {"title": task.title or task.pk})
        event.text("DESCRIPTION", task.body.name)
        event.raw("TRANSP", "TRANSPARENT")  # a due date does not make the person busy
        return event


def _agenda(meeting: Meeting) -> list:
    """The meeting's prefetched agenda, read once: each `.all()` builds a new queryset, costly over thousands."""
    items = meeting.__dict__.get("_ical_agenda")
    if items is None:
        items = meeting.__dict__["_ical_agenda"] = list(meeting.agenda_items.all())
    return items


def _differs(meeting: Meeting, series: MeetingSeries, slot: dt.datetime, duration: dt.timedelta) -> bool:
    """Whether an occurrence needs its own entry rather than the master's defaults."""
    return (
        meeting.is_cancelled
        or meeting.starts_at != slot
        or meeting.ends_at - meeting.starts_at != duration
        or meeting.place != series.place
        or meeting.online_url != series.online_url
        or any(getattr(meeting, f"title_{code}") != getattr(series, f"title_{code}") for code in language_codes())
        or bool(_agenda(meeting))
    )


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
    events: list[tuple[dt.datetime, int, list[_Event]]] = []
    for meeting in feed.meetings:
        if meeting.series_id:
            by_series[meeting.series_id].append(meeting)
        else:
            events.append((meeting.starts_at, 1, [writer.single(meeting)]))
    for meetings in by_series.values():
        series = meetings[0].series
        events.append((meetings[0].starts_at, 0, writer.series(series, meetings, complete=feed.complete_series)))
    body = [
        component.to_ical()
        for _start, _order, components in sorted(events, key=lambda row: (row[0], row[1]))
        for component in components
    ]
    body.extend(writer.task(task).to_ical() for task in feed.tasks)
    if writer.first is not None:
        # What `Calendar.add_missing_timezones` does for icalendar's own events, in a stable order.
        for tzid in sorted(writer.zones):
            try:
                definition = icalendar.Timezone.from_tzid(
                    tzid,
                    first_date=(writer.first - TIME_ZONE_MARGIN).date(),
                    last_date=(writer.last + TIME_ZONE_MARGIN).date(),
                )
            except ValueError:
                continue  # a zone icalendar does not know: calendars fall back to their own rules
            calendar.add_component(definition)
    header = calendar.to_ical()
    closing = b"END:VCALENDAR\r\n"
    return header[: -len(closing)] + b"".join(body) + closing
