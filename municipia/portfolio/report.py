"""The funding report of one source, the kind a managing authority asks for: per operation (action),
eligible cost, the source's share, the own share, committed and declared (paid) spend, by year."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from municipia.portfolio.choices import ExecutionKind
from municipia.portfolio.models import BudgetLine, ExecutionEntry, FundingSource

ZERO = Decimal("0")


@dataclass
class Operation:
    code: str
    title: str
    year: int
    eligible: Decimal = ZERO
    source_share: Decimal = ZERO
    own_share: Decimal = ZERO
    committed: Decimal = ZERO
    declared: Decimal = ZERO


def source_report(source: FundingSource) -> tuple[list[Operation], Operation]:
    """One row per action and year funded by `source` (three queries), and the totals."""
    lines = list(BudgetLine.objects.filter(source=source, action__isnull=False).select_related("action"))
    done: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for line_id, kind, total in (
        ExecutionEntry.objects.filter(budget_line__source=source)
        .values_list("budget_line_id", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        done[(line_id, kind)] = total or ZERO
    rows: dict[tuple[int, int], Operation] = {}
    for line in lines:
        row = rows.setdefault(
            (line.action_id, line.year), Operation(line.action.code, str(line.action.title), line.year)
        )
        row.eligible += line.amount
        row.source_share += line.eu_share
        row.own_share += line.own_share
        row.committed += done[(line.pk, ExecutionKind.COMMITTED)]
        row.declared += done[(line.pk, ExecutionKind.PAYMENT)]
    ordered = sorted(rows.values(), key=lambda r: (r.code, r.year))
    total = Operation("", _("Total"), 0)
    for row in ordered:
        for name in ("eligible", "source_share", "own_share", "committed", "declared"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return ordered, total


def report_header() -> list[str]:
    return [
        _("Operation"),
        _("Title"),
        _("year"),
        _("Eligible cost (€)"),
        _("source's share (€)"),
        _("own share (€)"),
        _("Committed"),
        _("Declared spend (€)"),
    ]


def report_rows(rows: list[Operation]) -> list[list]:
    return [[r.code, r.title, r.year, r.eligible, r.source_share, r.own_share, r.committed, r.declared] for r in rows]
