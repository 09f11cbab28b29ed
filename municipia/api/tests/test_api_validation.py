"""Bad input answers 400 with a body naming the field, saves nothing, and never answers 500."""

import pytest

from municipia.api.tests.conftest import action_payload
from municipia.strategy.models import Action, Axis, Milestone, Plan
from municipia.strategy.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_api(api, world):
    api.force_authenticate(world.editor_a)
    return api


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"start_date": "2024-13-45"}, "start_date"),
        ({"end_date": "not a date"}, "end_date"),
        ({"plan": "no-such-plan"}, "plan"),
        ({"objective": 999999}, "objective"),
        ({"participants": ["no-such-council"]}, "participants"),
        ({"progress": "a lot"}, "progress"),
        ({"progress": 101}, "progress"),
        ({"progress": -1}, "progress"),
        ({"start_date": "2024-06-01", "end_date": "2024-05-01"}, "end_date"),
        ({"code": "1.1.1"}, "code"),
        ({"start_date": "2019-01-01"}, "start_date"),
        ({"end_date": "2031-01-01"}, "end_date"),
        ({"dependencies": ["no-such-code"]}, "dependencies"),
        ({"status": "finished"}, "status"),
        ({"budget": "12.345"}, "budget"),
        ({"weight": "-1"}, "weight"),
        ({"title_en": None, "title_ca": None}, "title_en"),
        ({"owner_department": 999999}, "owner_department"),
    ],
)
def test_bad_action_input_names_the_field(editor_api, world, overrides, field):
    response = editor_api.post("/api/v1/actions/", action_payload(world.plan_a, world.objective_a, **overrides))
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert all(isinstance(messages, list) and messages for messages in response.json().values())
    assert Action.objects.count() == 1


def test_participant_must_be_a_council(editor_api, world):
    response = editor_api.post(
        "/api/v1/actions/", action_payload(world.plan_a, world.objective_a, participants=["catalan-network"])
    )
    assert response.status_code == 400
    assert "participants" in response.json()


def test_objective_of_another_plan_is_refused(editor_api, world):
    response = editor_api.post("/api/v1/actions/", action_payload(world.draft_a, world.objective_a))
    assert response.status_code == 400
    assert "objective" in response.json()


def test_dependency_cycle_is_refused_on_update(editor_api, world):
    second = ActionFactory(objective=world.objective_a, code="1.1.2")
    second.dependencies.add(world.action_a)
    response = editor_api.patch(f"/api/v1/actions/{world.action_a.pk}/", {"dependencies": ["1.1.2"]})
    assert response.status_code == 400
    assert "cycle" in response.json()["dependencies"][0]
    assert not world.action_a.dependencies.exists()


def test_action_cannot_depend_on_itself(editor_api, world):
    response = editor_api.patch(f"/api/v1/actions/{world.action_a.pk}/", {"dependencies": ["1.1.1"]})
    assert response.status_code == 400
    assert "dependencies" in response.json()


def test_update_with_bad_input_changes_nothing(editor_api, world):
    response = editor_api.patch(
        f"/api/v1/actions/{world.action_a.pk}/",
        {"title_en": "Renamed", "start_date": "2025-01-01", "end_date": "2024-01-01"},
    )
    assert response.status_code == 400
    assert "end_date" in response.json()
    world.action_a.refresh_from_db()
    assert world.action_a.title_en != "Renamed"


def test_action_cannot_move_to_another_plan(editor_api, world):
    response = editor_api.patch(f"/api/v1/actions/{world.action_a.pk}/", {"plan": "jerez-draft"})
    assert response.status_code == 400
    assert "plan" in response.json()


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"period_start": "2025-01-01", "period_end": "2024-01-01"}, "period_end"),
        ({"period_start": "yesterday", "period_end": "2024-01-01"}, "period_start"),
        ({"owner": "no-such-council", "period_start": "2024-01-01", "period_end": "2025-01-01"}, "owner"),
        ({"slug": "jerez-smart-city", "period_start": "2024-01-01", "period_end": "2025-01-01"}, "slug"),
        ({"slug": "not a slug!", "period_start": "2024-01-01", "period_end": "2025-01-01"}, "slug"),
    ],
)
def test_bad_plan_input_names_the_field(editor_api, world, payload, field):
    response = editor_api.post("/api/v1/plans/", {"owner": "jerez", "title_en": "New plan", **payload})
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Plan.objects.count() == 4


def test_shrinking_plan_period_below_its_actions_is_refused(editor_api, world):
    response = editor_api.patch("/api/v1/plans/jerez-smart-city/", {"period_start": "2025-01-01"})
    assert response.status_code == 400
    assert "period_start" in response.json()
    world.plan_a.refresh_from_db()
    assert str(world.plan_a.period_start) == "2024-01-01"


def test_duplicate_axis_code_is_refused(editor_api, world):
    response = editor_api.post("/api/v1/axes/", {"plan": "jerez-smart-city", "code": "1", "title_en": "Again"})
    assert response.status_code == 400
    assert "code" in response.json()
    assert Axis.objects.count() == 1


def test_milestone_outside_plan_period_is_refused(editor_api, world):
    response = editor_api.post(
        "/api/v1/milestones/", {"action": world.action_a.pk, "title_en": "Late", "due_date": "2035-01-01"}
    )
    assert response.status_code == 400
    assert "due_date" in response.json()
    assert not Milestone.objects.exists()


@pytest.mark.parametrize("url", ["/api/v1/actions/", "/api/v1/plans/", "/api/v1/axes/", "/api/v1/milestones/"])
def test_malformed_json_answers_400(editor_api, world, url):
    response = editor_api.generic("POST", url, '{"title_en": "unterminated', content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_body_that_is_not_an_object_answers_400(editor_api, world):
    response = editor_api.generic("POST", "/api/v1/actions/", "[1, 2]", content_type="application/json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/actions/?plan=no-such-plan",
        "/api/v1/actions/?axis=abc",
        "/api/v1/actions/?status=finished",
        "/api/v1/actions/?owner=abc",
        "/api/v1/actions/?council=no-such-council",
        "/api/v1/plans/?owner=no-such-council",
        "/api/v1/organizations/?min_population=many",
    ],
)
def test_bad_filter_values_name_the_filter(api, world, url):
    response = api.get(url)
    assert response.status_code == 400
    assert url.split("?")[1].split("=")[0] in response.json()


def test_unknown_page_answers_404_not_500(api, world):
    assert api.get("/api/v1/actions/?page=999").status_code == 404
    assert api.get("/api/v1/actions/?page=abc").status_code == 404
    assert api.get("/api/v1/actions/?page_size=abc").status_code == 200
    assert api.get("/api/v1/actions/abc/").status_code == 404
