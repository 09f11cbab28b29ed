"""Open-data exports, StratML, status reports (PDF, XLSX), plan status jobs and the streamed API exports.

The network benchmarking report is tested in test_benchmark_report.py, jobs and their
permissions in test_jobs.py.
"""

import csv
import datetime as dt
import io
import json
import tracemalloc
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from lxml import etree
from openpyxl import load_workbook
from pypdf import PdfReader

from municipia.indicators.tests.factories import IndicatorFactory, ObservationFactory, TargetFactory
from municipia.organizations.tests.factories import OrganizationFactory, UserFactory
from municipia.reports.choices import JobStatus
from municipia.reports.models import ReportJob
from municipia.reports.selectors import plan_action_records
from municipia.reports.stratml import plan_document, schema
from municipia.strategy.models import Action
from municipia.strategy.tests.factories import ActionFactory, AxisFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(f"reports:{name}", args=args)


def pdf_text(content: bytes) -> str:
    # Words only: the PDF wraps long titles over lines.
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


@pytest.fixture
def plan_with_content():
    plan = PlanFactory(
        title_en="Digital agenda of the municipalities of Catalonia",
        title_ca="Agenda digital dels municipis de Catalunya: col·laboració",
        title_bg="Цифрова агенда на София",
        summary_en="A shared agenda.",
    )
    councils = OrganizationFactory.create_batch(2)
    for axis_number in range(3):
        axis = AxisFactory(plan=plan, code=str(axis_number + 1))
        objective = ObjectiveFactory(axis=axis, code=f"{axis_number + 1}.1")
        for n in range(4):
            action = ActionFactory(objective=objective, code=f"{axis_number + 1}.1.{n + 1}")
            action.participants.set(councils)
    indicator = IndicatorFactory(owner_organization=plan.owner, unit="%")
    indicator.objectives.add(plan.axes.first().objectives.first())
    TargetFactory(indicator=indicator, year=2026, value=Decimal("80"))
    ObservationFactory(indicator=indicator, organization=plan.owner, date=dt.date(2024, 6, 30), value=Decimal("55"))
    ObservationFactory(indicator=indicator, organization=plan.owner, date=dt.date(2025, 6, 30), value=Decimal("61.5"))
    return plan


# --- Open data


def test_csv_export_lists_every_action_with_its_codes_and_councils(client, plan_with_content):
    response = client.get(url("plan-export", plan_with_content.slug, "csv"))
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["plan", "plan title", "axis code"]
    assert len(rows) == 1 + 12
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["axis code"] == "1"
    assert first["action code"] == "1.1.1"
    assert first["participating councils"].count(";") == 1


def test_csv_export_neutralises_formula_titles(client, plan_with_content):
    Action.objects.filter(code="1.1.1").update(title_en='=HYPERLINK("http://evil")')
    text = b"".join(client.get(url("plan-export", plan_with_content.slug, "csv")).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_csv_export_titles_follow_the_request_language(client, plan_with_content):
    response = client.get(url("plan-export", plan_with_content.slug, "csv", lang="bg"))
    assert "Цифрова агенда на София" in b"".join(response.streaming_content).decode("utf-8-sig")


def test_json_export_is_one_object_with_the_plan_and_its_actions(client, plan_with_content):
    response = client.get(url("plan-export", plan_with_content.slug, "json"))
    body = json.loads(b"".join(response.streaming_content))
    assert body["plan"] == plan_with_content.slug
    assert len(body["actions"]) == 12
    assert body["actions"][0]["budget"] == "10000.00"
    assert len(body["actions"][0]["participating_councils"]) == 2


def test_xlsx_export_opens_and_neutralises_formulas(client, plan_with_content):
    Action.objects.filter(code="1.1.2").update(title_en="@SUM(1+1)")
    response = client.get(url("plan-export", plan_with_content.slug, "xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 13
    assert "'@SUM(1+1)" in [row[7] for row in rows]
    assert rows[1][10] == 40  # progress stays a number (after the reported and the computed status)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "xml"])
def test_unpublished_plan_is_not_found_for_the_public(client, fmt):
    plan = PlanFactory(is_published=False)
    assert client.get(url("plan-export", plan.slug, fmt)).status_code == 404


def test_unpublished_plan_is_exported_for_its_owners_editor(client):
    from municipia.organizations.choices import RoleKind
    from municipia.organizations.models import Role

    plan = PlanFactory(is_published=False)
    user = UserFactory()
    Role.objects.create(user=user, organization=plan.owner, kind=RoleKind.EDITOR)
    client.force_login(user)
    assert client.get(url("plan-export", plan.slug, "json")).status_code == 200


def test_csv_export_reads_actions_with_an_iterator_in_fixed_queries(
    client, plan_with_content, django_assert_max_num_queries
):
    # plan_get, the actions, the councils and the partner organisations of the one chunk.
    with django_assert_max_num_queries(4):
        response = client.get(url("plan-export", plan_with_content.slug, "csv"))
        b"".join(response.streaming_content)


def test_json_and_xml_exports_use_fixed_queries(client, plan_with_content, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # plan_get, the actions, councils and partners of the one chunk
        b"".join(client.get(url("plan-export", plan_with_content.slug, "json")).streaming_content)
    # plan_get, two link tables, indicators, organisations, targets, observations, axes, objectives.
    with django_assert_max_num_queries(9):
        client.get(url("plan-export", plan_with_content.slug, "xml"))


def _peak_bytes_of_export(plan) -> int:
    tracemalloc.start()
    try:
        for _record in plan_action_records(plan, chunk_size=200):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _bulk_actions(plan, count: int, start: int = 0) -> None:
    objective = ObjectiveFactory(axis=AxisFactory(plan=plan))
    Action.objects.bulk_create(
        Action(plan=plan, objective=objective, code=f"B{n}", title_en=f"Bulk action {n}", progress=10)
        for n in range(start, start + count)
    )


def test_export_memory_does_not_grow_with_the_number_of_actions():
    plan = PlanFactory()
    _bulk_actions(plan, 1000)
    small = _peak_bytes_of_export(plan)
    _bulk_actions(plan, 9000, start=1000)
    large = _peak_bytes_of_export(plan)
    # Ten times the rows, about the same peak: rows are read a chunk at a time.
    assert large < small * 1.5 + 200_000


def test_csv_export_is_consumed_lazily(client):
    plan = PlanFactory()
    _bulk_actions(plan, 50)
    response = client.get(url("plan-export", plan.slug, "csv"))
    chunks = iter(response.streaming_content)
    assert b"plan" in next(chunks)  # the header comes before any action is read


# --- StratML


def test_stratml_export_is_valid_against_the_iso_schema(client, plan_with_content):
    response = client.get(url("plan-export", plan_with_content.slug, "xml"))
    assert response.status_code == 200
    document = etree.fromstring(response.content)
    schema().assertValid(document)
    ns = {"s": "urn:ISO:std:iso:17469:tech:xsd:PerformancePlanOrReport"}
    assert len(document.findall(".//s:Goal", ns)) == 3
    indicator = document.find(".//s:PerformanceIndicator", ns)
    assert indicator.find("s:UnitOfMeasurement", ns).text == "%"
    assert indicator.find(".//s:TargetResult/s:NumberOfUnits", ns).text == "80"
    actuals = [e.text for e in indicator.findall(".//s:ActualResult/s:NumberOfUnits", ns)]
    assert actuals == ["55", "61.5"]


def test_stratml_of_an_empty_plan_without_indicators_is_still_valid():
    plan = PlanFactory(title_bg="План без оси")
    with translation.override("bg"):
        document = plan_document(UserFactory(), plan)
    schema().assertValid(document)


def test_stratml_of_a_plan_with_axes_but_no_indicators_is_valid(client):
    objective = ObjectiveFactory()
    ActionFactory(objective=objective)
    response = client.get(url("plan-export", objective.axis.plan.slug, "xml"))
    schema().assertValid(etree.fromstring(response.content))


def test_stratml_leaves_out_private_indicators_for_the_public(client, plan_with_content):
    private = IndicatorFactory(is_public=False, name_en="Secret indicator")
    private.objectives.add(plan_with_content.axes.first().objectives.first())
    response = client.get(url("plan-export", plan_with_content.slug, "xml"))
    assert b"Secret indicator" not in response.content


# --- Status report


def test_status_pdf_has_the_plan_title_in_bulgarian_and_in_catalan(client, plan_with_content):
    bulgarian = client.get(url("plan-status-report", plan_with_content.slug, "pdf", lang="bg"))
    assert bulgarian.status_code == 200
    assert bulgarian["Content-Type"] == "application/pdf"
    assert "Цифрова агенда на София" in pdf_text(bulgarian.content)
    catalan = client.get(url("plan-status-report", plan_with_content.slug, "pdf", lang="ca"))
    text = pdf_text(catalan.content)
    assert "Agenda digital dels municipis de Catalunya" in text
    assert "col·laboració" in text


def test_status_pdf_of_an_empty_plan_is_a_valid_pdf(client):
    plan = PlanFactory(title_en="Empty plan")
    response = client.get(url("plan-status-report", plan.slug, "pdf"))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 1
    assert "Empty plan" in pdf_text(response.content)


def test_status_pdf_lists_the_actions_and_indicators(client, plan_with_content):
    text = pdf_text(client.get(url("plan-status-report", plan_with_content.slug, "pdf")).content)
    assert "1.1.1" in text
    assert "61.5" in text


def test_status_xlsx_has_a_tab_per_part_and_neutralised_cells(client, plan_with_content):
    Action.objects.filter(code="2.1.1").update(title_en="+cmd")
    response = client.get(url("plan-status-report", plan_with_content.slug, "xlsx"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Summary", "Axes", "By status", "Actions", "Indicators"]
    titles = [row[2] for row in workbook["Actions"].iter_rows(min_row=2, values_only=True)]
    assert "'+cmd" in titles
    assert len(titles) == 12


def test_status_report_of_an_unpublished_plan_is_not_found_for_the_public(client):
    plan = PlanFactory(is_published=False)
    assert client.get(url("plan-status-report", plan.slug, "pdf")).status_code == 404


def test_status_report_queries_do_not_grow_with_the_plan(client, plan_with_content, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        client.get(url("plan-status-report", plan_with_content.slug, "xlsx"))


def test_external_urls_are_never_fetched_when_rendering():
    from municipia.reports.pdf import StaticOnlyFetcher

    fetcher = StaticOnlyFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("http://example.com/logo.png")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")


# --- Background jobs


@override_settings(REDIS_URL="redis://broker.invalid:6379/0")
def test_with_a_broker_the_pdf_is_prepared_by_a_job(
    client, plan_with_content, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    page = client.get(url("plan-status-report", plan_with_content.slug, "pdf"))
    assert page.status_code == 200
    assert b"status-jobs" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("plan-status-job", plan_with_content.slug, lang="ca"))
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert job.status == JobStatus.DONE
    assert job.language == "ca"
    detail = client.get(url("job-detail", job.pk, lang="ca"))
    assert "Refresh" not in detail
    download = client.get(url("job-download", job.pk))
    assert "col·laboració" in pdf_text(b"".join(download.streaming_content))


def test_a_pending_job_page_refreshes_itself(client, plan_with_content):
    job = ReportJob.objects.create(plan=plan_with_content, kind="plan_status_pdf", language="en")
    response = client.get(url("job-detail", job.pk))
    assert response["Refresh"] == "3"


def test_job_of_an_unpublished_plan_is_not_found_for_the_public(client):
    job = ReportJob.objects.create(plan=PlanFactory(is_published=False), kind="plan_status_pdf", language="en")
    assert client.get(url("job-detail", job.pk)).status_code == 404


# --- API exports


def test_observations_export_streams_csv_filtered_by_indicator(client, plan_with_content):
    indicator = IndicatorFactory()
    ObservationFactory.create_batch(3, indicator=indicator, note="=cmd")
    ObservationFactory()
    response = client.get(f"/api/v1/observation-exports.csv?indicator={indicator.pk}")
    assert response.status_code == 200
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["id", "indicator", "indicator_code", "organization", "date", "value", "source", "note"]
    assert len(rows) == 4
    assert {row[7] for row in rows[1:]} == {"'=cmd"}


def test_observations_export_as_json(client):
    observation = ObservationFactory(value=Decimal("12.5"))
    response = client.get(f"/api/v1/observation-exports.json?indicator={observation.indicator_id}")
    body = json.loads(b"".join(response.streaming_content))
    assert body[0]["value"] == "12.500000"


def test_observations_export_with_a_bad_filter_is_a_400(client):
    response = client.get("/api/v1/observation-exports.csv?date_after=notadate")
    assert response.status_code == 400


def test_indicator_export_hides_private_indicators(client):
    IndicatorFactory(code="PUB-1")
    IndicatorFactory(code="PRIV-1", is_public=False)
    response = client.get("/api/v1/indicator-exports.json")
    codes = [row["code"] for row in json.loads(b"".join(response.streaming_content))]
    assert codes == ["PUB-1"]


def test_observation_export_uses_fixed_queries(client, django_assert_max_num_queries):
    ObservationFactory.create_batch(30)
    with django_assert_max_num_queries(2):
        b"".join(client.get("/api/v1/observation-exports.csv").streaming_content)


def test_every_pdf_draws_chart_labels_without_the_halo_weasyprint_would_paint_over_them():
    from municipia.core import charts
    from municipia.reports.pdf import html_to_pdf, printable

    svg = charts.bar_chart([charts.Bar(label="Axis 1", value=40)], title="Progress", description="Progress by axis")
    assert charts.HALO in str(svg)  # the page keeps it
    html = f"<html><body>{svg}</body></html>"
    assert charts.HALO not in printable(html) and "Axis 1" in printable(html)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(html_to_pdf(html))).pages)
    assert "Axis 1" in text


def test_a_field_declared_for_export_in_the_entity_becomes_a_column(client, plan_with_content, monkeypatch):
    """The exports read their columns from the action entity: declaring a field there is enough."""
    import dataclasses

    from municipia.reports import selectors
    from municipia.strategy.entities import ACTION

    exported = dataclasses.replace(ACTION, export_fields=(*ACTION.columns("export"), "weight"))
    monkeypatch.setattr(selectors, "ACTION", exported)
    Action.objects.filter(plan=plan_with_content).update(weight=Decimal("2.50"))
    response = client.get(url("plan-export", plan_with_content.slug, "csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][-1] == "weight"
    assert {row[-1] for row in rows[1:]} == {"2.50"}
