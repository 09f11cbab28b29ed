"""API of the diagnosis: questionnaires (read), campaigns, responses (written by token or public
link, read by owners), maturity self-assessments and findings; reads via selectors, writes via
services, the same `rules` permissions as the pages.
"""

import datetime as dt

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as viewset_action
from rest_framework.permissions import SAFE_METHODS, AllowAny
from rest_framework.response import Response as ApiResponse

from municipia.api.pagination import StandardPagination
from municipia.api.permissions import RulesPermission
from municipia.api.serializers import entity_fields, translated_fields, translated_read_only_kwargs
from municipia.api.viewsets import EntityViewSet
from municipia.core.cache import cached_value
from municipia.core.http import client_ip
from municipia.core.i18n import current_language
from municipia.diagnosis import analysis, results, services
from municipia.diagnosis.choices import QuestionKind, RefusalReason
from municipia.diagnosis.entities import (
    CAMPAIGN,
    FINDING,
    MATURITY_ASSESSMENT,
    MATURITY_DIMENSION,
    OPTION,
    QUESTIONNAIRE,
)
from municipia.diagnosis.models import (
    Answer,
    Campaign,
    Finding,
    MaturityAssessment,
    MaturityDimension,
    MaturityRating,
    Option,
    Question,
    Questionnaire,
    Response,
    Section,
)
from municipia.diagnosis.selectors import campaign_get, maturity_assessment_list, questionnaire_structure
from municipia.organizations.selectors import department_list, organization_list
from municipia.strategy.entities import AXIS, PLAN

# --- Questionnaires (read)


class OptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Option
        fields = entity_fields(OPTION, first=("code",))
        extra_kwargs = translated_read_only_kwargs("label")


class QuestionSerializer(serializers.ModelSerializer):
    options = OptionSerializer(many=True, read_only=True)
    show_if_question = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Question
        fields = [
            "id",
            "code",
            "position",
            "kind",
            *translated_fields("text", "help_text"),
            "required",
            "allow_other",
            "max_choices",
            "scale_min",
            "scale_max",
            "number_min",
            "number_max",
            "max_length",
            "is_profile",
            "profile_kind",
            "show_if_question",
            "show_if_values",
            "options",
        ]
        extra_kwargs = translated_read_only_kwargs("text", "help_text")


class SectionSerializer(serializers.ModelSerializer):
    questions = serializers.SerializerMethodField()

    class Meta:
        model = Section
        fields = ["id", "position", *translated_fields("title"), "questions"]
        extra_kwargs = translated_read_only_kwargs("title")

    def get_questions(self, section) -> list[dict]:
        return QuestionSerializer(section.question_list, many=True, context=self.context).data


class QuestionnaireSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Questionnaire
        fields = entity_fields(QUESTIONNAIRE, first=("id", "owner", "kind", "is_template"))
        extra_kwargs = translated_read_only_kwargs("title", "description")


class QuestionnaireDetailSerializer(QuestionnaireSerializer):
    sections = serializers.SerializerMethodField()

    class Meta(QuestionnaireSerializer.Meta):
        fields = entity_fields(QUESTIONNAIRE, first=("id", "owner", "kind", "is_template"), last=("sections",))

    def get_sections(self, questionnaire) -> list[dict]:
        structure = questionnaire_structure(questionnaire)
        return SectionSerializer(structure.sections, many=True, context=self.context).data


class QuestionnaireViewSet(viewsets.ReadOnlyModelViewSet):
    """Questionnaires: the shipped templates and those of the organisations you edit; the detail
    lists sections, questions (with their limits and conditions) and options."""

    permission_classes = [RulesPermission]
    pagination_class = StandardPagination
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return QUESTIONNAIRE.visible(self.request.user).select_related("owner").order_by("-is_template", "id")

    def get_serializer_class(self):
        return QuestionnaireDetailSerializer if self.action == "retrieve" else QuestionnaireSerializer


# --- Campaigns


class CampaignSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(
        slug_field="slug", queryset=organization_list(), help_text=_("Slug of the owning organisation.")
    )
    questionnaire = serializers.PrimaryKeyRelatedField(queryset=Questionnaire.objects.none())
    plan = serializers.SlugRelatedField(
        slug_field="slug", queryset=PLAN.model._default_manager.none(), required=False, allow_null=True
    )
    results_published_to = serializers.SlugRelatedField(
        slug_field="slug", queryset=organization_list(), required=False, allow_null=True
    )
    wave_of = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    population_margins = serializers.DictField(
        child=serializers.DictField(child=serializers.FloatField()),
        required=False,
        help_text=_(
            "Population shares the sample is weighted to: {margin: {category: share from 0 to 1}}, each margin "
            "adding up to 1. A margin is a profile question's code or profile; a joint margin joins several "
            "with “|” (“age_band|sex”), and so do its categories (“18-29|female”). {} stops weighting."
        ),
    )

    class Meta:
        model = Campaign
        fields = [
            "id",
            "slug",
            "owner",
            "questionnaire",
            "plan",
            *translated_fields("title", "description"),
            "audience",
            "access",
            "status",
            "opens_at",
            "closes_at",
            "is_anonymous",
            "language",
            "results_published_to",
            "results_public",
            "wave_of",
            "wave_number",
            "population_margins",
        ]
        read_only_fields = ["status", "wave_number"]
        extra_kwargs = {
            **translated_read_only_kwargs("title", "description"),
            "slug": {"required": False, "validators": []},
        }

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.method not in SAFE_METHODS:
            fields["questionnaire"].queryset = QUESTIONNAIRE.visible(request.user).filter(is_template=False)
            fields["plan"].queryset = PLAN.visible(request.user)
        return fields

    def validate(self, attrs):
        if self.instance is not None:
            for name in ("owner", "questionnaire"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError({name: [_("This cannot be changed once created.")]})
        return attrs


class CampaignViewSet(EntityViewSet):
    """Campaigns you own or whose results are published to you. Open, close and repeat a campaign
    with POST …/open/, …/close/, …/new-wave/."""

    entity = CAMPAIGN
    serializer_class = CampaignSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    rules_actions = {"open": "change", "close": "change", "new_wave": "change"}

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("owner", "plan", "results_published_to", "wave_of")
            .order_by("-created_at", "id")
        )

    def _transition(self, service, **kwargs):
        campaign = self.get_object()
        result = service(acting_user=self.request.user, campaign=campaign, **kwargs)
        return ApiResponse(self.get_serializer(self.refetched(result)).data)

    @extend_schema(request=None, responses=CampaignSerializer)
    @viewset_action(detail=True, methods=["post"])
    def open(self, request, slug=None):
        return self._transition(services.campaign_open)

    @extend_schema(request=None, responses=CampaignSerializer)
    @viewset_action(detail=True, methods=["post"])
    def close(self, request, slug=None):
        return self._transition(services.campaign_close)

    @extend_schema(request=None, responses=CampaignSerializer)
    @viewset_action(detail=True, methods=["post"], url_path="new-wave")
    def new_wave(self, request, slug=None):
        response = self._transition(services.campaign_new_wave)
        response.status_code = status.HTTP_201_CREATED
        return response


# --- Responses


class AnswerSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="question.code", read_only=True)
    option = serializers.CharField(source="option.code", read_only=True, default=None)
    row = serializers.CharField(source="row.code", read_only=True, default=None)

    class Meta:
        model = Answer
        fields = ["question", "option", "row", "value_number", "value_text", "rank"]


class ResponseSerializer(serializers.ModelSerializer):
    """A submitted response. An anonymous campaign's responses carry no user and no invitation,
    and their time is the day only."""

    id = serializers.UUIDField(
        source="public_id", read_only=True, help_text=_("A random identifier: its order says nothing of when.")
    )
    campaign = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Response
        fields = ["id", "campaign", "submitted_at", "language", "weight", "answers"]


class ResponseSubmitSerializer(serializers.Serializer):
    token = serializers.CharField(required=False, max_length=64, help_text=_("The invitation's token."))
    campaign = serializers.SlugField(required=False, help_text=_("A public-link campaign's slug (no token)."))
    answers = serializers.DictField(help_text=_("Answers keyed by question code (see the questionnaire)."))
    language = serializers.CharField(required=False, allow_blank=True, max_length=5)

    def validate(self, attrs):
        if bool(attrs.get("token")) == bool(attrs.get("campaign")):
            raise serializers.ValidationError({"token": [_("Send either an invitation token or a campaign slug.")]})
        return attrs


REFUSAL_STATUS = {
    RefusalReason.TOKEN_USED: status.HTTP_409_CONFLICT,
    RefusalReason.ALREADY_ANSWERED: status.HTTP_409_CONFLICT,
    RefusalReason.TOKEN_UNKNOWN: status.HTTP_404_NOT_FOUND,
    RefusalReason.TOKEN_REVOKED: status.HTTP_410_GONE,
    RefusalReason.CLOSED: status.HTTP_410_GONE,
    RefusalReason.RATE_LIMITED: status.HTTP_429_TOO_MANY_REQUESTS,
    RefusalReason.HONEYPOT: status.HTTP_400_BAD_REQUEST,
}


class ResponseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Responses. POST needs no account: an invitation token (or a public campaign's slug) and the
    answers keyed by question code → 201; 400 names each wrong question; 409 a used token;
    410 a revoked invitation or a closed campaign; 404 an unknown token. Reading lists the
    responses of campaigns whose results you may see (?campaign=<slug>)."""

    pagination_class = StandardPagination
    # Responses are named by their random public id, never by the sequential key.
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = r"[0-9a-fA-F-]{32,36}"

    def get_permissions(self):
        return [AllowAny()]

    def get_serializer_class(self):
        return ResponseSubmitSerializer if self.action == "create" else ResponseSerializer

    def get_queryset(self):
        user = self.request.user
        if not user.is_authenticated:
            return Response.objects.none()
        answers = Prefetch("answers", queryset=Answer.objects.select_related("question", "option", "row"))
        responses = Response.objects.filter(campaign__in=CAMPAIGN.visible(user))
        campaign = self.request.query_params.get("campaign")
        if campaign:
            responses = responses.filter(campaign__slug=campaign)
        # In random order (by public id), so that the list's order is not the order of submission.
        return responses.select_related("campaign").prefetch_related(answers).order_by("public_id")

    @extend_schema(
        request=ResponseSubmitSerializer,
        responses={201: inline_serializer("ResponseReceived", {"status": serializers.CharField()})},
    )
    def create(self, request, *args, **kwargs):
        submit = ResponseSubmitSerializer(data=request.data)
        submit.is_valid(raise_exception=True)
        data = submit.validated_data
        invitation = campaign = None
        if data.get("token"):
            invitation = services.invitation_for_token(data["token"])
            if invitation is None:
                services.refuse(None, RefusalReason.TOKEN_UNKNOWN)
                return self._refused(RefusalReason.TOKEN_UNKNOWN)
            campaign = invitation.campaign
        else:
            campaign = Campaign.objects.select_related("questionnaire").filter(slug=data["campaign"]).first()
            if campaign is None:
                return ApiResponse({"campaign": [_("There is no such campaign.")]}, status=400)
        try:
            services.response_submit(
                campaign=campaign,
                invitation=invitation,
                answers=data["answers"],
                structure=questionnaire_structure(campaign.questionnaire),
                user=request.user,
                language=data.get("language") or current_language(),
                client=None if invitation else services.client_key(client_ip(request), campaign),
            )
        except services.SubmissionRefused as exc:
            if exc.reason == RefusalReason.INVALID:
                return ApiResponse({"answers": {code: [message] for code, message in exc.errors.items()}}, status=400)
            return self._refused(exc.reason)
        return ApiResponse({"status": "received"}, status=status.HTTP_201_CREATED)

    def _refused(self, reason: str):
        return ApiResponse(
            {"detail": services.refusal_message(reason), "reason": reason},
            status=REFUSAL_STATUS.get(reason, status.HTTP_400_BAD_REQUEST),
        )


# --- Maturity


class MaturityDimensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaturityDimension
        fields = entity_fields(MATURITY_DIMENSION)
        extra_kwargs = translated_read_only_kwargs("name", "description")


class MaturityDimensionViewSet(viewsets.ReadOnlyModelViewSet):
    """The dimensions of digital maturity, rated from 1 to 5."""

    serializer_class = MaturityDimensionSerializer
    queryset = MaturityDimension.objects.order_by("position", "code")
    lookup_field = "code"
    pagination_class = StandardPagination


class MaturityRatingSerializer(serializers.ModelSerializer):
    dimension = serializers.SlugRelatedField(slug_field="code", queryset=MaturityDimension.objects.all())
    level = serializers.IntegerField()

    class Meta:
        model = MaturityRating
        fields = ["dimension", "level", "evidence"]


class MaturityAssessmentSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", queryset=organization_list())
    department = serializers.PrimaryKeyRelatedField(queryset=department_list(), required=False, allow_null=True)
    ratings = MaturityRatingSerializer(many=True)

    class Meta:
        model = MaturityAssessment
        fields = entity_fields(MATURITY_ASSESSMENT, first=("id", "organization"))
        extra_kwargs = {"campaign": {"required": False, "allow_null": True}}

    def validate(self, attrs):
        if self.instance is not None:
            raise serializers.ValidationError({"non_field_errors": [_("Record a new assessment instead.")]})
        return attrs


class MaturityAssessmentViewSet(EntityViewSet):
    """Digital-maturity self-assessments of the organisations you edit (levels 1–5 with evidence)."""

    entity = MATURITY_ASSESSMENT
    serializer_class = MaturityAssessmentSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        # The entity's visible assessments, with their organisation, department and ratings.
        return maturity_assessment_list(self.request.user)


# --- Findings


class FindingSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="slug", queryset=PLAN.model._default_manager.none())
    campaign = serializers.SlugRelatedField(
        slug_field="slug", queryset=Campaign.objects.all(), required=False, allow_null=True
    )
    dimension = serializers.SlugRelatedField(
        slug_field="code", queryset=MaturityDimension.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Finding
        fields = entity_fields(FINDING, first=("id", "plan", "kind"), last=("challenge",))
        read_only_fields = ["challenge"]
        extra_kwargs = {**translated_read_only_kwargs("title", "text"), "question": {"required": False}}

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.method not in SAFE_METHODS:
            fields["plan"].queryset = PLAN.visible(request.user)
        return fields

    def validate(self, attrs):
        if self.instance is not None and "plan" in attrs and attrs["plan"] != self.instance.plan:
            raise serializers.ValidationError({"plan": [_("This cannot be changed once created.")]})
        return attrs


class FindingToChallengeSerializer(serializers.Serializer):
    axis = serializers.PrimaryKeyRelatedField(queryset=AXIS.model._default_manager.all())
    code = serializers.CharField(required=False, allow_blank=True, max_length=20)


class FindingViewSet(EntityViewSet):
    """Findings of a plan's diagnosis in a SWOT (S, W, O, T), with their evidence.
    POST …/to-challenge/ with an axis id turns one into a challenge of the plan."""

    entity = FINDING
    serializer_class = FindingSerializer
    lookup_value_regex = r"\d+"
    rules_actions = {"to_challenge": "convert"}

    def get_queryset(self):
        findings = super().get_queryset().select_related("plan", "campaign", "dimension")
        plan = self.request.query_params.get("plan")
        if plan:
            findings = findings.filter(plan__slug=plan)
        return findings.order_by("plan_id", "kind", "position", "id")

    @extend_schema(request=FindingToChallengeSerializer, responses=FindingSerializer)
    @viewset_action(detail=True, methods=["post"], url_path="to-challenge")
    def to_challenge(self, request, pk=None):
        finding = self.get_object()
        body = FindingToChallengeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.finding_to_challenge(
            acting_user=request.user,
            finding=finding,
            axis=body.validated_data["axis"],
            code=body.validated_data.get("code", ""),
        )
        return ApiResponse(self.get_serializer(self.refetched(finding)).data)


# --- Results (read-only): the figures of the results page, for the readers of that page
#
# `campaign-results/<slug>/` serialises `results.campaign_results(campaign)` (cached, so a read
# costs a few queries whatever the number of responses) with the questions' labels in the
# request's language. Weighted figures are null when the campaign has no (usable) margins.


class NullableNestedSerializer(serializers.Serializer):
    """A part of the results that may be null (no weighting, no earlier wave); see the extension below."""


class NullableNestedExtension(OpenApiSerializerFieldExtension):
    """Documents a nullable nested part as `oneOf: [its component, null]`.

    drf-spectacular's default for OpenAPI 3.0 (`allOf: [component]` with `nullable: true`) is
    rejected by validators for a null value, since the component itself is not nullable.
    """

    target_class = NullableNestedSerializer
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        component = auto_schema.resolve_serializer(self.target, direction)
        if not self.target.allow_null:
            return component.ref
        return {"oneOf": [component.ref, {"enum": [None], "nullable": True}]}


class WaveChangeSerializer(NullableNestedSerializer):
    earlier = serializers.FloatField(help_text=_("The figure in the earlier wave (percent for shares)."))
    later = serializers.FloatField(help_text=_("The figure in this wave (percent for shares)."))
    difference = serializers.FloatField(
        allow_null=True, help_text=_("This wave minus the earlier one (percentage points for shares).")
    )
    # xgettext:no-python-format
    low = serializers.FloatField(allow_null=True, help_text=_("Lower bound of the difference's 95 % interval."))
    # xgettext:no-python-format
    high = serializers.FloatField(allow_null=True, help_text=_("Upper bound of the difference's 95 % interval."))
    significant = serializers.BooleanField(help_text=_("Whether the interval leaves out zero."))


class OptionFrequencySerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Option code; “__other__” counts answers written in."))
    label = serializers.CharField()
    count = serializers.IntegerField(help_text=_("Respondents who chose it."))
    percent = serializers.FloatField(help_text=_("Percent of the respondents who answered the question."))
    weighted_count = serializers.FloatField(allow_null=True, help_text=_("Sum of their weights (null: not weighted)."))
    weighted_percent = serializers.FloatField(allow_null=True, help_text=_("Weighted percent (null: not weighted)."))
    low = serializers.FloatField(
        allow_null=True,
        help_text=_(
            "Lower bound of the Wilson confidence interval of the percent (weighted on the effective sample size)."
        ),
    )
    high = serializers.FloatField(allow_null=True, help_text=_("Upper bound of the same interval."))
    change = WaveChangeSerializer(allow_null=True, help_text=_("Change since the earlier wave, if any."))


class FrequencyTableSerializer(NullableNestedSerializer):
    n = serializers.IntegerField(help_text=_("Respondents who answered the question."))
    skipped = serializers.IntegerField(help_text=_("Respondents who did not answer it."))
    multiple = serializers.BooleanField(
        help_text=_("Multiple choice: percentages are of respondents and may add up to more than 100.")
    )
    weighted_n = serializers.FloatField(allow_null=True, help_text=_("Sum of the weights (null: not weighted)."))
    n_eff = serializers.FloatField(help_text=_("Kish's effective sample size (n when not weighted)."))
    design_effect = serializers.FloatField(
        allow_null=True, help_text=_("n / effective n: how much weighting widens the intervals.")
    )
    options = OptionFrequencySerializer(many=True)


class MeanEstimateSerializer(NullableNestedSerializer):
    mean = serializers.FloatField(allow_null=True)
    low = serializers.FloatField(allow_null=True, help_text=_("Lower bound of the confidence interval."))
    high = serializers.FloatField(allow_null=True, help_text=_("Upper bound of the confidence interval."))
    confidence = serializers.FloatField(help_text=_("Confidence level of the interval (0.95)."))
    n = serializers.IntegerField(help_text=_("Respondents who answered."))
    n_eff = serializers.FloatField(help_text=_("Effective sample size (n when not weighted)."))
    design_effect = serializers.FloatField(allow_null=True, help_text=_("n / effective n."))
    std_dev = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True, help_text=_("Number questions only."))
    minimum = serializers.FloatField(allow_null=True, help_text=_("Number questions only."))
    maximum = serializers.FloatField(allow_null=True, help_text=_("Number questions only."))


class MatrixRowResultSerializer(serializers.Serializer):
    row = serializers.CharField(help_text=_("Code of the matrix row."))
    label = serializers.CharField()
    frequencies = FrequencyTableSerializer()


class RankResultSerializer(serializers.Serializer):
    option = serializers.CharField()
    label = serializers.CharField()
    mean_rank = MeanEstimateSerializer(help_text=_("Mean rank (1 = ranked first)."))


class QuestionResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField(help_text=_("The question in the request's language."))
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    is_profile = serializers.BooleanField()
    answered = serializers.IntegerField(help_text=_("Respondents who answered (free text: non-empty answers)."))
    frequencies = FrequencyTableSerializer(allow_null=True, help_text=_("Single and multiple choice."))
    # xgettext:no-python-format
    mean = MeanEstimateSerializer(allow_null=True, help_text=_("Likert and number: unweighted mean, 95 % interval."))
    weighted_mean = MeanEstimateSerializer(allow_null=True, help_text=_("The same, weighted (null: not weighted)."))
    mean_change = WaveChangeSerializer(allow_null=True, help_text=_("Change of the mean since the earlier wave."))
    matrix = MatrixRowResultSerializer(many=True, help_text=_("Matrix: the frequencies of each row."))
    ranks = RankResultSerializer(many=True, help_text=_("Ranking: the mean rank of each option."))


class MarginCheckSerializer(serializers.Serializer):
    margin = serializers.CharField(help_text=_("Margin name; “age_band|sex” is a joint margin."))
    category = serializers.CharField()
    population_percent = serializers.FloatField()
    sample_percent = serializers.FloatField()
    weighted_percent = serializers.FloatField()


class RakingProblemSerializer(serializers.Serializer):
    margin = serializers.CharField()
    category = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class WeightingSerializer(NullableNestedSerializer):
    applied = serializers.BooleanField(help_text=_("False when the margins cannot be reached (see problems)."))
    iterations = serializers.IntegerField(allow_null=True)
    converged = serializers.BooleanField(allow_null=True)
    max_margin_error = serializers.FloatField(allow_null=True)
    n_eff = serializers.FloatField(allow_null=True, help_text=_("Effective sample size of the weighted sample."))
    design_effect = serializers.FloatField(allow_null=True, help_text=_("Kish's design effect of the weights."))
    excluded = serializers.IntegerField(help_text=_("Respondents left out for an incomplete profile."))
    margins = MarginCheckSerializer(many=True)
    problems = RakingProblemSerializer(many=True)


class CrossTabResultSerializer(serializers.Serializer):
    question = serializers.CharField(help_text=_("Code of the question in the rows."))
    rows = serializers.ListField(child=serializers.CharField(), help_text=_("Option codes of the rows."))
    columns = serializers.ListField(child=serializers.CharField(), help_text=_("Option codes of the profile."))
    counts = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))
    column_percent = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField()),
        help_text=_("Share of each column giving each answer (weighted when the campaign is)."),
    )
    column_totals = serializers.ListField(child=serializers.IntegerField())
    few_respondents = serializers.ListField(
        child=serializers.BooleanField(), help_text=_("For each column, whether it has fewer than 30 respondents.")
    )
    chi_square = serializers.FloatField(
        allow_null=True,
        help_text=_("Test of independence: Pearson's χ², Rao–Scott corrected (second order) when weighted."),
    )
    degrees_of_freedom = serializers.IntegerField()
    corrected_degrees_of_freedom = serializers.FloatField(allow_null=True)
    pearson = serializers.FloatField(allow_null=True, help_text=_("Pearson's χ² before any correction."))
    mean_design_effect = serializers.FloatField(allow_null=True, help_text=_("Rao–Scott mean design effect δ̄."))
    design_based = serializers.BooleanField(help_text=_("Whether the test is the Rao–Scott design-based one."))
    p_value = serializers.FloatField(allow_null=True)


class CrossTabsSerializer(NullableNestedSerializer):
    profile = serializers.CharField(help_text=_("Code of the profile question in the columns."))
    weighted = serializers.BooleanField()
    tables = CrossTabResultSerializer(many=True, help_text=_("Every choice question that is not a profile."))


class CampaignResultsSerializer(serializers.Serializer):
    campaign = serializers.SlugField()
    title = serializers.CharField()
    wave_number = serializers.IntegerField()
    earlier_wave = serializers.SlugField(
        allow_null=True, help_text=_("The earlier wave the changes are measured against (null: none you may see).")
    )
    responses = serializers.IntegerField()
    computed_at = serializers.DateTimeField()
    weighted = serializers.BooleanField(help_text=_("Whether the weighted figures are set."))
    weighting = WeightingSerializer(allow_null=True, help_text=_("Null when the campaign has no margins."))
    questions = QuestionResultSerializer(many=True)
    crosstab = CrossTabsSerializer(allow_null=True, help_text=_("With ?crosstab=<profile question code>."))


def _design_effect(n: float, n_eff: float) -> float | None:
    return n / n_eff if n and n_eff else None


def _mean_data(estimate: analysis.MeanEstimate | None) -> dict | None:
    if estimate is None:
        return None
    return {
        **{name: getattr(estimate, name) for name in ("mean", "low", "high", "confidence", "n", "n_eff", "std_dev")},
        "design_effect": _design_effect(estimate.n, estimate.n_eff),
        **{name: getattr(estimate, name) for name in ("median", "minimum", "maximum")},
    }


def _change_data(change) -> dict | None:
    if change is None:
        return None
    difference = change.difference
    return {
        "earlier": change.earlier,
        "later": change.later,
        "difference": difference.difference,
        "low": difference.low,
        "high": difference.high,
        "significant": difference.significant,
    }


def _option_label(code: str, labels: dict[str, str]) -> str:
    return str(_("Other (written in)")) if code == results.OTHER else labels.get(code, code)


def _frequencies_data(table: analysis.FrequencyTable, labels: dict, weighted: bool, changes: dict) -> dict:
    return {
        "n": table.n,
        "skipped": table.skipped,
        "multiple": table.multiple,
        "weighted_n": table.weighted_n if weighted else None,
        "n_eff": table.n_eff,
        "design_effect": _design_effect(table.n, table.n_eff),
        "options": [
            {
                "code": row.option,
                "label": _option_label(row.option, labels),
                "count": row.count,
                "percent": row.percent,
                "weighted_count": row.weighted_count if weighted else None,
                "weighted_percent": row.weighted_percent if weighted else None,
                "low": (interval := table.interval(row)).low,
                "high": interval.high,
                "change": _change_data(changes.get(row.option)),
            }
            for row in table.rows
        ],
    }


def _question_data(question: Question, result, weighted: bool, changes: dict) -> dict:
    labels = {option.code: option.label for option in question.options.all()}
    return {
        "code": question.code,
        "text": question.text,
        "kind": question.kind,
        "is_profile": question.is_profile,
        "answered": result.answered,
        "frequencies": _frequencies_data(result.frequencies, labels, weighted, changes) if result.frequencies else None,
        "mean": _mean_data(result.mean),
        "weighted_mean": _mean_data(result.weighted_mean) if weighted else None,
        "mean_change": _change_data(changes.get("mean")),
        "matrix": [
            {"row": row, "label": labels.get(row, row), "frequencies": _frequencies_data(table, labels, weighted, {})}
            for row, table in result.matrix.items()
        ],
        "ranks": [
            {"option": code, "label": _option_label(code, labels), "mean_rank": _mean_data(estimate)}
            for code, estimate in result.ranks.items()
        ],
    }


def _weighting_data(weighting) -> dict | None:
    if weighting is None:
        return None
    raked = weighting.result
    return {
        "applied": weighting.applied,
        "iterations": raked.iterations if raked else None,
        "converged": raked.converged if raked else None,
        "max_margin_error": raked.max_margin_error if raked else None,
        "n_eff": raked.n_eff if raked else None,
        "design_effect": raked.design_effect if raked else None,
        "excluded": weighting.excluded,
        "margins": [
            {
                "margin": check.margin,
                "category": check.category,
                "population_percent": 100 * check.population,
                "sample_percent": 100 * check.sample,
                "weighted_percent": 100 * check.weighted,
            }
            for check in weighting.checks
        ],
        "problems": [
            {
                "margin": problem.margin,
                "category": None if problem.category is None else str(problem.category),
                "message": problem.message,
            }
            for problem in weighting.problems
        ],
    }


def _crosstabs_data(campaign: Campaign, computed, questions: list[Question], profile: Question, weighted: bool):
    """Every choice question by one profile question (`results.crosstab_tables`), cached with the results."""
    if not computed.key:
        return _crosstabs_build(campaign, questions, profile, weighted)
    return cached_value(
        "diagnosis-api-crosstabs",
        [computed.key, profile.pk],
        lambda: _crosstabs_build(campaign, questions, profile, weighted),
        seconds=results.CACHE_SECONDS,
    )


def _crosstabs_build(campaign: Campaign, questions: list[Question], profile: Question, weighted: bool) -> dict:
    crossable = [q for q in questions if q.kind in results.CHOICE_KINDS and not q.is_profile]
    by_question, is_weighted = results.crosstab_tables(campaign, crossable, profile, weighted=weighted)
    tables = []
    for question in crossable:
        table = by_question[question.pk]
        tables.append(
            {
                "question": question.code,
                "rows": table.row_options,
                "columns": table.column_options,
                "counts": table.counts,
                "column_percent": table.column_percent,
                "column_totals": table.column_totals,
                "few_respondents": table.few_respondents,
                "chi_square": table.chi_square,
                "degrees_of_freedom": table.degrees_of_freedom,
                "corrected_degrees_of_freedom": table.corrected_df,
                "pearson": table.pearson,
                "mean_design_effect": table.mean_design_effect,
                "design_based": table.design_based,
                "p_value": table.p_value,
            }
        )
    return {"profile": profile.code, "weighted": is_weighted, "tables": tables}


def results_campaign_get(user, *, slug: str) -> Campaign:
    """The campaign whose results a user may read; 404 alike for missing and forbidden."""
    campaign = campaign_get(user, slug=slug)
    if not user.has_perm("diagnosis.view_results", campaign):
        raise Http404
    return campaign


class CampaignResultsViewSet(viewsets.ViewSet):
    """A campaign's results (by its slug), as on its results page: per question the frequencies
    (unweighted, and weighted when the campaign has population margins), means with 95 %
    confidence intervals, effective sample sizes and design effects, and the change since the
    earlier wave. ?crosstab=<profile question code> adds every choice question by that profile.
    Read by the campaign owner's editors and those of the organisation its results go to."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    serializer_class = CampaignResultsSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "crosstab", str, description=_("Code of a profile question: adds the cross-tabs by that profile.")
            )
        ],
        responses={
            200: CampaignResultsSerializer,
            400: OpenApiResponse(
                inline_serializer(
                    "CampaignResultsBadRequest", {"crosstab": serializers.ListField(child=serializers.CharField())}
                ),
                description=_("The crosstab parameter names no profile question of the campaign."),
            ),
        },
    )
    def retrieve(self, request, slug=None):
        campaign = results_campaign_get(request.user, slug=slug)
        questions = results.campaign_questions(campaign)
        profile = None
        code = request.query_params.get("crosstab")
        if code is not None:
            profile = next((q for q in questions if q.code == code and q.is_profile), None)
            if profile is None or profile.kind != QuestionKind.SINGLE_CHOICE:
                raise serializers.ValidationError(
                    {"crosstab": [_("“%(code)s” is not a profile question of this campaign.") % {"code": code}]}
                )
        computed = results.campaign_results(campaign)
        earlier = None
        if campaign.wave_of_id and request.user.has_perm("diagnosis.view_results", campaign.wave_of):
            earlier = campaign.wave_of
        changes = results.compare_waves(results.campaign_results(earlier), computed) if earlier else {}
        weighted = bool(computed.weighting and computed.weighting.applied)
        data = {
            "campaign": campaign.slug,
            "title": campaign.title,
            "wave_number": campaign.wave_number,
            "earlier_wave": earlier.slug if earlier else None,
            "responses": computed.responses,
            "computed_at": dt.datetime.fromtimestamp(computed.computed_at, tz=dt.UTC),
            "weighted": weighted,
            "weighting": _weighting_data(computed.weighting),
            "questions": [
                _question_data(question, computed.questions[question.code], weighted, changes.get(question.code, {}))
                for question in questions
                if question.code in computed.questions
            ],
            "crosstab": _crosstabs_data(campaign, computed, questions, profile, weighted) if profile else None,
        }
        return ApiResponse(CampaignResultsSerializer(data).data)
