"""Organisations (councils, networks, partners), their departments, people and roles."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipia.core.models import RequiresOneLanguageMixin, TimeStampedModel
from municipia.organizations.choices import Country, OrganizationKind, RoleKind


class Organization(RequiresOneLanguageMixin, TimeStampedModel):
    """A council, a network of councils, a partner organisation or another public body."""

    required_translations = ("name",)

    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, blank=True)
    official_code = models.CharField(
        _("official code"),
        max_length=12,
        blank=True,
        help_text=_("INE code for Spain (5 digits), NSI/LAU code for Bulgaria (e.g. SOF46)."),
    )
    ekatte_code = models.CharField(_("EKATTE code"), max_length=5, blank=True)
    province = models.CharField(_("province / oblast"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    region_code = models.CharField(_("region code"), max_length=10, blank=True, db_index=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=11, decimal_places=8, null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=10, decimal_places=8, null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    members = models.ManyToManyField(
        "self",
        through="NetworkMembership",
        through_fields=("network", "member"),
        symmetrical=False,
        related_name="networks",
        blank=True,
        verbose_name=_("member councils"),
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "official_code"],
                condition=~models.Q(official_code=""),
                name="organization_unique_official_code",
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:organization-detail", kwargs={"slug": self.slug})

    @property
    def is_network(self) -> bool:
        return self.kind == OrganizationKind.NETWORK


class NetworkMembership(models.Model):
    """A council's membership of a network."""

    network = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("network")
    )
    member = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="network_memberships", verbose_name=_("member")
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        ordering = ["network_id", "member__name"]
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        constraints = [
            models.UniqueConstraint(fields=["network", "member"], name="networkmembership_unique"),
            models.CheckConstraint(condition=~models.Q(network=models.F("member")), name="networkmembership_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.network}"


class Department(RequiresOneLanguageMixin, TimeStampedModel):
    """A department (area, service) of a council."""

    required_translations = ("name",)

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="departments", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120)

    class Meta:
        ordering = ["organization_id", "name", "id"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="department_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class Person(TimeStampedModel):
    """A person who leads actions or sits in bodies; may or may not have an account."""

    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the e-mails this person receives; empty: the site's default language."),
    )
    # What the person chose to publish: without it, only signed-in users see them at all.
    is_public = models.BooleanField(
        _("public profile"),
        default=False,
        help_text=_("Show the name, position and organisation on the public site."),
    )
    show_email = models.BooleanField(
        _("public e-mail"),
        default=False,
        help_text=_("Also show the e-mail address to everyone who may see the profile."),
    )

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("organizations:person-detail", kwargs={"pk": self.pk})


class Role(models.Model):
    """What a user account may do for an organisation: edit a council's or coordinate a network's content."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles", verbose_name=_("user")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="roles", verbose_name=_("organisation")
    )
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)

    class Meta:
        ordering = ["organization_id", "user_id"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "kind"], name="role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} · {self.organization}"
