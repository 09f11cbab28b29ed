"""Choice lists of the partnerships app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementKind(models.TextChoices):
    MEMORANDUM = "memorandum", _("Memorandum of understanding")
    AGREEMENT = "agreement", _("Cooperation agreement")
    CONVENIO = "convenio", _("Convenio")


class CommitmentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class Verdict(models.TextChoices):
    """The documented rating scale of clarifications (schema.org ClaimReview `reviewRating`).

    Worst 1, best 5: false 1, misleading 2, unproven 3 (neither shown true nor false),
    partly true 4, true 5 — see `VERDICT_RATINGS`.
    """

    FALSE = "false", _("False")
    MISLEADING = "misleading", _("Misleading")
    UNPROVEN = "unproven", _("Unproven")
    PARTLY_TRUE = "partly_true", _("Partly true")
    TRUE = "true", _("True")


VERDICT_RATINGS: dict[str, int] = {
    Verdict.FALSE: 1,
    Verdict.MISLEADING: 2,
    Verdict.UNPROVEN: 3,
    Verdict.PARTLY_TRUE: 4,
    Verdict.TRUE: 5,
}
WORST_RATING, BEST_RATING = 1, 5


class ClarificationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class NewsStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")


class MailKind(models.TextChoices):
    COMMITMENT_DUE = "commitment_due", _("Commitment coming due")
    AGREEMENT_EXPIRING = "agreement_expiring", _("Agreement expiring")
    CONFIRMATION = "confirmation", _("Subscription confirmation")
    NEWS_DIGEST = "news_digest", _("News digest")
    FOLLOW_CHANGE = "follow_change", _("Change of a followed action or plan")


class SubscriptionKind(models.TextChoices):
    NEWS = "news", _("News")
    FOLLOW = "follow", _("Follows an action or a plan")


class SendState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
