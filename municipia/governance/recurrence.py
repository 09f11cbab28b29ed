"""A meeting series' RFC 5545 rule: read, described in words, expanded into dated occurrences
around public holidays, and cut for a calendar feed — the one place rules are parsed.

Pure functions: no database. Rules are expanded on naive wall-clock times in the series' time
zone and only then given that zone, so a 17:00 meeting stays at 17:00 across daylight-saving
changes (its UTC offset changes instead).
"""

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import holidays
from dateutil.rrule import DAILY, rrule, rrulestr
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# Finer rules (hourly, every minute…) are not meeting series and could expand to millions of rows.
COARSEST_ALLOWED_FREQ = DAILY
WEEKEND = (5, 6)  # Saturday, Sunday
# A holiday move looks this far ahead for a working day (Christmas to New Year is the longest run).
MAX_HOLIDAY_SHIFT_DAYS = 14

_UNTIL = re.compile(r"UNTIL=(\d{8})(T(\d{6})(Z?))?", re.IGNORECASE)


_UNTIL_VALUE = re.compile(r"\d{8}(T\d{6}Z?)?", re.IGNORECASE)


def in_spring_forward_gap(naive: dt.datetime, zone: ZoneInfo) -> bool:
    """Whether a wall-clock time does not exist in `zone` (the hour skipped when clocks go forward)."""
    real = naive.replace(tzinfo=zone).astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    return real != naive.replace(tzinfo=None)


class RecurrenceError(ValueError):
    """The rule cannot be used; the message says why, for the `rrule` field."""


@dataclass(frozen=True)
class Occurrence:
    """One meeting of a series: where the rule put it (`slot`) and where it takes place."""

    slot: dt.datetime
    starts_at: dt.datetime
    ends_at: dt.datetime

    @property
    def is_moved(self) -> bool:
        return self.slot != self.starts_at


def is_known_time_zone(name: str) -> bool:
    if not name or name not in _time_zone_names():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


# Cached for the process: the time-zone database's names are constants, not database data.
@lru_cache(maxsize=1)
def _time_zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def _until_in_local_time(text: str, zone: ZoneInfo) -> str:
    """Rewrites UNTIL as a local wall-clock time, as dateutil needs with a naive start.

    A date-only UNTIL includes that whole day (RFC 5545); a UTC one is converted to local time.
    """

    def replace(match: re.Match) -> str:
        day, _time_part, clock, utc = match.groups()
        if clock is None:
            return f"UNTIL={day}T235959"
        if utc:
            instant = dt.datetime.strptime(day + clock, "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)
            return "UNTIL=" + instant.astimezone(zone).strftime("%Y%m%dT%H%M%S")
        return f"UNTIL={day}T{clock}"

    return _UNTIL.sub(replace, text)


def rule_body(text: str) -> str:
    """The rule without surrounding space and without the `RRULE:` prefix, if it has one."""
    text = (text or "").strip()
    return text[len("RRULE:") :] if text.upper().startswith("RRULE:") else text


def rule_parts(text: str) -> list[str]:
    """The rule's `NAME=value` parts, in order (`FREQ=MONTHLY`, `BYDAY=-1TU`…)."""
    return [part.strip() for part in rule_body(text).split(";") if part.strip()]


def parse_rule(text: str, *, first_local: dt.datetime, zone: ZoneInfo) -> rrule:
    """Parses one RRULE (with or without the `RRULE:` prefix) starting at a naive local time."""
    text = rule_body(text)
    if not text or "\n" in text or ":" in text:
        raise RecurrenceError(_("Write a single recurrence rule, e.g. FREQ=MONTHLY;BYDAY=-1TU."))
    for part in rule_parts(text):
        name, _sep, value = part.partition("=")
        # dateutil would read UNTIL=2023 as a day of the current year: only RFC 5545's forms pass.
        if name.strip().upper() == "UNTIL" and not _UNTIL_VALUE.fullmatch(value.strip()):
            raise RecurrenceError(
                _("UNTIL must be a date written YYYYMMDD (e.g. UNTIL=20231231), or YYYYMMDDTHHMMSSZ in UTC.")
            )
    try:
        rule = rrulestr(_until_in_local_time(text, zone), dtstart=first_local, ignoretz=True)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise RecurrenceError(_("This recurrence rule cannot be read (%(reason)s).") % {"reason": exc}) from exc
    if not isinstance(rule, rrule):
        raise RecurrenceError(_("Write a single recurrence rule, e.g. FREQ=MONTHLY;BYDAY=-1TU."))
    # dateutil keeps a rule's frequency in `_freq`, which its type stubs do not declare.
    if rule._freq > COARSEST_ALLOWED_FREQ:  # type: ignore[attr-defined]
        raise RecurrenceError(_("A meeting series repeats daily at most often."))
    return rule


def rule_until(text: str, last: dt.datetime) -> str:
    """The rule with its COUNT/UNTIL replaced by UNTIL = `last` in UTC (RFC 5545 §3.3.10), for a feed."""
    parts = [part.upper() for part in rule_parts(text) if part.split("=")[0].strip().upper() not in ("COUNT", "UNTIL")]
    parts.append("UNTIL=" + last.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ"))
    return ";".join(parts)


# --- A rule in words

_WEEKDAYS = {
    "MO": gettext_lazy("Monday"),
    "TU": gettext_lazy("Tuesday"),
    "WE": gettext_lazy("Wednesday"),
    "TH": gettext_lazy("Thursday"),
    "FR": gettext_lazy("Friday"),
    "SA": gettext_lazy("Saturday"),
    "SU": gettext_lazy("Sunday"),
}
_ORDINALS = {
    1: gettext_lazy("first"),
    2: gettext_lazy("second"),
    3: gettext_lazy("third"),
    4: gettext_lazy("fourth"),
    -1: gettext_lazy("last"),
    -2: gettext_lazy("second to last"),
}
_KNOWN_PARTS = {"FREQ", "INTERVAL", "BYDAY", "UNTIL", "COUNT", "WKST"}


class _Unusual(ValueError):
    """A rule part `describe_rule` has no words for."""


def _frequency_words(frequency: str, interval: int) -> str:
    frequencies = {
        "DAILY": (_("Daily"), _("Every two days"), _("Every %(n)s days")),
        "WEEKLY": (_("Weekly"), _("Every two weeks"), _("Every %(n)s weeks")),
        "MONTHLY": (_("Monthly"), _("Every two months"), _("Every %(n)s months")),
        "YEARLY": (_("Yearly"), _("Every two years"), _("Every %(n)s years")),
    }
    if frequency not in frequencies or interval < 1:
        raise _Unusual(frequency)
    one, two, many = frequencies[frequency]
    return one if interval == 1 else two if interval == 2 else many % {"n": interval}


def _day_words(day: str) -> str:
    weekday, number = day[-2:], day[:-2]
    if weekday not in _WEEKDAYS:
        raise _Unusual(day)
    if not number:
        return str(_WEEKDAYS[weekday])
    try:
        ordinal = _ORDINALS[int(number)]
    except KeyError:
        raise _Unusual(day) from None
    return _("the %(ordinal)s %(weekday)s") % {"ordinal": ordinal, "weekday": _WEEKDAYS[weekday]}


def _described(parts: dict[str, str]) -> str:
    """The words of a rule's parts; `_Unusual` (a ValueError) when some part has none."""
    if set(parts) - _KNOWN_PARTS:
        raise _Unusual(parts)
    words = [_frequency_words(parts.get("FREQ", ""), int(parts.get("INTERVAL", "1")))]
    days = [day.strip() for day in parts.get("BYDAY", "").split(",") if day.strip()]
    if days:
        words.append(_("on %(days)s") % {"days": ", ".join(_day_words(day) for day in days)})
    if "UNTIL" in parts:
        until = dt.datetime.strptime(parts["UNTIL"][:8], "%Y%m%d").date()
        words.append(_("until %(date)s") % {"date": date_format(until, "DATE_FORMAT")})
    if "COUNT" in parts:
        count = int(parts["COUNT"])
        words.append(ngettext("(%(count)s meeting)", "(%(count)s meetings)", count) % {"count": count})
    return " ".join(str(word) for word in words)


def describe_rule(text: str) -> str:
    """The common RFC 5545 rules in words ("Monthly on the last Tuesday"); "" when the rule is unusual."""
    try:
        return _described(dict(part.split("=", 1) for part in rule_parts((text or "").upper())))
    except ValueError:
        return ""


# --- Holidays and expansion


def split_region(region: str) -> tuple[str, str | None]:
    """`"ES-CT"` → `("ES", "CT")`; `"BG"` → `("BG", None)`."""
    country, _sep, subdivision = region.partition("-")
    return country.upper(), (subdivision.upper() or None)


# Cached for the process: computed by the `holidays` library from its own tables, not database data.
@lru_cache(maxsize=256)
def public_holidays(region: str, year: int) -> frozenset[dt.date]:
    """Public holidays of a country or region (ISO 3166-2) in one year; empty for no region."""
    if not region:
        return frozenset()
    country, subdivision = split_region(region)
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))


def is_holiday(day: dt.date, region: str) -> bool:
    return day in public_holidays(region, day.year)


def is_working_day(day: dt.date, region: str) -> bool:
    return day.weekday() not in WEEKEND and not is_holiday(day, region)


def next_working_day(day: dt.date, region: str) -> dt.date:
    """The first working day after `day` (not a weekend, not a public holiday)."""
    candidate = day
    for _step in range(MAX_HOLIDAY_SHIFT_DAYS):
        candidate += dt.timedelta(days=1)
        if is_working_day(candidate, region):
            return candidate
    return candidate


def _localise(naive: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    # A wall time inside the spring-forward gap is normalised through UTC to a real time.
    return naive.replace(tzinfo=zone).astimezone(dt.UTC).astimezone(zone)


def expand(
    *,
    rule: str,
    first_start: dt.datetime,
    time_zone: str,
    duration_minutes: int,
    holiday_region: str = "",
    on_holiday: str = "next_working_day",
    until: dt.date,
    since: dt.date | None = None,
    limit: int | None = None,
) -> list[Occurrence]:
    """Occurrences of a series from `since` (default: its first start) to `until`, both inclusive.

    `first_start` is aware (or naive local time in `time_zone`); `until` bounds rules without an
    end of their own (the plan's period end). Occurrences on a public holiday of `holiday_region`
    move to the next working day, are skipped, or are kept, per `on_holiday`; two occurrences
    landing on the same time become one. Times are aware, in
    the series' zone. At most `limit` + 1 occurrences are returned, so callers can detect excess.
    """
    if not is_known_time_zone(time_zone):
        raise RecurrenceError(_("Unknown time zone “%(name)s”.") % {"name": time_zone})
    zone = ZoneInfo(time_zone)
    first_local = first_start.astimezone(zone) if first_start.tzinfo else first_start.replace(tzinfo=zone)
    first_local = first_local.replace(tzinfo=None, microsecond=0)
    parsed = parse_rule(rule, first_local=first_local, zone=zone)
    window_start = dt.datetime.combine(since, dt.time.min) if since else first_local
    window_end = dt.datetime.combine(until, dt.time.max)
    duration = dt.timedelta(minutes=duration_minutes)

    occurrences: list[Occurrence] = []
    taken: set[dt.datetime] = set()
    for naive in parsed.xafter(window_start, inc=True):
        if naive > window_end:
            break
        day = naive.date()
        if holiday_region and on_holiday != "keep" and is_holiday(day, holiday_region):
            if on_holiday == "skip":
                continue
            moved = dt.datetime.combine(next_working_day(day, holiday_region), naive.time())
        else:
            moved = naive
        if moved in taken:
            continue  # a holiday pushed an earlier occurrence onto this one: meet once
        taken.add(moved)
        if in_spring_forward_gap(moved, zone):
            raise RecurrenceError(
                _(
                    "The meeting of %(date)s at %(time)s would fall in the hour skipped when clocks go "
                    "forward in %(zone)s; choose another time."
                )
                % {"date": moved.date().isoformat(), "time": moved.strftime("%H:%M"), "zone": zone.key}
            )
        starts_at = _localise(moved, zone)
        occurrences.append(Occurrence(slot=_localise(naive, zone), starts_at=starts_at, ends_at=starts_at + duration))
        if limit is not None and len(occurrences) > limit:
            break
    return occurrences
