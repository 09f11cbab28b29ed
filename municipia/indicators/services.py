"""Every write to indicators, baselines, targets and observations: forms, admin, API, importer and commands."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.core.cache import content_changed
from municipia.core.services import PlainServices, apply_fields, delete_with_history, save_with_history, signed_in
from municipia.core.visibility import User
from municipia.indicators import importer
from municipia.indicators.choices import ImportStatus
from municipia.indicators.entities import BASELINE, INDICATOR, OBSERVATION, TARGET
from municipia.indicators.models import Baseline, Indicator, Observation, ObservationImport, Target
from municipia.organizations.models import Organization
from municipia.strategy.models import Action, Objective
from municipia.strategy.permissions import may_link

INDICATOR_FIELDS = INDICATOR.editable_names()
BASELINE_FIELDS = BASELINE.editable_names()
TARGET_FIELDS = TARGET.editable_names()
# The organisation of an observation is fixed once it is created.
OBSERVATION_FIELDS = [name for name in OBSERVATION.editable_names() if name != "organization"]
BULK_BATCH = 2000
INSERT_CHUNK = 5000


def touch_indicators(indicator_ids: Iterable[int]) -> None:
    """Marks the indicators changed: their `updated_at` is the version that cached status and
    benchmarks are keyed on (see selectors.status_parts), so every write of a value, baseline
    or target calls this inside its transaction.
    """
    ids = sorted(set(indicator_ids))
    now = timezone.now()
    for start in range(0, len(ids), BULK_BATCH):
        Indicator.objects.filter(pk__in=ids[start : start + BULK_BATCH]).update(updated_at=now)


# --- Indicators


def _set_links(
    acting_user: User | None,
    indicator: Indicator,
    objectives: Iterable[Objective] | None,
    actions: Iterable[Action] | None,
) -> None:
    """Links the indicator to plan elements; adding or removing a link needs the right to edit the
    element's plan (the indicator then shows on that plan's pages and exports)."""
    objectives = None if objectives is None else list(objectives)
    actions = None if actions is None else list(actions)
    errors: dict[str, str] = {}
    for name, wanted in (("objectives", objectives), ("actions", actions)):
        if wanted is None:
            continue
        current = set(getattr(indicator, name).all()) if indicator.pk else set()
        changed: list[Any] = list(set(wanted) ^ current)
        refused = may_link(acting_user, changed)
        if refused:
            errors[name] = _("You may not link to or unlink from elements of plans you do not edit: %(items)s.") % {
                "items": ", ".join(sorted(str(element) for element in refused))
            }
    if errors:
        raise ValidationError(errors)
    if objectives is not None:
        indicator.objectives.set(list(objectives))
    if actions is not None:
        indicator.actions.set(list(actions))


@transaction.atomic
def indicator_create(
    *,
    acting_user: User,
    owner: Organization | None,
    data: dict[str, Any],
    objectives: Iterable[Objective] | None = None,
    actions: Iterable[Action] | None = None,
) -> Indicator:
    indicator = Indicator(owner_organization=owner)
    apply_fields(indicator, data, INDICATOR_FIELDS)
    save_with_history(indicator, acting_user=acting_user)
    _set_links(acting_user, indicator, objectives, actions)
    return indicator


@transaction.atomic
def indicator_update(
    *,
    acting_user: User,
    indicator: Indicator,
    data: dict[str, Any],
    objectives: Iterable[Objective] | None = None,
    actions: Iterable[Action] | None = None,
) -> Indicator:
    apply_fields(indicator, data, INDICATOR_FIELDS)
    save_with_history(indicator, acting_user=acting_user)
    _set_links(acting_user, indicator, objectives, actions)
    return indicator


@transaction.atomic
def indicator_delete(*, acting_user: User, indicator: Indicator) -> None:
    delete_with_history(indicator, acting_user=acting_user)


# --- Baselines and targets


def _touch(value: Baseline | Target) -> None:
    touch_indicators([value.indicator_id])


baseline_create, baseline_update, baseline_delete = PlainServices(
    Baseline, parent="indicator", fields=BASELINE_FIELDS, on_write=_touch
)
target_create, target_update, target_delete = PlainServices(
    Target, parent="indicator", fields=TARGET_FIELDS, on_write=_touch
)


# --- Observations, one at a time


def _check_not_future(observation: Observation) -> None:
    if observation.date and observation.date > timezone.localdate():
        raise ValidationError({"date": _("%(date)s is in the future.") % {"date": observation.date.isoformat()}})


@transaction.atomic
def observation_create(
    *, acting_user: User, indicator: Indicator, data: dict[str, Any], organization: Organization | None = None
) -> Observation:
    """A value of `indicator` for `organization` (or the organisation named in `data`)."""
    observation = Observation(indicator=indicator, organization=organization or data.get("organization"))
    apply_fields(observation, _without_organization(data), OBSERVATION_FIELDS)
    observation.created_by = signed_in(acting_user)
    _check_not_future(observation)
    touch_indicators([indicator.pk])
    save_with_history(observation, acting_user=acting_user)
    return observation


def _without_organization(data: dict[str, Any]) -> dict[str, Any]:
    # The organisation is chosen on creation; pages, admin and API may repeat it when editing.
    return {name: value for name, value in data.items() if name != "organization"}


@transaction.atomic
def observation_update(*, acting_user: User, observation: Observation, data: dict[str, Any]) -> Observation:
    apply_fields(observation, _without_organization(data), OBSERVATION_FIELDS)
    _check_not_future(observation)
    touch_indicators([observation.indicator_id])
    save_with_history(observation, acting_user=acting_user)
    return observation


@transaction.atomic
def observation_delete(*, acting_user: User, observation: Observation) -> None:
    touch_indicators([observation.indicator_id])
    delete_with_history(observation, acting_user=acting_user)


# --- Imports


@dataclass
class ImportOutcome:
    """What an import did (or, with errors, why it did nothing)."""

    check: importer.CheckResult
    created: int = 0
    replaced: int = 0
    record: ObservationImport | None = None

    @property
    def ok(self) -> bool:
        return self.check.ok


def observations_import(
    *,
    acting_user: User | None,
    name: str,
    content: bytes,
    replace: bool = False,
    dry_run: bool = False,
    record: ObservationImport | None = None,
) -> ImportOutcome:
    """Imports every row of a CSV/XLSX file, or none: with any bad row, nothing is written.

    The rows the user may not record (see permissions.may_record) are bad rows too. `dry_run`
    checks only. `record` is the pending upload being confirmed; without one, a record of the
    import is created.

    New values are checked and written in one pass (`_import_streaming`) in one transaction;
    a file with a bad row, or one that clashes with a stored value, is rolled back and then
    checked in full, so that the answer names every bad row. Replacing stored values takes
    the path that checks everything first and then writes.
    """
    if not dry_run and not replace:
        try:
            with transaction.atomic():
                return _import_streaming(acting_user=acting_user, name=name, content=content, record=record)
        except (_Rejected, IntegrityError):
            pass  # rolled back; the full check below says why
    check = importer.check_file(name=name, content=content, acting_user=acting_user, replace=replace)
    outcome = ImportOutcome(check=check)
    if not check.ok or dry_run:
        return outcome
    with transaction.atomic():
        outcome.record = _write(check, acting_user=acting_user, name=name, replace=replace, record=record)
    outcome.created = outcome.record.created_count
    outcome.replaced = outcome.record.replaced_count
    return outcome


class _Rejected(Exception):
    """The streaming import met a bad row: its transaction is rolled back."""


def _new_record(
    acting_user: User | None, name: str, replace: bool, record: ObservationImport | None
) -> ObservationImport:
    user = signed_in(acting_user)
    if record is None:
        record = ObservationImport(created_by=user, file_name=name[:250], replace=replace)
    return record


def _import_streaming(
    *, acting_user: User | None, name: str, content: bytes, record: ObservationImport | None
) -> ImportOutcome:
    """Checks and inserts the rows as they are read, in chunks; raises _Rejected at the first bad row.

    Runs inside the caller's transaction. Nothing of the file is held but one chunk of rows.
    """
    stream = importer.ImportStream(name=name, content=content, acting_user=acting_user)
    if stream.errors:  # the file or its header: nothing to write
        raise _Rejected
    user = signed_in(acting_user)
    record = _new_record(acting_user, name, False, record)
    if record._state.adding:
        record.save()  # the rows refer to it
    insert = _ObservationInserter(user_id=user.pk if user else None, batch_id=record.pk)
    rows = stream.insert_rows(prepare_date=insert.prepare_date, tail=insert.tail)
    count = 0
    while chunk := list(islice(rows, INSERT_CHUNK)):
        insert(chunk)
        count += len(chunk)
    if not stream.ok:
        raise _Rejected
    record.status = ImportStatus.IMPORTED
    record.content = b""
    record.row_count = count
    record.created_count = count
    record.replaced_count = 0
    record.imported_at = timezone.now()
    record.save()
    touch_indicators(stream.indicator_ids)
    content_changed()  # bulk writes send no model signals: mark public pages stale here
    return ImportOutcome(check=importer.CheckResult(row_count=stream.row_count), created=count, record=record)


def _write(
    check: importer.CheckResult, *, acting_user: User | None, name: str, replace: bool, record: ObservationImport | None
) -> ObservationImport:
    user = signed_in(acting_user)
    record = _new_record(acting_user, name, replace, record)
    new_rows = [row for row in check.rows if row.existing_id is None]
    old_rows = [row for row in check.rows if row.existing_id is not None]
    record.status = ImportStatus.IMPORTED
    record.content = b""
    record.row_count = len(check.rows)
    record.created_count = len(new_rows)
    record.replaced_count = len(old_rows)
    record.imported_at = timezone.now()
    record.save()
    insert = _ObservationInserter(user_id=user.pk if user else None, batch_id=record.pk)
    for start in range(0, len(new_rows), INSERT_CHUNK):
        insert(
            [
                (
                    row.indicator_id,
                    row.organization_id,
                    insert.prepare_date(row.date),
                    row.value,
                    row.source,
                    row.note,
                    *insert.tail,
                )
                for row in new_rows[start : start + INSERT_CHUNK]
            ]
        )
    if old_rows:
        Observation.objects.bulk_update(
            [
                Observation(
                    pk=row.existing_id,
                    value=row.value,
                    source=row.source,
                    note=row.note,
                    created_by=user,
                    batch=record,
                )
                for row in old_rows
            ],
            ["value", "source", "note", "created_by", "batch"],
            batch_size=BULK_BATCH,
        )
    touch_indicators({row.indicator_id for row in check.rows})
    content_changed()  # bulk writes send no model signals: mark public pages stale here
    return record


INSERT_COLUMNS = ("indicator", "organization", "date", "value", "source", "note", "created_by", "batch", "created_at")


class _ObservationInserter:
    """One prepared INSERT of observations run with executemany: the rows are already checked.

    Building a model instance per row (bulk_create) cost more than the database itself on
    large files. Each parameter is what the field's own database preparation gives: the date
    through the backend's adaptation (once per distinct date), the value as the Decimal that
    DecimalField passes on unchanged, the batch, user and time once for all rows (`tail`).
    """

    def __init__(self, *, user_id: int | None, batch_id: object) -> None:
        fields = {name: cast(Field, Observation._meta.get_field(name)) for name in INSERT_COLUMNS}
        table = connection.ops.quote_name(Observation._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(str(fields[name].column)) for name in INSERT_COLUMNS)
        marks = ", ".join(["%s"] * len(INSERT_COLUMNS))
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - names come from the model
        self._date_field = fields["date"]
        self._dates: dict[dt.date, Any] = {}
        self.tail = (
            user_id,
            fields["batch"].get_db_prep_save(batch_id, connection),
            fields["created_at"].get_db_prep_save(timezone.now(), connection),
        )

    def prepare_date(self, day: dt.date) -> Any:
        prepared = self._dates.get(day)
        if prepared is None:
            prepared = self._dates[day] = self._date_field.get_db_prep_save(day, connection)
        return prepared

    def __call__(self, rows: list[tuple]) -> None:
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, rows)


# Pending uploads older than this are removed when a new one arrives.
PENDING_UPLOAD_HOURS = 24


@transaction.atomic
def upload_keep(*, acting_user: User, name: str, content: bytes, replace: bool) -> ObservationImport:
    """Keeps an uploaded file until its owner confirms the import (see ObservationImport)."""
    cutoff = timezone.now() - dt.timedelta(hours=PENDING_UPLOAD_HOURS)
    ObservationImport.objects.filter(status=ImportStatus.PENDING, created_at__lt=cutoff).delete()
    return ObservationImport.objects.create(
        created_by=signed_in(acting_user), file_name=name[:250], content=content, replace=replace
    )


@transaction.atomic
def upload_discard(*, acting_user: User, upload: ObservationImport) -> None:
    upload.delete()


def upload_confirm(*, acting_user: User, upload: ObservationImport) -> ImportOutcome:
    """Imports a kept upload, checking it again (the data may have changed since the preview)."""
    return observations_import(
        acting_user=acting_user,
        name=upload.file_name,
        content=bytes(upload.content),
        replace=upload.replace,
        record=upload,
    )
