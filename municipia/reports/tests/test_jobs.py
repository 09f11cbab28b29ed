"""Report jobs: the status report (PDF, XLSX) and the benchmarking report (PDF) prepared in the background.

With REDIS_URL set the report pages offer a job; without it the task runs in-process once the
request's transaction commits, so these tests see a job created, run and served. A job's file
is served only to whoever may see its subject, and a job asked for by a signed-in user (which
may hold private content) only to that user and site admins.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from municipia.indicators.tests.factories import IndicatorFactory, ObservationFactory
from municipia.organizations.tests.factories import (
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)
from municipia.reports import services
from municipia.reports.choices import JobStatus, ReportKind
from municipia.reports.models import ReportJob
from municipia.strategy.tests.factories import ActionFactory, AxisFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db

BROKER = override_settings(REDIS_URL="redis://broker.invalid:6379/0")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(f"reports:{name}", args=args)


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def download(client, job) -> bytes:
    response = client.get(url("job-download", job.pk))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def plan():
    plan = PlanFactory(title_en="Smart City plan of Jerez", title_ca="Pla Smart City: col·laboració")
    objective = ObjectiveFactory(axis=AxisFactory(plan=plan, code="1"), code="1.1")
    ActionFactory(objective=objective, code="1.1.1", title_en="Open data portal")
    return plan


@pytest.fixture
def network():
    network = NetworkFactory(name_en="Xarxa de municipis digitals", slug="xarxa")
    indicator = IndicatorFactory(owner_organization=network, code="ADC-01", name_en="Online procedures")
    for name, slug, value in (("Sant Adrià de Besòs", "sant-adria", "52"), ("Tremp", "tremp", "45")):
        council = OrganizationFactory(name_en=name, slug=slug)
        NetworkMembershipFactory(network=network, member=council)
        ObservationFactory(indicator=indicator, organization=council, date=dt.date(2025, 1, 1), value=Decimal(value))
    return network, indicator


# --- Asking for a job and getting its file


@BROKER
def test_with_a_broker_the_benchmark_pdf_is_prepared_by_a_job(client, network, django_capture_on_commit_callbacks):
    network, indicator = network
    page = client.get(url("network-benchmark", network.slug, "pdf") + f"?indicator={indicator.pk}&council=tremp")
    assert page.status_code == 200
    body = page.content.decode()
    assert url("network-benchmark-job", network.slug) in body
    assert f'name="indicator" value="{indicator.pk}"' in body
    assert 'name="council" value="tremp"' in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("network-benchmark-job", network.slug, lang="ca"), {"indicator": indicator.pk, "council": "tremp"}
        )
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert (job.kind, job.status, job.language) == (ReportKind.NETWORK_BENCHMARK_PDF, JobStatus.DONE, "ca")
    assert job.network == network and job.indicator == indicator and job.council.slug == "tremp"
    detail = client.get(url("job-detail", job.pk))
    assert "Refresh" not in detail
    assert "Xarxa de municipis digitals · ADC-01" in detail.content.decode()
    text = pdf_text(download(client, job))
    assert "Xarxa de municipis digitals" in text
    assert "Sant Adrià de Besòs" in text
    assert "Tremp" in text


@BROKER
def test_with_a_broker_the_status_xlsx_is_prepared_by_a_job(client, plan, django_capture_on_commit_callbacks):
    page = client.get(url("plan-status-report", plan.slug, "xlsx"))
    assert page.status_code == 200
    assert 'name="format" value="xlsx"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("plan-status-job", plan.slug), {"format": "xlsx"})
    job = ReportJob.objects.get()
    assert (job.kind, job.status) == (ReportKind.PLAN_STATUS_XLSX, JobStatus.DONE)
    assert job.file.name.endswith(".xlsx")
    response = client.get(url("job-download", job.pk))
    assert response["Content-Type"] == XLSX_TYPE
    sheets = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert sheets.sheetnames == ["Summary", "Axes", "By status", "Actions", "Indicators"]
    assert [row[2] for row in sheets["Actions"].iter_rows(min_row=2, values_only=True)] == ["Open data portal"]


@BROKER
def test_the_status_pdf_job_still_defaults_to_pdf(client, plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("plan-status-job", plan.slug, lang="ca"))
    job = ReportJob.objects.get()
    assert job.kind == ReportKind.PLAN_STATUS_PDF
    assert "col·laboració" in pdf_text(download(client, job))


def test_a_job_with_an_unknown_format_is_refused_and_nothing_is_recorded(client, plan):
    response = client.post(url("plan-status-job", plan.slug), {"format": "docx"})
    assert response.status_code == 400
    assert response.content.decode().startswith("format:")
    assert not ReportJob.objects.exists()


def test_a_benchmark_job_with_a_bad_council_is_refused_and_nothing_is_recorded(client, network):
    network, indicator = network
    response = client.post(url("network-benchmark-job", network.slug), {"indicator": indicator.pk, "council": "nope"})
    assert response.status_code == 400
    assert response.content.decode().startswith("council:")
    response = client.post(url("network-benchmark-job", network.slug), {"indicator": ""})
    assert response.status_code == 400
    assert not ReportJob.objects.exists()


def test_without_a_broker_the_job_runs_in_process_when_the_request_commits(network, django_capture_on_commit_callbacks):
    network, indicator = network
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = services.report_job_create(
            kind=ReportKind.NETWORK_BENCHMARK_PDF, language="en", acting_user=None, network=network, indicator=indicator
        )
        assert ReportJob.objects.get().status == JobStatus.PENDING
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.finished_at is not None
    assert job.file.name.endswith("xarxa-ADC-01-benchmark-en.pdf")


def test_a_benchmark_job_without_an_indicator_is_invalid(network):
    from django.core.exceptions import ValidationError

    network, _indicator = network
    with pytest.raises(ValidationError) as error:
        services.report_job_create(
            kind=ReportKind.NETWORK_BENCHMARK_PDF, language="en", acting_user=None, network=network
        )
    assert "indicator" in error.value.message_dict
    assert not ReportJob.objects.exists()


def test_the_database_refuses_a_plan_job_without_a_plan(network):
    from django.db import IntegrityError, transaction

    network, indicator = network
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportJob.objects.create(kind=ReportKind.PLAN_STATUS_XLSX, language="en", network=network, indicator=indicator)


def test_a_job_whose_indicator_became_private_fails_and_serves_nothing(client, network):
    network, indicator = network
    job = ReportJob.objects.create(
        kind=ReportKind.NETWORK_BENCHMARK_PDF, language="en", network=network, indicator=indicator
    )
    type(indicator).objects.filter(pk=indicator.pk).update(is_public=False)
    services.report_job_run(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error
    assert not job.file


# --- Who may see a job: role × subject


ROLES = ["anonymous", "plain user", "other council's editor", "owner's editor", "site admin"]


@pytest.fixture
def people():
    council = OrganizationFactory(slug="own-council", name_en="l'Hospitalet de Llobregat")
    return council, {
        "anonymous": None,
        "plain user": UserFactory(),
        "other council's editor": RoleFactory(organization=OrganizationFactory()).user,
        "owner's editor": RoleFactory(organization=council).user,
        "site admin": UserFactory(is_superuser=True, is_staff=True),
    }


def _finished(job: ReportJob) -> ReportJob:
    return services.report_job_run(job_id=str(job.pk))


def _jobs(council, users) -> dict:
    """One finished job per case; `requester` None means asked for anonymously."""
    network = NetworkFactory(slug="net")
    NetworkMembershipFactory(network=network, member=council)
    public = IndicatorFactory(owner_organization=council)
    private = IndicatorFactory(owner_organization=council, is_public=False)
    for indicator in (public, private):
        ObservationFactory(indicator=indicator, organization=council)
    published = PlanFactory(owner=council, is_published=True)
    unpublished = PlanFactory(owner=council, is_published=False)
    editor = users["owner's editor"]

    def benchmark(indicator, requester):
        return _finished(
            ReportJob.objects.create(
                kind=ReportKind.NETWORK_BENCHMARK_PDF,
                language="en",
                network=network,
                indicator=indicator,
                requested_by=requester,
            )
        )

    def status(plan, kind, requester):
        return _finished(ReportJob.objects.create(kind=kind, language="en", plan=plan, requested_by=requester))

    return {
        "public benchmark, asked anonymously": benchmark(public, None),
        "public benchmark, asked by the editor": benchmark(public, editor),
        "private benchmark, asked by the editor": benchmark(private, editor),
        "published plan xlsx, asked anonymously": status(published, ReportKind.PLAN_STATUS_XLSX, None),
        "published plan pdf, asked by the editor": status(published, ReportKind.PLAN_STATUS_PDF, editor),
        "unpublished plan xlsx, asked by the editor": status(unpublished, ReportKind.PLAN_STATUS_XLSX, editor),
    }


# case → roles that may see the job and download its file.
EVERYONE = set(ROLES)
REQUESTER = {"owner's editor", "site admin"}
JOB_MATRIX = {
    "public benchmark, asked anonymously": EVERYONE,
    "public benchmark, asked by the editor": REQUESTER,
    "private benchmark, asked by the editor": REQUESTER,
    "published plan xlsx, asked anonymously": EVERYONE,
    "published plan pdf, asked by the editor": REQUESTER,
    "unpublished plan xlsx, asked by the editor": REQUESTER,
}


@pytest.mark.parametrize("role", ROLES)
def test_job_page_and_file_by_role_and_subject(client, people, role):
    council, users = people
    jobs = _jobs(council, users)
    assert set(jobs) == set(JOB_MATRIX)
    if users[role] is not None:
        client.force_login(users[role])
    for case, job in jobs.items():
        assert job.status == JobStatus.DONE, (case, job.error)
        expected = 200 if role in JOB_MATRIX[case] else 404
        assert client.get(url("job-detail", job.pk)).status_code == expected, (case, role)
        response = client.get(url("job-download", job.pk))
        assert response.status_code == expected, (case, role)
        if expected == 200:
            assert response["Content-Type"] == job.content_type


# Job-creating routes × roles: who may ask for which job (the subject must be visible).
# name@subject → (url and data(subjects), who may); core/tests/test_route_matrix_coverage.py reads the names.
PAGE_ROUTES = {
    "network-benchmark-job@public": (
        lambda s: (url("network-benchmark-job", "net"), {"indicator": s["public"].pk}),
        EVERYONE,
    ),
    "network-benchmark-job@private": (
        lambda s: (url("network-benchmark-job", "net"), {"indicator": s["private"].pk}),
        REQUESTER,
    ),
    "plan-status-job@published": (
        lambda s: (url("plan-status-job", s["published"].slug), {"format": "xlsx"}),
        EVERYONE,
    ),
    "plan-status-job@unpublished": (
        lambda s: (url("plan-status-job", s["unpublished"].slug), {"format": "xlsx"}),
        REQUESTER,
    ),
}


@pytest.mark.parametrize("role", ROLES)
def test_asking_for_jobs_by_role(client, people, role, django_capture_on_commit_callbacks):
    council, users = people
    network = NetworkFactory(slug="net")
    NetworkMembershipFactory(network=network, member=council)
    subjects = {
        "private": IndicatorFactory(owner_organization=council, is_public=False),
        "public": IndicatorFactory(owner_organization=council),
        "unpublished": PlanFactory(owner=council, is_published=False),
        "published": PlanFactory(owner=council, is_published=True),
    }
    if users[role] is not None:
        client.force_login(users[role])
    for case, (request_of, allowed) in PAGE_ROUTES.items():
        route, data = request_of(subjects)
        before = ReportJob.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(route, data)
        if role in allowed:
            assert response.status_code == 302, (case, role)
            assert ReportJob.objects.count() == before + 1
            job = ReportJob.objects.order_by("-created_at").first()
            assert job.status == JobStatus.DONE, (case, job.error)
            # The one who asked may always follow the job.
            assert client.get(response["Location"]).status_code == 200
        else:
            assert response.status_code == 404, (case, role)
            assert ReportJob.objects.count() == before


def test_asking_for_a_job_needs_post(client, network):
    network, indicator = network
    response = client.get(url("network-benchmark-job", network.slug) + f"?indicator={indicator.pk}")
    assert response.status_code == 405


def test_job_page_queries_are_fixed(client, network, django_assert_max_num_queries):
    network, indicator = network
    job = ReportJob.objects.create(
        kind=ReportKind.NETWORK_BENCHMARK_PDF,
        language="en",
        network=network,
        indicator=indicator,
        council=network.members.first(),
    )
    with django_assert_max_num_queries(2):
        response = client.get(url("job-detail", job.pk))
    assert response.status_code == 200
    assert response["Refresh"] == "3"
