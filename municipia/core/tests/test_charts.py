"""Server-rendered SVG charts: accessible, escaped, well-formed, and honest when there is no data."""

import xml.etree.ElementTree as ET
from datetime import date

from django.utils import translation

from municipia.core.charts import (
    Bar,
    Marker,
    Profile,
    Segment,
    Series,
    bar_chart,
    empty_chart,
    format_number,
    line_chart,
    nice_ticks,
    radar_chart,
    status_bar,
    wrap,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def assert_accessible(root: ET.Element, title: str) -> None:
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == title
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}desc").text


def texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter(f"{SVG}text")]


def test_bar_chart_is_accessible_and_labels_every_bar_with_its_value():
    chart = bar_chart([Bar("Girona", 72.5), Bar("Vic", 40), Bar("Olot", None)], title="Online procedures", unit="%")
    root = parse(chart)
    assert_accessible(root, "Online procedures")
    shown = texts(root)
    assert "Girona" in shown and "Vic" in shown and "Olot" in shown
    assert "72.5%" in shown and "40%" in shown
    assert "no data" in shown
    assert len(root.findall(f".//{SVG}rect")) == 2


def test_bar_chart_escapes_labels_and_titles():
    chart = bar_chart([Bar("<script>alert(1)</script> & Co", 3)], title='A "quoted" <b>title</b>')
    assert "<script>" not in chart
    root = parse(chart)
    assert root.find(f"{SVG}title").text == 'A "quoted" <b>title</b>'


def test_bar_chart_highlights_one_bar_and_draws_reference_lines():
    chart = bar_chart(
        [Bar("Girona", 70), Bar("Vic", 40, highlight=True)],
        title="t",
        markers=[Marker("Median", 55)],
    )
    root = parse(chart)
    bold = [el.text for el in root.iter(f"{SVG}text") if el.get("font-weight") == "700"]
    assert "Vic" in bold and "Girona" not in bold
    assert "Median" in texts(root)
    assert any(line.get("stroke-dasharray") for line in root.iter(f"{SVG}line"))


def test_long_labels_wrap_to_two_lines_and_end_with_an_ellipsis():
    label = "Ajuntament de la Vila de Sant Pere de Vilamajor i el seu entorn metropolità immediat " * 2
    root = parse(bar_chart([Bar(label, 5)], title="t", width=320))
    lines = [t for t in texts(root) if t.startswith(("Ajuntament", "de", "Vila", "Sant", "i ", "Vilamajor"))]
    assert 1 <= len(lines) <= 2
    assert lines[-1].endswith("…")
    # The full label is kept in the tooltip.
    assert any(label.strip() in (el.text or "") for el in root.iter(f"{SVG}title"))


def test_a_chart_with_no_data_says_so():
    for chart in (
        bar_chart([], title="Progress by axis"),
        bar_chart([Bar("Axis 1", None)], title="Progress by axis"),
        line_chart([Series("Girona", [])], title="Progress by axis"),
        radar_chart([], dimensions=["a", "b", "c"], title="Progress by axis"),
        status_bar([Segment("Late", 0, "#b42318")], title="Progress by axis"),
        empty_chart(title="Progress by axis"),
    ):
        root = parse(chart)
        assert_accessible(root, "Progress by axis")
        assert "No data to chart yet." in texts(root)


def test_empty_chart_message_can_be_customised():
    root = parse(empty_chart(title="t", message="Nothing measured in 2025."))
    assert "Nothing measured in 2025." in texts(root)
    assert root.find(f"{SVG}desc").text == "Nothing measured in 2025."


def test_line_chart_draws_each_series_and_a_dashed_target_with_a_legend():
    chart = line_chart(
        [
            Series("Girona", [(date(2022, 12, 31), 40), (date(2023, 12, 31), 52), (date(2024, 12, 31), 61)]),
            Series("Target", [(date(2023, 12, 31), 50), (date(2025, 12, 31), 80)], style="target"),
        ],
        title="Share of procedures online",
        unit="%",
    )
    root = parse(chart)
    assert_accessible(root, "Share of procedures online")
    polylines = root.findall(f".//{SVG}polyline")
    assert len(polylines) == 2
    assert polylines[1].get("stroke-dasharray")
    assert len(root.findall(f".//{SVG}circle")) == 5
    shown = texts(root)
    assert "Girona" in shown and "Target" in shown
    assert "2023" in shown and "2025" in shown


def test_line_chart_with_a_single_point_still_draws_it():
    root = parse(line_chart([Series("Vic", [(date(2024, 1, 1), 3.0)])], title="t"))
    assert len(root.findall(f".//{SVG}circle")) == 1


def test_radar_chart_has_one_polygon_per_profile_plus_rings():
    chart = radar_chart(
        [Profile("Girona", [1, 3, 5, 2]), Profile("Network median", [2, 2, None, 4])],
        dimensions=["Strategy", "Data", "Services", "Skills"],
        title="Maturity",
    )
    root = parse(chart)
    assert_accessible(root, "Maturity")
    filled = [p for p in root.iter(f"{SVG}polygon") if p.get("fill") != "none"]
    assert len(filled) == 2
    assert "Services" in texts(root)


def test_status_bar_splits_in_proportion_and_lists_every_status():
    chart = status_bar(
        [Segment("Done", 3, "#146c2e"), Segment("Late", 1, "#b42318"), Segment("At risk", 0, "#8a5a00")],
        title="Actions by status",
    )
    root = parse(chart)
    rects = [r for r in root.iter(f"{SVG}rect") if r.get("height") == "28"]
    assert len(rects) == 2
    assert float(rects[0].get("width")) == 3 * float(rects[1].get("width"))
    assert {"Done: 3", "Late: 1", "At risk: 0"} <= set(texts(root))


def test_numbers_follow_the_active_language():
    with translation.override("ca"):
        assert format_number(12.5, "%") == "12,5%"
    with translation.override("en"):
        assert format_number(12.5, "%") == "12.5%"
        assert format_number(3, "datasets") == "3 datasets"
        assert format_number(0.25) == "0.25"


def test_nice_ticks_cover_the_range_with_round_steps():
    assert nice_ticks(0, 100) == [0, 20, 40, 60, 80, 100]
    ticks = nice_ticks(3, 3)
    assert ticks[0] <= 3 <= ticks[-1]


def test_wrap_keeps_short_text_whole():
    assert wrap("Vic", 20) == ["Vic"]
    assert wrap("", 20) == [""]


def test_two_charts_on_one_page_get_different_ids():
    first, second = parse(bar_chart([Bar("a", 1)], title="t")), parse(bar_chart([Bar("a", 1)], title="t"))
    assert first.get("id") != second.get("id")


def test_wrap_never_splits_a_word():
    # Radar labels such as "Digitalisation of services" used to break as "Digitalisat" / "ion".
    lines = wrap("Digitalisation of municipal services", 8, 2)
    words = ["Digitalisation", "of", "municipal", "services"]
    for line in lines:
        for word in line.rstrip("…").split():
            assert word in words, line
    assert wrap("Інтероперабельність", 6, 2) == ["Інтероперабельність"]


def test_chart_text_is_at_least_12_units():
    root = parse(radar_chart([Profile("Vic", [1, 2, 3])], dimensions=["a", "b", "c"], title="t"))
    sizes = [float(t.get("font-size")) for t in root.iter(f"{SVG}text") if t.get("font-size")]
    assert sizes and min(sizes) >= 12
