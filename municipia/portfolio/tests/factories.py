"""factory_boy factories for the portfolio."""

import datetime
from decimal import Decimal

import factory

from municipia.organizations.tests.factories import OrganizationFactory, UserFactory
from municipia.portfolio.choices import CostCategory, ExecutionKind, ProposalStatus, SourceKind
from municipia.portfolio.models import (
    BudgetLine,
    CriteriaSet,
    Criterion,
    EvaluatorAssignment,
    ExecutionEntry,
    FundingSource,
    Proposal,
    Scenario,
    Score,
    SourceAllocation,
)
from municipia.strategy.tests.factories import ActionFactory, AxisFactory, PlanFactory


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    axis = factory.SubFactory(AxisFactory)
    plan = factory.LazyAttribute(lambda p: p.axis.plan)
    proposing_council = factory.SubFactory(OrganizationFactory)
    title_en = factory.Sequence(lambda n: f"Proposal {n}")
    status = ProposalStatus.SUBMITTED


class CriteriaSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriteriaSet

    plan = factory.SubFactory(PlanFactory)
    title_en = "Criteria"
    scale_min = 0
    scale_max = 10


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    criteria_set = factory.SubFactory(CriteriaSetFactory)
    code = factory.Sequence(lambda n: f"C{n}")
    title_en = factory.Sequence(lambda n: f"Criterion {n}")
    weight = Decimal("1")


class EvaluatorAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluatorAssignment

    proposal = factory.SubFactory(ProposalFactory)
    evaluator = factory.SubFactory(UserFactory)


def criterion_of(plan, code: str = "impact") -> Criterion:
    """The plan's criterion `code`, creating the plan's criteria set if it has none."""
    criteria_set = CriteriaSet.objects.filter(plan=plan).first() or CriteriaSetFactory(plan=plan)
    return Criterion.objects.filter(criteria_set=criteria_set, code=code).first() or CriterionFactory(
        criteria_set=criteria_set, code=code
    )


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    assignment = factory.SubFactory(EvaluatorAssignmentFactory)
    criterion = factory.LazyAttribute(lambda s: criterion_of(s.assignment.proposal.plan))
    value = Decimal("7")


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"SRC{n}")
    title_en = factory.Sequence(lambda n: f"Source {n}")
    kind = SourceKind.ERDF
    cofinancing_rate = Decimal("80")
    eligible_from = 2024
    eligible_to = 2027


class SourceAllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceAllocation

    source = factory.SubFactory(FundingSourceFactory)
    year = 2024
    amount = Decimal("100000")


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    action = factory.SubFactory(ActionFactory)
    plan = factory.LazyAttribute(lambda line: line.action.plan)
    source = factory.LazyAttribute(lambda line: FundingSourceFactory(plan=line.plan))
    year = 2024
    cost_category = CostCategory.SERVICES
    amount = Decimal("1000")
    eu_share = Decimal("800")
    own_share = Decimal("200")


class ExecutionEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExecutionEntry

    budget_line = factory.SubFactory(BudgetLineFactory)
    kind = ExecutionKind.COMMITTED
    date = datetime.date(2024, 5, 1)
    amount = Decimal("500")


class ScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scenario

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Scenario {n}")
