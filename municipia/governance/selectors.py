"""Reads of governance bodies and meetings, scoped to what the user may see, in fixed queries."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from municipia.core.history import history_entries
from municipia.core.sections import WorkItem, WorkList
from municipia.core.visibility import User
from municipia.governance.choices import OFFICER_ROLES, BodyKind, InvitationStatus, MinutesStatus, TaskStatus
from municipia.governance.entities import BODY, MEETING, TASK
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
from municipia.organizations.models import Person
from municipia.organizations.selectors import person_of_user
from municipia.strategy.models import Plan


def person_of(user: User) -> Person | None:
    """The person record of a signed-in user, if any."""
    return person_of_user(user)


# --- Pages: everything one page shows, in a fixed number of queries.

UPCOMING_ON_BODY_PAGE = 8
PAST_ON_BODY_PAGE = 12
OVERDUE_ON_PLAN_PAGE = 10


def _current_members(on: dt.date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def _overdue(today: dt.date) -> Q:
    return Q(status=TaskStatus.OPEN, due_date__lt=today)


def _next_meeting(now: dt.datetime) -> QuerySet[Meeting]:
    """The first meeting still to come of the outer body, for use in a Subquery."""
    return Meeting.objects.filter(body_id=OuterRef("pk"), starts_at__gte=now, is_cancelled=False).order_by(
        "starts_at", "id"
    )


def plan_bodies(user: User, plan: Plan) -> list[Body]:
    """A plan's bodies that the user sees, with member count, next meeting and overdue tasks; one query."""
    now = timezone.now()
    today = timezone.localdate()
    next_meeting = _next_meeting(now)
    members = (
        BodyMember.objects.filter(body_id=OuterRef("pk"))
        .filter(_current_members(today))
        .order_by()
        .values("body_id")
        .annotate(n=Count("person_id", distinct=True))
        .values("n")
    )
    overdue = (
        Task.objects.filter(body_id=OuterRef("pk"))
        .filter(_overdue(today))
        .order_by()
        .values("body_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return list(
        BODY.visible(user)
        .filter(plan=plan)
        .select_related("axis", "action", "followed_up_by")
        .annotate(
            member_count=Coalesce(Subquery(members), 0),
            overdue_count=Coalesce(Subquery(overdue), 0),
            next_meeting_at=Subquery(next_meeting.values("starts_at")[:1]),
            next_meeting_id=Subquery(next_meeting.values("id")[:1]),
        )
        .order_by("kind", "name", "id")
    )


def plan_overdue_tasks(user: User, plan: Plan, *, limit: int = OVERDUE_ON_PLAN_PAGE) -> list[Task]:
    """The oldest overdue tasks of the plan's bodies the user sees; one query."""
    return list(
        TASK.visible(user)
        .filter(body__plan=plan)
        .filter(_overdue(timezone.localdate()))
        .select_related("body", "owner")
        .order_by("due_date", "id")[:limit]
    )


@dataclass
class BodyPage:
    """What a body's page shows (each list fetched once)."""

    body: Body
    members: list[BodyMember]
    series: list[MeetingSeries]
    upcoming: list[Meeting]
    past: list[Meeting]
    decisions: list[Decision]
    tasks: list[Task]
    reports: list[Report]
    followed: list[Body]
    followed_reports: dict[int, Report] = field(default_factory=dict)
    followed_overdue: list[Task] = field(default_factory=list)
    followed_next: dict[int, Meeting] = field(default_factory=dict)


def body_page_get(user: User, *, pk: int) -> Body:
    """A body for its page, with its plan, axis, action and follower; 404 alike for missing and forbidden."""
    try:
        return BODY.visible(user).select_related("plan__owner", "axis__plan", "action", "followed_up_by").get(pk=pk)
    except (Body.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def body_page(user: User, body: Body) -> BodyPage:
    """A body's members, series, meetings, register of decisions, tasks and reports.

    For a body that follows others up, also each followed group's latest report, next meeting
    and overdue tasks: one query per list whatever the number of groups.
    """
    now = timezone.now()
    today = timezone.localdate()
    # Through the related manager, each meeting knows its body without a query (for its time zone).
    meetings = body.meetings.select_related("series")
    followed = list(
        BODY.visible(user).filter(followed_up_by=body).select_related("action").order_by("kind", "name", "id")
    )
    page = BodyPage(
        body=body,
        members=list(
            BodyMember.objects.filter(body=body)
            .select_related("person", "organization")
            .order_by("role", "person__full_name", "start_date", "id")
        ),
        series=list(MeetingSeries.objects.filter(body=body).order_by("first_start", "id")),
        upcoming=list(meetings.filter(starts_at__gte=now).order_by("starts_at", "id")[:UPCOMING_ON_BODY_PAGE]),
        past=list(meetings.filter(starts_at__lt=now).order_by("-starts_at", "-id")[:PAST_ON_BODY_PAGE]),
        decisions=list(Decision.objects.filter(body=body).select_related("meeting", "action").order_by("-number")),
        tasks=list(
            Task.objects.filter(body=body).select_related("owner", "decision", "action").order_by("due_date", "id")
        ),
        reports=list(
            Report.objects.filter(body=body).select_related("addressed_to", "filed_by").order_by("-period_end", "-id")
        ),
        followed=followed,
    )
    if followed:
        ids = [group.pk for group in followed]
        latest = Report.objects.filter(body_id=OuterRef("body_id")).order_by("-period_end", "-id").values("pk")[:1]
        page.followed_reports = {
            report.body_id: report for report in Report.objects.filter(body_id__in=ids, pk=Subquery(latest))
        }
        first = (
            Meeting.objects.filter(body_id=OuterRef("body_id"), starts_at__gte=now, is_cancelled=False)
            .order_by("starts_at", "id")
            .values("pk")[:1]
        )
        page.followed_next = {
            meeting.body_id: meeting
            for meeting in Meeting.objects.filter(body_id__in=ids, pk=Subquery(first)).select_related("series", "body")
        }
        page.followed_overdue = list(
            Task.objects.filter(body_id__in=ids)
            .filter(_overdue(today))
            .select_related("owner", "body")
            .order_by("due_date", "id")
        )
    return page


def meeting_get(user: User, *, pk: int) -> Meeting:
    """A meeting with its body, plan and series; 404 alike for missing and forbidden."""
    return cast(Meeting, MEETING.get(user, pk=pk))


def meeting_members(meeting: Meeting) -> list[BodyMember]:
    """Who sits in the meeting's body on the meeting's day, one row per person; one query."""
    day = timezone.localtime(meeting.starts_at, ZoneInfo(meeting.time_zone)).date()
    rows = (
        BodyMember.objects.filter(body_id=meeting.body_id)
        .filter(_current_members(day))
        .select_related("person", "organization")
        .order_by("person__full_name", "person_id", "role", "id")
    )
    seen: set[int] = set()
    members = []
    for row in rows:
        if row.person_id not in seen:
            seen.add(row.person_id)
            members.append(row)
    return members


def recorded_attendance(meeting: Meeting) -> dict[int, str]:
    """The status recorded for each person at a meeting, by person id; one query."""
    return dict(Attendance.objects.filter(meeting=meeting).values_list("person_id", "status"))


@dataclass
class MeetingPage:
    meeting: Meeting
    agenda: list[AgendaItem]
    attendances: list[Attendance]
    members: list[BodyMember]
    decisions: list[Decision]
    tasks: list[Task]


def meeting_page(meeting: Meeting) -> MeetingPage:
    """A meeting's agenda, attendance, members, decisions and the tasks set at it or arising from its decisions."""
    return MeetingPage(
        meeting=meeting,
        agenda=list(
            AgendaItem.objects.filter(meeting=meeting).select_related("presenter", "action").order_by("position", "id")
        ),
        attendances=list(
            Attendance.objects.filter(meeting=meeting)
            .select_related("person", "organization")
            .order_by("person__full_name", "id")
        ),
        members=meeting_members(meeting),
        decisions=list(Decision.objects.filter(meeting=meeting).select_related("action").order_by("number")),
        tasks=list(
            # Set at this meeting, or following up a decision taken at it.
            Task.objects.filter(Q(meeting=meeting) | Q(decision__meeting=meeting))
            .select_related("owner", "decision", "action")
            .order_by("due_date", "id")
        ),
    )


def calendar_meetings(user: User, *, upcoming: bool = True) -> QuerySet[Meeting]:
    """Meetings the user sees, soonest first; with `upcoming`, only from today on.

    The calendar page narrows this with `filters.MeetingFilter`, as the API does.
    """
    meetings = MEETING.visible(user).select_related("body__plan", "series")
    if upcoming:
        since = dt.datetime.combine(timezone.localdate(), dt.time.min, tzinfo=timezone.get_current_timezone())
        meetings = meetings.filter(starts_at__gte=since)
    return meetings.order_by("starts_at", "id")


@dataclass
class PersonPage:
    """A signed-in person's governance: bodies, next meetings, tasks and private feed."""

    person: Person | None
    memberships: list[BodyMember] = field(default_factory=list)
    upcoming: list[Meeting] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    token: CalendarToken | None = None
    invitations: list[BodyInvitation] = field(default_factory=list)


def person_page(user: User, *, upcoming_limit: int = 10) -> PersonPage:
    """The signed-in user's memberships, next meetings, open tasks and feed token."""
    person = person_of(user)
    if person is None:
        return PersonPage(person=None)
    today = timezone.localdate()
    memberships = list(
        BodyMember.objects.filter(person=person)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("body__plan", "organization")
        .order_by("body__name", "start_date", "id")
    )
    body_ids = {m.body_id for m in memberships}
    upcoming = list(
        MEETING.visible(user)
        .filter(body_id__in=body_ids, starts_at__gte=timezone.now())
        .select_related("body", "series")
        .order_by("starts_at", "id")[:upcoming_limit]
    )
    tasks = list(
        TASK.visible(user)
        .filter(owner=person, status=TaskStatus.OPEN)
        .select_related("body", "decision", "owner")
        .order_by("due_date", "id")
    )
    token = CalendarToken.objects.filter(person=person, revoked_at__isnull=True).first()
    return PersonPage(
        person=person,
        memberships=memberships,
        upcoming=upcoming,
        tasks=tasks,
        token=token,
        invitations=list(pending_invitations(person)),
    )


# --- Invitations to bodies (services.invitation_create): seen by the person invited and the body's editors.


def pending_invitations(person: Person) -> QuerySet[BodyInvitation]:
    """The invitations `person` has not answered yet, with what a page shows of each."""
    return (
        BodyInvitation.objects.filter(person=person, status=InvitationStatus.PENDING)
        .select_related("body__plan", "organization", "invited_by")
        .order_by("-created_at", "-id")
    )


def invitation_for_invitee(user: User, pk: int | str) -> BodyInvitation:
    """An invitation addressed to the user's own person; 404 alike for missing and someone else's."""
    try:
        return BodyInvitation.objects.select_related("body__plan", "person").get(pk=pk, person__user_id=user.pk or 0)
    except (BodyInvitation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def invitation_get(user: User, pk: int | str) -> BodyInvitation:
    """An invitation the user may see (`invitations_visible_to`); 404 alike for missing and forbidden."""
    try:
        return invitations_visible_to(user).get(pk=pk)
    except (BodyInvitation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def invitations_of_body(body: Body) -> list[BodyInvitation]:
    """A body's invitations still awaiting an answer, or declined in the last answers (for its editors)."""
    return list(
        BodyInvitation.objects.filter(body=body)
        .exclude(status__in=[InvitationStatus.ACCEPTED, InvitationStatus.WITHDRAWN])
        .select_related("person", "organization")
        .order_by("status", "-created_at", "-id")[:50]
    )


def invitations_visible_to(user: User) -> QuerySet[BodyInvitation]:
    """Invitations to the user's person, and those of bodies whose plan the user edits (the API list)."""
    from municipia.core.visibility import is_site_admin
    from municipia.organizations.permissions import editable_organization_ids

    queryset = BodyInvitation.objects.select_related("body__plan", "person", "organization", "invited_by")
    if is_site_admin(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(Q(person__user_id=user.pk) | Q(body__plan__owner_id__in=editable_organization_ids(user)))


def plan_governance_section(user: User, plan: Plan) -> dict[str, list]:
    """The plan page's governance section: its bodies and overdue tasks (two queries, or one when the
    plan has no body at all)."""
    # Most plans have no coordination or working group: one plain look-up answers that for a fraction
    # of the cost of building the two annotated, visibility-filtered queries (measured on the
    # 2,000-plan data set, where 12 % of plans have bodies: about a sixth of a plan page's time).
    if not Body.objects.filter(plan_id=plan.pk).exists():
        return {"governance_bodies": [], "governance_overdue": []}
    return {"governance_bodies": plan_bodies(user, plan), "governance_overdue": plan_overdue_tasks(user, plan)}


# --- For other apps (partnerships' commitments and news link to meetings and tasks).


def tasks_of_plan_owners(organization_ids: Iterable[int]) -> QuerySet[Task]:
    """The tasks of the bodies of the plans these organisations own."""
    return Task.objects.filter(body__plan__owner_id__in=organization_ids)


def meetings_of_plan_owners(organization_ids: Iterable[int]) -> QuerySet[Meeting]:
    """The meetings of the bodies of the plans these organisations own."""
    return Meeting.objects.filter(body__plan__owner_id__in=organization_ids)


def my_work_governance(user: User) -> list[WorkList]:
    """The "My work" lists of governance: next meetings, minutes awaiting approval where I am an
    officer, my overdue tasks; `/governance/me/` has the rest (bodies, calendar address)."""
    page = person_page(user, upcoming_limit=5)
    if page.person is None:
        return []
    today = timezone.localdate()
    more = [(_("My bodies, meetings, tasks and private calendar"), reverse("governance:my-governance"))]
    meetings = WorkList(
        key="meetings",
        title=_("My next meetings"),
        items=[
            WorkItem(str(m.body), m.get_absolute_url(), date_format(timezone.localtime(m.starts_at), "DATETIME_FORMAT"))
            for m in page.upcoming
        ],
        total=len(page.upcoming),
        empty=_("No meetings coming up."),
        links=more,
    )
    officer_bodies = [m.body_id for m in page.memberships if m.role in OFFICER_ROLES]
    awaiting = list(
        MEETING.visible(user)
        .filter(
            body_id__in=officer_bodies,
            minutes_status=MinutesStatus.DRAFT,
            is_cancelled=False,
            starts_at__lt=timezone.now(),
        )
        .exclude(minutes="")
        .select_related("body")
        .order_by("-starts_at", "id")[:25]
    )
    minutes = WorkList(
        key="minutes",
        title=_("Minutes awaiting approval"),
        items=[
            WorkItem(str(m.body), m.get_absolute_url(), date_format(timezone.localtime(m.starts_at), "DATE_FORMAT"))
            for m in awaiting
        ],
        total=len(awaiting),
        empty=_("No minutes await your approval."),
    )
    overdue = [task for task in page.tasks if task.due_date and task.due_date < today]
    tasks = WorkList(
        key="tasks",
        title=_("My overdue tasks"),
        items=[
            WorkItem(
                task.title,
                reverse("governance:body-detail", args=[task.body_id]) + "#tasks",
                _("%(body)s · due %(date)s") % {"body": task.body, "date": date_format(task.due_date, "DATE_FORMAT")},
                status="late",
                status_label=str(_("Overdue")),
            )
            for task in overdue[:25]
        ],
        total=len(overdue),
        empty=_("No overdue tasks."),
    )
    lists = [meetings, minutes, tasks]
    if page.invitations:
        # Only while there is something to answer: an invitation is rare, and waits for a yes or no.
        invited = WorkList(
            key="invitations",
            title=_("Invitations to bodies"),
            items=[
                WorkItem(
                    str(invitation.body),
                    reverse("governance:my-governance") + "#invitations",
                    _("%(role)s · awaiting your answer") % {"role": invitation.get_role_display()},
                )
                for invitation in page.invitations
            ],
            total=len(page.invitations),
            empty="",
        )
        lists.insert(0, invited)
    return lists


def meeting_history(meeting: Meeting, *, limit: int = 100) -> list:
    """The readable change history of a meeting, its decisions and its tasks, newest first (three queries)."""
    records = [
        *Meeting.history.filter(id=meeting.pk).select_related("history_user"),  # type: ignore[attr-defined]
        *Decision.history.filter(meeting_id=meeting.pk).select_related("history_user"),  # type: ignore[attr-defined]
        *Task.history.filter(meeting_id=meeting.pk).select_related("history_user"),  # type: ignore[attr-defined]
    ]
    return history_entries(records, limit=limit)


def coordination_groups(body_ids: Iterable[int], *, plan_id: int | None = None) -> QuerySet[Body]:
    """The coordination groups among these bodies (of one plan, if given)."""
    groups = Body.objects.filter(pk__in=body_ids, kind=BodyKind.COORDINATION_GROUP)
    return groups.filter(plan_id=plan_id) if plan_id is not None else groups


def action_task_counts(action_ids: Any) -> dict[int, tuple[int, int]]:
    """Action id → (its follow-up tasks not cancelled, those done), in one query (core.sections.linked_work)."""
    rows = (
        Task.objects.filter(action_id__in=action_ids)
        .exclude(status=TaskStatus.CANCELLED)
        .values("action_id")
        .annotate(count=Count("id"), done=Count("id", filter=Q(status=TaskStatus.DONE)))
    )
    return {row["action_id"]: (row["count"], row["done"]) for row in rows}
