"""Choice lists of the portfolio app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_EVALUATION = "under_evaluation", _("Under evaluation")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged")


# A proposal moves forward (the coordinator may accept a submitted one directly, e.g. by applying a
# scenario); a rejected one may be reopened as a draft by its proposer.
PROPOSAL_TRANSITIONS: dict[str, set[str]] = {
    ProposalStatus.DRAFT: {ProposalStatus.SUBMITTED},
    ProposalStatus.SUBMITTED: {
        ProposalStatus.UNDER_EVALUATION,
        ProposalStatus.ACCEPTED,
        ProposalStatus.REJECTED,
        ProposalStatus.MERGED,
    },
    ProposalStatus.UNDER_EVALUATION: {ProposalStatus.ACCEPTED, ProposalStatus.REJECTED, ProposalStatus.MERGED},
    ProposalStatus.ACCEPTED: set(),
    ProposalStatus.REJECTED: {ProposalStatus.DRAFT},
    ProposalStatus.MERGED: set(),
}


class Weighting(models.TextChoices):
    DIRECT = "direct", _("Weights set directly")
    AHP = "ahp", _("Pairwise comparisons (AHP)")


class SourceKind(models.TextChoices):
    ERDF = "erdf", _("ERDF")
    RECOVERY = "recovery", _("Recovery plan (Next Generation EU)")
    EU_OTHER = "eu_other", _("Other EU programme")
    REGIONAL = "regional", _("Regional grant")
    OWN = "own", _("Own budget")


class CostCategory(models.TextChoices):
    STAFF = "staff", _("Staff")
    EQUIPMENT = "equipment", _("Equipment")
    SERVICES = "services", _("External services")
    WORKS = "works", _("Works")
    OTHER = "other", _("Other costs")


class Rounding(models.TextChoices):
    HALF_UP = "half_up", _("To the nearest cent, halves up")
    DOWN = "down", _("Down to the cent")


class ExecutionKind(models.TextChoices):
    COMMITTED = "committed", _("Committed")
    OBLIGATION = "obligation", _("Recognised obligation")
    PAYMENT = "payment", _("Payment")
