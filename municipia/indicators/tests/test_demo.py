"""The indicator demo: illustrative values for the Catalan network, some off track, some stale; idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from municipia.indicators.benchmarking import network_benchmark
from municipia.indicators.demo import build_indicator_demo
from municipia.indicators.models import Indicator, Observation
from municipia.indicators.monitoring import plan_dashboard
from municipia.organizations.loaders import load_records, read_bulgarian, read_spanish
from municipia.organizations.models import Organization
from municipia.organizations.tests.factories import UserFactory
from municipia.strategy.demo import NETWORK_SLUG
from municipia.strategy.models import Plan

CATALAN = "agenda-digital-dels-municipis-de-catalunya"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Catalonia, Jerez and Sofia from the reference lists, then `load_demo`; rolled back at the module's end."""
    with django_db_blocker.unblock(), transaction.atomic():
        records = [r for r in read_spanish() if r.values["region_code"] == "09" or r.values["official_code"] == "11020"]
        records += [r for r in read_bulgarian() if r.values["official_code"] == "SOF46"]
        load_records(records)
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_demo_indicators_are_marked_illustrative_and_linked_to_the_plan(demo):
    assert "Indicators: 6 created" in demo
    indicators = Indicator.objects.filter(owner_organization__slug=NETWORK_SLUG)
    assert indicators.count() == 5
    for indicator in indicators:
        assert "illustrative" in indicator.description_en
        assert "il·lustratius" in indicator.description_ca
        assert indicator.objectives.filter(axis__plan__slug=CATALAN).exists()


def test_every_member_council_has_values_and_some_are_off_track_and_some_stale(demo):
    plan = Plan.objects.get(slug=CATALAN)
    dashboard = plan_dashboard(UserFactory(), plan)
    assert 10 < dashboard.off_track_total < 150
    assert 10 < dashboard.stale_total < 100
    network = Organization.objects.get(slug=NETWORK_SLUG)
    result = network_benchmark(Indicator.objects.get(code="ADC-01"), network, council="girona")
    assert result.ranked == 43
    assert result.highlighted is not None


def test_running_the_demo_again_adds_nothing(demo):
    before = Observation.objects.count()
    assert build_indicator_demo().existing
    assert Observation.objects.count() == before


def test_demo_pages_render(client, demo):
    indicator = Indicator.objects.get(code="ADC-01")
    for url in (
        reverse("indicators:plan-dashboard", args=[CATALAN]),
        reverse("indicators:indicator-detail", args=[indicator.pk]),
        reverse("indicators:indicator-benchmark", args=[indicator.pk, NETWORK_SLUG]) + "?council=girona",
    ):
        assert client.get(url).status_code == 200, url
