"""Every write to governance bodies, members, meetings, attendance, decisions, tasks, reports and feed tokens.

Forms, admin, API and data loads call these: keyword-only, `acting_user=`, atomic, validated,
with the change history recorded.
"""

import datetime as dt
import secrets
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.core.i18n import language_codes, translated_names
from municipia.core.services import apply_fields, save_with_history
from municipia.governance.choices import AttendanceStatus, MinutesStatus, TaskStatus
from municipia.governance.models import (
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    CalendarToken,
    Decision,
    Meeting,
    MeetingSeries,
    Report,
    Task,
)
from municipia.governance.recurrence import Occurrence, RecurrenceError, expand, is_known_time_zone
from municipia.organizations.models import Organization, Person
from municipia.strategy.models import Plan

BODY_FIELDS = [
    *translated_names("name", "mandate"),
    "kind",
    "axis",
    "action",
    "followed_up_by",
    "holiday_region",
    "time_zone",
    "is_public",
]
MEMBER_FIELDS = ["organization", "role", "start_date", "end_date"]
SERIES_FIELDS = [
    *translated_names("title"),
    "rrule",
    "first_start",
    "time_zone",
    "duration_minutes",
    "place",
    "online_url",
    "on_holiday",
]
MEETING_FIELDS = [*translated_names("title"), "starts_at", "ends_at", "place", "online_url", "minutes"]
AGENDA_ITEM_FIELDS = [*translated_names("title"), "position", "presenter", "action"]
DECISION_FIELDS = [*translated_names("text"), "meeting", "action"]
REPORT_FIELDS = [
    *translated_names("progress", "issues", "next_steps"),
    "period_start",
    "period_end",
    "progress_percent",
]
TASK_FIELDS = [*translated_names("title"), "decision", "action", "owner", "due_date", "status"]

# A series expanding to more meetings than this within its plan's period is a mistake in the rule.
MAX_MEETINGS_PER_SERIES = 500
DECISION_NUMBER_ATTEMPTS = 5


# --- Bodies


@transaction.atomic
def body_create(*, acting_user, plan: Plan, data: dict[str, Any]) -> Body:
    body = Body(plan=plan)
    apply_fields(body, data, BODY_FIELDS)
    return save_with_history(body, acting_user=acting_user)


@transaction.atomic
def body_update(*, acting_user, body: Body, data: dict[str, Any]) -> Body:
    apply_fields(body, data, BODY_FIELDS)
    return save_with_history(body, acting_user=acting_user)


# --- Members


def _overlaps(start: dt.date, end: dt.date | None) -> Q:
    """Rows whose [start_date, end_date] period (open-ended when end_date is empty) meets [start, end]."""
    condition = Q(end_date__isnull=True) | Q(end_date__gte=start)
    if end is not None:
        condition &= Q(start_date__lte=end)
    return condition


@transaction.atomic
def member_add(
    *, acting_user, body: Body, person: Person, data: dict[str, Any], organization: Organization | None = None
) -> BodyMember:
    """Adds a person to a body; refuses a second row for the same role over overlapping dates."""
    member = BodyMember(body=body, person=person, organization=organization or person.organization)
    apply_fields(member, data, MEMBER_FIELDS)
    if member.start_date is None:
        member.start_date = timezone.localdate()
    member.full_clean()
    _check_member_overlap(member)
    return save_with_history(member, acting_user=acting_user)


@transaction.atomic
def member_update(*, acting_user, member: BodyMember, data: dict[str, Any]) -> BodyMember:
    apply_fields(member, data, MEMBER_FIELDS)
    member.full_clean()
    _check_member_overlap(member)
    return save_with_history(member, acting_user=acting_user)


def _check_member_overlap(member: BodyMember) -> None:
    # Rows of the person are locked so that two concurrent additions cannot both pass the check.
    clash = (
        BodyMember.objects.select_for_update()
        .filter(body_id=member.body_id, person_id=member.person_id, role=member.role)
        .filter(_overlaps(member.start_date, member.end_date))
    )
    if member.pk:
        clash = clash.exclude(pk=member.pk)
    if clash.exists():
        raise ValidationError(
            {
                "person": _("%(person)s is already a member of this body in this role for these dates.")
                % {"person": member.person}
            }
        )


def is_member(*, body: Body, person: Person, on: dt.date | None = None) -> bool:
    """Whether `person` sits in `body` on a date (by default: now or later)."""
    on = on or timezone.localdate()
    return (
        BodyMember.objects.filter(body=body, person=person)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .exists()
    )


# --- Meeting series


def _series_occurrences(series: MeetingSeries) -> list[Occurrence]:
    """Validates the series' rule and time zone and expands it over its plan's period."""
    body = series.body
    plan = body.plan
    if not is_known_time_zone(series.time_zone):
        raise ValidationError(
            {
                "time_zone": _("Unknown time zone “%(name)s”; use a name such as Europe/Madrid.")
                % {"name": series.time_zone}
            }
        )
    if series.first_start is None:
        raise ValidationError({"first_start": _("This field cannot be blank.")})
    if timezone.is_naive(series.first_start):
        series.first_start = series.first_start.replace(tzinfo=ZoneInfo(series.time_zone))
    first_day = series.first_start.astimezone(ZoneInfo(series.time_zone)).date()
    if not plan.period_start <= first_day <= plan.period_end:
        raise ValidationError(
            {
                "first_start": _("This date falls outside the plan's period (%(start)s – %(end)s).")
                % {"start": plan.period_start.isoformat(), "end": plan.period_end.isoformat()}
            }
        )
    try:
        occurrences = expand(
            rule=series.rrule,
            first_start=series.first_start,
            time_zone=series.time_zone,
            duration_minutes=series.duration_minutes or 1,
            holiday_region=body.holiday_region,
            on_holiday=series.on_holiday,
            until=plan.period_end,
            limit=MAX_MEETINGS_PER_SERIES,
        )
    except RecurrenceError as exc:
        raise ValidationError({"rrule": str(exc)}) from None
    if not occurrences:
        raise ValidationError({"rrule": _("This rule yields no meeting within the plan's period.")})
    if len(occurrences) > MAX_MEETINGS_PER_SERIES:
        raise ValidationError(
            {
                "rrule": _("This rule yields more than %(max)s meetings within the plan's period.")
                % {"max": MAX_MEETINGS_PER_SERIES}
            }
        )
    return occurrences


@transaction.atomic
def series_create(*, acting_user, body: Body, data: dict[str, Any]) -> MeetingSeries:
    """Creates a series and materialises its meetings over the plan's period (or until its rule ends)."""
    series = MeetingSeries(body=body, time_zone=body.time_zone)
    apply_fields(series, data, SERIES_FIELDS)
    series.full_clean(exclude=["title"])
    occurrences = _series_occurrences(series)
    save_with_history(series, acting_user=acting_user)
    _materialise(series, occurrences)
    return series


def _materialise(series: MeetingSeries, occurrences: list[Occurrence]) -> None:
    titles = {f"title_{code}": getattr(series, f"title_{code}") for code in language_codes()}
    meetings = [
        Meeting(
            body_id=series.body_id,
            series=series,
            starts_at=occurrence.starts_at,
            ends_at=occurrence.ends_at,
            original_start=occurrence.slot if occurrence.is_moved else None,
            place=series.place,
            online_url=series.online_url,
            **titles,
        )
        for occurrence in occurrences
    ]
    # bulk_create skips save(): the series' own history entry records their creation.
    Meeting.objects.bulk_create(meetings, batch_size=500)


# --- Meetings


@transaction.atomic
def meeting_create(*, acting_user, body: Body, data: dict[str, Any]) -> Meeting:
    meeting = Meeting(body=body)
    apply_fields(meeting, data, MEETING_FIELDS)
    return save_with_history(meeting, acting_user=acting_user)


@transaction.atomic
def meeting_update(*, acting_user, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    if "minutes" in data and meeting.minutes_status == MinutesStatus.APPROVED:
        raise ValidationError({"minutes": _("Approved minutes cannot be changed.")})
    apply_fields(meeting, data, MEETING_FIELDS)
    return save_with_history(meeting, acting_user=acting_user)


@transaction.atomic
def meeting_move(
    *, acting_user, meeting: Meeting, starts_at: dt.datetime, ends_at: dt.datetime | None = None, reason: str = ""
) -> Meeting:
    """Moves one meeting; an occurrence of a series remembers its slot and stays in the series."""
    if ends_at is None:
        ends_at = starts_at + (meeting.ends_at - meeting.starts_at)
    if meeting.series_id and meeting.original_start is None:
        meeting.original_start = meeting.starts_at
    meeting.starts_at = starts_at
    meeting.ends_at = ends_at
    return save_with_history(meeting, acting_user=acting_user, reason=reason)


@transaction.atomic
def meeting_cancel(*, acting_user, meeting: Meeting, reason: str = "") -> Meeting:
    meeting.is_cancelled = True
    return save_with_history(meeting, acting_user=acting_user, reason=reason)


@transaction.atomic
def minutes_approve(*, acting_user, meeting: Meeting) -> Meeting:
    if not meeting.minutes.strip():
        raise ValidationError({"minutes": _("There are no minutes to approve.")})
    meeting.minutes_status = MinutesStatus.APPROVED
    meeting.minutes_approved_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    meeting.minutes_approved_at = timezone.now()
    return save_with_history(meeting, acting_user=acting_user)


# --- Agenda


def _check_agenda_action(item: AgendaItem) -> None:
    if item.action_id and item.action.plan_id != item.meeting.body.plan_id:
        raise ValidationError({"action": _("This belongs to another plan.")})


@transaction.atomic
def agenda_item_create(*, acting_user, meeting: Meeting, data: dict[str, Any]) -> AgendaItem:
    """Adds an item to a meeting's agenda; without a position it goes last."""
    item = AgendaItem(meeting=meeting)
    apply_fields(item, data, AGENDA_ITEM_FIELDS)
    if not data.get("position"):
        last = AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"]
        item.position = 1 if last is None else last + 1
    _check_agenda_action(item)
    return save_with_history(item, acting_user=acting_user)


@transaction.atomic
def agenda_item_update(*, acting_user, item: AgendaItem, data: dict[str, Any]) -> AgendaItem:
    apply_fields(item, data, AGENDA_ITEM_FIELDS)
    _check_agenda_action(item)
    return save_with_history(item, acting_user=acting_user)


# --- Decisions


@transaction.atomic
def decision_record(*, acting_user, body: Body, data: dict[str, Any]) -> Decision:
    """Records a decision under the body's next number.

    Two secretaries recording at once may compute the same number; the unique constraint
    refuses the second, which retries with the next number.
    """
    for _attempt in range(DECISION_NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                decision = Decision(body=body)
                apply_fields(decision, data, DECISION_FIELDS)
                last = Decision.objects.filter(body=body).aggregate(last=Max("number"))["last"] or 0
                decision.number = last + 1
                return save_with_history(decision, acting_user=acting_user)
        except IntegrityError:
            continue
        except ValidationError:
            if Decision.objects.filter(body=body, number=decision.number).exists():
                continue  # another decision took this number between the read and the check
            raise
    raise ValidationError({"text": _("The decision could not be numbered; please try again.")})


@transaction.atomic
def decision_update(*, acting_user, decision: Decision, data: dict[str, Any]) -> Decision:
    """Changes a decision's text or links; its number never changes."""
    apply_fields(decision, data, DECISION_FIELDS)
    return save_with_history(decision, acting_user=acting_user)


# --- Tasks


def _check_owner(task: Task) -> None:
    if task.owner_id and not is_member(body=task.body, person=task.owner):
        raise ValidationError({"owner": _("%(person)s is not a member of this body.") % {"person": task.owner}})


@transaction.atomic
def task_create(*, acting_user, body: Body, data: dict[str, Any]) -> Task:
    task = Task(body=body)
    apply_fields(task, data, TASK_FIELDS)
    task.full_clean(exclude=["title"])
    _check_owner(task)
    return save_with_history(task, acting_user=acting_user)


@transaction.atomic
def task_update(*, acting_user, task: Task, data: dict[str, Any]) -> Task:
    apply_fields(task, data, TASK_FIELDS)
    if task.status not in TaskStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    # Compared with the stored row, not the instance, which a refused call may have changed.
    stored_owner_id = Task.objects.filter(pk=task.pk).values_list("owner_id", flat=True).first()
    if task.owner_id != stored_owner_id:
        _check_owner(task)
    return save_with_history(task, acting_user=acting_user)


# --- Attendance


@transaction.atomic
def attendance_record(
    *,
    acting_user,
    meeting: Meeting,
    statuses: dict[Person, str],
    organizations: dict[Person, Organization] | None = None,
) -> list[Attendance]:
    """Records who was present, excused or absent; one row per person, updated when recorded again.

    Everyone must be a member of the body on the meeting's day; an unknown status or a
    non-member refuses the whole call.
    """
    organizations = organizations or {}
    day = meeting.starts_at.date()
    member_orgs = dict(
        BodyMember.objects.filter(body_id=meeting.body_id, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .values_list("person_id", "organization_id")
    )
    for person, status in statuses.items():
        if status not in AttendanceStatus.values:
            raise ValidationError({"status": _("Unknown attendance status “%(status)s”.") % {"status": status}})
        if person.pk not in member_orgs:
            raise ValidationError(
                {"person": _("%(person)s is not a member of this body on the meeting's day.") % {"person": person}}
            )
    existing = {row.person_id: row for row in Attendance.objects.select_for_update().filter(meeting=meeting)}
    rows = []
    for person, status in statuses.items():
        row = existing.get(person.pk) or Attendance(meeting=meeting, person=person)
        row.status = status
        organization = organizations.get(person)
        row.organization_id = organization.pk if organization else member_orgs[person.pk]
        rows.append(save_with_history(row, acting_user=acting_user))
    return rows


# --- Reports


@transaction.atomic
def report_file(*, acting_user, body: Body, data: dict[str, Any]) -> Report:
    """Files a status report to the body that follows this one up (if any) at this moment."""
    report = Report(body=body, addressed_to_id=body.followed_up_by_id)
    apply_fields(report, data, REPORT_FIELDS)
    report.filed_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    return save_with_history(report, acting_user=acting_user)


@transaction.atomic
def report_update(*, acting_user, report: Report, data: dict[str, Any]) -> Report:
    apply_fields(report, data, REPORT_FIELDS)
    return save_with_history(report, acting_user=acting_user)


# --- Private calendar feed tokens


@transaction.atomic
def calendar_token_issue(*, person: Person) -> CalendarToken:
    """A new secret feed address for the person; any previous address stops working."""
    calendar_token_revoke(person=person)
    return CalendarToken.objects.create(person=person, token=secrets.token_urlsafe(32))


@transaction.atomic
def calendar_token_revoke(*, person: Person) -> int:
    """Revokes the person's working feed address; returns how many were revoked (0 or 1)."""
    return CalendarToken.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=timezone.now())
