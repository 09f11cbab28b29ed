"""The diagnosis benchmark (issue 6): 100,000 responses to a 40-question questionnaire.

    .venv/bin/python benchmarks/diagnosis.py [--responses 100000] [--db PATH] [--runs 200] [--xlsx]
                                             [--duration 15] [--warmup 3] [--clients 8] [--no-wrk]

The first run creates a separate SQLite file (git-ignored, under benchmarks/data/; one per
`--responses`, so `--responses 5000` is a quick trial next to the full data set), migrates it and
generates a campaign with a fixed seed: 3 profile questions (age band × sex, district) and 37 others
(single and multiple choice, Likert, number, free text, ranking, matrix), about 50 answer rows per
response, inserted with executemany. The sample is skewed against the population margins the
campaign stores (set through `campaign_margins_update`, as an analyst would on the margins page),
so raking has work to do.

It then measures, in process: computing and storing the results snapshot from scratch (load +
raking + analysis of every question: what the background task does), raking alone to convergence
(iterations and ms), reading the stored snapshot back, the results page once computed (Django's
test client, signed in, first request rendered from the snapshot with an empty cache, then `--runs`
requests: p50/p95), and the peak Python memory (tracemalloc) of the full responses export as
streamed CSV (and XLSX with --xlsx). Then, like benchmarks/run.py and with its helpers, it starts
gunicorn (DEBUG off, 2 × CPUs sync workers) and drives, with wrk at `--clients` concurrent clients,
the bare reference view and the results page of a signed-in user (a session cookie), one after the
other in the same run: p50/p95 and throughput relative to the bare view. It prints a Markdown
table for the README.
"""

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

SEED = 20261123
SLUG = "benchmark-citizens"
AGES = ["18-29", "30-44", "45-59", "60-plus"]
SEXES = ["female", "male"]
DISTRICTS = [f"district-{n}" for n in range(1, 11)]
# Skewed sample (young, male, first districts) against the population margins below.
SAMPLE_AGE = [0.35, 0.33, 0.20, 0.12]
SAMPLE_MALE = 0.6
POPULATION_AGE_SEX = {("18-29", "female"): 85, ("18-29", "male"): 86, ("30-44", "female"): 156,
                      ("30-44", "male"): 150, ("45-59", "female"): 131, ("45-59", "male"): 116,
                      ("60-plus", "female"): 176, ("60-plus", "male"): 120}  # fmt: skip


def configure(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db.resolve()}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "municipia.settings"
    os.environ.setdefault("SECRET_KEY", "municipia-benchmark-only-not-a-secret")
    os.environ.setdefault("HTTPS", "0")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["PUBLIC_CACHE"] = "0"
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    # Hashed static names need collectstatic; plain names cost the same to render.
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    override_settings(STORAGES=plain).enable()


def margins_file(db: Path) -> Path:
    path = db.with_name("diagnosis_margins.csv")
    total = sum(POPULATION_AGE_SEX.values()) * 1000
    lines = ["margin,category,population"]
    lines += [f"age_band|sex,{a}|{s},{v * 1000}" for (a, s), v in POPULATION_AGE_SEX.items()]
    lines += [f"district,{d},{total // len(DISTRICTS)}" for d in DISTRICTS]
    path.write_text("\n".join(lines) + "\n")
    return path


def generate(responses: int) -> None:
    """The campaign and its responses, written with executemany (no services: it is a data set)."""
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from municipia.diagnosis.choices import ProfileKind, QuestionKind
    from municipia.diagnosis.models import Campaign, Option, Question, Questionnaire, Response, Section
    from municipia.organizations.choices import OrganizationKind
    from municipia.organizations.models import Organization

    rng = random.Random(SEED)
    started = time.perf_counter()
    with transaction.atomic():
        council, _ = Organization.objects.get_or_create(
            slug="benchmark-council", defaults={"name_en": "Benchmark council", "kind": OrganizationKind.MUNICIPALITY}
        )
        questionnaire = Questionnaire.objects.create(owner=council, title_en="Benchmark questionnaire")
        section = Section.objects.create(questionnaire=questionnaire, title_en="All", position=1)
        questions: list[tuple[Question, list[Option], list[Option]]] = []

        def add(code, kind, options=(), rows=(), **extra):
            question = Question.objects.create(
                questionnaire=questionnaire, section=section, code=code, kind=kind, text_en=f"Question {code}",
                position=len(questions), **extra,
            )  # fmt: skip
            made = [
                Option.objects.create(question=question, code=o, label_en=o, position=i) for i, o in enumerate(options)
            ]
            made_rows = [
                Option.objects.create(question=question, code=r, label_en=r, position=i, is_row=True)
                for i, r in enumerate(rows)
            ]
            questions.append((question, made, made_rows))

        add("age_band", QuestionKind.SINGLE_CHOICE, AGES, is_profile=True, profile_kind=ProfileKind.AGE_BAND)
        add("sex", QuestionKind.SINGLE_CHOICE, SEXES, is_profile=True, profile_kind=ProfileKind.SEX)
        add("district", QuestionKind.SINGLE_CHOICE, DISTRICTS, is_profile=True, profile_kind=ProfileKind.DISTRICT)
        for n in range(12):
            add(f"single{n}", QuestionKind.SINGLE_CHOICE, ["a", "b", "c", "d"], allow_other=n == 0)
        for n in range(6):
            add(f"multi{n}", QuestionKind.MULTIPLE_CHOICE, ["a", "b", "c", "d", "e"])
        for n in range(10):
            add(f"likert{n}", QuestionKind.LIKERT)
        for n in range(5):
            add(f"number{n}", QuestionKind.NUMBER)
        for n in range(2):
            add(f"text{n}", QuestionKind.TEXT)
        add("ranking", QuestionKind.RANKING, ["w", "x", "y", "z"])
        add("matrix", QuestionKind.MATRIX, ["low", "mid", "high"], rows=["r1", "r2", "r3"])
        assert len(questions) == 40
        campaign = Campaign.objects.create(
            questionnaire=questionnaire, owner=council, title_en="Benchmark campaign", slug=SLUG, status="closed"
        )
        day = timezone.make_aware(dt.datetime(2026, 3, 1))
        Response.objects.bulk_create(
            (Response(campaign=campaign, submitted_at=day, is_demo=True) for _ in range(responses)), batch_size=5000
        )
        ids = list(Response.objects.filter(campaign=campaign).order_by("id").values_list("id", flat=True))
        table = "diagnosis_answer"
        sql = (
            f"INSERT INTO {table} (response_id, question_id, option_id, row_id, value_number, value_text, rank) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s, %s, %s)"
        )
        batch: list[tuple] = []
        written = 0
        with connection.cursor() as cursor:
            for response_id in ids:
                age = rng.choices(range(4), SAMPLE_AGE)[0]
                male = rng.random() < SAMPLE_MALE
                district = min(9, int(rng.expovariate(0.35)))
                for question, options, rows in questions:
                    q = question.pk
                    kind = question.kind
                    if question.code == "age_band":
                        batch.append((response_id, q, options[age].pk, None, None, "", None))
                    elif question.code == "sex":
                        batch.append((response_id, q, options[int(male)].pk, None, None, "", None))
                    elif question.code == "district":
                        batch.append((response_id, q, options[district].pk, None, None, "", None))
                    elif kind == QuestionKind.SINGLE_CHOICE:
                        pick = min(3, int(rng.random() * 2 + age * rng.random()))
                        batch.append((response_id, q, options[pick].pk, None, None, "", None))
                    elif kind == QuestionKind.MULTIPLE_CHOICE:
                        for option in rng.sample(options, rng.randint(1, 3)):
                            batch.append((response_id, q, option.pk, None, None, "", None))
                    elif kind == QuestionKind.LIKERT:
                        value = min(5, max(1, round(rng.gauss(3.6 - 0.3 * age, 1))))
                        batch.append((response_id, q, None, None, float(value), "", None))
                    elif kind == QuestionKind.NUMBER:
                        batch.append((response_id, q, None, None, round(rng.gauss(10 - age, 3), 1), "", None))
                    elif kind == QuestionKind.TEXT:
                        if rng.random() < 0.3:
                            batch.append((response_id, q, None, None, None, f"comment {rng.randrange(10**6)}", None))
                    elif kind == QuestionKind.RANKING:
                        for rank, option in enumerate(rng.sample(options, len(options)), start=1):
                            batch.append((response_id, q, option.pk, None, None, "", rank))
                    elif kind == QuestionKind.MATRIX:
                        for row in rows:
                            batch.append((response_id, q, rng.choice(options).pk, row.pk, None, "", None))
                if len(batch) >= 50_000:
                    cursor.executemany(sql, batch)
                    written += len(batch)
                    batch = []
            cursor.executemany(sql, batch)
            written += len(batch)
    print(f"generated {responses:,} responses, {written:,} answers in {time.perf_counter() - started:.0f} s")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def set_margins(db: Path):
    """The campaign's population margins, stored on it through the service (shares from the counts)."""
    from municipia.diagnosis import results, services
    from municipia.diagnosis.models import Campaign

    campaign = Campaign.objects.get(slug=SLUG)
    margins = results.margins_as_shares(results.read_margins(margins_file(db)))
    if campaign.population_margins != margins:
        services.campaign_margins_update(acting_user=None, campaign=campaign, margins=margins)
    return Campaign.objects.get(slug=SLUG)


def measure(db: Path, runs: int, with_xlsx: bool) -> tuple[list[tuple[str, str]], str, str]:
    """In-process figures; returns them with the results page's path and a signed-in session key."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from municipia.diagnosis import analysis, results
    from municipia.diagnosis.models import Answer, CampaignResultSnapshot, Response

    campaign = set_margins(db)
    n = Response.objects.filter(campaign=campaign).count()
    answers = Answer.objects.filter(response__campaign=campaign).count()
    rows: list[tuple[str, str]] = [("data", f"{n:,} responses, 40 questions, {answers:,} answer rows (SQLite)")]

    started = time.perf_counter()
    computed = results.snapshot_compute(campaign)
    total_ms = (time.perf_counter() - started) * 1000
    weighting = computed.weighting
    snapshot = CampaignResultSnapshot.objects.get(campaign=campaign)
    size = len(snapshot.results)
    rows.append(
        (
            "results computed and stored from scratch (load, weight, analyse 40 questions; the background task)",
            f"{total_ms / 1000:,.1f} s; snapshot {size / 1024:,.0f} KiB",
        )
    )
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        stored = CampaignResultSnapshot.objects.filter(campaign=campaign).values_list("results", flat=True).first()
        results._loads(stored)
        timings.append((time.perf_counter() - started) * 1000)
    rows.append(("stored snapshot read and unpickled", f"{statistics.median(timings):.2f} ms (median of 20)"))

    # Raking alone, on the respondents' profiles (already loaded): the cost a change of margins adds.
    questions = results.campaign_questions(campaign)
    profile_questions = [q for q in questions if q.is_profile]
    ids, values = results.load_answers(campaign, profile_questions)
    by_kind = {q.profile_kind: values[q.pk] for q in profile_questions}
    respondents = [
        {"age_band|sex": f"{by_kind['age_band'][i]}|{by_kind['sex'][i]}", "district": by_kind["district"][i]}
        for i in range(len(ids))
    ]
    margins = results.campaign_margins(campaign)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        raked = analysis.rake(respondents, margins, tolerance=1e-6, max_iterations=100)
        timings.append((time.perf_counter() - started) * 1000)
    rows.append(
        (
            "raking to convergence (tolerance 1e-6, 8 age×sex + 10 district categories)",
            f"{statistics.median(timings):,.0f} ms, {raked.iterations} iterations, converged {raked.converged}, "
            f"max margin error {raked.max_margin_error:.1e}, n_eff {raked.n_eff:,.0f}, deff {raked.design_effect:.2f}",
        )
    )
    assert weighting is not None and weighting.applied, weighting and [p.message for p in weighting.problems]

    # The results page once computed: first request with an empty cache (snapshot read, body rendered).
    admin, _ = get_user_model().objects.get_or_create(username="benchmark-admin", defaults={"is_superuser": True})
    admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    with translation.override("en"):
        url = reverse("diagnosis-results:campaign", kwargs={"slug": SLUG})
    cache.clear()
    started = time.perf_counter()
    first = client.get(url)
    first_ms = (time.perf_counter() - started) * 1000
    assert first.status_code == 200, first.status_code
    for _ in range(10):
        client.get(url)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    rows.append(("results page, first request of a process (snapshot read, page rendered)", f"{first_ms:,.0f} ms"))
    rows.append(
        (
            f"results page once computed ({runs} requests, test client, one process)",
            f"p50 {statistics.median(samples):.1f} ms, p95 {percentile(samples, 0.95):.1f} ms",
        )
    )

    # The full responses export: streamed CSV, peak Python memory while consuming it.
    export_url = reverse("diagnosis-results:responses-csv", kwargs={"slug": SLUG})
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get(export_url)
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append(
        (
            "full responses export, CSV streamed",
            f"{size / 1e6:,.1f} MB in {seconds:,.1f} s, peak Python memory {peak / 2**20:,.1f} MiB",
        )
    )
    if with_xlsx:
        tracemalloc.start()
        started = time.perf_counter()
        response = client.get(reverse("diagnosis-results:responses-xlsx", kwargs={"slug": SLUG}))
        size = sum(len(chunk) for chunk in response.streaming_content)
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append(
            (
                "full responses export, XLSX (write-only)",
                f"{size / 1e6:,.1f} MB in {seconds:,.1f} s, peak Python memory {peak / 2**20:,.1f} MiB",
            )
        )
    return rows, url, session_for(admin)


def session_for(user) -> str:
    """A stored session of `user` (what signing in creates), for wrk's Cookie header."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def run_wrk(wrk: str, script: Path, url: str, args, headers: list[str]) -> dict:
    from benchmarks.run import BenchmarkError

    threads = max(1, min(args.clients, 2))
    command = [wrk, f"-t{threads}", f"-c{args.clients}", f"-d{args.duration:g}s", "--timeout", "30s", "-s", str(script)]
    for header in headers:
        command += ["-H", header]
    completed = subprocess.run([*command, url], capture_output=True, text=True, check=False)
    for line in completed.stdout.splitlines():
        if line.startswith("WRK-JSON "):
            return json.loads(line.removeprefix("WRK-JSON "))
    raise BenchmarkError(f"wrk gave no figures for {url}:\n{completed.stdout}\n{completed.stderr}")


def measure_under_load(db: Path, page_path: str, session_key: str, args) -> list[tuple[str, str]]:
    """The bare view and the results page under wrk, one after the other against one gunicorn."""
    from benchmarks import run

    wrk = run.ensure_wrk()
    env = run.server_env(db.resolve())
    env["PUBLIC_CACHE"] = "0"
    run.collect_static(env)
    port = run.free_port()
    log_path = db.with_name("diagnosis-gunicorn.log")
    workers = args.workers or 2 * (os.cpu_count() or 1)
    server = run.start_server(env, port, workers, log_path)
    cookie = f"Cookie: sessionid={session_key}"
    targets = [("bare view (one SQL query)", "/bench/bare/?plan=none", []), ("results page", page_path, [cookie])]
    figures = []
    try:
        run.wait_until_ready(server, port, "/bench/bare/", log_path)
        for name, path, headers in targets:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("GET", path, headers=dict(h.split(": ", 1) for h in headers))
            answer = conn.getresponse()
            answer.read()
            conn.close()
            if answer.status != 200:
                raise run.BenchmarkError(f"{name} ({path}) answered {answer.status}")
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script_file:
            script_file.write(run.WRK_SCRIPT)
        script = Path(script_file.name)
        try:
            for name, path, headers in targets:
                url = f"http://127.0.0.1:{port}{path}"
                warm = argparse.Namespace(**{**vars(args), "duration": args.warmup})
                run_wrk(wrk, script, url, warm, headers)  # warms every worker's caches; discarded
                time.sleep(0.5)
                busy_before = run.machine_busy_seconds()
                cpu_before = run.workers_cpu_seconds(server.pid)
                result = run_wrk(wrk, script, url, args, headers)
                busy_after, cpu_after = run.machine_busy_seconds(), run.workers_cpu_seconds(server.pid)
                errors = {kind: n for kind, n in result["errors"].items() if n}
                if errors:
                    raise run.BenchmarkError(f"{name}: errors during the run {errors}")
                seconds = result["duration_us"] / 1e6
                result["rps"] = result["requests"] / seconds
                result["cpu_ms"] = (cpu_after - cpu_before) * 1000 / max(result["requests"], 1)
                result["others"] = max(0.0, (busy_after - busy_before) - (cpu_after - cpu_before)) / seconds
                figures.append((name, path, result))
                time.sleep(min(result["max_us"] / 1e6, 30) + 0.2)
        finally:
            script.unlink(missing_ok=True)
    finally:
        run.stop(server)
    bare_rps = figures[0][2]["rps"]
    rows = []
    for name, path, result in figures:
        rows.append(
            (
                f"{name} under wrk, {args.clients} clients, gunicorn {workers} workers (`{path}`)",
                f"p50 {result['p50_us'] / 1000:.1f} ms, p95 {result['p95_us'] / 1000:.1f} ms, "
                f"{result['rps']:,.0f} req/s (ratio to bare view {result['rps'] / bare_rps:.2f}), "
                f"server CPU {result['cpu_ms']:.1f} ms/req, other programs and wrk {result['others']:.1f} cores",
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="SQLite data set (default: benchmarks/data/diagnosis[-N].sqlite3)")
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--xlsx", action="store_true", help="also measure the XLSX export (slow)")
    parser.add_argument("--duration", type=float, default=15, help="seconds measured per wrk target")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of discarded warm-up per wrk target")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default 2 × CPUs)")
    parser.add_argument("--no-wrk", action="store_true", help="only the in-process figures")
    args = parser.parse_args()
    if args.db is None:
        suffix = "" if args.responses == 100_000 else f"-{args.responses}"
        args.db = BENCH_DIR / "data" / f"diagnosis{suffix}.sqlite3"
    args.db.parent.mkdir(parents=True, exist_ok=True)
    configure(args.db)
    from django.core.management import call_command
    from django.db import connection

    from municipia.diagnosis.models import Campaign

    call_command("migrate", verbosity=0)
    if not Campaign.objects.filter(slug=SLUG).exists():
        generate(args.responses)
    rows, page_path, session_key = measure(args.db, args.runs, args.xlsx)
    connection.close()
    if not args.no_wrk:
        rows += measure_under_load(args.db, page_path, session_key, args)
    print()
    print("| diagnosis benchmark | figure |")
    print("| --- | --- |")
    for label, figure in rows:
        print(f"| {label} | {figure} |")


if __name__ == "__main__":
    main()
