"""Bulk progress update of a plan's actions from a CSV or XLSX file, all or nothing.

The template (`template_rows`) lists the plan's actions with their progress and status; an
editor fills in progress, status and a comment, and uploads it. `bulk_progress_update` checks
every row (unknown or repeated codes, progress outside 0–100, unknown status, and whatever the
action's own validation says), and either applies every change through `action_update` — each
recorded in the history with the upload as its reason — or none. With `dry_run` it only checks
and returns the preview. Pages and the API call the same function.

Finishing the linked work offers to move the action: the preview lists the plan's actions whose
milestones, follow-up tasks and partners' commitments are all finished (after the file's changes)
but that are not yet completed at 100 %; the editor ticks those to complete (`finish`, off by
default), and they are completed in the same all-or-nothing run.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.core.exports import read_table
from municipia.core.i18n import language_codes
from municipia.core.visibility import User
from municipia.strategy.choices import ActionStatus
from municipia.strategy.models import Action, Plan
from municipia.strategy.permissions import actions_answered_by
from municipia.strategy.selectors import finished_work, is_finished
from municipia.strategy.services import action_update

COLUMNS = ("code", "title", "progress", "status", "comment")
HEADINGS = {
    "code": gettext_lazy("code"),
    "title": gettext_lazy("action"),
    "progress": gettext_lazy("progress (%)"),
    "status": gettext_lazy("status"),
    "comment": gettext_lazy("comment"),
}
MAX_ROWS = 5000


@dataclass
class RowChange:
    row: int
    action: Action
    before: dict[str, Any]
    after: dict[str, Any]
    comment: str

    @staticmethod
    def _described(values: dict[str, Any]) -> str:
        """ "progress (%): 60, status: In progress" in the active language."""
        labels = dict(ActionStatus.choices)
        parts = []
        for name, value in values.items():
            shown = labels.get(value, value) if name == "status" else value
            parts.append(f"{HEADINGS[name]}: {shown}")
        return ", ".join(parts)

    @property
    def before_text(self) -> str:
        return self._described(self.before)

    @property
    def after_text(self) -> str:
        return self._described(self.after)


@dataclass
class FinishOffer:
    """An action whose linked work is all finished but which is not completed at 100 %."""

    action: Action
    finished_items: int
    chosen: bool = False


@dataclass
class BulkResult:
    changes: list[RowChange] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, message)
    unchanged: int = 0
    applied: bool = False
    offers: list[FinishOffer] = field(default_factory=list)

    @property
    def finished(self) -> list[Action]:
        return [offer.action for offer in self.offers if offer.chosen]

    @property
    def has_work(self) -> bool:
        """Something to apply: a change from the file, or an action whose linked work is finished."""
        return bool(self.changes or self.offers)

    @property
    def ok(self) -> bool:
        return not self.errors


def template_header() -> list[str]:
    return [str(HEADINGS[name]) for name in COLUMNS]


def template_rows(plan: Plan, *, user: User | None = None) -> list[list[Any]]:
    """One row per action of the plan that `user` reports on (all without a user), with its current
    progress and status and an empty comment."""
    actions = Action.objects.filter(plan=plan) if user is None else actions_answered_by(user, plan)
    return [
        [action.code, action.title, action.progress, action.status, ""] for action in actions.order_by("code", "id")
    ]


def _status_names() -> dict[str, str]:
    """Every way a status may be written: its value, or its name in any language (any case)."""
    from django.utils import translation

    names: dict[str, str] = {}
    for value, label in ActionStatus.choices:
        names[value.lower()] = value
        for code in language_codes():
            with translation.override(code):
                names[str(label).strip().lower()] = value
    return names


def _column_index(header: list[Any]) -> dict[str, int]:
    """Column name → position; headings in any interface language or the plain names are accepted."""
    from django.utils import translation

    known: dict[str, str] = {}
    for name in COLUMNS:
        known[name] = name
        for code in language_codes():
            with translation.override(code):
                known[str(HEADINGS[name]).strip().lower()] = name
    index: dict[str, int] = {}
    for position, cell in enumerate(header):
        name = known.get(str(cell or "").strip().lower(), "")
        if name and name not in index:
            index[name] = position
    return index


def _cell(row: list[Any], index: dict[str, int], name: str) -> str:
    position = index.get(name)
    if position is None or position >= len(row) or row[position] is None:
        return ""
    value = row[position]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_progress(text: str) -> int | None:
    cleaned = text.rstrip("%").strip().replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def check_rows(
    plan: Plan, table: list[list[Any]], *, user: User | None = None
) -> tuple[BulkResult, list[tuple[int, Action, dict, str]]]:
    """Reads the table: errors by row and column, and the changes each valid row asks for (only for
    actions `user` reports on, when given)."""
    result = BulkResult()
    if not table:
        result.errors.append((1, "", _("The file is empty.")))
        return result, []
    index = _column_index(table[0])
    if "code" not in index:
        result.errors.append((1, "code", _("The first row must name the columns; a “code” column is required.")))
        return result, []
    if "progress" not in index and "status" not in index:
        result.errors.append((1, "progress", _("There is neither a “progress (%)” nor a “status” column.")))
        return result, []
    if len(table) - 1 > MAX_ROWS:
        result.errors.append((1, "", _("At most %(n)s rows at a time.") % {"n": MAX_ROWS}))
        return result, []
    actions = {a.code: a for a in Action.objects.filter(plan=plan)}
    allowed = set(actions) if user is None else set(actions_answered_by(user, plan).values_list("code", flat=True))
    statuses = _status_names()
    seen: dict[str, int] = {}
    wanted = []
    for number, row in enumerate(table[1:], start=2):
        if not any(str(cell or "").strip() for cell in row):
            continue
        code = _cell(row, index, "code")
        action = actions.get(code)
        if action is None:
            result.errors.append((number, "code", _("No action of this plan has code “%(code)s”.") % {"code": code}))
            continue
        if code not in allowed:
            result.errors.append(
                (
                    number,
                    "code",
                    _(
                        "You do not report on action %(code)s: neither a department of your council owns it "
                        "nor one of its people leads it."
                    )
                    % {"code": code},
                )
            )
            continue
        if code in seen:
            result.errors.append(
                (number, "code", _("Action %(code)s is already in row %(row)s.") % {"code": code, "row": seen[code]})
            )
            continue
        seen[code] = number
        data: dict[str, Any] = {}
        progress_text = _cell(row, index, "progress")
        if progress_text:
            progress = _parse_progress(progress_text)
            if progress is None or not 0 <= progress <= 100:
                result.errors.append(
                    (
                        number,
                        "progress",
                        _("“%(value)s” is not a whole number from 0 to 100.") % {"value": progress_text},
                    )
                )
                continue
            data["progress"] = progress
        status_text = _cell(row, index, "status")
        if status_text:
            status = statuses.get(status_text.lower())
            if status is None:
                choices = ", ".join(ActionStatus.values)
                result.errors.append(
                    (
                        number,
                        "status",
                        _("“%(value)s” is not a status; use one of %(choices)s.")
                        % {"value": status_text, "choices": choices},
                    )
                )
                continue
            data["status"] = status
        data = {k: v for k, v in data.items() if getattr(action, k) != v}
        comment = _cell(row, index, "comment")
        if data:
            wanted.append((number, action, data, comment))
        else:
            result.unchanged += 1
    return result, wanted


def finish_offers(plan: Plan, *, user: User | None = None) -> list[FinishOffer]:
    """The plan's actions (that `user` reports on) whose linked work is finished but which are not
    completed at 100 %, by code."""
    done = finished_work(Action.objects.filter(plan=plan) if user is None else actions_answered_by(user, plan))
    if not done:
        return []
    actions = Action.objects.filter(pk__in=list(done)).order_by("code", "id")
    return [FinishOffer(action, done[action.pk]) for action in actions if not is_finished(action)]


def bulk_progress_update(
    *,
    acting_user: User,
    plan: Plan,
    file_name: str,
    content: bytes,
    dry_run: bool = False,
    finish: Iterable[str] = (),
) -> BulkResult:
    """Checks the uploaded table and applies all of it, or nothing (see the module docstring);
    `finish` names the codes of offered actions to complete too."""
    result, wanted = check_rows(plan, read_table(file_name, content), user=acting_user)
    stamp = dt.date.today().isoformat()
    with transaction.atomic():
        for number, action, data, comment in wanted:
            before = {key: getattr(action, key) for key in data}
            reason = _("Bulk update from %(file)s (%(date)s), row %(row)s") % {
                "file": file_name,
                "date": stamp,
                "row": number,
            }
            if comment:
                reason = f"{reason}: {comment}"
            try:
                action_update(acting_user=acting_user, action=action, data=data, reason=reason[:100])
            except ValidationError as exc:
                for column, messages in exc.message_dict.items():
                    result.errors.append((number, column, " ".join(messages)))
                continue
            result.changes.append(RowChange(number, action, before, dict(data), comment))
        # Offers as the plan stands after the file's changes (read inside this transaction).
        result.offers = finish_offers(plan, user=acting_user)
        chosen = set(finish)
        rows = {change.action.pk: change.row for change in result.changes}
        for offer in result.offers:
            if offer.action.code not in chosen:
                continue
            offer.chosen = True
            reason = _("Bulk update from %(file)s (%(date)s): its linked work is finished") % {
                "file": file_name,
                "date": stamp,
            }
            try:
                action_update(
                    acting_user=acting_user,
                    action=offer.action,
                    data={"progress": 100, "status": ActionStatus.COMPLETED},
                    reason=reason[:100],
                )
            except ValidationError as exc:
                for column, messages in exc.message_dict.items():
                    result.errors.append((rows.get(offer.action.pk, 0), column, " ".join(messages)))
        if dry_run or result.errors:
            transaction.set_rollback(True)
        else:
            result.applied = True
    result.errors.sort()
    return result
