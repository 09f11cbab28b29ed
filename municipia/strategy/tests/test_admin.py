"""The admin writes through the services and obeys the same rules as pages and API."""

import pytest
from django.urls import reverse

from municipia.organizations.tests.factories import OrganizationFactory, RoleFactory
from municipia.strategy.models import Action, Milestone, Plan
from municipia.strategy.tests.factories import ActionFactory, MilestoneFactory, PlanFactory

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


def _action_form(action, **extra) -> dict:
    return {
        "title_en": action.title_en,
        "code": action.code,
        "objective": action.objective_id,
        "status": action.status,
        "progress": action.progress,
        "weight": "1",
        **extra,
    }


def _milestone_rows(*rows: dict, initial: int = 0) -> dict:
    data = {"milestones-TOTAL_FORMS": str(len(rows)), "milestones-INITIAL_FORMS": str(initial)}
    for number, row in enumerate(rows):
        data.update({f"milestones-{number}-{name}": value for name, value in row.items()})
    return data


@pytest.fixture
def milestone_service_calls(monkeypatch) -> list[tuple[str, object]]:
    """Records each call of the milestone services (the entity looks them up by dotted path)."""
    from municipia.strategy import services

    calls = []
    for verb in ("create", "update", "delete"):
        original = getattr(services, f"milestone_{verb}")

        def spy(*, acting_user, _verb=verb, _original=original, **kwargs):
            calls.append((_verb, acting_user))
            return _original(acting_user=acting_user, **kwargs)

        monkeypatch.setattr(services, f"milestone_{verb}", spy)
    return calls


def test_admin_milestone_rows_go_through_the_services_as_the_administrator(client, site_admin, milestone_service_calls):
    action = ActionFactory()
    kept, dropped = MilestoneFactory(action=action, title_en="Tender"), MilestoneFactory(action=action)
    client.force_login(site_admin)
    rows = _milestone_rows(
        {"id": kept.pk, "action": action.pk, "title_en": "Tender awarded", "due_date": "2024-10-01"},
        {"id": dropped.pk, "action": action.pk, "title_en": dropped.title_en, "due_date": "2024-09-30", "DELETE": "on"},
        {"action": action.pk, "title_en": "Pilot", "due_date": "2025-01-15"},
        initial=2,
    )
    response = client.post(reverse("admin:strategy_action_change", args=[action.pk]), _action_form(action, **rows))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(Milestone.objects.filter(action=action).values_list("title_en", flat=True)) == [
        "Pilot",
        "Tender awarded",
    ]
    assert sorted(milestone_service_calls) == [("create", site_admin), ("delete", site_admin), ("update", site_admin)]
    assert {r.history_user for r in Milestone.history.filter(action_id=action.pk).exclude(history_user=None)} == {
        site_admin
    }


def test_admin_milestone_refused_by_the_service_saves_nothing_and_says_why(client, site_admin, monkeypatch):
    from django.core.exceptions import ValidationError

    from municipia.strategy import services

    def refuse(**kwargs):
        raise ValidationError({"due_date": "Refused by the service."})

    monkeypatch.setattr(services, "milestone_create", refuse)
    action = ActionFactory(progress=10)
    client.force_login(site_admin)
    rows = _milestone_rows({"action": action.pk, "title_en": "Pilot", "due_date": "2025-01-15"})
    form = _action_form(action, **rows, progress=40)
    response = client.post(reverse("admin:strategy_action_change", args=[action.pk]), form, follow=True)
    assert "Refused by the service." in response.content.decode()
    assert not Milestone.objects.filter(action=action).exists()
    action.refresh_from_db()
    assert action.progress == 10  # the action's own change was rolled back with it
