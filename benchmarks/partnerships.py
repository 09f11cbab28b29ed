"""The registers of issue 13 at 100,000 entries each: news list, clarifications, agreements.

    .venv/bin/python benchmarks/partnerships.py [--rows 100000] [--duration 10] [--warmup 2] [--clients 8] [--rebuild]

One command: builds (once) its own SQLite data set, benchmarks/data/partnerships.sqlite3 (git-ignored):
`--rows` published news posts, `--rows` clarifications (95 % published) and `--rows` agreements
(90 % public, each with two parties), written in bulk after the product's migrations (run again on
every start, so an older data set gets new indexes). Then, in process, it counts each list's SQL
queries on its first page, a page in the middle and one near the end (reached by their keyset
bookmarks: they must be equal), and draws 1,000 bookmarks at random over each whole list (fixed
seed). It starts gunicorn with the benchmark settings like run.py (public page cache off,
PUBLIC_CACHE=0, so each figure is the cost of building a page) and measures with wrk at 8 clients,
in the same run, the bare view (/bench/bare/, one query, no template: the floor of Django on this
machine) and each list's first page and its deep pages (each request an `?older=` bookmark drawn at
random from the 1,000), for an anonymous reader and for a signed-in reader with no role. It prints
p50/p95, throughput, the ratio to the bare view and the load average as a table, and one JSON line.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

from benchmarks import run  # noqa: E402

DB_PATH = BENCH_DIR / "data" / "partnerships.sqlite3"
SEED = 20220726
PAGE_SIZE = 50
LISTS = {
    "news list": "/en/partnerships/news/",
    "clarifications": "/en/partnerships/clarifications/",
    "agreements": "/en/partnerships/agreements/",
}

# A deep page drawn at random over the whole list for every request (STYLE rule 21), and the figures.
RANDOM_BOOKMARKS = (
    """
math.randomseed(os.time())
paths = {{paths}}
request = function()
  return wrk.format("GET", wrk.path .. paths[math.random(#paths)])
end
"""
    + run.WRK_SCRIPT
)
KEYS = {"news list": "publish_at", "clarifications": "published_at", "agreements": "signed_on"}
BOOKMARKS = 1000


def fill(rows: int) -> None:
    import django

    django.setup()
    from django.db import transaction

    from municipia.organizations.models import Organization
    from municipia.partnerships.models import Agreement, Clarification, NewsPost

    rng = random.Random(SEED)
    start = datetime(2019, 1, 1, tzinfo=UTC)
    span = (datetime(2026, 11, 30, tzinfo=UTC) - start).total_seconds()

    def moment() -> datetime:
        return start + timedelta(seconds=rng.random() * span)

    with transaction.atomic():
        council = Organization.objects.create(name_en="Benchmark council", slug="bench-council", kind="municipality")
        partner = Organization.objects.create(name_en="Benchmark partner", slug="bench-partner", kind="partner")
        for first in range(0, rows, 5000):
            chunk = range(first, min(first + 5000, rows))
            NewsPost.objects.bulk_create(
                NewsPost(
                    organization=council,
                    slug=f"news-{i}",
                    title=f"News {i}: the council opens a new e-service",
                    title_en=f"News {i}: the council opens a new e-service",
                    summary_en="What changed, for whom, and from when, in two sentences. " * 2,
                    status="published",
                    publish_at=moment(),
                )
                for i in chunk
            )
            clarifications = []
            for i in chunk:
                published = rng.random() < 0.95
                when = moment()
                clarifications.append(
                    Clarification(
                        publisher=council,
                        slug=f"clarification-{i}",
                        title=f"Claim {i} about the e-services",
                        title_en=f"Claim {i} about the e-services",
                        claim_en="A claim that circulates about the council's services.",
                        verdict=rng.choice(["false", "misleading", "unproven", "partly_true", "true"]),
                        facts_en="What the records show.",
                        sources="https://example.org/source",
                        status="published" if published else "draft",
                        published_at=when if published else None,
                    )
                )
            Clarification.objects.bulk_create(clarifications)
            created = Agreement.objects.bulk_create(
                Agreement(
                    owner=council,
                    slug=f"agreement-{i}",
                    title=f"Memorandum {i}",
                    title_en=f"Memorandum {i}",
                    kind="memorandum",
                    signed_on=date(2015, 1, 1) + timedelta(days=rng.randrange(4000)),
                    is_public=rng.random() < 0.9,
                )
                for i in chunk
            )
            Agreement.parties.through.objects.bulk_create(
                Agreement.parties.through(agreement_id=a.pk, organization_id=org.pk)
                for a in created
                for org in (council, partner)
            )


def prepare(rows: int) -> None:
    """Each list's queries on its first, middle and last pages (the last two by bookmark), 1,000
    bookmarks drawn over each whole list and a signed-in reader's session (printed as JSON)."""
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from municipia.core.keyset import bookmark
    from municipia.partnerships.entities import AGREEMENT, CLARIFICATION, NEWS_POST

    entities = {"news list": NEWS_POST, "clarifications": CLARIFICATION, "agreements": AGREEMENT}
    rng = random.Random(SEED)
    counts: dict[str, list[int]] = {}
    bookmarks: dict[str, list[str]] = {}
    for name, path in LISTS.items():
        key = KEYS[name]
        listed = list(
            entities[name]
            .visible(AnonymousUser())
            .filter(**{f"{key}__isnull": False})
            .order_by(f"-{key}", "-id")
            .values_list("id", key)
        )

        def token(index: int, key: str = key, listed: list = listed) -> str:
            pk, value = listed[index]
            return bookmark(SimpleNamespace(pk=pk, **{key: value}), key)

        bookmarks[name] = [token(rng.randrange(len(listed) - PAGE_SIZE)) for _ in range(BOOKMARKS)]
        counts[name] = []
        for query in ("", f"?older={token(len(listed) // 2)}", f"?older={token(len(listed) - PAGE_SIZE - 1)}"):
            with CaptureQueriesContext(connection) as queries:
                status = Client().get(f"{path}{query}", HTTP_HOST="127.0.0.1").status_code
            assert status == 200, (path, query, status)
            counts[name].append(len(queries))
    print("PREPARE-JSON " + json.dumps({"queries": counts, "bookmarks": bookmarks, "cookie": run.signed_in_cookie()}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="measure", choices=["measure", "fill", "prepare"])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    if args.command == "fill":
        fill(args.rows)
        return 0
    if args.command == "prepare":
        prepare(args.rows)
        return 0
    env = run.server_env(DB_PATH)
    env["PUBLIC_CACHE"] = "0"  # the cost of rendering each page, not of the whole-page cache
    if args.rebuild or not DB_PATH.exists():
        DB_PATH.parent.mkdir(exist_ok=True)
        DB_PATH.unlink(missing_ok=True)
        print(f"Building {DB_PATH}: migrate, then {args.rows:,} entries in each register …", flush=True)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=REPO_DIR, env=env, check=True
        )
        subprocess.run([sys.executable, __file__, "fill", "--rows", str(args.rows)], cwd=REPO_DIR, env=env, check=True)
    else:  # an older data set gets the indexes of later migrations
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=REPO_DIR, env=env, check=True
        )
    run.collect_static(env)
    prepared = subprocess.run(
        [sys.executable, __file__, "prepare", "--rows", str(args.rows)],
        cwd=REPO_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(line for line in prepared.stdout.splitlines() if line.startswith("PREPARE-JSON "))
    data = json.loads(line.removeprefix("PREPARE-JSON "))
    counts = data["queries"]
    for name, (first, middle, last) in counts.items():
        print(f"SQL queries of the {name}: {first} on the first page, {middle} in the middle, {last} near the end")
    wrk = run.ensure_wrk()
    workers = args.workers or 2 * len(os.sched_getaffinity(0))
    port = run.free_port()
    log_path = Path(tempfile.gettempdir()) / "municipia-partnerships-benchmark.log"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as bare_file:
        bare_file.write(run.WRK_SCRIPT)
    targets = [("bare view", "/bench/bare/?plan=none", Path(bare_file.name))]
    for name, path in LISTS.items():
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as random_file:
            paths = ", ".join(f'"?older={token}"' for token in data["bookmarks"][name])
            random_file.write(RANDOM_BOOKMARKS.replace("{paths}", paths))
        for reader in ("", run.SIGNED_IN):
            targets.append((f"{name}, first page{reader}", path, Path(bare_file.name)))
            targets.append((f"{name}, deep pages{reader}", path, Path(random_file.name)))
    for name, _path, _script in targets:
        if name.endswith(run.SIGNED_IN):
            run.TARGET_HEADERS[name] = {"Cookie": data["cookie"]}
    load_before = os.getloadavg()
    server = run.start_server(env, port, workers, log_path)
    results = []
    try:
        run.wait_until_ready(server, port, targets[0][1], log_path)
        for name, path, _script in targets:
            status, body, _type = run.get(port, path)
            if status != 200:
                raise run.BenchmarkError(f"{name} ({path}) answered {status}")
            print(f"  {status}  {len(body):>8} B  {name}: {path}", flush=True)
        for name, path, script in targets:
            try:
                row = run.measure(wrk, script, server, port, name, path, args)
            except run.BenchmarkError as exc:  # said plainly, and the other lists are still measured
                print(f"{name}: NOT MEASURED: {exc}", flush=True)
                continue
            print(f"{name}: p50 {row['p50_ms']:.1f} ms, p95 {row['p95_ms']:.1f} ms", flush=True)
            results.append(row)
    finally:
        run.stop(server)
        for script in {script for _name, _path, script in targets}:
            script.unlink(missing_ok=True)
    load_after = os.getloadavg()
    bare = results[0]["throughput_rps"]
    for row in results:
        row["ratio_to_bare"] = row["throughput_rps"] / bare if bare else None
        print(
            f"{row['name']:<38} p50 {row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  "
            f"{row['throughput_rps']:7.1f} req/s  ratio to bare {row['ratio_to_bare']:.2f}  "
            f"server CPU {row['cpu_ms_per_request'] or 0:.1f} ms/req  (other programs used "
            f"{row['other_programs_cores']} cores meanwhile)"
        )
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min)")
    summary = {
        "benchmark": "partnerships-registers",
        "rows": args.rows,
        "queries": counts,
        "workers": workers,
        "load_average": [load_before[0], load_after[0]],
        "runs": results,
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
