"""Who may see and change governance bodies and their meetings: one set of rules for pages, admin and API.

- Who sees a body and what it holds is its entity's visibility rule (governance/entities.py),
  which is also every `governance.view_*` permission.
- Plan editors (`strategy` `can_edit` on the body's plan) and site admins create and change
  bodies, their members and meeting series.
- A body's current chair and secretary (a member whose person is the user) also run its
  meetings, agenda, minutes, decisions and tasks, while the plan is not closed.
- Approved minutes are frozen for everyone. A site admin may reopen them (`reopen_minutes`,
  service `minutes_reopen`, which records who and why); reopened minutes are a draft again,
  changed and approved as before.
"""

import rules

from municipia.governance.choices import MinutesStatus
from municipia.governance.entities import officer_body_ids
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
from municipia.organizations.permissions import is_site_admin
from municipia.strategy.models import Plan
from municipia.strategy.permissions import can_edit as can_edit_plan
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


@rules.predicate
def edits_body_plan(user, obj) -> bool:
    body = body_of(obj)
    plan = body.plan if body is not None else obj if isinstance(obj, Plan) else None
    return plan is not None and can_edit_plan.test(user, plan)


@rules.predicate
def is_body_officer(user, obj) -> bool:
    body = body_of(obj)
    return body is not None and body.pk in officer_body_ids(user)


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


can_edit_body = is_site_admin | edits_body_plan
can_run_meetings = can_edit_body | (is_body_officer & body_plan_is_open)

# `add_body` receives the plan the body will belong to.
rules.add_perm("governance.add_body", can_edit_body)
rules.add_perm("governance.change_body", can_edit_body)
rules.add_perm("governance.delete_body", can_edit_body)

# Members and series: `add_*` receives the body, the others the element.
for model_name in ("bodymember", "meetingseries"):
    rules.add_perm(f"governance.add_{model_name}", can_edit_body)
    rules.add_perm(f"governance.change_{model_name}", can_edit_body)
    rules.add_perm(f"governance.delete_{model_name}", can_edit_body)

for model_name in ("meeting", "agendaitem", "attendance", "decision", "task"):
    rules.add_perm(f"governance.add_{model_name}", can_run_meetings)
    rules.add_perm(f"governance.change_{model_name}", can_run_meetings)
    rules.add_perm(f"governance.delete_{model_name}", can_run_meetings)

# Minutes: drafted and approved by those who run the meetings; once approved, frozen for
# everyone (the same answer as `services.meeting_update`) until a site admin reopens them.
rules.add_perm("governance.change_minutes", can_run_meetings & minutes_are_draft)
rules.add_perm("governance.approve_minutes", can_run_meetings & minutes_are_draft)
rules.add_perm("governance.reopen_minutes", is_site_admin & minutes_are_approved)

# Reports: filed by those who run the reporting body's meetings (who reads them: entities.REPORT).
rules.add_perm("governance.add_report", can_run_meetings)
rules.add_perm("governance.change_report", can_run_meetings)
rules.add_perm("governance.delete_report", can_run_meetings)
