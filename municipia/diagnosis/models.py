"""Questionnaires, campaigns, responses and answers; maturity self-assessments; findings (SWOT).

The anonymity promise is kept by the schema: a response of an anonymous campaign has no
user, no invitation and no IP (there is no column for an IP at all); its submission time is
kept to the day only; the invitation it came through records only that it was used.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipia.core.models import RequiresOneLanguageMixin, TimeStampedModel, finish_clean
from municipia.diagnosis.choices import (
    Access,
    Audience,
    CampaignStatus,
    ProfileKind,
    QuestionKind,
    QuestionnaireKind,
    RefusalReason,
    SwotKind,
)
from municipia.organizations.models import Department, Organization

MATURITY_LEVELS = [MinValueValidator(1), MaxValueValidator(5)]


def _code_taken(obj: models.Model, **scope: object) -> bool:
    """Whether another row of `obj`'s model in `scope` already has its code (the message, not the
    unique constraint, is what the form shows)."""
    return type(obj)._default_manager.filter(code=obj.code, **scope).exclude(pk=obj.pk).exists()


class Questionnaire(RequiresOneLanguageMixin, TimeStampedModel):
    """A questionnaire: sections of questions. Templates (is_template) are copied, never answered."""

    required_translations = ("title",)

    owner = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name=_("owner"),
        help_text=_("Empty for the templates that ship with the product."),
    )
    kind = models.CharField(
        _("kind"), max_length=30, choices=QuestionnaireKind.choices, default=QuestionnaireKind.CUSTOM
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    is_template = models.BooleanField(_("template"), default=False, db_index=True)
    template_key = models.SlugField(
        _("template key"),
        max_length=80,
        blank=True,
        help_text=_("Identifies a shipped template so that loading it again updates it."),
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies", verbose_name=_("copied from")
    )

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(
                fields=["template_key"], condition=~models.Q(template_key=""), name="questionnaire_unique_template_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("diagnosis:questionnaire-detail", kwargs={"pk": self.pk})


class Section(RequiresOneLanguageMixin, TimeStampedModel):
    """A page of a questionnaire; the answering page shows one section at a time."""

    required_translations = ("title",)

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections", verbose_name=_("questionnaire")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["questionnaire_id", "position", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # A section is edited on its questionnaire's page.
        return self.questionnaire.get_absolute_url()


class Question(RequiresOneLanguageMixin, TimeStampedModel):
    """One question. Its kind decides which limits apply and how answers are stored."""

    required_translations = ("text",)

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("questionnaire"),
        editable=False,
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions", verbose_name=_("section"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(
        _("code"), max_length=40, help_text=_("Short, unique within the questionnaire, e.g. q1 or age_band.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    allow_other = models.BooleanField(
        _("allow “other”"), default=False, help_text=_("Choice questions: the respondent may write another answer.")
    )
    max_choices = models.PositiveSmallIntegerField(
        _("maximum choices"), null=True, blank=True, help_text=_("Multiple choice: at most this many options.")
    )
    scale_min = models.SmallIntegerField(_("scale minimum"), default=1)
    scale_max = models.SmallIntegerField(_("scale maximum"), default=5)
    scale_min_label = models.CharField(_("label of the scale minimum"), max_length=100, blank=True)
    scale_max_label = models.CharField(_("label of the scale maximum"), max_length=100, blank=True)
    number_min = models.FloatField(_("smallest number"), null=True, blank=True)
    number_max = models.FloatField(_("largest number"), null=True, blank=True)
    max_length = models.PositiveIntegerField(
        _("maximum length"), default=2000, validators=[MinValueValidator(1), MaxValueValidator(20000)]
    )
    is_profile = models.BooleanField(
        _("profile question"), default=False, help_text=_("Describes the respondent (age band, sex, district).")
    )
    profile_kind = models.CharField(
        _("profile"), max_length=20, choices=ProfileKind.choices, default=ProfileKind.NONE, blank=True
    )
    show_if_question = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependent_questions",
        verbose_name=_("show only if question"),
    )
    show_if_values = models.JSONField(
        _("has one of the option codes"), default=list, blank=True, help_text=_('Option codes, e.g. ["yes"].')
    )

    class Meta:
        ordering = ["questionnaire_id", "section__position", "section_id", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="question_unique_code"),
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")), name="question_scale_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(number_min__isnull=True)
                | models.Q(number_max__isnull=True)
                | models.Q(number_max__gte=models.F("number_min")),
                name="question_number_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"

    def save(self, *args, **kwargs) -> None:
        if self.section_id and not self.questionnaire_id:
            self.questionnaire_id = self.section.questionnaire_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.questionnaire.get_absolute_url()

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.section_id and not self.questionnaire_id:
            self.questionnaire_id = self.section.questionnaire_id
        if self.code and self.questionnaire_id and _code_taken(self, questionnaire_id=self.questionnaire_id):
            errors["code"] = _("Code %(code)s is already used in this questionnaire.") % {"code": self.code}
        if self.scale_min is not None and self.scale_max is not None and self.scale_max <= self.scale_min:
            errors["scale_max"] = _("The scale maximum must be greater than its minimum.")
        if self.number_min is not None and self.number_max is not None and self.number_max < self.number_min:
            errors["number_max"] = _("The largest number must not be smaller than the smallest.")
        if self.show_if_question_id:
            condition = self.show_if_question
            if self.pk and condition.pk == self.pk:
                errors["show_if_question"] = _("A question cannot depend on itself.")
            elif condition.questionnaire_id != self.questionnaire_id:
                errors["show_if_question"] = _("The condition must be a question of the same questionnaire.")
            elif self.section_id and (condition.section.position, condition.section_id) >= (
                self.section.position,
                self.section_id,
            ):
                # Conditions are evaluated on the answers of earlier pages, so the page flow
                # works without JavaScript.
                errors["show_if_question"] = _("The condition must be a question of an earlier section.")
            if not isinstance(self.show_if_values, list) or not self.show_if_values:
                errors["show_if_values"] = _("List the option codes that show this question.")
        elif self.show_if_values:
            errors["show_if_question"] = _("Choose the question the condition depends on.")
        if self.profile_kind and not self.is_profile:
            self.is_profile = True
        finish_clean(errors, super().clean)


class Option(RequiresOneLanguageMixin, models.Model):
    """An answer option of a choice question; for a matrix, its rows (is_row) and its columns."""

    required_translations = ("label",)

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question"))
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=250)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_row = models.BooleanField(_("matrix row"), default=False)

    class Meta:
        ordering = ["question_id", "is_row", "position", "id"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="option_unique_code")]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return self.question.get_absolute_url()

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.code and self.question_id and _code_taken(self, question_id=self.question_id):
            errors["code"] = _("Code %(code)s is already used by another option of this question.") % {
                "code": self.code
            }
        finish_clean(errors, super().clean)


class Campaign(RequiresOneLanguageMixin, TimeStampedModel):
    """A questionnaire put to an audience, by public link or by one-time invitations."""

    required_translations = ("title",)

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("questionnaire")
    )
    owner = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="diagnosis_campaigns",
        verbose_name=_("owner"),
        help_text=_("The council, or a partner organisation running the study."),
    )
    plan = models.ForeignKey(
        "strategy.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diagnosis_campaigns",
        verbose_name=_("plan"),
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("introduction"), blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.CITIZENS)
    access = models.CharField(_("access"), max_length=20, choices=Access.choices, default=Access.PUBLIC_LINK)
    status = models.CharField(
        _("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT, db_index=True
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    is_anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("No user, invitation or IP address is stored with an anonymous response."),
    )
    language = models.CharField(
        _("language of the invitations"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    wave_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="later_waves",
        verbose_name=_("repeats campaign"),
    )
    wave_number = models.PositiveSmallIntegerField(_("wave"), default=1)
    results_published_to = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diagnosis_campaigns_shared",
        verbose_name=_("results published to"),
    )
    results_public = models.BooleanField(
        _("results public"),
        default=False,
        help_text=_(
            "Show the aggregated results on the survey's public page, weighted as on the results page; "
            "answers given by very few people (fewer than 5 by default) are hidden."
        ),
    )
    # {margin: {category: share}}: a margin is a profile question's code or profile (or several
    # joined by "|" for a joint margin such as "age_band|sex", whose categories join option codes
    # the same way); shares of the population add up to 1. Written by `campaign_margins_update`.
    population_margins = models.JSONField(
        _("population margins"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("The population's shares the citizen sample is weighted to (raking)."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__isnull=True)
                | models.Q(closes_at__isnull=True)
                | models.Q(closes_at__gt=models.F("opens_at")),
                name="campaign_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("diagnosis:campaign-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The closing date must be after the opening date.")
        if self.questionnaire_id and self.questionnaire.is_template:
            errors["questionnaire"] = _("Templates are not answered: make a copy of the template first.")
        finish_clean(errors, super().clean)

    def is_accepting(self, now=None) -> bool:
        """Whether answers are accepted now: open, and within the dates if set."""
        now = now or timezone.now()
        if self.status != CampaignStatus.OPEN:
            return False
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)


class CampaignResultSnapshot(models.Model):
    """A campaign's computed results, kept so pages never wait for a computation once there is one.

    `key` is the results version they correspond to (`results.results_key`: highest response id
    and margins digest); a snapshot whose key differs from the campaign's current one is stale
    and is recomputed, inline for small campaigns, by a background task for large ones.
    """

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, primary_key=True, related_name="result_snapshot", verbose_name=_("campaign")
    )
    key = models.CharField(_("version"), max_length=120, blank=True)
    last_response_id = models.BigIntegerField(_("last response included"), default=0)
    responses = models.PositiveIntegerField(_("responses"), default=0)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    milliseconds = models.FloatField(_("computation time (ms)"), default=0)
    # A pickle of `results.CampaignResults` (plain dataclasses of figures, no per-respondent data),
    # written only by `results.snapshot_store`, never from user input.
    results = models.BinaryField(_("results"), null=True, blank=True, editable=False)
    # Set while a background computation runs, so that one campaign has at most one at a time.
    computing_since = models.DateTimeField(_("computing since"), null=True, blank=True)

    class Meta:
        ordering = ["campaign_id"]
        verbose_name = _("results snapshot")
        verbose_name_plural = _("results snapshots")

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.key}"


class Invitation(models.Model):
    """A one-time invitation to answer a campaign, sent by e-mail; its token is the key."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("campaign")
    )
    email = models.EmailField(_("e-mail"))
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # For an anonymous campaign only the flag is set: a time would let one match the
    # invitation with the response submitted at that moment.
    is_used = models.BooleanField(_("used"), default=False)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    # Answers saved so far (save & resume); emptied on submission.
    draft = models.JSONField(_("saved answers"), default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["campaign_id", "email", "id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["campaign", "email"], name="invitation_unique_email")]

    def __str__(self) -> str:
        return self.email


class Response(models.Model):
    """A submitted set of answers. Anonymous: no user, no invitation, the day only."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="responses", verbose_name=_("campaign")
    )
    # The identifier shown anywhere outside the database (API, exports, admin list, logs): random,
    # so that its order says nothing about the order of submission (which logs could tie to people).
    public_id = models.UUIDField(_("response id"), default=uuid.uuid4, unique=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    is_complete = models.BooleanField(_("complete"), default=True)
    invitation = models.ForeignKey(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses", editable=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diagnosis_responses",
        editable=False,
    )
    language = models.CharField(_("language"), max_length=5, blank=True)
    weight = models.FloatField(_("weight"), null=True, blank=True, help_text=_("Set by weighting (raking)."))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["campaign_id", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["invitation"], condition=models.Q(invitation__isnull=False), name="response_one_per_invitation"
            ),
            models.UniqueConstraint(
                fields=["campaign", "user"], condition=models.Q(user__isnull=False), name="response_one_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.public_id}"


class Answer(models.Model):
    """One answer value. Multiple choice: one row per option chosen; ranking: one per option with
    its rank; matrix: one per row (row) with the column chosen (option); "other": option empty,
    the text in value_text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, null=True, blank=True, related_name="answers")
    row = models.ForeignKey(Option, on_delete=models.CASCADE, null=True, blank=True, related_name="row_answers")
    value_number = models.FloatField(null=True, blank=True)
    value_text = models.TextField(blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["response_id", "question_id", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            models.Index(fields=["question", "option"], name="answer_question_option"),
            models.Index(fields=["question", "response"], name="answer_question_response"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.option_id or self.value_number or self.value_text[:30]}"


class RefusedSubmission(models.Model):
    """A submission that was turned away: the reason and the time, nothing identifying."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, null=True, blank=True, related_name="refused_submissions"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=RefusalReason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("refused submission")
        verbose_name_plural = _("refused submissions")
        indexes = [models.Index(fields=["campaign", "reason"], name="refused_campaign_reason")]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.reason}"


class MaturityDimension(RequiresOneLanguageMixin, models.Model):
    """A dimension of digital maturity rated 1–5 (strategy and governance, data, skills…)."""

    required_translations = ("name",)

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("maturity dimension")
        verbose_name_plural = _("maturity dimensions")

    def __str__(self) -> str:
        return self.name


class MaturityAssessment(TimeStampedModel):
    """A council's or one department's self-assessment on a date."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="maturity_assessments", verbose_name=_("organisation")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="maturity_assessments",
        verbose_name=_("department"),
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="maturity_assessments",
        verbose_name=_("campaign"),
    )
    assessed_on = models.DateField(_("assessed on"))
    note = models.TextField(_("note"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["organization_id", "-assessed_on", "id"]
        verbose_name = _("maturity self-assessment")
        verbose_name_plural = _("maturity self-assessments")
        indexes = [models.Index(fields=["organization", "assessed_on"], name="maturity_org_date")]

    def __str__(self) -> str:
        who = self.department or self.organization
        return f"{who} ({self.assessed_on})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.department_id and self.organization_id and self.department.organization_id != self.organization_id:
            errors["department"] = _("This department belongs to another organisation.")
        finish_clean(errors, super().clean)


class MaturityRating(models.Model):
    """The level (1–5) a self-assessment gives one dimension, with its evidence."""

    assessment = models.ForeignKey(MaturityAssessment, on_delete=models.CASCADE, related_name="ratings")
    dimension = models.ForeignKey(
        MaturityDimension, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("dimension")
    )
    level = models.PositiveSmallIntegerField(_("level"), validators=MATURITY_LEVELS)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["assessment_id", "dimension__position", "id"]
        verbose_name = _("maturity rating")
        verbose_name_plural = _("maturity ratings")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "dimension"], name="maturityrating_unique_dimension"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="maturityrating_level_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension_id}: {self.level}"


class Finding(RequiresOneLanguageMixin, TimeStampedModel):
    """A finding of the diagnosis placed in the SWOT, with its evidence; it may become a challenge."""

    required_translations = ("title",)

    plan = models.ForeignKey("strategy.Plan", on_delete=models.CASCADE, related_name="findings", verbose_name=_("plan"))
    kind = models.CharField(_("SWOT"), max_length=1, choices=SwotKind.choices)
    title = models.CharField(_("title"), max_length=250)
    text = models.TextField(_("text"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="findings", verbose_name=_("campaign")
    )
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="findings", verbose_name=_("question")
    )
    dimension = models.ForeignKey(
        MaturityDimension,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("maturity dimension"),
    )
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("Figures, quotes or sources behind it."))
    challenge = models.ForeignKey(
        "strategy.Challenge",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("challenge"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["plan_id", "kind", "position", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        indexes = [models.Index(fields=["plan", "kind"], name="finding_plan_kind")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # Findings are shown and edited on their plan's SWOT board.
        return reverse("diagnosis:finding-board", kwargs={"slug": self.plan.slug})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.question_id and self.campaign_id and self.question.questionnaire_id != self.campaign.questionnaire_id:
            errors["question"] = _("This question is not in the campaign's questionnaire.")
        if self.challenge_id and self.plan_id and self.challenge.axis.plan_id != self.plan_id:
            errors["challenge"] = _("This challenge belongs to another plan.")
        finish_clean(errors, super().clean)
