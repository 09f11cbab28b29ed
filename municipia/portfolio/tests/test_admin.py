"""The admin of every portfolio model: lists and forms open, saves go through the services."""

from decimal import Decimal

import pytest
from django.urls import reverse

from municipia.organizations.tests.factories import UserFactory
from municipia.portfolio.models import BudgetLine
from municipia.portfolio.tests.factories import (
    BudgetLineFactory,
    CriterionFactory,
    EvaluatorAssignmentFactory,
    ExecutionEntryFactory,
    ProposalFactory,
    ScenarioFactory,
    ScoreFactory,
    SourceAllocationFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "proposal",
    "criteriaset",
    "criterion",
    "evaluatorassignment",
    "score",
    "fundingsource",
    "sourceallocation",
    "budgetline",
    "executionentry",
    "scenario",
]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize("model", MODELS)
def test_list_add_and_change_pages_open(admin_client, model):
    made = {
        "proposal": ProposalFactory,
        "criteriaset": lambda: CriterionFactory().criteria_set,
        "criterion": CriterionFactory,
        "evaluatorassignment": EvaluatorAssignmentFactory,
        "score": ScoreFactory,
        "fundingsource": lambda: SourceAllocationFactory().source,
        "sourceallocation": SourceAllocationFactory,
        "budgetline": BudgetLineFactory,
        "executionentry": ExecutionEntryFactory,
        "scenario": ScenarioFactory,
    }[model]()
    assert admin_client.get(reverse(f"admin:portfolio_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:portfolio_{model}_add")).status_code == 200
    assert admin_client.get(reverse(f"admin:portfolio_{model}_change", args=[made.pk])).status_code == 200


def test_an_admin_save_goes_through_the_service(admin_client):
    line = BudgetLineFactory(amount=Decimal("1000"), eu_share=Decimal("0"), own_share=Decimal("0"))
    before = line.history.count()
    data = {
        "action": line.action_id,
        "proposal": "",
        "year": 2024,
        "source": line.source_id,
        "cost_category": "services",
        "amount": "500.00",
    }
    response = admin_client.post(reverse("admin:portfolio_budgetline_change", args=[line.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    line = BudgetLine.objects.get(pk=line.pk)
    assert (line.amount, line.eu_share, line.own_share) == (Decimal("500.00"), Decimal("400.00"), Decimal("100.00"))
    assert line.history.count() == before + 1
