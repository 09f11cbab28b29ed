"""The admin writes through the services and obeys the same rules as pages and API."""

import pytest
from django.urls import reverse

from municipia.organizations.tests.factories import OrganizationFactory, RoleFactory
from municipia.strategy.models import Action, Plan
from municipia.strategy.tests.factories import ActionFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_site_admin_creates_plan_in_admin_with_history(client, site_admin):
    owner = OrganizationFactory()
    client.force_login(site_admin)
    response = client.post(
        reverse("admin:strategy_plan_add"),
        {
            "owner": owner.pk,
            "title_en": "Smart City plan",
            "title_es": "Plan Smart City",
            "slug": "smart-city",
            "period_start": "2024-01-01",
            "period_end": "2027-12-31",
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    plan = Plan.objects.get(slug="smart-city")
    assert plan.title_es == "Plan Smart City"
    assert plan.history.get().history_user == site_admin


def test_admin_rejects_end_before_start_and_keeps_input(client, site_admin):
    owner = OrganizationFactory()
    client.force_login(site_admin)
    response = client.post(
        reverse("admin:strategy_plan_add"),
        {
            "owner": owner.pk,
            "title_en": "Typed title",
            "slug": "p",
            "period_start": "2025-01-01",
            "period_end": "2024-01-01",
        },
    )
    assert response.status_code == 200
    assert "The end of the period must not be before its start." in response.content.decode()
    assert "Typed title" in response.content.decode()
    assert not Plan.objects.exists()


def test_staff_editor_cannot_change_other_councils_action_in_admin(client):
    editor = RoleFactory().user
    editor.is_staff = True
    editor.save()
    action = ActionFactory()
    client.force_login(editor)
    response = client.post(
        reverse("admin:strategy_action_change", args=[action.pk]),
        {"title_en": "Hijacked", "code": action.code, "objective": action.objective_id, "progress": 5},
    )
    assert response.status_code in (403, 302)
    action.refresh_from_db()
    assert action.title_en != "Hijacked"


def test_site_admin_edits_action_in_admin_through_service(client, site_admin):
    action = ActionFactory(progress=10)
    PlanFactory()  # another plan, to be sure the action keeps its own
    client.force_login(site_admin)
    data = {
        "title_en": action.title_en,
        "code": action.code,
        "objective": action.objective_id,
        "status": action.status,
        "progress": 70,
        "weight": "1",
        "start_date": "2024-03-01",
        "end_date": "2025-06-30",
        "milestones-TOTAL_FORMS": "0",
        "milestones-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:strategy_action_change", args=[action.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    action.refresh_from_db()
    assert action.progress == 70
    assert Action.history.filter(id=action.pk).first().history_user == site_admin
