"""Alignment API: frameworks and items, alignments with bad input naming the field, filters, suggestions, schema."""

import pytest
from rest_framework.test import APIClient

from municipia.alignment import services
from municipia.alignment.models import Alignment, SuggestionFeedback
from municipia.api.tests.test_api_schema import assert_matches_schema, schema  # noqa: F401 - the schema fixture
from municipia.organizations.tests.factories import RoleFactory, UserFactory
from municipia.strategy.tests.factories import ActionFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(frameworks):
    plan = PlanFactory(slug="own-plan")
    action = ActionFactory(objective__axis__plan=plan, code="1.1.1", title_en="Broadband and 5G coverage")
    other = ActionFactory(objective__axis__plan=plan, code="1.1.2", title_en="Street lighting")
    editor = RoleFactory(organization=plan.owner).user
    client = APIClient()
    client.force_authenticate(editor)
    return {"plan": plan, "action": action, "other": other, "editor": editor, "client": client, "fw": frameworks}


def test_framework_items_filter_by_framework_parent_level_and_search(world, schema):  # noqa: F811
    client = APIClient()
    response = client.get("/api/v1/framework-items/?framework=SDG&level=target")
    assert response.status_code == 200
    assert_matches_schema(schema, response, "/api/v1/framework-items/")
    assert {row["code"] for row in response.json()["results"]} == {"9.1", "9.c", "11.2", "11.3", "4.4"}
    parent = world["fw"].items["SDG:11"].pk
    assert {r["code"] for r in client.get(f"/api/v1/framework-items/?parent={parent}").json()["results"]} == {
        "11.2",
        "11.3",
    }
    assert client.get("/api/v1/framework-items/?search=11.3.1").json()["count"] == 1
    assert client.get("/api/v1/framework-items/?framework=NOPE").status_code == 400


def test_alignment_crud_by_the_plans_editor(world, schema):  # noqa: F811
    client = world["client"]
    response = client.post(
        "/api/v1/alignments/", {"action": world["action"].pk, "item_ref": "SDG:9.c", "is_primary": True}
    )
    assert response.status_code == 201, response.content
    assert_matches_schema(schema, response, "/api/v1/alignments/", "post")
    body = response.json()
    assert body["element_kind"] == "action" and body["item_detail"]["code"] == "9.c" and body["plan"] == "own-plan"
    url = f"/api/v1/alignments/{body['id']}/"
    assert client.patch(url, {"rationale_en": "Fibre to every district"}).json()["rationale_en"] == (
        "Fibre to every district"
    )
    listed = client.get(f"/api/v1/alignments/?action={world['action'].pk}")
    assert_matches_schema(schema, listed, "/api/v1/alignments/")
    assert listed.json()["count"] == 1
    assert client.delete(url).status_code == 204
    assert not Alignment.objects.exists()


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"item_ref": "NOPE:1"}, "item_ref"),
        ({"item_ref": "SDG:99.9"}, "item_ref"),
        ({"item_ref": "PRTR:EJE-2"}, "item"),  # the plan does not use the recovery plan
        ({}, "item"),
        ({"item_ref": "SDG:9", "axis": None, "action": None}, "plan_element"),
    ],
)
def test_bad_alignment_input_answers_400_naming_the_field(world, payload, field):
    body = {"action": world["action"].pk, **payload}
    response = world["client"].post("/api/v1/alignments/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Alignment.objects.exists()


def test_actions_filter_by_framework_item_on_page_and_api(world, client):
    user = world["editor"]
    services.alignment_create(acting_user=user, element=world["action"], item=world["fw"].items["SDG:9.c"])
    services.alignment_create(
        acting_user=user, element=world["other"].objective.axis, item=world["fw"].items["SDG:11.3"]
    )
    api = APIClient()
    codes = lambda value: {a["code"] for a in api.get(f"/api/v1/actions/?aligned_to={value}").json()["results"]}  # noqa: E731
    assert codes("SDG:9") == {"1.1.1"}
    # 1.1.2 serves 11 through its axis, aligned to target 11.3.
    assert codes("SDG:11") == {"1.1.2"}
    assert codes(f"{world['fw'].items['SDG:9.c'].pk}") == {"1.1.1"}
    bad = api.get("/api/v1/actions/?aligned_to=SDG:99")
    assert bad.status_code == 400 and "aligned_to" in bad.json()
    page = client.get("/en/actions/?aligned_to=SDG:9")
    assert page.status_code == 200
    assert "Broadband and 5G coverage" in page.content.decode()
    assert "Street lighting" not in page.content.decode()
    page = client.get("/en/actions/?aligned_to=nonsense")
    assert "not a framework item" in page.content.decode()


def test_suggestions_rank_broadband_under_sdg_9(world, schema):  # noqa: F811
    response = world["client"].post(
        "/api/v1/suggestions/", {"text": "Broadband and 5G coverage for every district", "language": "en"}
    )
    assert response.status_code == 200
    assert_matches_schema(schema, response, "/api/v1/suggestions/", "post")
    assert response.json()[0]["goal"] == "9"


@pytest.mark.parametrize("text", ["", "   ", "x" * 20_001])
def test_empty_or_too_long_text_answers_400_naming_text(world, text):
    response = world["client"].post("/api/v1/suggestions/", {"text": text})
    assert response.status_code == 400
    assert "text" in response.json()


def test_suggestions_need_a_signed_in_user(world):
    assert APIClient().post("/api/v1/suggestions/", {"text": "Broadband"}).status_code in (401, 403)


def test_feedback_is_kept_for_an_action_the_user_edits(world):
    response = world["client"].post(
        "/api/v1/suggestion-feedback/", {"action": world["action"].pk, "goal": "9", "accepted": True}
    )
    assert response.status_code == 201, response.content
    assert SuggestionFeedback.objects.get().text.startswith("Broadband")
    outsider = APIClient()
    outsider.force_authenticate(UserFactory())
    denied = outsider.post(
        "/api/v1/suggestion-feedback/", {"action": world["action"].pk, "goal": "9", "accepted": True}
    )
    assert denied.status_code == 403
    assert SuggestionFeedback.objects.count() == 1


def test_schema_documents_the_alignment_endpoints(schema):  # noqa: F811
    paths = set(schema["paths"])
    for path in (
        "/api/v1/frameworks/",
        "/api/v1/framework-items/",
        "/api/v1/alignments/",
        "/api/v1/coverage/{slug}/",
        "/api/v1/suggestions/",
        "/api/v1/suggestion-feedback/",
    ):
        assert path in paths
    params = {p["name"] for p in schema["paths"]["/api/v1/actions/"]["get"]["parameters"]}
    assert "aligned_to" in params
