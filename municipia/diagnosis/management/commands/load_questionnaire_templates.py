"""`manage.py load_questionnaire_templates`: the shipped questionnaire templates and maturity dimensions."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from municipia.diagnosis.loaders import load_questionnaire_templates


class Command(BaseCommand):
    help = "Loads (or refreshes) the questionnaire templates that ship with Municipia (idempotent)."

    def handle(self, *args, **options) -> None:
        summary = load_questionnaire_templates()
        for key in summary.created:
            self.stdout.write(_("Created template %(key)s.") % {"key": key})
        for key in summary.updated:
            self.stdout.write(_("Refreshed template %(key)s.") % {"key": key})
