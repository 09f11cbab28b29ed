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


class ComputedStatus(models.TextChoices):
    """How an action (or an objective, axis or plan rolled up from its actions) is doing,
    computed from its dates, progress and milestones (strategy/status.py), beside the status
    its owner reports (ActionStatus)."""

    DONE = "done", _("Done")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    LATE = "late", _("Late")
    NOT_STARTED = "not_started", _("Not started")
    CANCELLED = "cancelled", _("Cancelled")


# What the button of each transition says (from, to) → verb; a plan page offers only these.
TRANSITION_LABELS = {
    (PlanStatus.DRAFT, PlanStatus.DIAGNOSIS): _("Start the diagnosis"),
    (PlanStatus.DRAFT, PlanStatus.APPROVED): _("Approve plan"),
    (PlanStatus.DIAGNOSIS, PlanStatus.DRAFT): _("Return to draft"),
    (PlanStatus.DIAGNOSIS, PlanStatus.APPROVED): _("Approve plan"),
    (PlanStatus.APPROVED, PlanStatus.DIAGNOSIS): _("Reopen for revision"),
    (PlanStatus.APPROVED, PlanStatus.IN_EXECUTION): _("Start execution"),
    (PlanStatus.IN_EXECUTION, PlanStatus.APPROVED): _("Approve a revision"),
    (PlanStatus.IN_EXECUTION, PlanStatus.CLOSED): _("Close plan"),
    (PlanStatus.CLOSED, PlanStatus.IN_EXECUTION): _("Reopen execution"),
}
# Forward steps are the primary buttons; going back is offered, but looks secondary.
BACKWARD_TRANSITIONS = {
    (PlanStatus.DIAGNOSIS, PlanStatus.DRAFT),
    (PlanStatus.APPROVED, PlanStatus.DIAGNOSIS),
    (PlanStatus.CLOSED, PlanStatus.IN_EXECUTION),
}
