"""List, detail, create, update and delete of every API resource, through the services."""

import pytest
from django.urls import reverse

from municipia.accounts.models import ApiToken
from municipia.accounts.services import token_digest
from municipia.api.tests.conftest import action_payload
from municipia.organizations.models import NetworkMembership, Organization
from municipia.organizations.tests.factories import DepartmentFactory, OrganizationFactory
from municipia.strategy.choices import PlanStatus
from municipia.strategy.models import Action, Axis, Challenge, Milestone, Objective, Plan
from municipia.strategy.tests.factories import ActionFactory, ChallengeFactory, MilestoneFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


# --- Plans


def test_plan_list_and_detail_expose_translations_links_and_progress(api, world):
    response = api.get("/api/v1/plans/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    body = response.json()
    slugs = [plan["slug"] for plan in body["results"]]
    assert "jerez-smart-city" in slugs
    plan = next(p for p in body["results"] if p["slug"] == "jerez-smart-city")
    assert plan["title"] == "Plan Smart City"
    assert plan["title_en"] == "Smart City plan"
    assert plan["title_es"] == "Plan Smart City"
    assert plan["owner"] == "jerez"
    assert plan["progress"] == 40.0
    assert plan["url"] == "http://testserver/api/v1/plans/jerez-smart-city/"

    detail = api.get(plan["url"], HTTP_ACCEPT_LANGUAGE="en").json()
    assert detail["title"] == "Smart City plan"
    assert detail["progress"] == 40.0


def test_plan_title_falls_back_when_language_missing(api, world):
    detail = api.get("/api/v1/plans/jerez-smart-city/", HTTP_ACCEPT_LANGUAGE="bg").json()
    assert detail["title_bg"] is None
    assert detail["title"] == "Smart City plan"


def test_editor_creates_updates_and_deletes_own_plan(api, world):
    api.force_authenticate(world.editor_a)
    response = api.post(
        "/api/v1/plans/",
        {"owner": "jerez", "title_en": "Digital plan 2030", "period_start": "2025-01-01", "period_end": "2030-12-31"},
    )
    assert response.status_code == 201, response.json()
    plan = Plan.objects.get(slug=response.json()["slug"])
    assert plan.owner == world.council_a
    assert plan.title_en == "Digital plan 2030"
    assert plan.history.get().history_user == world.editor_a
    assert response.json()["progress"] is None

    response = api.patch(f"/api/v1/plans/{plan.slug}/", {"title_ca": "Pla digital 2030"})
    assert response.status_code == 200, response.json()
    plan.refresh_from_db()
    assert plan.title_ca == "Pla digital 2030"
    assert plan.title_en == "Digital plan 2030"

    full = {**response.json(), "vision_en": "A connected city", "period_end": "2031-12-31"}
    response = api.put(f"/api/v1/plans/{plan.slug}/", full)
    assert response.status_code == 200, response.json()
    plan.refresh_from_db()
    assert plan.vision_en == "A connected city"
    assert str(plan.period_end) == "2031-12-31"

    response = api.delete(f"/api/v1/plans/{plan.slug}/")
    assert response.status_code == 204
    assert not Plan.objects.filter(pk=plan.pk).exists()


def test_plan_owner_cannot_be_changed(api, world):
    api.force_authenticate(world.editor_a)
    response = api.patch("/api/v1/plans/jerez-smart-city/", {"owner": "tremp"})
    assert response.status_code == 400
    assert "owner" in response.json()
    world.plan_a.refresh_from_db()
    assert world.plan_a.owner == world.council_a


def test_plan_status_change_keeps_version_on_approval(api, world):
    api.force_authenticate(world.editor_a)
    response = api.post("/api/v1/plans/jerez-smart-city/status/", {"status": "approved", "note": "Council vote"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == PlanStatus.APPROVED
    assert world.plan_a.versions.get().note == "Council vote"

    response = api.post("/api/v1/plans/jerez-smart-city/status/", {"status": "closed"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_plan_filters_are_the_html_filters(api, world):
    body = api.get("/api/v1/plans/", {"owner": "tremp"}).json()
    assert [p["slug"] for p in body["results"]] == ["tremp-digital"]
    body = api.get("/api/v1/plans/", {"search": "smart city"}).json()
    assert [p["slug"] for p in body["results"]] == ["jerez-smart-city"]


# --- Axes, challenges, objectives


def test_axis_crud_with_progress(api, world):
    api.force_authenticate(world.editor_a)
    body = api.get("/api/v1/axes/", {"plan": "jerez-smart-city"}).json()
    assert [(a["code"], a["plan"], a["progress"]) for a in body["results"]] == [("1", "jerez-smart-city", 40.0)]

    response = api.post("/api/v1/axes/", {"plan": "jerez-smart-city", "code": "2", "title_es": "Infraestructura"})
    assert response.status_code == 201, response.json()
    axis = Axis.objects.get(plan=world.plan_a, code="2")
    assert response.json()["title"] == "Infraestructura"
    assert response.json()["progress"] is None

    response = api.patch(f"/api/v1/axes/{axis.pk}/", {"weight": "2.50", "title_en": "Infrastructure"})
    assert response.status_code == 200, response.json()
    axis.refresh_from_db()
    assert str(axis.weight) == "2.50"
    assert axis.title_en == "Infrastructure"

    assert api.delete(f"/api/v1/axes/{axis.pk}/").status_code == 204
    assert not Axis.objects.filter(pk=axis.pk).exists()


def test_challenge_crud(api, world):
    api.force_authenticate(world.editor_a)
    response = api.post("/api/v1/challenges/", {"axis": world.axis_a.pk, "code": "C1", "title_en": "Digital gap"})
    assert response.status_code == 201, response.json()
    challenge = Challenge.objects.get(axis=world.axis_a, code="C1")
    assert response.json()["plan"] == "jerez-smart-city"

    listed = api.get("/api/v1/challenges/", {"axis": world.axis_a.pk}).json()["results"]
    assert [c["id"] for c in listed] == [challenge.pk]

    response = api.put(
        f"/api/v1/challenges/{challenge.pk}/", {"axis": world.axis_a.pk, "code": "C1", "title_en": "Digital divide"}
    )
    assert response.status_code == 200, response.json()
    challenge.refresh_from_db()
    assert challenge.title_en == "Digital divide"

    assert api.delete(f"/api/v1/challenges/{challenge.pk}/").status_code == 204
    assert not Challenge.objects.filter(pk=challenge.pk).exists()


def test_objective_crud_with_challenges(api, world):
    challenge = ChallengeFactory(axis=world.axis_a)
    api.force_authenticate(world.editor_a)
    response = api.post(
        "/api/v1/objectives/",
        {"axis": world.axis_a.pk, "code": "1.2", "title_en": "Paperless council", "challenges": [challenge.pk]},
    )
    assert response.status_code == 201, response.json()
    objective = Objective.objects.get(axis=world.axis_a, code="1.2")
    assert list(objective.challenges.all()) == [challenge]
    assert response.json()["challenges"] == [challenge.pk]
    assert response.json()["progress"] is None

    detail = api.get(f"/api/v1/objectives/{world.objective_a.pk}/").json()
    assert detail["progress"] == 40.0

    response = api.patch(f"/api/v1/objectives/{objective.pk}/", {"challenges": []})
    assert response.status_code == 200, response.json()
    assert not objective.challenges.exists()

    assert api.delete(f"/api/v1/objectives/{objective.pk}/").status_code == 204
    assert not Objective.objects.filter(pk=objective.pk).exists()


def test_objective_rejects_challenge_of_other_axis(api, world):
    other_challenge = ChallengeFactory(axis__plan=world.plan_a)
    api.force_authenticate(world.editor_a)
    response = api.patch(f"/api/v1/objectives/{world.objective_a.pk}/", {"challenges": [other_challenge.pk]})
    assert response.status_code == 400
    assert "challenges" in response.json()


# --- Actions


def test_action_list_and_detail(api, world):
    dependency = ActionFactory(objective=world.objective_a, code="1.1.0")
    world.action_a.dependencies.add(dependency)
    world.action_a.participants.add(world.council_a)
    body = api.get("/api/v1/actions/", {"plan": "jerez-smart-city"}).json()
    assert body["count"] == 2
    row = next(a for a in body["results"] if a["code"] == "1.1.1")
    assert row["plan"] == "jerez-smart-city"
    assert row["axis"] == world.axis_a.pk
    assert row["objective"] == world.objective_a.pk
    assert row["participants"] == ["jerez"]
    assert row["dependencies"] == ["1.1.0"]
    assert row["progress"] == 40
    assert row["url"] == f"http://testserver/api/v1/actions/{world.action_a.pk}/"

    detail = api.get(row["url"]).json()
    assert detail == row


def test_editor_creates_action_with_participants_and_dependencies(api, world):
    department = DepartmentFactory(organization=world.council_a)
    api.force_authenticate(world.editor_a)
    payload = action_payload(
        world.plan_a,
        world.objective_a,
        participants=["jerez"],
        dependencies=["1.1.1"],
        owner_department=department.pk,
    )
    response = api.post("/api/v1/actions/", payload)
    assert response.status_code == 201, response.json()
    action = Action.objects.get(plan=world.plan_a, code="9.9.9")
    assert action.title_ca == "Portal de dades obertes"
    assert list(action.participants.all()) == [world.council_a]
    assert list(action.dependencies.all()) == [world.action_a]
    assert action.owner_department == department
    assert {h.history_user for h in action.history.all()} == {world.editor_a}
    assert response.json()["dependencies"] == ["1.1.1"]
    assert response.json()["participants"] == ["jerez"]


def test_action_update_put_and_patch(api, world):
    api.force_authenticate(world.editor_a)
    response = api.patch(f"/api/v1/actions/{world.action_a.pk}/", {"progress": 75, "status": "in_progress"})
    assert response.status_code == 200, response.json()
    world.action_a.refresh_from_db()
    assert world.action_a.progress == 75

    full = {**response.json(), "title_es": "Sede electrónica", "progress": 100, "status": "completed"}
    response = api.put(f"/api/v1/actions/{world.action_a.pk}/", full)
    assert response.status_code == 200, response.json()
    world.action_a.refresh_from_db()
    assert (world.action_a.title_es, world.action_a.progress, world.action_a.status) == (
        "Sede electrónica",
        100,
        "completed",
    )
    # The plan's roll-up follows the action.
    assert api.get("/api/v1/plans/jerez-smart-city/").json()["progress"] == 100.0


def test_action_delete(api, world):
    api.force_authenticate(world.editor_a)
    assert api.delete(f"/api/v1/actions/{world.action_a.pk}/").status_code == 204
    assert not Action.objects.filter(pk=world.action_a.pk).exists()


def test_action_filters_are_the_html_filters(api, world):
    department = DepartmentFactory(organization=world.council_a)
    other_objective = ObjectiveFactory(axis__plan=world.plan_a)
    delayed = ActionFactory(
        objective=other_objective,
        code="2.1.1",
        status="delayed",
        owner_department=department,
        title_en="Dark fibre ring",
    )
    delayed.participants.add(world.council_b)

    def codes(**params):
        return sorted(a["code"] for a in api.get("/api/v1/actions/", params).json()["results"])

    assert codes(plan="jerez-smart-city") == ["1.1.1", "2.1.1"]
    assert codes(axis=world.axis_a.pk) == ["1.1.1"]
    assert codes(status="delayed") == ["2.1.1"]
    assert codes(owner=department.pk) == ["2.1.1"]
    assert codes(council="tremp") == ["2.1.1"]
    assert codes(search="2.1.1") == ["2.1.1"]
    assert codes(search=delayed.title_en) == ["2.1.1"]


def test_action_list_paginates_with_page_size(api, world):
    for n in range(5):
        ActionFactory(objective=world.objective_a, code=f"1.1.{n + 2}")
    body = api.get("/api/v1/actions/", {"page_size": 2, "page": 2}).json()
    assert body["count"] == 6
    assert len(body["results"]) == 2
    assert body["previous"] and body["next"]
    # The page size is capped at 200.
    for n in range(200):
        ActionFactory(objective=world.objective_a, code=f"2.{n}")
    assert len(api.get("/api/v1/actions/", {"page_size": 1000}).json()["results"]) == 200


# --- Milestones


def test_milestone_crud(api, world):
    api.force_authenticate(world.editor_a)
    response = api.post(
        "/api/v1/milestones/", {"action": world.action_a.pk, "title_en": "Tender published", "due_date": "2024-06-30"}
    )
    assert response.status_code == 201, response.json()
    milestone = Milestone.objects.get(action=world.action_a)
    assert response.json()["is_done"] is False
    assert response.json()["plan"] == "jerez-smart-city"

    response = api.patch(f"/api/v1/milestones/{milestone.pk}/", {"completed_on": "2024-06-15"})
    assert response.status_code == 200, response.json()
    assert response.json()["is_done"] is True
    milestone.refresh_from_db()
    assert str(milestone.completed_on) == "2024-06-15"

    listed = api.get("/api/v1/milestones/", {"plan": "jerez-smart-city"}).json()["results"]
    assert [m["id"] for m in listed] == [milestone.pk]

    assert api.delete(f"/api/v1/milestones/{milestone.pk}/").status_code == 204
    assert not Milestone.objects.filter(pk=milestone.pk).exists()


def test_milestone_cannot_move_to_another_action(api, world):
    milestone = MilestoneFactory(action=world.action_a)
    other = ActionFactory(objective=world.objective_a, code="1.1.2")
    api.force_authenticate(world.editor_a)
    response = api.patch(f"/api/v1/milestones/{milestone.pk}/", {"action": other.pk})
    assert response.status_code == 400
    assert "action" in response.json()


# --- Organisations and networks


def test_organization_list_detail_and_filters(api, world):
    body = api.get("/api/v1/organizations/", {"kind": "municipality"}).json()
    assert {o["slug"] for o in body["results"]} == {"jerez", "tremp"}
    detail = api.get("/api/v1/organizations/tremp/").json()
    assert detail["name"] == "Tremp"
    assert detail["networks"] == ["catalan-network"]
    body = api.get("/api/v1/organizations/", {"network": "catalan-network"}).json()
    assert [o["slug"] for o in body["results"]] == ["tremp"]
    assert [o["slug"] for o in api.get("/api/v1/organizations/", {"search": "jerez"}).json()["results"]] == ["jerez"]


def test_site_admin_creates_and_deletes_organization(api, site_admin):
    api.force_authenticate(site_admin)
    response = api.post(
        "/api/v1/organizations/",
        {"kind": "municipality", "name_es": "Sevilla", "country": "ES", "official_code": "41091", "population": 684234},
    )
    assert response.status_code == 201, response.json()
    organization = Organization.objects.get(official_code="41091")
    assert organization.slug == "sevilla"
    assert api.delete("/api/v1/organizations/sevilla/").status_code == 204
    assert not Organization.objects.filter(pk=organization.pk).exists()


def test_deleting_organization_with_plans_answers_conflict(api, world, site_admin):
    api.force_authenticate(site_admin)
    response = api.delete("/api/v1/organizations/jerez/")
    assert response.status_code == 409
    assert "detail" in response.json()
    assert Organization.objects.filter(slug="jerez").exists()


def test_council_editor_updates_profile_but_not_register_data(api, world):
    api.force_authenticate(world.editor_a)
    response = api.patch("/api/v1/organizations/jerez/", {"website": "https://www.jerez.es", "description_es": "Cádiz"})
    assert response.status_code == 200, response.json()
    world.council_a.refresh_from_db()
    assert world.council_a.website == "https://www.jerez.es"

    response = api.patch("/api/v1/organizations/jerez/", {"population": 1})
    assert response.status_code == 400
    assert "population" in response.json()
    world.council_a.refresh_from_db()
    assert world.council_a.population != 1

    assert api.patch("/api/v1/organizations/tremp/", {"website": "https://x.example"}).status_code == 403
    assert api.post("/api/v1/organizations/", {"kind": "partner", "name_en": "X"}).status_code == 403
    assert api.delete("/api/v1/organizations/jerez/").status_code == 403


def test_networks_list_their_member_councils(api, world):
    body = api.get("/api/v1/networks/").json()
    assert [n["slug"] for n in body["results"]] == ["catalan-network"]
    network = body["results"][0]
    assert network["member_count"] == 1
    assert [(m["slug"], m["name"]) for m in network["members"]] == [("tremp", "Tremp")]
    assert network["members"][0]["url"] == "http://testserver/api/v1/organizations/tremp/"
    assert api.get("/api/v1/networks/jerez/").status_code == 404


def test_only_site_admin_changes_network_memberships(api, world, site_admin):
    api.force_authenticate(world.coordinator)
    assert api.post("/api/v1/networks/catalan-network/members/", {"member": "jerez"}).status_code == 403
    assert api.delete("/api/v1/networks/catalan-network/members/tremp/").status_code == 403
    assert NetworkMembership.objects.count() == 1

    api.force_authenticate(site_admin)
    response = api.post("/api/v1/networks/catalan-network/members/", {"member": "jerez", "joined_on": "2023-05-30"})
    assert response.status_code == 201, response.json()
    assert response.json()["slug"] == "jerez"
    assert world.network.members.filter(slug="jerez").exists()
    partner = OrganizationFactory(kind="partner", slug="iab")
    response = api.post("/api/v1/networks/catalan-network/members/", {"member": partner.slug})
    assert response.status_code == 400
    assert "member" in response.json()

    assert api.delete("/api/v1/networks/catalan-network/members/tremp/").status_code == 204
    assert not world.network.members.filter(slug="tremp").exists()
    assert api.delete("/api/v1/networks/catalan-network/members/tremp/").status_code == 404
    assert api.put("/api/v1/networks/catalan-network/", {}).status_code == 405


# --- Token authentication


def test_token_endpoint_exchanges_credentials_for_a_working_token(api, world):
    response = api.post("/api/v1/auth/token/", {"username": world.editor_a.username, "password": "pass-for-tests"})
    assert response.status_code == 200
    token = response.json()["token"]
    assert ApiToken.objects.get(digest=token_digest(token)).user == world.editor_a

    client = type(api)()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.patch(f"/api/v1/actions/{world.action_a.pk}/", {"progress": 55})
    assert response.status_code == 200, response.json()
    world.action_a.refresh_from_db()
    assert world.action_a.progress == 55


def test_token_endpoint_rejects_wrong_password(api, world):
    response = api.post("/api/v1/auth/token/", {"username": world.editor_a.username, "password": "wrong"})
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_api_root_lists_the_resources(api, db):
    body = api.get(reverse("api:api-root")).json()
    assert set(body) == {
        "organizations",
        "networks",
        "people",
        "departments",
        "roles",
        "action-partners",
        "body-invitations",
        "newsletter-sends",
        "follows",
        "plans",
        "axes",
        "challenges",
        "objectives",
        "actions",
        "milestones",
        "frameworks",
        "framework-items",
        "alignments",
        "plan-frameworks",
        "suggestions",
        "suggestion-feedback",
        "bodies",
        "body-members",
        "meeting-series",
        "meetings",
        "agenda-items",
        "attendances",
        "decisions",
        "tasks",
        "reports",
        "indicators",
        "baselines",
        "targets",
        "observations",
        "questionnaires",
        "campaigns",
        "responses",
        "maturity-dimensions",
        "maturity-assessments",
        "findings",
        "indicator-exports",
        "observation-exports",
        # portfolio
        "proposals",
        "criteria-sets",
        "criteria",
        "evaluator-assignments",
        "scores",
        "funding-sources",
        "allocations",
        "budget-lines",
        "execution-entries",
        "scenarios",
        # partnerships
        "agreements",
        "commitments",
        "clarifications",
        "news",
    }
