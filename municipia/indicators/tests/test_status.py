"""The status rules (municipia/indicators/status.py) on hand-made cases, and their selector on the database."""

import datetime as dt
from decimal import Decimal

import pytest

from municipia.indicators.choices import Direction, Frequency, IndicatorStatus, Trend
from municipia.indicators.selectors import indicator_status
from municipia.indicators.status import Point, assess, is_stale
from municipia.indicators.tests.factories import BaselineFactory, IndicatorFactory, ObservationFactory, TargetFactory
from municipia.organizations.tests.factories import OrganizationFactory

D = Decimal
START = dt.date(2025, 1, 1)
HALFWAY = dt.date(2025, 7, 2)  # 182 of the 364 days from 1 January to 31 December 2025
TODAY = dt.date(2025, 8, 1)


def judge(latest, *, direction=Direction.HIGHER, baseline=(START, "0"), targets=None, previous=None, first=None):
    """The assessment of one latest value on a path from a baseline to 2025's target (100 unless given)."""
    return assess(
        indicator_id=1,
        organization_id=1,
        direction=direction,
        frequency=Frequency.YEARLY,
        latest=Point(latest[0], D(latest[1])) if latest else None,
        previous=Point(previous[0], D(previous[1])) if previous else None,
        first=Point(first[0], D(first[1])) if first else None,
        baseline=Point(baseline[0], D(baseline[1])) if baseline else None,
        targets={year: D(value) for year, value in (targets if targets is not None else {2025: "100"}).items()},
        today=TODAY,
    )


@pytest.mark.parametrize(
    "value, status",
    [
        ("50", IndicatorStatus.ON_TRACK),  # exactly where the path says
        ("70", IndicatorStatus.ON_TRACK),  # ahead of the path
        ("40", IndicatorStatus.AT_RISK),  # 10 short: 10 % of the 0 → 100 way
        ("39.99", IndicatorStatus.OFF_TRACK),
        ("100", IndicatorStatus.ON_TRACK),  # the target itself, already met
    ],
)
def test_higher_is_better_is_judged_against_the_straight_path_to_the_target(value, status):
    result = judge((HALFWAY, value))
    assert result.expected == D("50")
    assert result.next_target == Point(dt.date(2025, 12, 31), D("100"))
    assert result.status == status


@pytest.mark.parametrize(
    "value, status",
    [
        ("50", IndicatorStatus.ON_TRACK),
        ("30", IndicatorStatus.ON_TRACK),  # lower than the path: better
        ("60", IndicatorStatus.AT_RISK),
        ("60.5", IndicatorStatus.OFF_TRACK),
        ("0", IndicatorStatus.ON_TRACK),
    ],
)
def test_lower_is_better_is_judged_the_other_way(value, status):
    result = judge((HALFWAY, value), direction=Direction.LOWER, baseline=(START, "100"), targets={2025: "0"})
    assert result.expected == D("50")
    assert result.status == status


def test_no_observation_is_no_data_and_never_stale():
    result = judge(None)
    assert result.status == IndicatorStatus.NO_DATA
    assert result.latest is None and result.trend is None and not result.stale


def test_observations_without_target_have_a_trend_but_no_target_status():
    result = judge((HALFWAY, "50"), targets={}, previous=(START, "60"))
    assert result.status == IndicatorStatus.NO_TARGET
    assert result.trend == Trend.DOWN
    assert result.improving is False
    assert result.expected is None


def test_after_the_last_target_the_target_must_be_held():
    later = dt.date(2027, 3, 1)
    assert judge((later, "100")).status == IndicatorStatus.ON_TRACK
    assert judge((later, "120")).status == IndicatorStatus.ON_TRACK
    assert judge((later, "90")).status == IndicatorStatus.AT_RISK
    assert judge((later, "89")).status == IndicatorStatus.OFF_TRACK


def test_target_met_ahead_of_time_is_on_track():
    assert judge((dt.date(2025, 2, 1), "100")).status == IndicatorStatus.ON_TRACK


def test_a_hold_this_level_target_allows_ten_percent_of_the_target():
    held = {"baseline": (START, "50"), "targets": {2025: "50"}}
    assert judge((HALFWAY, "45"), **held).status == IndicatorStatus.AT_RISK
    assert judge((HALFWAY, "44.9"), **held).status == IndicatorStatus.OFF_TRACK
    assert judge((HALFWAY, "50"), **held).status == IndicatorStatus.ON_TRACK


def test_without_baseline_the_first_observation_starts_the_path():
    result = judge((HALFWAY, "50"), baseline=None, first=(START, "0"))
    assert result.path[0] == Point(START, D("0"))
    assert result.expected == D("50")
    assert result.status == IndicatorStatus.ON_TRACK


def test_targets_all_before_the_first_observation_are_held():
    result = judge((dt.date(2026, 6, 1), "95"), baseline=None, first=(dt.date(2026, 1, 1), "90"), targets={2024: "100"})
    assert result.next_target == Point(dt.date(2024, 12, 31), D("100"))
    assert result.status == IndicatorStatus.AT_RISK


def test_the_path_goes_through_every_yearly_target():
    result = judge((dt.date(2026, 7, 2), "50"), targets={2025: "50", 2026: "100"})
    assert result.next_target == Point(dt.date(2026, 12, 31), D("100"))
    assert D("74") < result.expected < D("76")
    assert result.status == IndicatorStatus.OFF_TRACK


@pytest.mark.parametrize(
    "direction, before, after, trend, improving",
    [
        (Direction.HIGHER, "10", "12", Trend.UP, True),
        (Direction.HIGHER, "12", "10", Trend.DOWN, False),
        (Direction.LOWER, "12", "10", Trend.DOWN, True),
        (Direction.LOWER, "10", "12", Trend.UP, False),
        (Direction.HIGHER, "10", "10", Trend.FLAT, None),
    ],
)
def test_trend_compares_the_last_two_values_against_the_direction(direction, before, after, trend, improving):
    result = judge((HALFWAY, after), previous=(START, before), direction=direction)
    assert (result.trend, result.improving) == (trend, improving)


def test_a_single_observation_has_no_trend():
    assert judge((HALFWAY, "50")).trend is None


@pytest.mark.parametrize(
    "frequency, latest, fresh_until",
    [
        (Frequency.YEARLY, dt.date(2024, 12, 31), dt.date(2026, 7, 2)),  # a year and 183 days
        (Frequency.MONTHLY, dt.date(2025, 1, 31), dt.date(2025, 3, 15)),  # a month and 15 days
        (Frequency.QUARTERLY, dt.date(2025, 3, 31), dt.date(2025, 8, 15)),  # three months and 46 days
    ],
)
def test_stale_after_a_period_and_half_a_period_of_grace(frequency, latest, fresh_until):
    assert not is_stale(frequency, latest, fresh_until)
    assert is_stale(frequency, latest, fresh_until + dt.timedelta(days=1))


# --- On the database


@pytest.mark.django_db
def test_status_uses_each_organisations_own_target_and_baseline_before_the_general_ones():
    indicator = IndicatorFactory(direction=Direction.HIGHER)
    own, other = OrganizationFactory(), OrganizationFactory()
    BaselineFactory(indicator=indicator, date=START, value=D("0"))
    BaselineFactory(indicator=indicator, organization=own, date=START, value=D("40"))
    TargetFactory(indicator=indicator, year=2025, value=D("100"))
    TargetFactory(indicator=indicator, organization=own, year=2025, value=D("60"))
    for organization in (own, other):
        ObservationFactory(indicator=indicator, organization=organization, date=START, value=D("45"))
        ObservationFactory(indicator=indicator, organization=organization, date=HALFWAY, value=D("50"))
    table = indicator_status([indicator], today=TODAY)
    mine, theirs = table.assessments[(indicator.pk, own.pk)], table.assessments[(indicator.pk, other.pk)]
    assert (mine.expected, mine.status) == (D("50"), IndicatorStatus.ON_TRACK)  # 40 → 60
    assert (theirs.expected, theirs.status) == (D("50"), IndicatorStatus.ON_TRACK)  # 0 → 100
    assert mine.latest == Point(HALFWAY, D("50")) and mine.previous == Point(START, D("45"))
    assert mine.trend == Trend.UP and mine.improving is True


@pytest.mark.django_db
def test_status_of_many_indicators_takes_three_queries(django_assert_num_queries):
    organizations = [OrganizationFactory() for _ in range(4)]
    indicators = []
    for n in range(6):
        indicator = IndicatorFactory()
        TargetFactory(indicator=indicator, year=2025)
        BaselineFactory(indicator=indicator)
        for organization in organizations:
            for month in (1, 4, 7):
                ObservationFactory(
                    indicator=indicator, organization=organization, date=dt.date(2025, month, 1), value=D(n * month)
                )
        indicators.append(indicator)
    with django_assert_num_queries(3):
        table = indicator_status(indicators, today=TODAY)
    assert len(table.assessments) == 24
    latest = table.assessments[(indicators[2].pk, organizations[0].pk)]
    assert latest.latest == Point(dt.date(2025, 7, 1), D("14"))
    assert latest.previous == Point(dt.date(2025, 4, 1), D("8"))


@pytest.mark.django_db
def test_listed_organisations_without_values_are_no_data():
    indicator = IndicatorFactory()
    silent = OrganizationFactory()
    table = indicator_status([indicator], organization_ids=[silent.pk], today=TODAY)
    assert table.assessments[(indicator.pk, silent.pk)].status == IndicatorStatus.NO_DATA
