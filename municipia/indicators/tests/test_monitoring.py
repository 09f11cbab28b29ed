"""Action health from dates, milestones and progress, and its weighted roll-up to objective, axis and plan."""

import datetime as dt
from decimal import Decimal

import pytest

from municipia.indicators.choices import ActionHealth
from municipia.indicators.monitoring import health_from_shares, plan_monitoring
from municipia.strategy.choices import ActionStatus
from municipia.strategy.selectors import progress_rollup
from municipia.strategy.status import StatusFacts as ActionFacts
from municipia.strategy.status import computed_status as action_health
from municipia.strategy.status import expected_progress
from municipia.strategy.tests.factories import (
    ActionFactory,
    AxisFactory,
    MilestoneFactory,
    ObjectiveFactory,
    PlanFactory,
)

TODAY = dt.date(2025, 1, 1)
START, END = dt.date(2024, 1, 1), dt.date(2025, 12, 31)  # today is about half-way


def facts(status=ActionStatus.IN_PROGRESS, progress=50, start=START, end=END, overdue=0) -> ActionFacts:
    return ActionFacts(status, progress, start, end, overdue)


# --- One action, one rule at a time


def test_cancelled_action_is_cancelled_whatever_its_dates():
    assert action_health(facts(ActionStatus.CANCELLED, 0, end=dt.date(2024, 6, 1)), TODAY).health == "cancelled"


def test_completed_status_or_full_progress_is_done_even_after_the_end_date():
    assert action_health(facts(ActionStatus.COMPLETED, 80, end=dt.date(2024, 6, 1)), TODAY).health == "done"
    assert action_health(facts(progress=100, end=dt.date(2024, 6, 1)), TODAY).health == "done"


def test_end_date_passed_with_progress_below_100_is_late():
    verdict = action_health(facts(progress=99, end=dt.date(2024, 12, 31)), TODAY)
    assert verdict.health == ActionHealth.LATE
    assert verdict.reason == "end_passed"


def test_on_the_end_date_itself_the_action_is_not_yet_late():
    assert action_health(facts(progress=99, end=TODAY), TODAY).health == ActionHealth.ON_TRACK


def test_start_date_ahead_with_no_progress_is_not_started():
    verdict = action_health(facts(ActionStatus.PLANNED, 0, start=dt.date(2025, 3, 1)), TODAY)
    assert verdict.health == ActionHealth.NOT_STARTED


def test_planned_action_without_dates_and_no_progress_is_not_started():
    assert action_health(facts(ActionStatus.PLANNED, 0, start=None, end=None), TODAY).health == "not_started"


def test_overdue_milestone_puts_an_action_at_risk_even_when_progress_is_ahead():
    verdict = action_health(facts(progress=90, overdue=1), TODAY)
    assert verdict.health == ActionHealth.AT_RISK
    assert verdict.reason == "milestone_overdue"


def test_action_marked_delayed_is_at_risk():
    assert action_health(facts(ActionStatus.DELAYED, 60), TODAY).reason == "marked_delayed"


def test_progress_more_than_20_points_behind_elapsed_time_is_at_risk():
    # 366 of 730 days elapsed: expected 50 %.
    assert expected_progress(START, END, TODAY) == 50
    assert action_health(facts(progress=29), TODAY).health == ActionHealth.AT_RISK
    assert action_health(facts(progress=29), TODAY).reason == "behind_schedule"


def test_progress_within_20_points_of_elapsed_time_is_on_track():
    assert action_health(facts(progress=30), TODAY).health == ActionHealth.ON_TRACK
    assert action_health(facts(progress=95), TODAY).health == ActionHealth.ON_TRACK


def test_no_progress_after_the_start_date_is_at_risk_without_an_end_date():
    verdict = action_health(facts(progress=0, start=dt.date(2024, 12, 1), end=None), TODAY)
    assert verdict.health == ActionHealth.AT_RISK
    assert verdict.reason == "start_passed"


def test_work_under_way_without_dates_is_on_track():
    assert action_health(facts(progress=10, start=None, end=None), TODAY).health == ActionHealth.ON_TRACK


# --- Element health from weighted shares


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        ({}, None),
        ({"late": 0.25, "on_track": 0.75}, "late"),
        ({"late": 0.2, "on_track": 0.8}, "on_track"),
        ({"late": 0.1, "at_risk": 0.15, "on_track": 0.75}, "at_risk"),
        ({"done": 1.0}, "done"),
        ({"not_started": 1.0}, "not_started"),
        ({"done": 0.5, "not_started": 0.5}, "on_track"),
    ],
)
def test_element_health_follows_the_weighted_shares(shares, expected):
    assert health_from_shares(shares) == expected


# --- Roll-up on a hand-made plan


@pytest.fixture
def plan(db):
    """Axis A (weight 3): objective A1 (weight 1) with a late action (weight 1) and a done one (weight 3);
    objective A2 (weight 1) with an on-track action. Axis B (weight 1): one at-risk action.
    A cancelled action in A2 is left out everywhere."""
    plan = PlanFactory(period_start=dt.date(2024, 1, 1), period_end=dt.date(2027, 12, 31))
    axis_a = AxisFactory(plan=plan, code="A", weight=Decimal("3"))
    axis_b = AxisFactory(plan=plan, code="B", weight=Decimal("1"))
    a1 = ObjectiveFactory(axis=axis_a, code="A1", weight=Decimal("1"))
    a2 = ObjectiveFactory(axis=axis_a, code="A2", weight=Decimal("1"))
    b1 = ObjectiveFactory(axis=axis_b, code="B1")
    ObjectiveFactory(axis=axis_b, code="B2")  # no actions: does not weigh
    late = ActionFactory(objective=a1, code="1", progress=40, end_date=dt.date(2024, 6, 30), weight=Decimal("1"))
    done = ActionFactory(objective=a1, code="2", status=ActionStatus.COMPLETED, progress=100, weight=Decimal("3"))
    on_track = ActionFactory(objective=a2, code="3", progress=50, start_date=START, end_date=END)
    ActionFactory(objective=a2, code="4", status=ActionStatus.CANCELLED, progress=0)
    at_risk = ActionFactory(objective=b1, code="5", progress=90, start_date=START, end_date=END)
    MilestoneFactory(action=at_risk, due_date=dt.date(2024, 9, 30), completed_on=None)
    MilestoneFactory(action=on_track, due_date=dt.date(2024, 9, 30), completed_on=dt.date(2024, 9, 1))
    return {"plan": plan, "axes": (axis_a, axis_b), "objectives": (a1, a2, b1), "actions": (late, done, on_track)}


def test_each_action_gets_its_health(plan):
    result = plan_monitoring([plan["plan"].pk], today=TODAY)
    by_code = {state.action.code: state.health for state in result.actions.values()}
    assert by_code == {"1": "late", "2": "done", "3": "on_track", "4": "cancelled", "5": "at_risk"}


def test_shares_roll_up_by_weight_from_objective_to_plan(plan):
    result = plan_monitoring([plan["plan"].pk], today=TODAY)
    a1, a2, b1 = plan["objectives"]
    axis_a, axis_b = plan["axes"]
    assert result.objectives[a1.pk].shares == pytest.approx({"late": 0.25, "done": 0.75})
    assert result.objectives[a1.pk].health == "late"
    assert result.objectives[a2.pk].shares == pytest.approx({"on_track": 1.0})
    # Axis A: objectives A1 and A2 weigh 1 each.
    assert result.axes[axis_a.pk].shares == pytest.approx({"late": 0.125, "done": 0.375, "on_track": 0.5})
    assert result.axes[axis_a.pk].health == "on_track"
    assert result.axes[axis_b.pk].shares == pytest.approx({"at_risk": 1.0})
    # Plan: axis A weighs 3, axis B 1.
    overall = result.plans[plan["plan"].pk]
    assert overall.shares == pytest.approx({"late": 0.09375, "done": 0.28125, "on_track": 0.375, "at_risk": 0.25})
    assert overall.health == "at_risk"
    assert overall.counts == {"late": 1, "done": 1, "on_track": 1, "cancelled": 1, "at_risk": 1}
    assert overall.action_count == 4


def test_progress_is_the_strategy_roll_up_unchanged(plan):
    result = plan_monitoring([plan["plan"].pk], today=TODAY)
    rollup = progress_rollup([plan["plan"].pk])
    assert {pk: e.progress for pk, e in result.axes.items()} == rollup.axes
    assert result.plans[plan["plan"].pk].progress == rollup.plans[plan["plan"].pk]


def test_a_plan_without_actions_has_no_health(db):
    empty = PlanFactory()
    AxisFactory(plan=empty)
    result = plan_monitoring([empty.pk], today=TODAY)
    assert result.plans[empty.pk].health is None
    assert result.plans[empty.pk].progress is None


def test_roll_up_takes_the_same_queries_for_a_plan_ten_times_bigger(db, django_assert_max_num_queries):
    small, big = PlanFactory(), PlanFactory()
    for plan, size in ((small, 2), (big, 20)):
        for _ in range(size):
            objective = ObjectiveFactory(axis=AxisFactory(plan=plan))
            action = ActionFactory(objective=objective)
            MilestoneFactory(action=action)
    with django_assert_max_num_queries(7):
        plan_monitoring([small.pk], today=TODAY)
    with django_assert_max_num_queries(7):
        result = plan_monitoring([big.pk], today=TODAY)
    assert len(result.actions) == 20
