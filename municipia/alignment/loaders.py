"""Reads the packaged framework files and loads them into `Framework` and `FrameworkItem`.

Every file is read and validated before anything is written, and the writes happen in one
transaction, so a malformed file loads nothing. Frameworks are matched on their code and items
on (framework, code): a second run with the same files creates and changes nothing. Items a
council added (local targets, own frameworks) are never touched.
"""

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from municipia.alignment.choices import ItemLevel
from municipia.alignment.models import Framework, FrameworkItem
from municipia.core.cache import content_changed
from municipia.core.datafiles import read_csv_rows
from municipia.core.i18n import language_codes

DATA_DIR = Path(__file__).resolve().parent / "data"
FRAMEWORKS_FILE = DATA_DIR / "frameworks.csv"
GOALS_FILE = DATA_DIR / "sdg_goals.csv"
TARGETS_FILE = DATA_DIR / "sdg_targets.csv"
INDICATORS_FILE = DATA_DIR / "sdg_indicators.csv"
ITEMS_FILE = DATA_DIR / "framework_items.csv"
SDG = "SDG"
CHANGE_REASON = "load_frameworks"
BATCH_SIZE = 500

FRAMEWORK_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]*")
ITEM_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-_]*")
GOAL_CODE = re.compile(r"[1-9][0-9]?")
TARGET_CODE = re.compile(r"([1-9][0-9]?)\.([0-9]+|[a-z])")
INDICATOR_CODE = re.compile(r"([1-9][0-9]?\.(?:[0-9]+|[a-z]))\.[0-9]+")


class FrameworkDataError(Exception):
    """A framework file that cannot be loaded; names the file, the row (line) and the problem."""

    def __init__(self, path: Path, line: int, problem: str) -> None:
        self.path, self.line, self.problem = Path(path), line, problem
        super().__init__(
            _("%(file)s, row %(line)d: %(problem)s") % {"file": self.path.name, "line": line, "problem": problem}
        )


@dataclass(frozen=True)
class FrameworkRecord:
    line: int
    code: str
    values: dict


@dataclass(frozen=True)
class ItemRecord:
    path: Path
    line: int
    framework: str
    code: str
    parent: str
    level: str
    values: dict  # title_xx, short_title_xx, position


@dataclass
class FrameworkCounts:
    levels: Counter = field(default_factory=Counter)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unique_indicators: int = 0


@dataclass
class LoadResult:
    frameworks_created: int = 0
    frameworks_updated: int = 0
    counts: dict[str, FrameworkCounts] = field(default_factory=dict)


# --- Reading and validating


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yields (line number, row) for each data row; the header is line 1."""
    return read_csv_rows(path, required, FrameworkDataError)


def _text(path: Path, line: int, row: dict, column: str, max_length: int, *, required: bool = False) -> str:
    value = row.get(column, "") or ""
    if required and not value:
        raise FrameworkDataError(path, line, _("%(column)s is empty.") % {"column": column})
    if len(value) > max_length:
        raise FrameworkDataError(
            path, line, _("%(column)s is longer than %(max)d characters.") % {"column": column, "max": max_length}
        )
    return value


def _code(path: Path, line: int, row: dict, column: str, pattern: re.Pattern) -> str:
    value = row[column]
    if not pattern.fullmatch(value):
        raise FrameworkDataError(
            path, line, _("%(column)s “%(value)s” is not a valid code.") % {"column": column, "value": value}
        )
    return value


def _titles(path: Path, line: int, row: dict, prefix: str, target: str, max_length: int) -> dict[str, str]:
    """`title_en`, `title_es`… columns present in the file → the model's language fields."""
    values = {}
    for code in language_codes():
        column = f"{prefix}_{code}"
        if column in row:
            values[f"{target}_{code}"] = _text(path, line, row, column, max_length)
    return values


def read_frameworks(path: Path = FRAMEWORKS_FILE) -> list[FrameworkRecord]:
    records, seen = [], {}
    for line, row in _rows(path, ("code", "position", "is_default", "name_en", "source", "licence")):
        code = _code(path, line, row, "code", FRAMEWORK_CODE)
        if code in seen:
            raise FrameworkDataError(
                path, line, _("code %(code)s is already used on row %(first)d.") % {"code": code, "first": seen[code]}
            )
        seen[code] = line
        if row["is_default"] not in ("yes", "no"):
            raise FrameworkDataError(path, line, _("is_default must be “yes” or “no”."))
        if not row["position"].isdigit():
            raise FrameworkDataError(
                path, line, _("position “%(value)s” is not a whole number.") % {"value": row["position"]}
            )
        _text(path, line, row, "name_en", 250, required=True)
        values = {
            **_titles(path, line, row, "name", "name", 250),
            "position": int(row["position"]),
            "is_default": row["is_default"] == "yes",
            "source": _text(path, line, row, "source", 500),
            "licence": _text(path, line, row, "licence", 200),
        }
        records.append(FrameworkRecord(line=line, code=code, values=values))
    return records


def read_sdgs(
    goals_path: Path = GOALS_FILE, targets_path: Path = TARGETS_FILE, indicators_path: Path = INDICATORS_FILE
) -> tuple[list[ItemRecord], int]:
    """The SDG tree (goals → targets → indicators) and the number of unique indicators."""
    records: list[ItemRecord] = []
    for line, row in _rows(goals_path, ("code", "short_en", "title_en")):
        code = _code(goals_path, line, row, "code", GOAL_CODE)
        _text(goals_path, line, row, "title_en", 1000, required=True)
        values = {
            **_titles(goals_path, line, row, "title", "title", 1000),
            **_titles(goals_path, line, row, "short", "short_title", 250),
        }
        records.append(ItemRecord(goals_path, line, SDG, code, "", ItemLevel.GOAL, values))
    for line, row in _rows(targets_path, ("code", "goal", "title_en")):
        code = _code(targets_path, line, row, "code", TARGET_CODE)
        if TARGET_CODE.fullmatch(code).group(1) != row["goal"]:
            raise FrameworkDataError(
                targets_path,
                line,
                _("target %(code)s does not belong to goal “%(goal)s”.") % {"code": code, "goal": row["goal"]},
            )
        _text(targets_path, line, row, "title_en", 1000, required=True)
        values = _titles(targets_path, line, row, "title", "title", 1000)
        records.append(ItemRecord(targets_path, line, SDG, code, row["goal"], ItemLevel.TARGET, values))
    # Indicators listed under several targets: each row names the others; one group per indicator.
    groups: set[frozenset[str]] = set()
    for line, row in _rows(indicators_path, ("code", "goal", "target", "title_en")):
        code = _code(indicators_path, line, row, "code", INDICATOR_CODE)
        if INDICATOR_CODE.fullmatch(code).group(1) != row["target"]:
            raise FrameworkDataError(
                indicators_path,
                line,
                _("indicator %(code)s does not belong to target “%(target)s”.")
                % {"code": code, "target": row["target"]},
            )
        _text(indicators_path, line, row, "title_en", 1000, required=True)
        others = [code for code in (row.get("same_indicator_also_listed_as") or "").split(";") if code]
        if others:
            groups.add(frozenset([code, *others]))
        values = _titles(indicators_path, line, row, "title", "title", 1000)
        records.append(ItemRecord(indicators_path, line, SDG, code, row["target"], ItemLevel.INDICATOR, values))
    indicators = sum(1 for r in records if r.level == ItemLevel.INDICATOR)
    repeated = sum(len(group) for group in groups)
    return records, indicators - repeated + len(groups)


def read_items(path: Path = ITEMS_FILE) -> list[ItemRecord]:
    records = []
    for line, row in _rows(path, ("framework", "code", "parent", "level", "title_en")):
        framework = _code(path, line, row, "framework", FRAMEWORK_CODE)
        code = _code(path, line, row, "code", ITEM_CODE)
        if row["parent"]:
            _code(path, line, row, "parent", ITEM_CODE)
        if row["level"] not in ItemLevel.values:
            raise FrameworkDataError(
                path,
                line,
                _("level “%(value)s” is not one of: %(levels)s.")
                % {"value": row["level"], "levels": ", ".join(ItemLevel.values)},
            )
        _text(path, line, row, "title_en", 1000, required=True)
        values = _titles(path, line, row, "title", "title", 1000)
        records.append(ItemRecord(path, line, framework, code, row["parent"], row["level"], values))
    return records


def check_items(records: list[ItemRecord], framework_codes: set[str]) -> None:
    """Cross-row rules: known framework, unique codes, parents that exist in the same framework."""
    seen: dict[tuple[str, str], ItemRecord] = {}
    for record in records:
        if record.framework not in framework_codes:
            raise FrameworkDataError(
                record.path, record.line, _("unknown framework code “%(code)s”.") % {"code": record.framework}
            )
        key = (record.framework, record.code)
        if key in seen:
            raise FrameworkDataError(
                record.path,
                record.line,
                _("code %(code)s is already used on row %(first)d.") % {"code": record.code, "first": seen[key].line},
            )
        seen[key] = record
    for record in records:
        if record.parent and (record.framework, record.parent) not in seen:
            raise FrameworkDataError(
                record.path,
                record.line,
                _("parent “%(parent)s” is not an item of %(framework)s.")
                % {"parent": record.parent, "framework": record.framework},
            )


def _depth(record: ItemRecord, by_key: dict) -> int:
    depth, parent, steps = 0, record.parent, 0
    while parent:
        depth, steps = depth + 1, steps + 1
        if steps > 20:
            raise FrameworkDataError(record.path, record.line, _("its parents form a cycle."))
        parent = by_key[(record.framework, parent)].parent
    return depth


# --- Loading


def _load_framework_records(frameworks: list[FrameworkRecord], result: LoadResult) -> tuple[dict[str, Framework], bool]:
    """Creates or updates the frameworks; returns them by code, and whether any changed."""
    existing = {f.code: f for f in Framework.objects.filter(code__in=[r.code for r in frameworks])}
    changed = False
    by_code: dict[str, Framework] = {}
    for record in frameworks:
        framework = existing.get(record.code)
        if framework is None:
            framework = Framework(code=record.code, **record.values)
            framework._change_reason = CHANGE_REASON
            framework.full_clean(exclude=["name"])
            framework.save()
            result.frameworks_created += 1
            changed = True
        elif any(getattr(framework, name) != value for name, value in record.values.items()):
            for name, value in record.values.items():
                setattr(framework, name, value)
            framework._change_reason = CHANGE_REASON
            framework.save()
            result.frameworks_updated += 1
            changed = True
        by_code[record.code] = framework
        result.counts[record.code] = FrameworkCounts()
    return by_code, changed


def _positions(items: list[ItemRecord]) -> dict[tuple[str, str], int]:
    """Positions follow the files' order, per framework."""
    positions: Counter = Counter()
    position_of = {}
    for record in items:
        positions[record.framework] += 1
        position_of[(record.framework, record.code)] = positions[record.framework]
    return position_of


@dataclass
class _Level:
    """The items of one depth of the trees: new ones, changed ones and the fields that changed."""

    to_create: list[FrameworkItem] = field(default_factory=list)
    to_update: list[FrameworkItem] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)


def _sort_out(item: FrameworkItem, values: dict[str, object], level: _Level, counts: FrameworkCounts) -> None:
    """Takes a stored item to the record's values (a council's ownership is removed), counting the outcome."""
    differing = {name for name, value in values.items() if getattr(item, name) != value}
    if item.owner_id is not None:
        differing.add("owner_id")
        item.owner_id = None
    if not differing:
        counts.unchanged += 1
        return
    for name in differing:
        if name != "owner_id":
            setattr(item, name, values[name])
    level.fields |= differing
    level.to_update.append(item)
    counts.updated += 1


def _create_items(to_create: list[FrameworkItem], frameworks: list[Framework], ids: dict[tuple[str, str], int]) -> None:
    created = bulk_create_with_history(
        to_create, FrameworkItem, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON
    )
    if created and created[0].pk is None:
        # Some databases do not return ids from a bulk insert: read them back.
        fresh = FrameworkItem.objects.filter(
            framework__in=frameworks, code__in=[i.code for i in to_create]
        ).values_list("framework_id", "code", "pk")
        pk_of = {(fw, code): pk for fw, code, pk in fresh}
        for item in to_create:
            item.pk = pk_of[(item.framework_id, item.code)]
    for item in to_create:
        ids[(item.framework.code, item.code)] = item.pk


def _update_items(to_update: list[FrameworkItem], fields: set[str]) -> None:
    bulk_update_with_history(
        to_update,
        FrameworkItem,
        sorted(name.removesuffix("_id") if name in ("parent_id", "owner_id") else name for name in fields),
        batch_size=BATCH_SIZE,
        default_change_reason=CHANGE_REASON,
    )


@transaction.atomic
def load_records(
    frameworks: list[FrameworkRecord], items: list[ItemRecord], *, unique_indicators: int = 0
) -> LoadResult:
    """Creates or updates the reference frameworks and their items; leaves councils' items alone.

    Items are written a depth at a time, so every parent has its id before its children are written.
    """
    result = LoadResult()
    framework_by_code, changed = _load_framework_records(frameworks, result)
    result.counts.setdefault(SDG, FrameworkCounts()).unique_indicators = unique_indicators

    by_key = {(r.framework, r.code): r for r in items}
    existing = {
        (item.framework_id, item.code): item
        for item in FrameworkItem.objects.filter(framework__in=framework_by_code.values())
    }
    ordered = sorted(items, key=lambda r: _depth(r, by_key))
    ids: dict[tuple[str, str], int] = {
        (fw_code, item.code): item.pk
        for fw_code, fw in framework_by_code.items()
        for (fw_id, _code), item in existing.items()
        if fw_id == fw.pk
    }
    position_of = _positions(items)

    for depth in sorted({_depth(r, by_key) for r in ordered}):
        level = _Level()
        for record in (r for r in ordered if _depth(r, by_key) == depth):
            framework = framework_by_code[record.framework]
            counts = result.counts[record.framework]
            counts.levels[record.level] += 1
            values = {
                **record.values,
                "level": record.level,
                "position": position_of[(record.framework, record.code)],
                "parent_id": ids[(record.framework, record.parent)] if record.parent else None,
            }
            item = existing.get((framework.pk, record.code))
            if item is None:
                level.to_create.append(FrameworkItem(framework=framework, code=record.code, **values))
                counts.created += 1
            else:
                _sort_out(item, values, level, counts)
        if level.to_create:
            _create_items(level.to_create, list(framework_by_code.values()), ids)
        if level.to_update:
            _update_items(level.to_update, level.fields)
        changed = changed or bool(level.to_create or level.to_update)
    if changed:
        content_changed()
    return result


def load_frameworks(
    *,
    frameworks_path: Path = FRAMEWORKS_FILE,
    goals_path: Path = GOALS_FILE,
    targets_path: Path = TARGETS_FILE,
    indicators_path: Path = INDICATORS_FILE,
    items_path: Path = ITEMS_FILE,
) -> LoadResult:
    """Reads and checks every file first, then loads them in one transaction."""
    frameworks = read_frameworks(frameworks_path)
    sdg_items, unique_indicators = read_sdgs(goals_path, targets_path, indicators_path)
    other_items = read_items(items_path)
    codes = {record.code for record in frameworks}
    if SDG not in codes:
        raise FrameworkDataError(Path(frameworks_path), 1, _("the SDG framework is missing."))
    for record in other_items:
        if record.framework == SDG:
            raise FrameworkDataError(
                record.path, record.line, _("SDG items come from the SDG files, not from this one.")
            )
    items = sdg_items + other_items
    check_items(items, codes)
    return load_records(frameworks, items, unique_indicators=unique_indicators)
