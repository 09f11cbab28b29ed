"""Every API list answers in a fixed number of queries whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from municipia.organizations.tests.factories import (
    DepartmentFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    PersonFactory,
    RoleFactory,
)
from municipia.strategy.tests.factories import (
    ActionFactory,
    AxisFactory,
    ChallengeFactory,
    MilestoneFactory,
    ObjectiveFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db

# Reading with a session-less client: count + page + prefetches (+ roll-up for plans, axes, objectives).
MAX_QUERIES = 7  # includes the public cache's content-version read


def _grow(size: int) -> None:
    """Adds `size` of everything: plans with content, actions with links, councils in networks."""
    network = NetworkFactory()
    for _ in range(size // 10):
        council = OrganizationFactory()
        NetworkMembershipFactory(network=network, member=council)
        plan = PlanFactory(owner=council)
        axis = AxisFactory(plan=plan)
        objective = ObjectiveFactory(axis=axis)
        objective.challenges.add(ChallengeFactory(axis=axis))
        department = DepartmentFactory(organization=council)
        lead = PersonFactory(organization=council)
        previous = None
        for _ in range(10):
            action = ActionFactory(objective=objective, owner_department=department, lead=lead)
            action.participants.add(council)
            if previous:
                action.dependencies.add(previous)
            MilestoneFactory(action=action)
            previous = action


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"page_size": 200})
    assert response.status_code == 200
    assert response.json()["results"]
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/actions/",
        "/api/v1/plans/",
        "/api/v1/axes/",
        "/api/v1/challenges/",
        "/api/v1/objectives/",
        "/api/v1/milestones/",
        "/api/v1/organizations/",
        "/api/v1/networks/",
    ],
)
def test_list_queries_do_not_grow_with_the_page(api, url, django_assert_max_num_queries):
    _grow(30)
    small = _queries(api, url)
    _grow(30)  # now 60 actions, 6 plans, 2 networks…
    with django_assert_max_num_queries(MAX_QUERIES):
        large = _queries(api, url)
    assert large == small


def test_signed_in_action_list_is_constant_too(api, django_assert_max_num_queries):
    editor = RoleFactory().user
    _grow(30)
    # A fresh user object per request, as in production (the roles are cached on it).
    api.force_authenticate(type(editor).objects.get(pk=editor.pk))
    small = _queries(api, "/api/v1/actions/")
    _grow(30)
    api.force_authenticate(type(editor).objects.get(pk=editor.pk))
    with django_assert_max_num_queries(MAX_QUERIES + 1):  # + the editor's roles
        large = _queries(api, "/api/v1/actions/")
    assert large == small
