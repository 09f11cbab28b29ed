"""API of the portfolio: proposals and their decisions, criteria, evaluations, funding sources,
allocations, budget lines, execution and optimiser scenarios (a scenario is one optimiser run:
creating or updating it solves it, its `result` is the answer, `apply` adopts it).

Every viewset is an EntityViewSet: reads scoped by the entity's rule, writes through its services.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action as viewset_action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from municipia.api.serializers import entity_fields, translated_read_only_kwargs
from municipia.api.viewsets import EntityViewSet
from municipia.core.entities import Entity
from municipia.portfolio import filters, services
from municipia.portfolio.entities import (
    BUDGET_LINE,
    CRITERIA_SET,
    CRITERION,
    EVALUATOR_ASSIGNMENT,
    EXECUTION_ENTRY,
    FUNDING_SOURCE,
    PROPOSAL,
    SCENARIO,
    SCORE,
    SOURCE_ALLOCATION,
)
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
from municipia.strategy.entities import ACTION, AXIS, PLAN
from municipia.strategy.selectors import plan_choices


class PortfolioSerializer(serializers.ModelSerializer):
    """Base: a plan by its slug; related choices limited to what the user may see; the parent fixed."""

    plan = serializers.SlugRelatedField(slug_field="slug", queryset=plan_choices())
    entity: Entity = None  # type: ignore[assignment]

    def _user(self):
        request = self.context.get("request")
        return request.user if request is not None else AnonymousUser()

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is None or request.method in SAFE_METHODS:
            return fields
        for name, entity in (("plan", PLAN), ("axis", AXIS), ("action", ACTION), ("proposal", PROPOSAL)):
            field = fields.get(name)
            if field is not None and not field.read_only and hasattr(field, "queryset"):
                field.queryset = entity.visible(self._user())
        return fields

    def get_validators(self) -> list:
        # Unique rows are checked by the services and the database; the services name the field.
        return []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        parent = self.entity.parent
        if self.instance is not None and parent in attrs and attrs[parent] != getattr(self.instance, parent):
            raise serializers.ValidationError({parent: ["This cannot be changed once created."]})
        return attrs


def _serializer(entity: Entity, model, *, extra: tuple[str, ...] = (), plan_field: bool = True, **attrs):
    names = entity_fields(entity, first=("id", *([entity.parent] if entity.parent else [])), last=extra)
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": names,
            "read_only_fields": extra,
            "extra_kwargs": translated_read_only_kwargs(*entity.translated),
        },
    )
    body: dict[str, Any] = {"Meta": meta, "entity": entity, "__module__": __name__, **attrs}
    if entity.parent != "plan" and not plan_field:
        body["plan"] = None
    return type(f"{model.__name__}Serializer", (PortfolioSerializer,), body)


ProposalSerializer = _serializer(
    PROPOSAL, Proposal, extra=("status", "rejection_reason", "merged_into", "action", "proposed_by")
)
CriteriaSetSerializer = _serializer(CRITERIA_SET, CriteriaSet, extra=("comparisons", "consistency_ratio"))
CriterionSerializer = _serializer(CRITERION, Criterion, plan_field=False)
AssignmentSerializer = _serializer(
    EVALUATOR_ASSIGNMENT, EvaluatorAssignment, extra=("conflict_of_interest",), plan_field=False
)
ScoreSerializer = _serializer(SCORE, Score, plan_field=False)
FundingSourceSerializer = _serializer(FUNDING_SOURCE, FundingSource)
AllocationSerializer = _serializer(SOURCE_ALLOCATION, SourceAllocation, plan_field=False)
BudgetLineSerializer = _serializer(BUDGET_LINE, BudgetLine, extra=("eu_share", "own_share"))
ExecutionEntrySerializer = _serializer(EXECUTION_ENTRY, ExecutionEntry, plan_field=False)
ScenarioSerializer = _serializer(SCENARIO, Scenario, extra=("result", "applied_at"))


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class MergeSerializer(serializers.Serializer):
    into: "serializers.PrimaryKeyRelatedField[Proposal]" = serializers.PrimaryKeyRelatedField(
        queryset=Proposal.objects.all()
    )


class ComparisonsSerializer(serializers.Serializer):
    comparisons = serializers.DictField(child=serializers.FloatField())


class ProposalViewSet(EntityViewSet):
    """Proposals of actions for a plan's axes, and the decisions on them (submit, evaluate, accept, reject, merge)."""

    entity = PROPOSAL
    serializer_class = ProposalSerializer
    filterset_class = filters.ProposalFilter
    rules_actions = {
        "submit": "submit",
        "start_evaluation": "decide",
        "accept": "decide",
        "reject": "decide",
        "merge": "decide",
    }

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("plan", "axis", "proposing_council")
            .prefetch_related("councils", "depends_on", "excludes", "tags")
        )

    def _transition(self, service, **kwargs):
        proposal = self.get_object()
        result = service(acting_user=self.request.user, proposal=proposal, **kwargs)
        return Response(self.get_serializer(self.refetched(result)).data)

    @extend_schema(request=None, responses=ProposalSerializer)
    @viewset_action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(services.proposal_submit)

    @extend_schema(request=None, responses=ProposalSerializer)
    @viewset_action(detail=True, methods=["post"], url_path="start-evaluation")
    def start_evaluation(self, request, pk=None):
        return self._transition(services.proposal_start_evaluation)

    @extend_schema(request=None, responses=ProposalSerializer)
    @viewset_action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._transition(services.proposal_accept)

    @extend_schema(request=ReasonSerializer, responses=ProposalSerializer)
    @viewset_action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._transition(services.proposal_reject, reason=body.validated_data["reason"])

    @extend_schema(request=MergeSerializer, responses=ProposalSerializer)
    @viewset_action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        body = MergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        into = PROPOSAL.get(request.user, pk=body.validated_data["into"].pk)
        return self._transition(services.proposal_merge, into=into)


class CriteriaSetViewSet(EntityViewSet):
    """A plan's criteria set; `compare` sets the weights from pairwise comparisons (AHP)."""

    entity = CRITERIA_SET
    serializer_class = CriteriaSetSerializer
    filterset_class = filters.PlanChildFilter.for_model(CriteriaSet)
    rules_actions = {"compare": "change"}

    def get_queryset(self):
        return super().get_queryset().select_related("plan")

    @extend_schema(request=ComparisonsSerializer, responses=CriteriaSetSerializer)
    @viewset_action(detail=True, methods=["post"])
    def compare(self, request, pk=None):
        criteria_set = self.get_object()
        body = ComparisonsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.criteria_set_compare(
            acting_user=request.user, criteria_set=criteria_set, comparisons=body.validated_data["comparisons"]
        )
        return Response(self.get_serializer(self.refetched(criteria_set)).data)


class CriterionViewSet(EntityViewSet):
    entity = CRITERION
    serializer_class = CriterionSerializer
    filterset_class = filters.CriterionFilter


class AssignmentViewSet(EntityViewSet):
    entity = EVALUATOR_ASSIGNMENT
    serializer_class = AssignmentSerializer
    filterset_class = filters.AssignmentFilter


class ScoreViewSet(EntityViewSet):
    entity = SCORE
    serializer_class = ScoreSerializer
    filterset_class = filters.ScoreFilter


class FundingSourceViewSet(EntityViewSet):
    entity = FUNDING_SOURCE
    serializer_class = FundingSourceSerializer
    filterset_class = filters.PlanChildFilter.for_model(FundingSource)

    def get_queryset(self):
        return super().get_queryset().select_related("plan").prefetch_related("framework_items")


class AllocationViewSet(EntityViewSet):
    entity = SOURCE_ALLOCATION
    serializer_class = AllocationSerializer
    filterset_class = filters.AllocationFilter


class BudgetLineViewSet(EntityViewSet):
    entity = BUDGET_LINE
    serializer_class = BudgetLineSerializer
    filterset_class = filters.BudgetLineFilter

    def get_queryset(self):
        return super().get_queryset().select_related("plan")


class ExecutionEntryViewSet(EntityViewSet):
    entity = EXECUTION_ENTRY
    serializer_class = ExecutionEntrySerializer
    filterset_class = filters.ExecutionEntryFilter


class ScenarioViewSet(EntityViewSet):
    """Optimiser runs: creating or updating a scenario solves it; `apply` accepts its selected proposals."""

    entity = SCENARIO
    serializer_class = ScenarioSerializer
    filterset_class = filters.PlanChildFilter.for_model(Scenario)
    rules_actions = {"apply": "apply"}

    def get_queryset(self):
        return super().get_queryset().select_related("plan")

    @extend_schema(request=None, responses=ScenarioSerializer)
    @viewset_action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        scenario = self.get_object()
        services.scenario_apply(acting_user=request.user, scenario=scenario)
        return Response(self.get_serializer(self.refetched(scenario)).data)
