"""`manage.py send_indicator_reminders`: e-mails indicator owners about stale values (idempotent)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from municipia.indicators.reminders import send_indicator_reminders


class Command(BaseCommand):
    help = "E-mails each indicator owner the values of their indicators that are stale; each value once."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what would be sent; send nothing.")
        parser.add_argument("--today", help="Judge staleness on this date (YYYY-MM-DD) instead of today.")

    def handle(self, *args, dry_run: bool = False, today: str | None = None, **options) -> None:
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError:
                raise CommandError(_("--today must be a date like 2025-03-31, not “%(value)s”.") % {"value": today})
        sent = send_indicator_reminders(today=day, dry_run=dry_run)
        for reminder in sent:
            self.stdout.write(f"{reminder.recipient}: {len(reminder.values)}")
        message = _("%(count)s reminders would be sent.") if dry_run else _("%(count)s reminders sent.")
        self.stdout.write(message % {"count": len(sent)})
