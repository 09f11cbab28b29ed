"""Reading and checking files of observations (CSV or XLSX); the one importer of the UI, API and command.

A file has a header row and one observation per row, with these columns (any order, any case):

- `indicator` (required): the indicator's code;
- `organization` or `organisation` (required): the organisation's slug, or its official code
  (INE 5-digit code for Spain, NSI/LAU code such as `SOF46` for Bulgaria) or its EKATTE code;
  `ES:11020` or `BG:SOF46` names the country when a code is used in both;
- `date` (required): ISO date `YYYY-MM-DD` (or a date cell in XLSX);
- `value` (required): a number, `12.5`, or `12,5` with a decimal comma;
- `source`, `note` (optional): free text.

Rows are numbered as a spreadsheet shows them: the header is row 1. Checking resolves every
code with a few queries (dictionaries), validates in Python and returns every bad row with
its reason; the service writes nothing unless every row is good.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.indicators.models import VALUE_DECIMALS, VALUE_DIGITS, Indicator, Observation
from municipia.indicators.permissions import may_record
from municipia.organizations.models import Organization

REQUIRED_COLUMNS = ("indicator", "organization", "date", "value")
OPTIONAL_COLUMNS = ("source", "note")
COLUMN_ALIASES = {"organisation": "organization", "indicator_code": "indicator", "organization_code": "organization"}
PREVIEW_ROWS = 20
# Look-ups by code are split so that no query exceeds the databases' parameter limits.
LOOKUP_CHUNK = 2000
MAX_VALUE = Decimal(10) ** (VALUE_DIGITS - VALUE_DECIMALS)


class UnreadableFile(Exception):
    """The file is not a CSV or XLSX file we can read (reported on the file, not on a row)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class CheckedRow:
    row: int
    indicator_id: int
    indicator_code: str
    organization_id: int
    organization_name: str
    date: dt.date
    value: Decimal
    source: str
    note: str
    existing_id: int | None = None


@dataclass
class CheckResult:
    rows: list[CheckedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    row_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def replace_count(self) -> int:
        return sum(1 for row in self.rows if row.existing_id is not None)

    @property
    def preview(self) -> list[CheckedRow]:
        return self.rows[:PREVIEW_ROWS]


# --- Reading


def _is_xlsx(name: str, content: bytes) -> bool:
    # XLSX files are ZIP archives.
    return name.lower().endswith((".xlsx", ".xlsm")) or content[:4] == b"PK\x03\x04"


def _read_csv(content: bytes) -> Iterator[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(_("The file is not UTF-8 text, nor an XLSX workbook.")) from None
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to Spanish, Catalan or Bulgarian save CSV with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def _read_xlsx(content: bytes) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise UnreadableFile(_("The file could not be read as an XLSX workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    finally:
        workbook.close()


def read_table(name: str, content: bytes) -> Iterator[list]:
    """The file's rows as lists of cells (strings from CSV; numbers, dates or strings from XLSX)."""
    if _is_xlsx(name, content):
        return _read_xlsx(content)
    return _read_csv(content)


# --- Parsing cells


def _text(cell) -> str:
    if cell is None:
        return ""
    return str(cell).strip()


def parse_value(cell) -> Decimal | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        value = Decimal(str(cell))
    else:
        text = _text(cell).replace(" ", "").replace("\u00a0", "")
        if "," in text and "." not in text and text.count(",") == 1:
            text = text.replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            return None
    if not value.is_finite():
        return None
    return value


def parse_date(cell) -> dt.date | None:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = _text(cell)
    if len(text) != 10:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


# --- Resolving codes


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]


def _organization_index(tokens: set[str]) -> dict[str, list[tuple[int, str]]]:
    """token → [(organisation id, name)], by slug, official code, EKATTE code or COUNTRY:code."""
    plain: set[str] = set()
    for token in tokens:
        plain.add(token.split(":", 1)[1] if ":" in token else token)
    index: dict[str, dict[int, str]] = {}
    for chunk in _chunks(sorted(plain)):
        rows = Organization.objects.filter(
            Q(slug__in=chunk) | Q(official_code__in=chunk) | Q(ekatte_code__in=chunk)
        ).values_list("id", "name", "slug", "official_code", "ekatte_code", "country")
        for org_id, name, slug, official_code, ekatte_code, country in rows:
            for key in {slug, official_code, ekatte_code} - {""}:
                index.setdefault(key, {})[org_id] = name
                if country:
                    index.setdefault(f"{country}:{key}", {})[org_id] = name
    return {key: sorted(found.items()) for key, found in index.items()}


def _indicator_index(codes: set[str]) -> dict[str, list[tuple[int, int | None]]]:
    """code → [(indicator id, owner organisation id)]."""
    index: dict[str, list[tuple[int, int | None]]] = {}
    for chunk in _chunks(sorted(codes)):
        for pk, code, owner_id in Indicator.objects.filter(code__in=chunk).values_list(
            "id", "code", "owner_organization_id"
        ):
            index.setdefault(code, []).append((pk, owner_id))
    return index


def _pick_indicator(candidates: list[tuple[int, int | None]], organization_id: int | None):
    """One indicator for a code: the only one, else the organisation's own, else the site-wide one."""
    if len(candidates) == 1:
        return candidates[0]
    own = [c for c in candidates if organization_id is not None and c[1] == organization_id]
    shared = [c for c in candidates if c[1] is None]
    return (own or shared or [None])[0]


# --- Checking


def _header(cells: list) -> tuple[dict[str, int], list[RowError]]:
    columns: dict[str, int] = {}
    errors: list[RowError] = []
    for position, cell in enumerate(cells):
        name = _text(cell).lower().replace(" ", "_")
        name = COLUMN_ALIASES.get(name, name)
        if not name:
            continue
        if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            errors.append(RowError(1, name, _("Unknown column “%(name)s”.") % {"name": _text(cell)}))
        elif name in columns:
            errors.append(RowError(1, name, _("The column “%(name)s” appears twice.") % {"name": name}))
        else:
            columns[name] = position
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            errors.append(RowError(1, name, _("The column “%(name)s” is missing.") % {"name": name}))
    return columns, errors


def check_file(
    *, name: str, content: bytes, acting_user, replace: bool = False, today: dt.date | None = None
) -> CheckResult:
    """Reads and checks every row; `result.errors` lists every bad row, `result.rows` the good ones."""
    result = CheckResult()
    try:
        table = iter(read_table(name, content))
        header = next(table, None)
    except UnreadableFile as exc:
        result.errors.append(RowError(0, "file", str(exc)))
        return result
    if header is None:
        result.errors.append(RowError(0, "file", _("The file is empty.")))
        return result
    columns, header_errors = _header(header)
    if header_errors:
        result.errors.extend(header_errors)
        return result

    def cell(cells: list, column: str):
        position = columns.get(column)
        return cells[position] if position is not None and position < len(cells) else None

    try:
        raw = [(number, cells) for number, cells in enumerate(table, start=2) if any(_text(value) for value in cells)]
    except UnreadableFile as exc:
        result.errors.append(RowError(0, "file", str(exc)))
        return result
    result.row_count = len(raw)
    if not raw:
        result.errors.append(RowError(0, "file", _("The file has no rows of data.")))
        return result

    organizations = _organization_index({_text(cell(cells, "organization")) for _n, cells in raw})
    indicators = _indicator_index({_text(cell(cells, "indicator")) for _n, cells in raw})
    today = today or timezone.localdate()
    seen: dict[tuple[int, int, dt.date], int] = {}
    errors = result.errors

    for number, cells in raw:
        row_errors = len(errors)
        org_token = _text(cell(cells, "organization"))
        found_orgs = organizations.get(org_token, [])
        organization_id, organization_name = None, ""
        if not org_token:
            errors.append(RowError(number, "organization", _("The organisation is missing.")))
        elif not found_orgs:
            errors.append(
                RowError(number, "organization", _("Unknown organisation “%(value)s”.") % {"value": org_token})
            )
        elif len(found_orgs) > 1:
            errors.append(
                RowError(
                    number,
                    "organization",
                    _("“%(value)s” names several organisations (%(names)s): use the slug or COUNTRY:code.")
                    % {"value": org_token, "names": ", ".join(name for _id, name in found_orgs)},
                )
            )
        else:
            organization_id, organization_name = found_orgs[0]

        code = _text(cell(cells, "indicator"))
        indicator = None
        if not code:
            errors.append(RowError(number, "indicator", _("The indicator code is missing.")))
        elif code not in indicators:
            errors.append(RowError(number, "indicator", _("Unknown indicator “%(value)s”.") % {"value": code}))
        else:
            indicator = _pick_indicator(indicators[code], organization_id)
            if indicator is None and organization_id is not None:
                errors.append(
                    RowError(
                        number,
                        "indicator",
                        _("Several indicators have the code “%(value)s” and none belongs to this organisation.")
                        % {"value": code},
                    )
                )

        date_cell = cell(cells, "date")
        date = parse_date(date_cell)
        if date is None:
            errors.append(
                RowError(
                    number, "date", _("“%(value)s” is not a date (write YYYY-MM-DD).") % {"value": _text(date_cell)}
                )
            )
        elif date > today:
            errors.append(RowError(number, "date", _("%(date)s is in the future.") % {"date": date.isoformat()}))

        value_cell = cell(cells, "value")
        value = parse_value(value_cell)
        if value is None:
            errors.append(RowError(number, "value", _("“%(value)s” is not a number.") % {"value": _text(value_cell)}))
        elif abs(value) >= MAX_VALUE or -value.as_tuple().exponent > VALUE_DECIMALS:
            errors.append(
                RowError(
                    number,
                    "value",
                    _("%(value)s has too many digits (at most %(whole)s before the point and %(decimals)s after).")
                    % {"value": _text(value_cell), "whole": VALUE_DIGITS - VALUE_DECIMALS, "decimals": VALUE_DECIMALS},
                )
            )

        source, note = _text(cell(cells, "source")), _text(cell(cells, "note"))
        if len(source) > 250:
            errors.append(RowError(number, "source", _("The source is longer than 250 characters.")))

        if indicator is not None and organization_id is not None:
            # No acting user: the server operator's command-line import, with full rights.
            if acting_user is not None and not may_record(
                acting_user, indicator_owner_id=indicator[1], organization_id=organization_id
            ):
                errors.append(
                    RowError(
                        number,
                        "organization",
                        _("You may not record values of %(indicator)s for %(organization)s.")
                        % {"indicator": code, "organization": organization_name},
                    )
                )
            elif date is not None:
                key = (indicator[0], organization_id, date)
                if key in seen:
                    errors.append(
                        RowError(
                            number,
                            "date",
                            _("Row %(other)s already gives %(indicator)s for %(organization)s on %(date)s.")
                            % {
                                "other": seen[key],
                                "indicator": code,
                                "organization": organization_name,
                                "date": date.isoformat(),
                            },
                        )
                    )
                else:
                    seen[key] = number
        if len(errors) == row_errors:
            result.rows.append(
                CheckedRow(
                    row=number,
                    indicator_id=indicator[0],
                    indicator_code=code,
                    organization_id=organization_id,
                    organization_name=organization_name,
                    date=date,
                    value=value,
                    source=source,
                    note=note,
                )
            )
    _mark_stored(result, replace=replace)
    return result


def _mark_stored(result: CheckResult, *, replace: bool) -> None:
    """Finds the rows whose indicator, organisation and date already have a value (one query per chunk)."""
    if not result.rows:
        return
    by_key = {(r.indicator_id, r.organization_id, r.date): r for r in result.rows}
    indicator_ids = sorted({r.indicator_id for r in result.rows})
    organization_ids = sorted({r.organization_id for r in result.rows})
    first, last = min(r.date for r in result.rows), max(r.date for r in result.rows)
    stored = []
    for org_chunk in _chunks(organization_ids):
        stored.extend(
            Observation.objects.filter(
                indicator_id__in=indicator_ids, organization_id__in=org_chunk, date__gte=first, date__lte=last
            ).values_list("indicator_id", "organization_id", "date", "id")
        )
    clashes = []
    for indicator_id, organization_id, date, pk in stored:
        row = by_key.get((indicator_id, organization_id, date))
        if row is not None:
            row.existing_id = pk
            clashes.append(row)
    if clashes and not replace:
        refused = {id(row) for row in clashes}
        result.rows = [row for row in result.rows if id(row) not in refused]
        for row in sorted(clashes, key=lambda r: r.row):
            result.errors.append(
                RowError(
                    row.row,
                    "date",
                    _(
                        "%(indicator)s already has a value for %(organization)s on %(date)s "
                        "(choose “replace” to overwrite it)."
                    )
                    % {"indicator": row.indicator_code, "organization": row.organization_name, "date": row.date},
                )
            )
        result.errors.sort(key=lambda error: error.row)
