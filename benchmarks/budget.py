"""The planned-vs-executed page at the issue's scale (issue 12): 1,000 actions × 6 years × 5 sources.

    .venv/bin/python benchmarks/budget.py [--duration 15] [--warmup 3] [--clients 8] [--rebuild]

One command: builds (once) its own SQLite data set, benchmarks/data/budget.sqlite3 (git-ignored): a
published plan of 4 axes, 12 objectives and 1,000 actions, 5 funding sources (ERDF 80 %, two
recovery-plan components at 100 %, a regional grant at 50 %, own funds) with allocations for
2024–2029, 30,000 budget lines (one per action, year and source, shares split by the source's rate)
and 45,000 execution entries (commitments, recognised obligations and payments). Then it counts
the page's SQL queries at 10 and at 1,000 actions (they must be equal), starts gunicorn with the
benchmark settings like run.py, and measures with wrk at 8 clients, in the same run, the bare view
(/bench/bare/, one query, no template: the floor of Django on this machine) and the budget page
of an anonymous visitor and of a signed-in plain reader (each served whole from the page cache once
rendered: the readers' copy gets the reader's menu put back), page 7 of the per-action table sorted
by amount paid for that reader, and the page for an editor of the plan's council (never served
whole from the cache: the frame, with the editor's toolbar, is rendered per request around the
kept fragments of the tables). It prints p50/p95, throughput and the ratio to the bare view, the
load average, and one JSON line.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

from benchmarks import run  # noqa: E402

DB_PATH = BENCH_DIR / "data" / "budget.sqlite3"
ACTIONS = 1000
YEARS = range(2024, 2030)
SOURCES = (("ERDF", "erdf", 80), ("NGEU-C11", "ngeu", 100), ("NGEU-C15", "ngeu", 100), ("REG", "regional", 50))
PLAN_SLUG = "budget-benchmark-plan"
SMALL_SLUG = "budget-benchmark-small"
SEED = 20230530 + 12


def _plan(slug: str, actions: int, rng: random.Random) -> None:
    from municipia.organizations.models import Organization
    from municipia.portfolio.models import BudgetLine, ExecutionEntry, FundingSource, SourceAllocation
    from municipia.strategy.models import Action, Axis, Objective, Plan

    council = Organization.objects.create(name_en=f"Council of {slug}", slug=f"council-{slug}", kind="municipality")
    plan = Plan.objects.create(
        owner=council,
        title_en=f"Plan {slug}",
        slug=slug,
        period_start="2024-01-01",
        period_end="2029-12-31",
        is_published=True,
    )
    objectives = []
    for a in range(4):
        axis = Axis.objects.create(plan=plan, code=str(a + 1), title_en=f"Axis {a + 1}", position=a)
        objectives += [
            Objective.objects.create(axis=axis, code=f"{a + 1}.{o + 1}", title_en=f"Objective {a + 1}.{o + 1}")
            for o in range(3)
        ]
    Action.objects.bulk_create(
        Action(
            plan=plan,
            objective=objectives[i % len(objectives)],
            code=f"{objectives[i % len(objectives)].code}.{i + 1}",
            title_en=f"Action {i + 1} of the budget benchmark",
            status="in_progress",
            progress=rng.randrange(100),
        )
        for i in range(actions)
    )
    sources = [
        FundingSource.objects.create(
            plan=plan,
            code=code,
            title_en=code,
            kind=kind,
            cofinancing_rate=Decimal(rate),
            eligible_from=2024,
            eligible_to=2029,
            is_illustrative=True,
        )
        for code, kind, rate in SOURCES
    ]
    sources.append(
        FundingSource.objects.create(
            plan=plan, code="OWN", title_en="Own funds", kind="own", cofinancing_rate=Decimal(0), eligible_from=2024,
            eligible_to=2029, is_illustrative=True,
        )
    )  # fmt: skip
    SourceAllocation.objects.bulk_create(
        SourceAllocation(source=source, year=year, amount=Decimal(actions * 20000))
        for source in sources
        for year in YEARS
    )
    lines = []
    for action in Action.objects.filter(plan=plan):
        for source in sources:
            for year in YEARS:
                amount = Decimal(rng.randrange(1000, 30000))
                eu, own = source.split(amount)
                lines.append(
                    BudgetLine(
                        plan=plan, action=action, source=source, year=year, cost_category="services",
                        amount=amount, eu_share=eu, own_share=own,
                    )
                )  # fmt: skip
    BudgetLine.objects.bulk_create(lines, batch_size=2000)
    entries = []
    for line in BudgetLine.objects.filter(plan=plan).only("pk", "amount", "year"):
        for kind, share in (("committed", Decimal("0.9")), ("obligation", Decimal("0.6")), ("payment", Decimal("0.5"))):
            if rng.random() < 0.5:
                entries.append(
                    ExecutionEntry(
                        budget_line=line, kind=kind, date=f"{line.year}-06-30",
                        amount=(line.amount * share).quantize(Decimal("0.01")), reference=f"OP-{line.pk}-{kind}",
                    )
                )  # fmt: skip
    ExecutionEntry.objects.bulk_create(entries, batch_size=2000)


def build(env: dict) -> None:
    """The data set, in its own file: the product's migrations, then two plans written in bulk."""
    DB_PATH.parent.mkdir(exist_ok=True)
    DB_PATH.unlink(missing_ok=True)
    print(f"Building {DB_PATH} (migrate, then 1,000 actions, 30,000 budget lines) …", flush=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=REPO_DIR, env=env, check=True)
    subprocess.run([sys.executable, __file__, "fill"], cwd=REPO_DIR, env=env, check=True)


def fill() -> None:
    import django

    django.setup()
    from django.db import transaction

    rng = random.Random(SEED)
    with transaction.atomic():
        _plan(PLAN_SLUG, ACTIONS, rng)
        _plan(SMALL_SLUG, 10, rng)


def count_queries() -> None:
    """The page's queries for 10 and for 1,000 actions, on the benchmark's settings (printed as JSON)."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for slug in (SMALL_SLUG, PLAN_SLUG):
        client = Client()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/en/portfolio/plans/{slug}/budget/", HTTP_HOST="127.0.0.1").status_code == 200
        counts[slug] = len(queries)
    print("QUERIES-JSON " + json.dumps(counts))
    print("COOKIE " + run.signed_in_cookie())
    print("EDITOR-COOKIE " + editor_cookie())


def editor_cookie() -> str:
    """A session of an editor of the benchmark plan's council (a role: never shares the readers' copy)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model, load_backend

    from municipia.organizations.models import Role
    from municipia.strategy.models import Plan

    user, _created = get_user_model().objects.get_or_create(username="bench-budget-editor")
    owner = Plan.objects.get(slug=PLAN_SLUG).owner
    Role.objects.get_or_create(user=user, organization=owner, kind="editor")
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.set_expiry(24 * 3600)
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="measure", choices=["measure", "fill", "queries"])
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    if args.command == "fill":
        fill()
        return 0
    if args.command == "queries":
        count_queries()
        return 0
    env = run.server_env(DB_PATH)
    if args.rebuild or not DB_PATH.exists():
        build(env)
    run.collect_static(env)  # the pages need the hashed static files (DEBUG off)
    queries = subprocess.run(
        [sys.executable, __file__, "queries"], cwd=REPO_DIR, env=env, check=True, capture_output=True, text=True
    )
    counts = json.loads(next(line for line in queries.stdout.splitlines() if line.startswith("QUERIES-JSON "))[13:])
    print(f"SQL queries of the budget page: {counts[SMALL_SLUG]} at 10 actions, {counts[PLAN_SLUG]} at 1,000 actions")
    wrk = run.ensure_wrk()
    workers = args.workers or 2 * len(os.sched_getaffinity(0))
    port = run.free_port()
    log_path = Path(tempfile.gettempdir()) / "municipia-budget-benchmark.log"
    cookie = next(line for line in queries.stdout.splitlines() if line.startswith("COOKIE "))[7:]
    editor = next(line for line in queries.stdout.splitlines() if line.startswith("EDITOR-COOKIE "))[14:]
    page = f"/en/portfolio/plans/{PLAN_SLUG}/budget/"
    targets = [
        ("bare view", f"/bench/bare/?plan={PLAN_SLUG}"),
        ("budget page", page),
        # A plain reader: the readers' copy of the page, with the reader's menu put back.
        ("budget page, signed in", page),
        ("page 7 by paid, signed in", page + "?sort=paid&page=7"),
        # An editor: the frame rendered per request around the kept fragments.
        ("budget page, editor", page),
    ]
    for name, _path in targets[2:4]:
        run.TARGET_HEADERS[name] = {"Cookie": cookie}
    run.TARGET_HEADERS["budget page, editor"] = {"Cookie": editor}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script_file:
        script_file.write(run.WRK_SCRIPT)
    script = Path(script_file.name)
    server = run.start_server(env, port, workers, log_path)
    results = []
    try:
        run.wait_until_ready(server, port, targets[0][1], log_path)
        for name, path in targets:
            status, body, _type = run.get(port, path, run.TARGET_HEADERS.get(name))
            if status != 200:
                raise run.BenchmarkError(f"{name} ({path}) answered {status}")
            print(f"  {status}  {len(body):>8} B  {name}: {path}", flush=True)
        for name, path in targets:
            results.append(run.measure(wrk, script, server, port, name, path, args))
    finally:
        run.stop(server)
        script.unlink(missing_ok=True)
    bare = results[0]["throughput_rps"]
    for row in results:
        row["ratio_to_bare"] = row["throughput_rps"] / bare if bare else None
        print(
            f"{row['name']:<27} p50 {row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  "
            f"{row['throughput_rps']:7.1f} req/s  ratio to bare {row['ratio_to_bare']:.2f}  "
            f"server CPU {row['cpu_ms_per_request'] or 0:.1f} ms/req  (other programs used "
            f"{row['other_programs_cores']} cores meanwhile)"
        )
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(json.dumps({"benchmark": "portfolio-budget-page", "queries": counts, "workers": workers, "runs": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
