"""`manage.py load_municipalities`: loads or refreshes every Spanish and Bulgarian municipality."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from municipia.organizations.choices import Country
from municipia.organizations.loaders import BG_FILE, ES_FILE, ReferenceDataError, load_municipalities


class Command(BaseCommand):
    help = "Loads or refreshes every Spanish and Bulgarian municipality from the reference lists (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file-es", type=Path, default=ES_FILE, help="CSV of Spanish municipalities.")
        parser.add_argument("--file-bg", type=Path, default=BG_FILE, help="CSV of Bulgarian municipalities.")

    def handle(self, *args, file_es: Path, file_bg: Path, **options) -> None:
        try:
            result = load_municipalities(es_path=file_es, bg_path=file_bg)
        except ReferenceDataError as exc:
            raise CommandError(_("Nothing was loaded. %(error)s") % {"error": exc}) from exc
        for country, counts in sorted(result.counts.items()):
            self.stdout.write(
                _("%(country)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                % {
                    "country": Country(country).label,
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                }
            )
