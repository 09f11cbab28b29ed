"""`manage.py send_partnership_mail`: reminders of commitments and agreements, the news digests
(recorded as a newsletter send, with its progress page), then the followers' notices of actions and plans.

Idempotent: running it twice sends nothing twice. Celery's beat runs the task of the same name
daily when REDIS_URL is set; otherwise cron can run this command.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from municipia.partnerships import follows, mail
from municipia.partnerships.models import NewsletterSend


def _moment(text: str) -> dt.datetime:
    value = parse_datetime(text)
    if value is None:
        raise CommandError("--now must be an ISO date and time, e.g. 2023-06-24T08:00.")
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class Command(BaseCommand):
    help = (
        "Sends the reminders of commitments and agreements that are due, the news digests, "
        "then the notices to followers of actions and plans."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--now", type=_moment, default=None, help="Act as if it were this ISO date and time.")
        parser.add_argument("--batch", type=int, default=mail.DIGEST_BATCH, help="Subscriptions read per batch.")
        parser.add_argument(
            "--reminders-only", action="store_true", help="Send the reminders, not the digests nor the notices."
        )

    def handle(self, *args, **options) -> None:
        now = options["now"] or timezone.now()
        reminders = mail.send_reminders(now=now)
        self.stdout.write(f"reminders sent: {len(reminders)}")
        if options["reminders_only"]:
            return

        send = mail.run_newsletter_send(NewsletterSend.objects.create(), now=now, batch=options["batch"])
        self.stdout.write(
            f"digests sent: {send.sent} ({send.posts} posts, {send.processed} subscriptions, "
            f"{send.failed} failed; {send.get_state_display()})"
        )
        notices = follows.send_follow_notices(now=now, batch=options["batch"])
        self.stdout.write(f"follow notices sent: {notices.sent} ({notices.follows} follows, {notices.failed} failed)")
