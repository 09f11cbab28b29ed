"""CSV, XLSX and JSON downloads: spreadsheet-safe cells, streamed CSV/JSON, XLSX in write-only mode.

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a
formula by spreadsheet programs (CSV/formula injection, OWASP): such text gets a leading
apostrophe. Numbers stay numbers, so sums still work in the spreadsheet.

CSV and JSON are produced by generators and sent with `StreamingHttpResponse`, so memory does
not grow with the number of rows as long as the rows come from `queryset.iterator(chunk_size=…)`
(or `chunked_iterator` below). XLSX cannot be streamed (it is a zip file), so openpyxl's
write-only workbook writes it row by row to a temporary file, which is then sent as a file.
"""

import csv
import datetime as dt
import io
import re
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import islice

from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from municipia.core.datafiles import UnreadableTable, csv_rows, xlsx_rows
from municipia.core.sanitize import xml_safe

# What spreadsheet programs read as the start of a formula, with the fullwidth forms that some of
# them fold to the ASCII ones (＝ ＋ － ＠) and the minus sign.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\u2212")
CHUNK_SIZE = 2000
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON_CONTENT_TYPE = "application/json"


def safe_text(text: str) -> str:
    """`text` as a spreadsheet shows it: formula starters (after any leading spaces, which
    spreadsheets skip) behind an apostrophe, characters XML cannot hold removed."""
    text = xml_safe(text)
    return "'" + text if text.lstrip(" \u3000").startswith(FORMULA_STARTS) else text


def safe_cell(value):
    """A value a spreadsheet shows as it is: numbers unchanged, text that looks like a formula quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return safe_text(str(value))


def safe_row(row: Iterable) -> list:
    return [safe_cell(value) for value in row]


def chunked_iterator(iterable: Iterable, size: int = CHUNK_SIZE) -> Iterator[list]:
    """Lists of at most `size` items: lets a caller fetch related rows once per chunk."""
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def content_disposition(filename: str) -> str:
    return f'attachment; filename="{filename}"'


# --- CSV


class _Line:
    """A write-only buffer: `csv.writer` hands each formatted line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV text line by line: a byte-order mark (so spreadsheets read UTF-8), the header, the rows."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow([safe_text(str(name)) for name in header])
    for row in rows:
        yield writer.writerow(safe_row(row))


# --- Licence: every download says under which terms its data may be reused (portal/open-data page).

DATA_LICENCE_NAME = "CC BY 4.0"
DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def with_licence(response):
    """Add the open-data licence as a `Link: <…>; rel="license"` header (RFC 8288, machine-readable)."""
    response["Link"] = f'<{DATA_LICENCE_URL}>; rel="license"'
    return response


def csv_response(header: Iterable, rows: Iterable[Iterable], *, filename: str) -> StreamingHttpResponse:
    """A streamed CSV download; `rows` should be a lazy iterable (a generator over `.iterator()`)."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return with_licence(response)


# --- JSON


def json_chunks(objects: Iterable[dict], *, key: str | None = None, head: dict | None = None) -> Iterator[str]:
    """A JSON array (or `{**head, key: [...]}` when `key` is given) written one object at a time."""
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    if key is None:
        yield "["
    else:
        opening = encoder.encode({**(head or {}), key: []})
        yield opening[: opening.rindex("[") + 1]
    separator = ""
    for obj in objects:
        yield separator + encoder.encode(obj)
        separator = ","
    yield "]" if key is None else "]}"


def json_response(
    objects: Iterable[dict], *, filename: str | None = None, key: str | None = None, head: dict | None = None
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(json_chunks(objects, key=key, head=head), content_type=JSON_CONTENT_TYPE)
    if filename:
        response["Content-Disposition"] = content_disposition(filename)
    return with_licence(response)


# --- XLSX


def xlsx_cell(value):
    return safe_cell(value)


def write_xlsx(sheets: Iterable[tuple[str, Iterable, Iterable[Iterable]]], target) -> None:
    """Writes `(title, header, rows)` sheets to `target` (a path or a binary file) in write-only mode."""
    workbook = Workbook(write_only=True)
    workbook.properties.description = f"Licence: {DATA_LICENCE_NAME} {DATA_LICENCE_URL}"
    for title, header, rows in sheets:
        # Sheet titles: at most 31 characters, none of []:*?/\ (the XLSX rules).
        sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31] or "Sheet")
        sheet.append([xlsx_cell(str(name)) for name in header])
        for row in rows:
            sheet.append([xlsx_cell(value) for value in row])
    workbook.save(target)


def xlsx_response(sheets: Iterable[tuple[str, Iterable, Iterable[Iterable]]], *, filename: str) -> FileResponse:
    """An XLSX download written to a temporary file (deleted when the response is closed)."""
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    write_xlsx(sheets, spool)
    spool.seek(0)
    return with_licence(FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE))


# --- Reading an uploaded table (CSV or XLSX): the bulk progress update and the execution import.


class UnreadableFile(Exception):
    """The upload is neither a UTF-8 CSV file nor an XLSX workbook that can be read."""


def read_table(name: str, content: bytes) -> list[list]:
    """The file's rows (the header first) as lists of cells: a CSV file with commas or semicolons, or
    an XLSX workbook read within the bounds of `core.datafiles.xlsx_rows`."""
    try:
        if name.lower().endswith(".xlsx") or content[:2] == b"PK":
            return list(xlsx_rows(content))
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnreadableFile(_("Save the CSV file as UTF-8.")) from exc
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        return list(csv_rows(csv.reader(io.StringIO(text), delimiter=delimiter)))
    except UnreadableTable as exc:
        raise UnreadableFile(str(exc)) from None
