"""The OpenAPI schema is valid, the responses match it, and its docs pages need no CDN."""

import re

import pytest
from django.contrib.staticfiles import finders
from openapi_schema_validator import OAS30ReadValidator
from openapi_spec_validator import validate as validate_spec
from rest_framework.test import APIClient

from municipia.organizations.tests.factories import DepartmentFactory
from municipia.strategy.tests.factories import ActionFactory, ChallengeFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    """The schema as served at /api/schema/, validated as an OpenAPI 3 document (built once)."""
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    document = response.json()
    validate_spec(document)
    return document


def assert_matches_schema(schema: dict, response, path: str, method: str = "get") -> None:
    """Checks the body against the schema the endpoint documents, with no undocumented field."""
    content = schema["paths"][path][method]["responses"][str(response.status_code)]["content"]
    body_schema = content["application/json"]["schema"]
    validator = OAS30ReadValidator({**body_schema, "components": schema["components"]})
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(response.json())]
    assert not errors, errors
    _assert_no_undocumented_fields(schema, body_schema, response.json())


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _assert_no_undocumented_fields(schema: dict, node: dict, value) -> None:
    node = _resolve(schema, node)
    if isinstance(value, dict) and "properties" in node:
        assert set(value) <= set(node["properties"]), set(value) - set(node["properties"])
        for key, item in value.items():
            _assert_no_undocumented_fields(schema, node["properties"][key], item)
    elif isinstance(value, list) and "items" in node:
        for item in value:
            _assert_no_undocumented_fields(schema, node["items"], item)


@pytest.fixture
def full_world(world):
    world.action_a.participants.add(world.council_a)
    world.action_a.dependencies.add(ActionFactory(objective=world.objective_a, code="1.1.0"))
    world.action_a.owner_department = DepartmentFactory(organization=world.council_a)
    world.action_a.save()
    ChallengeFactory(axis=world.axis_a).objectives.add(world.objective_a)
    MilestoneFactory(action=world.action_a)
    return world


def test_schema_validates_and_documents_every_resource(schema):
    paths = set(schema["paths"])
    for resource in ("organizations", "networks", "plans", "axes", "challenges", "objectives", "actions", "milestones"):
        assert f"/api/v1/{resource}/" in paths
    assert "/api/v1/auth/token/" in paths
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])
    dependencies = schema["components"]["schemas"]["Action"]["properties"]["dependencies"]
    assert "codes" in dependencies["description"].lower()
    list_parameters = {p["name"] for p in schema["paths"]["/api/v1/actions/"]["get"]["parameters"]}
    assert {"search", "plan", "axis", "objective", "status", "owner", "council", "page", "page_size"} <= list_parameters


@pytest.mark.parametrize(
    "path, template",
    [
        ("/api/v1/plans/", "/api/v1/plans/"),
        ("/api/v1/plans/jerez-smart-city/", "/api/v1/plans/{slug}/"),
        ("/api/v1/actions/", "/api/v1/actions/"),
        ("/api/v1/actions/{action}/", "/api/v1/actions/{id}/"),
        ("/api/v1/axes/", "/api/v1/axes/"),
        ("/api/v1/axes/{axis}/", "/api/v1/axes/{id}/"),
        ("/api/v1/challenges/", "/api/v1/challenges/"),
        ("/api/v1/objectives/", "/api/v1/objectives/"),
        ("/api/v1/objectives/{objective}/", "/api/v1/objectives/{id}/"),
        ("/api/v1/milestones/", "/api/v1/milestones/"),
        ("/api/v1/organizations/", "/api/v1/organizations/"),
        ("/api/v1/organizations/tremp/", "/api/v1/organizations/{slug}/"),
        ("/api/v1/networks/", "/api/v1/networks/"),
        ("/api/v1/networks/catalan-network/", "/api/v1/networks/{slug}/"),
    ],
)
def test_read_responses_match_the_schema(api, schema, full_world, path, template):
    path = path.format(action=full_world.action_a.pk, axis=full_world.axis_a.pk, objective=full_world.objective_a.pk)
    response = api.get(path)
    assert response.status_code == 200
    if "results" in response.json():
        assert response.json()["results"], "an empty list would prove nothing"
    assert_matches_schema(schema, response, template)


def test_write_responses_match_the_schema(api, schema, world):
    api.force_authenticate(world.editor_a)
    response = api.post(
        "/api/v1/plans/",
        {"owner": "jerez", "title_en": "Plan 2030", "period_start": "2025-01-01", "period_end": "2030-12-31"},
    )
    assert response.status_code == 201
    assert_matches_schema(schema, response, "/api/v1/plans/", "post")
    response = api.patch(f"/api/v1/plans/{response.json()['slug']}/", {"summary_es": "Resumen"})
    assert_matches_schema(schema, response, "/api/v1/plans/{slug}/", "patch")
    response = api.post(
        "/api/v1/actions/",
        {
            "plan": "jerez-smart-city",
            "objective": world.objective_a.pk,
            "code": "2",
            "title_en": "A",
            "dependencies": ["1.1.1"],
        },
    )
    assert response.status_code == 201
    assert_matches_schema(schema, response, "/api/v1/actions/", "post")
    response = api.put(response.json()["url"], {**response.json(), "progress": 5})
    assert_matches_schema(schema, response, "/api/v1/actions/{id}/", "put")
    response = api.post("/api/v1/plans/jerez-smart-city/status/", {"status": "diagnosis"})
    assert_matches_schema(schema, response, "/api/v1/plans/{slug}/status/", "post")


def test_token_response_matches_the_schema(api, schema, world):
    response = api.post("/api/v1/auth/token/", {"username": world.editor_a.username, "password": "pass-for-tests"})
    assert_matches_schema(schema, response, "/api/v1/auth/token/", "post")


def test_html_url_links_to_the_page_in_the_request_language(api, world):
    detail = api.get("/api/v1/plans/jerez-smart-city/", HTTP_ACCEPT_LANGUAGE="ca").json()
    assert re.fullmatch(r"http://testserver/ca/.+/jerez-smart-city/", detail["html_url"])
    action = api.get(f"/api/v1/actions/{world.action_a.pk}/").json()
    assert action["html_url"].startswith("http://testserver/en/")
    assert str(world.action_a.pk) in action["html_url"]


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_load_everything_from_our_static_files(api, db, path):
    response = api.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"(?:https?:)?//(?!testserver)[\w.-]+\.\w+/", html), "external URL in the docs page"
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert assets
    texts = [html]
    for asset in assets:
        if asset.startswith(f"{path}?script"):
            # Swagger UI's start-up script, served from a URL rather than inline (CSP).
            script = api.get(asset)
            assert script.status_code == 200 and "javascript" in script["Content-Type"]
            texts.append(script.content.decode())
            continue
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not a static file"
    assert any("/api/schema/" in text for text in texts)
