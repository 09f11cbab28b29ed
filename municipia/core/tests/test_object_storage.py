"""Files in S3-compatible object storage (django-storages), so web hosts and workers share no disk.

A local S3 server (moto's) stands in for the provider; the product is configured the way a
deployment is (S3_BUCKET, S3_ENDPOINT_URL and boto3's credentials from the environment). A report
job's file and an agreement's uploaded document go to the bucket, nothing to MEDIA_ROOT, and
come back through the product's permission-checked downloads.
"""

import io
import socket

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from municipia import settings as project_settings
from municipia.organizations.tests.factories import RoleFactory, UserFactory
from municipia.partnerships.models import AgreementDocument
from municipia.partnerships.tests.factories import PDF_BYTES, AgreementFactory
from municipia.reports.choices import JobStatus
from municipia.reports.models import ReportJob
from municipia.strategy.tests.factories import ActionFactory, AxisFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db

BUCKET = "municipia-files"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local-key", "AWS_SECRET_ACCESS_KEY": "local-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, monkeypatch, settings, tmp_path):
    """The product configured from the environment as a deployment is, against an empty bucket."""
    for name, value in {**CREDENTIALS, "S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": s3_endpoint}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("S3_REGION", "eu-west-1")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-west-1", **_keys())
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    settings.MEDIA_ROOT = tmp_path
    storages = {**settings.STORAGES, "default": project_settings.file_storage()}
    with override_settings(STORAGES=storages):
        yield client
    keys = [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    for key in keys:
        client.delete_object(Bucket=BUCKET, Key=key)
    client.delete_bucket(Bucket=BUCKET)


def _keys() -> dict:
    return {
        "aws_access_key_id": CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    }


def _objects(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_without_a_bucket_files_stay_in_media_root(monkeypatch):
    monkeypatch.delenv("S3_BUCKET", raising=False)
    assert project_settings.file_storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_report_job_is_written_to_the_bucket_and_served_from_it(
    client, bucket, settings, tmp_path, django_capture_on_commit_callbacks
):
    assert default_storage.bucket_name == BUCKET  # the storage the environment configured
    settings.REDIS_URL = "redis://broker.invalid:6379/0"  # the page offers a job (run in-process here)
    plan = PlanFactory(title_en="Smart City plan of Jerez")
    ActionFactory(
        objective=ObjectiveFactory(axis=AxisFactory(plan=plan, code="1"), code="1.1"), title_en="Open data portal"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:plan-status-job", args=[plan.slug]), {"format": "xlsx"})
    job = ReportJob.objects.get()
    assert job.status == JobStatus.DONE, job.error
    assert _objects(bucket) == [job.file.name]
    assert list(tmp_path.iterdir()) == []  # nothing on the host's disk

    response = client.get(reverse("reports:job-download", args=[job.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [row[2] for row in workbook["Actions"].iter_rows(min_row=2, values_only=True)] == ["Open data portal"]


def test_an_uploaded_document_goes_to_the_bucket_and_downloads_only_for_its_readers(client, bucket, tmp_path):
    role = RoleFactory()
    agreement = AgreementFactory(owner=role.organization, is_public=False)
    client.force_login(role.user)
    upload = SimpleUploadedFile("memorandum.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        reverse("partnerships:agreementdocument-create", args=[agreement.slug]), {"title": "Signed", "file": upload}
    )
    assert response.status_code == 302
    document = AgreementDocument.objects.get()
    assert _objects(bucket) == [document.file.name]
    assert bucket.get_object(Bucket=BUCKET, Key=document.file.name)["Body"].read() == PDF_BYTES
    assert list(tmp_path.iterdir()) == []

    download = client.get(document.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    client.force_login(UserFactory())
    assert client.get(document.get_absolute_url()).status_code == 404
