"""API of frameworks, items, alignments, plan coverage, suggestions and feedback: thin, over services and selectors.

Frameworks are named by their code (`SDG`), items and alignments by id, plans by slug, organisations
by slug. An alignment names its element with exactly one of `plan_element` (a plan's slug), `axis`,
`objective`, `action` or `indicator` (ids).
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle

from municipia.alignment import selectors, services
from municipia.alignment.choices import SUGGESTION_LANGUAGES, ElementKind
from municipia.alignment.entities import ALIGNMENT, FRAMEWORK, FRAMEWORK_ITEM, PLAN_FRAMEWORK, SUGGESTION_FEEDBACK
from municipia.alignment.filters import AlignmentFilter, FrameworkFilter, FrameworkItemFilter
from municipia.alignment.models import Alignment, Framework, FrameworkItem, PlanFramework, SuggestionFeedback
from municipia.api.pagination import StandardPagination
from municipia.api.permissions import RulesPermission
from municipia.api.serializers import (
    HtmlUrlField,
    LinkField,
    entity_fields,
    translated_fields,
    translated_read_only_kwargs,
)
from municipia.api.viewsets import EntityViewSet
from municipia.indicators.entities import INDICATOR
from municipia.organizations.models import Organization
from municipia.organizations.selectors import organization_list
from municipia.strategy.entities import ACTION, AXIS, OBJECTIVE, PLAN
from municipia.strategy.models import Plan
from municipia.strategy.selectors import plan_get

FIXED = _("This cannot be changed once created.")


def _user(serializer):
    return serializer.context["request"].user


# --- Frameworks and items


class FrameworkSerializer(serializers.ModelSerializer):
    """A reference framework (no owner) or a council's own framework."""

    url = LinkField(view_name="api:framework-detail", lookup_field="code")
    html_url = HtmlUrlField()
    owner = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=organization_list(),
        required=False,
        allow_null=True,
        help_text=_("Slug of the owning council or network; null for a reference framework. Fixed once created."),
    )

    class Meta:
        model = Framework
        fields = [
            "url",
            "html_url",
            "code",
            *translated_fields("name", "description"),
            "source",
            "licence",
            "owner",
            "is_default",
            "position",
        ]
        read_only_fields = ["is_default"]
        extra_kwargs = translated_read_only_kwargs("name", "description")

    def get_validators(self) -> list:
        return []  # the unique code is checked by the model's validation in the service, naming `code`

    def validate(self, attrs):
        if self.instance is not None and "owner" in attrs and attrs["owner"] != self.instance.owner:
            raise serializers.ValidationError({"owner": [FIXED]})
        return attrs


class FrameworkViewSet(EntityViewSet):
    """Frameworks. Everyone reads them; site admins manage reference ones, councils' editors their own."""

    entity = FRAMEWORK
    serializer_class = FrameworkSerializer
    filterset_class = FrameworkFilter
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9-]+"

    def get_queryset(self):
        return FRAMEWORK.visible(self.request.user).select_related("owner")


class FrameworkItemSerializer(serializers.ModelSerializer):
    """An item of a framework's tree; with an `owner`, a council's local target under a reference item."""

    url = LinkField(view_name="api:framework-item-detail")
    framework = serializers.SlugRelatedField(
        slug_field="code", queryset=Framework.objects.all(), help_text=_("Code of the framework; fixed once created.")
    )
    parent = serializers.PrimaryKeyRelatedField(
        queryset=FrameworkItem.objects.all(), required=False, allow_null=True, help_text=_("Id of the parent item.")
    )
    owner = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=organization_list(),
        required=False,
        allow_null=True,
        help_text=_("For a local target: slug of the council it belongs to. Fixed once created."),
    )

    class Meta:
        model = FrameworkItem
        fields = [
            "url",
            "id",
            "framework",
            "parent",
            "code",
            "level",
            *translated_fields("short_title", "title"),
            "owner",
            "position",
        ]
        extra_kwargs = translated_read_only_kwargs("short_title", "title")

    def get_validators(self) -> list:
        return []

    def validate(self, attrs):
        if self.instance is not None:
            for name in ("framework", "owner", "parent"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError({name: [FIXED]})
        elif attrs.get("owner") is not None and attrs.get("parent") is None:
            raise serializers.ValidationError({"parent": [_("A local target needs a parent item.")]})
        return attrs


class FrameworkItemViewSet(EntityViewSet):
    """Items of frameworks (goals, targets, indicators, pillars…). Filter by framework, parent, level, search."""

    # `add_frameworkitem` is checked on the owner of a new local target (a council's editors add
    # targets under a reference framework they may not change), else on the framework; the item
    # is created in the framework either way (the service makes an item with an owner a local target).

    entity = FRAMEWORK_ITEM
    serializer_class = FrameworkItemSerializer
    filterset_class = FrameworkItemFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            FRAMEWORK_ITEM.visible(self.request.user)
            .select_related("framework", "owner")
            .order_by("framework__position", "position", "id")
        )

    def parent_of(self, data: dict[str, Any]) -> Organization | Framework:
        return data.get("owner") or data["framework"]

    def create_object(self, parent: Organization | Framework, data: dict[str, Any]) -> FrameworkItem:
        return super().create_object(data["framework"], data)


# --- Alignments


class ItemReferenceSerializer(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework.code", read_only=True)

    class Meta:
        model = FrameworkItem
        fields = ["id", "framework", "code", "level", "title"]
        read_only_fields = fields


class AlignmentSerializer(serializers.ModelSerializer):
    """A plan element or an indicator aligned to a framework item."""

    url = LinkField(view_name="api:alignment-detail")
    plan = serializers.SlugRelatedField(
        source="in_plan",
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=_("Slug of the element's plan; null for an indicator, which may measure several plans."),
    )
    element_kind = serializers.ChoiceField(choices=ElementKind.choices, read_only=True)
    plan_element = serializers.SlugRelatedField(
        source="plan",
        slug_field="slug",
        queryset=PLAN.none(),
        required=False,
        allow_null=True,
        help_text=_("Slug of the plan, when the plan as a whole is aligned."),
    )
    axis = serializers.PrimaryKeyRelatedField(queryset=AXIS.none(), required=False, allow_null=True)
    objective = serializers.PrimaryKeyRelatedField(queryset=OBJECTIVE.none(), required=False, allow_null=True)
    action = serializers.PrimaryKeyRelatedField(queryset=ACTION.none(), required=False, allow_null=True)
    indicator = serializers.PrimaryKeyRelatedField(
        queryset=INDICATOR.none(), required=False, allow_null=True, help_text=_("Id of the indicator.")
    )
    item = serializers.PrimaryKeyRelatedField(
        queryset=FrameworkItem.objects.all(), required=False, help_text=_("Id of the framework item.")
    )
    item_ref = serializers.CharField(
        write_only=True,
        required=False,
        help_text=_("The item as FRAMEWORK:CODE (e.g. SDG:11.3), instead of `item`."),
    )
    item_detail = ItemReferenceSerializer(source="item", read_only=True)

    class Meta:
        model = Alignment
        fields = [
            "url",
            "id",
            "plan",
            "element_kind",
            "plan_element",
            "axis",
            "objective",
            "action",
            "indicator",
            "item",
            "item_ref",
            "item_detail",
            *translated_fields("rationale"),
            "is_primary",
        ]
        extra_kwargs = translated_read_only_kwargs("rationale")

    def get_validators(self) -> list:
        return []

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.method not in SAFE_METHODS:
            user = request.user
            fields["plan_element"].queryset = PLAN.visible(user)
            fields["axis"].queryset = AXIS.visible(user).select_related("plan__owner")
            fields["objective"].queryset = OBJECTIVE.visible(user).select_related("axis__plan__owner")
            fields["action"].queryset = ACTION.visible(user).select_related("plan__owner")
            fields["indicator"].queryset = INDICATOR.visible(user).select_related("owner_organization")
        return fields

    def validate(self, attrs):
        element_names = {
            "plan": "plan_element",
            "axis": "axis",
            "objective": "objective",
            "action": "action",
            "indicator": "indicator",
        }
        given = [name for name in element_names if attrs.get(name) is not None]
        if self.instance is not None:
            changed = [n for n in [*element_names, "item"] if n in attrs and attrs[n] != getattr(self.instance, n)]
            if changed:
                raise serializers.ValidationError({element_names.get(changed[0], changed[0]): [FIXED]})
            return attrs
        if len(given) != 1:
            raise serializers.ValidationError(
                {"plan_element": [_("Name exactly one element: plan_element, axis, objective, action or indicator.")]}
            )
        if attrs.get("item") is None:
            ref = (attrs.pop("item_ref", "") or "").strip()
            framework_code, _sep, code = ref.partition(":")
            if not ref:
                raise serializers.ValidationError({"item": [_("Give `item` (an id) or `item_ref` (e.g. SDG:11.3).")]})
            if not Framework.objects.filter(code=framework_code.upper()).exists():
                raise serializers.ValidationError(
                    {"item_ref": [_("Unknown framework code “%(code)s”.") % {"code": framework_code}]}
                )
            item = FrameworkItem.objects.filter(framework__code=framework_code.upper(), code=code).first()
            if item is None:
                raise serializers.ValidationError(
                    {
                        "item_ref": [
                            _("%(framework)s has no item “%(code)s”.") % {"framework": framework_code, "code": code}
                        ]
                    }
                )
            attrs["item"] = item
        attrs["element"] = attrs[given[0]]
        return attrs


class AlignmentViewSet(EntityViewSet):
    """Alignments of plans, axes, objectives, actions and indicators to framework items.

    Writable by the element's editors (an indicator's: its owner's editors).
    """

    entity = ALIGNMENT
    serializer_class = AlignmentSerializer
    filterset_class = AlignmentFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return ALIGNMENT.visible(self.request.user).select_related(*ALIGNMENT.select_related).order_by("id")


class PlanFrameworkSerializer(serializers.ModelSerializer):
    """A framework a plan has chosen (the SDGs need no row: every plan uses them)."""

    plan = serializers.SlugRelatedField(slug_field="slug", queryset=PLAN.none())
    framework = serializers.SlugRelatedField(slug_field="code", queryset=Framework.objects.all())

    class Meta:
        model = PlanFramework
        fields = entity_fields(PLAN_FRAMEWORK, first=("id", "plan"))

    def get_validators(self) -> list:
        return []

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.method not in SAFE_METHODS:
            fields["plan"].queryset = PLAN.visible(request.user).select_related("owner")
        return fields


class PlanFrameworkViewSet(EntityViewSet):
    """Frameworks chosen by plans; the plan's editors add and remove them."""

    # A chosen framework has nothing to edit: no PUT or PATCH.

    entity = PLAN_FRAMEWORK
    serializer_class = PlanFrameworkSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        queryset = PLAN_FRAMEWORK.visible(self.request.user).select_related("plan__owner", "framework")
        plan = self.request.query_params.get("plan")
        return queryset.filter(plan__slug=plan) if plan else queryset


# --- Coverage


class CellSerializer(serializers.Serializer):
    goal = serializers.CharField()
    actions = serializers.IntegerField()
    budget = serializers.DecimalField(max_digits=16, decimal_places=2)


class CoverageRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    actions = serializers.IntegerField()
    budget = serializers.DecimalField(max_digits=16, decimal_places=2)
    cells = CellSerializer(many=True, help_text=_("Only the SDGs with at least one action."))


class GoalCoverageSerializer(serializers.Serializer):
    goal = serializers.CharField()
    title = serializers.CharField()
    actions = serializers.IntegerField()
    budget = serializers.DecimalField(max_digits=16, decimal_places=2)
    served_targets = serializers.ListField(child=serializers.CharField())
    unserved_targets = serializers.ListField(child=serializers.CharField())


class ShareSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    actions = serializers.IntegerField()
    budget = serializers.DecimalField(max_digits=16, decimal_places=2)
    share = serializers.FloatField(allow_null=True, help_text=_("Percentage of the plan's budget."))


class PrincipleSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    elements = serializers.IntegerField(help_text=_("Plan elements aligned to it (a chapter counts its principles)."))


class CoverageSerializer(serializers.Serializer):
    """A plan's coverage: axes × SDGs, SDG targets served and not, PRTR pillar shares, digital rights touched."""

    plan = serializers.CharField()
    action_count = serializers.IntegerField()
    aligned_action_count = serializers.IntegerField()
    budget_total = serializers.DecimalField(max_digits=16, decimal_places=2)
    axes = CoverageRowSerializer(many=True)
    goals = GoalCoverageSerializer(many=True)
    pillars = ShareSerializer(many=True)
    principles = PrincipleSerializer(many=True)


def coverage_data(plan: Plan, coverage) -> dict:
    goals = coverage.goals
    return {
        "plan": plan.slug,
        "action_count": coverage.action_count,
        "aligned_action_count": coverage.aligned_action_count,
        "budget_total": coverage.budget_total,
        "axes": [
            {
                "code": row.code,
                "label": row.label,
                "actions": row.actions,
                "budget": row.budget,
                "cells": [
                    {"goal": total.goal.code, "actions": cell.actions, "budget": cell.budget}
                    for total, cell in zip(goals, row.cells, strict=True)
                    if cell.actions
                ],
            }
            for row in coverage.rows
        ],
        "goals": [
            {
                "goal": total.goal.code,
                "title": total.goal.short_title or total.goal.title,
                "actions": total.actions,
                "budget": total.budget,
                "served_targets": [t.code for t in total.served_targets],
                "unserved_targets": [t.code for t in total.unserved_targets],
            }
            for total in goals
        ],
        "pillars": [
            {"code": r.item.code, "title": r.item.title, "actions": r.actions, "budget": r.budget, "share": r.share}
            for r in coverage.pillars
        ],
        "principles": [
            {"code": r.item.code, "title": r.item.title, "elements": r.elements} for r in coverage.principles
        ],
    }


class CoverageViewSet(viewsets.ViewSet):
    """Coverage of a plan (by its slug) as JSON; the same figures as the coverage page and CSV."""

    permission_classes = [RulesPermission]
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    @extend_schema(responses=CoverageSerializer)
    def retrieve(self, request, slug=None):
        plan = plan_get(request.user, slug=slug)
        return Response(CoverageSerializer(coverage_data(plan, selectors.plan_coverage(plan))).data)


# --- Suggestions and feedback


class SuggestionRequestSerializer(serializers.Serializer):
    text = serializers.CharField(help_text=_("The text of an action or objective."), trim_whitespace=True)
    language = serializers.ChoiceField(
        choices=[(code, code) for code in SUGGESTION_LANGUAGES], required=False, allow_null=True, default=None
    )
    limit = serializers.IntegerField(min_value=1, max_value=17, required=False, default=3)

    def validate_text(self, value: str) -> str:
        from municipia.alignment.suggester import Suggester

        if len(value) > Suggester.MAX_TEXT_LENGTH:
            raise serializers.ValidationError(
                _("The text is longer than %(max)d characters.") % {"max": Suggester.MAX_TEXT_LENGTH}
            )
        return value


class TargetScoreSerializer(serializers.Serializer):
    target = serializers.CharField()
    score = serializers.FloatField()


class SuggestionSerializer(serializers.Serializer):
    goal = serializers.CharField(help_text=_('SDG number, e.g. "9".'))
    score = serializers.FloatField(help_text=_("0–1; comparable within one answer."))
    targets = TargetScoreSerializer(many=True)


class SuggestionThrottle(UserRateThrottle):
    rate = "120/min"


class SuggestionViewSet(viewsets.ViewSet):
    """Suggests the SDGs a text serves (English, Spanish, Catalan or Bulgarian); signed-in users only."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [SuggestionThrottle]

    @extend_schema(request=SuggestionRequestSerializer, responses={200: SuggestionSerializer(many=True)})
    def create(self, request):
        from municipia.alignment.suggester import SuggesterInputError

        serializer = SuggestionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            suggestions = selectors.suggester().suggest(data["text"], language=data["language"], limit=data["limit"])
        except SuggesterInputError as exc:
            raise serializers.ValidationError({"text": [str(exc)]})
        body = [
            {"goal": s.goal, "score": s.score, "targets": [{"target": t, "score": v} for t, v in s.targets]}
            for s in suggestions
        ]
        return Response(SuggestionSerializer(body, many=True).data)


class SuggestionFeedbackSerializer(serializers.ModelSerializer):
    """An editor's answer to a suggested SDG for an action; kept to improve later suggestions."""

    action = serializers.PrimaryKeyRelatedField(queryset=ACTION.none())
    language = serializers.ChoiceField(choices=[(code, code) for code in SUGGESTION_LANGUAGES], required=False)
    text = serializers.CharField(required=False, help_text=_("Defaults to the action's title and description."))

    class Meta:
        model = SuggestionFeedback
        fields = ["id", "action", "goal", "accepted", "text", "language", "created_at"]
        read_only_fields = ["id", "created_at"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.method not in SAFE_METHODS:
            fields["action"].queryset = ACTION.visible(request.user).select_related("plan__owner")
        return fields


class SuggestionFeedbackViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Answers to suggestions: create one for an action you edit; list those on the plans you edit."""

    serializer_class = SuggestionFeedbackSerializer
    permission_classes = [RulesPermission]
    pagination_class = StandardPagination

    def get_queryset(self):
        return SUGGESTION_FEEDBACK.visible(self.request.user).select_related("action").order_by("-id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        action = data["action"]
        self.check_object_permissions(self.request, action)
        serializer.instance = services.feedback_record(
            acting_user=self.request.user,
            text=data.get("text") or services.suggestion_text(action),
            language=data.get("language", ""),
            goal=data["goal"],
            accepted=data["accepted"],
            action=action,
        )
