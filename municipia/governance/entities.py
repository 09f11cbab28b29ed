"""Governance bodies and everything held in them, each declared once (see municipia.core.entities).

Who sees a body: editors (a council's) or coordinators (a network's) of its plan's owner, the
people who sit in it today, and — for a public body of a published plan — everyone. Everything
held in a body (members, series, meetings, agenda, attendance, decisions, tasks) is seen by
whoever sees the body; a report also by whoever sees the body it is addressed to. Site
administrators see everything (core.visibility).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from municipia.core.entities import Entity, register
from municipia.core.search import searchable
from municipia.core.visibility import NOTHING, Among, Custom, Is, Rule, User, resolve
from municipia.governance.choices import OFFICER_ROLES
from municipia.governance.models import (
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    Decision,
    Meeting,
    MeetingSeries,
    Report,
    Task,
)
from municipia.organizations.permissions import editable_organization_ids

SERVICES = "municipia.governance.services"
FORMS = "municipia.governance.forms"


def _current_seats(user: User) -> QuerySet[BodyMember]:
    """The memberships the user's person holds today (membership counts by date)."""
    today = timezone.localdate()
    return BodyMember.objects.filter(person__user_id=user.pk, start_date__lte=today).exclude(end_date__lt=today)


def _seats(user: User) -> frozenset[tuple[int, str]]:
    """(body id, role) of every seat the user's person holds today; one query, cached on the user."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_municipia_governance_seats", None)
    if cached is None:
        cached = frozenset(_current_seats(user).values_list("body_id", "role"))
        user._municipia_governance_seats = cached  # type: ignore[union-attr,attr-defined]
    return cached


def officer_body_ids(user: User) -> frozenset[int]:
    """Bodies where the user's person is chair or secretary today."""
    return frozenset(body_id for body_id, role in _seats(user) if role in OFFICER_ROLES)


def member_body_ids(user: User) -> frozenset[int]:
    """Bodies where the user's person sits today, in any role (membership counts by date)."""
    return frozenset(body_id for body_id, _role in _seats(user))


def _sits_in(path: str) -> Rule:
    """The user's person sits today in the body at `path` ("" for a body itself).

    In SQL a subquery of today's seats (lists cost no query of their own); for one object, the
    seats read once and kept on the user (permission checks share them, see `officer_body_ids`).
    """
    field = f"{path}_id" if path else "pk"

    def q(user: User) -> Q:
        return Q(**{f"{field}__in": _current_seats(user).values("body_id")}) if user.is_authenticated else NOTHING

    def test(user: User, obj: Model) -> bool:
        seats = member_body_ids(user)
        return any(body_id in seats for body_id in resolve(obj, field))

    return Custom(q=q, test=test)


def _of_body(path: str) -> Rule:
    """The body rule, for an object that reaches its body through `path` ("" for a body itself)."""
    prefix = f"{path}__" if path else ""
    return (
        Among(f"{prefix}plan__owner_id", editable_organization_ids)
        | _sits_in(path)
        # A public body of a published plan; its plan's editors are covered by the first term.
        | (Is(f"{prefix}is_public") & Is(f"{prefix}plan__is_published"))
    )


# Where pages go after a save or delete: the page of the body or meeting the object belongs to
# (`obj` is any of the entities below, so it is typed loosely).


def _body_page(obj: Any, anchor: str = "") -> str:
    return reverse("governance:body-detail", kwargs={"pk": obj.pk if isinstance(obj, Body) else obj.body_id}) + anchor


def _meeting_page(obj: Any, anchor: str = "") -> str:
    pk = obj.pk if isinstance(obj, Meeting) else obj.meeting_id
    return reverse("governance:meeting-detail", kwargs={"pk": pk}) + anchor


def _plan_bodies_page(body: Any) -> str:
    return reverse("governance:plan-bodies", kwargs={"slug": body.plan.slug})


BODY = register(
    Entity(
        model=Body,
        visibility=_of_body(""),
        parent="plan",
        fields=(
            "name",
            "mandate",
            "kind",
            "axis",
            "action",
            "followed_up_by",
            "holiday_region",
            "time_zone",
            "is_public",
        ),
        translated=("name", "mandate"),
        create=f"{SERVICES}.body_create",
        update=f"{SERVICES}.body_update",
        delete=f"{SERVICES}.body_delete",
        select_related=("plan__owner",),
        titles=(_("New body"), _("Edit body")),
        messages=(_("Body created."), _("Body saved."), _("Body deleted.")),
        form=f"{FORMS}.BodyForm",
        after_delete=_plan_bodies_page,
    )
)

MEMBER = register(
    Entity(
        model=BodyMember,
        visibility=_of_body("body"),
        parent="body",
        # The person is chosen when the member is added; afterwards only role, organisation and dates change.
        fields=("person", "organization", "role", "start_date", "end_date"),
        create=f"{SERVICES}.member_create",
        update=f"{SERVICES}.member_update",
        delete=f"{SERVICES}.member_remove",
        object_arg="member",
        select_related=("body__plan__owner", "person", "organization"),
        titles=(_("Add member"), _("Edit member")),
        messages=(_("Member added."), _("Member saved."), _("Membership deleted.")),
        form=f"{FORMS}.MemberForm",
        after_save=_body_page,
        after_delete=lambda member: _body_page(member, "#members"),
    )
)

SERIES = register(
    Entity(
        model=MeetingSeries,
        visibility=_of_body("body"),
        parent="body",
        fields=("title", "rrule", "first_start", "time_zone", "duration_minutes", "place", "online_url", "on_holiday"),
        translated=("title",),
        create=f"{SERVICES}.series_create",
        update=f"{SERVICES}.series_update",
        delete=f"{SERVICES}.series_delete",
        object_arg="series",
        select_related=("body__plan__owner",),
        titles=(_("New meeting series"), _("Edit meeting series")),
        messages=("", _("Series saved."), ""),
        form=f"{FORMS}.SeriesForm",
        after_save=_body_page,
        after_delete=_body_page,
    )
)

MEETING = register(
    Entity(
        model=Meeting,
        visibility=_of_body("body"),
        parent="body",
        fields=("title", "starts_at", "ends_at", "place", "online_url", "minutes"),
        translated=("title",),
        create=f"{SERVICES}.meeting_create",
        update=f"{SERVICES}.meeting_update",
        delete=f"{SERVICES}.meeting_delete",
        select_related=("body__plan__owner", "series", "minutes_approved_by"),
        titles=(_("New meeting"), _("Edit meeting")),
        messages=(_("Meeting created."), _("Meeting saved."), _("Meeting deleted.")),
        form=f"{FORMS}.MeetingForm",
        after_delete=_body_page,
    )
)

AGENDA_ITEM = register(
    Entity(
        model=AgendaItem,
        visibility=_of_body("meeting__body"),
        parent="meeting",
        fields=("title", "position", "presenter", "action"),
        translated=("title",),
        create=f"{SERVICES}.agenda_item_create",
        update=f"{SERVICES}.agenda_item_update",
        delete=f"{SERVICES}.agenda_item_delete",
        object_arg="item",
        select_related=("meeting__body__plan__owner", "meeting__series"),
        titles=(_("Add agenda item"), _("Edit agenda item")),
        messages=("", "", _("Agenda item deleted.")),
        form=f"{FORMS}.AgendaItemForm",
        after_save=lambda item: _meeting_page(item, "#agenda"),
        after_delete=lambda item: _meeting_page(item, "#agenda"),
    )
)

ATTENDANCE = register(
    Entity(
        model=Attendance,
        visibility=_of_body("meeting__body"),
        parent="meeting",
        fields=("person", "organization", "status"),
        create=f"{SERVICES}.attendance_create",
        update=f"{SERVICES}.attendance_update",
        delete=f"{SERVICES}.attendance_delete",
        select_related=("meeting__body__plan__owner", "person", "organization"),
        after_save=lambda attendance: _meeting_page(attendance, "#attendance"),
        after_delete=lambda attendance: _meeting_page(attendance, "#attendance"),
    )
)

DECISION = register(
    Entity(
        model=Decision,
        visibility=_of_body("body"),
        parent="body",
        fields=("text", "meeting", "action"),
        translated=("text",),
        create=f"{SERVICES}.decision_record",
        update=f"{SERVICES}.decision_update",
        delete=f"{SERVICES}.decision_delete",
        select_related=("body__plan__owner",),
        titles=(_("Record a decision"), _("Edit decision")),
        messages=("", "", _("Decision deleted.")),
        form=f"{FORMS}.DecisionForm",
        after_save=lambda decision: _body_page(decision, "#decisions"),
        after_delete=lambda decision: _body_page(decision, "#decisions"),
    )
)

TASK = register(
    Entity(
        model=Task,
        visibility=_of_body("body"),
        parent="body",
        fields=("title", "meeting", "decision", "action", "owner", "due_date", "status"),
        translated=("title",),
        create=f"{SERVICES}.task_create",
        update=f"{SERVICES}.task_update",
        delete=f"{SERVICES}.task_delete",
        select_related=("body__plan__owner",),
        titles=(_("Add task"), _("Edit task")),
        messages=(_("Task added."), _("Task saved."), _("Task deleted.")),
        form=f"{FORMS}.TaskForm",
        after_save=lambda task: _body_page(task, "#tasks"),
        after_delete=lambda task: _body_page(task, "#tasks"),
    )
)

REPORT = register(
    Entity(
        model=Report,
        # Also read by whoever sees the body the report is addressed to (its follower when filed).
        visibility=_of_body("body") | _of_body("addressed_to"),
        parent="body",
        fields=("progress", "issues", "next_steps", "period_start", "period_end", "progress_percent"),
        translated=("progress", "issues", "next_steps"),
        create=f"{SERVICES}.report_file",
        update=f"{SERVICES}.report_update",
        delete=f"{SERVICES}.report_delete",
        select_related=("body__plan__owner", "body__followed_up_by"),
        titles=(_("File a report"), _("Edit report")),
        messages=(_("Report filed."), _("Report saved."), _("Report deleted.")),
        form=f"{FORMS}.ReportForm",
        after_save=lambda report: _body_page(report, "#reports"),
        after_delete=lambda report: _body_page(report, "#reports"),
    )
)

searchable(
    Meeting,
    kind="meeting",
    title=("title",),
    label=_("Meetings"),
    meta=lambda meeting: f"{date_format(timezone.localtime(meeting.starts_at), 'DATE_FORMAT')} · {meeting.body}",
)
