"""API of indicators, baselines, targets, observations, imports and status; reads via selectors, writes via services.

Organisations are named by slug, indicators, objectives and actions by id. Values are decimal
strings with six decimals, as stored.
"""

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action as viewset_action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from municipia.api.serializers import (
    HtmlUrlField,
    LinkField,
    entity_fields,
    translated_fields,
    translated_read_only_kwargs,
)
from municipia.api.viewsets import EntityViewSet
from municipia.indicators import selectors, services
from municipia.indicators.benchmarking import network_benchmark
from municipia.indicators.choices import ActionHealth, IndicatorStatus, Trend
from municipia.indicators.entities import BASELINE, INDICATOR, OBSERVATION, TARGET
from municipia.indicators.filters import BaselineFilter, IndicatorFilter, ObservationFilter, TargetFilter
from municipia.indicators.models import VALUE_DECIMALS, VALUE_DIGITS, Baseline, Indicator, Observation, Target
from municipia.indicators.monitoring import plan_monitoring
from municipia.organizations.choices import OrganizationKind
from municipia.organizations.selectors import organization_find, organization_list, organization_slugs
from municipia.strategy.entities import ACTION, OBJECTIVE
from municipia.strategy.selectors import axis_codes, objective_axes_and_codes, plan_get

FIXED_AFTER_CREATION = _("This cannot be changed once created.")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _user_of(serializer) -> Any:
    request = serializer.context.get("request")
    return request.user if request is not None else AnonymousUser()


def _is_read(serializer) -> bool:
    request = serializer.context.get("request")
    return request is not None and request.method in SAFE_METHODS


class FixedParentsMixin:
    """The fields in `fixed_fields` may be given on creation only."""

    fixed_fields: tuple[str, ...] = ()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            errors = {
                name: [FIXED_AFTER_CREATION]
                for name in self.fixed_fields
                if name in attrs and attrs[name] != getattr(self.instance, name)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return attrs

    def get_validators(self) -> list:
        # Uniqueness is checked by the services (full_clean), whose message names the field.
        return []


# --- Indicators


class IndicatorSerializer(FixedParentsMixin, serializers.ModelSerializer):
    """An indicator: what is measured, in which unit, how often, which way is better, and what it serves."""

    fixed_fields = ("owner_organization",)

    url = LinkField(view_name="api:indicator-detail")
    html_url = HtmlUrlField(view_name="indicators:indicator-detail")
    owner_organization = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=organization_list(),
        allow_null=True,
        required=False,
        help_text=_("Slug of the owning council or network; null for site-wide indicators. Fixed once created."),
    )
    objectives = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=OBJECTIVE.none(), help_text=_("Ids of strategic objectives.")
    )
    actions = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=ACTION.none(), help_text=_("Ids of actions.")
    )

    class Meta:
        model = Indicator
        fields = [
            "url",
            "html_url",
            "id",
            "code",
            *translated_fields("name", "description"),
            "unit",
            "direction",
            "frequency",
            "data_source",
            "framework_code",
            "owner_organization",
            "owner_person",
            "objectives",
            "actions",
            "is_public",
        ]
        extra_kwargs = translated_read_only_kwargs("name", "description")

    def get_fields(self):
        fields = super().get_fields()
        if _is_read(self):
            return fields
        user = _user_of(self)
        fields["objectives"].child_relation.queryset = OBJECTIVE.visible(user)
        fields["actions"].child_relation.queryset = ACTION.visible(user)
        return fields


class AssessmentSerializer(serializers.Serializer):
    """The state of an indicator for one organisation (rules: municipia/indicators/status.py)."""

    organization = serializers.CharField(help_text=_("Slug of the organisation."))
    status = serializers.ChoiceField(choices=IndicatorStatus.choices)
    latest_date = serializers.DateField(allow_null=True)
    latest_value = serializers.DecimalField(VALUE_DIGITS, VALUE_DECIMALS, allow_null=True)
    previous_date = serializers.DateField(allow_null=True)
    previous_value = serializers.DecimalField(VALUE_DIGITS, VALUE_DECIMALS, allow_null=True)
    trend = serializers.ChoiceField(choices=Trend.choices, allow_null=True)
    improving = serializers.BooleanField(
        allow_null=True, help_text=_("Whether the trend goes the better way; null when flat or unknown.")
    )
    expected_value = serializers.DecimalField(
        VALUE_DIGITS,
        VALUE_DECIMALS,
        allow_null=True,
        help_text=_("Where the path from the baseline to the targets says the value should be on the latest date."),
    )
    next_target_year = serializers.IntegerField(allow_null=True)
    next_target_value = serializers.DecimalField(VALUE_DIGITS, VALUE_DECIMALS, allow_null=True)
    stale = serializers.BooleanField(help_text=_("The latest value is older than the frequency allows."))


class IndicatorStatusSerializer(serializers.Serializer):
    """An indicator and its state for every organisation with observations."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    organizations = AssessmentSerializer(many=True)


def _assessment_rows(table: selectors.StatusTable) -> dict[int, list[dict]]:
    """Assessments as plain rows for the serializers, grouped by indicator (one query for slugs)."""
    org_ids = {org_id for (_ind, org_id) in table.assessments}
    slugs = organization_slugs(org_ids)
    rows: dict[int, list[dict]] = {}
    for (indicator_id, org_id), a in sorted(table.assessments.items(), key=lambda item: slugs.get(item[0][1], "")):
        rows.setdefault(indicator_id, []).append(
            {
                "organization": slugs.get(org_id, ""),
                "status": a.status,
                "latest_date": a.latest.date if a.latest else None,
                "latest_value": a.latest.value if a.latest else None,
                "previous_date": a.previous.date if a.previous else None,
                "previous_value": a.previous.value if a.previous else None,
                "trend": a.trend,
                "improving": a.improving,
                "expected_value": a.expected,
                "next_target_year": a.next_target.date.year if a.next_target else None,
                "next_target_value": a.next_target.value if a.next_target else None,
                "stale": a.stale,
            }
        )
    return rows


# --- Benchmarking and plan monitoring (read-only; rules in benchmarking.py and monitoring.py)


class SummarySerializer(serializers.Serializer):
    count = serializers.IntegerField()
    q1 = serializers.DecimalField(VALUE_DIGITS, VALUE_DECIMALS, allow_null=True)
    median = serializers.DecimalField(VALUE_DIGITS, VALUE_DECIMALS, allow_null=True)
    q3 = serializers.DecimalField(VALUE_DIGITS, VALUE_DECIMALS, allow_null=True)
    best = serializers.DecimalField(VALUE_DIGITS, VALUE_DECIMALS, allow_null=True)
    worst = serializers.DecimalField(VALUE_DIGITS, VALUE_DECIMALS, allow_null=True)


class PeerGroupSerializer(serializers.Serializer):
    band = serializers.IntegerField(help_text=_("0: under 5,000 inhabitants … 5: 500,000 and over; 6: unknown."))
    label = serializers.CharField()
    members = serializers.IntegerField()
    summary = SummarySerializer()


class BenchmarkMemberSerializer(serializers.Serializer):
    organization = serializers.CharField(help_text=_("Slug of the council."))
    name = serializers.CharField()
    population = serializers.IntegerField(allow_null=True)
    band = serializers.IntegerField()
    rank = serializers.IntegerField(allow_null=True, help_text=_("1 is best; equal values share a rank."))
    band_rank = serializers.IntegerField(allow_null=True)
    latest_date = serializers.DateField(allow_null=True)
    latest_value = serializers.DecimalField(VALUE_DIGITS, VALUE_DECIMALS, allow_null=True)
    status = serializers.ChoiceField(choices=IndicatorStatus.choices)
    stale = serializers.BooleanField()


class BenchmarkSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    code = serializers.CharField()
    network = serializers.CharField(help_text=_("Slug of the network."))
    direction = serializers.CharField()
    ranked = serializers.IntegerField(help_text=_("Members with a value."))
    overall = SummarySerializer()
    groups = PeerGroupSerializer(many=True)
    members = BenchmarkMemberSerializer(many=True)
    highlighted = serializers.CharField(allow_null=True, help_text=_("Slug of the highlighted council, if any."))


def _quantize(value):
    return value.quantize(Decimal(1).scaleb(-VALUE_DECIMALS)) if value is not None else None


def _summary(summary) -> dict:
    return {name: _quantize(getattr(summary, name)) for name in ("q1", "median", "q3", "best", "worst")} | {
        "count": summary.count
    }


def benchmark_data(result) -> dict:
    return {
        "indicator": result.indicator.pk,
        "code": result.indicator.code,
        "network": result.network.slug,
        "direction": result.indicator.direction,
        "ranked": result.ranked,
        "overall": _summary(result.overall),
        "groups": [
            {"band": g.band, "label": g.label, "members": g.members, "summary": _summary(g.summary)}
            for g in result.groups
        ],
        "members": [
            {
                "organization": row.organization.slug,
                "name": str(row.organization.name),
                "population": row.organization.population,
                "band": row.band,
                "rank": row.rank,
                "band_rank": row.band_rank,
                "latest_date": row.assessment.latest.date if row.assessment.latest else None,
                "latest_value": row.value,
                "status": row.assessment.status,
                "stale": row.assessment.stale,
            }
            for row in result.rows
        ],
        "highlighted": result.highlighted.organization.slug if result.highlighted else None,
    }


@extend_schema_view(
    status=extend_schema(operation_id="v1_indicators_status_retrieve", responses=AssessmentSerializer(many=True)),
    statuses=extend_schema(operation_id="v1_indicators_status_list", responses=IndicatorStatusSerializer(many=True)),
)
class IndicatorViewSet(EntityViewSet):
    """Indicators. Anonymous users see public indicators; editors also their organisation's private ones."""

    entity = INDICATOR
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    lookup_value_regex = r"\d+"
    rules_actions = {"status": "view", "benchmark": "view"}

    def get_queryset(self):
        return selectors.indicators_with_links(self.request.user)

    @viewset_action(detail=True, methods=["get"], url_path="status", pagination_class=None)
    def status(self, request, pk=None):
        """Latest value, trend, trajectory status and staleness of the indicator for each organisation."""
        indicator = self.get_object()
        rows = _assessment_rows(selectors.indicator_status([indicator]))
        return Response(AssessmentSerializer(rows.get(indicator.pk, []), many=True).data)

    @extend_schema(
        operation_id="v1_indicators_benchmark_retrieve",
        parameters=[
            OpenApiParameter("network", str, OpenApiParameter.PATH, description=_("Slug of the network.")),
            OpenApiParameter("council", str, description=_("Slug of a member council to highlight.")),
        ],
        responses={200: BenchmarkSerializer, 404: OpenApiResponse(description=_("Unknown indicator or network."))},
    )
    @viewset_action(
        detail=True, methods=["get"], url_path=r"benchmark/(?P<network>[-a-zA-Z0-9_]+)", pagination_class=None
    )
    def benchmark(self, request, pk=None, network=None):
        """Every member council's latest value, ranks, median and quartiles overall and by population band."""
        indicator = self.get_object()
        network = organization_find(slug=network, kind=OrganizationKind.NETWORK)
        result = network_benchmark(indicator, network, council=request.query_params.get("council"))
        return Response(BenchmarkSerializer(benchmark_data(result)).data)

    @viewset_action(detail=False, methods=["get"], url_path="status")
    def statuses(self, request):
        """The status of a page of indicators (the list's filters apply), each for every organisation."""
        # The links (objectives, actions) are not shown here: the plain list selector suffices.
        indicators = self.paginate_queryset(self.filter_queryset(selectors.indicator_list(request.user)))
        rows = _assessment_rows(selectors.indicator_status(indicators))
        data = [{"id": i.pk, "code": i.code, "organizations": rows.get(i.pk, [])} for i in indicators]
        return self.get_paginated_response(IndicatorStatusSerializer(data, many=True).data)


# --- Baselines and targets


class IndicatorValueSerializer(FixedParentsMixin, serializers.ModelSerializer):
    fixed_fields = ("indicator", "organization")

    indicator = serializers.PrimaryKeyRelatedField(
        queryset=Indicator.objects.none(), help_text=_("Id of the indicator; fixed once created.")
    )
    organization = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=organization_list(),
        allow_null=True,
        required=False,
        help_text=_("Slug of the organisation it applies to; null for every organisation. Fixed once created."),
    )

    def get_fields(self):
        fields = super().get_fields()
        if not _is_read(self):
            fields["indicator"].queryset = INDICATOR.visible(_user_of(self))
        return fields


class BaselineSerializer(IndicatorValueSerializer):
    """Where an indicator started, for one organisation or for all."""

    url = LinkField(view_name="api:baseline-detail")

    class Meta:
        model = Baseline
        fields = entity_fields(BASELINE, first=("url", "id", "indicator"))


class TargetSerializer(IndicatorValueSerializer):
    """The value an indicator should reach by 31 December of a year, for one organisation or for all."""

    url = LinkField(view_name="api:target-detail")

    class Meta:
        model = Target
        fields = entity_fields(TARGET, first=("url", "id", "indicator"))


class IndicatorValueViewSet(EntityViewSet):
    """Baselines, targets and observations: `add_*` is checked on the new value itself.

    The rule looks at the indicator *and* at the organisation of the value being created (an
    organisation's editors set its own values of another's indicator), so the object checked is
    the unsaved value, not the indicator alone; the service still receives the indicator.
    """

    lookup_value_regex = r"\d+"

    def parent_of(self, data: dict[str, Any]) -> Baseline | Target | Observation:
        return self.entity.model(indicator=data["indicator"], organization=data.get("organization"))

    def create_object(self, parent: Baseline | Target | Observation, data: dict[str, Any]) -> Any:
        return super().create_object(parent.indicator, data)


class BaselineViewSet(IndicatorValueViewSet):
    """Baselines of indicators."""

    entity = BASELINE
    serializer_class = BaselineSerializer
    filterset_class = BaselineFilter

    def get_queryset(self):
        return BASELINE.visible(self.request.user).select_related("indicator", "organization")


class TargetViewSet(IndicatorValueViewSet):
    """Yearly targets of indicators."""

    entity = TARGET
    serializer_class = TargetSerializer
    filterset_class = TargetFilter

    def get_queryset(self):
        return TARGET.visible(self.request.user).select_related("indicator", "organization")


# --- Observations and imports


class ObservationSerializer(IndicatorValueSerializer):
    """A measured value of an indicator for an organisation on a date."""

    url = LinkField(view_name="api:observation-detail")
    organization = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=organization_list(),
        help_text=_("Slug of the organisation; fixed once created."),
    )

    class Meta:
        model = Observation
        fields = entity_fields(OBSERVATION, first=("url", "id", "indicator"), last=("created_at",))
        read_only_fields = ["created_at"]


class ObservationImportSerializer(serializers.Serializer):
    """A CSV or XLSX file of observations (columns: indicator, organization, date, value, source, note)."""

    file = serializers.FileField(help_text=_("The CSV or XLSX file; the first row names the columns."))
    replace = serializers.BooleanField(
        default=False, help_text=_("Overwrite stored values for the same indicator, organisation and date.")
    )
    dry_run = serializers.BooleanField(default=False, help_text=_("Check the file without importing it."))

    def validate_file(self, value):
        if value.size > MAX_UPLOAD_BYTES:
            raise serializers.ValidationError(_("The file is larger than 20 MB: split it."))
        return value


class ImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text=_("Rows of data in the file."))
    created = serializers.IntegerField(help_text=_("Observations added (or that would be, in a dry run)."))
    replaced = serializers.IntegerField(help_text=_("Stored observations overwritten (or that would be)."))
    dry_run = serializers.BooleanField()


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=_("Row number as a spreadsheet shows it (the header is row 1)."))
    column = serializers.CharField()
    message = serializers.CharField()


class ImportErrorsSerializer(serializers.Serializer):
    rows = RowErrorSerializer(
        many=True, required=False, help_text=_("The first problems of the rows (at most 200); nothing was imported.")
    )
    file = serializers.ListField(child=serializers.CharField(), required=False)
    # A request without a usable file is refused naming the field (`file`), with no counts.
    error_count = serializers.IntegerField(required=False, help_text=_("How many problems the file has in all."))
    error_rows = serializers.IntegerField(required=False, help_text=_("How many rows have problems."))


@extend_schema_view(
    import_file=extend_schema(
        request=ObservationImportSerializer,
        responses={
            201: ImportResultSerializer,
            200: OpenApiResponse(ImportResultSerializer, description=_("Dry run: nothing was imported.")),
            400: ImportErrorsSerializer,
        },
    )
)
class ObservationViewSet(IndicatorValueViewSet):
    """Observations of indicators, one by one or in bulk from a file (all rows or none)."""

    entity = OBSERVATION
    serializer_class = ObservationSerializer
    filterset_class = ObservationFilter
    rules_actions = {"import_file": "indicators.import_observations"}

    def get_queryset(self):
        return (
            OBSERVATION.visible(self.request.user)
            .select_related("indicator", "organization")
            .order_by("indicator_id", "organization_id", "-date")
        )

    @viewset_action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
        serializer_class=ObservationImportSerializer,
    )
    def import_file(self, request):
        """Imports observations from a CSV or XLSX file: every row, or none with every bad row listed."""
        self.check_object_permissions(request, None)
        serializer = ObservationImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        outcome = services.observations_import(
            acting_user=request.user,
            name=upload.name or "",
            content=upload.read(),
            replace=serializer.validated_data["replace"],
            dry_run=serializer.validated_data["dry_run"],
        )
        check = outcome.check
        if not check.ok:
            body: dict[str, object] = {}
            for error in check.errors:
                if error.row == 0:
                    body.setdefault("file", []).append(error.message)  # type: ignore[union-attr]
                else:
                    body.setdefault("rows", []).append(error.as_dict())  # type: ignore[union-attr]
            # The first problems are listed; these count them all.
            body["error_count"] = check.errors.total
            body["error_rows"] = check.errors.rows
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        dry_run = serializer.validated_data["dry_run"]
        result = {
            "rows": check.row_count,
            "created": len(check.rows) - check.replace_count if dry_run else outcome.created,
            "replaced": check.replace_count if dry_run else outcome.replaced,
            "dry_run": dry_run,
        }
        return Response(result, status=status.HTTP_200_OK if dry_run else status.HTTP_201_CREATED)


class ElementHealthSerializer(serializers.Serializer):
    progress = serializers.FloatField(allow_null=True, help_text=_("Weighted progress, 0–100."))
    health = serializers.ChoiceField(choices=ActionHealth.choices, allow_null=True)
    shares = serializers.DictField(
        child=serializers.FloatField(), help_text=_("Weighted share of the actions in each health, 0–1.")
    )
    counts = serializers.DictField(child=serializers.IntegerField(), help_text=_("Actions in each health."))


class AxisHealthSerializer(ElementHealthSerializer):
    id = serializers.IntegerField()
    code = serializers.CharField()


class ObjectiveHealthSerializer(ElementHealthSerializer):
    id = serializers.IntegerField()
    axis = serializers.IntegerField()
    code = serializers.CharField()


class ActionHealthSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    objective = serializers.IntegerField()
    health = serializers.ChoiceField(choices=ActionHealth.choices)
    rule = serializers.CharField(help_text=_("Which rule decided the health (see monitoring.py)."))
    progress = serializers.IntegerField()
    expected_progress = serializers.IntegerField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)


class PlanMonitoringSerializer(serializers.Serializer):
    plan = serializers.CharField(help_text=_("Slug of the plan."))
    date = serializers.DateField(help_text=_("The day the status was judged on."))
    overall = ElementHealthSerializer()
    axes = AxisHealthSerializer(many=True)
    objectives = ObjectiveHealthSerializer(many=True)
    actions = ActionHealthSerializer(many=True)


def _element(element) -> dict:
    return {"progress": element.progress, "health": element.health, "shares": element.shares, "counts": element.counts}


@extend_schema_view(
    retrieve=extend_schema(
        operation_id="v1_plan_monitoring_retrieve",
        responses={200: PlanMonitoringSerializer, 404: OpenApiResponse(description=_("Unknown plan."))},
    )
)
class PlanMonitoringViewSet(viewsets.ViewSet):
    """Status of a plan's actions (from dates, milestones and progress) rolled up to objectives, axes and plan."""

    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    serializer_class = PlanMonitoringSerializer

    def retrieve(self, request, slug=None):
        plan = plan_get(request.user, slug=slug)
        today = timezone.localdate()
        result = plan_monitoring([plan.pk], today=today)
        axes = axis_codes(plan)
        objectives = objective_axes_and_codes(plan)
        data = {
            "plan": plan.slug,
            "date": today,
            "overall": _element(result.plans[plan.pk]),
            "axes": [{"id": pk, "code": axes[pk], **_element(e)} for pk, e in result.axes.items()],
            "objectives": [
                {"id": pk, "axis": objectives[pk][0], "code": objectives[pk][1], **_element(e)}
                for pk, e in result.objectives.items()
            ],
            "actions": [
                {
                    "id": pk,
                    "code": state.action.code,
                    "objective": state.action.objective_id,
                    "health": state.health,
                    "rule": state.verdict.reason,
                    "progress": state.action.progress,
                    "expected_progress": state.verdict.expected_progress,
                    "end_date": state.action.end_date,
                }
                for pk, state in result.actions.items()
            ],
        }
        return Response(PlanMonitoringSerializer(data).data)
