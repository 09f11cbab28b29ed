"""The portfolio demo: sixty evaluated Catalan proposals, Jerez's EDUSI funding, Sofia's; idempotent."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from municipia.organizations.loaders import load_records, read_bulgarian, read_spanish
from municipia.portfolio.demo import CATALAN, JEREZ, SOFIA, build_portfolio_demo
from municipia.portfolio.models import (
    BudgetLine,
    EvaluatorAssignment,
    ExecutionEntry,
    FundingSource,
    Proposal,
    Scenario,
    Score,
)
from municipia.portfolio.selectors import plan_budget, proposal_scores
from municipia.strategy.models import Plan

MODELS = (Proposal, EvaluatorAssignment, Score, FundingSource, BudgetLine, ExecutionEntry, Scenario)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        records = [r for r in read_spanish() if r.values["region_code"] == "09" or r.values["official_code"] == "11020"]
        records += [r for r in read_bulgarian() if r.values["official_code"] == "SOF46"]
        load_records(records)
        call_command("load_demo", stdout=StringIO())
        out = StringIO()
        build_portfolio_demo(stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_catalan_groups_receive_sixty_proposals_with_three_evaluators_each(demo):
    plan = Plan.objects.get(slug=CATALAN)
    proposals = Proposal.objects.filter(plan=plan)
    assert proposals.count() == 60
    assert set(proposals.values_list("axis__code", flat=True)) == set(plan.axes.values_list("code", flat=True))
    assert {p.assignments.count() for p in proposals} == {3}
    scores = proposal_scores(plan)
    assert all(scores[p.pk].evaluators >= 2 for p in proposals)
    assert plan.criteria_set.consistency_ratio < Decimal("0.1")


def test_catalan_scenarios_are_proven_optimal(demo):
    for scenario in Scenario.objects.filter(plan__slug=CATALAN):
        assert scenario.result["status"] == "optimal" and scenario.result["proven"], scenario.title
        assert scenario.result["selected"]


def test_jerez_is_funded_by_edusi_at_80_percent_with_execution(demo):
    plan = Plan.objects.get(slug=JEREZ)
    edusi = FundingSource.objects.get(plan=plan, code="EDUSI-L2")
    assert edusi.cofinancing_rate == Decimal("80")
    summary = plan_budget(plan)
    assert summary.years == [2021, 2022, 2023]
    assert summary.total.paid > 0 and summary.total.committed >= summary.total.paid
    assert summary.illustrative
    assert {s.code for s, _m in summary.by_source} >= {"EDUSI-L2", "PROPIO"}


def test_sofia_has_own_funds_and_an_eu_programme(demo):
    kinds = set(FundingSource.objects.filter(plan__slug=SOFIA).values_list("kind", flat=True))
    assert kinds == {"own", "eu_other"}
    assert BudgetLine.objects.filter(plan__slug=SOFIA).exists()


def test_running_the_demo_twice_duplicates_nothing(demo):
    before = [model.objects.count() for model in MODELS]
    build_portfolio_demo()
    assert [model.objects.count() for model in MODELS] == before
