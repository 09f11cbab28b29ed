"""The API obeys the same `rules` as pages and admin: who sees and who writes what."""

import pytest

from municipia.api.tests.conftest import action_payload
from municipia.organizations.tests.factories import DepartmentFactory
from municipia.strategy.choices import PlanStatus
from municipia.strategy.models import Action, Axis, Milestone, Plan
from municipia.strategy.tests.factories import ActionFactory, AxisFactory, MilestoneFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


def _draft_content(world):
    axis = AxisFactory(plan=world.draft_a, code="1")
    objective = ObjectiveFactory(axis=axis, code="1.1")
    action = ActionFactory(objective=objective, code="1.1.1")
    milestone = MilestoneFactory(action=action)
    return axis, objective, action, milestone


def test_anonymous_sees_published_plans_and_their_content_only(api, world):
    axis, objective, action, milestone = _draft_content(world)
    plans = {p["slug"] for p in api.get("/api/v1/plans/").json()["results"]}
    assert plans == {"jerez-smart-city", "tremp-digital", "digital-agenda"}
    assert action.pk not in {a["id"] for a in api.get("/api/v1/actions/?page_size=200").json()["results"]}
    assert axis.pk not in {a["id"] for a in api.get("/api/v1/axes/").json()["results"]}
    assert objective.pk not in {o["id"] for o in api.get("/api/v1/objectives/").json()["results"]}
    assert milestone.pk not in {m["id"] for m in api.get("/api/v1/milestones/").json()["results"]}
    # Unpublished content answers 404, as missing content does.
    for url in (
        "/api/v1/plans/jerez-draft/",
        f"/api/v1/axes/{axis.pk}/",
        f"/api/v1/objectives/{objective.pk}/",
        f"/api/v1/actions/{action.pk}/",
        f"/api/v1/milestones/{milestone.pk}/",
        "/api/v1/plans/no-such-plan/",
        "/api/v1/actions/999999/",
    ):
        response = api.get(url)
        assert response.status_code == 404, url
        assert set(response.json()) == {"detail"}


def test_missing_and_forbidden_look_alike(api, world):
    missing = api.get("/api/v1/plans/no-such-plan/")
    forbidden = api.get("/api/v1/plans/jerez-draft/")
    assert (missing.status_code, missing.json()) == (forbidden.status_code, forbidden.json())


def test_owner_editor_sees_own_draft_but_other_editor_does_not(api, world):
    api.force_authenticate(world.editor_a)
    assert api.get("/api/v1/plans/jerez-draft/").status_code == 200
    api.force_authenticate(world.editor_b)
    assert api.get("/api/v1/plans/jerez-draft/").status_code == 404
    assert "jerez-draft" not in {p["slug"] for p in api.get("/api/v1/plans/").json()["results"]}


@pytest.mark.parametrize(
    "method, url, body",
    [
        (
            "post",
            "/api/v1/plans/",
            {"owner": "jerez", "title_en": "X", "period_start": "2024-01-01", "period_end": "2025-01-01"},
        ),
        ("patch", "/api/v1/plans/jerez-smart-city/", {"title_en": "X"}),
        ("delete", "/api/v1/plans/jerez-smart-city/", None),
        ("post", "/api/v1/plans/jerez-smart-city/status/", {"status": "approved"}),
        ("post", "/api/v1/axes/", {"plan": "jerez-smart-city", "code": "7", "title_en": "X"}),
        ("post", "/api/v1/organizations/", {"kind": "municipality", "name_en": "X"}),
        ("post", "/api/v1/networks/catalan-network/members/", {"member": "jerez"}),
    ],
)
def test_anonymous_writes_are_refused(api, world, method, url, body):
    response = getattr(api, method)(url, body)
    assert response.status_code == 401
    assert Plan.objects.count() == 4
    assert Axis.objects.count() == 1
    world.plan_a.refresh_from_db()
    assert world.plan_a.title_en == "Smart City plan"


def test_anonymous_cannot_change_an_action(api, world):
    for method in ("put", "patch", "delete"):
        assert getattr(api, method)(f"/api/v1/actions/{world.action_a.pk}/", {"progress": 99}).status_code == 401
    world.action_a.refresh_from_db()
    assert world.action_a.progress == 40


def test_signed_in_user_without_role_cannot_write(api, world):
    api.force_authenticate(world.plain_user)
    assert api.patch(f"/api/v1/actions/{world.action_a.pk}/", {"progress": 99}).status_code == 403
    response = api.post("/api/v1/actions/", action_payload(world.plan_a, world.objective_a))
    assert response.status_code == 403
    assert not Action.objects.filter(code="9.9.9").exists()


def test_editor_of_other_council_cannot_write_to_the_plan(api, world):
    api.force_authenticate(world.editor_b)
    action_url = f"/api/v1/actions/{world.action_a.pk}/"
    assert api.patch(action_url, {"progress": 99}).status_code == 403
    assert api.put(action_url, {**api.get(action_url).json(), "progress": 99}).status_code == 403
    assert api.delete(action_url).status_code == 403
    assert api.patch("/api/v1/plans/jerez-smart-city/", {"title_en": "Hijacked"}).status_code == 403
    assert api.delete("/api/v1/plans/jerez-smart-city/").status_code == 403
    assert api.post("/api/v1/plans/jerez-smart-city/status/", {"status": "approved"}).status_code == 403
    assert api.patch(f"/api/v1/axes/{world.axis_a.pk}/", {"title_en": "Hijacked"}).status_code == 403
    assert api.patch(f"/api/v1/objectives/{world.objective_a.pk}/", {"title_en": "Hijacked"}).status_code == 403
    # Creating inside the other council's plan is refused (its parent decides).
    assert api.post("/api/v1/actions/", action_payload(world.plan_a, world.objective_a)).status_code == 403
    assert api.post("/api/v1/axes/", {"plan": "jerez-smart-city", "code": "7", "title_en": "X"}).status_code == 403
    assert api.post("/api/v1/challenges/", {"axis": world.axis_a.pk, "code": "C9", "title_en": "X"}).status_code == 403
    assert api.post("/api/v1/objectives/", {"axis": world.axis_a.pk, "code": "9", "title_en": "X"}).status_code == 403
    response = api.post("/api/v1/milestones/", {"action": world.action_a.pk, "title_en": "X", "due_date": "2024-06-01"})
    assert response.status_code == 403
    # Nor may it create a plan owned by the other council.
    payload = {"owner": "jerez", "title_en": "X", "period_start": "2024-01-01", "period_end": "2025-01-01"}
    assert api.post("/api/v1/plans/", payload).status_code == 403
    # The other council's draft is invisible: naming it is an unknown plan, not a permission error.
    response = api.post("/api/v1/axes/", {"plan": "jerez-draft", "code": "7", "title_en": "X"})
    assert response.status_code == 400
    assert "plan" in response.json()

    world.action_a.refresh_from_db()
    world.plan_a.refresh_from_db()
    assert world.action_a.progress == 40
    assert world.plan_a.title_en == "Smart City plan"
    assert world.plan_a.status == PlanStatus.DRAFT
    assert Plan.objects.count() == 4
    assert Axis.objects.count() == 1
    assert not Milestone.objects.exists()


def test_network_coordinator_writes_to_the_network_plan(api, world):
    department = DepartmentFactory(organization=world.council_b)
    api.force_authenticate(world.coordinator)
    response = api.post(
        "/api/v1/axes/", {"plan": "digital-agenda", "code": "1", "title_ca": "Administració intel·ligent"}
    )
    assert response.status_code == 201, response.json()
    axis_id = response.json()["id"]
    response = api.post("/api/v1/objectives/", {"axis": axis_id, "code": "1.1", "title_en": "Shared services"})
    assert response.status_code == 201, response.json()
    payload = action_payload(
        world.network_plan,
        Axis.objects.get(pk=axis_id).objectives.get(),
        participants=["tremp"],
        owner_department=department.pk,
    )
    response = api.post("/api/v1/actions/", payload)
    assert response.status_code == 201, response.json()
    action = Action.objects.get(plan=world.network_plan)
    assert list(action.participants.all()) == [world.council_b]

    # The coordinator does not edit a member council's own plan.
    assert api.patch("/api/v1/plans/tremp-digital/", {"title_en": "Hijacked"}).status_code == 403


def test_editor_cannot_edit_closed_plan_content_but_site_admin_can(api, world, site_admin):
    Plan.objects.filter(pk=world.plan_a.pk).update(status=PlanStatus.CLOSED)
    api.force_authenticate(world.editor_a)
    assert api.patch(f"/api/v1/actions/{world.action_a.pk}/", {"progress": 99}).status_code == 403
    api.force_authenticate(site_admin)
    assert api.patch(f"/api/v1/actions/{world.action_a.pk}/", {"progress": 99}).status_code == 200
