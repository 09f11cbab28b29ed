"""Computes and stores the results of survey campaigns (all of them, or one with --campaign)."""

import time

from django.core.management.base import BaseCommand, CommandError

from municipia.diagnosis import results
from municipia.diagnosis.models import Campaign


class Command(BaseCommand):
    help = (
        "Computes the results of every campaign with responses (or of --campaign SLUG) and stores them, "
        "so that results pages serve them at once. Current results are left alone unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--campaign", metavar="SLUG", help="Only this campaign.")
        parser.add_argument("--force", action="store_true", help="Recompute even results that are current.")

    def handle(self, *args, campaign=None, force=False, verbosity=1, **options):
        campaigns = Campaign.objects.order_by("id")
        if campaign:
            campaigns = campaigns.filter(slug=campaign)
            if not campaigns.exists():
                raise CommandError(f"No campaign with the slug “{campaign}”.")
        else:
            campaigns = campaigns.filter(responses__isnull=False).distinct()
        computed = 0
        for item in campaigns:
            if not force and results.snapshot_is_current(item):
                if verbosity:
                    self.stdout.write(f"{item.slug}: current, left alone")
                continue
            started = time.perf_counter()
            found = results.snapshot_compute(item)
            computed += 1
            if verbosity:
                self.stdout.write(
                    f"{item.slug}: {found.responses} responses computed in {time.perf_counter() - started:.1f} s"
                )
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"{computed} campaign(s) computed."))
