"""Versions of editable objects, so that a second editor cannot silently wipe the first's changes.

An object's version is its last-change time (`updated_at`), written as an opaque token. Edit
pages carry the version they were opened at and the API sends it as the ETag of a detail; a
save that names an older version (a form's hidden `version`, the API's `If-Match`) is refused
and the editor is told what changed meanwhile and by whom, keeping what they typed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _


def version_of(obj: models.Model) -> str | None:
    """The object's version token, or None for a model that keeps no last-change time."""
    stamp = getattr(obj, "updated_at", None)
    if stamp is None or obj.pk is None:
        return None
    return hashlib.sha256(f"{obj._meta.label}:{obj.pk}:{stamp.isoformat()}".encode()).hexdigest()[:20]


def etag_of(obj: models.Model) -> str | None:
    version = version_of(obj)
    return None if version is None else f'"{version}"'


@dataclass
class Conflict(Exception):
    """Someone saved the object after the editor opened it."""

    current: models.Model
    changed: list[str] = field(default_factory=list)
    by: str = ""

    def message(self) -> str:
        labels = ", ".join(self.changed)
        if labels and self.by:
            text = _("%(user)s changed this while you were editing it (%(fields)s).")
            return text % {"user": self.by, "fields": labels}
        if labels:
            return _("Someone changed this while you were editing it (%(fields)s).") % {"fields": labels}
        return _("Someone changed this while you were editing it.")


def _fresh(obj: models.Model) -> models.Model:
    # Locked until the caller's transaction ends (SQLite's IMMEDIATE transactions lock anyway).
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def _changes(current: models.Model, opened_version: str, fields: list[str]) -> tuple[list[str], str]:
    """The fields changed since the version the editor opened, and who saved last (from the history)."""
    history = getattr(current, "history", None)
    if history is None:
        return [], ""
    records = list(history.order_by("-history_date", "-history_id")[:50])
    opened = next((record for record in records if version_of_record(current, record) == opened_version), None)
    latest = records[0] if records else None
    by = str(latest.history_user) if latest is not None and latest.history_user is not None else ""
    if opened is None:
        return [], by
    changed = []
    for name in fields:
        try:
            model_field = current._meta.get_field(name)
        except Exception:  # noqa: S112 - a form field that is not a model column
            continue
        attname = getattr(model_field, "attname", name)
        if getattr(opened, attname, None) != getattr(current, attname, None):
            changed.append(str(getattr(model_field, "verbose_name", name)))
    return changed, by


def version_of_record(obj: models.Model, record: Any) -> str | None:
    stamp = getattr(record, "updated_at", None)
    if stamp is None:
        return None
    return hashlib.sha256(f"{obj._meta.label}:{obj.pk}:{stamp.isoformat()}".encode()).hexdigest()[:20]


def check_version(obj: models.Model, opened_version: str | None, *, fields: list[str] | None = None) -> None:
    """Raises `Conflict` when `obj` was saved since `opened_version`; call inside the transaction
    that then saves it. No version given (an old client, a model without one): nothing to check."""
    opened = (opened_version or "").strip().removeprefix("W/").strip('"')
    if not opened or opened == "*" or version_of(obj) is None:  # If-Match: * matches any version
        return
    current = _fresh(obj)
    if version_of(current) == opened:
        return
    changed, by = _changes(current, opened, fields or [])
    raise Conflict(current=current, changed=changed, by=by)
