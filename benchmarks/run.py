"""The country-sized benchmark: gunicorn on SQLite, driven by wrk at 8 concurrent clients.

    .venv/bin/python benchmarks/run.py [--duration 15] [--warmup 3] [--clients 8] [--workers N]

Builds the data set if it is missing (benchmarks/generate.py; the governance part is added to a data
set built before it, benchmarks/governance.py), collects the static files, measures the governance
query counts and feed build times in process, starts gunicorn with the benchmark settings (the
product plus a bare Django view at /bench/bare/), checks that every target answers 200, then measures
each target in turn from a second process (wrk), the bare view first. Prints p50/p95 latency,
throughput and throughput relative to the bare view, writes benchmarks/results/latest.{json,md}, and
ends with one line: `worst ratio R, worst p95 P ms`.
"""

import argparse
import http.client
import json
import os
import platform
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

from benchmarks.generate import DEFAULT_DB, configure_django, dataset_name, dataset_url, postgres_url  # noqa: E402

RESULTS_DIR = BENCH_DIR / "results"
SETTINGS_MODULE = "benchmarks.settings"
TARGET_P95_MS = 50.0
TARGET_RATIO = 0.5
SEARCH_TERM = "cybersecurity"

# wrk reports through this script: the done() hook prints the run's figures as one JSON line.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
    .. '"mean_us": %.1f, "max_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, '
    .. '"timeout": %d}}\\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.mean, latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


class BenchmarkError(Exception):
    """Something that makes the figures meaningless: the run stops and says why."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(db_path: Path) -> dict[str, str]:
    """The production-like environment of the server: DEBUG off, a secret key, one allowed host."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        DATABASE_URL=dataset_url(db_path),
        DEBUG="0",
        SECRET_KEY="municipia-benchmark-only-not-a-secret",
        ALLOWED_HOSTS="127.0.0.1",
        HTTPS="0",
        PYTHONPATH=str(REPO_DIR),
        LOG_LEVEL="WARNING",
    )
    env.pop("MUNICIPIA_TESTING", None)
    return env


def ensure_data_set(db_path: Path) -> None:
    if postgres_url():
        # generate.py fills an empty database, leaves a complete data set alone, refuses anything else.
        subprocess.run([sys.executable, str(BENCH_DIR / "generate.py")], check=True)
        return
    if db_path.exists():
        return
    print(f"No data set at {db_path}: building it (a few minutes, once).", flush=True)
    subprocess.run([sys.executable, str(BENCH_DIR / "generate.py"), "--db", str(db_path)], check=True)


def ensure_governance(db_path: Path) -> None:
    """Adds issue 3's bodies and meetings to a data set built before they existed."""
    if postgres_url():
        return  # built with them
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
            if db.execute("SELECT 1 FROM governance_body LIMIT 1").fetchone():
                return
    except sqlite3.Error:
        pass  # no governance table yet: the generator migrates first
    print("The data set has no governance bodies: adding them (about half a minute, once).", flush=True)
    subprocess.run([sys.executable, str(BENCH_DIR / "governance.py"), "generate", "--db", str(db_path)], check=True)


def ensure_indicators(db_path: Path) -> None:
    """Adds issue 4's indicators and their 1,000,000 observations to a data set built before them."""
    if postgres_url():
        return  # built with them
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
            if db.execute("SELECT 1 FROM indicators_observation LIMIT 1").fetchone():
                return
    except sqlite3.Error:
        pass
    print("The data set has no indicator observations: importing them (a minute or two, once).", flush=True)
    subprocess.run([sys.executable, str(BENCH_DIR / "indicators.py"), "fill", "--db", str(db_path)], check=True)


def _measure_in_process(env: dict[str, str], script: str, args: list[str], prefix: str, label: str) -> dict | None:
    """Runs one of the in-process benchmark scripts with the page cache off; returns the JSON it prints."""
    completed = subprocess.run(
        [sys.executable, str(BENCH_DIR / script), *args],
        cwd=REPO_DIR,
        env={**env, "PUBLIC_CACHE": "0"},
        capture_output=True,
        text=True,
        check=False,
    )
    result = None
    for line in completed.stdout.splitlines():
        if line.startswith(prefix):
            result = json.loads(line.removeprefix(prefix))
        else:
            print(line, flush=True)
    if result is None:
        print(f"{label} measurements failed (exit {completed.returncode}):\n{completed.stderr[-2000:]}", flush=True)
    return result


def measure_indicators(env: dict[str, str], db_path: Path) -> dict | None:
    """Issue 4's in-process figures: queries and cold/warm build times of the dashboard and benchmarking page."""
    from benchmarks.indicators import JSON_PREFIX

    result = _measure_in_process(env, "indicators.py", ["pages", "--db", str(db_path)], JSON_PREFIX, "Indicator")
    return None if result is None else result.get("pages")


def measure_governance(env: dict[str, str], db_path: Path, runs: int) -> dict | None:
    """Issue 3's in-process figures (query counts, feed build times), in a process with the page cache off."""
    from benchmarks.governance import JSON_PREFIX

    args = ["measure", "--db", str(db_path), "--runs", str(runs)]
    return _measure_in_process(env, "governance.py", args, JSON_PREFIX, "Governance")


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing wrk from Debian …", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL)
        wrk = shutil.which("wrk")
    if not wrk:
        raise BenchmarkError("wrk is missing: install it (Debian: apt-get install wrk) and run again.")
    return wrk


def collect_static(env: dict[str, str]) -> None:
    # A data set built by an older checkout gets this checkout's schema changes first.
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "--verbosity", "0"], cwd=REPO_DIR, env=env, check=True
    )
    # Without DEBUG the product serves hashed static files from a manifest, which collectstatic writes.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=REPO_DIR,
        env=env,
        check=True,
    )


# A target whose single request takes longer than this in process would time out under wrk and tie up
# every worker for the targets after it: it is reported (in-process build time) but not loaded.
WRK_MAX_BUILD_MS = 2_000
# Issue 3's targets: (name, URL name); skipped with a message while their pages do not exist.
GOVERNANCE_TARGETS = [("public calendar page", "governance:calendar"), ("public feed", "calendars:public")]
# Issue 4's targets: the 947-council network's plan dashboard and benchmarking page, each for an
# anonymous visitor (page cache) and for a signed-in reader (no page cache; the status cache warm).
INDICATOR_TARGETS = ["indicator dashboard", "indicator benchmark page"]
SIGNED_IN = ", signed in"
# Request headers per target name (the signed-in targets' session cookie), filled by pick_targets.
TARGET_HEADERS: dict[str, dict[str, str]] = {}


def signed_in_cookie() -> str:
    """A session of a reader with no role, stored in the data set (call with Django configured)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model, load_backend

    user, _created = get_user_model().objects.get_or_create(username="bench-reader")
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.set_expiry(24 * 3600)
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def indicator_targets() -> list[tuple[str, str]]:
    """Issue 4's targets, anonymous and signed in; none (with a message) when the data set lacks them."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import translation

    from benchmarks.indicators import NETWORK_SIZE
    from municipia.indicators.models import Indicator
    from municipia.organizations.models import Organization
    from municipia.strategy.models import Plan

    network = (
        Organization.objects.filter(slug__startswith="bench-network-")
        .annotate(size=Count("memberships"))
        .filter(size=NETWORK_SIZE)
        .first()
    )
    plan = (
        Plan.objects.filter(owner=network, is_published=True, axes__objectives__indicators__isnull=False)
        .distinct()
        .order_by("period_start")
        .first()
    )
    indicator = Indicator.objects.filter(owner_organization=network, is_public=True).order_by("code").first()
    if network is None or plan is None or indicator is None:
        print(f"SKIPPED indicator targets: no published plan with indicators of a {NETWORK_SIZE}-council network.")
        return []
    with translation.override("en"):
        paths = {
            "indicator dashboard": reverse("indicators:plan-dashboard", kwargs={"slug": plan.slug}),
            "indicator benchmark page": reverse(
                "indicators:indicator-benchmark", kwargs={"pk": indicator.pk, "network": network.slug}
            ),
        }
    cookie = signed_in_cookie()
    targets = []
    for name in INDICATOR_TARGETS:
        targets += [(name, paths[name]), (name + SIGNED_IN, paths[name])]
        TARGET_HEADERS[name + SIGNED_IN] = {"Cookie": cookie}
    return targets


def pick_targets(db_path: Path) -> list[tuple[str, str]]:
    """(name, path) of every target, read from the data set: a typical published council plan."""
    configure_django(db_path, SETTINGS_MODULE)
    from django.db import connection
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    from municipia.organizations.choices import OrganizationKind
    from municipia.strategy.choices import ActionStatus, PlanStatus
    from municipia.strategy.models import Plan

    candidates = list(
        Plan.objects.filter(
            is_published=True,
            status=PlanStatus.IN_EXECUTION,
            owner__kind=OrganizationKind.MUNICIPALITY,
            actions__status=ActionStatus.IN_PROGRESS,
        )
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not candidates:
        raise BenchmarkError(f"No published council plan in execution in {db_path}; rebuild it with --rebuild.")
    plan = Plan.objects.get(pk=candidates[len(candidates) // 2])  # the median one: nothing special about it
    action = plan.actions.order_by("code").first()
    with translation.override("en"):
        plan_url = reverse("strategy:plan-detail", kwargs={"slug": plan.slug})
        action_list_url = reverse("strategy:action-list")
        governance = []
        for name, url_name in GOVERNANCE_TARGETS:
            try:
                governance.append((name, reverse(url_name)))
            except NoReverseMatch:
                print(f"SKIPPED target {name}: no URL named {url_name} in this checkout.", flush=True)
    indicators = indicator_targets()
    main = [
        ("plan page", plan_url),
        ("action list, filtered", f"{action_list_url}?plan={plan.slug}&status={ActionStatus.IN_PROGRESS}"),
        ("action list, search", f"{action_list_url}?search={SEARCH_TERM}"),
        ("API action list", f"/api/v1/actions/?plan={plan.slug}"),
        ("API action detail", f"/api/v1/actions/{action.pk}/"),
    ]
    # Issue 15: the same reads by a signed-in reader with no role (no whole-page cache).
    cookie = signed_in_cookie()
    signed_in = [(name + SIGNED_IN, path) for name, path in main]
    for name, _path in signed_in:
        TARGET_HEADERS[name] = {"Cookie": cookie}
    connection.close()
    return [("bare view", f"/bench/bare/?plan={plan.slug}"), *main, *signed_in, *governance, *indicators]


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read(), response.getheader("Content-Type", "")
    finally:
        conn.close()


def start_server(env: dict[str, str], port: int, workers: int, log_path: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "municipia.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--preload",
        "--error-logfile",
        str(log_path),
        "--log-level",
        "warning",
    ]
    log = log_path.open("ab")
    return subprocess.Popen(command, cwd=REPO_DIR, env=env, stdout=log, stderr=log, start_new_session=True)


def wait_until_ready(server: subprocess.Popen, port: int, path: str, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchmarkError(f"gunicorn exited with code {server.returncode}; see {log_path}.")
        try:
            get(port, path)
            return
        except OSError:
            time.sleep(0.3)
    raise BenchmarkError(f"gunicorn did not answer within {timeout:.0f} s; see {log_path}.")


def check_targets(port: int, targets: list[tuple[str, str]]) -> None:
    """Every target must answer 200 itself (no redirect, no error page), or nothing is measured."""
    failures = []
    for name, path in targets:
        status, body, content_type = get(port, path, TARGET_HEADERS.get(name))
        print(f"  {status}  {len(body):>7} B  {content_type.split(';')[0]:<18} {name}: {path}", flush=True)
        if status != 200:
            failures.append(f"{name} ({path}) answered {status}")
        elif SIGNED_IN in name and "html" in content_type and b"bench-reader" not in body:
            failures.append(f"{name} ({path}) was not served to the signed-in reader")
    if failures:
        raise BenchmarkError("Not every target answers 200: " + "; ".join(failures))


def warm_get(port: int, path: str, headers: dict[str, str] | None, _n: int) -> int:
    return get(port, path, headers)[0]


def prewarm(port: int, targets: list[tuple[str, str]], workers: int) -> None:
    """Fills every worker's caches for the indicator targets before they are measured.

    Their first request in each worker computes the network's status (seconds, in the cold
    figures printed before); the load figures are those of the warm caches, as a site in use
    has them. Rounds of concurrent requests reach every worker (a busy one accepts no more).
    """
    from concurrent.futures import ThreadPoolExecutor

    heavy = [(name, path) for name, path in targets if name.startswith(tuple(INDICATOR_TARGETS))]
    if not heavy:
        return
    print(f"Warming the indicator targets in the {workers} workers …", flush=True)
    with ThreadPoolExecutor(max_workers=2 * workers) as pool:
        for name, path in heavy:
            headers = TARGET_HEADERS.get(name)
            for _round in range(3):
                statuses = list(pool.map(partial(warm_get, port, path, headers), range(2 * workers)))
                if set(statuses) != {200}:
                    raise BenchmarkError(f"{name} ({path}) answered {statuses} while warming up")


def run_wrk(
    wrk: str, script: Path, url: str, clients: int, threads: int, seconds: float, headers: dict[str, str] | None = None
) -> dict:
    command = [wrk, f"-t{threads}", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "30s", "-s", str(script)]
    for header, value in (headers or {}).items():
        command += ["-H", f"{header}: {value}"]
    command.append(url)
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    for line in completed.stdout.splitlines():
        if line.startswith("WRK-JSON "):
            return json.loads(line.removeprefix("WRK-JSON "))
    raise BenchmarkError(f"wrk gave no figures for {url}:\n{completed.stdout}\n{completed.stderr}")


def workers_cpu_seconds(master_pid: int) -> float | None:
    """CPU time (user + system) used so far by gunicorn's workers, from /proc (Linux only)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, found = 0, False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == master_pid:  # fields after the name: state, ppid, …, utime (12), stime (13)
            total += int(fields[11]) + int(fields[12])
            found = True
    return total / ticks if found else None


def machine_busy_seconds() -> float | None:
    """CPU time the whole machine has spent busy since boot, from /proc/stat (Linux only)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(wrk: str, script: Path, server: subprocess.Popen, port: int, name: str, path: str, args) -> dict:
    url = f"http://127.0.0.1:{port}{path}"
    threads = max(1, min(args.clients, 2))
    headers = TARGET_HEADERS.get(name)
    run_wrk(wrk, script, url, args.clients, threads, args.warmup, headers)  # warm caches and workers; discarded
    time.sleep(0.5)
    busy_before, wrk_before, cpu_before = (
        machine_busy_seconds(),
        children_cpu_seconds(),
        workers_cpu_seconds(server.pid),
    )
    figures = run_wrk(wrk, script, url, args.clients, threads, args.duration, headers)
    busy_after, wrk_after, cpu_after = machine_busy_seconds(), children_cpu_seconds(), workers_cpu_seconds(server.pid)
    # Requests still running when wrk stops would slow the next target: let the workers finish them.
    time.sleep(min(figures["max_us"] / 1e6, 30) + 0.2)
    timeouts = figures["errors"].pop("timeout")
    errors = {kind: n for kind, n in figures["errors"].items() if n}
    if errors:
        raise BenchmarkError(f"{name}: errors during the run {errors} ({url})")
    if not figures["requests"]:
        raise BenchmarkError(f"{name}: no request completed in {args.duration:g} s ({url})")
    seconds = figures["duration_us"] / 1e6
    other_cores = None
    if None not in (busy_before, busy_after, cpu_before, cpu_after):
        # What the rest of the machine (other programs, not gunicorn nor wrk) used meanwhile.
        other = (busy_after - busy_before) - (cpu_after - cpu_before) - (wrk_after - wrk_before)
        other_cores = round(max(other, 0) / seconds, 2)
    return {
        "name": name,
        "path": path,
        "requests": figures["requests"],
        "throughput_rps": figures["requests"] / seconds,
        "p50_ms": figures["p50_us"] / 1000,
        "p95_ms": figures["p95_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "max_ms": figures["max_us"] / 1000,
        "timeouts": timeouts,
        "kb_per_response": figures["bytes"] / max(figures["requests"], 1) / 1024,
        # Server CPU per request does not depend on what else the machine runs, unlike throughput.
        "cpu_ms_per_request": (
            (cpu_after - cpu_before) * 1000 / figures["requests"] if cpu_before is not None else None
        ),
        "other_programs_cores": other_cores,
    }


def markdown_table(results: list[dict]) -> str:
    lines = [
        "| target | p50 (ms) | p95 (ms) | throughput (req/s) | ratio to bare view | server CPU (ms/req) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        cpu = f"{r['cpu_ms_per_request']:.1f}" if r["cpu_ms_per_request"] is not None else "n/a"
        lines.append(
            f"| {r['name']} (`{r['path']}`) | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
            f"{r['throughput_rps']:.0f} | {r['ratio']:.2f} | {cpu} |"
        )
    return "\n".join(lines)


def write_results(results: list[dict], meta: dict, summary: str) -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = meta["finished_at"].replace(":", "").replace("-", "")[:15]
    payload = {"meta": meta, "results": results, "summary": summary}
    markdown = (
        f"Measured {meta['finished_at']} with `{meta['command']}`: gunicorn, {meta['workers']} sync workers "
        f"(--preload), {meta['database']}, DEBUG off; wrk, {meta['clients']} concurrent clients, "
        f"{meta['duration_s']:g} s per target after {meta['warmup_s']:g} s of warm-up; "
        f"{meta['cpus']} CPUs, {meta['machine']}.\n\n"
        f"{markdown_table(results)}\n\n{summary}\n"
    )
    for name in ("latest", stamp):
        (RESULTS_DIR / f"{name}.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        (RESULTS_DIR / f"{name}.md").write_text(markdown, encoding="utf-8")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()  # gunicorn's master stops its workers gracefully
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # the process group of our own gunicorn only
            server.wait()


CACHE_OFF = " (page cache off)"
MIX_NAMES = ("mixed traffic", "mixed traffic" + SIGNED_IN)


def measure_phase(wrk, env, db_path, targets, mix, suffix, args) -> list[dict]:
    """One server (the page cache on, or off with suffix CACHE_OFF): every target, then the mixes."""
    log_path = RESULTS_DIR / "gunicorn.log"
    port = free_port()
    print(f"Starting gunicorn{suffix} on 127.0.0.1:{port} with {args.workers} workers …", flush=True)
    server = start_server(env, port, args.workers, log_path)
    results = []
    scripts: list[Path] = []

    def script_file(text: str) -> Path:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
            handle.write(text)
        scripts.append(Path(handle.name))
        return scripts[-1]

    try:
        wait_until_ready(server, port, targets[0][1], log_path)
        print("Checking the targets:", flush=True)
        check_targets(port, targets)
        prewarm(port, targets, args.workers)
        script = script_file(WRK_SCRIPT)
        print(f"Measuring{suffix}, {args.clients} clients, {args.warmup:g} s warm-up + {args.duration:g} s per target:")
        for name, path in targets:
            result = measure(wrk, script, server, port, name, path, args)
            result["name"] = name + suffix
            results.append(result)
            report(result)
        bare = results[0]
        for result in results:
            result["ratio"] = result["throughput_rps"] / bare["throughput_rps"]
        if mix is not None:
            results += measure_mixes(wrk, server, port, mix, suffix, args, script_file)
    finally:
        for path in scripts:
            path.unlink(missing_ok=True)
        stop(server)
    return results


def report(result: dict) -> None:
    cpu = result["cpu_ms_per_request"]
    print(
        f"  {result['name']:<24} p50 {result['p50_ms']:7.1f} ms   p95 {result['p95_ms']:7.1f} ms   "
        f"{result['throughput_rps']:7.0f} req/s   server CPU "
        + (f"{cpu:6.1f} ms/req" if cpu is not None else "   n/a")
        + (f"   (others used {other:.1f} cores)" if (other := result["other_programs_cores"]) else "")
        + (f"   {result['timeouts']} TIMEOUTS (> 30 s)" if result["timeouts"] else ""),
        flush=True,
    )


def pooled(name: str, path: str, rounds: list[dict]) -> dict:
    """The figures of interleaved rounds taken together (p95: the worst round's)."""
    requests = sum(r["requests"] for r in rounds)
    seconds = sum(r["requests"] / r["throughput_rps"] for r in rounds if r["throughput_rps"])
    cpus = [r["cpu_ms_per_request"] * r["requests"] for r in rounds if r["cpu_ms_per_request"] is not None]
    others = [r["other_programs_cores"] for r in rounds if r["other_programs_cores"] is not None]
    return {
        "name": name,
        "path": path,
        "requests": requests,
        "throughput_rps": requests / seconds if seconds else 0.0,
        "p50_ms": max(r["p50_ms"] for r in rounds),
        "p95_ms": max(r["p95_ms"] for r in rounds),
        "p99_ms": max(r["p99_ms"] for r in rounds),
        "max_ms": max(r["max_ms"] for r in rounds),
        "timeouts": sum(r["timeouts"] for r in rounds),
        "kb_per_response": sum(r["kb_per_response"] * r["requests"] for r in rounds) / max(requests, 1),
        "cpu_ms_per_request": sum(cpus) / requests if cpus and requests else None,
        "other_programs_cores": max(others) if others else None,
        "rounds": len(rounds),
    }


def measure_mixes(wrk, server, port, mix, suffix, args, script_file) -> list[dict]:
    """Issue 15's mixed traffic, anonymous and signed in, in rounds interleaved with the bare view over
    random plans, while an editor saves an action every second; each ratio is taken against the bare
    view's rounds of the same phase."""
    from benchmarks.mixed import SEED, lua_script

    paths, bare_paths = mix
    done_hook = WRK_SCRIPT
    scripts = {
        "bare view, random plans": script_file(lua_script(bare_paths, done_hook)),
        MIX_NAMES[0]: script_file(lua_script(paths, done_hook)),
        MIX_NAMES[1]: script_file(lua_script(paths, done_hook)),
    }
    cookie = next(iter(v for k, v in TARGET_HEADERS.items() if SIGNED_IN in k), {}).get("Cookie")
    if cookie:
        TARGET_HEADERS[MIX_NAMES[1]] = {"Cookie": cookie}
    else:
        scripts.pop(MIX_NAMES[1])
    editor_log = (RESULTS_DIR / "editor.log").open("w")
    editor = subprocess.Popen(
        [sys.executable, str(BENCH_DIR / "mixed.py"), "editor", "--db", str(args.db.resolve())],
        cwd=REPO_DIR,
        env={**server_env(args.db.resolve()), "PUBLIC_CACHE": "1"},
        stdout=editor_log,
        stderr=subprocess.STDOUT,
    )
    rounds: dict[str, list[dict]] = {name: [] for name in scripts}
    print(f"Mixed traffic{suffix}: {args.rounds} interleaved rounds, an editor saving an action every second:")
    try:
        for number in range(args.rounds):
            for name, script in scripts.items():
                result = measure(wrk, script, server, port, name, "/", args)
                result["name"] = f"{name}{suffix}, round {number + 1}"
                report(result)
                rounds[name].append(result)
    finally:
        editor.terminate()
        editor.wait(timeout=20)
        editor_log.close()
    saves = (RESULTS_DIR / "editor.log").read_text().count("saved ")
    print(f"  the editor saved {saves} actions meanwhile", flush=True)
    bare = pooled("bare view, random plans" + suffix, "/bench/bare/?plan=<random>", rounds["bare view, random plans"])
    bare["ratio"] = 1.0
    results = [bare]
    for name in scripts:
        if name == "bare view, random plans":
            continue
        result = pooled(name + suffix, f"{len(paths)} addresses, seed {SEED}", rounds[name])
        result["ratio"] = result["throughput_rps"] / bare["throughput_rps"] if bare["throughput_rps"] else 0.0
        result["editor_saves"] = saves
        results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    cpus = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        type=Path,
        default=DEFAULT_DB,
        help="SQLite data set (built if missing); DATABASE_URL=postgres://… instead.",
    )
    parser.add_argument("--rebuild", action="store_true", help="Rebuild the data set first.")
    parser.add_argument("--duration", type=float, default=15, help="Seconds measured per target (default 15).")
    parser.add_argument("--warmup", type=float, default=3, help="Seconds of discarded warm-up per target.")
    parser.add_argument("--clients", type=int, default=8, help="Concurrent connections (default 8).")
    parser.add_argument("--workers", type=int, default=2 * cpus, help="gunicorn workers (default 2 × CPUs).")
    parser.add_argument("--only", action="append", default=[], help="Measure only targets whose name contains this.")
    parser.add_argument("--check", action="store_true", help="Exit with status 1 when a target is missed.")
    parser.add_argument("--feed-runs", type=int, default=7, help="Runs per in-process feed build timing (median).")
    parser.add_argument("--rounds", type=int, default=3, help="Interleaved rounds of the mixed traffic (default 3).")
    parser.add_argument("--mix-addresses", type=int, default=4000, help="Addresses drawn for the mix.")
    parser.add_argument("--no-mix", action="store_true", help="Leave out the mixed traffic.")
    parser.add_argument("--no-cache-off", action="store_true", help="Leave out the targets with the page cache off.")
    args = parser.parse_args(argv)

    db_path = args.db.resolve()
    if args.rebuild:
        subprocess.run([sys.executable, str(BENCH_DIR / "generate.py"), "--db", str(db_path), "--force"], check=True)
    print(f"Data set: {dataset_name(db_path)}", flush=True)
    ensure_data_set(db_path)
    ensure_governance(db_path)
    ensure_indicators(db_path)
    wrk = ensure_wrk()
    env = server_env(db_path)
    targets = pick_targets(db_path)
    if args.only:
        targets = [targets[0], *[t for t in targets[1:] if any(word in t[0] for word in args.only)]]
    print("Collecting static files …", flush=True)
    collect_static(env)
    governance = None
    if any(name in dict(GOVERNANCE_TARGETS) for name, _path in targets):
        governance = measure_governance(env, db_path, args.feed_runs)
        build_ms = {row["path"]: row["median_ms"] for row in (governance or {}).get("feed_build", {}).values()}
        for name, path in list(targets):
            if build_ms.get(path, 0) > WRK_MAX_BUILD_MS:
                print(
                    f"SKIPPED target {name} ({path}): one request takes {build_ms[path] / 1000:.1f} s in process "
                    f"(> {WRK_MAX_BUILD_MS / 1000:g} s), so wrk would only time out; see the in-process figure above.",
                    flush=True,
                )
                targets.remove((name, path))
    indicators = None
    if any(name.startswith(tuple(INDICATOR_TARGETS)) for name, _path in targets):
        indicators = measure_indicators(env, db_path)

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    mix = None
    if not args.no_mix and (not args.only or any("mix" in word for word in args.only)):
        configure_django(db_path, SETTINGS_MODULE)
        from benchmarks.mixed import draw_paths

        mix = draw_paths(args.mix_addresses)
    phases = [("", env)]
    if not args.no_cache_off:
        phases.append((CACHE_OFF, {**env, "PUBLIC_CACHE": "0"}))
    results = []
    for suffix, phase_env in phases:
        results += measure_phase(wrk, phase_env, db_path, targets, mix, suffix, args)
    product = [r for r in results if not r["name"].startswith("bare view")] or results
    worst_ratio = min(r["ratio"] for r in product)
    worst_p95 = max(r["p95_ms"] for r in product)
    summary = f"worst ratio {worst_ratio:.2f}, worst p95 {worst_p95:.1f} ms"
    met = worst_ratio >= TARGET_RATIO and worst_p95 < TARGET_P95_MS
    meta = {
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(["benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])]),
        "workers": args.workers,
        "clients": args.clients,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "cpus": cpus,
        "machine": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
        "data_set": dataset_name(db_path),
        "database": "PostgreSQL" if postgres_url() else "SQLite",
        "targets": {"p95_ms_below": TARGET_P95_MS, "ratio_at_least": TARGET_RATIO, "met": met},
        "governance": governance,
        "indicators": indicators,
    }
    write_results(results, meta, summary)

    print()
    print(markdown_table(results))
    print()
    print(f"Results: {RESULTS_DIR / 'latest.md'} and latest.json")
    busiest = max(r["other_programs_cores"] or 0 for r in results)
    if busiest > 0.2:
        print(
            f"Warning: other programs used up to {busiest:.1f} of the {cpus} CPUs during the run; throughput "
            "and latency are pessimistic and the ratios noisy. Server CPU per request is much less affected."
        )
    print(f"Targets (p95 < {TARGET_P95_MS:g} ms, ratio ≥ {TARGET_RATIO:g}): {'met' if met else 'MISSED'}")
    print(summary)
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchmarkError as exc:
        print(f"BENCHMARK FAILED: {exc}", file=sys.stderr)
        sys.exit(2)
