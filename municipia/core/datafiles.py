"""Reading the reference data files the apps ship (CSV with a header row), one way for every loader."""

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

from django.utils.translation import gettext as _

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
