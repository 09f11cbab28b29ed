"""The timeline: the critical path by hand, flagged early starts, the page and its query count."""

import datetime as dt

import pytest
from django.urls import reverse

from municipia.organizations.tests.factories import UserFactory
from municipia.portfolio.gantt import timeline
from municipia.strategy.tests.factories import ActionFactory, MilestoneFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _action(objective, code, start, days):
    start = dt.date(2024, 1, 1) + dt.timedelta(days=start)
    return ActionFactory(
        objective=objective,
        plan=objective.axis.plan,
        code=code,
        start_date=start,
        end_date=start + dt.timedelta(days=days - 1),
    )


def test_the_critical_path_is_the_longest_chain_of_dependencies():
    # A (10 days) → B (30 days) and A → C (5 days); D (20 days) alone. A+B = 40 is the longest: critical.
    objective = ObjectiveFactory()
    a = _action(objective, "A", 0, 10)
    b = _action(objective, "B", 10, 30)
    c = _action(objective, "C", 5, 5)  # starts before A ends: flagged
    d = _action(objective, "D", 0, 20)
    b.dependencies.set([a])
    c.dependencies.set([a])
    rows = {row.action.code: row for row in timeline(objective.axis.plan, UserFactory(is_superuser=True))}
    assert {code for code, row in rows.items() if row.critical} == {"A", "B"}
    assert [code for code, row in rows.items() if row.starts_too_early] == ["C"]
    assert d.pk and rows["D"].days == 20


def test_the_timeline_page_keeps_its_query_count(client, django_assert_max_num_queries):
    plan = PlanFactory(is_published=True)
    objective = ObjectiveFactory(axis__plan=plan)
    previous = None
    for n in range(3):
        action = _action(objective, f"S{n}", n * 30, 30)
        MilestoneFactory(action=action, due_date=action.end_date)
        if previous:
            action.dependencies.set([previous])
        previous = action
    url = reverse("portfolio:plan-timeline", args=[plan.slug])
    with django_assert_max_num_queries(100) as small:
        response = client.get(url)
    assert response.status_code == 200 and "<svg" in response.content.decode()
    for n in range(3, 15):
        action = _action(objective, f"S{n}", n * 30, 30)
        MilestoneFactory(action=action, due_date=action.end_date)
        action.dependencies.set([previous])
        previous = action
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
