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


@pytest.fixture
def finished_work(plan_and_editor):
    """1.1.1: a milestone and a task done, a commitment delivered (a cancelled task does not count);
    1.1.2: a milestone done but a task still open; 1.1.3: a commitment delivered, already completed."""
    from municipia.governance.choices import TaskStatus
    from municipia.governance.tests.factories import BodyFactory, TaskFactory
    from municipia.partnerships.choices import CommitmentStatus
    from municipia.partnerships.tests.factories import CommitmentFactory
    from municipia.strategy.tests.factories import MilestoneFactory

    plan, editor = plan_and_editor
    actions = {a.code: a for a in Action.objects.filter(plan=plan)}
    body = BodyFactory(plan=plan)
    MilestoneFactory(action=actions["1.1.1"], completed_on=dt.date(2024, 5, 1))
    TaskFactory(body=body, action=actions["1.1.1"], status=TaskStatus.DONE)
    TaskFactory(body=body, action=actions["1.1.1"], status=TaskStatus.CANCELLED)
    CommitmentFactory(status=CommitmentStatus.DELIVERED).actions.add(actions["1.1.1"], actions["1.1.3"])
    MilestoneFactory(action=actions["1.1.2"], completed_on=dt.date(2024, 5, 1))
    TaskFactory(body=body, action=actions["1.1.2"], status=TaskStatus.OPEN)
    Action.objects.filter(pk=actions["1.1.3"].pk).update(progress=100, status="completed")
    return plan, editor


def test_finished_linked_work_is_offered_unticked_and_completes_the_action_only_when_ticked(client, finished_work):
    plan, editor = finished_work
    client.force_login(editor)
    url = reverse("strategy:plan-progress-upload", args=[plan.slug])
    text = "code,progress (%)\n1.1.4,30\n"
    preview = client.post(url, {"file": upload(text)})
    offers = preview.context["result"].offers
    assert [(o.action.code, o.finished_items) for o in offers] == [("1.1.1", 3)]
    html = preview.content.decode()
    checkbox = '<input type="checkbox" name="finish" value="1.1.1">'
    assert checkbox in html  # offered, off by default
    # Applied without ticking it: only the file's change.
    client.post(url, {"apply": "1"})
    assert Action.objects.get(plan=plan, code="1.1.1").status != "completed"
    assert progress(plan)["1.1.4"] == 30
    # Ticked: completed at 100 %, in the history with the reason.
    client.post(url, {"file": upload("code,progress (%)\n1.1.4,35\n")})
    response = client.post(url, {"apply": "1", "finish": ["1.1.1", "1.1.2"]})  # 1.1.2 was not offered
    assert response.status_code == 302
    done = Action.objects.get(plan=plan, code="1.1.1")
    assert (done.progress, done.status) == (100, "completed")
    assert "linked work is finished" in done.history.first().history_change_reason
    assert Action.objects.get(plan=plan, code="1.1.2").status != "completed"
    assert progress(plan)["1.1.4"] == 35


def test_the_action_page_offers_to_complete_it_and_the_api_takes_the_same_choice(client, finished_work):
    from rest_framework.test import APIClient

    plan, editor = finished_work
    action = Action.objects.get(plan=plan, code="1.1.1")
    client.force_login(editor)
    page = client.get(reverse("strategy:action-detail", args=[action.pk])).content.decode()
    edit = reverse("strategy:action-update", args=[action.pk]) + "?finish=1"
    assert edit in page
    form = client.get(edit).content.decode()
    assert '<option value="completed" selected>' in form and 'name="progress" value="100"' in form
    assert Action.objects.get(pk=action.pk).progress == 10  # an offer: nothing saved until the editor saves
    # Nothing is offered on the page of an action with open work, nor to anonymous readers.
    other = Action.objects.get(plan=plan, code="1.1.2")
    assert "?finish=1" not in client.get(reverse("strategy:action-detail", args=[other.pk])).content.decode()
    client.logout()
    assert "?finish=1" not in client.get(reverse("strategy:action-detail", args=[action.pk])).content.decode()
    api = APIClient()
    api.force_authenticate(editor)
    api_url = f"/api/v1/plans/{plan.slug}/progress-update/"
    dry = api.post(api_url, {"file": upload("code,progress (%)\n1.1.4,20\n"), "dry_run": True}, format="multipart")
    assert dry.json()["offers"] == [{"code": "1.1.1", "finished_items": 3, "chosen": False}]
    done = api.post(api_url, {"file": upload("code,progress (%)\n1.1.4,20\n"), "finish": ["1.1.1"]}, format="multipart")
    assert done.status_code == 200 and done.json()["offers"][0]["chosen"] is True
    assert Action.objects.get(pk=action.pk).status == "completed"


def test_a_member_council_editor_reports_only_on_the_actions_its_council_owns_or_leads(client):
    from municipia.organizations.models import NetworkMembership
    from municipia.organizations.tests.factories import DepartmentFactory, OrganizationFactory, PersonFactory

    network = OrganizationFactory(kind="network")
    tremp, vic = OrganizationFactory(name_en="Tremp"), OrganizationFactory(name_en="Vic")
    for member in (tremp, vic):
        NetworkMembership.objects.create(network=network, member=member)
    plan = PlanFactory(owner=network, slug="net", period_start=dt.date(2020, 1, 1), period_end=dt.date(2035, 1, 1))
    objective = ObjectiveFactory(axis=AxisFactory(plan=plan, code="1"), code="1.1")
    ActionFactory(
        objective=objective, code="1.1.1", progress=10, owner_department=DepartmentFactory(organization=tremp)
    )
    ActionFactory(objective=objective, code="1.1.2", progress=10, lead=PersonFactory(organization=tremp))
    ActionFactory(objective=objective, code="1.1.3", progress=10, owner_department=DepartmentFactory(organization=vic))
    tremp_editor = RoleFactory(organization=tremp).user
    client.force_login(tremp_editor)
    csv_text = b"".join(client.get(reverse("strategy:plan-bulk-template", args=[plan.slug, "csv"])).streaming_content)
    assert [line.split(",")[0] for line in csv_text.decode("utf-8-sig").splitlines()[1:]] == ["1.1.1", "1.1.2"]
    url = reverse("strategy:plan-progress-upload", args=[plan.slug])
    refused = client.post(url, {"file": upload("code,progress (%)\n1.1.1,50\n1.1.3,50\n")})
    assert refused.status_code == 400
    assert [(row, column) for row, column, _m in refused.context["result"].errors] == [(3, "code")]
    assert progress(plan) == {"1.1.1": 10, "1.1.2": 10, "1.1.3": 10}
    client.post(url, {"file": upload("code,progress (%)\n1.1.1,50\n1.1.2,60\n")})
    assert client.post(url, {"apply": "1"}).status_code == 302
    assert progress(plan) == {"1.1.1": 50, "1.1.2": 60, "1.1.3": 10}
    # A council with no action in the plan has no upload page; nor has it anything to report.
    client.force_login(RoleFactory(organization=OrganizationFactory()).user)
    assert client.get(url).status_code in (403, 404)
