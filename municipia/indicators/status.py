"""The status rules of an indicator for one organisation: trend, trajectory status and staleness.

Everything here is pure (no database): the selectors fetch the numbers and call `assess`.

Inputs for one indicator × organisation: its direction (higher or lower is better), its
frequency, the latest and previous observations, the first observation, the baseline
(the organisation's own, else the indicator's general one) and the yearly targets (for each
year, the organisation's own target, else the general one).

**Trend** compares the latest value with the previous one: `up`, `down` or `flat` (equal).
It is *improving* when it moves the way the direction says is better (up for higher-is-better,
down for lower-is-better), *worsening* the other way; flat or a single observation is neither.

**Trajectory.** The path is piecewise linear through these points, in date order:

1. the start: the baseline (date, value); without a baseline, the first observation;
2. every target, placed on 31 December of its year, later than the start.

The value *expected* on a date is read from the path: linear interpolation between the two
points around the date; before the start, the start's value; after the last target, the last
target's value (a target once reached must be held).

**Status**, judged on the date of the latest observation (not today: old data is flagged
as stale instead):

- `no_data`: no observation;
- `no_target`: observations but no target;
- `on_track`: the latest value is at least as good as the expected value, or at least as
  good as the next target still ahead (the target of the segment the date falls in, or the
  last target) — a target already met is on track;
- `at_risk`: short of the expected value by at most `AT_RISK_TOLERANCE` (10 %) of the
  distance the path travels from its start to that next target, or, when the start already
  equals the target (a "hold this level" target), by at most 10 % of the target's absolute
  value;
- `off_track`: further short than that.

"Short" means below the expected value when higher is better and above it when lower is better.

**Stale**: the latest observation is older than the frequency allows plus a grace of half a
period: it is stale on `today` when `today > latest date + period + period / 2` (monthly: one
month and 15 days; yearly: one year and 183 days). With no observation there is nothing to be
stale; `no_data` says it.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from municipia.indicators.choices import FREQUENCY_MONTHS, Direction, IndicatorStatus, Trend

AT_RISK_TOLERANCE = Decimal("0.10")


@dataclass(frozen=True)
class Point:
    date: dt.date
    value: Decimal


@dataclass
class Assessment:
    """The state of one indicator for one organisation."""

    indicator_id: int
    organization_id: int | None
    status: str = IndicatorStatus.NO_DATA
    latest: Point | None = None
    previous: Point | None = None
    trend: str | None = None
    improving: bool | None = None
    expected: Decimal | None = None
    next_target: Point | None = None
    stale: bool = False
    path: list[Point] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(IndicatorStatus(self.status).label)

    @property
    def trend_label(self) -> str:
        return str(Trend(self.trend).label) if self.trend else ""


def target_date(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def trajectory(start: Point | None, targets: dict[int, Decimal]) -> list[Point]:
    """The path's points: the start, then each target (31 December of its year) after the start."""
    points = [start] if start is not None else []
    for year in sorted(targets):
        when = target_date(year)
        if start is None or when > start.date:
            points.append(Point(when, targets[year]))
    return points


def expected_on(path: list[Point], day: dt.date) -> tuple[Decimal, Point]:
    """The path's value on `day` and the end point of the segment `day` falls in (its next target)."""
    if day <= path[0].date:
        return path[0].value, path[1] if len(path) > 1 else path[0]
    for before, after in zip(path, path[1:], strict=False):
        if day <= after.date:
            span = Decimal((after.date - before.date).days)
            done = Decimal((day - before.date).days)
            return before.value + (after.value - before.value) * done / span, after
    return path[-1].value, path[-1]


def _better_or_equal(direction: str, value: Decimal, reference: Decimal) -> bool:
    return value >= reference if direction == Direction.HIGHER else value <= reference


# Cached: a network's councils mostly share their latest dates, and relativedelta is slow. An
# lru_cache, not core.cache: a pure function of its three arguments, with no database data.
@lru_cache(maxsize=4096)
def is_stale(frequency: str, latest: dt.date, today: dt.date) -> bool:
    months = FREQUENCY_MONTHS.get(frequency, 12)
    grace = dt.timedelta(days=round(months * 365.25 / 24))
    return today > latest + relativedelta(months=months) + grace


def assess(
    *,
    indicator_id: int,
    organization_id: int | None,
    direction: str,
    frequency: str,
    latest: Point | None,
    previous: Point | None,
    first: Point | None,
    baseline: Point | None,
    targets: dict[int, Decimal],
    today: dt.date,
) -> Assessment:
    """Trend, status and staleness of one indicator for one organisation (rules in the module docstring)."""
    result = Assessment(indicator_id=indicator_id, organization_id=organization_id, latest=latest, previous=previous)
    start = baseline or first
    result.path = trajectory(start, targets)
    if latest is None:
        return result
    result.stale = is_stale(frequency, latest.date, today)
    if previous is not None:
        if latest.value > previous.value:
            result.trend = Trend.UP
        elif latest.value < previous.value:
            result.trend = Trend.DOWN
        else:
            result.trend = Trend.FLAT
        if result.trend != Trend.FLAT:
            result.improving = (result.trend == Trend.UP) == (direction == Direction.HIGHER)
    if not targets:
        result.status = IndicatorStatus.NO_TARGET
        return result
    path = result.path
    if len(path) < 2:
        # Every target lies before the start: the last one must be held.
        last_year = max(targets)
        path = [Point(target_date(last_year), targets[last_year])]
    expected, next_target = expected_on(path, latest.date)
    result.expected, result.next_target = expected, next_target
    if _better_or_equal(direction, latest.value, expected) or _better_or_equal(
        direction, latest.value, next_target.value
    ):
        result.status = IndicatorStatus.ON_TRACK
        return result
    shortfall = abs(expected - latest.value)
    distance = abs(next_target.value - path[0].value)
    allowed = AT_RISK_TOLERANCE * (distance if distance else abs(next_target.value))
    result.status = IndicatorStatus.AT_RISK if shortfall <= allowed else IndicatorStatus.OFF_TRACK
    return result
