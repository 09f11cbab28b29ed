"""A plan's timeline: its actions and milestones as a Gantt chart (server-rendered SVG with a data
table beside it), their dependencies and the critical path.

The critical path is the chain of dependencies with the longest total duration (the classic
critical-path method on the actions' own durations): delaying any action on it delays the end of
the chain. An action that starts before one of its dependencies ends is flagged.
core.charts has no Gantt chart; this module draws one with the same conventions (title and
description for screen readers, a table with the same figures).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe

from municipia.strategy.entities import ACTION
from municipia.strategy.models import Action, Milestone, Plan
from municipia.strategy.selectors import action_dependency_pairs, actions_of_plans, milestones_of_actions

ROW, LABEL, TOP = 26, 210, 34
BAR, CRITICAL, MILESTONE, GRID = "#3b6ea8", "#b3261e", "#1b5e20", "#d0d7de"


@dataclass
class Row:
    action: Action
    needs: list[int] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    critical: bool = False
    starts_too_early: bool = False

    @property
    def days(self) -> int:
        if self.action.start_date and self.action.end_date:
            return (self.action.end_date - self.action.start_date).days + 1
        return 0


def timeline(plan: Plan, user) -> list[Row]:
    """The plan's dated actions the user may see, in start order, with dependencies and milestones (three queries)."""
    actions = list(
        ACTION.visible(user, actions_of_plans([plan.pk]).filter(start_date__isnull=False, end_date__isnull=False))
        .select_related("objective__axis")
        .order_by("start_date", "code")
    )
    rows = {a.pk: Row(a) for a in actions}
    for source, target in action_dependency_pairs(list(rows)):
        rows[source].needs.append(target)
    for milestone in milestones_of_actions(list(rows)).order_by("due_date"):
        rows[milestone.action_id].milestones.append(milestone)
    _mark_critical(rows)
    for row in rows.values():
        row.starts_too_early = any(
            rows[n].action.end_date >= row.action.start_date for n in row.needs if rows[n].action.end_date
        )
    return list(rows.values())


def _mark_critical(rows: dict[int, Row]) -> None:
    finish: dict[int, int] = {}
    before: dict[int, int | None] = {}
    visiting: set[int] = set()

    def longest(pk: int) -> int:
        if pk in finish:
            return finish[pk]
        if pk in visiting:  # a cycle cannot happen (strategy refuses one); guard anyway
            return 0
        visiting.add(pk)
        best, via = 0, None
        for need in rows[pk].needs:
            length = longest(need)
            if length > best:
                best, via = length, need
        visiting.discard(pk)
        finish[pk], before[pk] = best + rows[pk].days, via
        return finish[pk]

    for pk in rows:
        longest(pk)
    if not rows:
        return
    current: int | None = max(rows, key=lambda pk: finish[pk])
    while current is not None:
        rows[current].critical = True
        current = before[current]


def gantt_svg(rows: list[Row], *, title: str, width: int = 900) -> SafeString:
    dated = [r for r in rows if r.days]
    if not dated:
        return mark_safe("")
    first = min(r.action.start_date for r in dated)
    last = max(r.action.end_date for r in dated)
    span = max((last - first).days, 1)
    plot = width - LABEL - 10
    height = TOP + ROW * len(dated) + 10

    def x(day: dt.date) -> float:
        return LABEL + plot * (day - first).days / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="gantt-title" '
        f'class="gantt-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f'<title id="gantt-title">{escape(title)}</title>'
    ]
    for year in range(first.year, last.year + 2):
        day = dt.date(year, 1, 1)
        if first <= day <= last:
            parts.append(
                f'<line x1="{x(day):.1f}" y1="{TOP - 12}" x2="{x(day):.1f}" y2="{height}" stroke="{GRID}"/>'
                f'<text x="{x(day) + 3:.1f}" y="{TOP - 16}" font-size="12">{year}</text>'
            )
    position = {r.action.pk: i for i, r in enumerate(dated)}
    for i, row in enumerate(dated):
        y = TOP + i * ROW
        colour = CRITICAL if row.critical else BAR
        label = escape(f"{row.action.code} {row.action.title}"[:32])
        parts.append(f'<text x="4" y="{y + 16}" font-size="12">{label}</text>')
        start, end = x(row.action.start_date), x(row.action.end_date)
        parts.append(
            f'<rect x="{start:.1f}" y="{y + 5}" width="{max(end - start, 2):.1f}" height="{ROW - 10}" fill="{colour}" '
            f'rx="3"><title>{label}: {row.action.start_date} – {row.action.end_date}</title></rect>'
        )
        for milestone in row.milestones:
            if first <= milestone.due_date <= last:
                mx, my = x(milestone.due_date), y + ROW / 2
                parts.append(
                    f'<path d="M{mx:.1f},{my - 6:.1f} l6,6 l-6,6 l-6,-6 z" fill="{MILESTONE}">'
                    f"<title>{escape(str(milestone.title))}: {milestone.due_date}</title></path>"
                )
        for need in row.needs:
            if need in position:
                other = dated[position[need]]
                y0 = TOP + position[need] * ROW + ROW / 2
                parts.append(
                    f'<path d="M{x(other.action.end_date):.1f},{y0:.1f} L{start:.1f},{y + ROW / 2:.1f}" '
                    'stroke="#555" fill="none" stroke-dasharray="3 2"/>'
                )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
