"""The action page shows the commitments it serves and offers to move it when their work is done;
plan and organisation pages link their agreements, news and clarifications."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from municipia.diagnosis.choices import CampaignStatus
from municipia.diagnosis.models import Response
from municipia.diagnosis.tests.factories import CampaignFactory
from municipia.governance.choices import TaskStatus
from municipia.governance.tests.factories import BodyFactory, TaskFactory
from municipia.organizations.tests.factories import UserFactory
from municipia.partnerships.choices import NewsStatus
from municipia.partnerships.tests.factories import CommitmentFactory, NewsPostFactory
from municipia.strategy.choices import ActionStatus
from municipia.strategy.tests.factories import ActionFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(world):
    plan = PlanFactory(owner=world.council, slug="sofia-plan")
    action = ActionFactory(
        objective=ObjectiveFactory(axis__plan=plan), status=ActionStatus.IN_PROGRESS, progress=50, title_en="Study"
    )
    task = TaskFactory(body=BodyFactory(plan=plan), title_en="Deliver the quantitative study", status=TaskStatus.DONE)
    campaign = CampaignFactory(questionnaire__owner=world.partner, status=CampaignStatus.CLOSED)
    for _ in range(3):
        Response.objects.create(campaign=campaign, submitted_at=timezone.now())
    commitment = CommitmentFactory(agreement=world.public, party=world.partner, deliverable_en="Quantitative study")
    commitment.actions.add(action)
    commitment.tasks.add(task)
    commitment.campaigns.add(campaign)
    return plan, action


def test_the_action_page_shows_the_commitment_and_its_done_work(client, world, served):
    _plan, action = served
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Commitments this action serves" in page and "Quantitative study" in page
    assert "3 responses" in page and "not public" in page  # the study's title is for its owner's editors
    assert "has not moved" not in page  # the offer to move is for the action's editors only


def test_the_editor_is_offered_the_move_and_making_it_completes_the_action(client, world, served):
    _plan, action = served
    client.force_login(world.editor)
    page = client.get(action.get_absolute_url()).content.decode()
    assert "has not moved. Its progress: 50 %" in page
    response = client.post(reverse("partnerships:action-complete", args=[action.pk]))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED and action.progress == 100
    assert "has not moved" not in client.get(action.get_absolute_url()).content.decode()


def test_only_the_actions_editors_may_move_it(client, world, served):
    _plan, action = served
    url = reverse("partnerships:action-complete", args=[action.pk])
    for user in (world.partner_editor, world.other_editor, UserFactory()):
        client.force_login(user)
        assert client.post(url).status_code == 403
    client.logout()
    assert client.post(url).status_code in (302, 403)
    action.refresh_from_db()
    assert action.progress == 50


def test_plan_and_organisation_pages_link_agreements_news_and_clarifications(client, world, served):
    plan, _action = served
    NewsPostFactory(
        organization=world.council,
        title_en="The memorandum is signed",
        status=NewsStatus.PUBLISHED,
        publish_at=timezone.now() - datetime.timedelta(days=1),
        plans=[plan],
    )
    plan_page = client.get(plan.get_absolute_url()).content.decode()
    assert "Sofia and IAB" in plan_page and "The memorandum is signed" in plan_page
    organization_page = client.get(world.partner.get_absolute_url()).content.decode()
    assert "Sofia and IAB" in organization_page
    assert "sofia-iab-private" not in organization_page  # private agreements only to the parties' editors
