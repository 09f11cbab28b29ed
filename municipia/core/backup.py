"""One-file backup of an installation (database rows and stored files) and its restore.

The file is a ZIP: `manifest.json` (format, date, applied migrations, row count per model, file
names), `data.jsonl` (every row, one JSON object a line, so writing and reading stream) and
`media/…` (the stored files). Content types and permissions are referred to by natural key,
since a fresh installation creates its own; sessions and sign-in attempts are not kept.
"""

import io
import json
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model
from django.test.utils import override_settings
from django.utils import timezone

FORMAT = "municipia-backup"
VERSION = 1
# Recreated by `migrate` (content types, permissions) or not worth keeping (sessions, sign-in
# attempts, the public cache's version counter).
EXCLUDED_APPS = {"contenttypes", "sessions", "axes"}
EXCLUDED_MODELS = {"auth.permission", "core.contentversion"}


class BackupError(Exception):
    """A backup that cannot be restored here; the message says why."""


@dataclass
class Summary:
    rows: int = 0
    files: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def kept_models() -> list[type[Model]]:
    """The models whose rows a backup holds."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in EXCLUDED_APPS
        and model._meta.label_lower not in EXCLUDED_MODELS
        and model._meta.managed
        and not model._meta.proxy
    ]


def _counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in kept_models()}


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _stored_files(directory: str = "") -> Iterator[str]:
    try:
        folders, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for folder in sorted(folders):
        yield from _stored_files(f"{directory}/{folder}" if directory else folder)


def write_backup(path: Path) -> Summary:
    """Writes everything to `path`; returns what it holds."""
    labels = [model._meta.label for model in kept_models()]
    counts = _counts()
    files = list(_stored_files())
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        with archive.open("data.jsonl", "w", force_zip64=True) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8")
            call_command("dumpdata", *labels, format="jsonl", natural_foreign=True, stdout=text, verbosity=0)
            text.flush()
            text.detach()
        for name in files:
            with (
                default_storage.open(name, "rb") as source,
                archive.open(f"media/{name}", "w", force_zip64=True) as out,
            ):
                for chunk in iter(lambda: source.read(1 << 20), b""):
                    out.write(chunk)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created": timezone.now().isoformat(),
            "database": connection.vendor,
            "migrations": _applied_migrations(),
            "counts": counts,
            "media": files,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=1, sort_keys=True))
    return Summary(rows=sum(counts.values()), files=len(files), counts=counts)


def _manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        raise BackupError("This file is not a Municipia backup: it has no readable manifest.json.")
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(f"Unsupported backup format {manifest.get('format')!r} version {manifest.get('version')!r}.")
    return manifest


def _check_migrations(manifest: dict) -> None:
    here = _applied_migrations()
    unknown = [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if name not in here.get(app, [])
    ]
    if unknown:
        raise BackupError(
            "The backup comes from a newer version: run `manage.py migrate` with that version first "
            f"(missing here: {', '.join(unknown[:5])}{'…' if len(unknown) > 5 else ''})."
        )


def _check_empty() -> None:
    filled = {label: count for label, count in _counts().items() if count}
    if filled:
        listed = ", ".join(f"{label} ({count})" for label, count in sorted(filled.items())[:5])
        raise BackupError(
            f"The database is not empty: {listed}. Restore only into a new installation "
            "(an empty database after `manage.py migrate`)."
        )


def restore_backup(path: Path) -> Summary:
    """Restores a backup into an empty, migrated installation; all rows or none."""
    from municipia.core.cache import content_changed

    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(f"Cannot read {path}: {exc}")
    with archive:
        manifest = _manifest(archive)
        _check_migrations(manifest)
        _check_empty()
        with tempfile.TemporaryDirectory() as folder:
            data = Path(folder) / "data.jsonl"
            with archive.open("data.jsonl") as source, data.open("wb") as out:
                for chunk in iter(lambda: source.read(1 << 20), b""):
                    out.write(chunk)
            if data.stat().st_size:
                # The history rows come from the backup: loading many-to-many fields must not write
                # new ones (django-simple-history records m2m changes even for raw loads).
                with override_settings(SIMPLE_HISTORY_ENABLED=False):
                    call_command("loaddata", str(data), verbosity=0)
        for name in manifest["media"]:
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, ContentFile(archive.read(f"media/{name}")))
            if saved != name:
                raise BackupError(f"The stored file {name} was saved as {saved}.")
    content_changed()
    counts = _counts()
    wrong = {
        label: (count, counts.get(label)) for label, count in manifest["counts"].items() if counts.get(label) != count
    }
    if wrong:
        raise BackupError(f"Row counts differ after the restore (expected, found): {wrong}")
    return Summary(rows=sum(counts.values()), files=len(manifest["media"]), counts=counts)
