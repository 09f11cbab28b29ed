"""Who may see and change bodies, series, meetings, minutes, decisions and tasks: role × state."""

import datetime as dt

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from municipia.governance.choices import MemberRole, MinutesStatus
from municipia.governance.tests.factories import (
    BodyFactory,
    BodyMemberFactory,
    DecisionFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    TaskFactory,
)
from municipia.organizations.tests.factories import PersonFactory, RoleFactory, UserFactory
from municipia.strategy.choices import PlanStatus

pytestmark = pytest.mark.django_db


def _member_user(body, role, **kwargs):
    return BodyMemberFactory(body=body, role=role, person=PersonFactory(user=UserFactory()), **kwargs).person.user


@pytest.fixture
def body():
    return BodyFactory(is_public=True)


@pytest.fixture
def users(body, site_admin):
    return {
        "anonymous": AnonymousUser(),
        "outsider": UserFactory(),
        "other_council_editor": RoleFactory().user,
        "member": _member_user(body, MemberRole.MEMBER),
        "observer": _member_user(body, MemberRole.OBSERVER),
        "secretary": _member_user(body, MemberRole.SECRETARY),
        "chair": _member_user(body, MemberRole.CHAIR),
        "former_chair": _member_user(
            body, MemberRole.CHAIR, start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 1, 1)
        ),
        "plan_editor": RoleFactory(organization=body.plan.owner).user,
        "site_admin": site_admin,
    }


EDITS_BODY = {"plan_editor", "site_admin"}
RUNS_MEETINGS = {"secretary", "chair", "plan_editor", "site_admin"}


def test_body_and_series_are_edited_by_plan_editors_and_site_admins(body, users):
    series = MeetingSeriesFactory(body=body)
    for name, user in users.items():
        assert user.has_perm("governance.add_body", body.plan) is (name in EDITS_BODY), name
        assert user.has_perm("governance.change_body", body) is (name in EDITS_BODY), name
        assert user.has_perm("governance.add_meetingseries", body) is (name in EDITS_BODY), name
        assert user.has_perm("governance.change_meetingseries", series) is (name in EDITS_BODY), name
        assert user.has_perm("governance.add_bodymember", body) is (name in EDITS_BODY), name


def test_meetings_decisions_and_tasks_are_run_by_chair_secretary_and_editors(body, users):
    meeting = MeetingFactory(body=body)
    decision = DecisionFactory(body=body)
    task = TaskFactory(body=body)
    for name, user in users.items():
        expected = name in RUNS_MEETINGS
        assert user.has_perm("governance.add_meeting", body) is expected, name
        assert user.has_perm("governance.change_meeting", meeting) is expected, name
        assert user.has_perm("governance.add_decision", body) is expected, name
        assert user.has_perm("governance.change_decision", decision) is expected, name
        assert user.has_perm("governance.change_task", task) is expected, name
        assert user.has_perm("governance.change_minutes", meeting) is expected, name


def test_approved_minutes_are_frozen_for_everyone_and_only_site_admins_may_reopen_them(body, users):
    # The rules themselves: Django's auth backend waves superusers through every `has_perm`.
    approved = MeetingFactory(body=body, minutes="Agreed.", minutes_status=MinutesStatus.APPROVED)
    draft = MeetingFactory(body=body, minutes="Draft.")
    for name, user in users.items():
        assert rules.has_perm("governance.change_minutes", user, approved) is False, name
        assert rules.has_perm("governance.approve_minutes", user, approved) is False, name
        assert rules.has_perm("governance.reopen_minutes", user, approved) is (name == "site_admin"), name
        assert rules.has_perm("governance.reopen_minutes", user, draft) is False, name
        assert rules.has_perm("governance.change_minutes", user, draft) is (name in RUNS_MEETINGS), name


def test_closed_plan_stops_officers_and_editors_but_not_site_admins(body, users):
    body.plan.status = PlanStatus.CLOSED
    body.plan.save()
    meeting = MeetingFactory(body=body)
    for name, user in users.items():
        assert user.has_perm("governance.change_meeting", meeting) is (name == "site_admin"), name
        assert user.has_perm("governance.change_body", body) is (name == "site_admin"), name


@pytest.mark.parametrize(
    ("is_public", "is_published", "seen_by"),
    [
        (True, True, "everyone"),
        (False, True, {"member", "observer", "secretary", "chair", "plan_editor", "site_admin"}),
        (True, False, {"member", "observer", "secretary", "chair", "plan_editor", "site_admin"}),
    ],
)
def test_who_sees_a_body(body, users, is_public, is_published, seen_by):
    body.is_public = is_public
    body.save()
    body.plan.is_published = is_published
    body.plan.save()
    for name, user in users.items():
        expected = seen_by == "everyone" or name in seen_by
        assert user.has_perm("governance.view_body", body) is expected, name
