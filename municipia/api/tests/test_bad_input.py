"""Hostile input answers 400, never 500: numbers too large for the database, JSON nested too deep."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.organizations.tests.factories import RoleFactory
from municipia.strategy.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "query",
    [
        f"action={HUGE}",
        f"axis=-{HUGE}",
        f"aligned_to={HUGE}",
        f"aligned_to=1,{HUGE}",
        f"framework={HUGE}",
    ],
)
def test_out_of_range_numbers_in_alignment_filters_answer_400_naming_the_filter(query):
    response = APIClient().get(f"/api/v1/alignments/?{query}")
    assert response.status_code == 400, response.content
    assert query.split("=")[0] in response.json()


@pytest.mark.parametrize("path", ["/api/v1/actions/", "/api/v1/indicators/", "/api/v1/observations/"])
def test_out_of_range_numbers_answer_400_on_other_lists(path):
    response = APIClient().get(path, {"plan": HUGE, "indicator": HUGE, "objective": HUGE})
    assert response.status_code in (200, 400)
    assert response.status_code != 500


def test_a_huge_number_in_a_text_search_is_only_searched():
    response = APIClient().get("/api/v1/actions/", {"search": HUGE})
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_the_html_list_shows_no_error_page_for_a_huge_number(client):
    response = client.get(reverse("strategy:action-list"), {"plan": HUGE, "status": "x"})
    assert response.status_code == 200


def test_json_nested_five_thousand_deep_answers_400():
    plan = PlanFactory()
    editor = RoleFactory(organization=plan.owner).user
    api = APIClient()
    api.force_authenticate(editor)
    body = "[" * 5000 + "]" * 5000
    response = api.post("/api/v1/axes/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]
