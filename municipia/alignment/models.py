"""Frameworks (trees of coded items), which frameworks a plan uses, alignments of plan elements, feedback."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipia.alignment.choices import ElementKind, ItemLevel
from municipia.core.models import RequiresOneLanguageMixin, TimeStampedModel
from municipia.indicators.models import Indicator
from municipia.organizations.models import Organization
from municipia.strategy.models import Action, Axis, Objective, Plan

FRAMEWORK_CODE_VALIDATOR = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]*$", _("Use capital letters, digits and hyphens, e.g. SDG or CAT-AGENDA.")
)
ITEM_CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9.\-_]*$", _("Use letters, digits, dots, hyphens and underscores, e.g. 11.3 or EJE-2.")
)


class Framework(RequiresOneLanguageMixin, TimeStampedModel):
    """A reference framework (the SDGs, the recovery plan…) or a council's own framework.

    Reference frameworks have no owner and are managed by site administrators; a council's or a
    network's own framework (e.g. the axes of its regional agenda) is managed by its editors.
    """

    required_translations = ("name",)

    code = models.CharField(_("code"), max_length=30, unique=True, validators=[FRAMEWORK_CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    owner = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="frameworks",
        verbose_name=_("owner"),
        help_text=_("Empty for reference frameworks; the council or network whose own framework this is."),
    )
    is_default = models.BooleanField(
        _("used by every plan"),
        default=False,
        help_text=_("Every plan may be aligned to it without choosing it first (the SDGs)."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    def __str__(self) -> str:
        return self.name or self.code

    def get_absolute_url(self) -> str:
        return reverse("alignment:framework-detail", kwargs={"code": self.code})

    @property
    def is_reference(self) -> bool:
        return self.owner_id is None


class FrameworkItem(RequiresOneLanguageMixin, TimeStampedModel):
    """An item of a framework's tree: an SDG goal, target or indicator, a recovery-plan lever…

    An item with an owner is a local target a council added under a reference item (e.g. its own
    target under SDG 11.3); only that council's plans may be aligned to it.
    """

    required_translations = ("title",)

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="items", verbose_name=_("framework")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    code = models.CharField(_("code"), max_length=40, validators=[ITEM_CODE_VALIDATOR])
    level = models.CharField(_("level"), max_length=30, choices=ItemLevel.choices, default=ItemLevel.OTHER)
    short_title = models.CharField(_("short title"), max_length=250, blank=True)
    title = models.CharField(_("title"), max_length=1000)
    owner = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="local_targets",
        verbose_name=_("owner"),
        help_text=_("Set on a council's local target under a reference item."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["framework_id", "position", "id"]
        verbose_name = _("framework item")
        verbose_name_plural = _("framework items")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="frameworkitem_unique_code")]
        indexes = [models.Index(fields=["framework", "level"])]

    def __str__(self) -> str:
        return f"{self.framework.code} {self.code}. {self.short_title or self.title}"

    @property
    def label(self) -> str:
        """The item's code and shortest title, without the framework (for lists of one framework)."""
        return f"{self.code}. {self.short_title or self.title}"


class PlanFramework(models.Model):
    """A framework a plan has chosen to be aligned to (frameworks with `is_default` need no row)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="plan_frameworks", verbose_name=_("plan"))
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="plan_frameworks", verbose_name=_("framework")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan_id", "framework__position", "framework__code"]
        verbose_name = _("framework used by a plan")
        verbose_name_plural = _("frameworks used by plans")
        constraints = [models.UniqueConstraint(fields=["plan", "framework"], name="planframework_unique")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.framework.code}"


ELEMENT_FIELDS = ("plan", "axis", "objective", "action", "indicator")


def _exactly_one_element() -> Q:
    condition = Q()
    for chosen in ELEMENT_FIELDS:
        condition |= Q(**{f"{name}__isnull": name != chosen for name in ELEMENT_FIELDS})
    return condition


class Alignment(TimeStampedModel):
    """A plan element (the plan, an axis, an objective or an action) or an indicator aligned to a framework item.

    The element is one of five explicit foreign keys (exactly one is set, also in the database),
    so queries join plainly; `in_plan` repeats a plan element's plan so a plan's alignments are
    one filter. An indicator may measure objectives and actions of several plans, or of none, so
    its alignments have no `in_plan` (also in the database): "its plans" are those of its linked
    objectives and actions, worked out when it is aligned (see `services.indicator_plans`).
    """

    in_plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alignments_within",
        verbose_name=_("plan"),
        editable=False,
        help_text=_("The element's plan; empty for an indicator's alignments."),
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, null=True, blank=True, related_name="alignments", verbose_name=_("plan")
    )
    axis = models.ForeignKey(
        Axis, on_delete=models.CASCADE, null=True, blank=True, related_name="alignments", verbose_name=_("axis")
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alignments",
        verbose_name=_("strategic objective"),
    )
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="alignments", verbose_name=_("action")
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alignments",
        verbose_name=_("indicator"),
    )
    item = models.ForeignKey(
        FrameworkItem, on_delete=models.PROTECT, related_name="alignments", verbose_name=_("framework item")
    )
    is_primary = models.BooleanField(_("primary"), default=False)
    rationale = models.TextField(_("rationale"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )

    class Meta:
        ordering = ["in_plan_id", "id"]
        verbose_name = _("alignment")
        verbose_name_plural = _("alignments")
        constraints = [
            models.CheckConstraint(condition=_exactly_one_element(), name="alignment_exactly_one_element"),
            # A plan element's alignment carries its plan; an indicator's carries none.
            models.CheckConstraint(
                condition=Q(indicator__isnull=True, in_plan__isnull=False)
                | Q(indicator__isnull=False, in_plan__isnull=True),
                name="alignment_plan_unless_indicator",
            ),
            # NULLs never clash, so each pair only constrains rows of its own element kind.
            models.UniqueConstraint(fields=["plan", "item"], name="alignment_unique_plan_item"),
            models.UniqueConstraint(fields=["axis", "item"], name="alignment_unique_axis_item"),
            models.UniqueConstraint(fields=["objective", "item"], name="alignment_unique_objective_item"),
            models.UniqueConstraint(fields=["action", "item"], name="alignment_unique_action_item"),
            models.UniqueConstraint(fields=["indicator", "item"], name="alignment_unique_indicator_item"),
        ]
        indexes = [models.Index(fields=["in_plan", "item"])]

    def __str__(self) -> str:
        return f"{self.element_kind} → {self.item_id}"

    @property
    def element_kind(self) -> str:
        for name in ELEMENT_FIELDS:
            if getattr(self, f"{name}_id") is not None:
                return name
        return ""

    @property
    def element(self):
        kind = self.element_kind
        return getattr(self, kind) if kind else None


class SuggestionFeedback(models.Model):
    """An editor's answer to a suggested SDG: kept so that later suggestions learn from it."""

    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=5, blank=True)
    goal = models.CharField(_("goal"), max_length=5)
    accepted = models.BooleanField(_("accepted"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    action = models.ForeignKey(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestion_feedback",
        verbose_name=_("action"),
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestion_feedback",
        verbose_name=_("strategic objective"),
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestion_feedback",
        verbose_name=_("indicator"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("suggestion feedback")
        verbose_name_plural = _("suggestion feedback")

    def __str__(self) -> str:
        return f"SDG {self.goal} {'✓' if self.accepted else '✗'}"


ELEMENT_MODELS = {
    ElementKind.PLAN: Plan,
    ElementKind.AXIS: Axis,
    ElementKind.OBJECTIVE: Objective,
    ElementKind.ACTION: Action,
    ElementKind.INDICATOR: Indicator,
}
