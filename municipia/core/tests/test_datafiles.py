"""Uploaded tables are read within bounds: a small file cannot make a worker read millions of cells."""

import csv
import io
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from municipia.core.datafiles import UnreadableTable, csv_rows, xlsx_rows


def _workbook(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _with_dimension(content: bytes, dimension: str) -> bytes:
    """The same workbook with its first sheet declaring `dimension` (as a hostile file would)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index("<dimension")
                end = text.index("/>", start) + 2
                data = (text[:start] + f'<dimension ref="{dimension}"/>' + text[end:]).encode()
            target.writestr(item, data)
    return out.getvalue()


def test_rows_are_read_without_trailing_empty_cells():
    assert list(xlsx_rows(_workbook([["a", "b", None], [1, None, None]]))) == [["a", "b"], [1]]


def test_a_declared_huge_dimension_does_not_pad_the_rows():
    content = _with_dimension(_workbook([["indicator", "value"], ["DIG-01", 3]]), "A1:XFD1048576")
    tracemalloc.start()
    rows = list(xlsx_rows(content))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert rows == [["indicator", "value"], ["DIG-01", 3]]
    assert peak < 20 * 2**20


@pytest.mark.parametrize(
    ("rows", "bounds", "message"),
    [
        ([["x"]] * 6, {"max_rows": 5}, "more than 5 rows"),
        ([list(range(9))], {"max_columns": 8}, "more than 8 columns"),
        ([list(range(4))] * 3, {"max_cells": 10}, "more than 10 cells"),
        ([["x" * 5000]], {"max_uncompressed": 2000}, "too large once unpacked"),
    ],
)
def test_each_bound_stops_the_reading_with_a_message(rows, bounds, message):
    with pytest.raises(UnreadableTable, match=message):
        list(xlsx_rows(_workbook(rows), **bounds))


def test_a_damaged_workbook_is_refused_with_a_message():
    with pytest.raises(UnreadableTable, match="could not be read"):
        list(xlsx_rows(b"PK\x03\x04 not really a zip"))


def test_a_csv_cell_over_the_field_limit_names_its_line():
    text = "email\nok@example.org\n" + '"' + "x" * (csv.field_size_limit() + 1) + '"\n'
    with pytest.raises(UnreadableTable, match=r"Line \d+ has a cell longer than"):
        list(csv_rows(csv.reader(io.StringIO(text))))
