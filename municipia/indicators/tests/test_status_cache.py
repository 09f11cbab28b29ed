"""The status cache of the dashboard and of network benchmarks: the same numbers as computed afresh,
and every write of a value, baseline or target (one at a time or imported) shows at once."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from municipia.indicators import services
from municipia.indicators.benchmarking import member_assessments, network_benchmark
from municipia.indicators.choices import IndicatorStatus
from municipia.indicators.models import Indicator
from municipia.indicators.monitoring import indicator_summary, plan_dashboard, plan_organization_ids
from municipia.indicators.tests.conftest import csv_bytes
from municipia.indicators.tests.factories import ObservationFactory
from municipia.indicators.tests.test_dashboard import TODAY, network_plan
from municipia.organizations.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

D = Decimal


def _dashboard_numbers(dashboard) -> dict:
    return {
        "counts": {s.indicator.pk: s.counts for s in dashboard.indicators},
        "stale": {s.indicator.pk: s.stale for s in dashboard.indicators},
        "off_track": [(i.indicator.pk, i.organization.pk, i.assessment.latest) for i in dashboard.off_track],
        "stale_rows": [(i.indicator.pk, i.organization.pk) for i in dashboard.stale],
        "totals": (dashboard.off_track_total, dashboard.stale_total),
    }


def _fresh_numbers(plan, indicators) -> dict:
    """What the dashboard shows, computed from the observations without any cache."""
    summary = indicator_summary(indicators, plan_organization_ids(plan), TODAY)
    return {
        "counts": {i.pk: summary.counts.get(i.pk, {}) for i in indicators},
        "stale": {i.pk: summary.stale_counts.get(i.pk, 0) for i in indicators},
        "off_track": [(ind, org, a.latest) for ind, org, a in summary.off_track],
        "stale_rows": [(ind, org) for ind, org, _a in summary.stale],
        "totals": (summary.off_track_total, summary.stale_total),
    }


def _benchmark_numbers(benchmark) -> list:
    return [(row.organization.pk, row.value, row.rank, row.band_rank, row.assessment.status) for row in benchmark.rows]


def test_cached_dashboard_gives_the_numbers_computed_afresh_in_fewer_queries(db):
    plan, _online = network_plan(6, "agenda")
    user = UserFactory()
    with CaptureQueriesContext(connection) as first:
        computed = plan_dashboard(user, plan, today=TODAY)
    with CaptureQueriesContext(connection) as second:
        cached = plan_dashboard(user, plan, today=TODAY)
    indicators = [summary.indicator for summary in computed.indicators]
    assert _dashboard_numbers(cached) == _dashboard_numbers(computed) == _fresh_numbers(plan, indicators)
    assert _dashboard_numbers(cached)["totals"][0] > 0
    # The observations, targets and baselines are not read again.
    assert not [q for q in second.captured_queries if "indicators_observation" in q["sql"]]
    assert len(second.captured_queries) < len(first.captured_queries)


def test_an_observation_written_through_the_service_shows_at_once_on_the_dashboard(db):
    plan, online = network_plan(3, "agenda")
    user = UserFactory()
    before = plan_dashboard(user, plan, today=TODAY)
    assert before.indicators[0].counts == {IndicatorStatus.OFF_TRACK: 3}
    council = before.off_track[0].organization
    services.observation_create(
        acting_user=None, indicator=online, organization=council, data={"date": dt.date(2024, 12, 31), "value": D(85)}
    )
    after = plan_dashboard(user, plan, today=TODAY)
    online_counts = next(s.counts for s in after.indicators if s.indicator.pk == online.pk)
    assert online_counts == {IndicatorStatus.OFF_TRACK: 2, IndicatorStatus.ON_TRACK: 1}
    assert _dashboard_numbers(after) == _fresh_numbers(plan, [s.indicator for s in after.indicators])


def test_a_target_changed_through_the_service_shows_at_once_on_the_dashboard(db):
    plan, online = network_plan(3, "agenda")
    user = UserFactory()
    before = plan_dashboard(user, plan, today=TODAY)
    assert next(s.counts for s in before.indicators if s.indicator.pk == online.pk) == {IndicatorStatus.OFF_TRACK: 3}
    target = online.targets.get(year=2024)
    services.target_update(acting_user=None, target=target, data={"value": D(30)})  # already met: on track
    after = plan_dashboard(user, plan, today=TODAY)
    assert next(s.counts for s in after.indicators if s.indicator.pk == online.pk) == {IndicatorStatus.ON_TRACK: 3}


def test_cached_benchmark_gives_the_numbers_computed_afresh(db):
    plan, online = network_plan(8, "agenda")
    network = plan.owner
    computed = network_benchmark(online, network, today=TODAY)
    cached = network_benchmark(online, network, council=computed.rows[2].organization.slug, today=TODAY)
    assert _benchmark_numbers(cached) == _benchmark_numbers(computed)
    assert cached.highlighted is cached.rows[2] and computed.highlighted is None  # highlighting is per request
    fresh = member_assessments(online, [row.organization.pk for row in computed.rows], TODAY)
    assert {pk: a.latest.value for pk, a in fresh.items()} == {r.organization.pk: r.value for r in cached.rows}
    assert [row.value for row in cached.rows] == sorted((row.value for row in cached.rows), reverse=True)


def test_an_observation_written_or_deleted_through_the_service_changes_the_benchmark_at_once(db):
    plan, online = network_plan(4, "agenda")
    network = plan.owner
    before = network_benchmark(online, network, today=TODAY)
    last = before.rows[-1]
    assert (last.rank, last.value) == (4, D(40))
    observation = services.observation_create(
        acting_user=None,
        indicator=online,
        organization=last.organization,
        data={"date": dt.date(2024, 12, 31), "value": D(99)},
    )
    after = network_benchmark(online, network, today=TODAY)
    assert (after.rows[0].organization, after.rows[0].value, after.rows[0].rank) == (last.organization, D(99), 1)
    services.observation_delete(acting_user=None, observation=observation)
    again = network_benchmark(online, network, today=TODAY)
    assert _benchmark_numbers(again) == _benchmark_numbers(before)


def test_an_import_changes_the_benchmark_at_once_and_marks_only_its_indicators(db):
    plan, online = network_plan(3, "agenda")
    network = plan.owner
    other = Indicator.objects.exclude(pk=online.pk).get(owner_organization=network)
    other_version = other.updated_at
    before = network_benchmark(online, network, today=TODAY)
    council = before.rows[-1].organization
    content = csv_bytes([[online.code, council.slug, "2024-06-30", "120", "", ""]])
    outcome = services.observations_import(acting_user=None, name="values.csv", content=content)
    assert outcome.ok and outcome.created == 1
    after = network_benchmark(online, network, today=TODAY)
    assert (after.rows[0].organization, after.rows[0].value) == (council, D(120))
    other.refresh_from_db()
    assert other.updated_at == other_version  # its cached status stays good


def test_a_write_that_bypasses_the_services_is_not_seen_until_the_versions_move(db):
    """Documents the contract: the services mark the indicator changed; a bare save does not."""
    plan, online = network_plan(2, "agenda")
    network = plan.owner
    before = network_benchmark(online, network, today=TODAY)
    ObservationFactory(
        indicator=online, organization=before.rows[-1].organization, date=dt.date(2024, 12, 31), value=D(99)
    )
    assert _benchmark_numbers(network_benchmark(online, network, today=TODAY)) == _benchmark_numbers(before)
    services.touch_indicators([online.pk])
    assert network_benchmark(online, network, today=TODAY).rows[0].value == D(99)


def _off_track_shown(content: str) -> int:
    """The "Indicator values off track" figure of the dashboard's summary."""
    match = re.search(r"Indicator values off track</span><strong>(\d+)</strong>", content)
    assert match, "the summary lists the values off track"
    return int(match.group(1))


def test_signed_in_readers_share_the_dashboard_and_see_a_new_value_at_once(client, db):
    plan, online = network_plan(3, "agenda")
    url = reverse("indicators:plan-dashboard", args=["agenda"])
    client.force_login(UserFactory())
    before = _off_track_shown(client.get(url).content.decode())
    client.force_login(UserFactory())  # another reader: the same content
    assert _off_track_shown(client.get(url).content.decode()) == before
    council = plan.owner.members.order_by("pk").first()
    services.observation_create(
        acting_user=None, indicator=online, organization=council, data={"date": dt.date(2025, 6, 30), "value": D(95)}
    )
    after = _off_track_shown(client.get(url).content.decode())
    assert after == before - 1 == plan_dashboard(UserFactory(), plan).off_track_total


def test_readers_who_may_see_a_private_indicator_do_not_share_their_dashboard(client, db):
    plan, online = network_plan(2, "agenda")
    online.is_public = False
    online.save()
    url = reverse("indicators:plan-dashboard", args=["agenda"])
    client.force_login(RoleFactory(organization=plan.owner).user)
    assert online.code in client.get(url).content.decode()
    client.force_login(UserFactory())
    assert online.code not in client.get(url).content.decode()
    client.logout()
    assert online.code not in client.get(url).content.decode()


def test_the_benchmarking_page_highlights_each_readers_council_from_the_shared_benchmark(client, db):
    plan, online = network_plan(4, "agenda")
    url = reverse("indicators:indicator-benchmark", args=[online.pk, plan.owner.slug])
    members = list(plan.owner.members.order_by("pk"))
    client.force_login(UserFactory())
    for member in members[:2]:
        content = client.get(url, {"council": member.slug}).content.decode()
        assert f"Where {member.name} stands" in content


def test_admin_deletes_go_through_the_services_so_the_cached_benchmark_moves(client, site_admin):
    plan, online = network_plan(2, "agenda")
    network = plan.owner
    council = network.members.order_by("pk").first()
    newest = services.observation_create(
        acting_user=None, indicator=online, organization=council, data={"date": dt.date(2025, 6, 30), "value": D(99)}
    )
    row = {r.organization: r.value for r in network_benchmark(online, network, today=TODAY).rows}
    assert row[council] == D(99)
    client.force_login(site_admin)
    response = client.post(
        reverse("admin:indicators_observation_changelist"),
        {"action": "delete_selected", "_selected_action": [newest.pk], "post": "yes"},
    )
    assert response.status_code == 302
    row = {r.organization: r.value for r in network_benchmark(online, network, today=TODAY).rows}
    assert row.get(council) != D(99)
    assert Indicator.objects.get(pk=online.pk).updated_at > newest.created_at
