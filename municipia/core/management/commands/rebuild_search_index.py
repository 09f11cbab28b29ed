"""Rewrites the full-text search index of every searchable object (after a bulk load or a restore)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from municipia.core import search


class Command(BaseCommand):
    help = "Rewrites the full-text search entries of plans, actions, organisations, indicators, meetings and news."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", choices=sorted(search.SEARCHABLES), help="Only these kinds.")

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = search.rebuild(options["kind"])
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")
