"""Recurrence of meeting series: RFC 5545 rules in local time, across DST and public holidays."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from municipia.governance.recurrence import RecurrenceError, expand, next_working_day, public_holidays

MADRID = ZoneInfo("Europe/Madrid")
SOFIA = ZoneInfo("Europe/Sofia")
UTC = dt.UTC


def _starts(**kwargs) -> list[dt.datetime]:
    kwargs.setdefault("time_zone", "Europe/Madrid")
    kwargs.setdefault("duration_minutes", 90)
    return [o.starts_at for o in expand(**kwargs)]


def test_monthly_last_tuesday_keeps_wall_time_across_both_dst_changes():
    starts = _starts(
        rule="FREQ=MONTHLY;BYDAY=-1TU",
        first_start=dt.datetime(2023, 5, 30, 17, 0, tzinfo=MADRID),
        until=dt.date(2024, 4, 30),
    )
    assert [s.date() for s in starts] == [
        dt.date(2023, 5, 30),
        dt.date(2023, 6, 27),
        dt.date(2023, 7, 25),
        dt.date(2023, 8, 29),
        dt.date(2023, 9, 26),
        dt.date(2023, 10, 31),
        dt.date(2023, 11, 28),
        dt.date(2023, 12, 26),
        dt.date(2024, 1, 30),
        dt.date(2024, 2, 27),
        dt.date(2024, 3, 26),
        dt.date(2024, 4, 30),
    ]
    assert {s.astimezone(MADRID).time() for s in starts} == {dt.time(17, 0)}
    by_day = {s.date(): s.astimezone(UTC) for s in starts}
    # Summer time (UTC+2) until the last Sunday of October, winter time (UTC+1) until the last of March.
    assert by_day[dt.date(2023, 9, 26)] == dt.datetime(2023, 9, 26, 15, 0, tzinfo=UTC)
    assert by_day[dt.date(2023, 10, 31)] == dt.datetime(2023, 10, 31, 16, 0, tzinfo=UTC)
    assert by_day[dt.date(2024, 3, 26)] == dt.datetime(2024, 3, 26, 16, 0, tzinfo=UTC)
    assert by_day[dt.date(2024, 4, 30)] == dt.datetime(2024, 4, 30, 15, 0, tzinfo=UTC)


def test_every_two_weeks_on_thursday_until_15_september_includes_no_later_meeting():
    starts = _starts(
        rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20230915",
        first_start=dt.datetime(2023, 6, 15, 10, 0, tzinfo=MADRID),
        until=dt.date(2027, 12, 31),
    )
    assert [s.date() for s in starts] == [
        dt.date(2023, 6, 15),
        dt.date(2023, 6, 29),
        dt.date(2023, 7, 13),
        dt.date(2023, 7, 27),
        dt.date(2023, 8, 10),
        dt.date(2023, 8, 24),
        dt.date(2023, 9, 7),
    ]


def test_a_date_only_until_includes_that_whole_day():
    starts = _starts(
        rule="FREQ=WEEKLY;BYDAY=FR;UNTIL=20230915",
        first_start=dt.datetime(2023, 9, 1, 18, 0, tzinfo=MADRID),
        until=dt.date(2027, 12, 31),
    )
    assert starts[-1] == dt.datetime(2023, 9, 15, 18, 0, tzinfo=MADRID)


def test_la_diada_moves_to_the_next_working_day_or_is_skipped():
    common = {
        "rule": "FREQ=WEEKLY;BYDAY=MO;COUNT=3",
        "first_start": dt.datetime(2023, 9, 4, 10, 0, tzinfo=MADRID),
        "holiday_region": "ES-CT",
        "until": dt.date(2023, 12, 31),
    }
    moved = expand(**common, time_zone="Europe/Madrid", duration_minutes=60, on_holiday="next_working_day")
    assert [o.starts_at.date() for o in moved] == [dt.date(2023, 9, 4), dt.date(2023, 9, 12), dt.date(2023, 9, 18)]
    assert moved[1].slot == dt.datetime(2023, 9, 11, 10, 0, tzinfo=MADRID)
    assert moved[1].is_moved and not moved[0].is_moved
    assert moved[1].ends_at == dt.datetime(2023, 9, 12, 11, 0, tzinfo=MADRID)

    skipped = _starts(**common, on_holiday="skip")
    assert [s.date() for s in skipped] == [dt.date(2023, 9, 4), dt.date(2023, 9, 18)]

    kept = _starts(**common, on_holiday="keep")
    assert dt.date(2023, 9, 11) in [s.date() for s in kept]


def test_la_diada_is_not_a_holiday_in_andalusia():
    starts = _starts(
        rule="FREQ=WEEKLY;BYDAY=MO;COUNT=3",
        first_start=dt.datetime(2023, 9, 4, 10, 0, tzinfo=MADRID),
        holiday_region="ES-AN",
        until=dt.date(2023, 12, 31),
    )
    assert dt.date(2023, 9, 11) in [s.date() for s in starts]


def test_catalan_year_end_christmas_and_sant_esteve_move_past_both():
    # 25 December 2023 is a Monday, 26 (Sant Esteve, a Catalan holiday) a Tuesday.
    assert {dt.date(2023, 12, 25), dt.date(2023, 12, 26)} <= public_holidays("ES-CT", 2023)
    assert dt.date(2023, 12, 26) not in public_holidays("ES-MD", 2023)
    starts = _starts(
        rule="FREQ=DAILY;COUNT=2",
        first_start=dt.datetime(2023, 12, 25, 9, 0, tzinfo=MADRID),
        holiday_region="ES-CT",
        until=dt.date(2024, 1, 31),
    )
    assert starts == [dt.datetime(2023, 12, 27, 9, 0, tzinfo=MADRID)]  # both land on the 27th: one meeting
    monthly = _starts(
        rule="FREQ=MONTHLY;BYDAY=-1TU",
        first_start=dt.datetime(2023, 11, 28, 17, 0, tzinfo=MADRID),
        holiday_region="ES-CT",
        until=dt.date(2024, 1, 31),
    )
    assert [s.date() for s in monthly] == [dt.date(2023, 11, 28), dt.date(2023, 12, 27), dt.date(2024, 1, 30)]


def test_bulgarian_christmas_and_new_year_are_skipped_or_moved():
    holidays_2024 = public_holidays("BG", 2024)
    assert {dt.date(2024, 12, 24), dt.date(2024, 12, 25), dt.date(2024, 12, 26)} <= holidays_2024
    assert dt.date(2024, 1, 1) in holidays_2024
    # Tuesday 24, Wednesday 25 and Thursday 26 December 2024 are holidays: Friday 27 is the next working day.
    assert next_working_day(dt.date(2024, 12, 24), "BG") == dt.date(2024, 12, 27)
    daily = {
        "rule": "FREQ=DAILY",
        "first_start": dt.datetime(2024, 12, 23, 10, 0, tzinfo=SOFIA),
        "time_zone": "Europe/Sofia",
        "duration_minutes": 60,
        "holiday_region": "BG",
        "until": dt.date(2025, 1, 2),
    }
    skipped = [o.starts_at.date() for o in expand(**daily, on_holiday="skip")]
    assert skipped == [
        dt.date(2024, 12, 23),
        dt.date(2024, 12, 27),
        dt.date(2024, 12, 28),
        dt.date(2024, 12, 29),
        dt.date(2024, 12, 30),
        dt.date(2024, 12, 31),
        dt.date(2025, 1, 2),
    ]
    moved = expand(**daily, on_holiday="next_working_day")
    assert dt.datetime(2025, 1, 2, 10, 0, tzinfo=SOFIA) in [o.starts_at for o in moved]
    assert all(o.starts_at.astimezone(SOFIA).time() == dt.time(10, 0) for o in moved)
    assert len({o.starts_at for o in moved}) == len(moved)


def test_unbounded_rule_stops_at_the_given_end():
    starts = _starts(
        rule="FREQ=MONTHLY;BYDAY=-1TU",
        first_start=dt.datetime(2023, 5, 30, 17, 0, tzinfo=MADRID),
        until=dt.date(2023, 12, 31),
    )
    assert starts[-1].date() == dt.date(2023, 12, 26)


def test_a_naive_first_start_is_read_as_local_time():
    starts = _starts(rule="FREQ=DAILY;COUNT=1", first_start=dt.datetime(2023, 6, 1, 17, 0), until=dt.date(2023, 12, 31))
    assert starts == [dt.datetime(2023, 6, 1, 15, 0, tzinfo=UTC)]


@pytest.mark.parametrize(
    "rule",
    ["", "FREQ=NEVER", "BYDAY=TU", "FREQ=HOURLY", "FREQ=DAILY\nDTSTART:20230101", "RRULE:FREQ=MONTHLY;BYDAY=XX"],
)
def test_unusable_rules_are_refused(rule):
    with pytest.raises(RecurrenceError):
        _starts(rule=rule, first_start=dt.datetime(2023, 6, 1, 17, 0, tzinfo=MADRID), until=dt.date(2023, 12, 31))


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(RecurrenceError):
        _starts(
            rule="FREQ=DAILY",
            first_start=dt.datetime(2023, 6, 1, 17, 0),
            time_zone="Europe/Atlantis",
            until=dt.date(2023, 12, 31),
        )


@pytest.mark.parametrize("until", ["UNTIL=2023", "UNTIL=2023-12-31", "UNTIL=31/12/2023", "UNTIL=20231231T1200"])
def test_an_until_not_in_rfc_5545_form_is_refused_with_a_clear_message(until):
    with pytest.raises(RecurrenceError, match="UNTIL must be a date written YYYYMMDD"):
        _starts(rule=f"FREQ=MONTHLY;{until}", first_start=dt.datetime(2023, 1, 10, 17), until=dt.date(2024, 12, 31))


def test_an_until_in_rfc_5545_form_is_read():
    starts = _starts(
        rule="FREQ=MONTHLY;UNTIL=20230331", first_start=dt.datetime(2023, 1, 10, 17), until=dt.date(2024, 12, 31)
    )
    assert len(starts) == 3


def test_an_occurrence_inside_the_spring_forward_gap_is_refused_not_moved():
    # Sundays at 02:30: on 26 March 2023 Madrid's clocks jump from 02:00 to 03:00.
    with pytest.raises(RecurrenceError, match="hour skipped when clocks go forward"):
        _starts(rule="FREQ=WEEKLY;COUNT=4", first_start=dt.datetime(2023, 3, 12, 2, 30), until=dt.date(2023, 12, 31))
