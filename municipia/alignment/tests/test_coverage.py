"""Coverage of a hand-made plan: the matrix, targets, pillar shares, rights; page, CSV, API and query counts."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from municipia.alignment import selectors, services
from municipia.alignment.selectors import plan_coverage
from municipia.organizations.tests.factories import NetworkFactory, NetworkMembershipFactory, UserFactory
from municipia.strategy.tests.factories import ActionFactory, AxisFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(frameworks):
    """Axis 1: A (9.c, EJE-2) 100 €, B (9 via its objective, and 11.3.1) 50 €; axis 2 (aligned to 11): C 30 €, D 0 €."""
    user = UserFactory()
    plan = PlanFactory(slug="hand-made", title_en="Hand-made plan")
    for framework in (frameworks.prtr, frameworks.rights):
        services.plan_framework_add(acting_user=user, plan=plan, framework=framework)
    axis1, axis2 = (
        AxisFactory(plan=plan, code="1", title_en="Digital"),
        AxisFactory(plan=plan, code="2", title_en="City"),
    )
    o1, o2, o3 = ObjectiveFactory(axis=axis1), ObjectiveFactory(axis=axis1), ObjectiveFactory(axis=axis2)
    a = ActionFactory(objective=o1, code="A", budget=Decimal("100"))
    b = ActionFactory(objective=o2, code="B", budget=Decimal("50"))
    ActionFactory(objective=o3, code="C", budget=Decimal("30"))
    ActionFactory(objective=o3, code="D", budget=None)
    items = frameworks.items
    align = services.alignment_create
    align(acting_user=user, element=a, item=items["SDG:9.c"])
    align(acting_user=user, element=a, item=items["PRTR:EJE-2"])
    align(acting_user=user, element=o2, item=items["SDG:9"])
    align(acting_user=user, element=b, item=items["SDG:11.3.1"])
    align(acting_user=user, element=axis2, item=items["SDG:11"])
    align(acting_user=user, element=axis2, item=items["PRTR:EJE-1"])
    align(acting_user=user, element=b, item=items["DIGITAL-RIGHTS:II.1"])
    align(acting_user=user, element=plan, item=items["SDG:4.4"])
    return plan


def _goal(coverage, code):
    return next(total for total in coverage.goals if total.goal.code == code)


def test_matrix_counts_actions_and_budget_per_axis_and_sdg(plan):
    coverage = plan_coverage(plan)
    assert coverage.action_count == 4 and coverage.aligned_action_count == 4
    assert coverage.budget_total == Decimal("180")
    digital, city = coverage.rows
    codes = [total.goal.code for total in coverage.goals]
    cell = lambda row, goal: row.cells[codes.index(goal)]  # noqa: E731
    assert (cell(digital, "9").actions, cell(digital, "9").budget) == (2, Decimal("150"))
    assert (cell(digital, "11").actions, cell(digital, "11").budget) == (1, Decimal("50"))
    assert (cell(city, "11").actions, cell(city, "11").budget) == (2, Decimal("30"))
    assert cell(city, "9").actions == 0
    assert (digital.actions, digital.budget, city.actions) == (2, Decimal("150"), 2)
    assert (_goal(coverage, "11").actions, _goal(coverage, "11").budget) == (3, Decimal("80"))


def test_targets_served_and_not_served(plan):
    coverage = plan_coverage(plan)
    assert [t.code for t in _goal(coverage, "9").served_targets] == ["9.c"]
    assert [t.code for t in _goal(coverage, "9").unserved_targets] == ["9.1"]
    assert [t.code for t in _goal(coverage, "11").served_targets] == ["11.3"]  # through indicator 11.3.1
    assert [t.code for t in _goal(coverage, "4").served_targets] == ["4.4"]  # the plan's own alignment
    assert coverage.served_target_count == 3


def test_pillar_shares_of_the_budget_and_rights_touched(plan):
    coverage = plan_coverage(plan)
    shares = {row.item.code: (row.actions, row.budget, row.share) for row in coverage.pillars}
    assert shares["EJE-2"] == (1, Decimal("100"), pytest.approx(100 / 180 * 100))
    assert shares["EJE-1"] == (2, Decimal("30"), pytest.approx(30 / 180 * 100))
    assert shares["EJE-3"][0] == 0
    touched = {row.item.code: row.elements for row in coverage.principles}
    assert touched == {"II": 1, "II.1": 1, "V": 0}


def test_coverage_page_csv_and_api_show_the_same_figures(client, plan):
    page = client.get(reverse("alignment:plan-coverage", args=[plan.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "Axes × SDGs" in html and "55.6 %" in html
    response = client.get(reverse("alignment:plan-coverage-csv", args=[plan.slug]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["SDG by row", "Digital", "SDG 9", "Goal 9", "2", "150.00", ""] in rows
    api = client.get(f"/api/v1/coverage/{plan.slug}/").json()
    assert api["budget_total"] == "180.00"
    nine = next(goal for goal in api["goals"] if goal["goal"] == "9")
    assert nine["served_targets"] == ["9.c"] and nine["budget"] == "150.00"


def test_csv_neutralises_cells_that_look_like_formulas(client, plan):
    plan.axes.filter(code="1").update(title_en='=HYPERLINK("http://evil")')
    response = client.get(reverse("alignment:plan-coverage-csv", args=[plan.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert any(row[1].startswith("'=HYPERLINK") for row in rows)
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_network_coverage_spans_its_councils_plans(client, plan):
    network = NetworkFactory(slug="net")
    NetworkMembershipFactory(network=network, member=plan.owner)
    response = client.get(reverse("alignment:network-coverage", args=["net"]))
    assert response.status_code == 200
    assert "Plans × SDGs" in response.content.decode() and "Hand-made plan" in response.content.decode()


def test_draft_local_review_lists_actions_and_indicators_per_sdg(client, plan):
    from municipia.indicators.tests.factories import IndicatorFactory, ObservationFactory

    action_a = plan.actions.get(code="A")
    broadband = IndicatorFactory(name_en="Homes with gigabit coverage")
    broadband.actions.add(action_a)  # A serves SDG 9: the indicator shows under SDG 9
    ObservationFactory(indicator=broadband, organization=plan.owner, date=dt.date(2025, 6, 30), value=Decimal("61.5"))
    air = IndicatorFactory(name_en="Air quality sensors online", framework_code="11.6.2")
    air.objectives.add(action_a.objective)  # linked to the plan; its code says SDG 11
    unrelated = IndicatorFactory(name_en="Another plan's indicator", framework_code="9.c.1")

    goals = {
        entry.total.goal.code: entry
        for entry in selectors.review_goals(selectors.plan_coverage(plan), user=AnonymousUser(), plan=plan)
    }
    assert [item.indicator for item in goals["9"].indicators] == [broadband]
    assert goals["9"].indicators[0].owner_latest.value == Decimal("61.5")
    assert [item.indicator for item in goals["11"].indicators] == [air]
    assert all(unrelated not in [i.indicator for i in entry.indicators] for entry in goals.values())

    response = client.get(reverse("alignment:plan-review", args=[plan.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Homes with gigabit coverage" in html and "61.5" in html and "11.6.2" in html
    assert "Another plan" not in html


def test_unpublished_plan_coverage_is_not_found_for_visitors(client, frameworks):
    hidden = PlanFactory(is_published=False)
    assert client.get(reverse("alignment:plan-coverage", args=[hidden.slug])).status_code == 404
    assert client.get(f"/api/v1/coverage/{hidden.slug}/").status_code == 404


def _plan_of_size(frameworks, axes: int, actions_per_axis: int):
    user = UserFactory()
    plan = PlanFactory()
    services.plan_framework_add(acting_user=user, plan=plan, framework=frameworks.prtr)
    services.plan_framework_add(acting_user=user, plan=plan, framework=frameworks.rights)
    goals = [key for key in frameworks.items if key.startswith("SDG:")]
    for a in range(axes):
        axis = AxisFactory(plan=plan, code=str(a + 1))
        objective = ObjectiveFactory(axis=axis)
        services.alignment_create(acting_user=user, element=axis, item=frameworks.items["PRTR:EJE-1"])
        for n in range(actions_per_axis):
            action = ActionFactory(objective=objective, code=f"{a}.{n}")
            services.alignment_create(acting_user=user, element=action, item=frameworks.items[goals[n % len(goals)]])
            services.alignment_create(acting_user=user, element=action, item=frameworks.items["DIGITAL-RIGHTS:II.1"])
    return plan


@pytest.mark.parametrize("size", [(1, 3), (5, 40)])
def test_coverage_page_uses_a_constant_number_of_queries(client, frameworks, django_assert_max_num_queries, size):
    plan = _plan_of_size(frameworks, *size)
    url = reverse("alignment:plan-coverage", args=[plan.slug])
    # plan, content version (public cache), axes, objectives, actions, alignments, items ×2, frameworks: 10
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("language", ["bg", "ca"])
def test_draft_local_review_pdf_carries_the_plan_title_in_its_language(client, plan, language):
    import pypdf

    plan.title_bg = "Примерен план на общината"
    plan.title_ca = "Pla d'exemple de l'ajuntament: ciutat intel·ligent"
    plan.save()
    response = client.get(f"/{language}/alignment/plans/{plan.slug}/local-review.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    expected = plan.title_bg if language == "bg" else plan.title_ca
    assert expected.split(":")[0] in text
