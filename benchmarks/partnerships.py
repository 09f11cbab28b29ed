"""The registers of issue 13 at 100,000 entries each: news list, clarifications, agreements.

    .venv/bin/python benchmarks/partnerships.py [--rows 100000] [--duration 15] [--warmup 3] [--clients 8] [--rebuild]

One command: builds (once) its own SQLite data set, benchmarks/data/partnerships.sqlite3 (git-ignored):
`--rows` published news posts, `--rows` clarifications (95 % published) and `--rows` agreements
(90 % public, each with two parties), written in bulk after the product's migrations. Then it
counts each list page's SQL queries on its first, middle and last page (they must be equal: the
page size is fixed and the lists read a page through their ordering's index), starts gunicorn with
the benchmark settings like run.py, and measures with wrk at 8 clients, in the same run, the bare
view (/bench/bare/, one query, no template: the floor of Django on this machine) and each list
for an anonymous reader, every request asking for a page drawn at random over the whole list
(`?page=1…rows/50`), with the whole-page public cache off (PUBLIC_CACHE=0), so each figure is the
cost of rendering a page. It prints p50/p95, throughput and the ratio to the bare view, the load
average, and one JSON line.
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

# A page drawn at random over the whole list for every request (STYLE rule 21), and the figures.
RANDOM_PAGES = (
    """
math.randomseed(os.time())
request = function()
  return wrk.format("GET", wrk.path .. "?page=" .. math.random(1, {pages}))
end
"""
    + run.WRK_SCRIPT
)


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


def count_queries(rows: int) -> None:
    """Each list's queries on its first, middle and last page (printed as JSON)."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    last = max(1, -(-rows // PAGE_SIZE))
    counts: dict[str, list[int]] = {}
    for name, path in LISTS.items():
        counts[name] = []
        for page in (1, last // 2 or 1, last):
            with CaptureQueriesContext(connection) as queries:
                status = Client().get(f"{path}?page={page}", HTTP_HOST="127.0.0.1").status_code
            assert status == 200, (path, page, status)
            counts[name].append(len(queries))
    print("QUERIES-JSON " + json.dumps(counts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="measure", choices=["measure", "fill", "queries"])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    if args.command == "fill":
        fill(args.rows)
        return 0
    if args.command == "queries":
        count_queries(args.rows)
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
    run.collect_static(env)
    queries = subprocess.run(
        [sys.executable, __file__, "queries", "--rows", str(args.rows)],
        cwd=REPO_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    counts = json.loads(next(line for line in queries.stdout.splitlines() if line.startswith("QUERIES-JSON "))[13:])
    for name, (first, middle, last) in counts.items():
        print(f"SQL queries of the {name}: {first} on the first page, {middle} in the middle, {last} on the last")
    wrk = run.ensure_wrk()
    workers = args.workers or 2 * len(os.sched_getaffinity(0))
    port = run.free_port()
    log_path = Path(tempfile.gettempdir()) / "municipia-partnerships-benchmark.log"
    pages = max(1, -(-args.rows // PAGE_SIZE))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as bare_file:
        bare_file.write(run.WRK_SCRIPT)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as random_file:
        random_file.write(RANDOM_PAGES.replace("{pages}", str(pages)))
    targets = [("bare view", "/bench/bare/?plan=none", Path(bare_file.name))]
    targets += [(name, path, Path(random_file.name)) for name, path in LISTS.items()]
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
        for _name, _path, script in targets:
            script.unlink(missing_ok=True)
    load_after = os.getloadavg()
    bare = results[0]["throughput_rps"]
    for row in results:
        row["ratio_to_bare"] = row["throughput_rps"] / bare if bare else None
        print(
            f"{row['name']:<15} p50 {row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  "
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
