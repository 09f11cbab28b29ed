"""Behaviour of the plan services: validation, roll-up, versions, history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from municipia.organizations.tests.factories import DepartmentFactory, NetworkFactory, OrganizationFactory
from municipia.strategy import services
from municipia.strategy.choices import ActionStatus, PlanStatus
from municipia.strategy.selectors import plan_snapshot, progress_rollup
from municipia.strategy.tests.factories import ActionFactory, AxisFactory, ObjectiveFactory, PlanFactory
from municipia.strategy.versions import diff_snapshots

pytestmark = pytest.mark.django_db


def test_plan_with_end_before_start_is_rejected_naming_period_end(site_admin):
    owner = OrganizationFactory()
    with pytest.raises(ValidationError) as exc:
        services.plan_create(
            acting_user=site_admin,
            owner=owner,
            data={"title_en": "P", "period_start": datetime.date(2025, 1, 1), "period_end": datetime.date(2024, 1, 1)},
        )
    assert "period_end" in exc.value.message_dict
    assert not owner.plans.exists()


def test_plan_title_in_catalan_only_is_enough_and_slug_is_made(site_admin):
    plan = services.plan_create(
        acting_user=site_admin,
        owner=OrganizationFactory(),
        data={
            "title_ca": "Agenda digital",
            "period_start": datetime.date(2024, 1, 1),
            "period_end": datetime.date(2026, 12, 31),
        },
    )
    assert plan.slug == "agenda-digital"
    assert plan.history.first().history_user == site_admin


def test_plan_without_any_title_is_rejected(site_admin):
    with pytest.raises(ValidationError) as exc:
        services.plan_create(
            acting_user=site_admin,
            owner=OrganizationFactory(),
            data={"period_start": datetime.date(2024, 1, 1), "period_end": datetime.date(2026, 12, 31)},
        )
    assert "title_en" in exc.value.message_dict


def test_action_progress_above_100_is_rejected(site_admin):
    objective = ObjectiveFactory()
    with pytest.raises(ValidationError) as exc:
        services.action_create(
            acting_user=site_admin,
            plan=objective.axis.plan,
            data={"title_en": "X", "code": "1.1.1", "objective": objective, "progress": 101},
        )
    assert "progress" in exc.value.message_dict


def test_duplicate_action_code_in_plan_is_rejected_naming_code(site_admin):
    action = ActionFactory(code="2.3.1")
    with pytest.raises(ValidationError) as exc:
        services.action_create(
            acting_user=site_admin,
            plan=action.plan,
            data={"title_en": "Other", "code": "2.3.1", "objective": action.objective},
        )
    assert "code" in exc.value.message_dict


def test_action_dates_outside_plan_period_are_rejected(site_admin):
    objective = ObjectiveFactory()
    with pytest.raises(ValidationError) as exc:
        services.action_create(
            acting_user=site_admin,
            plan=objective.axis.plan,
            data={"title_en": "X", "code": "9", "objective": objective, "start_date": datetime.date(2020, 1, 1)},
        )
    assert "start_date" in exc.value.message_dict


def test_action_end_before_start_is_rejected(site_admin):
    objective = ObjectiveFactory()
    with pytest.raises(ValidationError) as exc:
        services.action_create(
            acting_user=site_admin,
            plan=objective.axis.plan,
            data={
                "title_en": "X",
                "code": "9",
                "objective": objective,
                "start_date": datetime.date(2025, 1, 1),
                "end_date": datetime.date(2024, 6, 1),
            },
        )
    assert "end_date" in exc.value.message_dict


def test_dependency_cycle_is_rejected_and_nothing_changes(site_admin):
    a = ActionFactory()
    b = ActionFactory(objective=a.objective)
    c = ActionFactory(objective=a.objective)
    services.action_update(acting_user=site_admin, action=b, data={}, dependencies=[a])
    services.action_update(acting_user=site_admin, action=c, data={}, dependencies=[b])
    with pytest.raises(ValidationError) as exc:
        services.action_update(acting_user=site_admin, action=a, data={}, dependencies=[c])
    assert "dependencies" in exc.value.message_dict
    assert list(a.dependencies.all()) == []


def test_participants_must_be_councils(site_admin):
    objective = ObjectiveFactory()
    with pytest.raises(ValidationError) as exc:
        services.action_create(
            acting_user=site_admin,
            plan=objective.axis.plan,
            data={"title_en": "X", "code": "9", "objective": objective},
            participants=[NetworkFactory()],
        )
    assert "participants" in exc.value.message_dict


def test_owner_department_must_belong_to_plan_owner(site_admin):
    objective = ObjectiveFactory()
    with pytest.raises(ValidationError) as exc:
        services.action_create(
            acting_user=site_admin,
            plan=objective.axis.plan,
            data={"title_en": "X", "code": "9", "objective": objective, "owner_department": DepartmentFactory()},
        )
    assert "owner_department" in exc.value.message_dict


def test_progress_rolls_up_weighted():
    plan = PlanFactory()
    axis1 = AxisFactory(plan=plan, weight=Decimal("3"))
    axis2 = AxisFactory(plan=plan, weight=Decimal("1"))
    o1 = ObjectiveFactory(axis=axis1)
    o2 = ObjectiveFactory(axis=axis2)
    ActionFactory(objective=o1, progress=100, weight=Decimal("1"))
    ActionFactory(objective=o1, progress=0, weight=Decimal("3"))
    ActionFactory(objective=o2, progress=80)
    ActionFactory(objective=o2, progress=0, status=ActionStatus.CANCELLED)
    rollup = progress_rollup([plan.pk])
    assert rollup.objectives[o1.pk] == pytest.approx(25.0)
    assert rollup.objectives[o2.pk] == pytest.approx(80.0)
    assert rollup.plans[plan.pk] == pytest.approx((3 * 25 + 80) / 4)


def test_approval_keeps_a_version_and_changes_are_listed(site_admin):
    action = ActionFactory(code="1.1.1", progress=10)
    plan = action.plan
    services.plan_change_status(acting_user=site_admin, plan=plan, status=PlanStatus.APPROVED)
    assert plan.versions.count() == 1
    services.action_update(acting_user=site_admin, action=action, data={"progress": 60})
    changes = diff_snapshots(plan.versions.get().snapshot, plan_snapshot(plan))
    assert [(c.section, c.key, c.field, c.before, c.after) for c in changes] == [
        ("actions", "1.1.1", "progress", 10, 60)
    ]


def test_closed_plan_cannot_jump_back_to_draft(site_admin):
    plan = PlanFactory(status=PlanStatus.CLOSED)
    with pytest.raises(ValidationError) as exc:
        services.plan_change_status(acting_user=site_admin, plan=plan, status=PlanStatus.DRAFT)
    assert "status" in exc.value.message_dict
