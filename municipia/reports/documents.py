"""The report documents themselves: plan status (PDF, XLSX), network benchmarking (PDF), open-data XLSX.

Each function takes what a selector returns and gives bytes or a response; views and the
background task call the same functions, so a report looks the same whichever way it was made.
"""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from municipia.core import charts
from municipia.core.exports import write_xlsx
from municipia.indicators.choices import IndicatorStatus
from municipia.reports.pdf import html_to_pdf
from municipia.reports.selectors import (
    ACTION_FIELDS,
    NetworkBenchmark,
    PlanStatusReport,
    action_cells,
    plan_action_records,
    plan_status_report,
    status_counts_label,
)
from municipia.strategy.choices import ActionStatus
from municipia.strategy.models import Plan

# Colours with at least 3:1 contrast on white, one per action status (charts need a colour each).
STATUS_COLOURS = {
    ActionStatus.PLANNED: "#6b7280",
    ActionStatus.IN_PROGRESS: "#1d4ed8",
    ActionStatus.COMPLETED: "#15803d",
    ActionStatus.DELAYED: "#b45309",
    ActionStatus.CANCELLED: "#7f1d1d",
}


def action_headers() -> list[str]:
    labels = {
        "plan": _("plan"),
        "plan_title": _("plan title"),
        "axis_code": _("axis code"),
        "axis_title": _("axis"),
        "objective_code": _("objective code"),
        "objective_title": _("strategic objective"),
        "code": _("action code"),
        "title": _("action"),
        "status": _("status"),
        "progress": _("progress (%)"),
        "start_date": _("start date"),
        "end_date": _("end date"),
        "budget": _("budget (€)"),
        "owner_department": _("owner department"),
        "participating_councils": _("participating councils"),
    }
    return [labels[name] for name in ACTION_FIELDS]


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


# --- Network benchmarking.


def network_benchmark_pdf(benchmark: NetworkBenchmark, *, generated_on) -> bytes:
    reported = [row for row in benchmark.rows if row.assessment.latest is not None]
    markers = []
    if benchmark.median is not None:
        markers.append(charts.Marker(label=_("Median"), value=float(benchmark.median)))
    chart = charts.bar_chart(
        [charts.Bar(label=row.organization.name, value=float(row.assessment.latest.value)) for row in reported],
        title=benchmark.indicator.name,
        description=_("Latest value of each member council, best first."),
        unit=benchmark.indicator.unit,
        markers=markers,
        empty_message=_("No member council has reported a value yet."),
    )
    html = render_to_string(
        "reports/network_benchmark.html", {"benchmark": benchmark, "chart": chart, "generated_on": generated_on}
    )
    return html_to_pdf(html)
