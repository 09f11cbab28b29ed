"""API of the diagnosis: questionnaires (read), campaigns, responses (written by token or public
link, read by owners), maturity self-assessments and findings; reads via selectors, writes via
services, the same `rules` permissions as the pages.
"""

from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as viewset_action
from rest_framework.permissions import SAFE_METHODS, AllowAny
from rest_framework.response import Response as ApiResponse

from municipia.api.pagination import StandardPagination
from municipia.api.permissions import RulesPermission
from municipia.api.serializers import translated_fields, translated_read_only_kwargs
from municipia.api.viewsets import ServiceModelViewSet
from municipia.core.i18n import current_language
from municipia.diagnosis import services
from municipia.diagnosis.choices import RefusalReason
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
from municipia.diagnosis.selectors import (
    campaigns_visible_to,
    findings_visible_to,
    maturity_assessment_list,
    questionnaire_structure,
    questionnaires_visible_to,
)
from municipia.organizations.models import Department, Organization
from municipia.strategy.models import Axis, Plan
from municipia.strategy.selectors import plans_visible_to


def _only(data: dict[str, Any], allowed: list[str]) -> dict[str, Any]:
    return {name: value for name, value in data.items() if name in allowed}


# --- Questionnaires (read)


class OptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Option
        fields = ["code", *translated_fields("label"), "position", "is_row"]
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
        fields = ["id", "owner", "kind", "is_template", *translated_fields("title", "description")]
        extra_kwargs = translated_read_only_kwargs("title", "description")


class QuestionnaireDetailSerializer(QuestionnaireSerializer):
    sections = serializers.SerializerMethodField()

    class Meta(QuestionnaireSerializer.Meta):
        fields = [*QuestionnaireSerializer.Meta.fields, "sections"]

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
        return questionnaires_visible_to(self.request.user).select_related("owner").order_by("-is_template", "id")

    def get_serializer_class(self):
        return QuestionnaireDetailSerializer if self.action == "retrieve" else QuestionnaireSerializer


# --- Campaigns


class CampaignSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organization.objects.all(), help_text=_("Slug of the owning organisation.")
    )
    questionnaire = serializers.PrimaryKeyRelatedField(queryset=Questionnaire.objects.none())
    plan = serializers.SlugRelatedField(
        slug_field="slug", queryset=Plan.objects.none(), required=False, allow_null=True
    )
    results_published_to = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organization.objects.all(), required=False, allow_null=True
    )
    wave_of = serializers.SlugRelatedField(slug_field="slug", read_only=True)

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
            "wave_of",
            "wave_number",
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
            fields["questionnaire"].queryset = questionnaires_visible_to(request.user).filter(is_template=False)
            fields["plan"].queryset = plans_visible_to(request.user)
        return fields

    def validate(self, attrs):
        if self.instance is not None:
            for name in ("owner", "questionnaire"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError({name: [_("This cannot be changed once created.")]})
        return attrs


class CampaignViewSet(ServiceModelViewSet):
    """Campaigns you own or whose results are published to you. Open, close and repeat a campaign
    with POST …/open/, …/close/, …/new-wave/."""

    serializer_class = CampaignSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    rules_actions = {"open": "change", "close": "change", "new_wave": "change"}

    def get_queryset(self):
        return (
            campaigns_visible_to(self.request.user)
            .select_related("owner", "plan", "results_published_to", "wave_of")
            .order_by("-created_at", "id")
        )

    def parent_of(self, data):
        return data["owner"]

    def create_object(self, parent, data):
        return services.campaign_create(
            acting_user=self.request.user,
            owner=parent,
            questionnaire=data["questionnaire"],
            data=_only(data, services.CAMPAIGN_FIELDS),
        )

    def update_object(self, instance, data):
        return services.campaign_update(
            acting_user=self.request.user, campaign=instance, data=_only(data, services.CAMPAIGN_FIELDS)
        )

    def delete_object(self, instance):
        instance.delete()

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
    lookup_value_regex = r"\d+"

    def get_permissions(self):
        return [AllowAny()]

    def get_serializer_class(self):
        return ResponseSubmitSerializer if self.action == "create" else ResponseSerializer

    def get_queryset(self):
        user = self.request.user
        if not user.is_authenticated:
            return Response.objects.none()
        answers = Prefetch("answers", queryset=Answer.objects.select_related("question", "option", "row"))
        responses = Response.objects.filter(campaign__in=campaigns_visible_to(user))
        campaign = self.request.query_params.get("campaign")
        if campaign:
            responses = responses.filter(campaign__slug=campaign)
        return responses.select_related("campaign").prefetch_related(answers).order_by("id")

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
                client=None if invitation else services.client_key(request.META.get("REMOTE_ADDR", ""), campaign),
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
        fields = ["code", *translated_fields("name", "description"), "position"]
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
    organization = serializers.SlugRelatedField(slug_field="slug", queryset=Organization.objects.all())
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False, allow_null=True)
    ratings = MaturityRatingSerializer(many=True)

    class Meta:
        model = MaturityAssessment
        fields = ["id", "organization", "department", "campaign", "assessed_on", "note", "ratings"]
        extra_kwargs = {"campaign": {"required": False, "allow_null": True}}

    def validate(self, attrs):
        if self.instance is not None:
            raise serializers.ValidationError({"non_field_errors": [_("Record a new assessment instead.")]})
        return attrs


class MaturityAssessmentViewSet(ServiceModelViewSet):
    """Digital-maturity self-assessments of the organisations you edit (levels 1–5 with evidence)."""

    serializer_class = MaturityAssessmentSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return maturity_assessment_list(self.request.user)

    def parent_of(self, data):
        return data["organization"]

    def create_object(self, parent, data):
        ratings = {r["dimension"].code: (r["level"], r.get("evidence", "")) for r in data.get("ratings", [])}
        return services.maturity_assessment_record(
            acting_user=self.request.user,
            organization=parent,
            department=data.get("department"),
            campaign=data.get("campaign"),
            assessed_on=data["assessed_on"],
            note=data.get("note", ""),
            ratings=ratings,
        )

    def delete_object(self, instance):
        services.maturity_assessment_delete(acting_user=self.request.user, assessment=instance)


# --- Findings


class FindingSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="slug", queryset=Plan.objects.none())
    campaign = serializers.SlugRelatedField(
        slug_field="slug", queryset=Campaign.objects.all(), required=False, allow_null=True
    )
    dimension = serializers.SlugRelatedField(
        slug_field="code", queryset=MaturityDimension.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Finding
        fields = [
            "id",
            "plan",
            "kind",
            *translated_fields("title", "text"),
            "position",
            "campaign",
            "question",
            "dimension",
            "evidence",
            "challenge",
        ]
        read_only_fields = ["challenge"]
        extra_kwargs = {**translated_read_only_kwargs("title", "text"), "question": {"required": False}}

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.method not in SAFE_METHODS:
            fields["plan"].queryset = plans_visible_to(request.user)
        return fields

    def validate(self, attrs):
        if self.instance is not None and "plan" in attrs and attrs["plan"] != self.instance.plan:
            raise serializers.ValidationError({"plan": [_("This cannot be changed once created.")]})
        return attrs


class FindingToChallengeSerializer(serializers.Serializer):
    axis = serializers.PrimaryKeyRelatedField(queryset=Axis.objects.all())
    code = serializers.CharField(required=False, allow_blank=True, max_length=20)


class FindingViewSet(ServiceModelViewSet):
    """Findings of a plan's diagnosis in a SWOT (S, W, O, T), with their evidence.
    POST …/to-challenge/ with an axis id turns one into a challenge of the plan."""

    serializer_class = FindingSerializer
    lookup_value_regex = r"\d+"
    rules_actions = {"to_challenge": "convert"}

    def get_queryset(self):
        findings = findings_visible_to(self.request.user).select_related("plan", "campaign", "dimension")
        plan = self.request.query_params.get("plan")
        if plan:
            findings = findings.filter(plan__slug=plan)
        return findings.order_by("plan_id", "kind", "position", "id")

    def parent_of(self, data):
        return data["plan"]

    def create_object(self, parent, data):
        return services.finding_create(
            acting_user=self.request.user, plan=parent, data=_only(data, services.FINDING_FIELDS)
        )

    def update_object(self, instance, data):
        return services.finding_update(
            acting_user=self.request.user, finding=instance, data=_only(data, services.FINDING_FIELDS)
        )

    def delete_object(self, instance):
        services.finding_delete(acting_user=self.request.user, finding=instance)

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
