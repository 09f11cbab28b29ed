"""Reminder e-mails: the agenda before a meeting, minutes awaiting approval, a digest of overdue tasks.

`reminders_due(now=…)` (a selector) lists what is due, in a fixed number of queries;
`send_reminders(now=…)` (a service) sends each reminder once per (kind, key, recipient), in the
recipient's language. The management command `send_reminders` and the Celery task of the same
name call it; running it twice sends nothing twice.

Idempotence and its trade-off: each e-mail is sent inside its own transaction that first
inserts its `ReminderSent` row. The unique constraint makes the insert the lock: a concurrent
run blocks on it and then skips (IntegrityError). If sending fails, the transaction rolls the
row back and the next run tries again. Only a crash between a successful hand-over to the mail
server and the commit can send one twice; the other order (record, commit, then send) would
instead lose that reminder for good. A missed reminder is worse than a rare repeat.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from municipia.core.mail import templated_email
from municipia.governance.choices import OFFICER_ROLES, MinutesStatus, ReminderKind, TaskStatus
from municipia.governance.models import AgendaItem, BodyInvitation, BodyMember, Meeting, ReminderSent, Task
from municipia.governance.recurrence import is_known_time_zone
from municipia.organizations.models import Person

logger = logging.getLogger(__name__)

TEMPLATES = {
    ReminderKind.AGENDA: "governance/email/agenda_reminder",
    ReminderKind.MINUTES_AWAITING_APPROVAL: "governance/email/minutes_reminder",
    ReminderKind.OVERDUE_TASKS: "governance/email/overdue_tasks_digest",
}


@dataclass
class Reminder:
    """One e-mail to one person about one thing (`key`), with what its templates show."""

    kind: str
    key: str
    person: Person
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def recipient(self) -> str:
        return self.person.email.strip()

    @property
    def language(self) -> str:
        codes = {code for code, _name in settings.LANGUAGES}
        return self.person.language if self.person.language in codes else settings.LANGUAGE_CODE


def agenda_days() -> int:
    return int(getattr(settings, "REMINDER_AGENDA_DAYS", 3))


def _current_members(today: dt.date, *, roles: tuple[str, ...] | None = None) -> QuerySet[BodyMember]:
    """Members sitting in their body today who have an e-mail address."""
    members = (
        BodyMember.objects.filter(start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .exclude(person__email="")
        .select_related("person")
        .order_by("person__full_name", "id")
    )
    return members.filter(role__in=roles) if roles else members


def _once_per_address(members: list[BodyMember]) -> list[Person]:
    """Someone sitting twice (two roles, say) gets one e-mail."""
    people: dict[str, Person] = {}
    for member in members:
        people.setdefault(member.person.email.strip().lower(), member.person)
    return list(people.values())


def _meeting_key(meeting: Meeting) -> str:
    # The start is part of the key: a meeting moved after its reminder gets one for its new time.
    return f"meeting-{meeting.pk}-{meeting.starts_at.astimezone(dt.UTC):%Y%m%dT%H%M}"


def agenda_reminders(now: dt.datetime) -> list[Reminder]:
    """The agenda of each meeting starting within REMINDER_AGENDA_DAYS, to every current member."""
    today = timezone.localdate(now)
    meetings = (
        Meeting.objects.filter(is_cancelled=False, starts_at__gt=now, starts_at__lte=now + dt.timedelta(agenda_days()))
        .select_related("body", "series")
        .prefetch_related(
            Prefetch(
                "agenda_items", queryset=AgendaItem.objects.select_related("presenter").order_by("position", "id")
            ),
            Prefetch("body__members", queryset=_current_members(today), to_attr="reminder_members"),
        )
        .order_by("starts_at", "id")
    )
    return [
        Reminder(ReminderKind.AGENDA, _meeting_key(meeting), person, {"meeting": meeting})
        for meeting in meetings
        for person in _once_per_address(meeting.body.reminder_members)
    ]


def minutes_reminders(now: dt.datetime) -> list[Reminder]:
    """Draft minutes of past meetings whose body meets again within REMINDER_AGENDA_DAYS, to its chair and secretary.

    The minutes are approved at the next meeting, so the officers are reminded while there is
    still time to circulate them; one reminder per meeting and officer.
    """
    today = timezone.localdate(now)
    next_meeting = Meeting.objects.filter(body_id=OuterRef("body_id"), is_cancelled=False, starts_at__gt=now).order_by(
        "starts_at", "id"
    )
    meetings = (
        Meeting.objects.filter(minutes_status=MinutesStatus.DRAFT, is_cancelled=False, starts_at__lt=now)
        .exclude(minutes="")
        .annotate(next_start=Subquery(next_meeting.values("starts_at")[:1]))
        .filter(next_start__lte=now + dt.timedelta(agenda_days()))
        .select_related("body", "series")
        .prefetch_related(
            Prefetch("body__members", queryset=_current_members(today, roles=OFFICER_ROLES), to_attr="reminder_members")
        )
        .order_by("starts_at", "id")
    )
    return [
        Reminder(ReminderKind.MINUTES_AWAITING_APPROVAL, f"meeting-{meeting.pk}", person, {"meeting": meeting})
        for meeting in meetings
        if meeting.minutes.strip()
        for person in _once_per_address(meeting.body.reminder_members)
    ]


def overdue_task_digests(now: dt.datetime) -> list[Reminder]:
    """One digest a day per person of their open tasks past due, in bodies they still sit in."""
    today = timezone.localdate(now)
    still_member = BodyMember.objects.filter(body_id=OuterRef("body_id"), person_id=OuterRef("owner_id")).filter(
        Q(start_date__lte=today), Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    tasks = (
        Task.objects.filter(status=TaskStatus.OPEN, due_date__lt=today)
        .exclude(owner__email="")
        .filter(Exists(still_member))
        .select_related("owner", "body")
        .order_by("owner_id", "due_date", "id")
    )
    by_owner: dict[int, Reminder] = {}
    for task in tasks:
        digest = by_owner.get(task.owner_id)
        if digest is None:
            digest = by_owner[task.owner_id] = Reminder(
                ReminderKind.OVERDUE_TASKS, today.isoformat(), task.owner, {"tasks": [], "today": today}
            )
        digest.context["tasks"].append(task)
    return list(by_owner.values())


def reminders_due(*, now: dt.datetime) -> dict[str, list[Reminder]]:
    """Every reminder due at `now` that has not been sent yet, by kind."""
    due = {
        ReminderKind.AGENDA: agenda_reminders(now),
        ReminderKind.MINUTES_AWAITING_APPROVAL: minutes_reminders(now),
        ReminderKind.OVERDUE_TASKS: overdue_task_digests(now),
    }
    keys = {(reminder.kind, reminder.key) for reminders in due.values() for reminder in reminders}
    sent: set[tuple[str, str, str]] = set()
    if keys:
        condition = Q()
        for kind, key in keys:
            condition |= Q(kind=kind, key=key)
        sent = set(ReminderSent.objects.filter(condition).values_list("kind", "key", "recipient"))
    return {
        kind: [reminder for reminder in reminders if (reminder.kind, reminder.key, reminder.recipient) not in sent]
        for kind, reminders in due.items()
    }


def _page_link(viewname: str, **kwargs) -> str:
    """An absolute link to a page in the active language, or "" while that page does not exist."""
    try:
        return settings.SITE_URL.rstrip("/") + reverse(viewname, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def render(reminder: Reminder) -> EmailMultiAlternatives:
    """The e-mail in the recipient's language: a subject, plain text and an HTML alternative."""
    language = reminder.language
    template = TEMPLATES[reminder.kind]
    with translation.override(language):
        context = {**reminder.context, "person": reminder.person, "LANGUAGE_CODE": language}
        meeting = context.get("meeting")
        if meeting is not None:
            zone = meeting.time_zone
            context["time_zone"] = zone if is_known_time_zone(zone) else settings.TIME_ZONE
            context["meeting_url"] = _page_link("governance:meeting-detail", pk=meeting.pk)
            context["starts_local"] = meeting.starts_at.astimezone(ZoneInfo(context["time_zone"]))
            context["ends_local"] = meeting.ends_at.astimezone(ZoneInfo(context["time_zone"]))
        context["my_governance_url"] = _page_link("governance:my-governance")
    return templated_email(template, context, to=reminder.recipient, language=language)


def _deliver(reminder: Reminder) -> bool:
    """Records and sends one reminder atomically; False when already sent or the mail server refused."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(kind=reminder.kind, key=reminder.key, recipient=reminder.recipient)
            render(reminder).send()
    except IntegrityError:
        return False  # sent by an earlier or a concurrent run
    except OSError:
        # smtplib's errors are OSErrors: the row is rolled back, so the next run tries again.
        logger.exception("Reminder %s %s to %s could not be sent", reminder.kind, reminder.key, reminder.recipient)
        return False
    return True


def send_reminders(*, now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, list[Reminder]]:
    """Sends every reminder due at `now` (default: now) once; returns what was sent (or would be), by kind."""
    now = now or timezone.now()
    due = reminders_due(now=now)
    if dry_run:
        return due
    return {kind: [reminder for reminder in reminders if _deliver(reminder)] for kind, reminders in due.items()}


def invitation_email(invitation: BodyInvitation) -> EmailMultiAlternatives:
    """The e-mail telling a person she is invited to sit in a body, with where to answer."""
    person = invitation.person
    language = person.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "person": person,
            "invitation": invitation,
            "body": invitation.body,
            "inviter": invitation.invited_by.get_full_name() or invitation.invited_by.get_username()
            if invitation.invited_by
            else "",
            "answer_url": _page_link("governance:my-governance"),
        }
    return templated_email("governance/email/body_invitation", context, to=person.email, language=language)
