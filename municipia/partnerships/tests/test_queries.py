"""Pages and API lists cost a fixed number of queries whatever the number of rows."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.diagnosis.tests.factories import CampaignFactory
from municipia.governance.tests.factories import MeetingFactory, TaskFactory
from municipia.partnerships.tests.factories import (
    AgreementFactory,
    ClarificationFactory,
    CommitmentFactory,
    NewsPostFactory,
    SignatoryFactory,
)
from municipia.strategy.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

ROWS = 12


@pytest.fixture
def filled(world):
    for _ in range(ROWS):
        AgreementFactory(owner=world.council, parties=[world.partner])
        ClarificationFactory(publisher=world.council)
        NewsPostFactory(organization=world.council)
        SignatoryFactory(agreement=world.public)
        commitment = CommitmentFactory(agreement=world.public, party=world.partner)
        commitment.actions.add(ActionFactory())
        commitment.tasks.add(TaskFactory())
        commitment.meetings.add(MeetingFactory())
        commitment.campaigns.add(CampaignFactory())
    return world


@pytest.mark.parametrize(
    "name, args, limit",
    [
        ("partnerships:agreement-list", [], 12),
        ("partnerships:agreement-detail", ["sofia-iab"], 22),
        ("partnerships:clarification-list", [], 10),
        ("partnerships:newspost-list", [], 10),
        ("partnerships:news-feed", ["atom"], 6),
        ("partnerships:clarification-feed", [], 6),
    ],
)
def test_pages_cost_fixed_queries(client, filled, django_assert_max_num_queries, name, args, limit):
    client.force_login(filled.partner_editor)
    with django_assert_max_num_queries(limit):
        response = client.get(reverse(name, args=args))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path, limit",
    [
        ("/api/v1/agreements/", 12),
        ("/api/v1/commitments/", 14),
        ("/api/v1/clarifications/", 10),
        ("/api/v1/news/", 12),
    ],
)
def test_api_lists_cost_fixed_queries(filled, django_assert_max_num_queries, path, limit):
    api = APIClient()
    api.force_authenticate(filled.partner_editor)
    with django_assert_max_num_queries(limit):
        response = api.get(path)
    body = response.json()
    assert response.status_code == 200 and len(body["results"]) >= min(ROWS, 2)
