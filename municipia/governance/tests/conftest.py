"""A small governance world shared by the route × role matrices of pages and API."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps

from municipia.governance.choices import BodyKind, MemberRole
from municipia.governance.tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    BodyMemberFactory,
    DecisionFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    ReportFactory,
    TaskFactory,
)
from municipia.organizations.tests.factories import OrganizationFactory, PersonFactory, RoleFactory, UserFactory
from municipia.strategy.choices import PlanStatus
from municipia.strategy.tests.factories import ActionFactory, PlanFactory

MADRID = ZoneInfo("Europe/Madrid")

# Who may write what: body structure (bodies, members, series) belongs to the plan's editors;
# running meetings (agenda, attendance, minutes, decisions, tasks, reports) also to the body's officers.
GOVERNANCE_ROLES = [
    "anonymous",
    "plain user",
    "other council's editor",
    "body member",
    "body secretary",
    "own editor",
    "site admin",
]
STRUCTURE_WRITERS = {"own editor", "site admin"}
MEETING_WRITERS = {"body secretary", "own editor", "site admin"}

GOVERNANCE_TRACKED = [
    "governance.Body",
    "governance.BodyMember",
    "governance.BodyInvitation",
    "governance.MeetingSeries",
    "governance.Meeting",
    "governance.AgendaItem",
    "governance.Attendance",
    "governance.Decision",
    "governance.Task",
    "governance.Report",
]


def governance_fingerprint() -> tuple:
    """Row and history counts, plus each meeting's minutes state: any write changes it."""
    counts = []
    for label in GOVERNANCE_TRACKED:
        model = apps.get_model(label)
        counts.append(model.objects.count())
        counts.append(model.history.count())
    meeting_model = apps.get_model("governance.Meeting")
    counts.append(tuple(meeting_model.objects.order_by("pk").values_list("minutes_status", "is_cancelled")))
    return tuple(counts)


@pytest.fixture
def governance_world(db):
    """A public coordination group of an open plan, a working group it follows, and one user per role."""
    return build_governance_world()


def build_governance_world() -> dict:
    """The rows of `governance_world`, built in the current transaction (a module world calls it directly)."""
    council = OrganizationFactory(slug="own-council")
    plan = PlanFactory(
        owner=council,
        status=PlanStatus.IN_EXECUTION,
        is_published=True,
        slug="own-plan",
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2027, 12, 31),
    )
    action = ActionFactory(objective__axis__plan=plan, code="1.1.1")
    body = BodyFactory(plan=plan, kind=BodyKind.COORDINATION_GROUP, is_public=True)
    working_group = BodyFactory(plan=plan, kind=BodyKind.WORKING_GROUP, followed_up_by=body, is_public=True)

    member_user, secretary_user = UserFactory(), UserFactory()
    member = BodyMemberFactory(body=body, person=PersonFactory(user=member_user, organization=council))
    secretary = BodyMemberFactory(
        body=body, person=PersonFactory(user=secretary_user, organization=council), role=MemberRole.SECRETARY
    )
    BodyMemberFactory(body=working_group, person=secretary.person, role=MemberRole.SECRETARY)
    series = MeetingSeriesFactory(body=body)
    meeting = MeetingFactory(
        body=body,
        series=series,
        starts_at=dt.datetime(2023, 6, 27, 17, 0, tzinfo=MADRID),
        ends_at=dt.datetime(2023, 6, 27, 18, 30, tzinfo=MADRID),
        minutes="Draft minutes.",
    )
    agenda_item = AgendaItemFactory(meeting=meeting, position=1)
    decision = DecisionFactory(body=body, meeting=meeting, number=1)
    task = TaskFactory(body=body, owner=member.person, decision=decision, due_date=dt.date(2023, 7, 31))
    report = ReportFactory(body=working_group, addressed_to=body)
    users = {
        "anonymous": None,
        "plain user": UserFactory(),
        "other council's editor": RoleFactory(organization=OrganizationFactory()).user,
        "body member": member_user,
        "body secretary": secretary_user,
        "own editor": RoleFactory(organization=council).user,
        "site admin": UserFactory(is_superuser=True, is_staff=True),
    }
    return {
        "council": council,
        "plan": plan,
        "action": action,
        "body": body,
        "working_group": working_group,
        "member": member,
        "secretary": secretary,
        "series": series,
        "meeting": meeting,
        "agenda_item": agenda_item,
        "decision": decision,
        "task": task,
        "report": report,
        "users": users,
    }
