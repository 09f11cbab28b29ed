"""Network benchmarking: ranks by direction, quartiles on a hand-computed case, peer groups, pages and API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.indicators.benchmarking import (
    competition_ranks,
    network_benchmark,
    population_band,
    summarise,
)
from municipia.indicators.choices import Direction
from municipia.indicators.tests.factories import IndicatorFactory, ObservationFactory, TargetFactory
from municipia.organizations.tests.factories import NetworkFactory, NetworkMembershipFactory, OrganizationFactory

D = Decimal


def test_quartiles_match_a_hand_computed_case():
    # 1..8, inclusive method: Q1 at position 1 + 0.25 × 7 = 2.75 → 2.75; median 4.5; Q3 at 6.25 → 6.25.
    summary = summarise([D(v) for v in (8, 3, 1, 6, 2, 7, 5, 4)])
    assert (summary.q1, summary.median, summary.q3) == (D("2.75"), D("4.5"), D("6.25"))
    assert (summary.best, summary.worst, summary.count) == (D(8), D(1), 8)


def test_quartiles_of_an_odd_count_and_of_one_value():
    summary = summarise([D(10), D(20), D(40)])
    assert (summary.q1, summary.median, summary.q3) == (D(15), D(20), D(30))
    single = summarise([D("7.5")])
    assert single.q1 == single.median == single.q3 == D("7.5")
    assert summarise([]).count == 0 and summarise([]).median is None


def test_best_and_worst_follow_the_direction():
    summary = summarise([D(3), D(9)], Direction.LOWER)
    assert (summary.best, summary.worst) == (D(3), D(9))


def test_ranks_follow_the_direction_and_ties_share_a_rank():
    values = {"a": D(10), "b": D(30), "c": D(30), "d": D(5)}
    assert competition_ranks(values, Direction.HIGHER) == {"b": 1, "c": 1, "a": 3, "d": 4}
    assert competition_ranks(values, Direction.LOWER) == {"d": 1, "a": 2, "b": 3, "c": 3}


@pytest.mark.parametrize(
    ("population", "band"),
    [(0, 0), (4_999, 0), (5_000, 1), (19_999, 1), (20_000, 2), (50_000, 3), (100_000, 4), (499_999, 4),
     (500_000, 5), (1_600_000, 5), (None, 6)],
)  # fmt: skip
def test_population_bands_have_inclusive_lower_bounds(population, band):
    assert population_band(population) == band


@pytest.fixture
def network(db):
    """Five members: three small (one without a value), two mid-sized; an indicator where lower is better."""
    network = NetworkFactory(slug="xarxa")
    members = {}
    for slug, population in (("a", 3_000), ("b", 4_000), ("c", 4_500), ("d", 30_000), ("e", 40_000)):
        members[slug] = OrganizationFactory(slug=slug, name_en=slug.upper(), population=population)
        NetworkMembershipFactory(network=network, member=members[slug])
    indicator = IndicatorFactory(code="WAIT", owner_organization=network, direction=Direction.LOWER, unit="days")
    TargetFactory(indicator=indicator, year=2024, value=D(20))
    for slug, value in (("a", 30), ("b", 10), ("d", 20), ("e", 10)):
        ObservationFactory(indicator=indicator, organization=members[slug], date=dt.date(2024, 12, 31), value=D(value))
    # An older value of "a" must not count: only the latest does.
    ObservationFactory(indicator=indicator, organization=members["a"], date=dt.date(2023, 12, 31), value=D(1))
    return {"network": network, "indicator": indicator, "members": members}


def test_benchmark_ranks_latest_values_overall_and_within_peer_groups(network):
    result = network_benchmark(network["indicator"], network["network"], council="d", today=dt.date(2025, 3, 1))
    by_slug = {row.organization.slug: row for row in result.rows}
    assert {slug: row.rank for slug, row in by_slug.items()} == {"b": 1, "e": 1, "d": 3, "a": 4, "c": None}
    assert by_slug["a"].value == D(30)
    assert {slug: row.band_rank for slug, row in by_slug.items()} == {"b": 1, "a": 2, "c": None, "e": 1, "d": 2}
    assert [row.organization.slug for row in result.rows][-1] == "c"  # unranked last
    assert result.ranked == 4
    assert (result.overall.q1, result.overall.median, result.overall.q3) == (D("10"), D("15"), D("22.5"))
    small = next(g for g in result.groups if g.band == 0)
    assert (small.members, small.summary.count, small.summary.median) == (3, 2, D(20))
    assert result.highlighted.organization.slug == "d"
    assert result.highlighted_group.band == 2


def test_benchmark_page_highlights_a_council_and_shows_quartiles(client, network):
    url = reverse("indicators:indicator-benchmark", args=[network["indicator"].pk, "xarxa"])
    response = client.get(url, {"council": "d"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Where D stands" in content
    assert "3 of 4" in content  # rank in the network
    assert 'role="img"' in content


def test_benchmark_of_an_unknown_network_or_a_council_slug_is_not_found(client, network):
    for slug in ("nope", "a"):
        url = reverse("indicators:indicator-benchmark", args=[network["indicator"].pk, slug])
        assert client.get(url).status_code == 404


def test_benchmark_of_a_private_indicator_is_not_found_for_visitors(client, network):
    network["indicator"].is_public = False
    network["indicator"].save()
    url = reverse("indicators:indicator-benchmark", args=[network["indicator"].pk, "xarxa"])
    assert client.get(url).status_code == 404


def test_benchmark_with_no_values_says_so(client, db):
    network = NetworkFactory(slug="empty-network")
    NetworkMembershipFactory(network=network)
    indicator = IndicatorFactory(owner_organization=network)
    response = client.get(reverse("indicators:indicator-benchmark", args=[indicator.pk, "empty-network"]))
    assert response.status_code == 200
    assert "No member has a value yet." in response.content.decode()


def _network_of(size: int, slug: str):
    network = NetworkFactory(slug=slug)
    indicator = IndicatorFactory(owner_organization=network)
    TargetFactory(indicator=indicator, year=2025, value=D(80))
    for index in range(size):
        member = OrganizationFactory(population=1_000 * (index + 1) ** 2)
        NetworkMembershipFactory(network=network, member=member)
        for year in (2023, 2024):
            ObservationFactory(
                indicator=indicator, organization=member, date=dt.date(year, 12, 31), value=D(index % 17 + year - 2000)
            )
    return indicator


def test_benchmark_page_and_api_take_the_same_queries_for_60_members_as_for_5(
    client, db, django_assert_max_num_queries
):
    small, big = _network_of(5, "small-net"), _network_of(60, "big-net")
    api = APIClient()
    counts = {}
    for name, indicator, slug in (("small", small, "small-net"), ("big", big, "big-net")):
        page = reverse("indicators:indicator-benchmark", args=[indicator.pk, slug])
        endpoint = reverse("api:indicator-benchmark", args=[indicator.pk, slug])
        with django_assert_max_num_queries(12) as page_queries:
            assert client.get(page, {"council": "council-1"}).status_code == 200
        with django_assert_max_num_queries(12) as api_queries:
            assert api.get(endpoint).status_code == 200
        counts[name] = (len(page_queries), len(api_queries))
    assert counts["small"] == counts["big"]


def test_benchmark_api_returns_ranks_and_quartiles(network):
    url = reverse("api:indicator-benchmark", args=[network["indicator"].pk, "xarxa"])
    body = APIClient().get(url, {"council": "e"}).json()
    assert body["ranked"] == 4
    assert body["overall"]["median"] == "15.000000"
    assert body["highlighted"] == "e"
    ranks = {m["organization"]: m["rank"] for m in body["members"]}
    assert ranks == {"b": 1, "e": 1, "d": 3, "a": 4, "c": None}
    assert (
        APIClient().get(reverse("api:indicator-benchmark", args=[network["indicator"].pk, "nope"])).status_code == 404
    )
