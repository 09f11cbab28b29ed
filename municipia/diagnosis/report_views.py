"""The diagnosis report of a plan, as a page and as a PDF: one body template, the same SVG charts.

Each view checks the permission (`diagnosis.view_report` on the plan), asks `report.py` for the
figures and renders; the PDF is the page's body laid out for A4 by WeasyPrint.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from municipia.core import charts
from municipia.core.i18n import current_language
from municipia.core.views import require_perm
from municipia.diagnosis.report import DiagnosisReport, diagnosis_report
from municipia.diagnosis.results_views import profile_radar_charts
from municipia.reports.pdf import html_to_pdf
from municipia.strategy.selectors import plan_get

UNWEIGHTED_COLOUR = "#8a96a3"


def _percent(value: float) -> str:
    return charts.format_number(value, "%")


def _choice_chart(item, weighted: bool):
    bars = []
    for answer in item.answers:
        if weighted:
            bars.append(charts.Bar(answer.label, answer.weighted_percent))
            label = _("%(label)s (unweighted)") % {"label": answer.label}
            bars.append(charts.Bar(label, answer.percent, UNWEIGHTED_COLOUR))
        else:
            bars.append(charts.Bar(answer.label, answer.percent))
    title = _("Most chosen answers, weighted (grey: unweighted)") if weighted else _("Most chosen answers")
    return charts.bar_chart(bars, title=f"{title}: {item.text}", max_value=100, value_format=_percent, width=440)


def _scale_chart(scales, weighted: bool):
    bars = []
    for item in scales:
        estimate = item.weighted_mean if weighted and item.weighted_mean else item.mean
        bars.append(charts.Bar(item.text, estimate.mean))
    title = _("Mean answer (weighted)") if weighted else _("Mean answer")
    maximum = float(max(item.scale_max for item in scales))
    return charts.bar_chart(bars, title=title, max_value=maximum, width=440)


def _ranking_chart(item):
    bars = [charts.Bar(option.label, option.mean_rank) for option in item.options]
    return charts.bar_chart(bars, title=_("Mean rank (1 = ranked first): %(text)s") % {"text": item.text}, width=440)


def _maturity_charts(report: DiagnosisReport) -> dict:
    maturity = report.maturity
    names = [dimension.name for dimension in maturity.dimensions]
    overall_chart = None
    if maturity.overall is not None:
        overall_chart = charts.radar_chart(
            [charts.Profile(maturity.overall.name, maturity.overall.scores)],
            dimensions=names,
            title=_("Digital maturity profile of %(name)s") % {"name": report.plan.owner},
            width=420,
        )
    return {
        "overall_chart": overall_chart,
        "overall_rows": list(zip(maturity.dimensions, maturity.overall.scores, strict=True))
        if maturity.overall
        else [],
        "profile_charts": profile_radar_charts(maturity.profiles, names),
    }


def report_context(report: DiagnosisReport, *, site: str = "") -> dict:
    """What the page and the PDF show: the report and its charts (`site` prefixes links in a PDF)."""
    campaigns = [
        {
            "summary": summary,
            "choices": [{"result": item, "chart": _choice_chart(item, summary.weighted)} for item in summary.choices],
            "rankings": [{"result": item, "chart": _ranking_chart(item)} for item in summary.rankings],
            "scale_chart": _scale_chart(summary.scales, summary.weighted) if summary.scales else None,
        }
        for summary in report.campaigns
    ]
    return {
        "report": report,
        "plan": report.plan,
        "campaigns": campaigns,
        "maturity": report.maturity,
        "site": site,
        "campaign_ids": {summary.campaign.pk for summary in report.campaigns},
        **_maturity_charts(report),
    }


def pdf_html(report: DiagnosisReport, *, site: str, request=None) -> str:
    """The PDF's HTML: the page's body for A4, with links made absolute."""
    return render_to_string("diagnosis/report_pdf.html", report_context(report, site=site), request=request)


def _report(request, slug: str) -> DiagnosisReport:
    plan = plan_get(request.user, slug=slug)
    require_perm(request, "diagnosis.view_report", plan)
    return diagnosis_report(request.user, plan)


def plan_report(request, slug: str):
    """The diagnosis report of a plan, as a page."""
    report = _report(request, slug)
    return render(request, "diagnosis/report.html", report_context(report))


def plan_report_pdf(request, slug: str):
    """The same report as a PDF (WeasyPrint), in the request's language."""
    report = _report(request, slug)
    content = html_to_pdf(pdf_html(report, site=f"{request.scheme}://{request.get_host()}", request=request))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="diagnosis-{report.plan.slug}-{current_language()}.pdf"'
    return response
