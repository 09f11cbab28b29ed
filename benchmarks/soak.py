"""Soak: mixed reads and writes at 16 clients against gunicorn on PostgreSQL for 10 minutes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/municipia_soak \\
        .venv/bin/python benchmarks/soak.py [--minutes 10] [--clients 16] [--workers 2] [--port 8106]

The database must hold the demo (`migrate`, `load_municipalities`, `load_demo`). The run starts
its own gunicorn (sync workers, no --max-requests, so a leak could not hide behind recycling),
then 16 client threads loop over a mix drawn with a fixed seed:

- anonymous pages: home, plan pages, action pages, filtered action lists, searches, indicator
  pages, in the four languages; anonymous API lists and details;
- an editor signed in with an API token (issued through the product's service): API reads of
  her plan, and writes — an action's progress (PATCH, the whole write: validation, history,
  search index, cache versions) and a milestone created then deleted.

An error is a 5xx, a refused connection or a timeout; an unexpected 4xx is counted apart. Every
`--sample` seconds the resident memory (RSS) of each gunicorn worker is read from /proc; the
summary gives each worker's RSS after warm-up and at the end, and the slope of a least-squares
line through the samples (MB per minute). Prints the summary, and writes it as JSON with
`--json PATH`. The load average of the machine is printed next to the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import requests

REPO_DIR = Path(__file__).resolve().parent.parent
SEED = 14
LANGUAGES = ["en", "es", "ca", "bg"]
SEARCH_WORDS = ["digital", "cybersecurity", "open data", "ciberseguridad", "formació", "smart", "дигитализация"]
EDITOR = "editor-jerez"
# Shares of the mix (sum 100): anonymous pages, anonymous API, the editor's API reads, writes.
MIX = [("page", 50), ("api", 20), ("editor read", 15), ("write", 15)]
# Seconds a request may take (client and gunicorn alike): the machine is shared, so slow is not an error.
TIMEOUT = 120


# --- The data the clients draw from (read once, through Django, before the run)


@dataclass
class Targets:
    plans: list[str]
    actions: list[int]
    indicators: list[int]
    editor_actions: list[int]
    #: A due date inside each of the editor's actions' period (a milestone outside it is refused).
    due_dates: dict[int, str]
    token: str


def prepare_targets() -> Targets:
    """Published plans, actions and indicators to draw from, and an API token for the editor."""
    sys.path.insert(0, str(REPO_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from municipia.accounts import services as account_services
    from municipia.indicators.models import Indicator
    from municipia.strategy.models import Action, Plan

    editor = get_user_model().objects.get(username=EDITOR)
    _token, key = account_services.token_issue(acting_user=editor, name="soak", days=1)
    owned = editor.roles.values_list("organization_id", flat=True)
    editable = list(
        Action.objects.filter(plan__owner_id__in=owned)
        .exclude(start_date__isnull=True, end_date__isnull=True)
        .values_list("pk", "start_date", "end_date")
    )
    return Targets(
        plans=list(Plan.objects.filter(is_published=True).values_list("slug", flat=True)),
        actions=list(Action.objects.filter(plan__is_published=True).values_list("pk", flat=True)),
        indicators=list(Indicator.objects.filter(is_public=True).values_list("pk", flat=True)[:200]),
        editor_actions=[pk for pk, _start, _end in editable],
        due_dates={pk: (end or start).isoformat() for pk, start, end in editable if (end or start)},
        token=key,
    )


# --- gunicorn and its workers' memory


def start_gunicorn(port: int, workers: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "0",
        # Plain HTTP on loopback (no TLS proxy in front): no redirect to https, no secure-only cookies.
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECRET_KEY": os.environ["SECRET_KEY"],
        # The editor writes through the API far faster than a person: no per-token rate limit here.
        "API_TOKEN_RATE": "100000/min",
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "municipia.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        str(TIMEOUT),
        "--access-logfile",
        "-",
    ]
    handle = log.open("w")
    return subprocess.Popen(command, cwd=REPO_DIR, env=env, stdout=handle, stderr=handle, start_new_session=True)


def worker_pids(master: int) -> list[int]:
    children: list[int] = []
    for task in Path(f"/proc/{master}/task").iterdir():
        text = (task / "children").read_text().split()
        children.extend(int(pid) for pid in text)
    return sorted(children)


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def wait_ready(base: str, server: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            if requests.get(base + "/en/", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer in time")


# --- Clients


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    requests: int = 0

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.requests += 1
            self.latencies.setdefault(kind, []).append(seconds)


def _page(rng: random.Random, t: Targets) -> str:
    lang = rng.choice(LANGUAGES)
    choice = rng.random()
    if choice < 0.1:
        return f"/{lang}/"
    if choice < 0.35:
        return f"/{lang}/plans/{rng.choice(t.plans)}/"
    if choice < 0.6:
        return f"/{lang}/actions/{rng.choice(t.actions)}/"
    if choice < 0.75:
        return f"/{lang}/actions/?plan={urllib.parse.quote(rng.choice(t.plans))}"
    if choice < 0.9:
        return f"/{lang}/search/?search={urllib.parse.quote(rng.choice(SEARCH_WORDS))}"
    return f"/{lang}/indicators/{rng.choice(t.indicators)}/" if t.indicators else f"/{lang}/indicators/"


def _api(rng: random.Random, t: Targets) -> str:
    choice = rng.random()
    if choice < 0.3:
        return f"/api/v1/actions/?plan={urllib.parse.quote(rng.choice(t.plans))}"
    if choice < 0.6:
        return f"/api/v1/actions/{rng.choice(t.actions)}/"
    if choice < 0.8:
        return f"/api/v1/plans/{rng.choice(t.plans)}/"
    return "/api/v1/organizations/?search=" + urllib.parse.quote(rng.choice(["bar", "jer", "sof", "gir"]))


def client_loop(index: int, base: str, targets: Targets, stop_at: float, tally: Tally) -> None:
    rng = random.Random(SEED * 100 + index)
    session = requests.Session()
    editor = {"Authorization": f"Token {targets.token}"}
    kinds = [kind for kind, share in MIX for _ in range(share)]
    while time.monotonic() < stop_at:
        kind = rng.choice(kinds)
        started = time.monotonic()
        try:
            if kind == "page":
                path = _page(rng, targets)
                response = session.get(base + path, timeout=TIMEOUT)
                ok = response.status_code in (200, 404)  # a search or filter may match nothing
            elif kind == "api":
                path = _api(rng, targets)
                response = session.get(base + path, timeout=TIMEOUT)
                ok = response.status_code == 200
            elif kind == "editor read":
                path = f"/api/v1/actions/{rng.choice(targets.editor_actions)}/"
                response = session.get(base + path, headers=editor, timeout=TIMEOUT)
                ok = response.status_code == 200
            else:
                path, response, ok = _write(session, base, editor, rng, targets)
        except requests.RequestException as error:
            tally.add(kind, time.monotonic() - started)
            with tally.lock:
                tally.errors.append(f"{kind}: {type(error).__name__}")
            continue
        tally.add(kind, time.monotonic() - started)
        if response.status_code >= 500:
            with tally.lock:
                tally.errors.append(f"{response.status_code} {path}")
        elif not ok:
            with tally.lock:
                tally.unexpected.append(f"{response.status_code} {path}")


def _write(session, base, headers, rng, targets):
    action = rng.choice(targets.editor_actions)
    if rng.random() < 0.7:
        path = f"/api/v1/actions/{action}/"
        progress = {"progress": rng.randint(0, 100)}
        response = session.patch(base + path, json=progress, headers=headers, timeout=TIMEOUT)
        # 400 is an honest answer when the action's state refuses the value (e.g. done at 100 %).
        return path, response, response.status_code in (200, 400)
    path = "/api/v1/milestones/"
    due = targets.due_dates.get(action, "")
    body = {"action": action, "title_en": f"Soak milestone {rng.randint(0, 10**6)}", "due_date": due}
    response = session.post(base + path, json=body, headers=headers, timeout=TIMEOUT)
    if response.status_code == 201:
        url = response.json().get("url") or f"{base}{path}{response.json()['id']}/"
        session.delete(url, headers=headers, timeout=TIMEOUT)
    return path, response, response.status_code in (201, 400)


# --- Summary


def slope_per_minute(samples: list[tuple[float, float]]) -> float:
    if len(samples) < 2:
        return 0.0
    xs = [t / 60 for t, _ in samples]
    ys = [v for _, v in samples]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    denominator = sum((x - mean_x) ** 2 for x in xs) or 1.0
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / denominator


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--sample", type=float, default=5.0, help="seconds between memory samples")
    parser.add_argument("--warmup", type=float, default=30.0, help="seconds before the first counted memory sample")
    parser.add_argument("--json", type=Path, help="also write the summary here")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL database holding the demo.", file=sys.stderr)
        return 2

    # One signing key for this process (which issues the editor's token) and gunicorn (which checks it).
    os.environ.setdefault("SECRET_KEY", "soak-" + "x" * 60)
    targets = prepare_targets()
    # Stopped early (Ctrl-C or SIGTERM), the run still stops its own gunicorn (the `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    log = REPO_DIR / "var" / "soak-gunicorn.log"
    log.parent.mkdir(exist_ok=True)
    server = start_gunicorn(args.port, args.workers, log)
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_ready(base, server)
        workers = worker_pids(server.pid)
        load_before = os.getloadavg()
        tally = Tally()
        started = time.monotonic()
        stop_at = started + args.minutes * 60
        threads = [
            threading.Thread(target=client_loop, args=(i, base, targets, stop_at, tally), daemon=True)
            for i in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        memory: dict[int, list[tuple[float, float]]] = {pid: [] for pid in workers}
        loads = []
        while time.monotonic() < stop_at:
            time.sleep(args.sample)
            elapsed = time.monotonic() - started
            for pid in workers:
                value = rss_mb(pid)
                if value is not None:
                    memory[pid].append((elapsed, value))
            loads.append(os.getloadavg()[0])
        for thread in threads:
            thread.join(timeout=60)
        elapsed = time.monotonic() - started
        workers_after = worker_pids(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)  # our own gunicorn: its master stops its workers
        try:
            server.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)

    all_latencies = [v for values in tally.latencies.values() for v in values]
    summary = {
        "minutes": round(elapsed / 60, 2),
        "clients": args.clients,
        "workers": args.workers,
        "requests": tally.requests,
        "requests_per_second": round(tally.requests / elapsed, 1),
        "errors": len(tally.errors),
        "error_samples": tally.errors[:10],
        "unexpected_4xx": len(tally.unexpected),
        "unexpected_samples": tally.unexpected[:10],
        "latency_ms": {
            kind: {
                "count": len(values),
                "p50": round(percentile(values, 0.5) * 1000),
                "p95": round(percentile(values, 0.95) * 1000),
                "p99": round(percentile(values, 0.99) * 1000),
            }
            for kind, values in sorted(tally.latencies.items())
        },
        "latency_ms_all_p95": round(percentile(all_latencies, 0.95) * 1000),
        "workers_restarted": sorted(set(workers) ^ set(workers_after)) != [],
        "memory_mb": {
            str(pid): {
                "after_warmup": next((round(v, 1) for t, v in samples if t >= args.warmup), None),
                "end": round(samples[-1][1], 1) if samples else None,
                "max": round(max(v for _, v in samples), 1) if samples else None,
                "slope_mb_per_min_after_warmup": round(
                    slope_per_minute([(t, v) for t, v in samples if t >= args.warmup]), 3
                ),
                # Growth that stops (templates, catalogues and caches filled on first use) is no leak:
                # the second half of the run says whether it goes on.
                "slope_mb_per_min_second_half": round(
                    slope_per_minute([(t, v) for t, v in samples if t >= elapsed / 2]), 3
                ),
                "mb_at_minute": {
                    str(minute): round(next(v for t, v in samples if t >= minute * 60), 1)
                    for minute in range(int(elapsed // 60) + 1)
                    if any(t >= minute * 60 for t, _ in samples)
                },
                "samples": len(samples),
            }
            for pid, samples in memory.items()
        },
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_mean_during": round(statistics.fmean(loads), 2) if loads else None,
        "cpus": os.cpu_count(),
    }
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0 if summary["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
