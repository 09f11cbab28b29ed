"""Choice lists of the strategy app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DIAGNOSIS = "diagnosis", _("Diagnosis")
    APPROVED = "approved", _("Approved")
    IN_EXECUTION = "in_execution", _("In execution")
    CLOSED = "closed", _("Closed")


# The lifecycle moves forward one step at a time; an approved plan may go back to diagnosis
# for a revision, and a plan in execution may be revised and approved again.
PLAN_TRANSITIONS: dict[str, set[str]] = {
    PlanStatus.DRAFT: {PlanStatus.DIAGNOSIS, PlanStatus.APPROVED},
    PlanStatus.DIAGNOSIS: {PlanStatus.DRAFT, PlanStatus.APPROVED},
    PlanStatus.APPROVED: {PlanStatus.DIAGNOSIS, PlanStatus.IN_EXECUTION},
    PlanStatus.IN_EXECUTION: {PlanStatus.APPROVED, PlanStatus.CLOSED},
    PlanStatus.CLOSED: {PlanStatus.IN_EXECUTION},
}


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class PartnerRole(models.TextChoices):
    """What a partner organisation does in an action."""

    LEAD = "lead", pgettext_lazy("partner role", "Lead")
    CONTRIBUTOR = "contributor", _("Contributor")
    FUNDER = "funder", _("Funder")
    DATA_PROVIDER = "data_provider", _("Data provider")
