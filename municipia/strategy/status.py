"""The one status model of actions: computed from dates, progress and milestones.

Every page, export and API that shows how an action is doing reads `computed_status` (through
`strategy.selectors.action_statuses` / `with_status_facts`), so the plan page, the action list,
the action page, the dashboard, the exports and the API use the same words and counts. The
owner's reported status (`Action.status`) is shown beside it, never instead of it.

Rules, judged on `today`; the first one that applies wins (STATUS_RULES says them on the pages):

1. `cancelled`: the owner's status is cancelled (left out of every roll-up, as in progress).
2. `done`: status completed, or progress 100 %.
3. `late`: the end date has passed and progress is below 100 %.
4. `not_started`: progress 0 % and the start date is still ahead (or, without dates, the owner's
   status is still "planned").
5. `at_risk`, when any of: a milestone's due date has passed and it is not completed; the owner
   marked the action "delayed"; with both dates, the progress expected by elapsed time —
   (today − start) / (end − start) of 100 % — exceeds the actual progress by more than
   `PROGRESS_TOLERANCE` points; progress is still 0 % although the start date has passed.
6. `on_track`: everything else.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from municipia.strategy.choices import ActionStatus, ComputedStatus

PROGRESS_TOLERANCE = 20

# Worst first: the order of counts, tables and charts on every page.
STATUS_ORDER = [
    ComputedStatus.LATE,
    ComputedStatus.AT_RISK,
    ComputedStatus.ON_TRACK,
    ComputedStatus.NOT_STARTED,
    ComputedStatus.DONE,
]


@dataclass(frozen=True)
class StatusFacts:
    """What the status rules read about one action."""

    status: str
    progress: int
    start_date: dt.date | None
    end_date: dt.date | None
    overdue_milestones: int = 0


@dataclass(frozen=True)
class Verdict:
    status: str
    expected_progress: int | None
    reason: str

    @property
    def health(self) -> str:  # the dashboard's older name for the computed status
        return self.status

    @property
    def label(self) -> str:
        return str(ComputedStatus(self.status).label)

    @property
    def explanation(self) -> str:
        return str(REASONS.get(self.reason, ""))


def expected_progress(start: dt.date | None, end: dt.date | None, today: dt.date) -> int | None:
    """Progress by elapsed time (0–100), or None without both dates."""
    if start is None or end is None:
        return None
    if today <= start:
        return 0
    if today >= end:
        return 100
    return round(100 * (today - start).days / max((end - start).days, 1))


def computed_status(facts: StatusFacts, today: dt.date) -> Verdict:
    """The computed status of one action on `today` (rules in the module docstring)."""
    expected = expected_progress(facts.start_date, facts.end_date, today)
    if facts.status == ActionStatus.CANCELLED:
        return Verdict(ComputedStatus.CANCELLED, expected, "cancelled")
    if facts.status == ActionStatus.COMPLETED or facts.progress >= 100:
        return Verdict(ComputedStatus.DONE, expected, "completed")
    if facts.end_date is not None and today > facts.end_date:
        return Verdict(ComputedStatus.LATE, expected, "end_passed")
    if facts.progress == 0:
        not_begun = (facts.start_date is not None and today < facts.start_date) or (
            facts.start_date is None and facts.end_date is None and facts.status == ActionStatus.PLANNED
        )
        if not_begun:
            return Verdict(ComputedStatus.NOT_STARTED, expected, "not_started")
    if facts.overdue_milestones:
        return Verdict(ComputedStatus.AT_RISK, expected, "milestone_overdue")
    if facts.status == ActionStatus.DELAYED:
        return Verdict(ComputedStatus.AT_RISK, expected, "marked_delayed")
    if expected is not None and expected - facts.progress > PROGRESS_TOLERANCE:
        return Verdict(ComputedStatus.AT_RISK, expected, "behind_schedule")
    if facts.progress == 0 and facts.start_date is not None and today >= facts.start_date:
        return Verdict(ComputedStatus.AT_RISK, expected, "start_passed")
    return Verdict(ComputedStatus.ON_TRACK, expected, "on_schedule")


# What a reader is told about an action that needs attention.
REASONS = {
    "end_passed": _("The end date has passed and the action is not complete."),
    "milestone_overdue": _("A milestone is overdue."),
    "marked_delayed": _("Marked as delayed by its owner."),
    "behind_schedule": _("Progress is behind the time elapsed."),
    "start_passed": _("The start date has passed with no progress."),
}

# The rules as the pages state them, in the order they are applied: (status, its name, when).
STATUS_RULES = [
    (ComputedStatus.CANCELLED, ComputedStatus.CANCELLED.label, _("the owner cancelled the action.")),
    (ComputedStatus.DONE, ComputedStatus.DONE.label, _("the owner marked it completed, or progress is 100 %.")),
    (ComputedStatus.LATE, ComputedStatus.LATE.label, _("the end date has passed and progress is below 100 %.")),
    (
        ComputedStatus.NOT_STARTED,
        ComputedStatus.NOT_STARTED.label,
        _("progress is 0 % and the start date is still ahead."),
    ),
    (
        ComputedStatus.AT_RISK,
        ComputedStatus.AT_RISK.label,
        _(
            "a milestone is overdue, the owner reports a delay, progress is more than 20 points "
            "behind the time elapsed, or the start date has passed with no progress."
        ),
    ),
    (ComputedStatus.ON_TRACK, ComputedStatus.ON_TRACK.label, _("everything else.")),
]


def status_counts(verdicts, *, with_cancelled: bool = True) -> list[tuple[str, str, int]]:
    """(status, label, count) in STATUS_ORDER (cancelled last, when there are any) for any verdicts."""
    counts: dict[str, int] = {}
    for verdict in verdicts:
        counts[verdict.status] = counts.get(verdict.status, 0) + 1
    rows = [(str(s), str(ComputedStatus(s).label), counts.get(s, 0)) for s in STATUS_ORDER]
    if with_cancelled and counts.get(ComputedStatus.CANCELLED):
        rows.append(
            (str(ComputedStatus.CANCELLED), str(ComputedStatus.CANCELLED.label), counts[ComputedStatus.CANCELLED])
        )
    return rows


# An action under way whose record has not changed for this long needs an update from its owner.
UPDATE_INTERVAL_DAYS = 90
# Computed statuses that ask the owner for an update whatever the date of the last one.
NEEDS_UPDATE = {ComputedStatus.LATE, ComputedStatus.AT_RISK}
