"""The portfolio API: reads scoped like the pages, a constant number of queries, the optimiser's answer."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from municipia.organizations.tests.factories import RoleFactory, UserFactory
from municipia.portfolio.choices import ProposalStatus
from municipia.portfolio.tests.factories import (
    BudgetLineFactory,
    EvaluatorAssignmentFactory,
    ExecutionEntryFactory,
    FundingSourceFactory,
    ProposalFactory,
    ScoreFactory,
    SourceAllocationFactory,
)
from municipia.strategy.tests.factories import ActionFactory, PlanFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "proposals",
    "criteria-sets",
    "criteria",
    "evaluator-assignments",
    "scores",
    "funding-sources",
    "allocations",
    "budget-lines",
    "execution-entries",
    "scenarios",
]


def _fill(plan, n):
    for _i in range(n):
        proposal = ProposalFactory(axis__plan=plan)
        proposal.councils.add(proposal.proposing_council)
        ScoreFactory(assignment=EvaluatorAssignmentFactory(proposal=proposal))
        action = ActionFactory(objective__axis__plan=plan, plan=plan)
        source = FundingSourceFactory(plan=plan)
        SourceAllocationFactory(source=source)
        ExecutionEntryFactory(budget_line=BudgetLineFactory(action=action, plan=plan, source=source))


@pytest.mark.parametrize("resource", LISTS)
def test_lists_keep_their_query_count(resource, django_assert_max_num_queries):
    plan = PlanFactory()
    client = APIClient()
    client.force_authenticate(UserFactory(is_superuser=True))
    _fill(plan, 2)
    with django_assert_max_num_queries(100) as small:
        assert client.get(f"/api/v1/{resource}/").status_code == 200
    _fill(plan, 10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/api/v1/{resource}/").status_code == 200


def test_the_public_sees_accepted_proposals_of_published_plans_only():
    plan = PlanFactory(is_published=True)
    accepted = ProposalFactory(axis__plan=plan, status=ProposalStatus.ACCEPTED)
    ProposalFactory(axis__plan=plan, status=ProposalStatus.SUBMITTED)
    ProposalFactory(axis__plan=PlanFactory(is_published=False), status=ProposalStatus.ACCEPTED)
    body = APIClient().get("/api/v1/proposals/").json()
    assert [row["id"] for row in body["results"]] == [accepted.pk]


def test_a_proposer_sees_their_own_proposal():
    proposal = ProposalFactory(status=ProposalStatus.DRAFT)
    editor = RoleFactory(organization=proposal.proposing_council).user
    client = APIClient()
    client.force_authenticate(editor)
    assert client.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 200
    client.force_authenticate(UserFactory())
    assert client.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404


def test_a_budget_line_gets_its_shares_and_a_bad_year_names_the_field():
    action = ActionFactory()
    writer = RoleFactory(organization=action.plan.owner).user
    source = FundingSourceFactory(plan=action.plan, cofinancing_rate=Decimal("80"))
    client = APIClient()
    client.force_authenticate(writer)
    body = {"plan": action.plan.slug, "action": action.pk, "source": source.pk, "cost_category": "works"}
    response = client.post("/api/v1/budget-lines/", {**body, "year": 2024, "amount": "1234.57"}, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["eu_share"], response.json()["own_share"]) == ("987.66", "246.91")
    response = client.post("/api/v1/budget-lines/", {**body, "year": 2031, "amount": "1"}, format="json")
    assert response.status_code == 400 and "year" in str(response.json())


def test_creating_a_scenario_runs_the_optimiser():
    plan = PlanFactory()
    writer = RoleFactory(organization=plan.owner).user
    client = APIClient()
    client.force_authenticate(writer)
    response = client.post(
        "/api/v1/scenarios/", {"plan": plan.slug, "title": "Empty", "parameters": {"bogus": 1}}, format="json"
    )
    assert response.status_code == 400 and "parameters" in str(response.json())
    response = client.post("/api/v1/scenarios/", {"plan": plan.slug, "title": "Empty", "parameters": {}}, format="json")
    assert response.status_code == 201
    result = response.json()["result"]
    assert result["status"] == "optimal" and result["proven"] and result["selected"] == []
