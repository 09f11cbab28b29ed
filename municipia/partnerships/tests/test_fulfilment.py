"""A commitment is fulfilled when its linked work is done; a contradiction is flagged to the parties' editors."""

import pytest
from django.urls import reverse

from municipia.diagnosis.choices import CampaignStatus
from municipia.diagnosis.tests.factories import CampaignFactory
from municipia.governance.choices import TaskStatus
from municipia.governance.tests.factories import BodyFactory, TaskFactory
from municipia.partnerships.selectors import commitment_state, commitments_with_work
from municipia.partnerships.tests.factories import CommitmentFactory
from municipia.strategy.choices import ActionStatus
from municipia.strategy.tests.factories import ActionFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(world):
    plan = PlanFactory(owner=world.council)
    action = ActionFactory(objective=ObjectiveFactory(axis__plan=plan), status=ActionStatus.IN_PROGRESS, progress=50)
    task = TaskFactory(body=BodyFactory(plan=plan))
    campaign = CampaignFactory(questionnaire__owner=world.partner)
    commitment = CommitmentFactory(agreement=world.public, party=world.partner)
    commitment.actions.add(action)
    commitment.tasks.add(task)
    commitment.campaigns.add(campaign)
    return commitment, action, task, campaign


def state_of(commitment):
    return commitment_state(commitments_with_work().get(pk=commitment.pk))


def test_commitment_without_linked_work_is_not_fulfilled(world):
    state = state_of(CommitmentFactory(agreement=world.public))
    assert not state.fulfilled and not state.has_work and not state.contradiction


def test_open_work_leaves_the_commitment_unfulfilled(linked):
    state = state_of(linked[0])
    assert not state.fulfilled and not state.contradiction


def test_task_done_and_campaign_closed_but_action_not_moved_is_a_contradiction(linked):
    commitment, action, task, campaign = linked
    task.status = TaskStatus.DONE
    task.save()
    campaign.status = CampaignStatus.CLOSED
    campaign.save()
    state = state_of(commitment)
    assert not state.fulfilled
    assert state.stalled_actions == [action]


def test_all_linked_work_done_means_fulfilled(linked):
    commitment, action, task, campaign = linked
    task.status = TaskStatus.DONE
    task.save()
    campaign.status = CampaignStatus.CLOSED
    campaign.save()
    action.progress = 100
    action.save()
    state = state_of(commitment)
    assert state.fulfilled and not state.contradiction


def test_cancelled_tasks_do_not_count(linked):
    commitment, action, task, campaign = linked
    task.status = TaskStatus.CANCELLED
    task.save()
    campaign.status = CampaignStatus.CLOSED
    campaign.save()
    action.status = ActionStatus.COMPLETED
    action.save()
    assert state_of(commitment).fulfilled


def test_contradiction_is_flagged_on_the_page_to_editors_only(client, world, linked):
    commitment, action, task, campaign = linked
    task.status = TaskStatus.DONE
    task.save()
    url = reverse("partnerships:agreement-detail", args=[world.public.slug])
    flag = "have not moved"
    assert flag not in client.get(url).content.decode()
    client.force_login(world.partner_editor)
    page = client.get(url).content.decode()
    assert flag in page and action.code in page
