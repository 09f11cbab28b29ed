"""Issue 4's indicator figures: importing 1,000,000 observations next to a bare executemany, and the plan
dashboard and benchmarking page of the 947-council network, computed cold and from the status cache.

    .venv/bin/python benchmarks/indicators.py [--rows 1000000] [--db PATH]   # import benchmark, then pages
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/indicators.py [--rows N]
    .venv/bin/python benchmarks/indicators.py pages [--db PATH]                # the in-process page figures
    .venv/bin/python benchmarks/indicators.py fill [--db PATH]                 # only the data (generate/run.py)

**Data.** On the country data set (benchmarks/generate.py; SQLite, the default) or on the database
DATABASE_URL names (PostgreSQL: a fresh database gets `migrate`, `load_municipalities` and the
generator's 20 networks first): 500 indicators, 25 shared by each network (codes `N09-01`…), with a
general baseline (2020) and yearly targets (2024–2027), linked to the objectives and actions of the
network's plan in execution. The observations file, `benchmarks/data/observations-<rows>.csv`, is
written once with a fixed seed: for each network (the 947-council one first), indicator and member,
the values of 31 December 2020–2025 (some members stop in 2023, a few report nothing), members named
by `ES:<INE code>` / `BG:<code>`, until `--rows` rows.

**Import benchmark.** Each measured step runs in its own process (so its peak memory is its own),
on an emptied observations table (SQLite: DELETE and VACUUM; PostgreSQL: TRUNCATE):

1. bare: the rows, already resolved to ids and prepared for the driver outside the timing, written by
   one `cursor.executemany` of the product's INSERT in one transaction;
2. product: `services.observations_import` on the file's bytes — the function behind
   `manage.py import_observations`, the upload page and the API: read, check every row (codes, dates,
   numbers, permissions, duplicates), write, all or nothing, committed.

It prints rows/s of both and their ratio (goal ≥ 0.5), also per CPU second of the importing process
(on SQLite that includes the database's work, and hardly depends on what else the machine runs).
3. memory: the product import once more under tracemalloc (slower, untimed): the peak of what Python
   allocates while importing, which does not grow with the file (rows are checked and written as
   they are read). `--no-memory` skips it.

The product's observations stay in the database for the pages below and for `run.py`.

**Pages** (in process, benchmark settings, page cache off, Django's test client, signed in as a user
with no role): the SQL queries and time of the plan dashboard of the 947-council network's plan and
of the benchmarking page of one of its indicators: cold (status cache emptied before each run:
the computation from the observations) and warm (the cached status), median of several runs.
The load figures (gunicorn + wrk, anonymous and signed in, next to the bare view) come from
`benchmarks/run.py --only indicator`.
"""

import argparse
import csv
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import date
from decimal import Decimal
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

from benchmarks.generate import DEFAULT_DB, formatted, texts  # noqa: E402

SEED = 20261123
DATA_DIR = BENCH_DIR / "data"
INDICATORS_PER_NETWORK = 25
YEARS = range(2020, 2026)
NETWORK_SIZE = 947  # the network the pages are measured on (Catalonia's 947 councils)
JSON_PREFIX = "INDICATORS-JSON "
HEADER = ["indicator", "organization", "date", "value", "source", "note"]

INDICATOR_NAMES = [
    (
        "Procedures that can be completed online",
        "Trámites que se pueden completar en línea",
        "Tràmits que es poden completar en línia",
        "Процедури, които могат да се извършат онлайн",
        "%",
    ),
    (
        "Homes with fibre broadband",
        "Hogares con banda ancha de fibra",
        "Llars amb banda ampla de fibra",
        "Домакинства с оптичен интернет",
        "%",
    ),
    (
        "Average days to answer a request",
        "Días de media para responder una solicitud",
        "Dies de mitjana per respondre una sol·licitud",
        "Среден брой дни за отговор на заявление",
        "days",
    ),
    (
        "Residents with digital skills training",
        "Residentes formados en competencias digitales",
        "Residents formats en competències digitals",
        "Жители, обучени в цифрови умения",
        "%",
    ),
    (
        "Open data sets published",
        "Conjuntos de datos abiertos publicados",
        "Conjunts de dades obertes publicats",
        "Публикувани набори от отворени данни",
        "",
    ),
]


# --- Setting up Django


def configure(db_path: Path | None) -> str:
    """Points Django at DATABASE_URL when set (and no --db), else at the SQLite data set; returns the URL."""
    url = os.environ.get("DATABASE_URL") if db_path is None else None
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "pgsql://")):
        url = os.environ["DATABASE_URL"]  # a PostgreSQL data set (generate.py) wins over the SQLite --db
    if not url:
        url = f"sqlite:///{(db_path or DEFAULT_DB).resolve()}"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    os.environ.setdefault("SECRET_KEY", "municipia-benchmark-only-not-a-secret")
    os.environ.setdefault("HTTPS", "0")
    os.environ.pop("MUNICIPIA_TESTING", None)
    import django

    django.setup()
    return url


def is_sqlite() -> bool:
    from django.db import connection

    return connection.vendor == "sqlite"


# --- Data: networks, indicators, the observations file


def ensure_base() -> None:
    """Migrations, the municipalities and the generator's networks, when the database lacks them."""
    from django.core.management import call_command

    from benchmarks.generate import fill_networks
    from municipia.organizations.choices import OrganizationKind
    from municipia.organizations.models import Organization

    call_command("migrate", interactive=False, verbosity=0)
    if not Organization.objects.filter(kind=OrganizationKind.MUNICIPALITY).exists():
        print("Loading the municipalities (product command) …", flush=True)
        call_command("load_municipalities", verbosity=0)
    if not Organization.objects.filter(kind=OrganizationKind.NETWORK, slug__startswith="bench-network-").exists():
        print("Adding the data set's 20 networks …", flush=True)
        municipalities = list(
            Organization.objects.filter(kind=OrganizationKind.MUNICIPALITY)
            .order_by("country", "official_code")
            .values("id", "name", "slug", "country", "region", "region_code")
        )
        by_region: dict[tuple[str, str], list[dict]] = {}
        for row in municipalities:
            by_region.setdefault((row["country"], row["region_code"]), []).append(row)
        fill_networks(municipalities, by_region)


def networks_in_order() -> list[tuple[int, str, list[tuple[int, str]]]]:
    """(network id, slug, [(member id, file token)]): the 947-council network first, then by size."""
    from municipia.organizations.models import NetworkMembership

    members: dict[int, list[tuple[int, str]]] = {}
    slugs: dict[int, str] = {}
    rows = (
        NetworkMembership.objects.filter(network__slug__startswith="bench-network-")
        .order_by("network_id", "member__country", "member__official_code")
        .values_list("network_id", "network__slug", "member_id", "member__country", "member__official_code")
    )
    for network_id, slug, member_id, country, code in rows:
        slugs[network_id] = slug
        members.setdefault(network_id, []).append((member_id, f"{country}:{code}"))
    ordered = sorted(members, key=lambda n: (len(members[n]) != NETWORK_SIZE, -len(members[n]), slugs[n]))
    return [(n, slugs[n], members[n]) for n in ordered]


def indicator_code(slug: str, k: int) -> str:
    return f"N{int(slug.rsplit('-', 1)[1]):02d}-{k:02d}"


def ensure_indicators() -> int:
    """500 indicators, 25 per network, with a baseline, targets and links to the network's plan (once)."""
    from django.db import transaction

    from municipia.indicators.choices import Direction, Frequency
    from municipia.indicators.models import Baseline, Indicator, Target
    from municipia.strategy.choices import PlanStatus
    from municipia.strategy.models import Action, Objective, Plan

    networks = networks_in_order()
    codes = [indicator_code(slug, k) for _n, slug, _m in networks for k in range(1, INDICATORS_PER_NETWORK + 1)]
    if Indicator.objects.filter(code__in=codes).count() == len(codes):
        return len(codes)
    rng = random.Random(SEED)
    with transaction.atomic():
        Indicator.objects.filter(code__in=codes).delete()
        indicators = []
        for network_id, slug, _members in networks:
            for k in range(1, INDICATORS_PER_NETWORK + 1):
                *names, unit = INDICATOR_NAMES[(k - 1) % len(INDICATOR_NAMES)]
                names = formatted(tuple(f"{name} ({{k}})" for name in names), k=k)
                indicators.append(
                    Indicator(
                        code=indicator_code(slug, k),
                        owner_organization_id=network_id,
                        unit=unit,
                        direction=Direction.LOWER if unit == "days" else Direction.HIGHER,
                        frequency=Frequency.YEARLY,
                        is_public=True,
                        **texts("name", names),
                    )
                )
        Indicator.objects.bulk_create(indicators, batch_size=500)
        by_code = dict(Indicator.objects.filter(code__in=codes).values_list("code", "id"))
        baselines, targets, objective_links, action_links = [], [], [], []
        for network_id, slug, _members in networks:
            plan = (
                Plan.objects.filter(owner_id=network_id, status=PlanStatus.IN_EXECUTION, is_published=True)
                .order_by("period_start", "id")
                .first()
            )
            objectives = list(Objective.objects.filter(axis__plan=plan).order_by("code").values_list("id", flat=True))
            actions = list(Action.objects.filter(plan=plan).order_by("code").values_list("id", flat=True))
            for k in range(1, INDICATORS_PER_NETWORK + 1):
                indicator_id = by_code[indicator_code(slug, k)]
                lower = INDICATOR_NAMES[(k - 1) % len(INDICATOR_NAMES)][-1] == "days"
                level = rng.uniform(20, 60)
                baselines.append(
                    Baseline(indicator_id=indicator_id, date=date(2020, 12, 31), value=Decimal(f"{level:.2f}"))
                )
                for year in range(2024, 2028):
                    change = 1 + 0.08 * (year - 2020)
                    goal = level / change if lower else min(level * change, 100)
                    targets.append(Target(indicator_id=indicator_id, year=year, value=Decimal(f"{goal:.2f}")))
                if objectives:
                    objective_links.append((indicator_id, objectives[(k - 1) % len(objectives)]))
                if actions and k % 2:
                    action_links.append((indicator_id, actions[(k - 1) % len(actions)]))
        Baseline.objects.bulk_create(baselines, batch_size=500)
        Target.objects.bulk_create(targets, batch_size=500)
        Indicator.objectives.through.objects.bulk_create(
            [Indicator.objectives.through(indicator_id=i, objective_id=o) for i, o in objective_links]
        )
        Indicator.actions.through.objects.bulk_create(
            [Indicator.actions.through(indicator_id=i, action_id=a) for i, a in action_links]
        )
    print(f"  {len(codes)} indicators, {len(baselines)} baselines, {len(targets)} targets", flush=True)
    return len(codes)


def observation_rows(limit: int):
    """The file's rows, deterministically: (code, organisation token, date, value, source, note)."""
    rng = random.Random(SEED + 1)
    count = 0
    for _network_id, slug, members in networks_in_order():
        for k in range(1, INDICATORS_PER_NETWORK + 1):
            code = indicator_code(slug, k)
            lower = INDICATOR_NAMES[(k - 1) % len(INDICATOR_NAMES)][-1] == "days"
            level = rng.uniform(20, 60)
            for _member_id, token in members:
                luck = rng.random()
                if luck < 0.03:
                    continue  # reports nothing
                last = 2023 if luck < 0.11 else YEARS[-1]  # some stopped reporting: stale
                start = level * rng.uniform(0.6, 1.4)
                pace = rng.uniform(-0.04, 0.14) * (-1 if lower else 1)
                for year in YEARS:
                    if year > last:
                        break
                    value = max(start * (1 + pace * (year - 2020)) + rng.uniform(-2, 2), 0)
                    yield (code, token, f"{year}-12-31", f"{value:.2f}", "Municipal register" if k == 1 else "", "")
                    count += 1
                    if count >= limit:
                        return


def csv_file(rows: int) -> Path:
    """The observations file of `rows` rows, written once (fixed seed)."""
    path = DATA_DIR / f"observations-{rows}.csv"
    if path.exists():
        return path
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        written = 0
        for row in observation_rows(rows):
            writer.writerow(row)
            written += 1
    os.replace(partial, path)
    if written < rows:
        print(f"  note: the data set gives {written:,} rows, fewer than {rows:,}", flush=True)
    return path


def empty_observations() -> None:
    """An empty observations table (and no import records), as if new."""
    from django.db import connection

    from municipia.indicators.models import Observation, ObservationImport

    table = connection.ops.quote_name(Observation._meta.db_table)
    with connection.cursor() as cursor:
        if is_sqlite():
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our table
        else:
            cursor.execute(f"TRUNCATE {table}")  # noqa: S608 - our table
    ObservationImport.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM" if is_sqlite() else f"VACUUM ANALYZE {table}")


def has_observations() -> bool:
    from municipia.indicators.models import Observation

    return Observation.objects.exists()


def fill(rows: int) -> None:
    """The indicators and their observations, imported through the product (for run.py and generate.py)."""
    from municipia.indicators import services

    ensure_base()
    ensure_indicators()
    if has_observations():
        return
    path = csv_file(rows)
    started = time.perf_counter()
    outcome = services.observations_import(acting_user=None, name=path.name, content=path.read_bytes())
    if not outcome.ok:
        raise SystemExit(f"The observations file was refused: {outcome.check.errors[:5]}")
    print(f"  {outcome.created:,} observations imported in {time.perf_counter() - started:.1f} s", flush=True)


# --- The two measured steps, each in its own process


def step_bare(path: Path) -> dict:
    """executemany of the product's INSERT with the file's rows, resolved and prepared beforehand (untimed)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from municipia.indicators.models import Indicator, Observation
    from municipia.indicators.services import INSERT_COLUMNS
    from municipia.organizations.models import Organization

    indicators = dict(Indicator.objects.values_list("code", "id"))
    organizations = {
        f"{country}:{code}": pk
        for pk, country, code in Organization.objects.values_list("id", "country", "official_code")
    }
    date_field = Observation._meta.get_field("date")
    now = Observation._meta.get_field("created_at").get_db_prep_save(timezone.now(), connection)
    dates: dict[str, object] = {}
    rows = []
    with path.open(newline="", encoding="utf-8") as source:
        reader = csv.reader(source)
        next(reader)
        for code, token, day, value, note_source, note in reader:
            prepared = dates.get(day)
            if prepared is None:
                prepared = dates[day] = date_field.get_db_prep_save(date.fromisoformat(day), connection)
            rows.append(
                (indicators[code], organizations[token], prepared, Decimal(value), note_source, note, None, None, now)
            )
    fields = [Observation._meta.get_field(name).column for name in INSERT_COLUMNS]
    sql = (
        f"INSERT INTO {connection.ops.quote_name(Observation._meta.db_table)} "  # noqa: S608 - names from the model
        f"({', '.join(connection.ops.quote_name(f) for f in fields)}) VALUES ({', '.join(['%s'] * len(fields))})"
    )
    started, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"rows": len(rows), "seconds": seconds, "cpu_seconds": cpu}


def step_product(path: Path, traced: bool = False) -> dict:
    """The product's import of the file's bytes: check and write, all or nothing, committed.

    `traced`: under tracemalloc, for the peak of the memory Python allocates while importing
    (the file's bytes, read before, are not counted); slower, so not timed.
    """
    from municipia.indicators import services

    content = path.read_bytes()
    if traced:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    outcome = services.observations_import(acting_user=None, name=path.name, content=content)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1] if traced else None
    tracemalloc.stop()
    if not outcome.ok:
        raise SystemExit(f"The observations file was refused: {outcome.check.errors[:5]}")
    return {
        "rows": outcome.created,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "file_mib": len(content) / 2**20,
        "peak_python_mib": peak / 2**20 if traced else None,
    }


def step_memory(path: Path) -> dict:
    return step_product(path, traced=True)


def run_step(step: str, path: Path, db: Path | None, profile: bool) -> dict:
    command = [sys.executable, __file__, f"_{step}", str(path)]
    if db is not None:
        command += ["--db", str(db)]
    if profile:
        command.append("--profile")
    completed = subprocess.run(command, cwd=REPO_DIR, capture_output=True, text=True, check=False)
    for line in completed.stdout.splitlines():
        if line.startswith(JSON_PREFIX):
            return json.loads(line.removeprefix(JSON_PREFIX))
        print(line)
    raise SystemExit(f"The {step} step failed (exit {completed.returncode}):\n{completed.stderr[-3000:]}")


def import_benchmark(rows: int, db: Path | None, profile: bool, memory: bool) -> dict:
    ensure_base()
    ensure_indicators()
    print(f"Writing the file of {rows:,} observations (once) …", flush=True)
    path = csv_file(rows)
    results = {}
    for step in ("bare", "product", *(["memory"] if memory else [])):
        empty_observations()
        print(f"Measuring: {step} …", flush=True)
        results[step] = run_step(step, path, db, profile and step != "memory")
    bare, product = results["bare"], results["product"]
    if bare["rows"] != product["rows"]:
        raise SystemExit(f"The two steps wrote different row counts: {bare['rows']} and {product['rows']}")
    for result in (bare, product):
        result["rows_per_s"] = result["rows"] / result["seconds"]
        result["rows_per_cpu_s"] = result["rows"] / result["cpu_seconds"]
    ratio = product["rows_per_s"] / bare["rows_per_s"]
    cpu_ratio = product["rows_per_cpu_s"] / bare["rows_per_cpu_s"]
    from django.db import connection

    database = f"{connection.vendor} {connection.Database.sqlite_version if is_sqlite() else ''}".strip()
    print()
    print(f"Import of {product['rows']:,} observations ({product['file_mib']:.1f} MiB CSV), {database}:")
    print(f"  {'path':<42}{'s':>8}{'rows/s':>10}{'rows per CPU s':>16}")
    for label, result in (
        ("bare executemany (rows prepared, untimed)", bare),
        ("product: services.observations_import", product),
    ):
        print(f"  {label:<42}{result['seconds']:>8.2f}{result['rows_per_s']:>10,.0f}{result['rows_per_cpu_s']:>16,.0f}")
    print(f"  ratio {ratio:.2f} (goal ≥ 0.5); per CPU second of the importing process {cpu_ratio:.2f}")
    if "memory" in results:
        product["peak_python_mib"] = results["memory"]["peak_python_mib"]
        print(
            f"  peak Python memory of the product import (tracemalloc, the file's bytes not counted): "
            f"{product['peak_python_mib']:.1f} MiB"
        )
    return {"bare": bare, "product": product, "ratio": ratio, "cpu_ratio": cpu_ratio, "database": database}


# --- Pages in process


class NoPages(Exception):
    """The database has no network plan to measure the pages on (e.g. a PostgreSQL database with only the import)."""


def pick_page_objects() -> dict:
    """The 947-council network, its plan with indicators, and its first indicator."""
    from django.db.models import Count

    from municipia.indicators.models import Indicator
    from municipia.organizations.models import Organization
    from municipia.strategy.models import Plan

    network = (
        Organization.objects.filter(slug__startswith="bench-network-")
        .annotate(size=Count("memberships"))
        .filter(size=NETWORK_SIZE)
        .first()
    )
    if network is None:
        raise NoPages(f"no network of {NETWORK_SIZE} councils (the country data set has one: benchmarks/generate.py).")
    plan = (
        Plan.objects.filter(owner=network, axes__objectives__indicators__isnull=False)
        .distinct()
        .order_by("period_start")
        .first()
    )
    indicator = Indicator.objects.filter(owner_organization=network).order_by("code").first()
    if plan is None or indicator is None:
        raise NoPages("the network has no plan with indicators (the country data set has: benchmarks/generate.py).")
    return {"network": network, "plan": plan, "indicator": indicator}


def bench_user():
    """A signed-in user with no role (sees what the public sees, never the page cache)."""
    from django.contrib.auth import get_user_model

    user, _created = get_user_model().objects.get_or_create(username="bench-reader")
    return user


def page_paths(objects: dict) -> dict[str, str]:
    from django.urls import reverse
    from django.utils import translation

    with translation.override("en"):
        return {
            "plan dashboard": reverse("indicators:plan-dashboard", kwargs={"slug": objects["plan"].slug}),
            "benchmarking page": reverse(
                "indicators:indicator-benchmark",
                kwargs={"pk": objects["indicator"].pk, "network": objects["network"].slug},
            ),
        }


def measure_pages(runs: int) -> dict:
    from django.conf import settings
    from django.core.cache import cache
    from django.test.utils import override_settings

    # Hashed static names need collectstatic; plain names cost the same to render.
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    override_settings(STORAGES=plain, PUBLIC_CACHE=False, DEBUG=False, ALLOWED_HOSTS=["testserver"]).enable()
    from django.db import connection
    from django.test import Client

    objects = pick_page_objects()
    client = Client()
    client.force_login(bench_user())
    result = {}
    for label, path in page_paths(objects).items():
        client.get(path)  # imports, templates
        cold, warm = [], []
        for _run in range(max(runs // 3, 2)):
            cache.clear()  # every kept value too (core.cache.cached_value is the one cache)
            started = time.perf_counter()
            response = client.get(path)
            cold.append((time.perf_counter() - started) * 1000)
        client.get(path)
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(path)
        for _run in range(runs):
            started = time.perf_counter()
            response = client.get(path)
            warm.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{label}: {path} answered {response.status_code}")
        result[label] = {
            "path": path,
            "queries": len(queries),
            "bytes": len(response.content),
            "cold_ms": statistics.median(cold),
            "warm_ms": statistics.median(warm),
        }
    members = objects["network"].memberships.count()
    print(f"Pages in process, signed in, page cache off ({objects['network'].name}: {members} councils):")
    for label, row in result.items():
        print(
            f"  {label:<18} {row['queries']:>3} queries, {row['bytes'] / 1024:6.0f} KiB; cold "
            f"{row['cold_ms']:8.1f} ms, from the status cache {row['warm_ms']:6.1f} ms (medians)  {row['path']}"
        )
    connection.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "step", nargs="?", default="all", choices=["all", "pages", "fill", "_bare", "_product", "_memory"]
    )
    parser.add_argument("file", nargs="?", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=1_000_000, help="Observations in the file (default 1,000,000).")
    parser.add_argument("--db", type=Path, help=f"SQLite data set (default {DEFAULT_DB}, or DATABASE_URL when set).")
    parser.add_argument("--runs", type=int, default=15, help="Runs per page timing (median reported).")
    parser.add_argument("--profile", action="store_true", help="cProfile the measured steps (slower).")
    parser.add_argument("--no-memory", action="store_true", help="Skip the (slow) tracemalloc run of the import.")
    args = parser.parse_args(argv)
    if args.db is None and not os.environ.get("DATABASE_URL") and not DEFAULT_DB.exists():
        print(f"No data set at {DEFAULT_DB}: build it with benchmarks/generate.py first.", file=sys.stderr)
        return 2
    configure(args.db)
    if args.step in ("_bare", "_product", "_memory"):
        function = {"_bare": step_bare, "_product": step_product, "_memory": step_memory}[args.step]
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            result = profiler.runcall(function, args.file)
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
            print(out.getvalue())
        else:
            result = function(args.file)
        print(JSON_PREFIX + json.dumps(result), flush=True)
        return 0
    if args.step == "fill":
        fill(args.rows)
        return 0
    results = {}
    if args.step == "all":
        results["import"] = import_benchmark(args.rows, args.db, args.profile, not args.no_memory)
        print()
    try:
        results["pages"] = measure_pages(args.runs)
    except NoPages as exc:
        if args.step == "pages":
            raise SystemExit(str(exc)) from None
        print(f"Pages not measured: {exc}")
    print(JSON_PREFIX + json.dumps(results), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
