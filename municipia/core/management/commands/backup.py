"""`manage.py backup FILE`: the database rows and stored files of this installation in one file."""

from pathlib import Path

from django.core.management.base import BaseCommand

from municipia.core.backup import write_backup


class Command(BaseCommand):
    help = "Write every row of the database and every stored file into one ZIP file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        summary = write_backup(file)
        self.stdout.write(f"{file}: {summary.rows} rows, {summary.files} files, {file.stat().st_size} bytes.")
