"""Reading tables: the reference data files the apps ship (CSV with a header row), one way for
every loader; and the CSV and XLSX files users upload, within bounds."""

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import load_workbook

#: An exception class taking (file, line, problem), so each loader's errors keep their own kind.
ErrorClass = Callable[[Path, int, str], Exception]


def read_csv_rows(
    path: Path | str, required: tuple[str, ...], error: ErrorClass
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yields (line number, row) for each data row of a UTF-8 CSV file; the header is line 1.

    Values and column names are stripped (a byte-order mark too); blank lines are skipped. A file
    that cannot be opened or decoded, a missing column or a row of the wrong length raises
    `error(path, line, problem)` naming the line.
    """
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise error(path, 0, _("cannot open the file (%(error)s).") % {"error": exc.strerror}) from exc
    with handle:
        reader = csv.reader(handle, strict=True)
        line = 1
        try:
            header = next(reader, None)
            if header is None:
                raise error(path, 1, _("the file is empty; a header row was expected."))
            header = [name.strip() for name in header]
            missing = [name for name in required if name not in header]
            if missing:
                raise error(path, 1, _("missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})
            for row in reader:
                line = reader.line_num
                if not row:
                    continue  # a blank line
                if len(row) != len(header):
                    problem = _("expected %(expected)d fields, found %(found)d.")
                    raise error(path, line, problem % {"expected": len(header), "found": len(row)})
                yield line, dict(zip(header, (value.strip() for value in row), strict=True))
        except UnicodeDecodeError as exc:
            raise error(path, line + 1, _("the text is not valid UTF-8.")) from exc
        except csv.Error as exc:
            raise error(path, reader.line_num, _("malformed CSV (%(error)s).") % {"error": exc}) from exc


# --- Files users upload: spreadsheets read within fixed bounds.

#: Bounds of an uploaded XLSX workbook. The declared dimension of a sheet is ignored (a 42 KB file
#: declaring A1:XFD1048576 took a worker to 1.1 GB): only the cells really present are read, in
#: openpyxl's streaming (read-only) mode, and reading stops at the first bound passed.
XLSX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
XLSX_MAX_ROWS = 200_000
XLSX_MAX_COLUMNS = 64
XLSX_MAX_CELLS = 2_000_000


class UnreadableTable(ValueError):
    """An uploaded table that cannot, or may not, be read; `str()` is the message for the user."""


def xlsx_rows(
    content: bytes,
    *,
    max_rows: int = XLSX_MAX_ROWS,
    max_columns: int = XLSX_MAX_COLUMNS,
    max_cells: int = XLSX_MAX_CELLS,
    max_uncompressed: int = XLSX_MAX_UNCOMPRESSED,
) -> Iterator[list]:
    """The rows of the first sheet of an XLSX file, each a list without trailing empty cells.

    Raises `UnreadableTable` for a damaged file or one past a bound (naming it), before reading
    when the archive's uncompressed size says so, else as soon as a row passes a bound.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            uncompressed = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnreadableTable(_("The file could not be read as an XLSX workbook.")) from None
    if uncompressed > max_uncompressed:
        raise UnreadableTable(
            _("The workbook is too large once unpacked (%(size)s MB; at most %(limit)s MB).")
            % {"size": uncompressed // 2**20, "limit": max_uncompressed // 2**20}
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise UnreadableTable(_("The file could not be read as an XLSX workbook.")) from None
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        # Forget the declared A1:… range, which would pad every row to its width.
        sheet.reset_dimensions()
        cells = 0
        for rows, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            row = list(values)
            while row and row[-1] is None:
                row.pop()
            cells += len(row)
            if rows > max_rows:
                raise UnreadableTable(_("The sheet has more than %(limit)s rows.") % {"limit": max_rows})
            if len(row) > max_columns:
                raise UnreadableTable(
                    _("Row %(row)s has more than %(limit)s columns.") % {"row": rows, "limit": max_columns}
                )
            if cells > max_cells:
                raise UnreadableTable(_("The sheet has more than %(limit)s cells.") % {"limit": max_cells})
            yield row
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        if isinstance(exc, UnreadableTable):
            raise
        raise UnreadableTable(_("The file could not be read as an XLSX workbook.")) from None
    finally:
        workbook.close()


def csv_rows(reader: Iterable[list[str]]) -> Iterator[list[str]]:
    """The rows of a `csv.reader`, with its errors (a cell over the field size limit, a stray
    quote) turned into `UnreadableTable` naming the line, rather than a server error."""
    iterator = iter(reader)
    line = 0
    while True:
        try:
            row = next(iterator)
        except StopIteration:
            return
        except csv.Error as exc:
            number = getattr(reader, "line_num", line + 1)
            if "field larger than field limit" in str(exc):
                message = _("Line %(line)s has a cell longer than %(limit)s characters.") % {
                    "line": number,
                    "limit": csv.field_size_limit(),
                }
            else:
                message = _("Line %(line)s is not valid CSV (%(error)s).") % {"line": number, "error": exc}
            raise UnreadableTable(message) from None
        line += 1
        yield row
