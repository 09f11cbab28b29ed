"""`manage.py restore FILE`: a backup loaded into a new (migrated, empty) installation."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from municipia.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Load a file written by `manage.py backup` into an empty installation (run `migrate` first)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            summary = restore_backup(file)
        except BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"Restored {summary.rows} rows and {summary.files} files from {file}.")
