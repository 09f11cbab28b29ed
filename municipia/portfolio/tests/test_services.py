"""Services: co-financing to the cent, the refusals that name their field, evaluation and decisions."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from municipia.organizations.tests.factories import OrganizationFactory, UserFactory
from municipia.portfolio import services
from municipia.portfolio.choices import CostCategory, ProposalStatus, Rounding, SourceKind
from municipia.portfolio.models import BudgetLine
from municipia.portfolio.selectors import plan_budget, proposal_scores, ranking
from municipia.portfolio.tests.factories import (
    CriteriaSetFactory,
    CriterionFactory,
    ExecutionEntryFactory,
    FundingSourceFactory,
    ProposalFactory,
    SourceAllocationFactory,
)
from municipia.strategy.tests.factories import ActionFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _errors(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    return error.value.message_dict


def _line(plan, source, **data):
    values = {"year": 2024, "source": source, "cost_category": CostCategory.SERVICES, "amount": Decimal("1000")}
    values.update(data)
    return services.budget_line_create(acting_user=None, plan=plan, data=values)


@pytest.fixture
def action():
    return ActionFactory()


# --- Co-financing arithmetic


@pytest.mark.parametrize(
    ("amount", "rate", "rounding", "eu", "own"),
    [
        ("1000.00", "80", Rounding.HALF_UP, "800.00", "200.00"),
        ("0.05", "50", Rounding.HALF_UP, "0.03", "0.02"),  # 0.025 rounds half up
        ("0.05", "50", Rounding.DOWN, "0.02", "0.03"),
        ("123456.78", "85", Rounding.HALF_UP, "104938.26", "18518.52"),  # 104938.263
        ("99.99", "100", Rounding.HALF_UP, "99.99", "0.00"),
        ("99.99", "0", Rounding.HALF_UP, "0.00", "99.99"),
    ],
)
def test_eu_and_own_shares_to_the_cent(action, amount, rate, rounding, eu, own):
    source = FundingSourceFactory(plan=action.plan, cofinancing_rate=Decimal(rate), rounding=rounding)
    line = _line(action.plan, source, action=action, amount=Decimal(amount))
    assert (line.eu_share, line.own_share) == (Decimal(eu), Decimal(own))
    assert line.eu_share + line.own_share == Decimal(amount)


def test_changing_a_rate_recomputes_its_lines(action):
    source = FundingSourceFactory(plan=action.plan, cofinancing_rate=Decimal("80"))
    line = _line(action.plan, source, action=action)
    services.funding_source_update(acting_user=None, source=source, data={"cofinancing_rate": Decimal("50")})
    line.refresh_from_db()
    assert (line.eu_share, line.own_share) == (Decimal("500.00"), Decimal("500.00"))


# --- Bad input names its field and saves nothing


@pytest.mark.parametrize("rate", [Decimal("-1"), Decimal("100.01")])
def test_a_rate_outside_0_100_is_refused(rate):
    plan = PlanFactory()
    data = {
        "code": "X",
        "title_en": "X",
        "kind": SourceKind.ERDF,
        "cofinancing_rate": rate,
        "eligible_from": 2024,
        "eligible_to": 2025,
    }
    assert "cofinancing_rate" in _errors(services.funding_source_create, acting_user=None, plan=plan, data=data)


def test_a_line_outside_the_plan_or_source_period_names_the_year(action):
    source = FundingSourceFactory(plan=action.plan, eligible_from=2025, eligible_to=2026)
    errors = _errors(_line, plan=action.plan, source=source, action=action, year=2030)
    assert "plan's period" in errors["year"][0]
    errors = _errors(_line, plan=action.plan, source=source, action=action, year=2024)
    assert "source's eligible period" in errors["year"][0]
    assert not BudgetLine.objects.exists()


def test_a_category_the_source_does_not_fund_is_refused(action):
    source = FundingSourceFactory(plan=action.plan, eligible_categories=[CostCategory.EQUIPMENT])
    errors = _errors(_line, plan=action.plan, source=source, action=action, cost_category=CostCategory.STAFF)
    assert list(errors) == ["cost_category"]


def test_a_line_beyond_a_strict_allocation_is_refused_and_a_lax_one_warns(action):
    strict = FundingSourceFactory(plan=action.plan, refuse_over_allocation=True)
    SourceAllocationFactory(source=strict, year=2024, amount=Decimal("1000"))
    _line(action.plan, strict, action=action, amount=Decimal("1000"))  # 800 of 1000
    errors = _errors(_line, plan=action.plan, source=strict, action=action, amount=Decimal("300"))  # 240 > 200 left
    assert "200.00" in errors["amount"][0]
    lax = FundingSourceFactory(plan=action.plan)
    SourceAllocationFactory(source=lax, year=2024, amount=Decimal("100"))
    _line(action.plan, lax, action=action, amount=Decimal("1000"))
    warnings = plan_budget(action.plan).warnings
    assert [(w[0].code, w[1], w[2], w[3]) for w in warnings] == [(lax.code, 2024, Decimal("800.00"), Decimal("100"))]


def test_a_line_names_either_an_action_or_a_proposal(action):
    source = FundingSourceFactory(plan=action.plan)
    assert "action" in _errors(_line, plan=action.plan, source=source)


def test_a_source_restricted_to_framework_items_refuses_unaligned_proposals():
    from municipia.alignment.tests.factories import FrameworkItemFactory

    proposal = ProposalFactory()
    source = FundingSourceFactory(plan=proposal.plan)
    source.framework_items.set([FrameworkItemFactory()])
    assert "source" in _errors(_line, plan=proposal.plan, source=source, proposal=proposal)


def test_a_dependency_cycle_is_refused():
    a = ProposalFactory()
    b = ProposalFactory(axis=a.axis)
    c = ProposalFactory(axis=a.axis)
    services.proposal_update(acting_user=None, proposal=a, data={}, depends_on=[b])
    services.proposal_update(acting_user=None, proposal=b, data={}, depends_on=[c])
    errors = _errors(services.proposal_update, acting_user=None, proposal=c, data={}, depends_on=[a])
    assert list(errors) == ["depends_on"]
    assert list(c.depends_on.all()) == []


def test_a_score_outside_the_scale_is_refused():
    proposal = ProposalFactory(status=ProposalStatus.UNDER_EVALUATION)
    criterion = CriterionFactory(criteria_set=CriteriaSetFactory(plan=proposal.plan, scale_min=1, scale_max=5))
    assignment = services.assignment_create(acting_user=None, proposal=proposal, data={"evaluator": UserFactory()})
    errors = _errors(
        services.score_create,
        acting_user=None,
        assignment=assignment,
        data={"criterion": criterion, "value": Decimal("6")},
    )
    assert "between 1 and 5" in errors["value"][0]


def test_execution_only_against_an_action_line():
    proposal = ProposalFactory()
    source = FundingSourceFactory(plan=proposal.plan)
    line = _line(proposal.plan, source, proposal=proposal)
    errors = _errors(
        services.execution_create,
        acting_user=None,
        budget_line=line,
        data={"kind": "payment", "date": "2024-01-01", "amount": Decimal("1")},
    )
    assert "budget_line" in errors


# --- Evaluation


def _scored(proposal, evaluator_org, values, *, allowed=False):
    assignment = services.assignment_create(
        acting_user=None,
        proposal=proposal,
        data={"evaluator": UserFactory(), "organization": evaluator_org, "conflict_allowed": allowed},
    )
    for criterion, value in values.items():
        services.score_create(
            acting_user=None, assignment=assignment, data={"criterion": criterion, "value": Decimal(value)}
        )
    return assignment


def test_aggregate_spread_and_the_conflict_of_interest_rule():
    proposal = ProposalFactory(status=ProposalStatus.UNDER_EVALUATION)
    criteria_set = CriteriaSetFactory(plan=proposal.plan)
    impact = CriterionFactory(criteria_set=criteria_set, weight=Decimal("3"))
    cost = CriterionFactory(criteria_set=criteria_set, weight=Decimal("1"))
    outsider = OrganizationFactory()
    _scored(proposal, outsider, {impact: 8, cost: 4})  # (24 + 4) / 4 = 7
    _scored(proposal, outsider, {impact: 4, cost: 8})  # (12 + 8) / 4 = 5
    conflicted = _scored(proposal, proposal.proposing_council, {impact: 10, cost: 10})
    assert conflicted.conflict_of_interest and not conflicted.counts
    score = proposal_scores(proposal.plan)[proposal.pk]
    assert (score.aggregate, score.spread, score.evaluators, score.excluded) == (6.0, 2.0, 2, 1)
    # The coordinator allows the conflicted evaluator: (7 + 5 + 10) / 3.
    services.assignment_update(acting_user=None, assignment=conflicted, data={"conflict_allowed": True})
    score = proposal_scores(proposal.plan)[proposal.pk]
    assert score.aggregate == pytest.approx(22 / 3) and score.spread == 5.0


def test_ranking_per_axis_and_plan():
    first = ProposalFactory(status=ProposalStatus.UNDER_EVALUATION)
    plan = first.plan
    other_axis = ProposalFactory(status=ProposalStatus.UNDER_EVALUATION, axis__plan=plan)
    second = ProposalFactory(status=ProposalStatus.UNDER_EVALUATION, axis=first.axis)
    criterion = CriterionFactory(criteria_set=CriteriaSetFactory(plan=plan))
    for proposal, value in ((first, 9), (other_axis, 6), (second, 3)):
        _scored(proposal, None, {criterion: value})
    rows = ranking(plan, UserFactory(is_superuser=True))
    assert [(r.proposal, r.rank_in_plan, r.rank_in_axis) for r in rows] == [
        (first, 1, 1),
        (other_axis, 2, 1),
        (second, 3, 2),
    ]


# --- Decisions


def test_rejecting_needs_a_reason_and_tells_the_proposer(mailoutbox, django_capture_on_commit_callbacks):
    proposal = ProposalFactory(status=ProposalStatus.SUBMITTED, proposed_by=UserFactory(email="proposer@example.org"))
    assert "rejection_reason" in _errors(services.proposal_reject, acting_user=None, proposal=proposal, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_reject(acting_user=None, proposal=proposal, reason="Duplicates 2.1")
    assert proposal.status == ProposalStatus.REJECTED and proposal.rejection_reason == "Duplicates 2.1"
    [mail] = mailoutbox
    assert mail.to == ["proposer@example.org"] and "Duplicates 2.1" in mail.body


def test_an_accepted_proposal_becomes_an_action_with_its_lines_and_councils():
    proposal = ProposalFactory(status=ProposalStatus.UNDER_EVALUATION, title_ca="Proposta", description_es="Texto")
    objective = ObjectiveFactory(axis=proposal.axis)
    partner = OrganizationFactory()
    proposal.councils.set([partner])
    source = FundingSourceFactory(plan=proposal.plan)
    _line(proposal.plan, source, proposal=proposal, year=2025, amount=Decimal("5000"))
    services.proposal_accept(acting_user=None, proposal=proposal)
    action = proposal.action
    assert proposal.status == ProposalStatus.ACCEPTED
    assert action.objective == objective and action.title_ca == "Proposta" and action.description_es == "Texto"
    assert action.budget == Decimal("5000") and str(action.start_date) == "2025-01-01"
    assert list(action.participants.all()) == [partner]
    assert list(action.budget_lines.values_list("amount", flat=True)) == [Decimal("5000.00")]
    assert "status" in _errors(services.proposal_accept, acting_user=None, proposal=proposal)


def test_a_draft_cannot_be_accepted_and_merging_into_itself_is_refused():
    proposal = ProposalFactory(status=ProposalStatus.DRAFT)
    assert "status" in _errors(services.proposal_accept, acting_user=None, proposal=proposal)
    assert "merged_into" in _errors(services.proposal_merge, acting_user=None, proposal=proposal, into=proposal)


def test_budget_summary_planned_committed_paid(action):
    source = FundingSourceFactory(plan=action.plan)
    line = _line(action.plan, source, action=action)
    ExecutionEntryFactory(budget_line=line, kind="committed", amount=Decimal("600"))
    ExecutionEntryFactory(budget_line=line, kind="payment", amount=Decimal("250"))
    summary = plan_budget(action.plan)
    assert (summary.total.planned, summary.total.committed, summary.total.paid) == (
        Decimal("1000.00"),
        Decimal("600.00"),
        Decimal("250.00"),
    )
    assert summary.by_source[0][1].eu_share == Decimal("800.00")
