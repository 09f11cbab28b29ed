"""`manage.py load_frameworks`: loads or refreshes the reference frameworks packaged with Municipia."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from municipia.alignment import loaders
from municipia.alignment.choices import ItemLevel


class Command(BaseCommand):
    help = "Loads or refreshes the SDGs, the recovery plan and the other reference frameworks (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--frameworks", type=Path, default=loaders.FRAMEWORKS_FILE, help="CSV of frameworks.")
        parser.add_argument("--sdg-goals", type=Path, default=loaders.GOALS_FILE, help="CSV of the SDG goals.")
        parser.add_argument("--sdg-targets", type=Path, default=loaders.TARGETS_FILE, help="CSV of the SDG targets.")
        parser.add_argument(
            "--sdg-indicators", type=Path, default=loaders.INDICATORS_FILE, help="CSV of the SDG indicators."
        )
        parser.add_argument(
            "--items", type=Path, default=loaders.ITEMS_FILE, help="CSV of the other frameworks' items."
        )

    def handle(self, *args, **options) -> None:
        try:
            result = loaders.load_frameworks(
                frameworks_path=options["frameworks"],
                goals_path=options["sdg_goals"],
                targets_path=options["sdg_targets"],
                indicators_path=options["sdg_indicators"],
                items_path=options["items"],
            )
        except loaders.FrameworkDataError as exc:
            raise CommandError(_("Nothing was loaded. %(error)s") % {"error": exc}) from exc
        labels = dict(ItemLevel.choices)
        for code, counts in result.counts.items():
            parts = [f"{labels[level]}: {number}" for level, number in counts.levels.items()]
            if code == loaders.SDG and counts.unique_indicators:
                parts[-1] += " " + _("(%(unique)d unique)") % {"unique": counts.unique_indicators}
            self.stdout.write(
                _("%(code)s: %(items)s — %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                % {
                    "code": code,
                    "items": ", ".join(parts),
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                }
            )
