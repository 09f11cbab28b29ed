"""The optimiser's problem for a plan: its open proposals and not-yet-started actions, budgets and limits.

Scenario parameters change the plan's figures without touching them:
`source_factors` {"ERDF": 0.8} scales a source's allocations, `year_factors` {"OWN|2024": 0}
one year of one source, `axis_min`/`axis_max` {"<axis code>": n} bound the proposals chosen
per axis, `council_floor` n asks for at least n per council involved, `action_score` is the score
of an action that did not come from a scored proposal (default: the middle of the scale),
`include`/`exclude` ["p12", "a7"] force proposals (p) or actions (a) in or out.
"""

from __future__ import annotations

from collections import defaultdict

from municipia.portfolio.choices import ProposalStatus, SourceKind
from municipia.portfolio.models import BudgetLine, CriteriaSet, FundingSource, Proposal, SourceAllocation
from municipia.portfolio.optimiser import Candidate, Problem
from municipia.portfolio.selectors import proposal_scores
from municipia.strategy.choices import ActionStatus
from municipia.strategy.models import Action, Plan
from municipia.strategy.selectors import actions_of_plans

OPEN = (ProposalStatus.SUBMITTED, ProposalStatus.UNDER_EVALUATION)


def _factor(parameters: dict, source: FundingSource, year: int) -> float:
    factor = float(parameters.get("source_factors", {}).get(source.code, 1))
    return factor * float(parameters.get("year_factors", {}).get(f"{source.code}|{year}", 1))


def _budgets(plan: Plan, parameters: dict, sources: dict[int, FundingSource]):
    allocations: dict[tuple[str, int], float] = {}
    own_budget: dict[int, float] = defaultdict(float)
    for source_id, year, amount in SourceAllocation.objects.filter(source__plan=plan).values_list(
        "source_id", "year", "amount"
    ):
        source = sources[source_id]
        value = float(amount) * _factor(parameters, source, year)
        if source.kind == SourceKind.OWN:
            own_budget[year] += value
        else:
            allocations[(source.code, year)] = value
    return allocations, dict(own_budget)


def _eligible_proposals(plan: Plan, proposals: dict[int, Proposal], sources: dict[int, FundingSource]) -> set[int]:
    """Proposals whose every line's source accepts them (aligned to one of the source's framework items)."""
    restricted: dict[int, set[int]] = defaultdict(set)
    for source_id, item_id in FundingSource.framework_items.through.objects.filter(
        fundingsource__plan=plan
    ).values_list("fundingsource_id", "frameworkitem_id"):
        restricted[source_id].add(item_id)
    tags: dict[int, set[int]] = defaultdict(set)
    for proposal_id, item_id in Proposal.tags.through.objects.filter(proposal__plan=plan).values_list(
        "proposal_id", "frameworkitem_id"
    ):
        tags[proposal_id].add(item_id)
    ineligible = set()
    for proposal_id, source_id, year in BudgetLine.objects.filter(proposal__in=list(proposals)).values_list(
        "proposal_id", "source_id", "year"
    ):
        source = sources[source_id]
        if (restricted[source_id] and not restricted[source_id] & tags[proposal_id]) or not (
            source.eligible_from <= year <= source.eligible_to
        ):
            ineligible.add(proposal_id)
    return set(proposals) - ineligible


def _candidates(plan: Plan, parameters: dict, sources: dict[int, FundingSource]) -> dict[str, Candidate]:
    proposals = {
        p.pk: p for p in Proposal.objects.filter(plan=plan, status__in=OPEN).select_related("axis", "proposing_council")
    }
    actions = (
        actions_of_plans([plan.pk]).filter(status=ActionStatus.PLANNED, progress=0).select_related("objective__axis")
    )
    criteria_set = CriteriaSet.objects.filter(plan=plan).first()
    middle = (criteria_set.scale_min + criteria_set.scale_max) / 2 if criteria_set else 5.0
    action_score = float(parameters.get("action_score", middle))
    scores = proposal_scores(plan)
    from_proposal = dict(Proposal.objects.filter(plan=plan, action__isnull=False).values_list("action_id", "pk"))
    eligible = _eligible_proposals(plan, proposals, sources)

    def score_of(proposal_id: int | None, default: float) -> float:
        score = scores.get(proposal_id) if proposal_id else None
        return score.aggregate if score and score.aggregate is not None else default

    candidates = {
        f"p{pk}": Candidate(
            key=f"p{pk}",
            title=proposal.title,
            score=score_of(pk, 0.0),
            axis=proposal.axis.code,
            councils=(proposal.proposing_council.slug,),
            eligible=pk in eligible,
        )
        for pk, proposal in proposals.items()
    }
    for action in actions:
        candidates[f"a{action.pk}"] = Candidate(
            key=f"a{action.pk}",
            title=action.title,
            score=score_of(from_proposal.get(action.pk), action_score),
            axis=action.objective.axis.code,
        )
    return candidates


def _add_costs(plan, sources, candidates, allocations, own_budget) -> None:
    """Candidates' lines become their costs; lines of actions under way come off the budgets."""
    own_ids = {pk for pk, s in sources.items() if s.kind == SourceKind.OWN}
    lines = BudgetLine.objects.filter(plan=plan).values_list(
        "proposal_id", "action_id", "source_id", "year", "eu_share", "own_share"
    )
    for proposal_id, action_id, source_id, year, share, own in lines:
        key = f"p{proposal_id}" if proposal_id else f"a{action_id}"
        code = sources[source_id].code
        source_share = 0.0 if source_id in own_ids else float(share)
        if key in candidates:
            before = candidates[key].costs.get((code, year), (0.0, 0.0))
            candidates[key].costs[(code, year)] = (before[0] + source_share, before[1] + float(own))
        elif action_id:
            if (code, year) in allocations:
                allocations[(code, year)] -= source_share
            if year in own_budget:
                own_budget[year] -= float(own)


def _links(plan: Plan, candidates: dict[str, Candidate]) -> tuple[list, list]:
    through = Proposal.depends_on.through.objects.filter(from_proposal__plan=plan)
    dependencies = [(f"p{a}", f"p{b}") for a, b in through.values_list("from_proposal_id", "to_proposal_id")]
    actions = Action.dependencies.through.objects.filter(from_action__plan=plan)
    dependencies += [(f"a{a}", f"a{b}") for a, b in actions.values_list("from_action_id", "to_action_id")]
    accepted = {
        f"p{pk}"
        for pk in Proposal.objects.filter(plan=plan, status=ProposalStatus.ACCEPTED).values_list("pk", flat=True)
    }
    for needs, needed in dependencies:
        # A dependency on a proposal neither open here nor accepted already cannot be met.
        if needs in candidates and needed not in candidates and needed.startswith("p") and needed not in accepted:
            candidates[needs].eligible = False
    excludes = Proposal.excludes.through.objects.filter(from_proposal__plan=plan)
    exclusions = [(f"p{a}", f"p{b}") for a, b in excludes.values_list("from_proposal_id", "to_proposal_id")]
    return dependencies, exclusions


def problem_from_plan(plan: Plan, parameters: dict) -> Problem:
    """Every open proposal and planned action of the plan as candidates; started actions' lines are
    already spent, so they come off the allocations."""
    sources = {s.pk: s for s in FundingSource.objects.filter(plan=plan)}
    allocations, own_budget = _budgets(plan, parameters, sources)
    candidates = _candidates(plan, parameters, sources)
    _add_costs(plan, sources, candidates, allocations, own_budget)
    dependencies, exclusions = _links(plan, candidates)
    for key in parameters.get("include", []):
        if key in candidates:
            candidates[key].required = True
    for key in parameters.get("exclude", []):
        if key in candidates:
            candidates[key].eligible = False
    labels = {s.code: str(s.title) for s in sources.values()}
    labels.update({axis.code: f"{axis.code} {axis.title}" for axis in plan.axes.all()})
    councils = Proposal.objects.filter(plan=plan, status__in=OPEN).values_list(
        "proposing_council__slug", "proposing_council__name"
    )
    labels.update(dict(councils))
    return Problem(
        candidates=list(candidates.values()),
        allocations=allocations,
        own_budget=own_budget,
        dependencies=dependencies,
        exclusions=exclusions,
        axis_min={k: int(v) for k, v in parameters.get("axis_min", {}).items()},
        axis_max={k: int(v) for k, v in parameters.get("axis_max", {}).items()},
        council_floor=int(parameters.get("council_floor", 0)),
        labels=labels,
    )
