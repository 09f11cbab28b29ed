"""CSV, XLSX and JSON writers: formula cells neutralised, numbers kept, streamed output."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from municipia.core.exports import (
    chunked_iterator,
    csv_lines,
    csv_response,
    json_chunks,
    json_response,
    safe_cell,
    xlsx_response,
)

TRIGGERS = ["=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff20"]


@pytest.mark.parametrize("start", TRIGGERS)
def test_text_starting_like_a_formula_gets_a_leading_apostrophe(start):
    assert safe_cell(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"


@pytest.mark.parametrize("value", [3, -3, 2.5, Decimal("-10.50")])
def test_numbers_stay_numbers(value):
    assert safe_cell(value) == value
    assert type(safe_cell(value)) is type(value)


def test_plain_text_dates_and_empty_values_are_written_as_text():
    assert safe_cell("Barcelona") == "Barcelona"
    assert safe_cell(None) == ""
    assert safe_cell(dt.date(2024, 5, 30)) == "2024-05-30"


@pytest.mark.parametrize("start", TRIGGERS)
def test_csv_neutralises_every_formula_trigger(start):
    text = "".join(csv_lines(["name", "value"], [[f"{start}cmd|' /C calc'!A0", -5]]))
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert rows[1] == [f"'{start}cmd|' /C calc'!A0", "-5"]


def test_csv_response_is_streamed_and_reads_rows_lazily():
    consumed = []

    def rows():
        for n in range(3):
            consumed.append(n)
            yield [n, f"row {n}"]

    response = csv_response(["n", "label"], rows(), filename="rows.csv")
    assert response.streaming
    assert consumed == []
    first = next(iter(response.streaming_content))
    assert b"n,label" in first
    assert consumed == []
    assert response["Content-Disposition"] == 'attachment; filename="rows.csv"'


@pytest.mark.parametrize("start", TRIGGERS)
def test_xlsx_neutralises_formulas_and_keeps_numbers(start):
    response = xlsx_response(
        [("Rows", ["text", "number"], [[f"{start}1+1", Decimal("12.5")], ["Sofia", 7]])], filename="rows.xlsx"
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook["Rows"]
    assert sheet["A2"].value == f"'{start}1+1"
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 12.5
    assert sheet["B3"].value == 7


def test_xlsx_drops_control_characters_it_cannot_hold():
    response = xlsx_response([("Rows", ["text"], [["bell\x07 here"]])], filename="rows.xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook["Rows"]["A2"].value == "bell here"


def test_json_stream_is_valid_json_with_decimals_and_dates():
    text = "".join(json_chunks([{"value": Decimal("1.50"), "date": dt.date(2024, 1, 2)}, {"value": 2}]))
    assert json.loads(text) == [{"value": "1.50", "date": "2024-01-02"}, {"value": 2}]


def test_json_stream_can_wrap_the_rows_in_an_object():
    text = "".join(json_chunks(iter([{"a": 1}]), key="rows", head={"plan": "Агенда"}))
    assert json.loads(text) == {"plan": "Агенда", "rows": [{"a": 1}]}
    assert json.loads("".join(json_chunks([], key="rows"))) == {"rows": []}


def test_json_response_streams():
    response = json_response(iter([{"a": 1}]), filename="a.json")
    assert response.streaming
    assert json.loads(b"".join(response.streaming_content)) == [{"a": 1}]


def test_chunked_iterator_splits_without_reading_ahead():
    assert list(chunked_iterator(range(5), 2)) == [[0, 1], [2, 3], [4]]
