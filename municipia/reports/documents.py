"""The report documents themselves: plan status (PDF, XLSX), network benchmarking (PDF, XLSX), open-data XLSX.

Each function takes what a selector returns and gives bytes or a response; views and the
background task call the same functions, so a report looks the same whichever way it was made.
"""

import re

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.core import charts
from municipia.core.exports import write_xlsx
from municipia.indicators import figures
from municipia.indicators.benchmarking import Benchmark
from municipia.indicators.choices import IndicatorStatus
from municipia.reports.pdf import html_to_pdf
from municipia.reports.selectors import (
    PlanStatusReport,
    action_cells,
    action_columns,
    plan_action_records,
    plan_status_report,
    status_counts_label,
)
from municipia.strategy.choices import ActionStatus
from municipia.strategy.models import Action, Plan

# Colours with at least 3:1 contrast on white, one per action status (charts need a colour each).
STATUS_COLOURS = {
    ActionStatus.PLANNED: "#6b7280",
    ActionStatus.IN_PROGRESS: "#1d4ed8",
    ActionStatus.COMPLETED: "#15803d",
    ActionStatus.DELAYED: "#b45309",
    ActionStatus.CANCELLED: "#7f1d1d",
}


#: Headings of the export's columns that are not the verbose name of the action's field they read.
ACTION_HEADINGS = {
    "plan": gettext_lazy("plan"),
    "plan_title": gettext_lazy("plan title"),
    "axis_code": gettext_lazy("axis code"),
    "axis_title": gettext_lazy("axis"),
    "objective_code": gettext_lazy("objective code"),
    "objective_title": gettext_lazy("strategic objective"),
    "code": gettext_lazy("action code"),
    "title": gettext_lazy("action"),
    "status": gettext_lazy("status reported by the owner"),
    "owner_department": gettext_lazy("owner department"),
    "participating_councils": gettext_lazy("participating councils"),
    "partner_organisations": gettext_lazy("partner organisations"),
}


def action_headers() -> list[str]:
    """The export's headings, in the order of its columns (the action entity's `export_fields`)."""
    headers = []
    for column in action_columns():
        headers.append(str(ACTION_HEADINGS.get(column.name) or _verbose_name(column.name)))
        if column.name == "status":  # action_records puts the computed status after the reported one
            headers.append(str(gettext_lazy("computed status")))
    return headers


def _verbose_name(name: str) -> str:
    """A column reading the action's own field is headed by the field's name ("status", "budget (€)")."""
    return str(Action._meta.get_field(name).verbose_name)


# --- Plan status report.


def _status_report_context(report: PlanStatusReport) -> dict:
    progress_chart = charts.bar_chart(
        [
            charts.Bar(label=f"{section.axis.code}. {section.axis.title}", value=section.progress)
            for section in report.axes
        ],
        title=_("Progress by axis"),
        description=_("Weighted progress of each strategic axis, in per cent."),
        unit="%",
        max_value=100,
        empty_message=_("This plan has no strategic axes yet."),
    )
    status_chart = charts.status_bar(
        [
            charts.Segment(label=label, value=count, colour=STATUS_COLOURS.get(value, "#6b7280"))
            for value, label, count in report.status_counts
        ],
        title=_("Actions by status"),
        description=_("How many actions are in each status."),
        empty_message=_("This plan has no actions yet."),
    )
    lines = [
        {"indicator": line.indicator, "own": line.own, "counts": status_counts_label(line.counts)}
        for line in report.indicators
    ]
    return {
        "report": report,
        "progress_chart": progress_chart,
        "status_chart": status_chart,
        "indicator_lines": lines,
        "no_data_label": IndicatorStatus.NO_DATA.label,
    }


def plan_status_pdf(user, plan: Plan) -> bytes:
    report = plan_status_report(user, plan)
    return html_to_pdf(render_to_string("reports/plan_status.html", _status_report_context(report)))


def plan_status_sheets(user, plan: Plan) -> list[tuple[str, list, list]]:
    """The status report as spreadsheet tabs: summary, axes, actions by status, actions, indicators."""
    report = plan_status_report(user, plan)
    summary = [
        [_("Plan"), plan.title],
        [_("Owner"), plan.owner.name],
        [_("Period start"), plan.period_start],
        [_("Period end"), plan.period_end],
        [_("Status"), plan.get_status_display()],
        [_("Actions"), report.action_count],
        [_("Budget (€)"), report.budget_total],
        [_("Progress (%)"), None if report.progress is None else round(report.progress, 1)],
        [_("Report of"), report.generated_on],
    ]
    axes = [
        [
            section.axis.code,
            section.axis.title,
            len(section.actions),
            section.budget,
            None if section.progress is None else round(section.progress, 1),
        ]
        for section in report.axes
    ]
    actions = [
        [
            section.axis.code,
            action.code,
            action.title,
            action.get_status_display(),
            action.progress,
            action.start_date,
            action.end_date,
            action.budget,
            action.owner_department.name if action.owner_department else "",
        ]
        for section in report.axes
        for action in section.actions
    ]
    indicators = []
    for line in report.indicators:
        latest = line.own.latest if line.own else None
        indicators.append(
            [
                line.indicator.code,
                line.indicator.name,
                line.indicator.unit,
                latest.value if latest else None,
                latest.date if latest else None,
                line.own.status_label if line.own else str(IndicatorStatus.NO_DATA.label),
                "; ".join(f"{label}: {count}" for label, count in status_counts_label(line.counts)),
            ]
        )
    return [
        (_("Summary"), [_("Item"), _("Value")], summary),
        (_("Axes"), [_("Code"), _("Axis"), _("Actions"), _("Budget (€)"), _("Progress (%)")], axes),
        (_("By status"), [_("Status"), _("Actions")], [[label, count] for _v, label, count in report.status_counts]),
        (
            _("Actions"),
            [
                _("Axis"),
                _("Code"),
                _("Action"),
                _("Status"),
                _("Progress (%)"),
                _("Start date"),
                _("End date"),
                _("Budget (€)"),
                _("Owner department"),
            ],
            actions,
        ),
        (
            _("Indicators"),
            [_("Code"), _("Indicator"), _("Unit"), _("Latest value"), _("Date"), _("Status"), _("Organisations")],
            indicators,
        ),
    ]


# --- Open data XLSX (the same rows as the CSV).


def plan_open_data_sheets(plan: Plan) -> list[tuple[str, list, object]]:
    return [(_("Actions"), action_headers(), (action_cells(r) for r in plan_action_records(plan)))]


def write_plan_status_xlsx(user, plan: Plan, target) -> None:
    write_xlsx(plan_status_sheets(user, plan), target)


# --- Charts in PDFs.

# WeasyPrint does not draw an image across a page break: in a PDF a tall chart is shown
# through windows cut between its rows, laid side by side and page after page (`pdf.printable`
# takes the labels' halo away, for every PDF).
PDF_CHART_MM_PER_UNIT = 0.205
PDF_CHART_WINDOW_MM = 205
_VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')
# The label of a chart row: a group whose title is followed by text (reference lines have a line).
_ROW_LABEL = re.compile(r'<g><title>[^<]*</title><text x="[-\d.]+" y="([-\d.]+)"')


def pdf_chart(svg: str) -> dict:
    """The chart for a PDF: its printable SVG, its width and the windows (offset, height) showing it."""
    found = _VIEWBOX.search(svg)
    width, height = (float(found.group(1)), float(found.group(2))) if found else (400.0, 300.0)
    window = PDF_CHART_WINDOW_MM / PDF_CHART_MM_PER_UNIT
    row_tops = sorted(float(y) - 16 for y in _ROW_LABEL.findall(svg))
    cuts = [0.0]
    while height - cuts[-1] > window:
        limit = cuts[-1] + window
        fitting = [top for top in row_tops if cuts[-1] < top <= limit]
        cuts.append(max(fitting) if fitting else limit)
    bounds = list(zip(cuts, [*cuts[1:], height], strict=True))
    mm = PDF_CHART_MM_PER_UNIT
    return {
        "svg": mark_safe(svg),  # noqa: S308 - the chart module's own markup
        "width": f"{width * mm:.2f}mm",
        "windows": [
            {"offset": f"{start * mm:.2f}mm", "height": f"{(end - start) * mm:.2f}mm"} for start, end in bounds
        ],
    }


# --- Network benchmarking: the figures of `indicators.benchmarking`, the chart of the benchmark page.


def _benchmark_context(benchmark: Benchmark, *, generated_on) -> dict:
    return {
        "benchmark": benchmark,
        "indicator": benchmark.indicator,
        "network": benchmark.network,
        "chart": pdf_chart(figures.benchmark_chart(benchmark)),
        "chart_rows": figures.BENCHMARK_CHART_ROWS,
        "generated_on": generated_on,
    }


def network_benchmark_html(benchmark: Benchmark, *, generated_on) -> str:
    """The report as the HTML WeasyPrint prints (also handy to look at in a browser)."""
    return render_to_string("reports/network_benchmark.html", _benchmark_context(benchmark, generated_on=generated_on))


def network_benchmark_pdf(benchmark: Benchmark, *, generated_on) -> bytes:
    return html_to_pdf(network_benchmark_html(benchmark, generated_on=generated_on))


def _summary_cells(summary) -> list:
    return [summary.count, summary.q1, summary.median, summary.q3, summary.best, summary.worst]


def network_benchmark_sheets(benchmark: Benchmark, *, generated_on) -> list[tuple[str, list, list]]:
    """The benchmarking report as spreadsheet tabs: summary, peer groups, members (numbers stay numbers)."""
    indicator, network = benchmark.indicator, benchmark.network
    first, last = benchmark.dates
    summary = [
        [_("Network"), network.name],
        [_("Indicator code"), indicator.code],
        [_("Indicator"), indicator.name],
        [_("Unit"), indicator.unit],
        [_("Better"), indicator.get_direction_display()],
        [_("Members"), len(benchmark.rows)],
        [_("With a value"), benchmark.ranked],
        [_("Earliest latest value"), first],
        [_("Most recent latest value"), last],
        [_("Report of"), generated_on],
    ]
    row, group = benchmark.highlighted, benchmark.highlighted_group
    if row is not None:
        summary += [
            [_("Highlighted council"), row.organization.name],
            [_("Its latest value"), row.value],
            [_("Its rank in the network"), row.rank],
            [_("Its peer group"), row.band_label],
            [_("Its rank among peers"), row.band_rank],
            [_("Peer median"), group.summary.median if group else None],
        ]
    groups = [[_("Whole network"), len(benchmark.rows), *_summary_cells(benchmark.overall)]]
    groups += [[peer.label, peer.members, *_summary_cells(peer.summary)] for peer in benchmark.groups]
    members = [
        [
            member.rank,
            member.organization.name,
            member.organization.population,
            member.band_label,
            member.band_rank,
            member.value,
            member.assessment.latest.date if member.assessment.latest else None,
            member.assessment.status_label,
        ]
        for member in benchmark.rows
    ]
    return [
        (_("Summary"), [_("Item"), _("Value")], summary),
        (
            _("Peer groups"),
            [
                _("Group"),
                _("Members"),
                _("With a value"),
                _("First quartile"),
                _("Median"),
                _("Third quartile"),
                _("Best"),
                _("Worst"),
            ],
            groups,
        ),
        (
            _("Members"),
            [
                _("Rank"),
                _("Council"),
                _("Population"),
                _("Peer group"),
                _("Rank among peers"),
                _("Latest value"),
                _("Date"),
                _("Status"),
            ],
            members,
        ),
    ]
