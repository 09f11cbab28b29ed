"""Network benchmarking: every member council's latest value of one indicator, ranks, quartiles and peer groups.

**Latest value**: each member's most recent observation (whatever its date; the date is shown).
**Rank**: 1 is best, following the indicator's direction (highest first when higher is better,
lowest first when lower is better); equal values share a rank and the next rank skips
("1, 2, 2, 4", standard competition ranking). Members without a value are listed unranked.
**Median and quartiles**: over the members with a value, by linear interpolation between
order statistics (the "inclusive" method: `statistics.quantiles(method="inclusive")`, the
same as Excel's QUARTILE.INC and NumPy's default). With a single value all three equal it.
**Peer groups**: population bands (latest population on the organisation record):
under 5,000; 5,000–19,999; 20,000–49,999; 50,000–99,999; 100,000–499,999; 500,000 and over;
councils without a population form an "unknown" group. Ranks and quartiles are also given
within each band.

Everything is read in five queries whatever the network's size; the members' assessments are
kept in the shared cache (`core.cache.cached_value`, named by `selectors.status_parts`) until a
value, baseline or target of the indicator changes, and so is the benchmark itself: a warm call
reads only the indicator's version and a summary of the network's membership (one small query).
"""

import datetime as dt
import statistics
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Count, Max, Subquery, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from municipia.core.cache import cached_value
from municipia.core.i18n import translated_names
from municipia.indicators.choices import Direction
from municipia.indicators.models import Indicator
from municipia.indicators.selectors import indicator_status, status_parts
from municipia.indicators.status import Assessment
from municipia.organizations.choices import OrganizationKind
from municipia.organizations.models import Organization
from municipia.organizations.selectors import network_memberships, networks, organization_find

# (lower bound inclusive, upper bound exclusive or None, label)
POPULATION_BANDS: list[tuple[int, int | None, str]] = [
    (0, 5_000, _("Under 5,000 inhabitants")),
    (5_000, 20_000, _("5,000 to 19,999 inhabitants")),
    (20_000, 50_000, _("20,000 to 49,999 inhabitants")),
    (50_000, 100_000, _("50,000 to 99,999 inhabitants")),
    (100_000, 500_000, _("100,000 to 499,999 inhabitants")),
    (500_000, None, _("500,000 inhabitants and over")),
]
UNKNOWN_BAND = _("Population unknown")
# Short names of the bands for narrow table columns.
BAND_SHORT = ["< 5k", "5k–20k", "20k–50k", "50k–100k", "100k–500k", "≥ 500k"]


def population_band(population: int | None) -> int:
    """The index of the band in POPULATION_BANDS, or len(POPULATION_BANDS) when unknown."""
    if population is None:
        return len(POPULATION_BANDS)
    for index, (low, high, _label) in enumerate(POPULATION_BANDS):
        if population >= low and (high is None or population < high):
            return index
    return len(POPULATION_BANDS)


def band_label(index: int) -> str:
    return str(POPULATION_BANDS[index][2]) if index < len(POPULATION_BANDS) else str(UNKNOWN_BAND)


@dataclass(frozen=True)
class Summary:
    """Median and quartiles of a set of values."""

    count: int
    q1: Decimal | None = None
    median: Decimal | None = None
    q3: Decimal | None = None
    best: Decimal | None = None
    worst: Decimal | None = None


def summarise(values: list[Decimal], direction: str = Direction.HIGHER) -> Summary:
    """Quartiles by the inclusive method (see the module docstring); empty → only a count of 0."""
    if not values:
        return Summary(0)
    ordered = sorted(values)
    if len(ordered) == 1:
        q1 = median = q3 = ordered[0]
    else:
        q1, median, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    best, worst = (ordered[-1], ordered[0]) if direction == Direction.HIGHER else (ordered[0], ordered[-1])
    return Summary(len(ordered), q1, median, q3, best, worst)


def competition_ranks(values: dict[int, Decimal], direction: str) -> dict[int, int]:
    """Rank 1 = best by direction; ties share a rank and the next one skips (1, 2, 2, 4)."""
    ordered = sorted(values.items(), key=lambda item: item[1], reverse=direction == Direction.HIGHER)
    ranks: dict[int, int] = {}
    previous, rank = None, 0
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = position, value
        ranks[key] = rank
    return ranks


@dataclass
class MemberRow:
    organization: Organization
    assessment: Assessment
    band: int
    rank: int | None = None
    band_rank: int | None = None

    @property
    def value(self) -> Decimal | None:
        return self.assessment.latest.value if self.assessment.latest else None

    @property
    def band_label(self) -> str:
        return band_label(self.band)

    @property
    def band_short(self) -> str:
        return BAND_SHORT[self.band] if self.band < len(BAND_SHORT) else "?"


@dataclass
class PeerGroup:
    band: int
    label: str
    members: int
    summary: Summary


@dataclass
class Benchmark:
    indicator: Indicator
    network: Organization
    rows: list[MemberRow]
    ranked: int
    overall: Summary
    groups: list[PeerGroup]
    highlighted: MemberRow | None = None
    highlighted_group: PeerGroup | None = None
    dates: tuple[dt.date | None, dt.date | None] = (None, None)
    notes: list[str] = field(default_factory=list)


# Networks offered for benchmarking a site-wide indicator.
NETWORK_LINKS_MAX = 10


def networks_of_owner(indicator: Indicator) -> list[Organization]:
    """Networks an indicator can be benchmarked over: its owner network, its owner council's networks, or any."""
    candidates = networks().only("id", "slug", *translated_names("name")).order_by("name_en", "id")
    if indicator.owner_organization_id is None:
        return list(candidates[:NETWORK_LINKS_MAX])
    owner = candidates.filter(pk=indicator.owner_organization_id)
    member_of = candidates.filter(memberships__member_id=indicator.owner_organization_id)
    return list((owner | member_of).distinct()[:NETWORK_LINKS_MAX])


def network_get(*, slug: str) -> Organization:
    """Networks are public; an unknown slug (or one of a council) is "not found" (kept for the reports app)."""
    return organization_find(slug=slug, kind=OrganizationKind.NETWORK)


def member_assessments(indicator: Indicator, member_ids: list[int], today: dt.date) -> dict[int, Assessment]:
    """Each member's assessment of `indicator` (members sharing a target path share one list: smaller to cache)."""
    table = indicator_status([indicator], organization_ids=member_ids, today=today)
    paths: dict[tuple, list] = {}
    result = {}
    for (_indicator_id, organization_id), assessment in table.assessments.items():
        assessment.path = paths.setdefault(tuple(assessment.path), assessment.path)
        result[organization_id] = assessment
    return result


def _versions(indicator: Indicator, network: Organization) -> tuple:
    """What a benchmark is computed from, as stored now, in one query: the indicator's version (whatever
    the caller's instance says: it may predate a write) and a summary of the members that changes when
    one joins or leaves or a member's record (name, population) changes."""
    found = network_memberships(network).aggregate(
        indicator=Max(Subquery(Indicator.objects.filter(pk=indicator.pk).values("updated_at")[:1])),
        count=Count("id"),
        members=Sum("member_id"),
        last=Max("id"),
        changed=Max("member__updated_at"),
    )
    return (found["indicator"], found["count"], found["members"], found["last"], found["changed"])


def network_benchmark(
    indicator: Indicator, network: Organization, *, council: str | None = None, today: dt.date | None = None
) -> Benchmark:
    """The benchmark of `indicator` over `network`'s members (rules in the module docstring).

    `council` (a member's slug) is highlighted: its rank overall and in its peer group.
    Rows are ordered by rank, unranked members last by name.

    The benchmark and the members' assessments are kept in the shared cache, both keyed on the
    indicator's version (read here), the members' and the day: a warm benchmark costs one small query.
    """
    today = today or timezone.localdate()
    versions = _versions(indicator, network)
    parts = status_parts("benchmark-table", [indicator], [network.pk], today, get_language(), *versions)
    table = cached_value(
        "indicators-benchmark-table", parts, lambda: _benchmark_table(indicator, network, today, versions[0])
    )
    highlighted = next((row for row in table.rows if council and row.organization.slug == council), None)
    return replace(
        table,
        indicator=indicator,
        network=network,
        highlighted=highlighted,
        highlighted_group=next((g for g in table.groups if highlighted and g.band == highlighted.band), None),
    )


def _benchmark_table(indicator: Indicator, network: Organization, today: dt.date, version) -> Benchmark:
    members = list(
        network.members.only("id", "slug", "population", *translated_names("name")).order_by("name_en", "id")
    )
    member_ids = [m.pk for m in members]
    assessments = cached_value(
        "indicators-benchmark",
        status_parts("benchmark", [indicator], member_ids, today, version),
        lambda: member_assessments(indicator, member_ids, today),
    )
    rows = [MemberRow(m, assessments[m.pk], population_band(m.population)) for m in members]
    values = {row.organization.pk: row.value for row in rows if row.value is not None}
    ranks = competition_ranks(values, indicator.direction)
    groups = []
    for band in range(len(POPULATION_BANDS) + 1):
        in_band = [row for row in rows if row.band == band]
        if not in_band:
            continue
        band_values = {row.organization.pk: row.value for row in in_band if row.value is not None}
        band_ranks = competition_ranks(band_values, indicator.direction)
        for row in in_band:
            row.band_rank = band_ranks.get(row.organization.pk)
        groups.append(
            PeerGroup(band, band_label(band), len(in_band), summarise(list(band_values.values()), indicator.direction))
        )
    for row in rows:
        row.rank = ranks.get(row.organization.pk)
    rows.sort(key=lambda row: (row.rank is None, row.rank or 0, str(row.organization.name)))
    dates = [row.assessment.latest.date for row in rows if row.assessment.latest]
    return Benchmark(
        indicator=indicator,
        network=network,
        rows=rows,
        ranked=len(values),
        overall=summarise(list(values.values()), indicator.direction),
        groups=groups,
        dates=(min(dates), max(dates)) if dates else (None, None),
    )
