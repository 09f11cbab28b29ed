"""Reads behind the calendar feeds: which meetings (and tasks) each feed shows, in fixed queries.

The public feed holds a window, not the whole history: meetings starting from
`PUBLIC_WINDOW_PAST` (90 days) before now to `PUBLIC_WINDOW_AHEAD` (400 days) after it, so it
stays the same size however many years of meetings pile up. A series cut by the window is
published from its first slot inside it (`complete_series=False`), so a calendar application
expanding the feed shows exactly the window's meetings; bodies and plans keep their whole history.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from municipia.governance.choices import TaskStatus
from municipia.governance.entities import BODY
from municipia.governance.models import AgendaItem, Body, BodyMember, CalendarToken, Meeting, Task
from municipia.governance.recurrence import is_known_time_zone
from municipia.organizations.models import Person
from municipia.strategy.selectors import plan_get


@dataclass
class Feed:
    """What one feed shows: meetings (series loaded, agenda prefetched) and, for a person, open tasks.

    `complete_series` says whether every meeting of each series the feed touches is in
    `meetings` (body and plan feeds) or only some of them (the public window, a person's
    membership periods).
    """

    name: str
    time_zone: str
    meetings: list[Meeting]
    tasks: list[Task] = field(default_factory=list)
    complete_series: bool = True
    person: Person | None = None


def feed_meetings(bodies: QuerySet[Body] | None = None, *, condition: Q | None = None) -> QuerySet[Meeting]:
    """Meetings with their series, body and ordered agenda: two queries whatever their number."""
    meetings = Meeting.objects.all()
    if bodies is not None:
        meetings = meetings.filter(body__in=bodies)
    if condition is not None:
        meetings = meetings.filter(condition)
    agenda = AgendaItem.objects.order_by("position", "id")
    return (
        meetings.select_related("series", "body")
        .prefetch_related(Prefetch("agenda_items", queryset=agenda))
        .order_by("starts_at", "id")
    )


def body_feed(body: Body) -> Feed:
    """The feed of one body the caller has already fetched through `BODY.get`."""
    return Feed(name=body.name, time_zone=body.time_zone, meetings=list(feed_meetings(condition=Q(body=body))))


def plan_feed(user, *, slug: str) -> Feed:
    """Every meeting of the plan's bodies that `user` may see; 404 alike for a missing or hidden plan."""
    plan = plan_get(user, slug=slug)
    bodies = BODY.visible(user).filter(plan=plan)
    return Feed(name=plan.title, time_zone=settings.TIME_ZONE, meetings=list(feed_meetings(bodies)))


# The public feed's window around now: the last quarter for reference, a year and a month ahead.
PUBLIC_WINDOW_PAST = dt.timedelta(days=90)
PUBLIC_WINDOW_AHEAD = dt.timedelta(days=400)


def public_window(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The instants [from, to) between which the public feed's meetings start."""
    now = now or timezone.now()
    return now - PUBLIC_WINDOW_PAST, now + PUBLIC_WINDOW_AHEAD


def public_feed(now: dt.datetime | None = None) -> Feed:
    """Meetings of public bodies of published plans starting within the public window, whoever asks."""
    start, end = public_window(now)
    condition = Q(starts_at__gte=start, starts_at__lt=end)
    meetings = list(feed_meetings(BODY.visible(AnonymousUser()), condition=condition))
    return Feed(name=gettext("Public meetings"), time_zone=settings.TIME_ZONE, meetings=meetings, complete_series=False)


def person_for_token(token: str) -> Person:
    """The person owning an active calendar token; 404 alike for unknown and revoked tokens."""
    row = (
        CalendarToken.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("person")
        .only("id", "token", "person")
        .first()
        if token
        else None
    )
    if row is None:
        raise Http404
    return row.person


def _local_day(instant: dt.datetime, zone_name: str) -> dt.date:
    zone = ZoneInfo(zone_name if is_known_time_zone(zone_name) else settings.TIME_ZONE)
    return instant.astimezone(zone).date()


def person_feed(person: Person) -> Feed:
    """Meetings of the bodies the person sits in, during their membership periods, and their open tasks.

    The token is the credential: private bodies are included. A membership's dates are days in
    the meeting's own time zone; the database narrows by instants a day wider on each side and
    the exact cut is made here, so the number of queries does not depend on the memberships.
    """
    periods: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
    for body_id, start, end in BodyMember.objects.filter(person=person).values_list(
        "body_id", "start_date", "end_date"
    ):
        periods.setdefault(body_id, []).append((start, end))
    meetings: list[Meeting] = []
    if periods:
        condition = Q()
        utc = dt.UTC
        for body_id, spans in periods.items():
            for start, end in spans:
                span = Q(body_id=body_id, starts_at__gte=dt.datetime.combine(start, dt.time.min, utc) - dt.timedelta(1))
                if end is not None:
                    span &= Q(starts_at__lt=dt.datetime.combine(end, dt.time.min, utc) + dt.timedelta(2))
                condition |= span
        for meeting in feed_meetings(condition=condition):
            day = _local_day(meeting.starts_at, meeting.time_zone)
            if any(start <= day and (end is None or day <= end) for start, end in periods[meeting.body_id]):
                meetings.append(meeting)
    tasks = list(
        Task.objects.filter(owner=person, status=TaskStatus.OPEN).select_related("body").order_by("due_date", "id")
    )
    return Feed(
        name=person.full_name,
        time_zone=settings.TIME_ZONE,
        meetings=meetings,
        tasks=tasks,
        complete_series=False,
        person=person,
    )


def newest_change(feed: Feed) -> dt.datetime | None:
    """The latest `updated_at` among what the feed shows (for Last-Modified), from the loaded rows."""
    stamps = []
    for meeting in feed.meetings:
        stamps.append(meeting.updated_at)
        stamps.append(meeting.body.updated_at)
        if meeting.series is not None:
            stamps.append(meeting.series.updated_at)
        stamps.extend(item.updated_at for item in meeting.agenda_items.all())
    stamps.extend(task.updated_at for task in feed.tasks)
    stamps = [stamp for stamp in stamps if stamp is not None]
    return max(stamps) if stamps else None
