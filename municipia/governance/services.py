"""Every write to governance bodies, members, meetings, attendance, decisions, tasks, reports and feed tokens.

Forms, admin, API and data loads call these: keyword-only, `acting_user=`, atomic, validated,
with the change history recorded.
"""

import contextlib
import datetime as dt
import secrets
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.core import search
from municipia.core.i18n import language_codes
from municipia.core.services import apply_fields, delete_with_history, save_with_history, signed_in
from municipia.core.visibility import User, is_site_admin
from municipia.governance.choices import AttendanceStatus, InvitationStatus, MinutesStatus, TaskStatus
from municipia.governance.entities import AGENDA_ITEM, BODY, DECISION, MEETING, MEMBER, REPORT, SERIES, TASK
from municipia.governance.models import (
    AgendaItem,
    Attendance,
    Body,
    BodyInvitation,
    BodyMember,
    CalendarToken,
    Decision,
    Meeting,
    MeetingSeries,
    Report,
    Task,
)
from municipia.governance.recurrence import (
    Occurrence,
    RecurrenceError,
    expand,
    in_spring_forward_gap,
    is_known_time_zone,
)
from municipia.organizations.models import Organization, Person
from municipia.organizations.permissions import editable_organization_ids
from municipia.strategy.models import Plan

# The fields each service accepts: the entity's (governance/entities.py), so adding a field is one edit.
BODY_FIELDS = BODY.editable_names()
# The person is given on creation only (`member_create`), so it is no field of the others.
MEMBER_FIELDS = [name for name in MEMBER.editable_names() if name != "person"]
SERIES_FIELDS = SERIES.editable_names()
MEETING_FIELDS = MEETING.editable_names()
AGENDA_ITEM_FIELDS = AGENDA_ITEM.editable_names()
DECISION_FIELDS = DECISION.editable_names()
REPORT_FIELDS = REPORT.editable_names()
TASK_FIELDS = TASK.editable_names()

#: Who a service records as having made a change (None for data loads and tests).
ActingUser = User | None
ModelT = TypeVar("ModelT", bound=Model)

# The history table keeps a change reason of at most this many characters.
HISTORY_REASON_LENGTH = 100
# A series expanding to more meetings than this within its plan's period is a mistake in the rule.
MAX_MEETINGS_PER_SERIES = 500
DECISION_NUMBER_ATTEMPTS = 5


def _history_reason(text: str) -> str:
    """A change reason cut to what the history table stores (longer text would fail on PostgreSQL)."""
    text = (text or "").strip()
    return text if len(text) <= HISTORY_REASON_LENGTH else text[: HISTORY_REASON_LENGTH - 1] + "…"


def _saved(obj: ModelT, data: dict[str, Any], fields: list[str], acting_user: ActingUser) -> ModelT:
    """Sets the editable fields given, then validates and saves with history (the plain create or update)."""
    apply_fields(obj, data, fields)
    return cast(ModelT, save_with_history(obj, acting_user=acting_user))


# --- Bodies


@transaction.atomic
def body_create(*, acting_user: ActingUser, plan: Plan, data: dict[str, Any]) -> Body:
    return _saved(Body(plan=plan), data, BODY_FIELDS, acting_user)


@transaction.atomic
def body_update(*, acting_user: ActingUser, body: Body, data: dict[str, Any]) -> Body:
    return _saved(body, data, BODY_FIELDS, acting_user)


@transaction.atomic
def body_delete(*, acting_user: ActingUser, body: Body) -> None:
    """Deletes a body with its members, series, meetings, agenda, attendance, decisions, tasks and reports.

    Bodies it followed up are no longer followed up, and reports addressed to it stay with the
    bodies that filed them (`addressed_to` is emptied).
    """
    # A decision protects its meeting; the body's decisions go first so its meetings can follow.
    for decision in Decision.objects.filter(body=body):
        delete_with_history(decision, acting_user=acting_user)
    delete_with_history(body, acting_user=acting_user)


# --- Members


def _overlaps(start: dt.date, end: dt.date | None) -> Q:
    """Rows whose [start_date, end_date] period (open-ended when end_date is empty) meets [start, end]."""
    condition = Q(end_date__isnull=True) | Q(end_date__gte=start)
    if end is not None:
        condition &= Q(start_date__lte=end)
    return condition


@transaction.atomic
def member_add(
    *,
    acting_user: ActingUser,
    body: Body,
    person: Person,
    data: dict[str, Any],
    organization: Organization | None = None,
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
def member_create(*, acting_user: ActingUser, body: Body, data: dict[str, Any]) -> BodyMember | BodyInvitation:
    """`member_add` with the person among the values, as pages, API and admin send them.

    Left empty, the organisation represented is the person's own. A person of an organisation
    the acting user does not edit is not enrolled: she is invited (`invitation_create`) and
    sits in the body only once she accepts — so the result is then a pending BodyInvitation.
    """
    values = dict(data)
    person = values.pop("person")
    organization = values.pop("organization", None)
    if needs_invitation(acting_user=acting_user, person=person):
        return invitation_create(
            acting_user=acting_user, body=body, person=person, data=values, organization=organization
        )
    return member_add(acting_user=acting_user, body=body, person=person, data=values, organization=organization)


def needs_invitation(*, acting_user: ActingUser, person: Person) -> bool:
    """Whether enrolling `person` takes her consent: she belongs to no organisation the user edits.

    Data loads (no acting user) and site administrators enrol directly; an editor enrols the
    people of the organisations she edits, and invites everyone else.
    """
    if acting_user is None or not acting_user.is_authenticated or is_site_admin(acting_user):
        return False
    return person.organization_id is None or person.organization_id not in editable_organization_ids(acting_user)


@transaction.atomic
def invitation_create(
    *,
    acting_user: ActingUser,
    body: Body,
    person: Person,
    data: dict[str, Any],
    organization: Organization | None = None,
) -> BodyInvitation:
    """Offers `person` a seat in `body`; she is told by e-mail and on her pages, and answers."""
    invitation = BodyInvitation(
        body=body,
        person=person,
        organization=organization or person.organization,
        invited_by=signed_in(acting_user),
    )
    apply_fields(invitation, data, MEMBER_FIELDS)
    if invitation.start_date is None:
        invitation.start_date = timezone.localdate()
    invitation.full_clean(validate_constraints=False)
    # The same refusal as for a direct enrolment, so an invitation never duplicates a seat.
    _check_member_overlap(
        BodyMember(
            body=body,
            person=person,
            role=invitation.role,
            start_date=invitation.start_date,
            end_date=invitation.end_date,
        )
    )
    pending = BodyInvitation.objects.select_for_update().filter(
        body=body, person=person, role=invitation.role, status=InvitationStatus.PENDING
    )
    if pending.exists():
        raise ValidationError(
            {"person": _("%(person)s has already been invited to this body in this role.") % {"person": person}}
        )
    save_with_history(invitation, acting_user=acting_user)
    transaction.on_commit(lambda: _send_invitation(invitation.pk))
    return invitation


def _send_invitation(invitation_pk: int) -> None:
    """E-mails the invited person, in her language, where to accept or decline (side effect after commit)."""
    from municipia.governance.reminders import invitation_email

    invitation = BodyInvitation.objects.select_related("body__plan", "person", "organization").get(pk=invitation_pk)
    if invitation.person.email:
        # The invitation stands and shows on her pages; a mail server down must not undo it.
        with contextlib.suppress(OSError):
            invitation_email(invitation).send()


@transaction.atomic
def invitation_accept(*, acting_user: ActingUser, invitation: BodyInvitation) -> BodyMember:
    """The invited person takes the seat: a membership with the role and dates offered."""
    invitation = BodyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError(_("This invitation has already been answered or withdrawn."))
    member = member_add(
        acting_user=acting_user,
        body=invitation.body,
        person=invitation.person,
        organization=invitation.organization,
        data={"role": invitation.role, "start_date": invitation.start_date, "end_date": invitation.end_date},
    )
    invitation.status = InvitationStatus.ACCEPTED
    invitation.answered_at = timezone.now()
    invitation.membership = member
    save_with_history(invitation, acting_user=acting_user, reason="invitation accepted")
    return member


@transaction.atomic
def invitation_decline(*, acting_user: ActingUser, invitation: BodyInvitation) -> BodyInvitation:
    """The invited person says no; nothing is created and the body's editors see the answer."""
    return _invitation_closed(acting_user, invitation, InvitationStatus.DECLINED, "invitation declined")


@transaction.atomic
def invitation_withdraw(*, acting_user: ActingUser, invitation: BodyInvitation) -> BodyInvitation:
    """The body's editors take back an invitation not yet answered."""
    return _invitation_closed(acting_user, invitation, InvitationStatus.WITHDRAWN, "invitation withdrawn")


def _invitation_closed(acting_user: ActingUser, invitation: BodyInvitation, status: str, reason: str) -> BodyInvitation:
    invitation = BodyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError(_("This invitation has already been answered or withdrawn."))
    invitation.status = status
    invitation.answered_at = timezone.now()
    return save_with_history(invitation, acting_user=acting_user, reason=reason)


@transaction.atomic
def member_update(*, acting_user: ActingUser, member: BodyMember, data: dict[str, Any]) -> BodyMember:
    """Changes a membership's role, organisation or dates; the person is fixed once added."""
    data = dict(data)
    if "person" in data and data.pop("person") != member.person:
        raise ValidationError({"person": _("This cannot be changed once created.")})
    apply_fields(member, data, MEMBER_FIELDS)
    member.full_clean()
    _check_member_overlap(member)
    return save_with_history(member, acting_user=acting_user)


@transaction.atomic
def member_end(*, acting_user: ActingUser, member: BodyMember, end_date: dt.date | None = None) -> BodyMember:
    """Ends a membership on `end_date` (today by default): the usual way someone leaves a body.

    The row stays, so past attendance, tasks and the body's history still show who sat in it.
    """
    member.end_date = end_date or timezone.localdate()
    member.full_clean()
    return save_with_history(member, acting_user=acting_user, reason="membership ended")


@transaction.atomic
def member_remove(*, acting_user: ActingUser, member: BodyMember) -> None:
    """Deletes a membership row entered by mistake (to record that someone left, use `member_end`)."""
    delete_with_history(member, acting_user=acting_user)


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
    # A wall-clock time read in a zone (naive, or aware in a ZoneInfo as DRF and forms make it)
    # may not exist there: refuse it rather than move it silently.
    read_in = ZoneInfo(series.time_zone) if timezone.is_naive(series.first_start) else series.first_start.tzinfo
    if isinstance(read_in, ZoneInfo) and in_spring_forward_gap(series.first_start.replace(tzinfo=None), read_in):
        raise ValidationError(
            {
                "first_start": _(
                    "%(time)s does not exist in %(zone)s on that day: clocks go forward an hour. Choose another time."
                )
                % {"time": series.first_start.strftime("%Y-%m-%d %H:%M"), "zone": read_in.key}
            }
        )
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
def series_create(*, acting_user: ActingUser, body: Body, data: dict[str, Any]) -> MeetingSeries:
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
    search.index_objects(meetings)


def _untouched_future_meetings(series: MeetingSeries, now: dt.datetime) -> QuerySet[Meeting]:
    """The series' meetings still to come that nobody has worked on, which the series may replace.

    Worked on: minutes, decisions, attendance, agenda items or tasks recorded, or moved or
    cancelled one by one.
    """
    return (
        Meeting.objects.filter(series=series, starts_at__gt=now, is_cancelled=False, original_start__isnull=True)
        .filter(minutes="")
        .exclude(minutes_status=MinutesStatus.APPROVED)
        .filter(decisions__isnull=True, attendances__isnull=True, agenda_items__isnull=True, tasks__isnull=True)
    )


SCHEDULE_FIELDS = ("rrule", "first_start", "time_zone", "on_holiday")


@transaction.atomic
def series_update(*, acting_user: ActingUser, series: MeetingSeries, data: dict[str, Any]) -> MeetingSeries:
    """Changes a series; its meetings still to come follow the change, past meetings never change.

    - Title, place, link and duration: each future meeting takes the new value where it still had
      the series' old one (a meeting given its own title or room keeps it).
    - Rule, first start, time zone or holiday policy: the future meetings nobody has worked on
      (see `_untouched_future_meetings`) are deleted and the new rule's future occurrences are
      created in their place; future meetings with work in them are kept, and the rule does not
      add a second meeting on their slot.
    """
    stored = MeetingSeries.objects.get(pk=series.pk)
    apply_fields(series, data, SERIES_FIELDS)
    series.full_clean(exclude=["title"])
    reschedule = any(getattr(series, name) != getattr(stored, name) for name in SCHEDULE_FIELDS)
    occurrences = _series_occurrences(series) if reschedule else []
    save_with_history(series, acting_user=acting_user)
    now = timezone.now()
    if reschedule:
        _untouched_future_meetings(series, now).delete()
        zone = ZoneInfo(series.time_zone)
        kept = {
            (meeting.original_start or meeting.starts_at).astimezone(zone).replace(tzinfo=None)
            for meeting in Meeting.objects.filter(series=series, starts_at__gt=now)
        }
        _materialise(
            series,
            [
                occurrence
                for occurrence in occurrences
                if occurrence.starts_at > now and occurrence.slot.astimezone(zone).replace(tzinfo=None) not in kept
            ],
        )
    old_duration = dt.timedelta(minutes=stored.duration_minutes)
    new_duration = dt.timedelta(minutes=series.duration_minutes)
    copied = ["place", "online_url", *(f"title_{code}" for code in language_codes())]
    changed: set[str] = set()
    meetings = list(Meeting.objects.filter(series=series, starts_at__gt=now))
    for meeting in meetings:
        for name in copied:
            if getattr(meeting, name) == getattr(stored, name) != getattr(series, name):
                setattr(meeting, name, getattr(series, name))
                changed.add(name)
        if new_duration != old_duration and meeting.ends_at - meeting.starts_at == old_duration:
            meeting.ends_at = meeting.starts_at + new_duration
            changed.add("ends_at")
    if changed:
        # Like the series' creation, its history entry records the change of its meetings.
        Meeting.objects.bulk_update(meetings, sorted(changed), batch_size=500)
        search.index_objects(meetings)
    return series


@transaction.atomic
def series_delete(*, acting_user: ActingUser, series: MeetingSeries) -> tuple[int, int]:
    """Deletes a series and its future meetings nobody has worked on; returns (deleted, kept).

    Past meetings, and future ones with minutes, decisions, attendance, agenda or tasks (or moved
    or cancelled one by one), are kept as single meetings of the body, detached from the series.
    """
    untouched = list(_untouched_future_meetings(series, timezone.now()).values_list("pk", flat=True))
    Meeting.objects.filter(pk__in=untouched).delete()
    deleted = len(untouched)
    kept = Meeting.objects.filter(series=series).count()
    delete_with_history(series, acting_user=acting_user)
    return deleted, kept


# --- Meetings


@transaction.atomic
def meeting_create(*, acting_user: ActingUser, body: Body, data: dict[str, Any]) -> Meeting:
    return _saved(Meeting(body=body), data, MEETING_FIELDS, acting_user)


@transaction.atomic
def meeting_update(*, acting_user: ActingUser, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    if "minutes" in data and meeting.minutes_status == MinutesStatus.APPROVED:
        raise ValidationError(
            {"minutes": _("Approved minutes cannot be changed; a site administrator can reopen them.")}
        )
    return _saved(meeting, data, MEETING_FIELDS, acting_user)


@transaction.atomic
def meeting_move(
    *,
    acting_user: ActingUser,
    meeting: Meeting,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    reason: str = "",
) -> Meeting:
    """Moves one meeting; an occurrence of a series remembers its slot and stays in the series."""
    if ends_at is None:
        ends_at = starts_at + (meeting.ends_at - meeting.starts_at)
    if meeting.series_id and meeting.original_start is None:
        meeting.original_start = meeting.starts_at
    meeting.starts_at = starts_at
    meeting.ends_at = ends_at
    return save_with_history(meeting, acting_user=acting_user, reason=_history_reason(reason))


@transaction.atomic
def meeting_cancel(*, acting_user: ActingUser, meeting: Meeting, reason: str = "") -> Meeting:
    meeting.is_cancelled = True
    return save_with_history(meeting, acting_user=acting_user, reason=_history_reason(reason))


@transaction.atomic
def meeting_delete(*, acting_user: ActingUser, meeting: Meeting) -> None:
    """Deletes a meeting entered by mistake, with its agenda and attendance.

    Refused while it has decisions (the register keeps them; delete or move them first) or
    approved minutes (an approved record is not deleted; cancel the meeting instead). Tasks set
    at it stay with the body.
    """
    if meeting.minutes_status == MinutesStatus.APPROVED:
        raise ValidationError(_("This meeting's minutes are approved; an approved record cannot be deleted."))
    numbers = list(Decision.objects.filter(meeting=meeting).order_by("number").values_list("number", flat=True))
    if numbers:
        raise ValidationError(
            _("Decisions %(numbers)s were taken at this meeting; delete them or link them to another meeting first.")
            % {"numbers": ", ".join(str(number) for number in numbers)}
        )
    delete_with_history(meeting, acting_user=acting_user)


@transaction.atomic
def minutes_approve(*, acting_user: ActingUser, meeting: Meeting) -> Meeting:
    if meeting.minutes_status == MinutesStatus.APPROVED:
        raise ValidationError({"minutes": _("These minutes are already approved.")})
    if not meeting.minutes.strip():
        raise ValidationError({"minutes": _("There are no minutes to approve.")})
    meeting.minutes_status = MinutesStatus.APPROVED
    meeting.minutes_approved_by = signed_in(acting_user)
    meeting.minutes_approved_at = timezone.now()
    return save_with_history(meeting, acting_user=acting_user)


@transaction.atomic
def minutes_reopen(*, acting_user: ActingUser, meeting: Meeting, reason: str) -> Meeting:
    """Turns approved minutes back into a draft, for a site admin to correct an approved record.

    Who reopened them and why are kept in the meeting's history (user and change reason); the
    minutes are then changed and approved again as usual.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the approved minutes are reopened.")})
    if meeting.minutes_status != MinutesStatus.APPROVED:
        raise ValidationError({"minutes": _("These minutes are not approved; there is nothing to reopen.")})
    meeting.minutes_status = MinutesStatus.DRAFT
    meeting.minutes_approved_by = None
    meeting.minutes_approved_at = None
    return save_with_history(
        meeting, acting_user=acting_user, reason=_history_reason(_("Minutes reopened: %(reason)s") % {"reason": reason})
    )


# --- Agenda


def _check_agenda_action(item: AgendaItem) -> None:
    if item.action is not None and item.action.plan_id != item.meeting.body.plan_id:
        raise ValidationError({"action": _("This belongs to another plan.")})


@transaction.atomic
def agenda_item_create(*, acting_user: ActingUser, meeting: Meeting, data: dict[str, Any]) -> AgendaItem:
    """Adds an item to a meeting's agenda; without a position it goes last."""
    item = AgendaItem(meeting=meeting)
    apply_fields(item, data, AGENDA_ITEM_FIELDS)
    if not data.get("position"):
        last = AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"]
        item.position = 1 if last is None else last + 1
    _check_agenda_action(item)
    return save_with_history(item, acting_user=acting_user)


@transaction.atomic
def agenda_item_update(*, acting_user: ActingUser, item: AgendaItem, data: dict[str, Any]) -> AgendaItem:
    apply_fields(item, data, AGENDA_ITEM_FIELDS)
    _check_agenda_action(item)
    return save_with_history(item, acting_user=acting_user)


@transaction.atomic
def agenda_item_delete(*, acting_user: ActingUser, item: AgendaItem) -> None:
    delete_with_history(item, acting_user=acting_user)


# --- Decisions


@transaction.atomic
def decision_record(*, acting_user: ActingUser, body: Body, data: dict[str, Any]) -> Decision:
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
def decision_update(*, acting_user: ActingUser, decision: Decision, data: dict[str, Any]) -> Decision:
    """Changes a decision's text or links; its number never changes."""
    return _saved(decision, data, DECISION_FIELDS, acting_user)


@transaction.atomic
def decision_delete(*, acting_user: ActingUser, decision: Decision) -> None:
    """Deletes a decision recorded by mistake.

    Refused while tasks follow it up (they would lose what they carry out: unlink or delete them
    first) or once the minutes of the meeting where it was taken are approved. The numbers of
    the other decisions do not change; the highest number, if deleted, is given again.
    """
    if decision.meeting is not None and decision.meeting.minutes_status == MinutesStatus.APPROVED:
        raise ValidationError(
            _("The minutes of the meeting where this decision was taken are approved; it cannot be deleted.")
        )
    titles = list(Task.objects.filter(decision=decision).order_by("due_date", "id").values_list("title", flat=True))
    if titles:
        raise ValidationError(
            _("Tasks follow up this decision (%(tasks)s); unlink or delete them first.")
            % {"tasks": ", ".join(f"“{title}”" for title in titles)}
        )
    delete_with_history(decision, acting_user=acting_user)


# --- Tasks


def _check_owner(task: Task) -> None:
    if task.owner_id and not is_member(body=task.body, person=task.owner):
        raise ValidationError({"owner": _("%(person)s is not a member of this body.") % {"person": task.owner}})


@transaction.atomic
def task_create(*, acting_user: ActingUser, body: Body, data: dict[str, Any]) -> Task:
    task = Task(body=body)
    apply_fields(task, data, TASK_FIELDS)
    task.full_clean(exclude=["title"])
    _check_owner(task)
    return save_with_history(task, acting_user=acting_user)


@transaction.atomic
def task_update(*, acting_user: ActingUser, task: Task, data: dict[str, Any]) -> Task:
    apply_fields(task, data, TASK_FIELDS)
    if task.status not in TaskStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    # Compared with the stored row, not the instance, which a refused call may have changed.
    stored_owner_id = Task.objects.filter(pk=task.pk).values_list("owner_id", flat=True).first()
    if task.owner_id != stored_owner_id:
        _check_owner(task)
    return save_with_history(task, acting_user=acting_user)


@transaction.atomic
def task_delete(*, acting_user: ActingUser, task: Task) -> None:
    delete_with_history(task, acting_user=acting_user)


# --- Attendance


@transaction.atomic
def attendance_record(
    *,
    acting_user: ActingUser,
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


@transaction.atomic
def attendance_create(*, acting_user: ActingUser, meeting: Meeting, data: dict[str, Any]) -> Attendance:
    """Records one person's attendance (present unless told); recording a person again updates their row."""
    status = data.get("status", Attendance._meta.get_field("status").default)
    return _attendance_of(acting_user, meeting, data["person"], status, data.get("organization"))


@transaction.atomic
def attendance_update(*, acting_user: ActingUser, attendance: Attendance, data: dict[str, Any]) -> Attendance:
    """Changes one row's status or organisation (the member's own when not given); meeting and person stay."""
    status = data.get("status", attendance.status)
    return _attendance_of(acting_user, attendance.meeting, attendance.person, status, data.get("organization"))


def _attendance_of(
    acting_user: ActingUser, meeting: Meeting, person: Person, status: str, organization: Organization | None
) -> Attendance:
    organizations = {person: organization} if organization else None
    (row,) = attendance_record(
        acting_user=acting_user, meeting=meeting, statuses={person: status}, organizations=organizations
    )
    return row


@transaction.atomic
def attendance_delete(*, acting_user: ActingUser, attendance: Attendance) -> None:
    delete_with_history(attendance, acting_user=acting_user)


# --- Reports


@transaction.atomic
def report_file(*, acting_user: ActingUser, body: Body, data: dict[str, Any]) -> Report:
    """Files a status report to the body that follows this one up (if any) at this moment."""
    report = Report(body=body, addressed_to_id=body.followed_up_by_id)
    apply_fields(report, data, REPORT_FIELDS)
    report.filed_by = signed_in(acting_user)
    return save_with_history(report, acting_user=acting_user)


@transaction.atomic
def report_update(*, acting_user: ActingUser, report: Report, data: dict[str, Any]) -> Report:
    return _saved(report, data, REPORT_FIELDS, acting_user)


@transaction.atomic
def report_delete(*, acting_user: ActingUser, report: Report) -> None:
    delete_with_history(report, acting_user=acting_user)


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
