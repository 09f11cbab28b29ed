"""Bulk progress update from a file: template, preview with every bad row, all or nothing, API, history."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from municipia.organizations.tests.factories import RoleFactory
from municipia.strategy.models import Action
from municipia.strategy.tests.factories import ActionFactory, AxisFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_and_editor():
    plan = PlanFactory(slug="bulk-plan", period_start=dt.date(2020, 1, 1), period_end=dt.date(2035, 12, 31))
    objective = ObjectiveFactory(axis=AxisFactory(plan=plan, code="1"), code="1.1")
    for i in range(1, 5):
        ActionFactory(objective=objective, code=f"1.1.{i}", progress=10)
    editor = RoleFactory(organization=plan.owner).user
    return plan, editor


def upload(text: str, name: str = "progress.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def progress(plan):
    return dict(Action.objects.filter(plan=plan).values_list("code", "progress"))


def test_template_lists_every_action_in_csv_and_xlsx(client, plan_and_editor):
    plan, editor = plan_and_editor
    client.force_login(editor)
    response = client.get(reverse("strategy:plan-bulk-template", args=[plan.slug, "xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("code", "action", "progress (%)", "status")
    assert [row[0] for row in rows[1:]] == ["1.1.1", "1.1.2", "1.1.3", "1.1.4"]
    csv_text = b"".join(client.get(reverse("strategy:plan-bulk-template", args=[plan.slug, "csv"])).streaming_content)
    assert "1.1.4" in csv_text.decode("utf-8-sig")


def test_a_file_with_bad_rows_lists_every_one_and_changes_nothing(client, plan_and_editor):
    plan, editor = plan_and_editor
    client.force_login(editor)
    text = (
        "code,progress (%),status,comment\n"
        "1.1.1,50,in_progress,fine\n"
        "9.9.9,20,,\n"
        "1.1.2,150,,\n"
        "1.1.3,30,finished,\n"
        "1.1.1,60,,\n"
    )
    response = client.post(reverse("strategy:plan-progress-upload", args=[plan.slug]), {"file": upload(text)})
    assert response.status_code == 400
    errors = response.context["result"].errors
    assert [(row, column) for row, column, _m in errors] == [(3, "code"), (4, "progress"), (5, "status"), (6, "code")]
    html = response.content.decode()
    assert "9.9.9" in html and "nothing has been changed" in html
    assert set(progress(plan).values()) == {10}


def test_preview_then_apply_saves_all_with_the_upload_as_reason(client, plan_and_editor):
    plan, editor = plan_and_editor
    client.force_login(editor)
    url = reverse("strategy:plan-progress-upload", args=[plan.slug])
    text = "code;progress (%);status;comment\n1.1.1;50;in_progress;server bought\n1.1.2;100;Completed;\n1.1.3;10;;\n"
    preview = client.post(url, {"file": upload(text)})
    assert preview.status_code == 200
    assert [c.action.code for c in preview.context["result"].changes] == ["1.1.1", "1.1.2"]
    assert progress(plan)["1.1.1"] == 10  # a preview saves nothing
    applied = client.post(url, {"apply": "1"})
    assert applied.status_code == 302
    assert progress(plan) == {"1.1.1": 50, "1.1.2": 100, "1.1.3": 10, "1.1.4": 10}
    record = Action.history.filter(code="1.1.1").order_by("-history_date").first()
    assert record.history_user == editor
    assert "progress.csv" in record.history_change_reason and "server bought" in record.history_change_reason
    assert Action.objects.get(plan=plan, code="1.1.2").status == "completed"


def test_the_api_checks_and_applies_the_same_way(client, plan_and_editor):
    from rest_framework.test import APIClient

    plan, editor = plan_and_editor
    api = APIClient()
    api.force_authenticate(editor)
    url = f"/api/v1/plans/{plan.slug}/progress-update/"
    bad = api.post(url, {"file": upload("code,progress (%)\n1.1.1,40\n1.1.9,40\n")}, format="multipart")
    assert bad.status_code == 400
    assert bad.json()["errors"] == [{"row": 3, "column": "code", "message": "No action of this plan has code “1.1.9”."}]
    assert progress(plan)["1.1.1"] == 10
    dry = api.post(url, {"file": upload("code,progress (%)\n1.1.1,40\n"), "dry_run": True}, format="multipart")
    assert dry.status_code == 200 and dry.json()["applied"] is False
    assert progress(plan)["1.1.1"] == 10
    done = api.post(url, {"file": upload("code,progress (%)\n1.1.1,40\n")}, format="multipart")
    assert done.status_code == 200 and done.json()["applied"] is True
    assert progress(plan)["1.1.1"] == 40
    unreadable = api.post(url, {"file": upload("\xff", name="x.xlsx")}, format="multipart")
    assert unreadable.status_code == 400


def test_a_reader_without_the_right_cannot_upload(client, plan_and_editor):
    plan, _editor = plan_and_editor
    outsider = RoleFactory().user
    client.force_login(outsider)
    response = client.post(
        reverse("strategy:plan-progress-upload", args=[plan.slug]), {"file": upload("code,progress (%)\n1.1.1,90\n")}
    )
    assert response.status_code in (403, 404)
    assert progress(plan)["1.1.1"] == 10


def test_plan_page_offers_transitions_as_buttons_with_a_confirmation(client, plan_and_editor):
    from municipia.strategy.choices import PlanStatus

    plan, editor = plan_and_editor
    client.force_login(editor)
    html = client.get(reverse("strategy:plan-detail", args=[plan.slug])).content.decode()
    assert "<select" not in html.split('id="overview-heading"')[0]
    assert f"status/?to={PlanStatus.APPROVED}" in html and "Approve plan" in html
    confirm = client.get(reverse("strategy:plan-status", args=[plan.slug]) + "?to=approved")
    page = confirm.content.decode()
    assert "Approve plan: please confirm" in page and 'type="hidden" name="status" value="approved"' in page
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT  # opening the confirmation changes nothing
    # Without a chosen step, nothing is chosen in advance.
    bare = client.get(reverse("strategy:plan-status", args=[plan.slug])).content.decode()
    assert "checked" not in bare


def test_my_work_lists_my_actions_needing_an_update_and_links_governance(client, plan_and_editor):
    from django.utils import timezone

    plan, editor = plan_and_editor
    today = timezone.localdate()
    Action.objects.filter(plan=plan).update(
        start_date=today - dt.timedelta(days=10), end_date=today + dt.timedelta(days=300)
    )
    Action.objects.filter(plan=plan, code="1.1.1").update(
        end_date=timezone.localdate() - dt.timedelta(days=3), start_date=plan.period_start
    )
    client.force_login(editor)
    html = client.get(reverse("portal:my-work")).content.decode()
    assert reverse("portal:my-work") in html  # the header link
    assert reverse("governance:my-governance") in html
    section = html.split('id="work-actions"')[1].split("</section>")[0]
    assert "1.1.1" in section and "health-late" in section
    assert "1.1.2" not in section
    assert reverse("strategy:plan-progress-upload", args=[plan.slug]) in section
    client.logout()
    assert client.get(reverse("portal:my-work")).status_code == 302
