"""`manage.py send_action_digests`: e-mails leads (or plan owners' editors) the actions needing an update."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from municipia.strategy.reminders import send_action_digests


class Command(BaseCommand):
    help = "E-mails each lead, or the plan owner's editors, the actions that need their update."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what would be sent; send nothing.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        sent = send_action_digests(dry_run=dry_run)
        for digest in sent:
            self.stdout.write(f"{digest.recipient}: {len(digest.entries)}")
        message = _("%(count)s reminders would be sent.") if dry_run else _("%(count)s reminders sent.")
        self.stdout.write(message % {"count": len(sent)})
