"""/api/v1/follows/: a signed-in user lists, creates and deletes their own follows, never others'."""

import pytest
from rest_framework.test import APIClient

from municipia.api.tests.test_api_schema import assert_matches_schema
from municipia.organizations.tests.factories import UserFactory
from municipia.partnerships.models import Subscription
from municipia.strategy.tests.factories import ActionFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def targets():
    plan = PlanFactory(is_published=True, slug="open-plan", title_en="Open plan")
    action = ActionFactory(objective__axis__plan=plan, title_en="Open data portal")
    hidden = PlanFactory(is_published=False, slug="hidden-plan")
    return plan, action, hidden, ActionFactory(objective__axis__plan=hidden)


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_user_follows_lists_and_stops_following_their_own(targets):
    plan, action, _hidden, _hidden_action = targets
    reader = UserFactory(email="reader@example.org")
    api = api_for(reader)
    created = api.post("/api/v1/follows/", {"action": action.pk}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["action"] == action.pk and created.json()["title"] == str(action)
    assert api.post("/api/v1/follows/", {"action": action.pk}, format="json").status_code == 200  # once only
    assert api.post("/api/v1/follows/", {"plan": plan.slug}, format="json").status_code == 201
    listed = api.get("/api/v1/follows/").json()["results"]
    assert {(row["action"], row["plan"]) for row in listed} == {(action.pk, None), (None, plan.slug)}
    follow = Subscription.objects.get(user=reader, action=action)
    assert follow.confirmed_at is not None and follow.email == "reader@example.org"
    assert api.delete(f"/api/v1/follows/{follow.pk}/").status_code == 204
    assert not Subscription.objects.filter(pk=follow.pk).exists()
    assert len(api.get("/api/v1/follows/").json()["results"]) == 1


def test_user_never_sees_nor_deletes_another_users_follow(targets):
    _plan, action, _hidden, _hidden_action = targets
    owner, other = UserFactory(email="owner@example.org"), UserFactory(email="other@example.org")
    follow_id = api_for(owner).post("/api/v1/follows/", {"action": action.pk}, format="json").json()["id"]
    api = api_for(other)
    assert api.get("/api/v1/follows/").json()["results"] == []
    assert api.get(f"/api/v1/follows/{follow_id}/").status_code == 404
    assert api.delete(f"/api/v1/follows/{follow_id}/").status_code == 404
    assert Subscription.objects.filter(pk=follow_id).exists()


def test_anonymous_caller_is_refused(targets):
    _plan, action, _hidden, _hidden_action = targets
    assert APIClient().get("/api/v1/follows/").status_code in (401, 403)
    assert APIClient().post("/api/v1/follows/", {"action": action.pk}, format="json").status_code in (401, 403)
    assert not Subscription.objects.exists()


def test_an_unseen_or_missing_target_is_refused_naming_the_field_alike(targets):
    _plan, _action, hidden, hidden_action = targets
    api = api_for(UserFactory(email="reader@example.org"))
    unseen = api.post("/api/v1/follows/", {"action": hidden_action.pk}, format="json")
    missing = api.post("/api/v1/follows/", {"action": 999_999}, format="json")
    assert unseen.status_code == missing.status_code == 400
    assert "that you may see" in unseen.json()["action"][0]
    assert unseen.json()["action"][0].replace(str(hidden_action.pk), "N") == missing.json()["action"][0].replace(
        "999999", "N"
    )
    plan = api.post("/api/v1/follows/", {"plan": hidden.slug}, format="json")
    assert plan.status_code == 400 and "that you may see" in plan.json()["plan"][0]
    neither = api.post("/api/v1/follows/", {}, format="json")
    assert neither.status_code == 400 and "either an action or a plan" in neither.json()["action"][0]
    assert not Subscription.objects.exists()


def test_a_user_without_an_address_is_told_so(targets):
    _plan, action, _hidden, _hidden_action = targets
    response = api_for(UserFactory(email="")).post("/api/v1/follows/", {"action": action.pk}, format="json")
    assert response.status_code == 400 and "e-mail" in response.json()["email"][0]


def test_follow_responses_match_the_schema(targets):
    _plan, action, _hidden, _hidden_action = targets
    schema = APIClient().get("/api/schema/?format=json").json()
    api = api_for(UserFactory(email="reader@example.org"))
    created = api.post("/api/v1/follows/", {"action": action.pk}, format="json")
    assert_matches_schema(schema, created, "/api/v1/follows/", method="post")
    assert_matches_schema(schema, api.get("/api/v1/follows/"), "/api/v1/follows/")
    assert_matches_schema(schema, api.get(f"/api/v1/follows/{created.json()['id']}/"), "/api/v1/follows/{id}/")
