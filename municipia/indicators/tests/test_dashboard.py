"""The plan dashboard, the indicator chart and the plan-monitoring API: content, visibility, empty charts, queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.indicators.monitoring import plan_dashboard
from municipia.indicators.tests.factories import (
    BaselineFactory,
    IndicatorFactory,
    ObservationFactory,
    TargetFactory,
)
from municipia.organizations.tests.factories import (
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)
from municipia.strategy.choices import ActionStatus
from municipia.strategy.tests.factories import ActionFactory, AxisFactory, ObjectiveFactory, PlanFactory

D = Decimal
TODAY = dt.date(2025, 9, 1)


def network_plan(members: int, slug: str, *, published: bool = True):
    """A network's plan: two axes, three actions, two indicators measured for every member council."""
    network = NetworkFactory()
    plan = PlanFactory(owner=network, slug=slug, is_published=published)
    objective = ObjectiveFactory(axis=AxisFactory(plan=plan, code="1", title_en="Online services"))
    ObjectiveFactory(axis=AxisFactory(plan=plan, code="2", title_en="Connectivity"))
    ActionFactory(objective=objective, code="1.1", progress=10, end_date=dt.date(2024, 12, 31))
    ActionFactory(objective=objective, code="1.2", status=ActionStatus.COMPLETED, progress=100)
    action = ActionFactory(objective=objective, code="1.3", progress=50, end_date=dt.date(2025, 12, 31))
    online = IndicatorFactory(code=f"{slug}-ON", owner_organization=network, name_en="Procedures online")
    online.objectives.add(objective)
    waiting = IndicatorFactory(code=f"{slug}-WAIT", owner_organization=network, direction="lower")
    waiting.actions.add(action)
    for indicator in (online, waiting):
        BaselineFactory(indicator=indicator, date=dt.date(2022, 12, 31), value=D(40))
        TargetFactory(indicator=indicator, year=2024, value=D(80) if indicator is online else D(10))
    for index in range(members):
        council = OrganizationFactory()
        NetworkMembershipFactory(network=network, member=council)
        for year in (2022, 2023):
            ObservationFactory(indicator=online, organization=council, date=dt.date(year, 12, 31), value=D(40 + index))
        ObservationFactory(indicator=waiting, organization=council, date=dt.date(2024, 12, 31), value=D(30))
    return plan, online


def test_dashboard_counts_actions_and_lists_indicator_values_off_track(db):
    plan, online = network_plan(3, "agenda")
    dashboard = plan_dashboard(UserFactory(), plan, today=TODAY)
    counts = {health: count for health, _label, count in dashboard.health_counts}
    assert counts["late"] == 1 and counts["done"] == 1
    assert [row.axis.code for row in dashboard.axes] == ["1", "2"]
    assert dashboard.axes[1].element.health is None  # an axis without actions
    # 40–42 at the end of 2023 against a path reaching 80 in 2024: off track, and stale by September 2025.
    assert {issue.indicator.pk for issue in dashboard.off_track} >= {online.pk}
    assert dashboard.stale_total == 3
    assert dashboard.organization_count == 3  # the network's members (the network itself reports nothing)


def test_dashboard_page_shows_charts_with_their_tables(client, db):
    plan, _online = network_plan(3, "agenda")
    response = client.get(reverse("indicators:plan-dashboard", args=["agenda"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('role="img"') == 3
    assert "Online services" in content
    assert "Indicator values off track" in content


def test_dashboard_of_an_empty_plan_says_there_is_no_data(client, db):
    PlanFactory(slug="empty-plan")
    response = client.get(reverse("indicators:plan-dashboard", args=["empty-plan"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "No actions yet." in content
    assert "No data to chart yet." in content
    assert "No indicator measures this plan" in content


def test_unpublished_plan_dashboard_is_not_found_for_others_and_shown_to_its_editors(client, db):
    plan, _online = network_plan(2, "draft-agenda", published=False)
    url = reverse("indicators:plan-dashboard", args=["draft-agenda"])
    assert client.get(url).status_code == 404
    client.force_login(RoleFactory(organization=OrganizationFactory()).user)
    assert client.get(url).status_code == 404
    client.force_login(RoleFactory(organization=plan.owner).user)
    assert client.get(url).status_code == 200
    assert APIClient().get(reverse("api:plan-monitoring-detail", args=["draft-agenda"])).status_code == 404


def test_private_indicators_stay_off_the_dashboard_for_visitors(db):
    plan, online = network_plan(2, "agenda")
    online.is_public = False
    online.save()
    dashboard = plan_dashboard(UserFactory(), plan, today=TODAY)
    assert online.pk not in {summary.indicator.pk for summary in dashboard.indicators}


def test_dashboard_takes_the_same_queries_for_60_members_as_for_5(client, db, django_assert_max_num_queries):
    network_plan(5, "small-agenda")
    network_plan(60, "big-agenda")
    counts = []
    for slug in ("small-agenda", "big-agenda"):
        with django_assert_max_num_queries(20) as queries:
            assert client.get(reverse("indicators:plan-dashboard", args=[slug])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_plan_monitoring_api_rolls_up_to_the_plan(db):
    network_plan(2, "agenda")
    body = APIClient().get(reverse("api:plan-monitoring-detail", args=["agenda"])).json()
    assert body["plan"] == "agenda"
    assert {a["code"]: a["health"] for a in body["actions"]}["1.2"] == "done"
    assert body["overall"]["counts"]["done"] == 1
    assert len(body["axes"]) == 2
    assert APIClient().get(reverse("api:plan-monitoring-detail", args=["nope"])).status_code == 404


def test_indicator_page_charts_one_organisation_against_its_targets(client, db):
    council = OrganizationFactory(slug="girona", name_en="Girona")
    indicator = IndicatorFactory(name_en="Procedures online")
    TargetFactory(indicator=indicator, year=2024, value=D(80))
    TargetFactory(indicator=indicator, organization=council, year=2025, value=D(95))
    for year, value in ((2022, 40), (2023, 55)):
        ObservationFactory(indicator=indicator, organization=council, date=dt.date(year, 12, 31), value=D(value))
    response = client.get(reverse("indicators:indicator-detail", args=[indicator.pk]), {"organization": "girona"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Girona against its targets" in content
    assert "<polyline" in content and "stroke-dasharray" in content
    figure = response.context["figure"]
    assert figure.columns == ["Girona", "Target path"]
    assert [values for _date, values in figure.rows][-1] == [None, D(95)]


def test_indicator_page_without_observations_shows_an_empty_chart(client, db):
    indicator = IndicatorFactory()
    response = client.get(reverse("indicators:indicator-detail", args=[indicator.pk]))
    assert "No data to chart yet." in response.content.decode()


@pytest.mark.parametrize("language", ["en", "ca"])
def test_dashboard_renders_in_each_language(client, db, language):
    network_plan(2, "agenda")
    url = f"/{language}/indicators/plans/agenda/dashboard/"
    assert client.get(url).status_code == 200
