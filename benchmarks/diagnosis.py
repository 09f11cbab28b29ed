"""The diagnosis benchmark (issue 6): 100,000 responses to a 40-question questionnaire.

    .venv/bin/python benchmarks/diagnosis.py [--db benchmarks/data/diagnosis.sqlite3] [--responses 100000]
                                             [--runs 200] [--xlsx]

The first run creates a separate SQLite file (git-ignored, under benchmarks/data/), migrates it and
generates a campaign with a fixed seed: 3 profile questions (age band × sex, district) and 37 others
(single and multiple choice, Likert, number, free text, ranking, matrix), about 50 answer rows per
response, inserted with executemany. The sample is skewed against the population margins written
next to it, so raking has work to do.

It then measures, in process: computing the results from scratch (load + raking + analysis of every
question), raking alone to convergence (iterations and ms), the results page once computed (Django's
test client, signed in, `--runs` requests after a warm-up: p50/p95; the page is served from the
results cache, not from the public page cache, which never applies to signed-in users), and the peak
Python memory (tracemalloc) of the full responses export as streamed CSV (and XLSX with --xlsx).
It prints a Markdown table for the README.
"""

import argparse
import os
import random
import statistics
import sys
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


def measure(db: Path, runs: int, with_xlsx: bool) -> list[tuple[str, str]]:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from municipia.diagnosis import analysis, results, results_views
    from municipia.diagnosis.models import Answer, Campaign, Response

    results.MARGIN_FILES[SLUG] = str(margins_file(db))
    campaign = Campaign.objects.get(slug=SLUG)
    n = Response.objects.filter(campaign=campaign).count()
    answers = Answer.objects.filter(response__campaign=campaign).count()
    rows: list[tuple[str, str]] = [("data", f"{n:,} responses, 40 questions, {answers:,} answer rows (SQLite)")]

    started = time.perf_counter()
    computed, _weights = results.compute_results(campaign)
    total_ms = (time.perf_counter() - started) * 1000
    weighting = computed.weighting
    rows.append(("results computed from scratch (load, weight, analyse 40 questions)", f"{total_ms:,.0f} ms"))

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

    # The results page once computed (first request computes and caches; then timed).
    admin, _ = get_user_model().objects.get_or_create(username="benchmark-admin", defaults={"is_superuser": True})
    admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
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
    rows.append(("results page, first request (computes and caches)", f"{first_ms:,.0f} ms"))
    rows.append(
        (
            f"results page once computed ({runs} requests, test client, one process)",
            f"p50 {statistics.median(samples):.1f} ms, p95 {percentile(samples, 0.95):.1f} ms",
        )
    )

    # The full responses export: streamed CSV, peak Python memory while consuming it.
    request_factory_client = Client()
    request_factory_client.force_login(admin)
    export_url = reverse("diagnosis-results:responses-csv", kwargs={"slug": SLUG})
    tracemalloc.start()
    started = time.perf_counter()
    response = request_factory_client.get(export_url)
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append(
        (
            "full responses export, CSV streamed",
            f"{size / 1e6:,.1f} MB in {seconds:,.1f} s, peak Python memory {peak / 1e6:,.1f} MB",
        )
    )
    if with_xlsx:
        tracemalloc.start()
        started = time.perf_counter()
        response = request_factory_client.get(reverse("diagnosis-results:responses-xlsx", kwargs={"slug": SLUG}))
        size = sum(len(chunk) for chunk in response.streaming_content)
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append(
            (
                "full responses export, XLSX (write-only)",
                f"{size / 1e6:,.1f} MB in {seconds:,.1f} s, peak Python memory {peak / 1e6:,.1f} MB",
            )
        )
    del results_views
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=BENCH_DIR / "data" / "diagnosis.sqlite3")
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--xlsx", action="store_true", help="also measure the XLSX export (slow)")
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    configure(args.db)
    from django.core.management import call_command

    from municipia.diagnosis.models import Campaign

    call_command("migrate", verbosity=0)
    if not Campaign.objects.filter(slug=SLUG).exists():
        generate(args.responses)
    rows = measure(args.db, args.runs, args.xlsx)
    print()
    print("| diagnosis benchmark | figure |")
    print("| --- | --- |")
    for label, figure in rows:
        print(f"| {label} | {figure} |")


if __name__ == "__main__":
    main()
