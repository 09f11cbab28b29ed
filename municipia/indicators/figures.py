"""The charts of the monitoring pages (and of reports), built from selector results with core.charts.

Each function returns the SVG and the rows of the data table shown beside it, so a page and a
PDF draw the same picture from the same numbers.
"""

import datetime as dt
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from municipia.core import charts
from municipia.indicators.benchmarking import Benchmark
from municipia.indicators.choices import Direction, IndicatorStatus
from municipia.indicators.models import Indicator
from municipia.indicators.monitoring import HEALTH_COLOURS, PlanDashboard
from municipia.indicators.selectors import IndicatorPage, Series
from municipia.indicators.status import Point, target_date, trajectory
from municipia.organizations.models import Organization

# More organisations than this on one line chart is a tangle: the median is drawn instead.
MAX_LINES = 6
STATUS_COLOURS = {
    IndicatorStatus.ON_TRACK: "#146c2e",
    IndicatorStatus.AT_RISK: "#E69F00",
    IndicatorStatus.OFF_TRACK: "#b42318",
    IndicatorStatus.NO_TARGET: "#9aa3ad",
    IndicatorStatus.NO_DATA: "#d5dbe3",
}


def axis_progress_chart(dashboard: PlanDashboard) -> SafeString:
    bars = [
        charts.Bar(f"{row.axis.code}. {row.axis.title}", row.element.progress)
        for row in dashboard.axes
        if row.element.progress is not None or row.element.action_count
    ]
    return charts.bar_chart(
        bars,
        title=_("Progress by axis"),
        description=_("Weighted progress of each axis's actions, from 0 to 100%."),
        unit="%",
        max_value=100,
        value_format=lambda v: charts.format_number(round(v), "%"),
        chart_id="axis-progress",
        empty_message=_("No actions yet."),
    )


def action_health_chart(dashboard: PlanDashboard) -> SafeString:
    segments = [charts.Segment(label, count, HEALTH_COLOURS[h]) for h, label, count in dashboard.health_counts]
    return charts.status_bar(segments, title=_("Actions by status"), chart_id="action-health")


def indicator_status_chart(dashboard: PlanDashboard) -> SafeString:
    totals: dict[str, int] = {}
    for summary in dashboard.indicators:
        for status, count in summary.counts.items():
            totals[status] = totals.get(status, 0) + count
    segments = [
        charts.Segment(str(label), totals.get(status, 0), STATUS_COLOURS[status])
        for status, label in IndicatorStatus.choices
    ]
    return charts.status_bar(segments, title=_("Indicator values by status"), chart_id="indicator-status")


@dataclass
class SeriesFigure:
    """A line chart and its data table: one row per date, one column per line."""

    svg: SafeString
    columns: list[str]
    rows: list[tuple[dt.date, list[Decimal | None]]] = field(default_factory=list)
    median: bool = False


def _table(lines: list[tuple[str, list[Point]]]) -> tuple[list[str], list[tuple[dt.date, list[Decimal | None]]]]:
    dates = sorted({p.date for _name, points in lines for p in points})
    lookup = [{p.date: p.value for p in points} for _name, points in lines]
    return [name for name, _points in lines], [(d, [values.get(d) for values in lookup]) for d in dates]


def indicator_series_chart(
    indicator: Indicator,
    series: list[Series],
    names: dict[int, str],
    *,
    targets: dict[int, Decimal],
    baseline: Point | None,
) -> SeriesFigure:
    """Observations of up to MAX_LINES organisations (else their median per date) against the target path.

    `targets`/`baseline` are those of the drawn organisation when there is one line, else the
    general ones; the path is drawn only when there is a target.
    """
    lines: list[tuple[str, list[Point]]] = []
    median = len(series) > MAX_LINES
    if median:
        by_date: dict[dt.date, list[Decimal]] = {}
        for s in series:
            for p in s.points:
                by_date.setdefault(p.date, []).append(p.value)
        lines.append(
            (_("Median of %(count)d organisations") % {"count": len(series)},
             [Point(d, statistics.median(v)) for d, v in sorted(by_date.items())])
        )  # fmt: skip
    else:
        lines += [(names.get(s.organization_id, "?"), s.points) for s in series]
    chart_series = [charts.Series(name, [(p.date, float(p.value)) for p in points]) for name, points in lines]
    if targets:
        start = baseline
        if start is None and lines and lines[0][1]:
            start = lines[0][1][0]
        path = trajectory(start, targets) or [Point(target_date(y), v) for y, v in sorted(targets.items())]
        lines.append((_("Target path"), path))
        chart_series.append(charts.Series(_("Target path"), [(p.date, float(p.value)) for p in path], style="target"))
    unit = indicator.unit or ""
    better = _("higher is better") if indicator.direction == Direction.HIGHER else _("lower is better")
    svg = charts.line_chart(
        chart_series,
        title=_("%(name)s over time") % {"name": indicator.name},
        description=_("Observed values and the target path (%(better)s).") % {"better": better},
        unit=unit if len(unit) <= 3 else "",
        chart_id="indicator-series",
    )
    columns, rows = _table(lines)
    return SeriesFigure(svg, columns, rows, median)


# A bar per member up to this many; beyond, the best ones and the highlighted council.
BENCHMARK_CHART_ROWS = 50


def benchmark_chart(benchmark: Benchmark) -> SafeString:
    unit = benchmark.indicator.unit or ""
    ranked = [row for row in benchmark.rows if row.rank is not None]
    shown = ranked[:BENCHMARK_CHART_ROWS]
    if (
        benchmark.highlighted is not None
        and benchmark.highlighted.rank is not None
        and benchmark.highlighted not in shown
    ):
        shown = [*shown[: BENCHMARK_CHART_ROWS - 1], benchmark.highlighted]
    bars = [
        charts.Bar(
            f"{row.rank}. {row.organization.name}",
            float(row.value),
            highlight=benchmark.highlighted is row,
        )
        for row in shown
    ]
    summary = benchmark.overall
    markers = []
    if summary.count >= 2:
        markers = [
            charts.Marker(_("Q1"), float(summary.q1)),
            charts.Marker(_("Median"), float(summary.median)),
            charts.Marker(_("Q3"), float(summary.q3)),
        ]
    return charts.bar_chart(
        bars,
        title=_("%(indicator)s: latest value of each member of %(network)s")
        % {"indicator": benchmark.indicator.name, "network": benchmark.network.name},
        description=_("Members ranked best first; dashed lines mark the quartiles and the median."),
        unit=unit if len(unit) <= 3 else "",
        max_value=100 if unit == "%" else None,
        markers=markers,
        chart_id="benchmark",
        empty_message=_("No member has a value yet."),
    )


def indicator_page_chart(page: IndicatorPage, series: list[Series], chosen: Organization | None) -> SeriesFigure:
    """The indicator page's chart: the chosen organisation (or all, or their median) against its targets."""
    names = {row.organization.pk: str(row.organization.name) for row in page.rows}
    single = chosen.pk if chosen is not None else (series[0].organization_id if len(series) == 1 else None)
    targets = {t.year: t.value for t in page.targets if t.organization_id is None}
    baselines = {b.organization_id: Point(b.date, b.value) for b in page.baselines}
    if single is not None:
        targets.update({t.year: t.value for t in page.targets if t.organization_id == single})
    baseline = baselines.get(single) or baselines.get(None)
    return indicator_series_chart(page.indicator, series, names, targets=targets, baseline=baseline)
