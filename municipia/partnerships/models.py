"""Agreements (parties, signatories, documents, commitments), clarifications and news posts."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipia.core.models import RequiresOneLanguageMixin, TimeStampedModel, finish_clean
from municipia.diagnosis.models import Campaign
from municipia.governance.models import Meeting, Task
from municipia.organizations.models import Organization
from municipia.partnerships.choices import (
    AgreementKind,
    ClarificationStatus,
    CommitmentStatus,
    MailKind,
    NewsStatus,
    SendState,
    SubscriptionKind,
    Verdict,
)
from municipia.strategy.models import Action, Plan


class Agreement(RequiresOneLanguageMixin, TimeStampedModel):
    """A memorandum, cooperation agreement or convenio between organisations.

    The owner (the organisation that registers it) is always one of the parties; public
    agreements are on the public register, private ones are seen by the parties' editors.
    """

    required_translations = ("title",)

    owner = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="owned_agreements", verbose_name=_("owner")
    )
    parties: "models.ManyToManyField[Organization, Any]" = models.ManyToManyField(
        Organization, related_name="agreements", verbose_name=_("parties")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices, default=AgreementKind.MEMORANDUM)
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    scope = models.TextField(_("scope"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    renewal_note = models.TextField(_("renewal"), blank=True)
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        ordering = ["-signed_on", "title", "id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(in_force_from__isnull=True)
                | models.Q(expires_on__gte=models.F("in_force_from")),
                name="agreement_expires_after_start",
            ),
        ]
        # The register's keyset pages (core.keyset: signed on, then id, newest first) are index walks
        # at 100,000 agreements (benchmarks/partnerships.py): the public's and the parties' editors'.
        indexes = [
            models.Index(fields=["is_public", "-signed_on", "-id"], name="agreement_register_key"),
            models.Index(fields=["-signed_on", "-id"], name="agreement_by_date"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:agreement-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        start = self.period_start
        if start and self.expires_on and self.expires_on < start:
            errors["expires_on"] = _("The end of the period must not be before its start.")
        finish_clean(errors, super().clean)

    @property
    def period_start(self):
        return self.in_force_from or self.signed_on

    def is_in_force(self, on=None) -> bool:
        day = on or timezone.localdate()
        start = self.period_start
        return bool(start and start <= day and (self.expires_on is None or day <= self.expires_on))


class Signatory(TimeStampedModel):
    """Someone who signed an agreement on behalf of one of its parties."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("agreement")
    )
    person_name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=250, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("organisation")
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)

    class Meta:
        ordering = ["agreement_id", "organization_id", "id"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self) -> str:
        return f"{self.person_name} ({self.organization})"

    def get_absolute_url(self) -> str:
        return self.agreement.get_absolute_url() + "#signatories"


def document_path(instance: "AgreementDocument", filename: str) -> str:
    return f"agreements/{instance.agreement_id or 'new'}/{filename}"


class AgreementDocument(TimeStampedModel):
    """A PDF of an agreement, downloaded by whoever may see the agreement."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="documents", verbose_name=_("agreement")
    )
    title = models.CharField(_("title"), max_length=250)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    size = models.PositiveIntegerField(_("size"), default=0, editable=False)

    class Meta:
        ordering = ["agreement_id", "title", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:agreementdocument-download", kwargs={"pk": self.pk})


class Commitment(RequiresOneLanguageMixin, TimeStampedModel):
    """What one party of an agreement undertakes to deliver, and by when, with the work it is linked to."""

    required_translations = ("deliverable",)

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("agreement")
    )
    party = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("party")
    )
    deliverable = models.TextField(_("deliverable"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CommitmentStatus.choices, default=CommitmentStatus.PENDING
    )
    evidence = models.TextField(_("evidence"), blank=True)
    actions: "models.ManyToManyField[Action, Any]" = models.ManyToManyField(
        Action, blank=True, related_name="commitments", verbose_name=_("actions")
    )
    tasks: "models.ManyToManyField[Task, Any]" = models.ManyToManyField(
        Task, blank=True, related_name="commitments", verbose_name=_("tasks")
    )
    meetings: "models.ManyToManyField[Meeting, Any]" = models.ManyToManyField(
        Meeting, blank=True, related_name="commitments", verbose_name=_("meetings")
    )
    campaigns: "models.ManyToManyField[Campaign, Any]" = models.ManyToManyField(
        Campaign, blank=True, related_name="commitments", verbose_name=_("campaigns")
    )

    class Meta:
        ordering = ["agreement_id", "due_date", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return f"{self.party}: {self.deliverable[:80]}"

    def get_absolute_url(self) -> str:
        return self.agreement.get_absolute_url() + f"#commitment-{self.pk}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        agreement = self.agreement if self.agreement_id else None
        if agreement is not None and self.due_date:
            start, end = agreement.period_start, agreement.expires_on
            if (start and self.due_date < start) or (end and self.due_date > end):
                errors["due_date"] = _("The due date must fall within the agreement's period.")
        finish_clean(errors, super().clean)


class Clarification(RequiresOneLanguageMixin, TimeStampedModel):
    """A verified answer to a claim that circulates about the council's services.

    Written by one editor of the publisher, published by another (four eyes); a correction after
    publication keeps the earlier text as a `ClarificationVersion` and shows an "updated" notice.
    """

    required_translations = ("title", "claim")

    publisher = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="clarifications", verbose_name=_("publisher")
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=250)
    claim = models.TextField(_("claim"))
    claim_author = models.CharField(_("claim made by"), max_length=250, blank=True)
    claim_seen_at = models.CharField(_("where the claim was seen"), max_length=250, blank=True)
    claim_url = models.URLField(_("address of the claim"), max_length=500, blank=True)
    claim_first_seen = models.DateField(_("first seen"), null=True, blank=True)
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    facts = models.TextField(_("verified facts"), blank=True)
    sources = models.TextField(_("sources"), blank=True, help_text=_("One source per line: a link or a reference."))
    plans: "models.ManyToManyField[Plan, Any]" = models.ManyToManyField(
        Plan, blank=True, related_name="clarifications", verbose_name=_("plans")
    )
    actions: "models.ManyToManyField[Action, Any]" = models.ManyToManyField(
        Action, blank=True, related_name="clarifications", verbose_name=_("actions")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ClarificationStatus.choices, default=ClarificationStatus.DRAFT
    )
    is_demo = models.BooleanField(_("demo content"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    corrected_at = models.DateTimeField(_("updated at"), null=True, blank=True)
    correction_note = models.TextField(_("correction note"), blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at", "id"]
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications")
        indexes = [
            models.Index(fields=["status", "published_at"]),
            # The register's keyset pages (core.keyset: published at, then id, newest first) are index
            # walks at 100,000 entries: the public's, and the publisher's editors' (drafts too).
            models.Index(fields=["status", "-published_at", "-id"], name="clarification_register_key"),
            models.Index(fields=["-published_at", "-id"], name="clarification_by_date"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:clarification-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not self.source_lines:
            errors["sources"] = _("Give at least one source.")
        finish_clean(errors, super().clean)

    @property
    def source_lines(self) -> list[str]:
        return [line.strip() for line in (self.sources or "").splitlines() if line.strip()]


class ClarificationVersion(models.Model):
    """The published text of a clarification before a correction."""

    clarification = models.ForeignKey(
        Clarification, on_delete=models.CASCADE, related_name="versions", verbose_name=_("clarification")
    )
    number = models.PositiveIntegerField(_("version"))
    replaced_at = models.DateTimeField(_("replaced at"), default=timezone.now)
    snapshot = models.JSONField(_("content"), default=dict)

    class Meta:
        ordering = ["clarification_id", "-number"]
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        constraints = [
            models.UniqueConstraint(fields=["clarification", "number"], name="clarification_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.clarification} v{self.number}"


def news_image_path(instance: "NewsPost", filename: str) -> str:
    return f"news/{filename}"


class NewsPost(RequiresOneLanguageMixin, TimeStampedModel):
    """A news post of an organisation; a scheduled post shows once its publication time has come."""

    required_translations = ("title",)

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="news_posts", verbose_name=_("organisation")
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=NewsStatus.choices, default=NewsStatus.DRAFT)
    publish_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    image = models.ImageField(_("image"), upload_to=news_image_path, blank=True, max_length=300)
    image_alt = models.CharField(_("alternative text of the image"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo content"), default=False)
    plans: "models.ManyToManyField[Plan, Any]" = models.ManyToManyField(
        Plan, blank=True, related_name="news_posts", verbose_name=_("plans")
    )
    actions: "models.ManyToManyField[Action, Any]" = models.ManyToManyField(
        Action, blank=True, related_name="news_posts", verbose_name=_("actions")
    )
    agreements: "models.ManyToManyField[Agreement, Any]" = models.ManyToManyField(
        Agreement, blank=True, related_name="news_posts", verbose_name=_("agreements")
    )
    meetings: "models.ManyToManyField[Meeting, Any]" = models.ManyToManyField(
        Meeting, blank=True, related_name="news_posts", verbose_name=_("meetings")
    )

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        indexes = [
            models.Index(fields=["status", "publish_at"]),
            # The news list's keyset pages (core.keyset: publication time, then id, newest first) are
            # index walks at 100,000 posts.
            models.Index(fields=["-publish_at", "-id"], name="newspost_list"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:newspost-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.image and not any(
            (getattr(self, f"image_alt_{code}", "") or "").strip() for code, _name in settings.LANGUAGES
        ):
            errors["image_alt_en"] = _("Describe the image for people who cannot see it.")
        if self.status != NewsStatus.DRAFT and self.publish_at is None:
            errors["publish_at"] = _("Give the publication time.")
        finish_clean(errors, super().clean)

    @property
    def is_live(self) -> bool:
        """Published, or scheduled and its time has come (computed at read time, no job needed)."""
        return self.status != NewsStatus.DRAFT and self.publish_at is not None and self.publish_at <= timezone.now()

    @property
    def shown_status(self) -> str:
        return self.status_shown(self.status, self.publish_at, timezone.now())

    @staticmethod
    def status_shown(status: str, publish_at: dt.datetime | None, now: dt.datetime) -> str:
        """What a reader is told of a post's status: a scheduled post whose time has come is published
        (the registers' rows, read as plain values, ask it with one `now` for the page)."""
        if status == NewsStatus.SCHEDULED and publish_at is not None and publish_at <= now:
            return NewsStatus.PUBLISHED
        return status


class Subscription(TimeStampedModel):
    """An e-mail address following the news (of the site, a plan or an organisation), or following
    one action or plan to be told when its status or progress changes (`kind` "follow").

    No account is needed: it is confirmed by a signed link sent to the address (double opt-in) and
    ended by a signed one-click link in every e-mail; a signed-in user's follow is confirmed at once
    and carries the `user`. `last_sent_at` is how far the digests have got; `notified_state` is
    what a follower was last told (status, computed status, progress), the base of the next "before → after".
    """

    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    kind = models.CharField(
        _("kind"), max_length=10, choices=SubscriptionKind.choices, default=SubscriptionKind.NEWS, editable=False
    )
    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("plan"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("organisation"),
    )
    action = models.ForeignKey(
        Action,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followers",
        verbose_name=_("action"),
        editable=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
        verbose_name=_("user"),
        editable=False,
    )
    #: "site", "plan-<id>", "organization-<id>", "follow-plan-<id>" or "follow-action-<id>":
    #: one subscription per address and scope.
    scope = models.CharField(_("scope"), max_length=40, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("news sent up to"), null=True, blank=True)
    notified_state = models.JSONField(_("state last notified"), default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["email", "scope", "id"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["email", "scope"], name="subscription_unique_scope"),
            models.CheckConstraint(
                condition=models.Q(plan__isnull=True) | models.Q(organization__isnull=True),
                name="subscription_one_scope",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=SubscriptionKind.NEWS, action__isnull=True)
                | models.Q(
                    kind=SubscriptionKind.FOLLOW, organization__isnull=True, action__isnull=False, plan__isnull=True
                )
                | models.Q(
                    kind=SubscriptionKind.FOLLOW, organization__isnull=True, action__isnull=True, plan__isnull=False
                ),
                name="subscription_follow_one_target",
            ),
        ]
        indexes = [
            models.Index(fields=["confirmed_at", "id"]),
            models.Index(fields=["kind", "id"], name="subscription_kind_id"),
        ]

    def __str__(self) -> str:
        return f"{self.email} · {self.scope}"

    def get_absolute_url(self) -> str:
        if self.kind == SubscriptionKind.FOLLOW:
            target = self.action if self.action_id else self.plan
            if target is not None:
                return target.get_absolute_url()
        return reverse("partnerships:newspost-list")

    @property
    def target(self) -> Action | Plan | None:
        """The followed action or plan (of a follow)."""
        if self.kind != SubscriptionKind.FOLLOW:
            return None
        return self.action if self.action_id else self.plan


class NewsletterSend(models.Model):
    """One run of the news digests, queued by a site administrator or the daily schedule: its
    state and counts, updated by the worker after every batch, are the progress page."""

    state = models.CharField(_("state"), max_length=10, choices=SendState.choices, default=SendState.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    total = models.PositiveIntegerField(_("subscriptions"), default=0)
    processed = models.PositiveIntegerField(_("subscriptions read"), default=0)
    sent = models.PositiveIntegerField(_("e-mails sent"), default=0)
    failed = models.PositiveIntegerField(_("failures"), default=0)
    posts = models.PositiveIntegerField(_("news posts"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("newsletter send")
        verbose_name_plural = _("newsletter sends")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} · {self.get_state_display()}"

    def get_absolute_url(self) -> str:
        return reverse("partnerships:newsletter-send-detail", kwargs={"pk": self.pk})

    @property
    def is_running(self) -> bool:
        return self.state in (SendState.QUEUED, SendState.SENDING)

    @property
    def percent(self) -> int:
        return round(100 * self.processed / self.total) if self.total else (100 if not self.is_running else 0)


class MailSent(models.Model):
    """An e-mail of this app already sent (reminder, confirmation, digest): the unique key makes sending idempotent."""

    kind = models.CharField(_("kind"), max_length=20, choices=MailKind.choices)
    key = models.CharField(_("key"), max_length=100)
    recipient = models.EmailField(_("recipient"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("e-mail sent")
        verbose_name_plural = _("e-mails sent")
        constraints = [models.UniqueConstraint(fields=["kind", "key", "recipient"], name="mailsent_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.key} → {self.recipient}"
