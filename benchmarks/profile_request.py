"""Explains where one request's time goes, on the benchmark's data set.

    .venv/bin/python benchmarks/profile_request.py /en/plans/<slug>/ [more paths …] [--top 25]

For each path: runs the request once to warm up, then once under the SQL recorder (the number of
queries, their total time and the slowest of them) and a few times under cProfile (the functions
where the time goes). In process, with the benchmark's settings (DEBUG off), anonymous visitor.
Run benchmarks/run.py once first: it builds the data set and collects the static files.
"""

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

from benchmarks.generate import DEFAULT_DB, configure_django  # noqa: E402


def profile_path(client, path: str, top: int, repeat: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(path)
    print(f"=== {path}  → {response.status_code}, {len(response.content)} B")
    if response.status_code != 200:
        return
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as recorded:
        client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    queries = recorded.captured_queries
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    print(f"{elapsed:.1f} ms in all, {len(queries)} queries taking {sql_ms:.1f} ms (the rest is Python)")
    for q in sorted(queries, key=lambda q: -float(q["time"]))[:5]:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    print(f"cProfile over {repeat} requests, by cumulative time:")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:8000])
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="Paths to profile, e.g. /en/actions/?search=fibre")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--top", type=int, default=25, help="Functions shown by cProfile.")
    parser.add_argument("--repeat", type=int, default=3, help="Requests profiled per path.")
    args = parser.parse_args()
    if not args.db.exists():
        parser.error(f"{args.db} is missing: run benchmarks/run.py (or generate.py) first.")
    configure_django(args.db.resolve(), "benchmarks.settings")
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for path in args.paths:
        profile_path(client, path, args.top, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
