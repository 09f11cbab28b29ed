"""Who may see and change governance bodies and their meetings: one set of rules for pages, admin and API.

- Everyone sees public bodies of plans they can see; members, plan editors and site admins
  also see the body's private content.
- Plan editors (`strategy` `can_edit` on the body's plan) and site admins create and change
  bodies, their members and meeting series.
- A body's current chair and secretary (a member whose person is the user) also run its
  meetings, agenda, minutes, decisions and tasks, while the plan is not closed.
- Approved minutes are frozen for everyone. A site admin may reopen them (`reopen_minutes`,
  service `minutes_reopen`, which records who and why); reopened minutes are a draft again,
  changed and approved as before.
"""

import rules
from django.utils import timezone

from municipia.governance.choices import OFFICER_ROLES, MinutesStatus
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
from municipia.organizations.permissions import editable_organization_ids, is_site_admin
from municipia.strategy.models import Plan
from municipia.strategy.permissions import can_edit as can_edit_plan
from municipia.strategy.permissions import can_view as can_view_plan
from municipia.strategy.permissions import plan_is_open


def body_of(obj: object) -> Body | None:
    """The body an object belongs to (callers select_related the chain to avoid queries)."""
    if isinstance(obj, Body):
        return obj
    if isinstance(obj, BodyMember | MeetingSeries | Meeting | Decision | Task | Report):
        return obj.body
    if isinstance(obj, AgendaItem | Attendance):
        return obj.meeting.body
    return None


def _body_ids_where(user, roles: tuple[str, ...] | None) -> frozenset[int]:
    """Bodies where the user's person currently sits (in `roles`, or any); one query, cached on the user."""
    if not user.is_authenticated:
        return frozenset()
    cache_name = "_municipia_governance_" + ("officer" if roles else "member") + "_body_ids"
    cached = getattr(user, cache_name, None)
    if cached is None:
        today = timezone.localdate()
        rows = BodyMember.objects.filter(person__user_id=user.pk, start_date__lte=today).exclude(end_date__lt=today)
        if roles:
            rows = rows.filter(role__in=roles)
        cached = frozenset(rows.values_list("body_id", flat=True))
        setattr(user, cache_name, cached)
    return cached


def officer_body_ids(user) -> frozenset[int]:
    return _body_ids_where(user, OFFICER_ROLES)


def member_body_ids(user) -> frozenset[int]:
    return _body_ids_where(user, None)


@rules.predicate
def edits_body_plan(user, obj) -> bool:
    body = body_of(obj)
    plan = body.plan if body is not None else obj if isinstance(obj, Plan) else None
    return plan is not None and can_edit_plan.test(user, plan)


@rules.predicate
def edits_body_plan_owner(user, obj) -> bool:
    body = body_of(obj)
    return body is not None and body.plan.owner_id in editable_organization_ids(user)


@rules.predicate
def is_body_officer(user, obj) -> bool:
    body = body_of(obj)
    return body is not None and body.pk in officer_body_ids(user)


@rules.predicate
def is_body_member(user, obj) -> bool:
    body = body_of(obj)
    return body is not None and body.pk in member_body_ids(user)


@rules.predicate
def body_is_public_in_visible_plan(user, obj) -> bool:
    body = body_of(obj)
    return body is not None and body.is_public and can_view_plan.test(user, body.plan)


@rules.predicate
def body_plan_is_open(user, obj) -> bool:
    body = body_of(obj)
    return body is not None and plan_is_open.test(user, body.plan)


@rules.predicate
def minutes_are_draft(user, obj) -> bool:
    return isinstance(obj, Meeting) and obj.minutes_status == MinutesStatus.DRAFT


@rules.predicate
def minutes_are_approved(user, obj) -> bool:
    return isinstance(obj, Meeting) and obj.minutes_status == MinutesStatus.APPROVED


can_view_body = is_site_admin | edits_body_plan_owner | is_body_member | body_is_public_in_visible_plan


@rules.predicate
def can_view_addressee(user, obj) -> bool:
    """Whoever sees the body a report is addressed to sees the report (callers select_related it)."""
    return isinstance(obj, Report) and obj.addressed_to_id is not None and can_view_body.test(user, obj.addressed_to)


can_edit_body = is_site_admin | edits_body_plan
can_run_meetings = can_edit_body | (is_body_officer & body_plan_is_open)

rules.add_perm("governance.view_body", can_view_body)
# `add_body` receives the plan the body will belong to.
rules.add_perm("governance.add_body", can_edit_body)
rules.add_perm("governance.change_body", can_edit_body)
rules.add_perm("governance.delete_body", can_edit_body)

# Members and series: `add_*` receives the body, the others the element.
for model_name in ("bodymember", "meetingseries"):
    rules.add_perm(f"governance.view_{model_name}", can_view_body)
    rules.add_perm(f"governance.add_{model_name}", can_edit_body)
    rules.add_perm(f"governance.change_{model_name}", can_edit_body)
    rules.add_perm(f"governance.delete_{model_name}", can_edit_body)

for model_name in ("meeting", "agendaitem", "attendance", "decision", "task"):
    rules.add_perm(f"governance.view_{model_name}", can_view_body)
    rules.add_perm(f"governance.add_{model_name}", can_run_meetings)
    rules.add_perm(f"governance.change_{model_name}", can_run_meetings)
    rules.add_perm(f"governance.delete_{model_name}", can_run_meetings)

# Minutes: drafted and approved by those who run the meetings; once approved, frozen for
# everyone (the same answer as `services.meeting_update`) until a site admin reopens them.
rules.add_perm("governance.change_minutes", can_run_meetings & minutes_are_draft)
rules.add_perm("governance.approve_minutes", can_run_meetings & minutes_are_draft)
rules.add_perm("governance.reopen_minutes", is_site_admin & minutes_are_approved)

# Reports: filed by those who run the reporting body's meetings; read also by whoever sees the
# body they are addressed to (the same answer as `selectors.reports_visible_to`).
rules.add_perm("governance.view_report", can_view_body | can_view_addressee)
rules.add_perm("governance.add_report", can_run_meetings)
rules.add_perm("governance.change_report", can_run_meetings)
rules.add_perm("governance.delete_report", can_run_meetings)
