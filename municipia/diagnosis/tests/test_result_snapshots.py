"""Stored results: served without recomputing, stale ones recomputed inline or by one background task."""

import contextlib
import datetime as dt

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from municipia.diagnosis import results, services, tasks
from municipia.diagnosis.models import CampaignResultSnapshot
from municipia.diagnosis.tests.test_results import add_responses, build_campaign
from municipia.organizations.tests.factories import OrganizationFactory, PartnerFactory, RoleFactory

pytestmark = pytest.mark.django_db

# A worker exists (Celery on Redis) and campaigns of 10 responses or more count as large.
WITH_WORKER = {"REDIS_URL": "redis://broker.invalid:6379/0", "DIAGNOSIS_INLINE_RESULTS_MAX": 10}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def council():
    return OrganizationFactory(name_en="Council")


@pytest.fixture
def editor(council):
    return RoleFactory(organization=council).user


@pytest.fixture
def study(council):
    campaign, questions = build_campaign(PartnerFactory(), published_to=council)
    add_responses(campaign, questions, 40)
    return campaign, questions


@pytest.fixture
def queued(monkeypatch):
    """Records the background computations queued instead of sending them to a broker."""
    calls = []
    monkeypatch.setattr(tasks.compute_campaign_results, "delay", lambda campaign_id: calls.append(campaign_id))
    return calls


@pytest.fixture
def worker(django_capture_on_commit_callbacks):
    """A worker exists (settings) and tasks are queued when the request's transaction commits
    (the test's transaction never does: the callbacks run when the block ends)."""

    @contextlib.contextmanager
    def block():
        with override_settings(**WITH_WORKER), django_capture_on_commit_callbacks(execute=True):
            yield

    return block


def results_url(campaign):
    return reverse("diagnosis-results:campaign", kwargs={"slug": campaign.slug})


@pytest.mark.parametrize(
    ("redis_url", "responses", "background"),
    [("", 100_000, False), ("", 3, False), ("redis://r:6379/0", 4_999, False), ("redis://r:6379/0", 5_000, True)],
)
def test_large_campaigns_compute_in_the_background_only_with_a_worker(redis_url, responses, background):
    with override_settings(REDIS_URL=redis_url):
        assert results.computes_in_background(responses) is background


def test_computed_results_are_stored_and_served_from_the_snapshot(study):
    campaign, _questions = study
    computed = results.campaign_results(campaign)
    snapshot = CampaignResultSnapshot.objects.get(campaign=campaign)
    assert (snapshot.key, snapshot.responses) == (results.results_key(campaign), 40)
    assert snapshot.last_response_id == campaign.responses.order_by("-id").first().pk
    cache.clear()  # another process, or a restarted one: the database still has them
    state = results.campaign_results_page(campaign)
    assert state.current and state.results.key == computed.key
    assert state.results.questions["wanted"].frequencies.row("parking").count == 20


def test_stale_results_of_a_large_campaign_are_served_with_a_notice_and_one_task_is_queued(
    client, study, editor, queued, worker
):
    campaign, questions = study
    results.campaign_results(campaign)
    add_responses(campaign, questions, 3, start=40)
    client.force_login(editor)
    with worker():
        page = client.get(results_url(campaign))
    with worker():
        again = client.get(results_url(campaign))
    assert page.status_code == 200
    state = page.context["state"]
    assert not state.current and state.computing and state.new_responses == 3
    assert state.results.responses == 40  # the previous results
    content = page.content.decode()
    assert "Results as of" in content and "Recomputing with 3 new responses in the background" in content
    assert "background worker" in content
    # One computation per campaign at a time: the second visit queues nothing.
    assert queued == [campaign.pk]
    assert again.context["state"].computing
    # The worker's task computes and stores the current results, and releases the claim.
    assert tasks.compute_campaign_results(campaign.pk) == 43
    snapshot = CampaignResultSnapshot.objects.get(campaign=campaign)
    assert snapshot.key == results.results_key(campaign) and snapshot.computing_since is None
    with override_settings(**WITH_WORKER):
        fresh = client.get(results_url(campaign))
    assert fresh.context["state"].current and fresh.context["computed"].responses == 43
    assert "Results as of" not in fresh.content.decode()


def test_a_large_campaign_never_computed_says_it_is_being_computed(client, study, editor, queued, worker):
    campaign, _questions = study
    client.force_login(editor)
    with worker():
        page = client.get(results_url(campaign))
    assert page.status_code == 200
    assert "The results of 40 responses are being computed in the background" in page.content.decode()
    assert queued == [campaign.pk]


def test_a_margin_change_makes_stored_results_stale(client, study, editor, queued, worker):
    campaign, _questions = study
    results.campaign_results(campaign)
    services.campaign_margins_update(acting_user=None, campaign=campaign, margins={"sex": {"female": 0.6, "male": 0.4}})
    client.force_login(editor)
    with worker():
        content = client.get(results_url(campaign)).content.decode()
    assert "Recomputing with the changed population margins" in content
    assert queued == [campaign.pk]


def test_a_lost_background_computation_is_claimed_again_after_the_timeout(study, queued, worker):
    campaign, questions = study
    results.campaign_results(campaign)
    add_responses(campaign, questions, 1, start=40)
    with worker():
        results.campaign_results_page(campaign)
        results.campaign_results_page(campaign)
    assert queued == [campaign.pk]
    lost = timezone.now() - results.COMPUTING_TIMEOUT - dt.timedelta(minutes=1)
    CampaignResultSnapshot.objects.filter(campaign=campaign).update(computing_since=lost)
    with worker():
        results.campaign_results_page(campaign)
    assert queued == [campaign.pk, campaign.pk]


def test_without_a_worker_stale_results_are_computed_on_the_request(client, study, editor, queued):
    campaign, questions = study
    results.campaign_results(campaign)
    add_responses(campaign, questions, 2, start=40)
    client.force_login(editor)
    with override_settings(REDIS_URL="", DIAGNOSIS_INLINE_RESULTS_MAX=10):
        page = client.get(results_url(campaign))
    assert page.context["state"].current and page.context["computed"].responses == 42
    assert "on demand" in page.content.decode()
    assert queued == []


def test_results_page_from_the_stored_snapshot_uses_a_constant_number_of_queries(
    client, council, editor, django_assert_max_num_queries
):
    partner = PartnerFactory()
    client.force_login(editor)
    for slug, count in (("small", 5), ("large", 300)):
        campaign, questions = build_campaign(partner, published_to=council, slug=slug)
        add_responses(campaign, questions, count)
        results.campaign_results(campaign)
        cache.clear()  # another process: the results come from the database, the page is rendered
        with django_assert_max_num_queries(12):
            response = client.get(results_url(campaign))
        assert response.status_code == 200 and response.context["state"].current
        assert response.context["computed"].responses == count
        # Then the rendered body is reused: session, user, campaign, results version.
        with django_assert_max_num_queries(5):
            again = client.get(results_url(campaign))
        content = again.content.decode()
        assert "Question satisfaction" in content and f"{count} responses" in content and "<svg" in content
        assert "state" not in again.context  # the body was not rendered again


def test_command_computes_one_campaign_or_every_stale_one(study, council):
    campaign, _questions = study
    other, other_questions = build_campaign(PartnerFactory(), published_to=council, slug="other")
    add_responses(other, other_questions, 4)
    call_command("compute_survey_results", "--campaign", campaign.slug, verbosity=0)
    assert CampaignResultSnapshot.objects.get(campaign=campaign).key == results.results_key(campaign)
    assert not CampaignResultSnapshot.objects.filter(campaign=other).exists()
    call_command("compute_survey_results", verbosity=0)
    assert CampaignResultSnapshot.objects.get(campaign=other).responses == 4
    with pytest.raises(CommandError, match="no-such-campaign"):
        call_command("compute_survey_results", "--campaign", "no-such-campaign", verbosity=0)


def test_the_task_skips_a_deleted_campaign():
    assert tasks.compute_campaign_results(999_999) == 0
