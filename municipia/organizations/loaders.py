"""Reads the reference lists of Spanish and Bulgarian municipalities and loads them into `Organization`.

The whole of both files is parsed and validated before anything is written, and the writes happen
in one transaction, so a malformed file changes nothing. Rows are matched on (country, official
code), so a second run with the same files creates and updates nothing.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NoReturn

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from municipia.core import search
from municipia.core.cache import content_changed
from municipia.core.datafiles import read_csv_rows
from municipia.core.i18n import translated_names
from municipia.organizations.choices import Country, OrganizationKind
from municipia.organizations.models import Organization

DATA_DIR = Path(__file__).resolve().parent / "data"
ES_FILE = DATA_DIR / "es_municipalities.csv"
BG_FILE = DATA_DIR / "bg_municipalities.csv"

ES_POPULATION_YEAR = 2025
BG_POPULATION_YEAR = 2013
BATCH_SIZE = 500
CHANGE_REASON = "load_municipalities"

ES_COLUMNS = (
    "ine_code",
    "name_display",
    "province_code",
    "province",
    "ccaa_code",
    "autonomous_community",
    "population_2025",
    "longitude",
    "latitude",
)
BG_COLUMNS = (
    "obshtina_code",
    "ekatte_admin_centre",
    "name_bg",
    "name_latin",
    "oblast_code",
    "oblast_latin",
    "population_2013",
)

# The register names a capital's municipality after its legal name ("Stolichna", i.e. "of the
# capital"); people look for the city. Code → (Latin name, Cyrillic name) of the city.
CAPITALS = {"SOF46": ("Sofia", "София")}

ES_CODE = re.compile(r"[0-9]{5}")
ES_AREA_CODE = re.compile(r"[0-9]{2}")
BG_CODE = re.compile(r"[A-Z]{3}[0-9]{2}")
BG_OBLAST_CODE = re.compile(r"[A-Z]{3}")
EKATTE_CODE = re.compile(r"[0-9]{5}")


class ReferenceDataError(Exception):
    """A reference file that cannot be loaded; names the file, the line and the problem."""

    def __init__(self, path: Path, line: int, problem: str) -> None:
        self.path, self.line, self.problem = Path(path), line, problem
        super().__init__(
            _("%(file)s, line %(line)d: %(problem)s") % {"file": self.path, "line": line, "problem": problem}
        )


@dataclass(frozen=True)
class MunicipalityRecord:
    """One validated row: the values of the fields the reference list owns."""

    line: int
    slug_text: str
    values: dict[str, Any]

    @property
    def key(self) -> tuple[str, str]:
        return self.values["country"], self.values["official_code"]


@dataclass
class CountryCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class LoadResult:
    counts: dict[str, CountryCounts] = field(default_factory=dict)

    def for_country(self, country: str) -> CountryCounts:
        return self.counts.setdefault(country, CountryCounts())


# --- Reading and validating


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yields (line number, row) for each data row; the header is line 1."""
    return read_csv_rows(path, required, ReferenceDataError)


class _RowReader:
    """Typed access to one row's columns, raising errors that name the file, line and column."""

    def __init__(self, path: Path, line: int, row: dict[str, str]) -> None:
        self.path, self.line, self.row = path, line, row

    def fail(self, problem: str) -> NoReturn:
        raise ReferenceDataError(self.path, self.line, problem)

    def text(self, column: str, max_length: int) -> str:
        value = self.row[column]
        if not value:
            self.fail(_("%(column)s is empty.") % {"column": column})
        if len(value) > max_length:
            self.fail(_("%(column)s is longer than %(max)d characters.") % {"column": column, "max": max_length})
        return value

    def code(self, column: str, pattern: re.Pattern, expected: str) -> str:
        value = self.row[column]
        if not pattern.fullmatch(value):
            self.fail(
                _("%(column)s “%(value)s” is not a valid code (expected %(expected)s).")
                % {"column": column, "value": value, "expected": expected}
            )
        return value

    def count(self, column: str) -> int:
        value = self.row[column]
        if not value.isascii() or not value.isdigit():
            self.fail(_("%(column)s “%(value)s” is not a whole number.") % {"column": column, "value": value})
        return int(value)

    def coordinate(self, column: str, limit: int) -> Decimal | None:
        value = self.row[column]
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or not -limit <= number <= limit:
            self.fail(
                _("%(column)s “%(value)s” is not a number between -%(limit)d and %(limit)d.")
                % {"column": column, "value": value, "limit": limit}
            )
        return number.quantize(Decimal("0.00000001"))


def natural_order(name: str) -> str:
    """INE writes some names article last ("Balears, Illes"); people write "Illes Balears"."""
    if ", " not in name:
        return name
    main, article = name.rsplit(", ", 1)
    return f"{article}{main}" if article.endswith("'") else f"{article} {main}"


def _check_unique(records: list[MunicipalityRecord], path: Path) -> None:
    seen: dict[str, int] = {}
    for record in records:
        code = record.values["official_code"]
        if code in seen:
            raise ReferenceDataError(
                path,
                record.line,
                _("code %(code)s is already used on line %(first)d.") % {"code": code, "first": seen[code]},
            )
        seen[code] = record.line


def _read(
    path: Path, columns: tuple[str, ...], record: Callable[[_RowReader], MunicipalityRecord]
) -> list[MunicipalityRecord]:
    """Every row of the file at `path` as a record (`record` reads one row), checked for repeated codes."""
    records = [record(_RowReader(path, line, row)) for line, row in _rows(path, columns)]
    _check_unique(records, path)
    return records


def read_spanish(path: Path = ES_FILE) -> list[MunicipalityRecord]:
    return _read(path, ES_COLUMNS, _spanish_record)


def read_bulgarian(path: Path = BG_FILE) -> list[MunicipalityRecord]:
    return _read(path, BG_COLUMNS, _bulgarian_record)


def _spanish_record(r: _RowReader) -> MunicipalityRecord:
    code = r.code("ine_code", ES_CODE, _("5 digits"))
    province_code = r.code("province_code", ES_AREA_CODE, _("2 digits"))
    if not code.startswith(province_code):
        r.fail(
            _("ine_code %(code)s does not start with its province_code %(province)s.")
            % {"code": code, "province": province_code}
        )
    name = r.text("name_display", 200)
    longitude = r.coordinate("longitude", 180)
    latitude = r.coordinate("latitude", 90)
    if (longitude is None) != (latitude is None):
        r.fail(_("longitude and latitude must both be given or both be empty."))
    values = {
        "kind": OrganizationKind.MUNICIPALITY,
        "country": Country.SPAIN,
        "official_code": code,
        "ekatte_code": "",
        "name_en": name,
        "name_es": name,
        "name_ca": name,
        "province": natural_order(r.text("province", 100)),
        "region": natural_order(r.text("autonomous_community", 100)),
        "region_code": r.code("ccaa_code", ES_AREA_CODE, _("2 digits")),
        "population": r.count("population_2025"),
        "population_year": ES_POPULATION_YEAR,
        "longitude": longitude,
        "latitude": latitude,
    }
    return MunicipalityRecord(line=r.line, slug_text=name, values=values)


def _bulgarian_record(r: _RowReader) -> MunicipalityRecord:
    code = r.code("obshtina_code", BG_CODE, _("3 capital letters and 2 digits, e.g. SOF46"))
    oblast_code = r.code("oblast_code", BG_OBLAST_CODE, _("3 capital letters"))
    if not code.startswith(oblast_code):
        r.fail(
            _("obshtina_code %(code)s does not start with its oblast_code %(oblast)s.")
            % {"code": code, "oblast": oblast_code}
        )
    name_latin, name_bg = r.text("name_latin", 150), r.text("name_bg", 150)
    slug_text = name_latin
    if code in CAPITALS:
        city_latin, city_bg = CAPITALS[code]
        slug_text = city_latin
        name_latin, name_bg = f"{city_latin} ({name_latin})", f"{city_bg} ({name_bg})"
    oblast = r.text("oblast_latin", 100)
    values = {
        "kind": OrganizationKind.MUNICIPALITY,
        "country": Country.BULGARIA,
        "official_code": code,
        "ekatte_code": r.code("ekatte_admin_centre", EKATTE_CODE, _("5 digits")),
        "name_en": name_latin,
        "name_es": name_latin,
        "name_ca": name_latin,
        "name_bg": name_bg,
        "province": oblast,
        "region": oblast,
        "region_code": oblast_code,
        "population": r.count("population_2013"),
        "population_year": BG_POPULATION_YEAR,
        "longitude": None,
        "latitude": None,
    }
    return MunicipalityRecord(line=r.line, slug_text=slug_text, values=values)


# --- Loading


def _new_slugs(new: list[MunicipalityRecord], taken: set[str]) -> dict[tuple[str, str], str]:
    """Readable, deterministic slugs: where names clash, the most populous keeps the bare name."""
    slugs: dict[tuple[str, str], str] = {}
    taken = set(taken)
    ordered = sorted(
        new, key=lambda rec: (-rec.values["population"], rec.values["country"], rec.values["official_code"])
    )
    for record in ordered:
        code = record.values["official_code"].lower()
        base = slugify(record.slug_text)[:100] or code
        slug = base if base not in taken else f"{base}-{code}"
        n = 2
        while slug in taken:  # only if another organisation already took "<name>-<code>"
            slug, n = f"{base}-{code}-{n}", n + 1
        taken.add(slug)
        slugs[record.key] = slug
    return slugs


@transaction.atomic
def load_records(records: list[MunicipalityRecord], *, acting_user=None) -> LoadResult:
    """Creates the missing municipalities and updates those whose reference values changed."""
    result = LoadResult()
    countries = sorted({record.values["country"] for record in records})
    existing = {
        (org.country, org.official_code): org
        for org in Organization.objects.filter(country__in=countries).exclude(official_code="")
    }
    to_create: list[MunicipalityRecord] = []
    to_update: list[Organization] = []
    changed_fields: set[str] = set()
    now = timezone.now()
    for record in records:
        counts = result.for_country(record.values["country"])
        organization = existing.get(record.key)
        if organization is None:
            to_create.append(record)
            counts.created += 1
            continue
        changed = [name for name, value in record.values.items() if getattr(organization, name) != value]
        if not changed:
            counts.unchanged += 1
            continue
        for name in changed:
            setattr(organization, name, record.values[name])
        organization.updated_at = now
        changed_fields.update(changed)
        to_update.append(organization)
        counts.updated += 1

    if to_create:
        taken = set(Organization.objects.values_list("slug", flat=True))
        slugs = _new_slugs(to_create, taken)
        # Giving every translated column a value spares modeltranslation a per-field default look-up.
        blank = dict.fromkeys(translated_names("name", "description"))
        created = bulk_create_with_history(
            [Organization(**{**blank, **record.values}, slug=slugs[record.key]) for record in to_create],
            Organization,
            batch_size=BATCH_SIZE,
            default_user=acting_user,
            default_change_reason=CHANGE_REASON,
        )
    if to_update:
        bulk_update_with_history(
            to_update,
            Organization,
            [*sorted(changed_fields), "updated_at"],
            batch_size=BATCH_SIZE,
            default_user=acting_user,
            default_change_reason=CHANGE_REASON,
        )
    if to_create or to_update:
        # Bulk writes send no model signals; public pages must still be rendered afresh and searched anew.
        content_changed()
        search.index_objects([*(created if to_create else []), *to_update])
    return result


def load_municipalities(*, es_path: Path = ES_FILE, bg_path: Path = BG_FILE, acting_user=None) -> LoadResult:
    """Validates both files completely, then loads them in one transaction."""
    records = [*read_spanish(es_path), *read_bulgarian(bg_path)]
    return load_records(records, acting_user=acting_user)
