"""The newsletter's sending benchmark (issue 13, "Speed"): news digests to many subscribers.

    .venv/bin/python benchmarks/newsletter.py [--subscribers 10000 100000] [--posts 20] [--batch 500]
                                              [--locmem] [--tracemalloc] [--every 20]
                                              [--sqlite-cache-mib 2]

For each number of subscribers, in a fresh process and a fresh SQLite database in a temporary
directory (migrate, one council, `--posts` news posts published in the last day, that many
confirmed subscriptions to the site's news written with bulk_create), it queues a newsletter send
and runs it as the worker does (`partnerships.tasks.send_newsletter` → `mail.run_newsletter_send`:
keyset batches of `--batch`, one SMTP connection and one commit a batch, the digest rendered once
per language, scope and set of posts, the send's counts written after each batch), over SMTP to a
local sink that accepts and discards every message (a separate process on a free local port, so it
takes no time from the sender's interpreter). It prints the throughput
(e-mails a second) and the resident memory (RSS) of the sending process after every batch —
first, median, last and max, which must stay flat whatever the number of subscribers, and every
`--every` batches as it goes — and, with `--tracemalloc`, the traced Python memory now and its peak
per batch (slower: tracing costs time). The
second send at the same moment must send nothing (idempotence): it is timed too. `--locmem`
sends to Django's in-memory backend instead of SMTP (emptied per batch).
"""

import argparse
import multiprocessing
import os
import socketserver
import subprocess
import sys
import tempfile
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


def _serve_sink(ready) -> None:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SinkHandler)
    server.daemon_threads = True
    ready.send(server.server_address[1])
    server.serve_forever()


def start_sink() -> tuple[int, multiprocessing.Process]:
    """The SMTP sink in its own process; returns its port and the process (stopped at the end)."""
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.Process(target=_serve_sink, args=(child,), daemon=True)
    process.start()
    return parent.recv(), process


def rss_mib() -> float:
    """The resident memory of this process now, from /proc (Linux)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def rss_parts() -> str:
    """RSS split as the kernel counts it: anonymous (heaps: Python's and SQLite's page cache) and
    file-backed (shared libraries, and the SQLite file's pages mapped by `PRAGMA mmap_size`)."""
    parts = {}
    with open("/proc/self/status") as status:
        for line in status:
            name, _sep, value = line.partition(":")
            if name in ("RssAnon", "RssFile"):
                parts[name] = int(value.split()[0]) / 1024
    return f"anonymous {parts.get('RssAnon', 0):.1f} MiB, file {parts.get('RssFile', 0):.1f} MiB"


def one(args) -> None:
    """One size, in this process."""
    workdir = Path(tempfile.mkdtemp(prefix="municipia-newsletter-"))
    configure_django(workdir / "bench.sqlite3")
    from django.conf import settings
    from django.core import mail as django_mail
    from django.core.management import call_command
    from django.utils import timezone

    sink = None
    if args.locmem:
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    else:
        port, sink = start_sink()
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    django_mail.outbox = []

    if args.sqlite_cache_mib is not None:
        # The product's SQLite settings give each connection a page cache of up to 62.5 MiB and map
        # up to 256 MiB of the file: both fill as the send touches more of a growing database, and
        # count in RSS. With a small cache and no mapping, what remains is the sender's own memory.
        from django.db.backends.signals import connection_created

        def small_cache(sender, connection, **kwargs) -> None:
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute(f"PRAGMA cache_size=-{args.sqlite_cache_mib * 1024}")
                    cursor.execute("PRAGMA mmap_size=0")

        connection_created.connect(small_cache, weak=False)
    call_command("migrate", verbosity=0)
    from municipia.organizations.models import Organization
    from municipia.partnerships import mail
    from municipia.partnerships.models import NewsletterSend, NewsPost, Subscription

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
    print(f"{args.subscribers:,} subscriptions written in {time.perf_counter() - started:.1f} s", flush=True)

    rss: list[float] = []
    peaks: list[float] = []

    def on_batch(run: mail.DigestRun) -> None:
        django_mail.outbox = []  # the in-memory backend keeps every message otherwise
        rss.append(rss_mib())
        line = f"batch {len(rss)}: {run.sent:,} sent, RSS {rss[-1]:.1f} MiB ({rss_parts()})"
        if args.tracemalloc:
            current, peak = tracemalloc.get_traced_memory()
            peaks.append(peak / 2**20)
            tracemalloc.reset_peak()
            line += f", traced now {current / 2**20:.2f} MiB, peak {peak / 2**20:.2f} MiB"
        if args.every and (len(rss) == 1 or len(rss) % args.every == 0):
            print(line, flush=True)

    if args.tracemalloc:
        tracemalloc.start()
    load = os.getloadavg()[0]
    started = time.perf_counter()
    send = mail.run_newsletter_send(NewsletterSend.objects.create(), now=now, batch=args.batch, on_batch=on_batch)
    elapsed = time.perf_counter() - started
    if args.tracemalloc:
        tracemalloc.stop()
    started = time.perf_counter()
    again = mail.run_newsletter_send(NewsletterSend.objects.create(), now=now, batch=args.batch)
    second = time.perf_counter() - started
    backend = "in-memory backend" if args.locmem else "SMTP sink"
    print(
        f"{send.sent:,} digests of {send.posts} posts sent in {elapsed:.1f} s to the {backend} "
        f"({send.failed} failed, state {send.state}): {send.sent / elapsed:,.0f} e-mails a second "
        f"(load average {load:.2f} at the start, {os.getloadavg()[0]:.2f} at the end)"
    )
    median = sorted(rss)[len(rss) // 2]
    print(
        f"RSS after each of {len(rss)} batches of {args.batch}: first {rss[0]:.1f} MiB, median {median:.1f} MiB, "
        f"last {rss[-1]:.1f} MiB, max {max(rss):.1f} MiB"
    )
    if peaks:
        print(
            f"peak traced memory per batch: first {peaks[0]:.1f} MiB, median {sorted(peaks)[len(peaks) // 2]:.1f} MiB, "
            f"last {peaks[-1]:.1f} MiB, max {max(peaks):.1f} MiB"
        )
    print(f"second send at the same moment: {again.sent} sent in {second:.1f} s")
    if sink is not None:
        sink.terminate()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--locmem", action="store_true", help="Send to the in-memory backend, not SMTP.")
    parser.add_argument("--tracemalloc", action="store_true", help="Also trace Python memory (slower).")
    parser.add_argument(
        "--sqlite-cache-mib", type=int, default=None, help="SQLite page cache a connection, no mmap (default: settings)"
    )
    parser.add_argument("--every", type=int, default=20, help="Print RSS every that many batches (0: never).")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        args.subscribers = args.subscribers[0]
        one(args)
        return
    for count in args.subscribers:
        print(f"--- {count:,} subscribers", flush=True)
        command = [sys.executable, __file__, "--one", "--subscribers", str(count), "--posts", str(args.posts)]
        command += ["--batch", str(args.batch), "--every", str(args.every)] + (["--locmem"] if args.locmem else [])
        command += ["--tracemalloc"] if args.tracemalloc else []
        if args.sqlite_cache_mib is not None:
            command += ["--sqlite-cache-mib", str(args.sqlite_cache_mib)]
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
