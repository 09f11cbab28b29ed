"""Readable change history: turns django-simple-history records into "who, when, field: before → after".

Records are diffed pairwise in Python with `HistoricalRecord.diff_against`, and foreign keys are
resolved in one query per related model, so a history list costs a fixed number of queries.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.utils import get_m2m_reverse_field_name

from municipia.core.i18n import language_codes

# Fields that change on every save and say nothing to a reader.
IGNORED_FIELDS = {"created_at", "updated_at"}


@dataclass
class FieldChange:
    name: str
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str  # "created", "changed" or "deleted"
    kind_label: str
    object_label: str
    reason: str = ""
    changes: list[FieldChange] = field(default_factory=list)


def _tracked_fields(record) -> list[models.Field]:
    """Editable, single-valued fields; the bare name of a translated field is skipped for its columns."""
    fields = [f for f in record.tracked_fields if f.editable and f.name not in IGNORED_FIELDS]
    names = {f.name for f in fields}
    translated_bases = {f.name for f in fields if f"{f.name}_{language_codes()[0]}" in names}
    return [f for f in fields if f.name not in translated_bases]


def _format(value, model_field: models.Field, related_labels: dict) -> str:
    if value is None or value == "" or value == frozenset():
        return "—"
    if isinstance(value, frozenset):
        labels = sorted(related_labels.get((model_field.related_model, pk), f"#{pk}") for pk in value)
        return ", ".join(labels)
    if model_field.is_relation:
        return related_labels.get((model_field.related_model, value), f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def _m2m_sets(records: list) -> dict[tuple[str, int], frozenset]:
    """Related ids of each many-to-many field at each record, in one query per field."""
    sets: dict[tuple[str, int], frozenset] = {}
    by_type: dict[type, list] = defaultdict(list)
    for record in records:
        by_type[type(record)].append(record)
    for typed_records in by_type.values():
        ids = [r.history_id for r in typed_records]
        for model_field in typed_records[0]._history_m2m_fields:
            through = getattr(typed_records[0], model_field.name).model
            target = get_m2m_reverse_field_name(model_field)
            values: dict[int, set] = defaultdict(set)
            for history_id, related_id in through.objects.filter(history_id__in=ids).values_list(
                "history_id", f"{target}_id"
            ):
                values[history_id].add(related_id)
            for history_id in ids:
                sets[(model_field.name, history_id)] = frozenset(values.get(history_id, ()))
    return sets


def history_entries(records: Iterable, *, limit: int = 50) -> list[HistoryEntry]:
    """Newest-first readable entries for `records` (historical rows of one or several objects).

    Pass every record of the objects concerned, with `history_user` selected: each change is
    the difference with the object's previous record. Saves that changed nothing shown here
    (timestamps only) are left out.
    """
    records = list(records)
    m2m_sets = _m2m_sets(records)
    by_object: dict[object, list] = defaultdict(list)
    for record in records:
        by_object[(type(record), record.id)].append(record)
    raw = [change for object_records in by_object.values() for change in _object_changes(object_records, m2m_sets)]
    raw.sort(key=lambda item: (item[0].history_date, item[0].history_id), reverse=True)
    raw = raw[:limit]
    related_labels = _related_labels(raw)
    return [_entry(record, field_map, changes, related_labels) for record, field_map, changes in raw]


def _object_changes(object_records: list, m2m_sets: dict[tuple[str, int], frozenset]) -> list[tuple]:
    """(record, fields by name, [(field, before, after)]) for each record of one object worth showing."""
    object_records.sort(key=lambda r: (r.history_date, r.history_id))
    fields = _tracked_fields(object_records[0])
    names = [f.name for f in fields]
    m2m_fields = list(object_records[0]._history_m2m_fields)
    field_map = {f.name: f for f in [*fields, *m2m_fields]}
    shown = []
    previous = None
    for record in object_records:
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, included_fields=names, excluded_fields=[f.name for f in m2m_fields])
            changes = [(c.field, c.old, c.new) for c in delta.changes]
            for model_field in m2m_fields:
                before = m2m_sets[(model_field.name, previous.history_id)]
                after = m2m_sets[(model_field.name, record.history_id)]
                if before != after:
                    changes.append((model_field.name, before, after))
        if record.history_type != "~" or changes or record.history_change_reason:
            shown.append((record, field_map, changes))
        previous = record
    return shown


def _related_labels(raw: list[tuple]) -> dict[tuple[type, object], str]:
    """Labels of the related objects the shown changes name, in one query per related model."""
    wanted: dict[type, set] = defaultdict(set)
    for _record, field_map, changes in raw:
        for name, before, after in changes:
            model_field = field_map.get(name)
            if model_field is None or not model_field.is_relation:
                continue
            for value in (before, after):
                if isinstance(value, frozenset):
                    wanted[model_field.related_model].update(value)
                elif value is not None:
                    wanted[model_field.related_model].add(value)
    return {
        (model, obj.pk): str(obj) for model, ids in wanted.items() for obj in model._default_manager.filter(pk__in=ids)
    }


def _entry(record, field_map: dict, changes: list[tuple], related_labels: dict) -> HistoryEntry:
    kinds = {"+": ("created", _("Created")), "~": ("changed", _("Changed")), "-": ("deleted", _("Deleted"))}
    kind, kind_label = kinds.get(record.history_type, ("changed", _("Changed")))
    user = record.history_user
    return HistoryEntry(
        when=record.history_date,
        who=(user.get_full_name() or user.get_username()) if user else _("system"),
        kind=kind,
        kind_label=kind_label,
        object_label=str(record.instance),
        reason=record.history_change_reason or "",
        changes=[
            FieldChange(
                name=name,
                label=capfirst(str(field_map[name].verbose_name)),
                before=_format(before, field_map[name], related_labels),
                after=_format(after, field_map[name], related_labels),
            )
            for name, before, after in changes
            if name in field_map
        ],
    )


def object_history(obj: models.Model, *, limit: int = 50) -> list[HistoryEntry]:
    """Readable history of one object, in a fixed number of queries."""
    return history_entries(obj.history.select_related("history_user"), limit=limit)
