"""`manage.py import_observations FILE [--dry-run] [--replace] [--user NAME]`: all rows or none."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from municipia.indicators import services


class Command(BaseCommand):
    help = "Imports observations from a CSV or XLSX file: every row, or none with every bad row listed."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file without importing it.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite stored values for the same indicator, organisation and date.",
        )
        parser.add_argument(
            "--user",
            help="Import as this user: rows are checked against their permissions and recorded as theirs. "
            "Without it, the import runs with the server operator's full rights.",
        )

    def handle(self, *args, file: Path, dry_run: bool, replace: bool, user: str | None, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        acting_user = None
        if user:
            acting_user = get_user_model().objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(f"No user is called {user!r}.")
        outcome = services.observations_import(
            acting_user=acting_user, name=file.name, content=file.read_bytes(), replace=replace, dry_run=dry_run
        )
        check = outcome.check
        if not check.ok:
            for error in check.errors:
                where = f"row {error.row}, {error.column}" if error.row else "file"
                self.stderr.write(f"{file.name}: {where}: {error.message}")
            raise CommandError(f"Nothing imported: {check.errors.total} problem(s) in {check.row_count} row(s).")
        if dry_run:
            new = len(check.rows) - check.replace_count
            self.stdout.write(
                f"{file.name}: {check.row_count} rows are good: {new} new, {check.replace_count} replaced."
            )
            self.stdout.write("Dry run: nothing imported.")
            return
        self.stdout.write(
            self.style.SUCCESS(f"{file.name}: {outcome.created} observations added, {outcome.replaced} replaced.")
        )
