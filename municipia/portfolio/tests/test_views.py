"""The portfolio pages: they render in every language, show what the reader may see, and keep their query count."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from municipia.organizations.tests.factories import RoleFactory, UserFactory
from municipia.portfolio import services
from municipia.portfolio.choices import ProposalStatus
from municipia.portfolio.models import Scenario
from municipia.portfolio.tests.factories import (
    BudgetLineFactory,
    CriteriaSetFactory,
    CriterionFactory,
    EvaluatorAssignmentFactory,
    ExecutionEntryFactory,
    FundingSourceFactory,
    ProposalFactory,
    ScoreFactory,
    SourceAllocationFactory,
    criterion_of,
)
from municipia.strategy.tests.factories import ActionFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return PlanFactory(is_published=True)


def _world(plan, size: int):
    source = FundingSourceFactory(plan=plan, is_illustrative=True)
    SourceAllocationFactory(source=source, year=2024)
    objective = ObjectiveFactory(axis__plan=plan)
    criterion = criterion_of(plan)
    for _n in range(size):
        action = ActionFactory(objective=objective, plan=plan)
        for year in (2024, 2025):
            line = BudgetLineFactory(action=action, plan=plan, source=source, year=year)
            ExecutionEntryFactory(budget_line=line)
        proposal = ProposalFactory(axis=objective.axis, status=ProposalStatus.UNDER_EVALUATION)
        ScoreFactory(assignment=EvaluatorAssignmentFactory(proposal=proposal), criterion=criterion)
    return source


def _get(client, url):
    with translation.override(None):
        return client.get(url)


@pytest.mark.parametrize("name", ["plan-portfolio", "ranking", "fundingsource-list", "plan-budget", "evaluation"])
def test_plan_pages_keep_their_query_count(client, plan, name, django_assert_max_num_queries):
    admin = UserFactory(is_superuser=True)
    client.force_login(admin)
    _world(plan, 2)
    url = reverse(f"portfolio:{name}", args=[plan.slug])
    with django_assert_max_num_queries(1000) as small:
        assert _get(client, url).status_code == 200
    _world(plan, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert _get(client, url).status_code == 200


@pytest.mark.parametrize("code", ["en", "es", "ca", "bg"])
def test_budget_page_in_every_language_says_figures_are_illustrative(client, plan, code):
    _world(plan, 1)
    response = _get(client, f"/{code}/portfolio/plans/{plan.slug}/budget/")
    assert response.status_code == 200
    assert f'<html lang="{code}">' in response.content.decode()


def test_budget_page_shows_planned_committed_paid(client, plan):
    _world(plan, 1)
    html = _get(client, reverse("portfolio:plan-budget", args=[plan.slug])).content.decode()
    assert "illustrative" in html
    assert "2,000.00" in html and "1,000.00" in html  # planned 2 × 1000; committed 2 × 500


def test_a_draft_proposal_is_hidden_from_the_public(client, plan):
    proposal = ProposalFactory(axis__plan=plan, status=ProposalStatus.DRAFT)
    assert _get(client, proposal.get_absolute_url()).status_code == 404
    client.force_login(RoleFactory(organization=plan.owner).user)
    assert _get(client, proposal.get_absolute_url()).status_code == 200


def test_an_accepted_proposal_of_a_published_plan_is_public(client, plan):
    proposal = ProposalFactory(axis__plan=plan, status=ProposalStatus.ACCEPTED)
    assert _get(client, proposal.get_absolute_url()).status_code == 200


def test_a_coordinator_compares_two_scenarios_and_applies_one(client, plan):
    """The flow the browser test walks: two scenarios side by side, one applied, its proposals become actions."""
    writer = RoleFactory(organization=plan.owner).user
    objective = ObjectiveFactory(axis__plan=plan)
    source = FundingSourceFactory(plan=plan, cofinancing_rate=Decimal("100"))
    SourceAllocationFactory(source=source, year=2024, amount=Decimal("100"))
    criterion = CriterionFactory(criteria_set=CriteriaSetFactory(plan=plan))
    proposals = []
    for value, cost in ((7, 60), (5, 50), (5, 50)):
        proposal = ProposalFactory(axis=objective.axis, status=ProposalStatus.UNDER_EVALUATION)
        services.budget_line_create(
            acting_user=None,
            plan=plan,
            data={
                "proposal": proposal,
                "year": 2024,
                "source": source,
                "cost_category": "services",
                "amount": Decimal(cost),
            },
        )
        ScoreFactory(
            assignment=EvaluatorAssignmentFactory(proposal=proposal), criterion=criterion, value=Decimal(value)
        )
        proposals.append(proposal)
    client.force_login(writer)
    for title, parameters in (
        ("Full budget", "{}"),
        ("ERDF cut by 20 %", json.dumps({"source_factors": {source.code: 0.8}})),
    ):
        response = client.post(
            reverse("portfolio:scenario-create", args=[plan.slug]), {"title": title, "parameters": parameters}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    page = _get(client, reverse("portfolio:scenario-list", args=[plan.slug])).content.decode()
    assert "Full budget" in page and "ERDF cut by 20 %" in page and "Proven optimal (gap 0)." in page
    full = Scenario.objects.get(title="Full budget")
    assert sorted(full.result["selected"]) == sorted(f"p{p.pk}" for p in proposals[1:])
    cut = Scenario.objects.get(title="ERDF cut by 20 %")
    assert cut.result["selected"] == [f"p{proposals[0].pk}"]  # 80 €: only the 60 € proposal fits
    response = client.post(reverse("portfolio:scenario-apply", args=[full.pk]))
    assert response.status_code == 302
    for proposal in proposals:
        proposal.refresh_from_db()
    assert [p.status for p in proposals] == ["under_evaluation", "accepted", "accepted"]
    assert plan.actions.filter(proposal__in=proposals[1:]).count() == 2
    detail = _get(client, reverse("portfolio:scenario-detail", args=[full.pk])).content.decode()
    assert "ERDF" not in detail or "allocation" in detail
