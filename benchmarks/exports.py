"""The 100,000-action CSV export of issue 4 ("Speed"): throughput and peak memory, next to a bare loop.

    .venv/bin/python benchmarks/exports.py [--db benchmarks/data/country.sqlite3] [--rows 100000]

On the country data set (benchmarks/generate.py builds it), exports every action (100,000) with
the product's code path (`reports.selectors.action_records` → `core.exports.csv_lines`, the code
behind /<lang>/reports/plans/<slug>/export.csv, over all plans at once) and, as the reference, a
bare `csv.writer` loop over a raw cursor reading the same columns (English only, no councils, no
neutralisation). Both write to a sink that only counts bytes. Each is run twice: once timed
(tracemalloc off) for rows/s, once under tracemalloc for the peak of Python allocations; the
product path is also measured on a tenth of the rows to show the peak does not grow with them.
Prints a table and a Markdown row for the README. Read-only: the data set is not changed.
"""

import argparse
import csv
import resource
import sys
import time
import tracemalloc
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

from benchmarks.generate import DEFAULT_DB, configure_django  # noqa: E402

BARE_SQL = """
SELECT p.slug, p.title_en, x.code, x.title_en, o.code, o.title_en, a.code, a.title_en, a.status, a.progress,
       a.start_date, a.end_date, a.budget, d.name_en
FROM strategy_action a
JOIN strategy_plan p ON p.id = a.plan_id
JOIN strategy_objective o ON o.id = a.objective_id
JOIN strategy_axis x ON x.id = o.axis_id
LEFT JOIN organizations_department d ON d.id = a.owner_department_id
ORDER BY a.plan_id, x.position, x.code, o.code, a.code, a.id
LIMIT %s
"""


class Sink:
    """Counts what would be sent to the client."""

    def __init__(self) -> None:
        self.bytes = 0

    def write(self, text: str) -> None:
        self.bytes += len(text.encode("utf-8"))


def product_export(rows: int) -> tuple[int, int]:
    from municipia.core.exports import csv_lines
    from municipia.reports.documents import action_headers
    from municipia.reports.selectors import action_cells, action_records
    from municipia.strategy.models import Action

    actions = Action.objects.filter(pk__in=Action.objects.order_by("id").values("id")[:rows])
    sink = Sink()
    count = -1  # the header line
    for line in csv_lines(action_headers(), (action_cells(record) for record in action_records(actions))):
        sink.write(line)
        count += 1
    return count, sink.bytes


def bare_export(rows: int) -> tuple[int, int]:
    from django.db import connection

    sink = Sink()
    writer = csv.writer(sink)
    count = 0
    with connection.cursor() as cursor:
        cursor.execute(BARE_SQL, [rows])
        while batch := cursor.fetchmany(2000):
            for row in batch:
                writer.writerow(row)
                count += 1
    return count, sink.bytes


def measure(function, rows: int) -> dict:
    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    count, size = function(rows)
    seconds = time.perf_counter() - started
    rss_growth_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start_rss
    tracemalloc.start()
    function(rows)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"rows": count, "bytes": size, "seconds": seconds, "peak": peak, "rss_growth_kib": rss_growth_kib}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"No data set at {args.db}: run benchmarks/generate.py first.", file=sys.stderr)
        return 1
    configure_django(args.db)
    from django.utils import translation

    translation.activate("en")
    # The bare loop first, so the product run does not profit from a warmer page cache alone.
    bare_export(1000)
    bare = measure(bare_export, args.rows)
    product = measure(product_export, args.rows)
    tenth = measure(product_export, args.rows // 10)
    print(f"{'path':<28}{'rows':>9}{'MB out':>9}{'s':>8}{'rows/s':>10}{'peak MiB':>10}{'maxrss +KiB':>13}")
    for name, result in (
        ("bare csv.writer (raw SQL)", bare),
        ("product export", product),
        ("product, 1/10 rows", tenth),
    ):
        print(
            f"{name:<28}{result['rows']:>9}{result['bytes'] / 1e6:>9.1f}{result['seconds']:>8.2f}"
            f"{result['rows'] / result['seconds']:>10.0f}{result['peak'] / 2**20:>10.2f}{result['rss_growth_kib']:>13}"
        )
    ratio = (product["rows"] / product["seconds"]) / (bare["rows"] / bare["seconds"])
    print()
    print("| CSV export, 100,000 actions | rows/s (product / bare) | ratio | peak Python memory (product / bare) |")
    print(
        f"| {product['rows']:,} rows, {product['bytes'] / 1e6:.1f} MB | "
        f"{product['rows'] / product['seconds']:,.0f} / {bare['rows'] / bare['seconds']:,.0f} | {ratio:.2f} | "
        f"{product['peak'] / 2**20:.1f} MiB / {bare['peak'] / 2**20:.1f} MiB "
        f"({tenth['peak'] / 2**20:.1f} MiB for a tenth of the rows) |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
