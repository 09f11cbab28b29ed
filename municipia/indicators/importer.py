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

Two ways through the same rules (`_checked_rows`): `check_file` keeps every good row and every
error (the preview, dry runs, and the error report); `ImportStream` hands the good rows to the
writer one at a time and stops at the first problem, so that a large good file is checked and
written in one pass without being held in memory (the writer's transaction makes it all or
nothing, and a rejected file is then checked in full to name every bad row).
"""

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.core.datafiles import UnreadableTable, csv_rows, xlsx_rows
from municipia.indicators.entities import INDICATOR
from municipia.indicators.models import VALUE_DECIMALS, VALUE_DIGITS, Indicator, Observation, indicator_reach
from municipia.indicators.permissions import may_record
from municipia.organizations.selectors import organizations_by_code

REQUIRED_COLUMNS = ("indicator", "organization", "date", "value")
OPTIONAL_COLUMNS = ("source", "note")
COLUMN_ALIASES = {"organisation": "organization", "indicator_code": "indicator", "organization_code": "organization"}
PREVIEW_ROWS = 20
# Problems listed in a report (page, API, command); the rest are counted.
MAX_REPORTED_ERRORS = 200
# Look-ups by code are split so that no query exceeds the databases' parameter limits.
LOOKUP_CHUNK = 2000
MAX_VALUE = Decimal(10) ** (VALUE_DIGITS - VALUE_DECIMALS)
# A plain number that needs no further check: at most 14 digits before the point and 6 after.
PLAIN_VALUE = re.compile(
    rf"-?(?:0|[1-9][0-9]{{0,{VALUE_DIGITS - VALUE_DECIMALS - 1}}})(?:\.[0-9]{{1,{VALUE_DECIMALS}}})?"
)


class UnreadableFile(Exception):
    """The file is not a CSV or XLSX file we can read (reported on the file, not on a row)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class ErrorReport(list):
    """The first `limit` problems of a file, and how many there were in all (`total`) on how
    many rows (`rows`): a file of a million bad rows gives a report of a page, not of 56 MB."""

    def __init__(self, limit: int = MAX_REPORTED_ERRORS) -> None:
        super().__init__()
        self.limit, self.total, self.rows = limit, 0, 0
        self._last_row: int | None = None

    def append(self, error: RowError) -> None:
        self.total += 1
        if error.row and error.row != self._last_row:
            self.rows += 1
            self._last_row = error.row
        if len(self) < self.limit:
            super().append(error)

    def extend(self, errors) -> None:
        for error in errors:
            self.append(error)

    @property
    def truncated(self) -> bool:
        return self.total > len(self)


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
    errors: ErrorReport = field(default_factory=ErrorReport)
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


def _not_utf8() -> UnreadableFile:
    return UnreadableFile(_("The file is not UTF-8 text, nor an XLSX workbook."))


def _csv_delimiter(content: bytes) -> str:
    end = content.find(b"\n")
    first_line = content[: end if end >= 0 else len(content)].decode("utf-8-sig", errors="replace")
    # Spreadsheets set to Spanish, Catalan or Bulgarian save CSV with semicolons.
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _read_csv(content: bytes) -> Iterator[list]:
    # Decoded as it is read (no copy of the whole text); a bad byte stops the reading.
    text = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
    try:
        yield from csv_rows(csv.reader(text, delimiter=_csv_delimiter(content)))
    except UnicodeDecodeError:
        raise _not_utf8() from None
    except UnreadableTable as exc:
        raise UnreadableFile(str(exc)) from None


def _read_xlsx(content: bytes) -> Iterator[list]:
    try:
        yield from xlsx_rows(content)
    except UnreadableTable as exc:
        raise UnreadableFile(str(exc)) from None


class _Source:
    """A file's header and its data rows, which may be read more than once.

    CSV is parsed again on each pass (cheap, and nothing but the file is held); an XLSX sheet
    is read once into memory (openpyxl is much slower than parsing twice). The first pass
    (`_prepare`) reads every row, so a byte that is not UTF-8 is reported there; the later
    passes read the CSV without that guard.
    """

    def __init__(self, name: str, content: bytes) -> None:
        self.content = content
        self.is_text = not _is_xlsx(name, content)
        self._rows: list[list] | None = None
        if self.is_text:
            self.header = next(_read_csv(content), None)
        else:
            self._rows = list(_read_xlsx(content))
            self.header = self._rows[0] if self._rows else None

    def rows(self) -> Iterator[list]:
        """The data rows (after the header), blank ones included."""
        if self._rows is not None:
            return iter(self._rows[1:])
        rows = _read_csv(self.content)
        next(rows, None)
        return rows


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


def _chunks(values: list) -> Iterator[list]:
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]


def _organization_index(tokens: set[str]) -> dict[str, list[tuple[int, str]]]:
    """token → [(organisation id, name)], by slug, official code, EKATTE code or COUNTRY:code."""
    plain: set[str] = set()
    for token in tokens:
        plain.add(token.split(":", 1)[1] if ":" in token else token)
    index: dict[str, dict[int, str]] = {}
    for chunk in _chunks(sorted(plain)):
        rows = organizations_by_code(chunk)
        for org_id, name, slug, official_code, ekatte_code, country in rows:
            for key in {slug, official_code, ekatte_code} - {""}:
                index.setdefault(key, {})[org_id] = name
                if country:
                    index.setdefault(f"{country}:{key}", {})[org_id] = name
    return {key: sorted(found.items()) for key, found in index.items()}


def _indicator_index(codes: set[str], acting_user) -> dict[str, list[tuple[int, int | None]]]:
    """code → [(indicator id, owner organisation id)], among the indicators `acting_user` may see
    (all of them for the operator's command-line import, `acting_user` None): a private indicator
    of someone else is as unknown as a code nobody uses, exactly as in a single create."""
    index: dict[str, list[tuple[int, int | None]]] = {}
    for chunk in _chunks(sorted(codes)):
        queryset = Indicator.objects.filter(code__in=chunk)
        if acting_user is not None:
            queryset = INDICATOR.visible(acting_user, queryset)
        for pk, code, owner_id in queryset.values_list("id", "code", "owner_organization_id"):
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


# A good row as `_checked_rows` gives it: (row number, indicator id, indicator code, organisation id,
# organisation name, date, value, source, note).
GoodRow = tuple[int, int, str, int, str, dt.date, Decimal, str, str]


@dataclass
class _Checking:
    """What the row checks need besides the rows: the columns, the resolved codes, who and when."""

    source: _Source
    columns: dict[str, int]
    organizations: dict[str, list[tuple[int, str]]]
    indicators: dict[str, list[tuple[int, int | None]]]
    acting_user: object
    today: dt.date
    errors: ErrorReport = field(default_factory=ErrorReport)
    # owner organisation id → the organisations its indicators may have values for.
    reach: dict[int, set[int]] = field(default_factory=dict)
    row_count: int = 0
    indicator_ids: set[int] = field(default_factory=set)


def _prepare(name: str, content: bytes, *, acting_user, today: dt.date | None, errors: ErrorReport):
    """Reads the header and resolves every code of the file (one pass, a few queries); None on a file error."""
    try:
        source = _Source(name, content)
    except UnreadableFile as exc:
        errors.append(RowError(0, "file", str(exc)))
        return None
    if source.header is None:
        errors.append(RowError(0, "file", _("The file is empty.")))
        return None
    columns, header_errors = _header(source.header)
    if header_errors:
        errors.extend(header_errors)
        return None
    org_position, code_position = columns["organization"], columns["indicator"]
    org_cells, code_cells = set(), set()
    try:
        for cells in source.rows():
            width = len(cells)
            if width > org_position:
                org_cells.add(cells[org_position])
            if width > code_position:
                code_cells.add(cells[code_position])
    except UnreadableFile as exc:
        errors.append(RowError(0, "file", str(exc)))
        return None
    indicators = _indicator_index({_text(cell) for cell in code_cells}, acting_user)
    owners = {owner for found in indicators.values() for _pk, owner in found if owner is not None}
    return _Checking(
        source=source,
        columns=columns,
        organizations=_organization_index({_text(cell) for cell in org_cells}),
        indicators=indicators,
        acting_user=acting_user,
        today=today or timezone.localdate(),
        errors=errors,
        reach=indicator_reach(owners),
    )


class _RowChecks:
    """The checks of one row, by concern, each remembering its outcomes per distinct cell.

    Written for files of a million rows: outcomes are kept per distinct organisation, code,
    date and permission, and a plain number is read without the general parser. Each check
    appends its problems to `errors` (with the row number) and returns what it found, or None.
    """

    def __init__(self, checking: _Checking, *, find_duplicates: bool, prepare_date: Callable | None) -> None:
        self.errors = checking.errors
        self.organizations, self.indicators = checking.organizations, checking.indicators
        self.today, self.acting_user = checking.today, checking.acting_user
        self.reach = checking.reach
        self.find_duplicates = find_duplicates
        self.prepare_date = prepare_date
        # CSV cells are strings; XLSX cells may be numbers, dates or None.
        self.plain_value = PLAIN_VALUE.fullmatch if checking.source.is_text else None
        self.found_orgs: dict[str, tuple[int, str] | None] = {}
        self.dates: dict = {}  # cell → (date or None, the date prepared for the database)
        self.allowed: dict[tuple[int | None, int], bool] = {}
        self.seen: dict[tuple[int, int, dt.date], int] = {}

    def organization(self, number: int, token: str) -> tuple[int, str] | None:
        """(id, name) of the organisation a cell names by slug, code or name."""
        organization = self.found_orgs.get(token, False)
        if organization is False:
            candidates = self.organizations.get(token, [])
            organization = self.found_orgs[token] = candidates[0] if len(candidates) == 1 else None
        if organization is not None:
            return organization
        candidates = self.organizations.get(token, [])
        if not token:
            message = _("The organisation is missing.")
        elif not candidates:
            message = _("Unknown organisation “%(value)s”.") % {"value": token}
        else:
            message = _("“%(value)s” names several organisations (%(names)s): use the slug or COUNTRY:code.") % {
                "value": token,
                "names": ", ".join(name for _id, name in candidates),
            }
        self.errors.append(RowError(number, "organization", message))
        return None

    def indicator(self, number: int, code: str, organization_id: int | None) -> tuple[int, int | None] | None:
        """(id, owner id) of the indicator a code names (the organisation's own, when several share it)."""
        candidates = self.indicators.get(code)
        if candidates is not None and len(candidates) == 1:
            return candidates[0]
        if not code:
            self.errors.append(RowError(number, "indicator", _("The indicator code is missing.")))
            return None
        if candidates is None:
            self.errors.append(RowError(number, "indicator", _("Unknown indicator “%(value)s”.") % {"value": code}))
            return None
        indicator = _pick_indicator(candidates, organization_id)
        if indicator is None and organization_id is not None:
            message = _("Several indicators have the code “%(value)s” and none belongs to this organisation.")
            self.errors.append(RowError(number, "indicator", message % {"value": code}))
        return indicator

    def _parsed_date(self, cell: object) -> tuple[dt.date | None, object]:
        date = parse_date(cell)
        prepared = self.prepare_date(date) if self.prepare_date is not None and date is not None else None
        return date, prepared

    def date(self, number: int, cell: object) -> tuple[dt.date | None, object]:
        """The date and its database form, judged (and prepared) once per distinct cell."""
        try:
            date, prepared = self.dates[cell]
        except KeyError:
            date, prepared = self.dates[cell] = self._parsed_date(cell)
        except TypeError:  # an unhashable cell
            date, prepared = self._parsed_date(cell)
        if date is None:
            message = _("“%(value)s” is not a date (write YYYY-MM-DD).") % {"value": _text(cell)}
            self.errors.append(RowError(number, "date", message))
        elif date > self.today:
            self.errors.append(RowError(number, "date", _("%(date)s is in the future.") % {"date": date.isoformat()}))
        return date, prepared

    def value(self, number: int, cell: object) -> Decimal | None:
        """The value: a plain number needs no other check."""
        if self.plain_value is not None and self.plain_value(cell):
            return Decimal(cell)
        value = parse_value(cell)
        if value is None:
            self.errors.append(RowError(number, "value", _("“%(value)s” is not a number.") % {"value": _text(cell)}))
        elif abs(value) >= MAX_VALUE or -value.as_tuple().exponent > VALUE_DECIMALS:
            message = _("%(value)s has too many digits (at most %(whole)s before the point and %(decimals)s after).")
            self.errors.append(
                RowError(
                    number,
                    "value",
                    message
                    % {"value": _text(cell), "whole": VALUE_DIGITS - VALUE_DECIMALS, "decimals": VALUE_DECIMALS},
                )
            )
        return value

    def may_record(self, indicator_owner_id: int | None, organization_id: int) -> bool:
        # No acting user: the server operator's command-line import, with full rights.
        if self.acting_user is None:
            return True
        key = (indicator_owner_id, organization_id)
        may = self.allowed.get(key)
        if may is None:
            may = self.allowed[key] = may_record(
                self.acting_user, indicator_owner_id=indicator_owner_id, organization_id=organization_id
            )
        return may

    def recordable(
        self, number: int, indicator: tuple[int, int | None], code: str, organization: tuple[int, str], date
    ) -> None:
        """The user may record the value, and (when looking for them) no earlier row gives it too."""
        organization_id, organization_name = organization
        owner_id = indicator[1]
        if owner_id is not None and organization_id not in self.reach.get(owner_id, ()):
            message = _("%(organization)s is not among the organisations of %(indicator)s (its owner and members).")
            self.errors.append(
                RowError(number, "organization", message % {"indicator": code, "organization": organization_name})
            )
            return
        if not self.may_record(indicator[1], organization_id):
            message = _("You may not record values of %(indicator)s for %(organization)s.")
            self.errors.append(
                RowError(number, "organization", message % {"indicator": code, "organization": organization_name})
            )
            return
        if date is None or not self.find_duplicates:
            return
        key = (indicator[0], organization_id, date)
        other = self.seen.get(key)
        if other is None:
            self.seen[key] = number
            return
        message = _("Row %(other)s already gives %(indicator)s for %(organization)s on %(date)s.")
        self.errors.append(
            RowError(
                number,
                "date",
                message
                % {"other": other, "indicator": code, "organization": organization_name, "date": date.isoformat()},
            )
        )


def _checked_rows(
    checking: _Checking,
    *,
    find_duplicates: bool,
    stop_at_first_error: bool,
    insert: tuple[Callable[[dt.date], object], tuple] | None = None,
) -> Iterator[tuple]:
    """Checks each row by the rules of the module (`_RowChecks`); yields the good ones and appends every problem.

    Duplicates within the file are found here when `find_duplicates` (else the database's unique
    constraint finds them). Good rows are `GoodRow`s, or, with `insert` = (the database's
    preparation of a date, the values that end every row), the parameters of the INSERT.
    """
    errors = checking.errors
    columns = checking.columns
    code_at, org_at, date_at, value_at = (columns[name] for name in REQUIRED_COLUMNS)
    source_at, note_at = columns.get("source"), columns.get("note")
    width = max(columns.values()) + 1
    is_text = checking.source.is_text
    strip: Callable = str.strip if is_text else _text
    pad = "" if is_text else None
    too_long = _("The source is longer than 250 characters.")
    prepare_date, tail = insert if insert is not None else (None, ())
    check = _RowChecks(checking, find_duplicates=find_duplicates, prepare_date=prepare_date)
    indicator_ids = checking.indicator_ids
    last_indicator = None
    number = 1
    for cells in checking.source.rows():
        number += 1
        if len(cells) < width:
            cells = [*cells, *([pad] * (width - len(cells)))]
        org_token, code = strip(cells[org_at]), strip(cells[code_at])
        date_cell, value_cell = cells[date_at], cells[value_at]
        if not (org_token and code and date_cell and value_cell) and not any(_text(cell) for cell in cells):
            continue  # a blank row
        checking.row_count += 1
        row_errors = errors.total
        organization = check.organization(number, org_token)
        organization_id, organization_name = organization or (None, "")
        indicator = check.indicator(number, code, organization_id)
        date, prepared_date = check.date(number, date_cell)
        value = check.value(number, value_cell)
        source = strip(cells[source_at]) if source_at is not None else ""
        note = strip(cells[note_at]) if note_at is not None else ""
        if len(source) > 250:
            errors.append(RowError(number, "source", too_long))
        if indicator is not None and organization is not None:
            check.recordable(number, indicator, code, organization, date)
        if errors.total != row_errors:
            if stop_at_first_error:
                return
            continue
        if indicator[0] != last_indicator:
            last_indicator = indicator[0]
            indicator_ids.add(last_indicator)
        if insert is None:
            yield (number, indicator[0], code, organization_id, organization_name, date, value, source, note)
        else:
            yield (indicator[0], organization_id, prepared_date, value, source, note, *tail)


def check_file(
    *, name: str, content: bytes, acting_user, replace: bool = False, today: dt.date | None = None
) -> CheckResult:
    """Reads and checks every row; `result.errors` lists every bad row, `result.rows` the good ones."""
    result = CheckResult()
    checking = _prepare(name, content, acting_user=acting_user, today=today, errors=result.errors)
    if checking is None:
        return result
    result.rows = [CheckedRow(*row) for row in _checked_rows(checking, find_duplicates=True, stop_at_first_error=False)]
    result.row_count = checking.row_count
    if not result.row_count:
        result.errors.append(RowError(0, "file", _("The file has no rows of data.")))
        return result
    _mark_stored(result, replace=replace)
    return result


class ImportStream:
    """The good rows of a file, as INSERT parameters, for a writer that writes as it reads.

    It stops at the first problem: iterate `insert_rows()` inside the writer's transaction,
    then look at `ok`; when it is false, roll back and run `check_file` for the full report.
    Rows already stored are not looked for here: the database's unique constraint refuses
    them (and duplicates within the file), and the writer treats that like a bad row.
    """

    def __init__(self, *, name: str, content: bytes, acting_user, today: dt.date | None = None) -> None:
        self.errors = ErrorReport()
        self._checking = _prepare(name, content, acting_user=acting_user, today=today, errors=self.errors)

    @property
    def row_count(self) -> int:
        return self._checking.row_count if self._checking else 0

    @property
    def indicator_ids(self) -> set[int]:
        """The indicators of the rows given so far."""
        return self._checking.indicator_ids if self._checking else set()

    @property
    def ok(self) -> bool:
        return self._checking is not None and not self.errors and self.row_count > 0

    def insert_rows(self, *, prepare_date: Callable[[dt.date], object], tail: tuple) -> Iterator[tuple]:
        """(indicator id, organisation id, date prepared by `prepare_date`, value, source, note, *tail)."""
        if self._checking is None:
            return iter(())
        return _checked_rows(
            self._checking, find_duplicates=False, stop_at_first_error=True, insert=(prepare_date, tail)
        )


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
