"""API of plans and their content: serializers and viewsets; reads via selectors, writes via services.

Related objects are named by readable keys where they are unique: a plan by its slug, an
organisation (owner, participating council) by its slug, a dependency by the action's code
within the same plan. Axes, challenges, objectives, actions, milestones, departments and
people are named by id.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action as viewset_action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from municipia.api.serializers import (
    HtmlUrlField,
    LinkField,
    RollupListSerializer,
    RollupProgressField,
    entity_fields,
    translated_read_only_kwargs,
)
from municipia.api.viewsets import EntityViewSet
from municipia.core.cache import Scope
from municipia.core.entities import Entity
from municipia.core.exports import UnreadableFile
from municipia.core.visibility import User
from municipia.organizations.selectors import organization_links, organization_list, partner_organizations
from municipia.strategy import bulk, services
from municipia.strategy.choices import ComputedStatus, PlanStatus
from municipia.strategy.entities import ACTION, ACTION_PARTNER, AXIS, CHALLENGE, MILESTONE, OBJECTIVE, PLAN
from municipia.strategy.filters import (
    ActionFilter,
    ActionPartnerFilter,
    AxisFilter,
    ChallengeFilter,
    MilestoneFilter,
    ObjectiveFilter,
    PlanFilter,
)
from municipia.strategy.models import Action, ActionPartner, Axis, Challenge, Milestone, Objective, Plan
from municipia.strategy.selectors import action_list, action_list_scope, action_scope, action_status, with_status_facts

FIXED_AFTER_CREATION = _("This cannot be changed once created.")


def _translated_kwargs(entity: Entity) -> dict[str, dict[str, Any]]:
    return translated_read_only_kwargs(*entity.translated)


class StrategySerializer(serializers.ModelSerializer):
    """Base: related choices limited to what the user may see; parents fixed after creation."""

    # The field naming the parent (plan, axis or action); it may be given on creation only.
    parent_field = ""

    def user(self) -> User:
        request = self.context.get("request")
        return request.user if request is not None else AnonymousUser()

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.method in SAFE_METHODS:
            # Only writes choose related objects; reads (every page of a list) need no choices.
            # The browsable API's forms are built with the method overridden to POST or PUT.
            return fields
        for name, entity in (("plan", PLAN), ("axis", AXIS), ("objective", OBJECTIVE), ("action", ACTION)):
            field = fields.get(name)
            if field is not None and not field.read_only:
                field.queryset = entity.visible(self.user())
        return fields

    def get_validators(self) -> list:
        # Unique codes are checked by the services, whose message names the `code` field.
        return []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        name = self.parent_field
        if self.instance is not None and name in attrs and attrs[name] != getattr(self.instance, name):
            raise serializers.ValidationError({name: [FIXED_AFTER_CREATION]})
        return attrs


# --- Plans


class PlanSerializer(StrategySerializer):
    """A strategic plan of a council or a network, with its weighted progress."""

    parent_field = "owner"

    url = LinkField(view_name="api:plan-detail", lookup_field="slug")
    html_url = HtmlUrlField()
    owner = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=organization_list(),
        help_text=_("Slug of the owning council or network; fixed once the plan exists."),
    )
    progress = RollupProgressField("plans")

    class Meta:
        model = Plan
        fields = entity_fields(PLAN, first=("url", "html_url", "slug", "owner"), last=("status", "progress"))
        read_only_fields = ["status"]
        extra_kwargs = {
            **_translated_kwargs(PLAN),
            "slug": {"required": False, "help_text": _("Made from the title when left out.")},
            "status": {"help_text": _("Changed with POST …/status/ (approving keeps a version).")},
        }
        list_serializer_class = RollupListSerializer

    @staticmethod
    def plan_id_of(plan: Plan) -> int:
        return plan.pk


class PlanStatusSerializer(serializers.Serializer):
    """A move of the plan along its lifecycle, with an optional note."""

    status = serializers.ChoiceField(choices=PlanStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class BulkProgressSerializer(serializers.Serializer):
    """A filled progress template (CSV or XLSX, columns code, progress (%), status, comment)."""

    file = serializers.FileField(help_text=_("The plan's progress template, filled in (CSV or XLSX)."))
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text=_("Only check the file and list the changes; save nothing.")
    )
    finish = serializers.ListField(
        child=serializers.CharField(max_length=50),
        required=False,
        default=list,
        help_text=_("Codes of offered actions (whose linked work is finished) to complete at 100 % too."),
    )


class BulkRowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class BulkChangeSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    code = serializers.CharField()
    before = serializers.DictField()
    after = serializers.DictField()
    comment = serializers.CharField()


class BulkOfferSerializer(serializers.Serializer):
    code = serializers.CharField()
    finished_items = serializers.IntegerField()
    chosen = serializers.BooleanField()


class BulkResultSerializer(serializers.Serializer):
    applied = serializers.BooleanField()
    unchanged = serializers.IntegerField()
    changes = BulkChangeSerializer(many=True)
    errors = BulkRowErrorSerializer(many=True)
    offers = BulkOfferSerializer(many=True)


def _bulk_data(result: bulk.BulkResult) -> dict[str, Any]:
    return {
        "applied": result.applied,
        "unchanged": result.unchanged,
        "changes": [
            {"row": c.row, "code": c.action.code, "before": c.before, "after": c.after, "comment": c.comment}
            for c in result.changes
        ],
        "errors": [{"row": row, "column": column, "message": message} for row, column, message in result.errors],
        "offers": [
            {"code": o.action.code, "finished_items": o.finished_items, "chosen": o.chosen} for o in result.offers
        ],
    }


@extend_schema_view(
    change_status=extend_schema(request=PlanStatusSerializer, responses=PlanSerializer),
    progress_update=extend_schema(
        request={"multipart/form-data": BulkProgressSerializer},
        responses={200: BulkResultSerializer, 400: BulkResultSerializer},
    ),
)
class PlanViewSet(EntityViewSet):
    """Strategic plans. Anonymous users see published plans; editors also their own drafts."""

    cache_readers = True  # what a reader sees depends on the plan's visibility only

    entity = PLAN
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    rules_actions = {"change_status": "approve", "progress_update": "strategy.update_progress"}

    def get_queryset(self):
        return self.entity.visible(self.request.user).select_related("owner")

    @viewset_action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, slug=None):
        """Moves the plan along its lifecycle; approving it keeps a version of its content."""
        plan = self.get_object()
        serializer = PlanStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.plan_change_status(acting_user=request.user, plan=plan, **serializer.validated_data)
        return Response(self.get_serializer(self.refetched(plan)).data)

    @viewset_action(detail=True, methods=["post"], url_path="progress-update")
    def progress_update(self, request, slug=None):
        """Updates the progress and status of many actions from a filled template, all or nothing
        (the same check as the plan's page); `dry_run` only lists the changes and the bad rows."""
        plan = self.get_object()
        serializer = BulkProgressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        try:
            result = bulk.bulk_progress_update(
                acting_user=request.user,
                plan=plan,
                file_name=upload.name,
                content=upload.read(),
                dry_run=serializer.validated_data["dry_run"],
                finish=serializer.validated_data["finish"],
            )
        except UnreadableFile as exc:
            raise serializers.ValidationError({"file": [str(exc)]}) from None
        return Response(BulkResultSerializer(_bulk_data(result)).data, status=200 if result.ok else 400)


# --- Axes, challenges, objectives


class AxisSerializer(StrategySerializer):
    """A strategic axis of a plan, with its weighted progress."""

    parent_field = "plan"

    url = LinkField(view_name="api:axis-detail")
    html_url = HtmlUrlField()
    plan = serializers.SlugRelatedField(
        slug_field="slug", queryset=Plan.objects.none(), help_text=_("Slug of the plan; fixed once created.")
    )
    progress = RollupProgressField("axes")

    class Meta:
        model = Axis
        fields = entity_fields(AXIS, first=("url", "html_url", "id", "plan"), last=("progress",))
        extra_kwargs = _translated_kwargs(AXIS)
        list_serializer_class = RollupListSerializer

    @staticmethod
    def plan_id_of(axis: Axis) -> int:
        return axis.plan_id


class AxisViewSet(EntityViewSet):
    """Strategic axes of plans."""

    cache_readers = True  # what a reader sees depends on the plan's visibility only

    entity = AXIS
    serializer_class = AxisSerializer
    filterset_class = AxisFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return self.entity.visible(self.request.user).select_related("plan")


def _axis_page(element: Challenge | Objective) -> str:
    return element.axis.get_absolute_url()


class ChallengeSerializer(StrategySerializer):
    """A challenge identified for an axis."""

    parent_field = "axis"

    url = LinkField(view_name="api:challenge-detail")
    html_url = HtmlUrlField(_axis_page)
    axis = serializers.PrimaryKeyRelatedField(
        queryset=Axis.objects.none(), help_text=_("Id of the axis; fixed once created.")
    )
    plan = serializers.SlugRelatedField(source="axis.plan", slug_field="slug", read_only=True)

    class Meta:
        model = Challenge
        fields = entity_fields(CHALLENGE, first=("url", "html_url", "id", "plan", "axis"))
        extra_kwargs = _translated_kwargs(CHALLENGE)


class ChallengeViewSet(EntityViewSet):
    """Challenges identified for an axis."""

    cache_readers = True  # what a reader sees depends on the plan's visibility only

    entity = CHALLENGE
    serializer_class = ChallengeSerializer
    filterset_class = ChallengeFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return self.entity.visible(self.request.user).select_related("axis__plan")


class ObjectiveSerializer(StrategySerializer):
    """A strategic objective of an axis, with its weighted progress."""

    parent_field = "axis"

    url = LinkField(view_name="api:objective-detail")
    html_url = HtmlUrlField(_axis_page)
    axis = serializers.PrimaryKeyRelatedField(
        queryset=Axis.objects.none(), help_text=_("Id of the axis; fixed once created.")
    )
    plan = serializers.SlugRelatedField(source="axis.plan", slug_field="slug", read_only=True)
    challenges = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Challenge.objects.all(),
        help_text=_("Ids of the challenges of the same axis that the objective answers."),
    )
    progress = RollupProgressField("objectives")

    class Meta:
        model = Objective
        fields = entity_fields(OBJECTIVE, first=("url", "html_url", "id", "plan", "axis"), last=("progress",))
        extra_kwargs = _translated_kwargs(OBJECTIVE)
        list_serializer_class = RollupListSerializer

    @staticmethod
    def plan_id_of(objective: Objective) -> int:
        return objective.axis.plan_id

    def get_fields(self):
        fields = super().get_fields()
        fields["challenges"].child_relation.queryset = CHALLENGE.visible(self.user())
        return fields


class ObjectiveViewSet(EntityViewSet):
    """Strategic objectives of an axis."""

    cache_readers = True  # what a reader sees depends on the plan's visibility only

    entity = OBJECTIVE
    serializer_class = ObjectiveSerializer
    filterset_class = ObjectiveFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            self.entity.visible(self.request.user)
            .select_related("axis__plan")
            .prefetch_related(Prefetch("challenges", queryset=Challenge.objects.only("id")))
        )


# --- Actions and milestones


# The API's action reads prefetch the related lists with `to_attr` (`PREFETCHED` + the field's
# source): a prefetch into the related manager builds a manager and a filtered queryset per action
# and per relation, which was a fifth of the time of a page of 50 actions. Fields read the list
# when it is there and the relation otherwise (an action saved by a write, before it is read again).
PREFETCHED = "prefetched_"


def _prefetched_or_related(instance: Any, source: str) -> Any:
    prefetched = getattr(instance, PREFETCHED + source, None)
    return prefetched if prefetched is not None else getattr(instance, source).all()


class PrefetchedManyRelatedField(serializers.ManyRelatedField):
    def get_attribute(self, instance):
        return _prefetched_or_related(instance, self.source)


class PrefetchedSlugRelatedField(serializers.SlugRelatedField):
    """A `SlugRelatedField(many=True)` that reads the `to_attr` prefetched list when there is one."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        field = super().many_init(*args, **kwargs)
        field.__class__ = PrefetchedManyRelatedField
        return field


class ActionCodesField(serializers.ListField):
    """Actions of the same plan named by their codes, e.g. `["1.2.1", "2.3"]`."""

    child = serializers.CharField(max_length=20)

    def get_attribute(self, instance):
        return _prefetched_or_related(instance, self.source)

    def to_representation(self, data) -> list[str]:
        return [action.code for action in data]


class PrefetchedListSerializer(serializers.ListSerializer):
    def get_attribute(self, instance):
        return _prefetched_or_related(instance, self.source)


class ActionPartnerBriefSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = ActionPartner
        fields = ["id", "organization", "organization_name", "role", "note"]
        list_serializer_class = PrefetchedListSerializer


class ActionSerializer(StrategySerializer):
    """An action of a plan."""

    parent_field = "plan"

    url = LinkField(view_name="api:action-detail")
    html_url = HtmlUrlField(view_name="strategy:action-detail")
    plan = serializers.SlugRelatedField(
        slug_field="slug", queryset=Plan.objects.none(), help_text=_("Slug of the plan; fixed once created.")
    )
    objective = serializers.PrimaryKeyRelatedField(
        queryset=Objective.objects.none(), help_text=_("Id of a strategic objective of the same plan.")
    )
    axis = serializers.IntegerField(
        source="objective.axis_id", read_only=True, help_text=_("Id of the objective's axis.")
    )
    participants = PrefetchedSlugRelatedField(
        slug_field="slug",
        many=True,
        required=False,
        queryset=organization_list(),
        help_text=_("Slugs of the participating councils."),
    )
    dependencies = ActionCodesField(
        required=False, help_text=_("Codes of the actions of the same plan that this action depends on.")
    )
    partners = ActionPartnerBriefSerializer(
        source="partnerships",
        many=True,
        read_only=True,
        help_text=_("Partner organisations with their role (written on /action-partners/)."),
    )
    computed_status = serializers.SerializerMethodField(
        help_text=_(
            "How the action is doing, computed from its dates, progress and milestones today (the same "
            "status as on the plan page, the dashboard and the exports); `status` is the one its owner reports."
        )
    )

    class Meta:
        model = Action
        fields = entity_fields(
            ACTION,
            first=("url", "html_url", "id", "plan", "axis", "objective"),
            last=("partners", "computed_status"),
        )
        extra_kwargs = _translated_kwargs(ACTION)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        codes = attrs.get("dependencies")
        if codes is not None:
            plan = attrs.get("plan") or self.instance.plan
            found = {a.code: a for a in Action.objects.filter(plan=plan, code__in=codes)}
            unknown = [code for code in codes if code not in found]
            if unknown:
                raise serializers.ValidationError(
                    {"dependencies": [_("No action of this plan has code %(codes)s.") % {"codes": ", ".join(unknown)}]}
                )
            attrs["dependencies"] = [found[code] for code in dict.fromkeys(codes)]
        return attrs

    @extend_schema_field(serializers.ChoiceField(choices=ComputedStatus.choices))
    def get_computed_status(self, action: Action) -> str:
        return action_status(action).status


def _action_queryset(user):
    return with_status_facts(action_list(user)).prefetch_related(
        Prefetch("participants", queryset=organization_links(), to_attr=PREFETCHED + "participants"),
        Prefetch(
            "dependencies",
            queryset=Action.objects.only("id", "code").order_by("code"),
            to_attr=PREFETCHED + "dependencies",
        ),
        Prefetch(
            "partnerships",
            queryset=ActionPartner.objects.select_related("organization"),
            to_attr=PREFETCHED + "partnerships",
        ),
    )


class ActionViewSet(EntityViewSet):
    """Actions of plans: who does what, when, with which budget, and how far it has got."""

    cache_readers = True  # what a reader sees depends on the plan's visibility only

    entity = ACTION
    serializer_class = ActionSerializer
    filterset_class = ActionFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return _action_queryset(self.request.user)

    def cache_scope(self, request) -> Scope | None:
        if "pk" in self.kwargs:
            return action_scope(self.kwargs["pk"])
        return action_list_scope(request.query_params)


class MilestoneSerializer(StrategySerializer):
    """A dated step of an action."""

    parent_field = "action"

    url = LinkField(view_name="api:milestone-detail")
    html_url = HtmlUrlField(lambda milestone: milestone.action.get_absolute_url())
    action = serializers.PrimaryKeyRelatedField(
        queryset=Action.objects.none(), help_text=_("Id of the action; fixed once created.")
    )
    plan = serializers.SlugRelatedField(source="action.plan", slug_field="slug", read_only=True)
    is_done = serializers.BooleanField(read_only=True)

    class Meta:
        model = Milestone
        fields = entity_fields(MILESTONE, first=("url", "html_url", "id", "plan", "action"), last=("is_done",))
        extra_kwargs = _translated_kwargs(MILESTONE)


class MilestoneViewSet(EntityViewSet):
    """Dated steps of actions."""

    cache_readers = True  # what a reader sees depends on the plan's visibility only

    entity = MILESTONE
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return self.entity.visible(self.request.user).select_related("action__plan")


class ActionPartnerSerializer(StrategySerializer):
    """A partner organisation (university, association, company…) taking part in an action in a role."""

    parent_field = "action"

    url = LinkField(view_name="api:actionpartner-detail")
    html_url = HtmlUrlField(lambda partner: partner.get_absolute_url())
    action = serializers.PrimaryKeyRelatedField(
        queryset=Action.objects.none(), help_text=_("Id of the action; fixed once created.")
    )
    plan = serializers.SlugRelatedField(source="action.plan", slug_field="slug", read_only=True)
    organization = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=partner_organizations(),
        help_text=_("Slug of a partner organisation or other public body (councils take part as participants)."),
    )
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = ActionPartner
        fields = ["url", "html_url", "id", "plan", "action", "organization", "organization_name", "role", "note"]


class ActionPartnerViewSet(EntityViewSet):
    """Partner organisations of actions with their role; filter by `action`, `plan` or `organization`."""

    cache_readers = True  # what a reader sees depends on the plan's visibility only

    entity = ACTION_PARTNER
    serializer_class = ActionPartnerSerializer
    filterset_class = ActionPartnerFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return self.entity.visible(self.request.user).select_related("action__plan", "organization")
