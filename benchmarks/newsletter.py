"""The newsletter's sending benchmark (issue 13, "Speed"): news digests to many subscribers.

    .venv/bin/python benchmarks/newsletter.py [--subscribers 100000] [--posts 20] [--batch 500] [--smtp]

Builds a fresh SQLite database in a temporary directory (migrate, one council, `--posts` news
posts published in the last day, `--subscribers` confirmed subscriptions to the site's news,
written with bulk_create), then runs `partnerships.mail.send_news_digests` as the worker does and
prints the throughput (e-mails a second) and the peak of traced Python memory per batch, which
must stay flat whatever the number of subscribers (the subscriptions are read in keyset batches,
the posts once). With `--smtp` the e-mails go over SMTP to a local sink that accepts and discards
them (a thread in this process); without it, to Django's in-memory backend, emptied per batch.
The second run at the same moment must send nothing (idempotence): it is timed too.
"""

import argparse
import socketserver
import sys
import tempfile
import threading
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

from benchmarks.generate import configure_django  # noqa: E402


class SinkHandler(socketserver.StreamRequestHandler):
    """A minimal SMTP server that accepts every message and keeps nothing."""

    def handle(self) -> None:
        self.wfile.write(b"220 sink ESMTP\r\n")
        in_data = False
        for raw in self.rfile:
            line = raw.rstrip(b"\r\n")
            if in_data:
                if line == b".":
                    in_data = False
                    self.wfile.write(b"250 queued\r\n")
                continue
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 sink\r\n")
            elif verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def start_sink() -> int:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SinkHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--smtp", action="store_true", help="Send over SMTP to a local sink.")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="municipia-newsletter-"))
    configure_django(workdir / "bench.sqlite3")
    from django.conf import settings
    from django.core import mail as django_mail
    from django.core.management import call_command
    from django.utils import timezone

    if args.smtp:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", start_sink()
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    else:
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    django_mail.outbox = []

    call_command("migrate", verbosity=0)
    from municipia.organizations.models import Organization
    from municipia.partnerships import mail
    from municipia.partnerships.models import NewsPost, Subscription

    now = timezone.now()
    council = Organization.objects.create(kind="municipality", name_en="Benchmark council", slug="bench")
    NewsPost.objects.bulk_create(
        NewsPost(
            organization=council,
            slug=f"post-{i}",
            title_en=f"News {i}",
            summary_en="What happened, in two lines." * 3,
            status="published",
            publish_at=now - timedelta(hours=1, minutes=i),
        )
        for i in range(args.posts)
    )
    since = now - timedelta(days=1)
    started = time.perf_counter()
    for start in range(0, args.subscribers, 5000):
        Subscription.objects.bulk_create(
            Subscription(email=f"reader{i}@example.org", language="en", scope="site", confirmed_at=since,
                         last_sent_at=since)
            for i in range(start, min(start + 5000, args.subscribers))
        )  # fmt: skip
    print(f"{args.subscribers:,} subscriptions written in {time.perf_counter() - started:.1f} s")

    peaks: list[float] = []

    def progress(run: mail.DigestRun) -> None:
        peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
        tracemalloc.reset_peak()
        django_mail.outbox = []  # the in-memory backend keeps every message otherwise

    tracemalloc.start()
    started = time.perf_counter()
    run = mail.send_news_digests(now=now, batch=args.batch, progress=progress)
    elapsed = time.perf_counter() - started
    tracemalloc.stop()
    started = time.perf_counter()
    again = mail.send_news_digests(now=now, batch=args.batch)
    second = time.perf_counter() - started
    backend = "SMTP sink" if args.smtp else "in-memory backend"
    print(f"{run.sent:,} digests of {run.posts} posts sent in {elapsed:.1f} s to the {backend}: "
          f"{run.sent / elapsed:,.0f} e-mails a second")  # fmt: skip
    if peaks:
        print(
            f"peak traced memory per batch of {args.batch}: first {peaks[0]:.1f} MiB, "
            f"median {sorted(peaks)[len(peaks) // 2]:.1f} MiB, last {peaks[-1]:.1f} MiB, max {max(peaks):.1f} MiB"
        )
    print(f"second run at the same moment: {again.sent} sent in {second:.1f} s")


if __name__ == "__main__":
    main()
