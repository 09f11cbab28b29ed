"""Accessible SVG charts rendered on the server: the same markup goes in a page and in a PDF.

Every function returns a ``SafeString`` holding one ``<svg role="img">`` element with a
``<title>`` and ``<desc>`` referenced by ``aria-labelledby``. All text passed in is escaped.
Charts carry their own presentation attributes (no stylesheet needed), so WeasyPrint draws
them exactly as the browser does. A chart given no data renders a framed message saying so
instead of failing. Callers always render a data table next to each chart: the chart is the
picture, the table is the record (and what a screen reader user will read).

Contract used by the indicators and reports apps:

- ``bar_chart(bars, title=…)``: horizontal bars, the label on its own line above each bar
  (so long council names stay readable on a phone), the value at the bar's end, optional
  vertical reference lines (median, quartiles) and one highlighted bar.
- ``line_chart(series, title=…)``: dates on x, one or more lines; a series with
  ``style="target"`` is drawn dashed with hollow points.
- ``radar_chart(profiles, dimensions=…, title=…)``: scores on 1..``max_value`` axes.
- ``status_bar(segments, title=…)``: one 100 % stacked bar with a legend of counts.
- ``empty_chart(title=…)``: the "no data" rendering the others fall back to.
"""

from __future__ import annotations

import itertools
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
BAR_COLOUR = "#0b5d6b"
HIGHLIGHT_COLOUR = "#c2410c"
TARGET_COLOUR = "#4a5563"
INK = "#1b2430"
MUTED = "#4a5563"
GRID = "#d5dbe3"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', Arial, sans-serif"
# Average glyph width as a share of the font size; used only to decide where text wraps.
CHAR_WIDTH = 0.56
# A white outline under text keeps it legible where a reference line crosses it.
HALO = ' stroke="#fff" stroke-width="3" paint-order="stroke"'

_ids = itertools.count(1)

Formatter = Callable[[float], str]


@dataclass(frozen=True)
class Bar:
    """One bar: a label, a value (None = no data), an optional colour and emphasis."""

    label: str
    value: float | None
    colour: str | None = None
    highlight: bool = False
    note: str = ""


@dataclass(frozen=True)
class Marker:
    """A vertical reference line across a bar chart (median, quartile, target)."""

    label: str
    value: float


@dataclass(frozen=True)
class Series:
    """One line of a line chart; ``style`` is "solid", "dashed" or "target"."""

    name: str
    points: Sequence[tuple[date, float]]
    style: str = "solid"
    colour: str | None = None


@dataclass(frozen=True)
class Profile:
    """One polygon of a radar chart: a score per dimension (None = not assessed)."""

    name: str
    scores: Sequence[float | None]
    colour: str | None = None


@dataclass(frozen=True)
class Segment:
    """One part of a status bar."""

    label: str
    value: float
    colour: str


@dataclass
class _Svg:
    """Collects elements and wraps them in an accessible <svg>."""

    width: float
    height: float
    title: str
    description: str
    chart_id: str
    parts: list[str] = field(default_factory=list)

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def render(self) -> SafeString:
        title_id, desc_id = f"{self.chart_id}-title", f"{self.chart_id}-desc"
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="svg-chart" role="img" id="{self.chart_id}" '
            f'aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {_n(self.width)} {_n(self.height)}" '
            # Drawn at most 15 % larger than its box; the stylesheets (page and PDF) shrink it to fit,
            # with `max-width: 100%; height: auto` (no style attribute: the CSP allows none).
            f'width="{_n(self.width * 1.15)}" height="{_n(self.height * 1.15)}" preserveAspectRatio="xMinYMin meet" '
            f'font-family="{FONT}" font-size="13" fill="{INK}">'
            f'<title id="{title_id}">{escape(self.title)}</title>'
            f'<desc id="{desc_id}">{escape(self.description)}</desc>'
        )
        return mark_safe(head + "".join(self.parts) + "</svg>")  # noqa: S308 — every text was escaped above


def _new_id(chart_id: str | None) -> str:
    return chart_id or f"chart-{next(_ids)}"


def _n(value: float) -> str:
    """A coordinate with at most one decimal, no trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def format_number(value: float, unit: str = "") -> str:
    """A localised number (decimal comma where the language uses one) with its unit."""
    decimals = 0 if float(value).is_integer() or abs(value) >= 100 else (1 if abs(value) >= 10 else 2)
    text = number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True)
    if decimals:
        # Below 100 there is no thousands separator, so only the decimal one can end the text.
        text = text.rstrip("0").rstrip(",.")
    if not unit:
        return text
    return f"{text}{unit}" if unit in ("%", "‰") else f"{text} {unit}"


def wrap(text: str, width_chars: int, max_lines: int = 2) -> list[str]:
    """Split text at spaces and hyphens into at most ``max_lines`` lines of about ``width_chars``.

    A word is never split: one longer than a line stays whole on its own line (a label slightly
    wider than planned reads better than "Digitalisa-" / "tion"). The last line ends in … if cut.
    """
    width_chars = max(width_chars, 4)
    lines = textwrap.wrap(text or "", width_chars, break_long_words=False) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = _shorten(last, width_chars) + "…"
    return lines


def _shorten(line: str, width_chars: int) -> str:
    """The line cut at a word boundary to leave room for "…" (a single word is kept whole)."""
    if len(line) < width_chars:
        return line.rstrip()
    head, _space, _tail = line[: width_chars - 1].rpartition(" ")
    return (head or line).rstrip()


def _text(x: float, y: float, content: str, *, anchor: str = "start", size: int = 13, weight: str = "normal",
          colour: str = INK, extra: str = "") -> str:  # fmt: skip
    attrs = f'x="{_n(x)}" y="{_n(y)}" font-size="{size}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if weight != "normal":
        attrs += f' font-weight="{weight}"'
    if colour != INK:
        attrs += f' fill="{colour}"'
    return f"<text {attrs}{extra}>{escape(content)}</text>"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5, 5 × 10ⁿ) covering [low, high]."""
    if high < low:
        low, high = high, low
    if math.isclose(low, high):
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks, value = [], start
    while value < high + step * 0.5 and len(ticks) < 50:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _legend(svg: _Svg, items: Sequence[tuple[str, str, str]], top: float, left: float, width: float) -> float:
    """Draw (label, colour, style) swatches flowing across lines; returns the height used."""
    x, y, line_height = left, top + 14, 20
    for label, colour, style in items:
        text = wrap(label, 40, 1)[0]
        item_width = 26 + len(text) * 13 * CHAR_WIDTH + 18
        if x > left and x + item_width > left + width:
            x, y = left, y + line_height
        if style == "target":
            svg.add(
                f'<line x1="{_n(x)}" y1="{_n(y - 4)}" x2="{_n(x + 20)}" y2="{_n(y - 4)}" stroke="{colour}" '
                f'stroke-width="2" stroke-dasharray="5 3"/>'
            )
        else:
            svg.add(f'<rect x="{_n(x)}" y="{_n(y - 10)}" width="20" height="10" rx="2" fill="{colour}"/>')
        svg.add(_text(x + 26, y, text, size=13))
        x += item_width
    return y - top + 8


def empty_chart(
    *, title: str, message: str | None = None, width: int = 480, height: int = 120, chart_id: str | None = None
) -> SafeString:
    """A framed placeholder that says there is nothing to draw."""
    message = message or _("No data to chart yet.")
    svg = _Svg(width, height, title, message, _new_id(chart_id))
    svg.add(
        f'<rect x="1" y="1" width="{width - 2}" height="{height - 2}" rx="6" fill="#f3f6f9" '
        f'stroke="{GRID}" stroke-dasharray="6 4"/>'
    )
    svg.add(_text(width / 2, height / 2 - 4, title, anchor="middle", weight="600", size=13))
    svg.add(_text(width / 2, height / 2 + 16, message, anchor="middle", colour=MUTED, size=13))
    return svg.render()


def _marker_label_rows(markers: Sequence[Marker], x_of: Callable[[float], float]) -> dict[Marker, int]:
    """The row (0 or 1) of each reference-line label: a second row only where neighbours would overlap."""
    rows: dict[Marker, int] = {}
    ends = [-1e9, -1e9]
    for marker in sorted(markers, key=lambda m: m.value):
        x, half = x_of(marker.value), len(marker.label) * 11 * CHAR_WIDTH / 2 + 3
        row = 0 if x - half > ends[0] else (1 if x - half > ends[1] else 0)
        ends[row] = x + half
        rows[marker] = row
    return rows


def _bar_row(
    bar: Bar, y: float, *, left: float, label_chars: int, x_of: Callable[[float], float], fmt: Formatter
) -> tuple[str, float]:
    """One bar with its label above it, drawn from `y`; returns the SVG and where the next row starts."""
    lines = wrap(bar.label, label_chars, 2)
    weight = "700" if bar.highlight else "normal"
    row = [f"<g><title>{escape(bar.label)}: {escape(fmt(bar.value) if bar.value is not None else _('no data'))}"]
    row.append(f"{(' — ' + escape(bar.note)) if bar.note else ''}</title>")
    for i, line in enumerate(lines):
        row.append(_text(left, y + 14 + i * 16, line, weight=weight, size=14, extra=HALO))
    bar_y = y + 5 + len(lines) * 16
    if bar.value is None:
        row.append(_text(left, bar_y + 11, _("no data"), colour=MUTED, size=12))
    else:
        x0, x1 = sorted((x_of(0.0), x_of(bar.value)))
        colour = bar.colour or (HIGHLIGHT_COLOUR if bar.highlight else BAR_COLOUR)
        row.append(
            f'<rect x="{_n(x0)}" y="{_n(bar_y)}" width="{_n(max(x1 - x0, 1.5))}" height="14" rx="2" fill="{colour}"/>'
        )
        row.append(_text(max(x1, x_of(0.0)) + 5, bar_y + 12, fmt(bar.value), weight=weight, size=13, extra=HALO))
    row.append("</g>")
    return "".join(row), bar_y + 14 + 10


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str = "",
    unit: str = "",
    max_value: float | None = None,
    markers: Sequence[Marker] = (),
    value_format: Formatter | None = None,
    width: int = 400,
    chart_id: str | None = None,
    empty_message: str | None = None,
) -> SafeString:
    """Horizontal bars, one row per item, label above its bar, value at the bar's end.

    ``max_value`` fixes the scale (100 for percentages); otherwise the largest value sets it.
    Bars with ``value=None`` show "no data". Negative values extend left of a zero line.
    """
    drawable = [bar.value for bar in bars if bar.value is not None]
    if not bars or not drawable:
        return empty_chart(title=title, message=empty_message, width=width, chart_id=chart_id)
    fmt = value_format or (lambda v: format_number(v, unit))
    low = min(0.0, *drawable, *(m.value for m in markers))
    high = max(0.0, *drawable, *(m.value for m in markers), max_value or 0.0)
    if math.isclose(low, high):
        high = low + 1.0
    value_room = max(len(fmt(v)) for v in drawable) * 13 * CHAR_WIDTH + 10
    left, right = 8.0, width - 8 - value_room
    span = right - left

    def x_of(value: float) -> float:
        return left + (value - low) / (high - low) * span

    label_chars = int((width - 16) / (14 * CHAR_WIDTH))
    row_of = _marker_label_rows(markers, x_of)
    top = 8.0 + (18 if markers else 0) + (14 if any(row_of.values()) else 0)
    rows: list[str] = []
    y = top
    for bar in bars:
        row, y = _bar_row(bar, y, left=left, label_chars=label_chars, x_of=x_of, fmt=fmt)
        rows.append(row)
    height = y + 4
    description = description or _("Bar chart with %(count)d bars.") % {"count": len(bars)}
    svg = _Svg(width, height, title, description, _new_id(chart_id))
    if low < 0:
        svg.add(f'<line x1="{_n(x_of(0))}" y1="{_n(top)}" x2="{_n(x_of(0))}" y2="{_n(y)}" stroke="{MUTED}"/>')
    for marker in markers:
        x = x_of(marker.value)
        svg.add(
            f"<g><title>{escape(marker.label)}: {escape(fmt(marker.value))}</title>"
            f'<line x1="{_n(x)}" y1="{_n(top - 4)}" x2="{_n(x)}" y2="{_n(y - 6)}" stroke="{INK}" '
            f'stroke-width="1" stroke-dasharray="3 3"/>'
            + _text(x, top - 8 - 14 * row_of[marker], marker.label, anchor="middle", size=12, colour=MUTED)
            + "</g>"
        )
    # Rows after the reference lines so labels and bars sit on top of them.
    for part in rows:
        svg.add(part)
    return svg.render()


def _date_ticks(first: date, last: date, dates: Sequence[date]) -> list[tuple[date, str]]:
    """Tick positions and labels: one per year over long spans, else about five dates."""
    if (last - first).days >= 2 * 365:
        anniversaries = {(d.month, d.day) for d in dates}
        # Yearly series (every point on, say, 31 December) get their ticks on those days, so a
        # 2022 value sits on the "2022" tick rather than next to "2023".
        month, day = anniversaries.pop() if len(anniversaries) == 1 else (1, 1)
        years = [y for y in range(first.year, last.year + 1) if first <= _safe_date(y, month, day) <= last]
        step = max(1, math.ceil(len(years) / 7))
        return [(_safe_date(year, month, day), str(year)) for year in years[::step]]
    count = 5
    span = (last - first).days or 1
    ticks = []
    for i in range(count):
        day = date.fromordinal(first.toordinal() + round(span * i / (count - 1)))
        ticks.append((day, day.strftime("%Y-%m") if span > 90 else day.isoformat()))
    return list(dict(ticks).items())


def _safe_date(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, 28)) if month == 2 else date(year, month, day)


def _date_axis(
    svg: _Svg, ticks: list[tuple[date, str]], x_of: Callable[[date], float], *, left: float, right: float, bottom: float
) -> None:
    """The bottom axis of a line chart with its date ticks (those that fall inside the plot)."""
    for day, label in ticks:
        x = x_of(day)
        if left - 1 <= x <= right + 1:
            svg.add(f'<line x1="{_n(x)}" y1="{_n(bottom)}" x2="{_n(x)}" y2="{_n(bottom + 5)}" stroke="{MUTED}"/>')
            svg.add(_text(x, bottom + 19, label, anchor="middle", size=13, colour=MUTED))
    svg.add(f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(right)}" y2="{_n(bottom)}" stroke="{MUTED}"/>')


def _series_group(
    s: Series, colour: str, x_of: Callable[[date], float], y_of: Callable[[float], float], fmt: Formatter
) -> str:
    """One series: its line (dashed for targets) and a point per value, each with its tooltip."""
    points = sorted(s.points)
    coords = " ".join(f"{_n(x_of(d))},{_n(y_of(v))}" for d, v in points)
    dash = ' stroke-dasharray="6 4"' if s.style in ("target", "dashed") else ""
    parts = [f"<g><title>{escape(s.name)}</title>"]
    if len(points) > 1:
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2.5"'
            f' stroke-linejoin="round"{dash}/>'
        )
    fill = "#fff" if s.style == "target" else colour
    for d, v in points:
        parts.append(
            f'<circle cx="{_n(x_of(d))}" cy="{_n(y_of(v))}" r="4" fill="{fill}" stroke="{colour}" stroke-width="2">'
            f"<title>{escape(s.name)} — {d.isoformat()}: {escape(fmt(v))}</title></circle>"
        )
    parts.append("</g>")
    return "".join(parts)


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    description: str = "",
    unit: str = "",
    include_zero: bool = True,
    value_format: Formatter | None = None,
    width: int = 480,
    height: int = 280,
    chart_id: str | None = None,
    empty_message: str | None = None,
) -> SafeString:
    """Time series against dates; target series dashed with hollow points; legend below."""
    drawn = [s for s in series if s.points]
    if not drawn:
        return empty_chart(title=title, message=empty_message, width=width, chart_id=chart_id)
    fmt = value_format or (lambda v: format_number(v, unit))
    values = [v for s in drawn for _d, v in s.points]
    dates = [d for s in drawn for d, _v in s.points]
    low, high = min(values), max(values)
    if include_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    ticks = nice_ticks(low, high)
    low, high = ticks[0], ticks[-1]
    first, last = min(dates), max(dates)
    if first == last:
        first, last = date.fromordinal(first.toordinal() - 182), date.fromordinal(last.toordinal() + 182)
    axis_room = max(len(fmt(t)) for t in ticks) * 13 * CHAR_WIDTH + 10
    left, right, top, bottom = axis_room + 6, width - 18, 12.0, height - 30.0

    def x_of(day: date) -> float:
        return left + (day.toordinal() - first.toordinal()) / (last.toordinal() - first.toordinal()) * (right - left)

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    colours = iter(itertools.cycle(PALETTE))
    legend = []
    plotted = []
    for s in drawn:
        colour = s.colour or (TARGET_COLOUR if s.style == "target" else next(colours))
        legend.append((s.name, colour, s.style))
        plotted.append((s, colour))
    # Legend height is only known after layout: draw it into a scratch chart first.
    scratch = _Svg(width, 0, "", "", "scratch")
    legend_height = (
        _legend(scratch, legend, 0, left, right - left) if len(drawn) > 1 or drawn[0].style == "target" else 0
    )
    total_height = height + legend_height
    description = description or _("Line chart of %(count)d series from %(first)s to %(last)s.") % {
        "count": len(drawn),
        "first": min(dates).isoformat(),
        "last": max(dates).isoformat(),
    }
    svg = _Svg(width, total_height, title, description, _new_id(chart_id))
    for tick in ticks:
        y = y_of(tick)
        svg.add(f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}" stroke="{GRID}"/>')
        svg.add(_text(left - 6, y + 4, fmt(tick), anchor="end", size=13, colour=MUTED))
    _date_axis(svg, _date_ticks(first, last, dates), x_of, left=left, right=right, bottom=bottom)
    for s, colour in plotted:
        svg.add(_series_group(s, colour, x_of, y_of, fmt))
    if legend_height:
        _legend(svg, legend, height - 4, left, right - left)
    return svg.render()


def radar_chart(
    profiles: Sequence[Profile],
    *,
    dimensions: Sequence[str],
    title: str,
    description: str = "",
    max_value: float = 5,
    width: int = 480,
    chart_id: str | None = None,
    empty_message: str | None = None,
) -> SafeString:
    """Scores on axes 1..``max_value`` round a circle, one polygon per profile."""
    scored = [p for p in profiles if any(s is not None for s in p.scores)]
    if len(dimensions) < 3 or not scored:
        return empty_chart(title=title, message=empty_message, width=width, chart_id=chart_id)
    size = width * 0.62
    cx, cy, radius = width / 2, size / 2 + 36, size / 2 - 8
    count = len(dimensions)

    def point(index: int, value: float, clamp: bool = True) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        r = radius * (max(0.0, min(value, max_value)) if clamp else value) / max_value
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    colours = itertools.cycle(PALETTE)
    legend = [(p.name, p.colour or next(colours), "solid") for p in scored]
    scratch = _Svg(width, 0, "", "", "scratch")
    legend_height = _legend(scratch, legend, 0, 8, width - 16) if len(scored) > 1 else 0
    height = cy + radius + 48 + legend_height
    description = description or _("Radar chart of %(count)d profiles over %(dims)d dimensions (0 to %(max)s).") % {
        "count": len(scored),
        "dims": count,
        "max": format_number(max_value),
    }
    svg = _Svg(width, height, title, description, _new_id(chart_id))
    for ring in range(1, int(max_value) + 1):
        coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in (point(i, ring) for i in range(count)))
        svg.add(f'<polygon points="{coords}" fill="none" stroke="{GRID}"/>')
        x, y = point(0, ring)
        svg.add(_text(x + 4, y + 4, format_number(ring), size=12, colour=MUTED))
    label_chars = max(8, int((width / 2 - 20) / (12 * CHAR_WIDTH)) // 2)
    for i, name in enumerate(dimensions):
        x, y = point(i, max_value)
        svg.add(f'<line x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(x)}" y2="{_n(y)}" stroke="{GRID}"/>')
        lx, ly = point(i, max_value * 1.08, clamp=False)
        anchor = "middle" if abs(lx - cx) < 8 else ("start" if lx > cx else "end")
        lines = wrap(name, label_chars, 2)
        offset = -((len(lines) - 1) * 13) - 2 if ly < cy - 8 else (6 if ly > cy + 8 else 0)
        for j, line in enumerate(lines):
            svg.add(_text(lx, ly + 4 + offset + j * 13, line, anchor=anchor, size=12))
    for profile, (_name, colour, _style) in zip(scored, legend, strict=True):
        pts = [point(i, s) for i, s in enumerate(profile.scores) if s is not None]
        coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in pts)
        svg.add(
            f'<g><title>{escape(profile.name)}</title><polygon points="{coords}" fill="{colour}" fill-opacity="0.18" '
            f'stroke="{colour}" stroke-width="2"/>'
            + "".join(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3" fill="{colour}"/>' for x, y in pts)
            + "</g>"
        )
    if legend_height:
        _legend(svg, legend, cy + radius + 40, 8, width - 16)
    return svg.render()


def status_bar(
    segments: Sequence[Segment],
    *,
    title: str,
    description: str = "",
    width: int = 400,
    chart_id: str | None = None,
    empty_message: str | None = None,
) -> SafeString:
    """One horizontal bar split in proportion to each segment, with a legend of counts."""
    shown = [s for s in segments if s.value > 0]
    total = sum(s.value for s in shown)
    if not shown:
        return empty_chart(title=title, message=empty_message, width=width, chart_id=chart_id)
    left, right = 8.0, width - 8.0
    legend = [(f"{s.label}: {format_number(s.value)}", s.colour, "solid") for s in segments]
    scratch = _Svg(width, 0, "", "", "scratch")
    legend_height = _legend(scratch, legend, 0, left, right - left)
    height = 8 + 28 + 8 + legend_height
    description = description or ", ".join(f"{s.label}: {format_number(s.value)}" for s in segments)
    svg = _Svg(width, height, title, description, _new_id(chart_id))
    x = left
    for s in shown:
        w = (right - left) * s.value / total
        share = format_number(round(100 * s.value / total))
        svg.add(
            f"<g><title>{escape(s.label)}: {escape(format_number(s.value))} ({share}%)</title>"
            f'<rect x="{_n(x)}" y="8" width="{_n(w)}" height="28" fill="{s.colour}" stroke="#fff" '
            f'stroke-width="1"/></g>'
        )
        x += w
    _legend(svg, legend, 44, left, right - left)
    return svg.render()
