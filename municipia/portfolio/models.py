"""Proposals and their evaluation, funding sources, budget lines, execution and scenarios."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipia.alignment.models import FrameworkItem
from municipia.core.models import RequiresOneLanguageMixin, TimeStampedModel, finish_clean
from municipia.organizations.models import Organization
from municipia.portfolio.choices import CostCategory, ExecutionKind, ProposalStatus, Rounding, SourceKind, Weighting
from municipia.strategy.models import Action, Axis, Plan

CENT = Decimal("0.01")
MONEY = {"max_digits": 14, "decimal_places": 2}


class Proposal(RequiresOneLanguageMixin, TimeStampedModel):
    """An action proposed for an axis of a plan by one of the network's councils.

    Its cost per year is the sum of its budget lines; once accepted it becomes an action of
    the plan (`action`), which keeps a link back here.
    """

    required_translations = ("title",)

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("plan"), editable=False
    )
    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("axis"))
    proposing_council = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("proposing council")
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)
    councils = models.ManyToManyField(
        Organization, blank=True, related_name="proposals_involved", verbose_name=_("councils involved")
    )
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_by", verbose_name=_("depends on")
    )
    excludes = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="excluded_by", verbose_name=_("excludes")
    )
    tags = models.ManyToManyField(FrameworkItem, blank=True, related_name="proposals", verbose_name=_("alignment"))
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT, editable=False
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_proposals",
        verbose_name=_("merged into"),
        editable=False,
    )
    action = models.OneToOneField(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("action"),
        editable=False,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("proposed by"),
        editable=False,
    )

    class Meta:
        ordering = ["plan_id", "axis_id", "id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [models.Index(fields=["plan", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portfolio:proposal-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.axis_id and self.plan_id and self.axis.plan_id != self.plan_id:
            errors["axis"] = _("The axis must belong to the proposal's plan.")
        finish_clean(errors, super().clean)


class CriteriaSet(RequiresOneLanguageMixin, TimeStampedModel):
    """The criteria a plan's proposals are scored against, their weights and the scoring scale."""

    required_translations = ("title",)

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="criteria_set", verbose_name=_("plan"))
    title = models.CharField(_("title"), max_length=250)
    weighting = models.CharField(_("weighting"), max_length=10, choices=Weighting.choices, default=Weighting.DIRECT)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=10)
    #: Pairwise comparisons for AHP: {"<code a>|<code b>": how much more a matters than b (1/9…9)}.
    comparisons = models.JSONField(_("pairwise comparisons"), default=dict, blank=True, editable=False)
    consistency_ratio = models.DecimalField(
        _("consistency ratio"), max_digits=6, decimal_places=4, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["plan_id"]
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        constraints = [
            models.CheckConstraint(condition=models.Q(scale_max__gt=models.F("scale_min")), name="criteriaset_scale"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portfolio:evaluation", kwargs={"slug": self.plan.slug})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.scale_min is not None and self.scale_max is not None and self.scale_max <= self.scale_min:
            errors["scale_max"] = _("The highest score must be above the lowest.")
        finish_clean(errors, super().clean)


class Criterion(RequiresOneLanguageMixin, TimeStampedModel):
    """One criterion (impact, feasibility, cost-effectiveness…) with its weight."""

    required_translations = ("title",)

    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("criteria set")
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=7, decimal_places=4, default=Decimal("1"), validators=[MinValueValidator(0)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["criteria_set_id", "position", "code"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_unique_code"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return self.criteria_set.get_absolute_url()


class EvaluatorAssignment(TimeStampedModel):
    """An evaluator asked to score one proposal.

    An evaluator who belongs to the proposing council has a conflict of interest: their scores
    count only when the coordinator allows it (`conflict_allowed`).
    """

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("proposal")
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("evaluator")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluator_assignments",
        verbose_name=_("evaluator's organisation"),
    )
    conflict_of_interest = models.BooleanField(_("conflict of interest"), default=False, editable=False)
    conflict_allowed = models.BooleanField(_("counted despite the conflict"), default=False)

    class Meta:
        ordering = ["proposal_id", "id"]
        verbose_name = _("evaluator assignment")
        verbose_name_plural = _("evaluator assignments")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "evaluator"], name="evaluatorassignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} · {self.proposal}"

    def get_absolute_url(self) -> str:
        return self.proposal.get_absolute_url()

    @property
    def counts(self) -> bool:
        return not self.conflict_of_interest or self.conflict_allowed


class Score(TimeStampedModel):
    """One evaluator's score of one criterion, with the reason for it."""

    assignment = models.ForeignKey(
        EvaluatorAssignment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("evaluator assignment")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    rationale = models.TextField(_("rationale"), blank=True)

    class Meta:
        ordering = ["assignment_id", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="score_unique")]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.value}"

    def get_absolute_url(self) -> str:
        return self.assignment.proposal.get_absolute_url()


class FundingSource(RequiresOneLanguageMixin, TimeStampedModel):
    """Where a plan's money comes from: an EU programme's call, a regional grant, the own budget.

    The co-financing rate is the share the source pays of each eligible euro; the rest is the
    council's own share. Allocations per year cap what the source pays (for the own budget: the
    council's own share of every line).
    """

    required_translations = ("title",)

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="funding_sources", verbose_name=_("plan"))
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    programme = models.CharField(_("programme"), max_length=250, blank=True)
    call = models.CharField(_("call"), max_length=250, blank=True)
    cofinancing_rate = models.DecimalField(
        _("co-financing rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    eligible_from = models.PositiveSmallIntegerField(_("eligible from (year)"))
    eligible_to = models.PositiveSmallIntegerField(_("eligible until (year)"))
    eligible_categories = models.JSONField(
        _("eligible cost categories"), default=list, blank=True, help_text=_("Empty: every category.")
    )
    framework_items = models.ManyToManyField(
        FrameworkItem,
        blank=True,
        related_name="funding_sources",
        verbose_name=_("eligible framework items"),
        help_text=_("Empty: every proposal is eligible; otherwise a proposal must be aligned to one of them."),
    )
    rounding = models.CharField(_("rounding"), max_length=10, choices=Rounding.choices, default=Rounding.HALF_UP)
    refuse_over_allocation = models.BooleanField(_("refuse lines beyond the allocation"), default=False)
    is_illustrative = models.BooleanField(_("illustrative figures"), default=False)

    class Meta:
        ordering = ["plan_id", "code"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="fundingsource_unique_code"),
            models.CheckConstraint(
                condition=models.Q(cofinancing_rate__gte=0, cofinancing_rate__lte=100), name="fundingsource_rate_0_100"
            ),
            models.CheckConstraint(
                condition=models.Q(eligible_to__gte=models.F("eligible_from")), name="fundingsource_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("portfolio:fundingsource-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.eligible_from and self.eligible_to and self.eligible_to < self.eligible_from:
            errors["eligible_to"] = _("The eligible period must not end before it starts.")
        unknown = [c for c in self.eligible_categories or [] if c not in CostCategory.values]
        if not isinstance(self.eligible_categories, list) or unknown:
            errors["eligible_categories"] = _("Unknown cost category: %(names)s.") % {
                "names": ", ".join(map(str, unknown))
            }
        finish_clean(errors, super().clean)

    def funds_category(self, category: str) -> bool:
        return not self.eligible_categories or category in self.eligible_categories

    def split(self, amount: Decimal) -> tuple[Decimal, Decimal]:
        """The source's share and the own share of `amount`, rounded to the cent as the source says."""
        mode = ROUND_DOWN if self.rounding == Rounding.DOWN else ROUND_HALF_UP
        eu = (Decimal(amount) * Decimal(self.cofinancing_rate) / 100).quantize(CENT, rounding=mode)
        return eu, Decimal(amount) - eu


class SourceAllocation(models.Model):
    """What a source may pay in one year."""

    source = models.ForeignKey(
        FundingSource, on_delete=models.CASCADE, related_name="allocations", verbose_name=_("funding source")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("allocation (€)"), **MONEY, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["source_id", "year"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(fields=["source", "year"], name="sourceallocation_unique_year"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="sourceallocation_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.source.code} {self.year}: {self.amount}"

    def get_absolute_url(self) -> str:
        return self.source.get_absolute_url()


class BudgetLine(TimeStampedModel):
    """Money planned for an action or a proposal in one year, from one source, for one cost category.

    The source's share (`eu_share`) and the own share follow from the source's rate.
    """

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("plan"), editable=False
    )
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="budget_lines", verbose_name=_("action")
    )
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("proposal"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="budget_lines", verbose_name=_("funding source")
    )
    cost_category = models.CharField(_("cost category"), max_length=20, choices=CostCategory.choices)
    amount = models.DecimalField(_("amount (€)"), **MONEY, validators=[MinValueValidator(0)])
    eu_share = models.DecimalField(_("source's share (€)"), **MONEY, default=Decimal("0"), editable=False)
    own_share = models.DecimalField(_("own share (€)"), **MONEY, default=Decimal("0"), editable=False)

    class Meta:
        ordering = ["plan_id", "year", "source_id", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__isnull=True, proposal__isnull=False)
                | models.Q(action__isnull=False, proposal__isnull=True),
                name="budgetline_action_or_proposal",
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budgetline_amount_positive"),
        ]
        indexes = [models.Index(fields=["plan", "source", "year"])]

    def __str__(self) -> str:
        return f"{self.action or self.proposal} · {self.year} · {self.source.code}: {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("portfolio:plan-budget", kwargs={"slug": self.plan.slug})


class ExecutionEntry(TimeStampedModel):
    """A commitment, recognised obligation or payment against a budget line."""

    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.CASCADE, related_name="execution", verbose_name=_("budget line")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ExecutionKind.choices)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (€)"), **MONEY)
    reference = models.CharField(_("reference"), max_length=100, blank=True)

    class Meta:
        ordering = ["budget_line_id", "date", "id"]
        verbose_name = _("execution entry")
        verbose_name_plural = _("execution entries")
        indexes = [models.Index(fields=["budget_line", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}: {self.amount}"

    def get_absolute_url(self) -> str:
        return self.budget_line.get_absolute_url()


class Scenario(TimeStampedModel):
    """One run of the optimiser under stated budgets and limits, kept to compare with others."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="scenarios", verbose_name=_("plan"))
    title = models.CharField(_("title"), max_length=250)
    #: What differs from the plan's figures: {"source_factors": {"ERDF": 0.8}, "year_factors": {"OWN|2024": 0},
    #: "axis_min": {"<axis id>": 1}, "axis_max": {...}, "council_floor": 1}
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["plan_id", "-created_at", "id"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portfolio:scenario-detail", kwargs={"pk": self.pk})


class ExecutionMapping(models.Model):
    """Which column of a council's accounting export holds each field of an execution entry, saved once per plan."""

    plan = models.OneToOneField(
        Plan, on_delete=models.CASCADE, related_name="execution_mapping", verbose_name=_("plan")
    )
    columns = models.JSONField(_("columns"), default=dict)

    class Meta:
        ordering = ["plan_id"]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return str(self.plan)
