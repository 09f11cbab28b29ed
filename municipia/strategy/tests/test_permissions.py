"""The permission rules as a grid of roles × plan states (pages, admin and API all ask these)."""

import pytest

from municipia.organizations.choices import RoleKind
from municipia.organizations.tests.factories import (
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)
from municipia.strategy.choices import PlanStatus
from municipia.strategy.selectors import actions_visible_to, plans_visible_to
from municipia.strategy.tests.factories import ActionFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    council = OrganizationFactory()
    other_council = OrganizationFactory()
    network = NetworkFactory()
    NetworkMembershipFactory(network=network, member=council)
    users = {
        "anonymous": None,
        "plain user": UserFactory(),
        "own editor": RoleFactory(organization=council).user,
        "other editor": RoleFactory(organization=other_council).user,
        "network coordinator": RoleFactory(organization=network, kind=RoleKind.COORDINATOR).user,
        "site admin": UserFactory(is_superuser=True),
    }
    return council, network, users


def _user(users, name):
    from django.contrib.auth.models import AnonymousUser

    return users[name] or AnonymousUser()


# Who may change a council's plan, by plan state.
COUNCIL_GRID = {
    "anonymous": {"draft": False, "approved": False, "closed": False},
    "plain user": {"draft": False, "approved": False, "closed": False},
    "own editor": {"draft": True, "approved": True, "closed": False},
    "other editor": {"draft": False, "approved": False, "closed": False},
    # Coordinating a network does not make one an editor of its member councils.
    "network coordinator": {"draft": False, "approved": False, "closed": False},
    "site admin": {"draft": True, "approved": True, "closed": True},
}


@pytest.mark.parametrize("role", COUNCIL_GRID)
@pytest.mark.parametrize("state", ["draft", "approved", "closed"])
def test_change_council_plan_grid(world, role, state):
    council, _network, users = world
    action = ActionFactory(objective__axis__plan__owner=council, objective__axis__plan__status=state)
    user = _user(users, role)
    expected = COUNCIL_GRID[role][state]
    assert user.has_perm("strategy.change_plan", action.plan) is expected
    assert user.has_perm("strategy.change_action", action) is expected
    assert user.has_perm("strategy.add_action", action.plan) is expected
    assert user.has_perm("strategy.delete_action", action) is expected
    assert user.has_perm("strategy.change_objective", action.objective) is expected


NETWORK_GRID = {
    "anonymous": False,
    "plain user": False,
    "own editor": False,  # a member council's editor does not edit the network's plan
    "other editor": False,
    "network coordinator": True,
    "site admin": True,
}


@pytest.mark.parametrize("role", NETWORK_GRID)
def test_change_network_plan_grid(world, role):
    _council, network, users = world
    action = ActionFactory(objective__axis__plan__owner=network, objective__axis__plan__status=PlanStatus.APPROVED)
    assert _user(users, role).has_perm("strategy.change_action", action) is NETWORK_GRID[role]


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", False), ("own editor", True), ("other editor", False), ("site admin", True)],
)
def test_create_plan_needs_role_on_owner(world, role, expected):
    council, _network, users = world
    assert _user(users, role).has_perm("strategy.add_plan", council) is expected


@pytest.mark.parametrize(
    ("role", "visible"),
    [("anonymous", False), ("other editor", False), ("own editor", True), ("site admin", True)],
)
def test_unpublished_plan_is_visible_only_to_its_editors(world, role, visible):
    council, _network, users = world
    action = ActionFactory(objective__axis__plan__owner=council, objective__axis__plan__is_published=False)
    published = PlanFactory(is_published=True)
    user = _user(users, role)
    assert (action.plan in plans_visible_to(user)) is visible
    assert (action in actions_visible_to(user)) is visible
    assert published in plans_visible_to(user)
    assert user.has_perm("strategy.view_plan", action.plan) is visible


@pytest.mark.parametrize(
    ("state", "expected"), [("draft", True), ("diagnosis", True), ("approved", False), ("in_execution", False)]
)
def test_editors_delete_only_plans_not_yet_approved(world, state, expected):
    council, _network, users = world
    plan = PlanFactory(owner=council, status=state)
    assert users["own editor"].has_perm("strategy.delete_plan", plan) is expected


@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", False), ("own editor", True), ("other editor", False), ("site admin", True)]
)
def test_history_is_for_editors(world, role, expected):
    council, _network, users = world
    plan = PlanFactory(owner=council)
    assert _user(users, role).has_perm("strategy.view_history", plan) is expected
