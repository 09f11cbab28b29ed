"""Indicators, their baselines and yearly targets, observations per organisation and date, and imports."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipia.core.models import RequiresOneLanguageMixin, TimeStampedModel, finish_clean
from municipia.indicators.choices import Direction, Frequency, ImportStatus
from municipia.organizations.models import Organization, Person

# Wide enough for counts in millions and rates with six decimals.
VALUE_DIGITS = 20
VALUE_DECIMALS = 6


def value_field(verbose_name) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=VALUE_DIGITS, decimal_places=VALUE_DECIMALS)


class Indicator(RequiresOneLanguageMixin, TimeStampedModel):
    """What is measured, in which unit, how often, and which way is better.

    An indicator belongs to an organisation (a council's own, or a network's shared one) or,
    with no owner organisation, to the whole site (e.g. an SDG indicator every council reports).
    """

    required_translations = ("name",)

    code = models.CharField(_("code"), max_length=40, help_text=_("Unique for its owner, e.g. DIG-01."))
    name = models.CharField(_("name"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("e.g. %, km, users, €."))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices, default=Frequency.YEARLY)
    data_source = models.CharField(_("data source"), max_length=250, blank=True)
    framework_code = models.CharField(
        _("framework code"),
        max_length=40,
        blank=True,
        db_index=True,
        help_text=_("Code in a reference framework, e.g. SDG indicator 11.6.2."),
    )
    owner_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("owner organisation"),
        help_text=_("Empty for indicators shared by the whole site."),
    )
    owner_person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("owner"),
        help_text=_("Who keeps the indicator up to date."),
    )
    objectives = models.ManyToManyField(
        "strategy.Objective", related_name="indicators", blank=True, verbose_name=_("strategic objectives")
    )
    actions = models.ManyToManyField(
        "strategy.Action", related_name="indicators", blank=True, verbose_name=_("actions")
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Public indicators are visible to everyone.")
    )

    class Meta:
        ordering = ["code", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["owner_organization", "code"],
                condition=Q(owner_organization__isnull=False),
                name="indicator_unique_code_per_owner",
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(owner_organization__isnull=True), name="indicator_unique_global_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:indicator-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.code:
            clash = Indicator.objects.filter(code=self.code, owner_organization_id=self.owner_organization_id)
            if self.pk:
                clash = clash.exclude(pk=self.pk)
            if clash.exists():
                errors["code"] = _("Code %(code)s is already used by another indicator of this owner.") % {
                    "code": self.code
                }
        finish_clean(errors, super().clean)


class OrganizationScopedValue(models.Model):
    """Base of baselines and targets: a value for one organisation, or for all when none is given."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, verbose_name=_("indicator"))
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("organisation"),
        help_text=_("Empty: applies to every organisation without its own."),
    )
    value = value_field(_("value"))

    class Meta:
        abstract = True


class Baseline(OrganizationScopedValue):
    """Where an indicator started: the value on a date, for one organisation or for all."""

    date = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=250, blank=True)

    class Meta:
        ordering = ["indicator_id", "organization_id", "id"]
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        default_related_name = "baselines"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organization"],
                condition=Q(organization__isnull=False),
                name="baseline_unique_per_organization",
            ),
            models.UniqueConstraint(
                fields=["indicator"], condition=Q(organization__isnull=True), name="baseline_unique_general"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.date}: {self.value}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.indicator_id:
            clash = Baseline.objects.filter(indicator_id=self.indicator_id, organization_id=self.organization_id)
            if self.pk:
                clash = clash.exclude(pk=self.pk)
            if clash.exists():
                errors["organization"] = _("This indicator already has a baseline for this organisation.")
        finish_clean(errors, super().clean)


class Target(OrganizationScopedValue):
    """The value an indicator should reach by the end of a year, for one organisation or for all."""

    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        ordering = ["indicator_id", "year", "organization_id", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        default_related_name = "targets"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organization", "year"],
                condition=Q(organization__isnull=False),
                name="target_unique_per_organization_year",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"], condition=Q(organization__isnull=True), name="target_unique_general_year"
            ),
            models.CheckConstraint(condition=Q(year__gte=1900) & Q(year__lte=2200), name="target_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.year}: {self.value}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.year is not None and not (1900 <= self.year <= 2200):
            errors["year"] = _("Give a year between 1900 and 2200.")
        elif self.indicator_id and self.year is not None:
            clash = Target.objects.filter(
                indicator_id=self.indicator_id, organization_id=self.organization_id, year=self.year
            )
            if self.pk:
                clash = clash.exclude(pk=self.pk)
            if clash.exists():
                errors["year"] = _("This indicator already has a target for %(year)s for this organisation.") % {
                    "year": self.year
                }
        finish_clean(errors, super().clean)


class ObservationImport(models.Model):
    """One upload of observations: kept while waiting for confirmation, then the record of who imported what.

    The uploaded file is stored here (not on a web host's disk) so that the confirmation may
    reach any host behind the load balancer; it is emptied once imported.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=250)
    content = models.BinaryField(_("content"), blank=True, default=b"")
    replace = models.BooleanField(_("replace stored values"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING, db_index=True
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("observations added"), default=0)
    replaced_count = models.PositiveIntegerField(_("observations replaced"), default=0)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("observation import")
        verbose_name_plural = _("observation imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"


class Observation(models.Model):
    """A measured value of an indicator for an organisation on a date.

    Observations arrive by the hundred thousand through imports, so they carry who recorded
    them (`created_by`, `batch`) rather than a per-row change history.
    """

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="observations", verbose_name=_("indicator")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="observations", verbose_name=_("organisation")
    )
    date = models.DateField(_("date"))
    value = value_field(_("value"))
    source = models.CharField(_("source"), max_length=250, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    batch = models.ForeignKey(
        ObservationImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("import"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["indicator_id", "organization_id", "-date"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            # Its index (indicator, organisation, date) serves "latest per indicator and
            # organisation" and each organisation's time series.
            models.UniqueConstraint(fields=["indicator", "organization", "date"], name="observation_unique_date"),
        ]
        indexes = [
            # Every organisation's values of an indicator by date (benchmarking, network series).
            models.Index(fields=["indicator", "date"], name="observation_indicator_date"),
            # An organisation's observations of every indicator.
            models.Index(fields=["organization", "date"], name="observation_org_date"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} · {self.organization_id} · {self.date}: {self.value}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.indicator_id and self.organization_id and self.date:
            clash = Observation.objects.filter(
                indicator_id=self.indicator_id, organization_id=self.organization_id, date=self.date
            )
            if self.pk:
                clash = clash.exclude(pk=self.pk)
            if clash.exists():
                errors["date"] = _("There is already a value for this organisation on this date.")
        if self.indicator_id and self.organization_id:
            owner_id = self.indicator.owner_organization_id
            if owner_id is not None and self.organization_id not in indicator_reach({owner_id})[owner_id]:
                errors["organization"] = _(
                    "%(organization)s is not among the organisations of %(indicator)s (its owner and members)."
                ) % {"organization": self.organization, "indicator": self.indicator.code}
        finish_clean(errors, super().clean)


def indicator_reach(owner_ids: set[int]) -> dict[int, set[int]]:
    """owner organisation id → the organisations its indicators may have values for: the owner
    itself and, for a network, its members (one query). Site-wide indicators reach everyone."""
    reach: dict[int, set[int]] = {owner: {owner} for owner in owner_ids}
    if owner_ids:
        from municipia.organizations.selectors import network_member_pairs  # selectors import models

        for network_id, member_id in network_member_pairs(owner_ids):
            reach[network_id].add(member_id)
    return reach


class IndicatorReminder(models.Model):
    """A log of the "please update" e-mails sent about stale indicator values; makes sending idempotent.

    One row per (indicator, organisation, date of the stale latest value, recipient): a value
    that stays stale is reminded about once; a new observation that later goes stale again gets
    a new reminder. See `municipia.indicators.reminders`.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", verbose_name=_("indicator"))
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    latest_date = models.DateField(_("date of the latest value"))
    recipient = models.EmailField(_("recipient"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "id"]
        verbose_name = _("indicator reminder sent")
        verbose_name_plural = _("indicator reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organization", "latest_date", "recipient"], name="indicator_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} · {self.organization_id} · {self.latest_date} → {self.recipient}"
