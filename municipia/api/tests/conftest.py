"""Fixtures of the API tests: an API client and a small world of councils, a network and plans."""

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from municipia.organizations.choices import RoleKind
from municipia.organizations.models import Organization
from municipia.organizations.tests.factories import (
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)
from municipia.strategy.models import Action, Axis, Objective, Plan
from municipia.strategy.tests.factories import ActionFactory, AxisFactory, ObjectiveFactory, PlanFactory


@pytest.fixture
def api():
    return APIClient()


@dataclass
class World:
    council_a: Organization
    council_b: Organization
    network: Organization
    plan_a: Plan
    draft_a: Plan
    plan_b: Plan
    network_plan: Plan
    axis_a: Axis
    objective_a: Objective
    action_a: Action
    editor_a: object
    editor_b: object
    coordinator: object
    plain_user: object


@pytest.fixture
def world(db) -> World:
    council_a = OrganizationFactory(name_en="Jerez de la Frontera", slug="jerez")
    council_b = OrganizationFactory(name_en="Tremp", slug="tremp")
    network = NetworkFactory(name_en="Catalan councils", slug="catalan-network")
    NetworkMembershipFactory(network=network, member=council_b)
    plan_a = PlanFactory(
        owner=council_a, slug="jerez-smart-city", title_en="Smart City plan", title_es="Plan Smart City"
    )
    draft_a = PlanFactory(owner=council_a, slug="jerez-draft", is_published=False)
    plan_b = PlanFactory(owner=council_b, slug="tremp-digital")
    network_plan = PlanFactory(owner=network, slug="digital-agenda")
    axis_a = AxisFactory(plan=plan_a, code="1")
    objective_a = ObjectiveFactory(axis=axis_a, code="1.1")
    action_a = ActionFactory(objective=objective_a, code="1.1.1", progress=40)
    return World(
        council_a=council_a,
        council_b=council_b,
        network=network,
        plan_a=plan_a,
        draft_a=draft_a,
        plan_b=plan_b,
        network_plan=network_plan,
        axis_a=axis_a,
        objective_a=objective_a,
        action_a=action_a,
        editor_a=RoleFactory(organization=council_a).user,
        editor_b=RoleFactory(organization=council_b).user,
        coordinator=RoleFactory(organization=network, kind=RoleKind.COORDINATOR).user,
        plain_user=UserFactory(),
    )


def action_payload(plan: Plan, objective: Objective, /, **overrides) -> dict:
    payload = {
        "plan": plan.slug,
        "objective": objective.pk,
        "code": "9.9.9",
        "title_en": "Open data portal",
        "title_ca": "Portal de dades obertes",
        "start_date": "2024-02-01",
        "end_date": "2025-01-31",
        "status": "planned",
        "progress": 10,
        "budget": "25000.00",
    }
    payload.update(overrides)
    return payload
