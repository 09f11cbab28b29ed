"""`manage.py send_reminders`: sends the reminder e-mails that are due (idempotent: twice sends nothing twice)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from municipia.governance.choices import ReminderKind
from municipia.governance.reminders import send_reminders


def _moment(text: str) -> dt.datetime:
    value = parse_datetime(text)
    if value is None:
        raise CommandError(_("--now must be an ISO date and time, e.g. 2023-06-24T08:00 or 2023-06-24T08:00+02:00."))
    # A time without an offset is read in the site's time zone, like everything else the site shows.
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class Command(BaseCommand):
    help = (
        "Sends the agenda of upcoming meetings, reminders of minutes awaiting approval and digests of "
        "overdue tasks that are due and not sent yet."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what is due without sending or recording it.")
        parser.add_argument(
            "--now", type=_moment, default=None, help="Act as if it were this ISO date and time (tests, backfills)."
        )

    def handle(self, *args, **options) -> None:
        dry_run = options["dry_run"]
        result = send_reminders(now=options["now"], dry_run=dry_run)
        for kind, reminders in result.items():
            label = ReminderKind(kind).label
            line = _("%(kind)s: %(count)s due (dry run, nothing sent)") if dry_run else _("%(kind)s: %(count)s sent")
            self.stdout.write(line % {"kind": label, "count": len(reminders)})
            for reminder in reminders:
                self.stdout.write(f"  {reminder.recipient}  {reminder.key}")
