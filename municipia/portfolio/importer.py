"""Execution entries from a council's accounting export (CSV or XLSX), with a saved column mapping.

Each row is one commitment, recognised obligation or payment of one budget line, found by the
action's code, the year and the funding source's code (and the cost category when the plan has
several lines for that action, year and source). The file's columns are named by the mapping the
user saves once (`ExecutionMapping`); unmapped fields are looked for under their own names.
`kind` accepts the app's words (committed, obligation, payment) and the phases of Spanish public
accounting (D, O, P). Rows are numbered as a spreadsheet shows them (the header is row 1);
checking reads the plan's lines in one query and reports every bad row; importing writes nothing
unless every row is good.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from municipia.core.exports import UnreadableFile, read_table  # noqa: F401 - part of this module's interface
from municipia.portfolio.choices import ExecutionKind
from municipia.portfolio.models import BudgetLine
from municipia.strategy.models import Plan

FIELDS = ("action", "year", "source", "cost_category", "kind", "date", "amount", "reference")
REQUIRED = ("action", "year", "source", "kind", "date", "amount")
KINDS = {
    **{kind.value: kind.value for kind in ExecutionKind},
    "d": ExecutionKind.COMMITTED,
    "ad": ExecutionKind.COMMITTED,
    "o": ExecutionKind.OBLIGATION,
    "p": ExecutionKind.PAYMENT,
}
PREVIEW_ROWS = 20


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class CheckedRow:
    row: int
    line: BudgetLine
    data: dict


@dataclass
class CheckResult:
    rows: list[CheckedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(cell) -> str:
    return "" if cell is None else str(cell).strip()


def parse_amount(cell) -> Decimal | None:
    if isinstance(cell, int | float | Decimal) and not isinstance(cell, bool):
        return Decimal(str(cell)).quantize(Decimal("0.01"))
    text = _text(cell).replace(" ", "").replace("€", "")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") else text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".")
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def parse_date(cell) -> dt.date | None:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = _text(cell)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _positions(header: list, columns: dict[str, str]) -> tuple[dict[str, int], list[RowError]]:
    names = {_text(cell).lower(): i for i, cell in enumerate(header)}
    positions, errors = {}, []
    for name in FIELDS:
        wanted = (columns.get(name) or name).strip().lower()
        if wanted in names:
            positions[name] = names[wanted]
        elif name in REQUIRED:
            errors.append(RowError(1, wanted, _("This column is missing.")))
    return positions, errors


def _line_index(plan: Plan) -> dict[tuple, list[BudgetLine]]:
    index: dict[tuple, list[BudgetLine]] = {}
    for line in BudgetLine.objects.filter(plan=plan, action__isnull=False).select_related("action", "source"):
        if line.action is not None:  # always: the lines are read with an action
            index.setdefault((line.action.code, line.year, line.source.code), []).append(line)
    return index


def _check_row(number: int, cells: list, positions: dict[str, int], index: dict) -> tuple[CheckedRow | None, list]:
    def cell(name):
        position = positions.get(name)
        return cells[position] if position is not None and position < len(cells) else None

    errors = []
    year = _text(cell("year"))
    kind = KINDS.get(_text(cell("kind")).lower())
    amount = parse_amount(cell("amount"))
    date = parse_date(cell("date"))
    if kind is None:
        errors.append(RowError(number, "kind", _("Write committed, obligation or payment (or D, O, P).")))
    if amount is None:
        errors.append(RowError(number, "amount", _("Write an amount such as 1234.56 or 1.234,56.")))
    if date is None:
        errors.append(RowError(number, "date", _("Write a date as YYYY-MM-DD or DD/MM/YYYY.")))
    key = (_text(cell("action")), int(year) if year.isdigit() else None, _text(cell("source")))
    lines = index.get(key, [])
    category = _text(cell("cost_category")).lower()
    if category:
        lines = [
            line
            for line in lines
            if line.cost_category == category or line.get_cost_category_display().lower() == category
        ]
    if not lines:
        errors.append(
            RowError(number, "action", _("No budget line of this plan matches this action, year and source."))
        )
    elif len(lines) > 1:
        errors.append(RowError(number, "cost_category", _("Several budget lines match: give the cost category.")))
    if errors:
        return None, errors
    data = {"kind": kind, "date": date, "amount": amount, "reference": _text(cell("reference"))[:100]}
    return CheckedRow(number, lines[0], data), []


def check_table(plan: Plan, table: list[list], columns: dict[str, str]) -> CheckResult:
    result = CheckResult()
    if not table:
        result.errors.append(RowError(1, "", _("The file is empty.")))
        return result
    positions, result.errors = _positions(table[0], columns)
    if result.errors:
        return result
    index = _line_index(plan)
    for number, cells in enumerate(table[1:], start=2):
        if not any(_text(c) for c in cells):
            continue
        checked, errors = _check_row(number, list(cells), positions, index)
        result.errors.extend(errors)
        if checked is not None:
            result.rows.append(checked)
    return result
