"""Coverage across a hand-made network of three councils: counts and budgets per plan and SDG, page, CSV, queries."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from municipia.alignment import selectors, services
from municipia.indicators.tests.factories import IndicatorFactory
from municipia.organizations.tests.factories import (
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from municipia.strategy.tests.factories import ActionFactory, AxisFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(frameworks):
    """The network "Xarxa" of Alpha, Beta and Gamma, with these plans and actions (budgets in €):

    - Alpha's plan: a1 100 (aligned to SDG 9.c), a2 40 (its objective aligned to SDG 11);
      an indicator measuring a1 is aligned to SDG 11.2 and 3: indicators add no action.
    - Beta's plan: its axis aligned to SDG 9; b1 60 (also to SDG 4.4), b2 no budget.
    - Xarxa's own plan: n1 25 (to SDG indicator 11.3.1 and target 9.1).
    - Gamma's plan, unpublished: g1 1000 (to SDG 9): only site admins see it.
    - A council outside the network: its action of 500 aligned to SDG 9 is left out.
    """
    items = frameworks.items
    user = UserFactory(is_superuser=True)
    align = services.alignment_create
    xarxa = NetworkFactory(slug="xarxa", name_en="Xarxa")
    alpha, beta, gamma = (OrganizationFactory(name_en=name) for name in ("Alpha", "Beta", "Gamma"))
    for member in (alpha, beta, gamma):
        NetworkMembershipFactory(network=xarxa, member=member)

    a1 = ActionFactory(objective__axis__plan=PlanFactory(owner=alpha, title_en="Alpha plan"), budget=Decimal("100"))
    a2 = ActionFactory(objective=ObjectiveFactory(axis=a1.objective.axis), budget=Decimal("40"))
    align(acting_user=user, element=a1, item=items["SDG:9.c"])
    align(acting_user=user, element=a2.objective, item=items["SDG:11"])
    indicator = IndicatorFactory(owner_organization=alpha)
    indicator.actions.add(a1)
    align(acting_user=user, element=indicator, item=items["SDG:11.2"])
    align(acting_user=user, element=indicator, item=items["SDG:3"])

    beta_axis = AxisFactory(plan=PlanFactory(owner=beta, title_en="Beta plan"))
    b1 = ActionFactory(objective__axis=beta_axis, budget=Decimal("60"))
    ActionFactory(objective__axis=beta_axis, budget=None)
    align(acting_user=user, element=beta_axis, item=items["SDG:9"])
    align(acting_user=user, element=b1, item=items["SDG:4.4"])

    n1 = ActionFactory(objective__axis__plan=PlanFactory(owner=xarxa, title_en="Shared agenda"), budget=Decimal("25"))
    align(acting_user=user, element=n1, item=items["SDG:11.3.1"])
    align(acting_user=user, element=n1, item=items["SDG:9.1"])

    g1 = ActionFactory(
        objective__axis__plan=PlanFactory(owner=gamma, title_en="Gamma plan", is_published=False),
        budget=Decimal("1000"),
    )
    align(acting_user=user, element=g1, item=items["SDG:9"])

    outsider = ActionFactory(budget=Decimal("500"))
    align(acting_user=user, element=outsider, item=items["SDG:9"])
    return {"network": xarxa, "admin": user}


def _goal(coverage, code):
    total = next(total for total in coverage.goals if total.goal.code == code)
    return total.actions, total.budget


def _cell(coverage, row, code):
    index = [total.goal.code for total in coverage.goals].index(code)
    cell = row.cells[index]
    return cell.actions, cell.budget


def test_network_totals_per_sdg_are_the_hand_computed_ones(network):
    coverage = selectors.network_coverage(AnonymousUser(), network["network"])
    assert [plan.title for plan in coverage.plans] == ["Alpha plan", "Beta plan", "Shared agenda"]
    assert coverage.action_count == 5 and coverage.aligned_action_count == 5
    assert coverage.budget_total == Decimal("225")
    assert _goal(coverage, "9") == (4, Decimal("185"))  # a1 100 + b1 60 + b2 0 + n1 25
    assert _goal(coverage, "11") == (2, Decimal("65"))  # a2 40 (objective) + n1 25 (11.3.1)
    assert _goal(coverage, "4") == (1, Decimal("60"))
    assert _goal(coverage, "3") == (0, Decimal("0"))  # only the indicator is aligned to it
    served = {target.code for total in coverage.goals for target in total.served_targets}
    assert served == {"9.c", "9.1", "11.3", "4.4"}  # not 11.2: only the indicator serves it


def test_network_rows_per_plan_are_the_hand_computed_ones(network):
    coverage = selectors.network_coverage(AnonymousUser(), network["network"])
    alpha, beta, shared = coverage.rows
    assert (alpha.actions, alpha.budget) == (2, Decimal("140"))
    assert _cell(coverage, alpha, "9") == (1, Decimal("100"))
    assert _cell(coverage, alpha, "11") == (1, Decimal("40"))
    assert (beta.actions, beta.budget) == (2, Decimal("60"))
    assert _cell(coverage, beta, "9") == (2, Decimal("60"))
    assert _cell(coverage, beta, "4") == (1, Decimal("60"))
    assert (shared.actions, shared.budget) == (1, Decimal("25"))
    assert _cell(coverage, shared, "9") == _cell(coverage, shared, "11") == (1, Decimal("25"))
    assert "Alpha" in alpha.label and "Xarxa" in shared.label


def test_site_admin_also_counts_the_unpublished_plan(network):
    coverage = selectors.network_coverage(network["admin"], network["network"])
    assert len(coverage.rows) == 4
    assert coverage.budget_total == Decimal("1225")
    assert _goal(coverage, "9") == (5, Decimal("1185"))


def test_network_page_and_csv_show_the_same_figures(client, network, django_assert_max_num_queries):
    # network, content version, plans, axes, objectives, actions, alignments, items ×2: a fixed count
    with django_assert_max_num_queries(10):
        page = client.get(reverse("alignment:network-coverage", args=["xarxa"]))
    html = page.content.decode()
    assert page.status_code == 200 and "Gamma plan" not in html and "Beta plan" in html
    response = client.get(reverse("alignment:network-coverage-csv", args=["xarxa"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["SDG", "", "SDG 9", "Goal 9", "4", "185.00", ""] in rows
    assert ["SDG", "", "SDG 11", "Goal 11", "2", "65.00", ""] in rows
    assert any(row[:2] == ["SDG by row", "Beta — Beta plan"] and row[2] == "SDG 4" and row[4] == "1" for row in rows)
