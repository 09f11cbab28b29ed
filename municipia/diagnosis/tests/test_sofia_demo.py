"""Sofia's synthetic citizen study: marked as demo data, skewed, and changed visibly by weighting."""

import pytest
from django.utils import timezone

from municipia.diagnosis import results
from municipia.diagnosis.models import Answer, Campaign, Response
from municipia.diagnosis.sofia_demo import CAMPAIGN_SLUG, build_sofia_demo
from municipia.organizations.choices import Country
from municipia.organizations.tests.factories import OrganizationFactory, PartnerFactory
from municipia.strategy.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sofia_study():
    sofia = OrganizationFactory(name_en="Sofia", slug="sofia", country=Country.BULGARIA)
    partner = PartnerFactory(name_en="IAB Bulgaria", slug="iab-bulgaria")
    plan = PlanFactory(owner=sofia, slug="sofia-digital-transformation")
    return build_sofia_demo(owner=partner, published_to=sofia, plan=plan)


def test_study_is_owned_by_the_partner_published_to_sofia_and_marked_as_demo(sofia_study):
    campaign = sofia_study.campaign
    assert sofia_study.created
    assert campaign.owner.slug == "iab-bulgaria"
    assert campaign.results_published_to.slug == "sofia"
    assert campaign.is_demo
    assert "DEMO DATA" in campaign.description_en and "synthetic" in campaign.description_en
    assert "ДЕМО ДАННИ" in campaign.description_bg
    assert Response.objects.filter(campaign=campaign).count() >= 1000
    assert not Response.objects.filter(campaign=campaign, is_demo=False).exists()


def test_anonymous_synthetic_responses_keep_nothing_identifying(sofia_study):
    responses = Response.objects.filter(campaign=sofia_study.campaign)
    assert not responses.filter(user__isnull=False).exists()
    assert not responses.filter(invitation__isnull=False).exists()
    assert {timezone.localtime(r.submitted_at).time().isoformat() for r in responses[:50]} == {"00:00:00"}


def test_building_twice_changes_nothing(sofia_study):
    answers = Answer.objects.count()
    again = build_sofia_demo()
    assert not again.created
    assert Campaign.objects.filter(slug=CAMPAIGN_SLUG).count() == 1
    assert Answer.objects.count() == answers


def test_weighting_to_sofias_population_visibly_changes_the_results(sofia_study):
    computed = results.campaign_results(sofia_study.campaign, use_cache=False)
    weighting = computed.weighting
    assert weighting.applied, [p.message for p in weighting.problems]
    assert weighting.result.converged
    assert weighting.excluded == 0
    assert weighting.result.design_effect > 1.2
    # The sample is too young: weighting raises the share of people aged 60 or over …
    old = next(c for c in weighting.checks if c.category in ("60-plus|female",))
    assert old.sample < old.population - 0.05
    assert old.weighted == pytest.approx(old.population, abs=1e-5)
    # … and so lowers the share who used online services by several points.
    used = computed.questions["used_online"].frequencies.row("yes")
    assert used.percent - used.weighted_percent > 5
    satisfaction = computed.questions["satisfaction"]
    assert satisfaction.weighted_mean.mean < satisfaction.mean.mean
    assert satisfaction.weighted_mean.high - satisfaction.weighted_mean.low > (
        satisfaction.mean.high - satisfaction.mean.low
    )


def test_sofias_margins_are_stored_on_the_campaign_as_shares(sofia_study):
    margins = Campaign.objects.get(slug=CAMPAIGN_SLUG).population_margins
    assert set(margins) == {"age_band|sex", "district"}
    assert sum(margins["district"].values()) == pytest.approx(1.0)
    # 176,000 women aged 60 or over of 1,020,000 adults (data/sofia_population_margins.csv).
    assert margins["age_band|sex"]["60-plus|female"] == pytest.approx(176 / 1020)
    assert results.campaign_margins(sofia_study.campaign) == margins
