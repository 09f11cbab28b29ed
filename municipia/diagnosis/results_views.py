"""Pages of a campaign's results (per question, weighting, cross-tabs, free text, exports) and maturity profiles.

Each view checks the permission, asks `results.py` for what it shows and renders. The per-question
blocks of the results page (labels, tables, SVG charts) are built once per language from the
cached results and cached with them, so a page once computed costs a handful of queries and no
statistics.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from municipia.core import charts, exports
from municipia.core.cache import cached_value, shared_fragment
from municipia.core.views import EditorView, attach_errors, paginate, require_perm
from municipia.diagnosis import analysis, forms, results, services
from municipia.diagnosis.choices import ProfileKind, QuestionKind
from municipia.diagnosis.entities import CAMPAIGN
from municipia.diagnosis.models import Campaign
from municipia.diagnosis.selectors import campaign_get
from municipia.organizations.choices import OrganizationKind
from municipia.organizations.selectors import organization_find

UNWEIGHTED_COLOUR = "#8a96a3"
TEXT_PAGE_SIZE = 25


def _campaign(request, slug: str, permission: str = "diagnosis.view_results") -> Campaign:
    # The scoped look-up of `campaign_get` without its joins, and with the results version's
    # highest response id in the same query: on a results page served from the cache, fetching
    # the wide owner, questionnaire and plan rows would cost more than everything else. The
    # owner's name is read only when the page body is rendered, which is then kept.
    campaign = (
        CAMPAIGN.visible(request.user)
        .annotate(last_response=results.last_response_subquery())
        .filter(slug=slug)
        .first()
    )
    if campaign is None:
        raise Http404
    require_perm(request, permission, campaign)
    return campaign


def _percent(value: float) -> str:
    return charts.format_number(value, "%")


def _label(option_code: str, labels: dict[str, str]) -> str:
    if option_code == results.OTHER:
        return _("Other (written in)")
    return labels.get(option_code, option_code)


def _choice_block(question, result, weighted: bool, changes: dict) -> dict:
    labels = {option.code: option.label for option in question.options.all() if not option.is_row}
    table = result.frequencies
    rows = [
        {
            "label": _label(row.option, labels),
            "count": row.count,
            "percent": row.percent,
            "weighted_percent": row.weighted_percent,
            "interval": table.interval(row),
            "change": changes.get(row.option),
        }
        for row in table.rows
    ]
    bars = []
    for row in rows:
        if weighted:
            bars.append(charts.Bar(row["label"], row["weighted_percent"]))
            bars.append(
                charts.Bar(_("%(label)s (unweighted)") % {"label": row["label"]}, row["percent"], UNWEIGHTED_COLOUR)
            )
        else:
            bars.append(charts.Bar(row["label"], row["percent"]))
    title = _("Share of respondents choosing each answer")
    if weighted:
        title = _("Share of respondents choosing each answer, weighted (grey: unweighted)")
    return {
        "rows": rows,
        "chart": charts.bar_chart(bars, title=title, max_value=100, value_format=_percent),
        "n": table.n,
        "n_eff": table.n_eff,
        "skipped": table.skipped,
        "multiple": table.multiple,
    }


def _mean_row(label: str, estimate, weighted_estimate=None, change=None) -> dict:
    return {"label": label, "mean": estimate, "weighted": weighted_estimate, "change": change}


def _scale_block(question, result, weighted: bool, changes: dict) -> dict:
    bars = [charts.Bar(_("Mean (unweighted)") if weighted else _("Mean"), result.mean.mean)]
    if weighted and result.weighted_mean:
        bars.insert(0, charts.Bar(_("Mean (weighted)"), result.weighted_mean.mean))
    maximum = float(question.scale_max) if question.kind == QuestionKind.LIKERT else None
    return {
        "means": [_mean_row(_("All respondents"), result.mean, result.weighted_mean, changes.get("mean"))],
        "chart": charts.bar_chart(bars, title=_("Mean answer"), max_value=maximum),
        "n": result.mean.n,
    }


def _matrix_block(question, result, weighted: bool) -> dict:
    columns = [option for option in question.options.all() if not option.is_row]
    rows = []
    for row in (option for option in question.options.all() if option.is_row):
        table = result.matrix.get(row.code)
        if table is None:
            continue
        cells = {r.option: (r.weighted_percent if weighted else r.percent) for r in table.rows}
        rows.append({"label": row.label, "cells": [cells.get(c.code, 0.0) for c in columns], "n": table.n})
    return {"columns": [c.label for c in columns], "matrix_rows": rows}


def _ranking_block(question, result, weighted: bool) -> dict:
    labels = {option.code: option.label for option in question.options.all() if not option.is_row}
    means = [_mean_row(_label(code, labels), estimate) for code, estimate in result.ranks.items()]
    means.sort(key=lambda row: row["mean"].mean if row["mean"].mean is not None else 1e9)
    chart = charts.bar_chart(
        [charts.Bar(row["label"], row["mean"].mean) for row in means],
        title=_("Mean rank (1 = ranked first)"),
    )
    return {"means": means, "chart": chart}


def _blocks(campaign, computed, earlier) -> dict:
    """Every question's tables and charts rendered in the active language, cached with the results.

    Rendering forty questions' tables and SVG charts costs far more than the rest of the page,
    so the rendered fragment is what is kept: a page once computed only fills in its frame.
    """
    parts = [computed.key, get_language(), earlier.key if earlier else ""]
    return cached_value(
        "diagnosis-results-blocks",
        parts,
        lambda: _render_blocks(campaign, computed, earlier),
        seconds=results.CACHE_SECONDS,
    )


def _render_blocks(campaign, computed, earlier) -> dict:
    questions = results.campaign_questions(campaign)
    weighted = bool(computed.weighting and computed.weighting.applied)
    changes = results.compare_waves(earlier, computed) if earlier else {}
    blocks = []
    for question in questions:
        result = computed.questions.get(question.code)
        if result is None:
            continue
        block = {
            "code": question.code,
            "text": question.text,
            "kind": question.kind,
            "kind_label": question.get_kind_display(),
            "is_profile": question.is_profile,
            "answered": result.answered,
            "section": question.section.title,
        }
        if result.frequencies is not None:
            block.update(_choice_block(question, result, weighted, changes.get(question.code, {})))
        elif result.mean is not None:
            block.update(_scale_block(question, result, weighted, changes.get(question.code, {})))
        elif result.matrix:
            block.update(_matrix_block(question, result, weighted))
        elif result.ranks:
            block.update(_ranking_block(question, result, weighted))
        blocks.append(block)
    page = {
        "questions_html": render_to_string(
            "diagnosis/results/questions.html",
            {"blocks": blocks, "campaign": campaign, "weighted": weighted, "earlier": earlier},
        ),
        "profiles": [(q.code, q.text) for q in questions if q.is_profile and q.kind == QuestionKind.SINGLE_CHOICE],
        "crossable": [
            (q.code, q.text)
            for q in questions
            if q.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE) and not q.is_profile
        ],
        "margin_labels": _margin_labels(questions),
    }
    return page


def _margin_labels(questions) -> dict[str, str]:
    """Option code → label of the profile questions, for the weighting table."""
    return {
        option.code: option.label for question in questions if question.is_profile for option in question.options.all()
    }


def _profile_label(kind: str) -> str:
    return str(ProfileKind(kind).label) if kind in ProfileKind.values else kind


def _margin_checks(weighting, labels: dict[str, str]) -> list[dict]:
    """The weighting table's rows with readable categories ("18–29 · Female") and percentages."""
    if not weighting or not weighting.applied:
        return []
    return [
        {
            "margin": " × ".join(_profile_label(part) for part in check.margin.split("|")),
            "category": " · ".join(labels.get(part, part) for part in check.category.split("|")),
            "population": 100 * check.population,
            "sample": 100 * check.sample,
            "weighted": 100 * check.weighted,
        }
        for check in weighting.checks
    ]


def _crosstab(request, campaign, page) -> dict | None:
    code, by = request.GET.get("crosstab"), request.GET.get("by")
    if not code or not by:
        return None
    questions = {q.code: q for q in results.campaign_questions(campaign)}
    question, profile = questions.get(code), questions.get(by)
    if question is None or profile is None or not profile.is_profile:
        return {"error": _("Choose a question and a profile question of this questionnaire.")}
    table = results.crosstab_results(campaign, question, profile)
    row_labels = {option.code: option.label for option in question.options.all()}
    column_labels = {option.code: option.label for option in profile.options.all()}
    return {
        "question": question.text,
        "profile": profile.text,
        "columns": [
            {"label": column_labels.get(c, c), "few": few}
            for c, few in zip(table.column_options, table.few_respondents, strict=True)
        ],
        "few_respondents": any(table.few_respondents),
        "few_threshold": analysis.FEW_RESPONDENTS,
        "column_totals": table.column_totals,
        "rows": [
            {
                "label": _label(option, row_labels),
                "cells": list(zip(table.counts[i], table.column_percent[i], strict=True)),
            }
            for i, option in enumerate(table.row_options)
        ],
        "table": table,
        "column_totals_flagged": list(zip(table.column_totals, table.few_respondents, strict=True)),
        "p_text": ""
        if table.p_value is None
        else ("< " + number_format(0.0001, 4) if table.p_value < 0.0001 else "= " + number_format(table.p_value, 4)),
    }


# The page's body (everything but the site frame) is kept this long; its key carries the results'
# version and the campaign's last change, so this only bounds how long a renamed organisation shows.
BODY_SECONDS = 300


def campaign_results_page(request, slug):
    """A campaign's results: figures computed from every response (aggregates only), not an object's
    edit page; for the owner's editors and those of the organisation its results are published to."""
    campaign = _campaign(request, slug)
    key = results.results_key(campaign)
    flags = {
        "can_export_responses": request.user.has_perm("diagnosis.view_response", campaign),
        "can_set_margins": request.user.has_perm("diagnosis.change_campaign", campaign),
    }
    compare = bool(campaign.wave_of_id) and request.user.has_perm("diagnosis.view_results", campaign.wave_of)
    earlier_key = results.results_key(campaign.wave_of) if compare else ""
    # The whole body of a page whose results are current, without a cross-tab asked for, is the
    # same for everyone with the same rights: kept rendered, a request only fills in the frame.
    plain = not (request.GET.get("crosstab") or request.GET.get("by"))
    rendered: dict[str, bool] = {}

    def render_body() -> str:
        state = results.campaign_results_page(campaign, key=key)
        earlier = results.campaign_results_page(campaign.wave_of).results if compare and state.results else None
        rendered["current"] = state.current
        return render_to_string(
            "diagnosis/results/campaign_results_body.html", _body_context(request, campaign, state, earlier, flags)
        )

    if plain:
        parts = [key, get_language(), earlier_key, campaign.updated_at.isoformat(), *map(int, flags.values())]
        body = shared_fragment(
            "diagnosis-results", parts, render_body, seconds=BODY_SECONDS, keep=lambda: rendered["current"]
        )
    else:
        body = render_body()
    return render(request, "diagnosis/results/campaign_results.html", {"campaign": campaign, "body": body})


def _body_context(request, campaign, state, earlier, flags) -> dict:
    computed = state.results
    page = _blocks(campaign, computed, earlier) if computed is not None else {}
    weighting = computed.weighting if computed is not None else None
    return {
        "request": request,
        "campaign": campaign,
        "state": state,
        "computed": computed,
        "computed_at": dt.datetime.fromtimestamp(computed.computed_at, tz=dt.UTC) if computed is not None else None,
        "weighting": weighting,
        "margin_checks": _margin_checks(weighting, page.get("margin_labels", {})),
        "weighted": bool(weighting and weighting.applied),
        "earlier": campaign.wave_of if earlier else None,
        "crosstab": _crosstab(request, campaign, page) if computed is not None else None,
        **flags,
        **page,
    }


def text_answers_page(request, slug, code):
    """The free-text answers of one question, searched and paged (no respondent is shown)."""
    campaign = _campaign(request, slug)
    question = next(
        (
            q
            for q in results.campaign_questions(campaign)
            if q.code == code and (q.kind == QuestionKind.TEXT or q.allow_other)
        ),
        None,
    )
    if question is None:
        raise Http404
    search = request.GET.get("q", "").strip()[:200]
    page = paginate(request, results.text_answers(campaign, question, search=search), TEXT_PAGE_SIZE)
    return render(
        request,
        "diagnosis/results/text_answers.html",
        {"campaign": campaign, "question": question, "page": page, "search": search},
    )


def _results_rows(campaign, computed, questions):
    """One row per question and answer: the figures of the results page, for a spreadsheet."""
    for question in questions:
        result = computed.questions.get(question.code)
        if result is None:
            continue
        labels = {option.code: option.label for option in question.options.all()}
        if result.frequencies is not None:
            table = result.frequencies
            for row in table.rows:
                interval = table.interval(row)
                yield [question.code, question.text, _label(row.option, labels), row.count, round(row.percent, 2),
                       round(row.weighted_percent, 2), "", _round(interval.low), _round(interval.high),
                       round(table.n_eff, 1), "", ""]  # fmt: skip
        for name, estimate in (("mean", result.mean), ("weighted mean", result.weighted_mean)):
            if estimate is not None and estimate.mean is not None:
                yield [question.code, question.text, name, estimate.n, "", "", round(estimate.mean, 4),
                       _round(estimate.low), _round(estimate.high), round(estimate.n_eff, 1),
                       _round(estimate.median), ""]  # fmt: skip
        for code, estimate in result.ranks.items():
            yield [question.code, question.text, _label(code, labels), estimate.n, "", "", "", "", "", "", "",
                   _round(estimate.mean)]  # fmt: skip
        for row_code, table in result.matrix.items():
            for row in table.rows:
                label = f"{labels.get(row_code, row_code)}: {_label(row.option, labels)}"
                yield [question.code, question.text, label, row.count, round(row.percent, 2),
                       round(row.weighted_percent, 2), "", "", "", "", "", ""]  # fmt: skip
        if question.kind == QuestionKind.TEXT:
            yield [
                question.code,
                question.text,
                _("free-text answers"),
                result.answered,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ]


def _round(value):
    return "" if value is None else round(value, 4)


RESULTS_HEADER = ["question", "text", "answer", "respondents", "percent", "weighted percent", "mean", "CI low",
                  "CI high", "effective n", "median", "mean rank"]  # fmt: skip


def export_results(request, slug, fmt):
    """The results page's figures as CSV or XLSX (core.exports)."""
    campaign = _campaign(request, slug)
    computed = results.campaign_results(campaign)
    questions = results.campaign_questions(campaign)
    rows = _results_rows(campaign, computed, questions)
    filename = f"{campaign.slug}-results.{fmt}"
    if fmt == "xlsx":
        return exports.xlsx_response([(_("Results"), RESULTS_HEADER, rows)], filename=filename)
    return exports.csv_response(RESULTS_HEADER, rows, filename=filename)


def export_responses(request, slug, fmt):
    """One row per response, with its weight, as CSV or XLSX (core.exports); `view_response` only."""
    campaign = _campaign(request, slug, "diagnosis.view_response")
    questions = results.campaign_questions(campaign)
    header = ["response", "day", "language", "weight", *[q.code for q in questions]]
    computed = results.campaign_results(campaign)
    rows = results.response_export_rows(campaign, questions, computed.weighting)
    filename = f"{campaign.slug}-responses.{fmt}"
    if fmt == "xlsx":
        return exports.xlsx_response([(_("Responses"), header, rows)], filename=filename)
    return exports.csv_response(header, rows, filename=filename)


# --- Population margins


class CampaignMarginsView(EditorView):
    """The population shares a campaign's sample is weighted to, one field per profile option: a form
    built from the questionnaire's profile questions and written by `campaign_margins_update`, not
    the campaign's edit page."""

    permission = "diagnosis.change_campaign"
    template_name = "diagnosis/results/campaign_margins.html"

    def load(self, slug):
        self.campaign = campaign_get(self.request.user, slug=slug)
        return self.campaign

    def get_form(self, data=None):
        return forms.CampaignMarginsForm(
            data,
            questions=results.profile_questions(self.campaign),
            margins=results.campaign_margins(self.campaign),
        )

    def render_form(self, form, status: int = 200):
        return render(
            self.request,
            self.template_name,
            {"campaign": self.campaign, "form": form, "groups": form.group_rows()},
            status=status,
        )

    def get(self, request, *args, **kwargs):
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                services.campaign_margins_update(
                    acting_user=request.user, campaign=self.campaign, margins=form.margins()
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("Population margins saved; the results are weighted to them."))
                return HttpResponseRedirect(reverse("diagnosis-results:campaign", kwargs={"slug": self.campaign.slug}))
        return self.render_form(form, status=400)


# --- Digital maturity


def profile_radar_charts(profiles, names: list[str]) -> list[dict]:
    """One small radar chart per maturity profile (a department or a member council), with its profile."""
    return [
        {
            "profile": profile,
            "chart": charts.radar_chart(
                [charts.Profile(profile.name, profile.scores)],
                dimensions=names,
                title=_("Digital maturity of %(name)s") % {"name": profile.name},
                width=300,
            ),
        }
        for profile in profiles
    ]


def _dimension_names(dimensions) -> list[str]:
    return [dimension.name for dimension in dimensions]


def maturity_council_page(request, slug):
    """A council's maturity profile (the mean of its departments' latest self-assessments): a report."""
    organization = organization_find(slug=slug)
    require_perm(request, "diagnosis.view_maturity", organization)
    dimensions, departments, council = results.council_maturity(organization)
    names = _dimension_names(dimensions)
    council_chart = None
    if council is not None:
        council_chart = charts.radar_chart(
            [charts.Profile(council.name, council.scores)],
            dimensions=names,
            title=_("Digital maturity profile of %(name)s (mean of its departments)") % {"name": organization},
        )
    department_charts = [
        {
            "profile": profile,
            "chart": charts.radar_chart(
                [charts.Profile(profile.name, profile.scores)],
                dimensions=names,
                title=_("Digital maturity of %(name)s") % {"name": profile.name},
                width=320,
            ),
        }
        for profile in departments
    ]
    return render(
        request,
        "diagnosis/results/maturity_council.html",
        {
            "organization": organization,
            "dimensions": dimensions,
            "council": council,
            "council_rows": list(zip(dimensions, council.scores, strict=True)) if council else [],
            "council_chart": council_chart,
            "departments": department_charts,
        },
    )


def maturity_network_page(request, slug):
    """Every member council's maturity profile side by side: a report."""
    network = organization_find(slug=slug, kind=OrganizationKind.NETWORK)
    require_perm(request, "diagnosis.view_maturity", network)
    dimensions, profiles = results.network_maturity(network)
    names = _dimension_names(dimensions)
    return render(
        request,
        "diagnosis/results/maturity_network.html",
        {
            "network": network,
            "dimensions": dimensions,
            "profiles": profiles,
            "charts": profile_radar_charts(profiles, names),
            "now": timezone.now(),
        },
    )
