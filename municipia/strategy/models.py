"""Plan → axes → challenges and strategic objectives → actions → milestones."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipia.core.models import RequiresOneLanguageMixin, TimeStampedModel, finish_clean
from municipia.organizations.models import Department, Organization, Person
from municipia.strategy.choices import ActionStatus, PartnerRole, PlanStatus

WEIGHT_VALIDATORS = [MinValueValidator(Decimal("0"))]


class UniqueCodeMixin:
    """Names the `code` field when a code is already used in its scope (plan or axis)."""

    code_scope: str = "plan"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        scope_id = getattr(self, f"{self.code_scope}_id", None)
        if self.code and scope_id:
            clash = type(self)._default_manager.filter(**{f"{self.code_scope}_id": scope_id, "code": self.code})
            if self.pk:
                clash = clash.exclude(pk=self.pk)
            if clash.exists():
                errors["code"] = _("Code %(code)s is already used in this %(scope)s.") % {
                    "code": self.code,
                    "scope": self._meta.get_field(self.code_scope).verbose_name,
                }
        finish_clean(errors, super().clean)


class Plan(RequiresOneLanguageMixin, TimeStampedModel):
    """A strategic plan owned by one council or by a network of councils."""

    required_translations = ("title",)

    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="plans", verbose_name=_("owner"))
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    vision = models.TextField(_("vision"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Published plans are visible to everyone.")
    )

    class Meta:
        ordering = ["-period_start", "title", "id"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="plan_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategy:plan-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The end of the period must not be before its start.")
        finish_clean(errors, super().clean)


class Axis(UniqueCodeMixin, RequiresOneLanguageMixin, TimeStampedModel):
    """A strategic axis (line) of a plan."""

    required_translations = ("title",)

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="axes", verbose_name=_("plan"))
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, default=Decimal("1"), validators=WEIGHT_VALIDATORS
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["plan_id", "position", "code", "id"]
        verbose_name = _("axis")
        verbose_name_plural = _("axes")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="axis_unique_code"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="axis_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("strategy:plan-detail", kwargs={"slug": self.plan.slug}) + f"#axis-{self.code}"


class Challenge(UniqueCodeMixin, RequiresOneLanguageMixin, TimeStampedModel):
    """A challenge identified for an axis (often from the diagnosis)."""

    required_translations = ("title",)
    code_scope = "axis"

    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="challenges", verbose_name=_("axis"))
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["axis_id", "code", "id"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        constraints = [models.UniqueConstraint(fields=["axis", "code"], name="challenge_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Objective(UniqueCodeMixin, RequiresOneLanguageMixin, TimeStampedModel):
    """A strategic objective of an axis; it may answer some of the axis's challenges."""

    required_translations = ("title",)
    code_scope = "axis"

    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("axis"))
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, default=Decimal("1"), validators=WEIGHT_VALIDATORS
    )
    challenges = models.ManyToManyField(
        Challenge, related_name="objectives", blank=True, verbose_name=_("challenges addressed")
    )

    class Meta:
        ordering = ["axis_id", "code", "id"]
        verbose_name = _("strategic objective")
        verbose_name_plural = _("strategic objectives")
        constraints = [
            models.UniqueConstraint(fields=["axis", "code"], name="objective_unique_code"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="objective_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Action(UniqueCodeMixin, RequiresOneLanguageMixin, TimeStampedModel):
    """An action of the plan: who does what, when, with which budget, and how far it has got."""

    required_translations = ("title",)

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("plan"), editable=False
    )
    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="actions", verbose_name=_("strategic objective")
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("Unique within the plan, e.g. 2.3.1."))
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    owner_department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("owner department"),
    )
    lead = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="led_actions", verbose_name=_("lead")
    )
    participants = models.ManyToManyField(
        Organization, related_name="participating_actions", blank=True, verbose_name=_("participating councils")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    budget = models.DecimalField(_("budget (€)"), max_digits=14, decimal_places=2, null=True, blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, default=Decimal("1"), validators=WEIGHT_VALIDATORS
    )
    dependencies = models.ManyToManyField(
        "self", symmetrical=False, related_name="dependents", blank=True, verbose_name=_("depends on")
    )
    # Universities, associations, companies… taking part with a role (ActionPartner); councils
    # take part as `participants`.
    partners = models.ManyToManyField(
        Organization,
        through="ActionPartner",
        related_name="partner_actions",
        blank=True,
        verbose_name=_("partner organisations"),
    )

    class Meta:
        ordering = ["plan_id", "code", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="action_unique_code"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="action_progress_max_100"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="action_dates_ordered",
            ),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="action_weight_positive"),
        ]
        indexes = [
            models.Index(fields=["plan", "status"]),
            models.Index(fields=["objective", "code"]),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("strategy:action-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date must not be before the start date.")
        plan = self.plan if self.plan_id else None
        if plan is not None:
            for field in ("start_date", "end_date"):
                value = getattr(self, field)
                if value and not (plan.period_start <= value <= plan.period_end) and field not in errors:
                    errors[field] = _("This date falls outside the plan's period (%(start)s – %(end)s).") % {
                        "start": plan.period_start.isoformat(),
                        "end": plan.period_end.isoformat(),
                    }
        finish_clean(errors, super().clean)


class Milestone(RequiresOneLanguageMixin, TimeStampedModel):
    """A dated step of an action."""

    required_translations = ("title",)

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("action"))
    title = models.CharField(_("title"), max_length=250)
    due_date = models.DateField(_("due date"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        ordering = ["action_id", "due_date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.due_date and self.action_id:
            plan = self.action.plan
            if not (plan.period_start <= self.due_date <= plan.period_end):
                errors["due_date"] = _("This date falls outside the plan's period (%(start)s – %(end)s).") % {
                    "start": plan.period_start.isoformat(),
                    "end": plan.period_end.isoformat(),
                }
        finish_clean(errors, super().clean)

    @property
    def is_done(self) -> bool:
        return self.completed_on is not None


class ActionPartner(TimeStampedModel):
    """A partner organisation taking part in an action, in one role (lead, contributor, funder, data provider)."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="partnerships", verbose_name=_("action"), editable=False
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="action_partnerships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=PartnerRole.choices, default=PartnerRole.CONTRIBUTOR)
    note = models.CharField(_("note"), max_length=250, blank=True, help_text=_("What the partner contributes."))

    class Meta:
        ordering = ["action_id", "role", "organization__name", "id"]
        verbose_name = _("action partner")
        verbose_name_plural = _("action partners")
        constraints = [
            models.UniqueConstraint(fields=["action", "organization", "role"], name="actionpartner_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return self.action.get_absolute_url() + "#partners"


class PlanVersion(models.Model):
    """A snapshot of a plan's whole content, kept each time the plan is approved."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("plan"))
    number = models.PositiveIntegerField(_("version"))
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    note = models.TextField(_("note"), blank=True)
    snapshot = models.JSONField(_("snapshot"))

    class Meta:
        ordering = ["plan_id", "-number"]
        verbose_name = _("approved version")
        verbose_name_plural = _("approved versions")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"
