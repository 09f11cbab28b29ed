"""The governance part of the country-sized benchmark (issue 3): its data and its in-process measurements.

    .venv/bin/python benchmarks/governance.py generate [--db PATH]   # adds it to a data set that lacks it
    .venv/bin/python benchmarks/governance.py measure [--db PATH] [--runs 7]

`generate` adds 500 bodies to the data set of `generate.py`, each with members, one meeting series
(10 to 30 meetings, 10,000 in all), agendas, minutes, decisions, tasks and reports; one network plan
gets 24 bodies (the largest plan feed) and its coordinator sits in all of them (the largest person
feed). Like `generate.py` it writes with `bulk_create` (no services, no history) and fills every
language; the series are expanded by the product's own recurrence code, around public holidays.
`build()` in generate.py calls it, and `run.py` calls it on a data set built before it existed.

`measure` answers the issue's two in-process questions, on the benchmark's settings with the public
page cache off (so every request does its work): the number of SQL queries of the body page, a
person's feed and the plan feed, for a small and for the largest object (equal or near: constant
whatever the size), and the time to build the largest feed. It prints a report and one JSON line.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

from benchmarks.generate import DEFAULT_DB, Timer, configure_django, formatted, texts  # noqa: E402

SEED = 20230530 + 3
BODIES = 500
LARGEST_PLAN_BODIES = 24
MEETINGS_PER_SERIES = (10, 30)  # uniform, so about 20 per series and 10,000 in all
MEMBERS_PER_BODY = (4, 16)
AGENDA_ITEMS_PER_MEETING = 2
DECISIONS_PER_BODY = 2
TASKS_PER_BODY = 6
PUBLIC_SHARE = 0.9
# The day this part of the data set takes as "today": past meetings have minutes, open tasks due
# before it are overdue. The first meetings are spread over the year before it and the series run a
# year or more after it, so the public calendar (upcoming meetings from the real today) has a full
# page for a long while. Fixed, so two builds hold the same content.
AS_OF = date(2026, 11, 23)
FIRST_MEETINGS_FROM = date(2025, 9, 1)
JSON_PREFIX = "GOVERNANCE-JSON "

BODY_NAMES = (
    ("Coordination group of axis {n}", "Grupo de coordinación del eje {n}", "Grup de coordinació de l'eix {n}",
     "Координационна група по ос {n}"),
    ("Working group {n}", "Grupo de trabajo {n}", "Grup de treball {n}", "Работна група {n}"),
)  # fmt: skip
SERIES_TITLE = ("{name} · meeting", "{name} · reunión", "{name} · reunió", "{name} · заседание")
AGENDA = (
    ("Approval of the previous minutes", "Aprobación del acta anterior", "Aprovació de l'acta anterior",
     "Одобряване на предишния протокол"),
    ("Follow-up of the actions", "Seguimiento de las acciones", "Seguiment de les accions",
     "Проследяване на действията"),
)  # fmt: skip
DECISION = (
    "Decision {n}: the group agrees the next steps.",
    "Acuerdo {n}: el grupo acuerda los próximos pasos.",
    "Acord {n}: el grup acorda els propers passos.",
    "Решение {n}: групата договаря следващите стъпки.",
)
TASK = ("Follow-up task {n}", "Tarea de seguimiento {n}", "Tasca de seguiment {n}", "Задача за проследяване {n}")
REPORT = ("Progress as planned.", "Avance según lo previsto.", "Avenç segons el previst.", "Напредък по план.")
FIRST_NAMES = ["Ana", "Jordi", "Lucía", "Marc", "Elena", "Pau", "Maria", "Iván", "Nuria", "Georgi", "Petya", "Dimitar"]
LAST_NAMES = ["García", "Puig", "Martínez", "Serra", "López", "Vidal", "Ivanova", "Petrov", "Ruiz", "Ferrer"]
RULES = (
    "FREQ=MONTHLY;BYDAY=-1TU;COUNT={n}",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT={n}",
    "FREQ=MONTHLY;BYMONTHDAY=15;COUNT={n}",
)


def has_governance() -> bool:
    from municipia.governance.models import Body

    return Body.objects.exists()


def generate(db_path: Path) -> None:
    """Adds the governance data to the data set at `db_path` unless it already has bodies."""
    configure_django(db_path)
    from django.core.management import call_command
    from django.db import connection, transaction

    timer = Timer()
    call_command("migrate", interactive=False, verbosity=0)  # a data set built by an older checkout
    if has_governance():
        print("The data set already has governance bodies; nothing to add.", flush=True)
        return
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
        connection.features.max_query_params = 30_000
    with transaction.atomic():
        fill(random.Random(SEED), timer)
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    print(f"Governance data added in {timer.total:.1f} s", flush=True)


def fill(rng: random.Random, timer: Timer) -> None:
    from django.db.models import Max

    from municipia.governance.choices import (
        AttendanceStatus,
        BodyKind,
        HolidayPolicy,
        MemberRole,
        MinutesStatus,
        TaskStatus,
    )
    from municipia.governance.models import (
        AgendaItem,
        Attendance,
        Body,
        BodyMember,
        CalendarToken,
        Decision,
        Meeting,
        MeetingSeries,
        Report,
        Task,
    )
    from municipia.governance.recurrence import expand
    from municipia.organizations.choices import Country, OrganizationKind
    from municipia.organizations.models import Person
    from municipia.strategy.choices import PlanStatus
    from municipia.strategy.models import Action, Axis, Plan

    # Published plans running through the meetings' dates; the largest goes to a network's plan.
    eligible = list(
        Plan.objects.filter(
            is_published=True,
            status__in=[PlanStatus.IN_EXECUTION, PlanStatus.APPROVED],
            period_start__lte=FIRST_MEETINGS_FROM,
            period_end__gte=date(2027, 12, 31),
        )
        .order_by("pk")
        .values("id", "owner_id", "owner__kind", "owner__country")
    )
    networks = [p for p in eligible if p["owner__kind"] == OrganizationKind.NETWORK]
    largest = networks[0] if networks else eligible[0]
    others = [p for p in eligible if p["id"] != largest["id"]]
    small_plans = rng.sample(others, (BODIES - LARGEST_PLAN_BODIES) // 2)
    bodies_of_plan = [(largest, LARGEST_PLAN_BODIES)] + [(p, 2) for p in small_plans]
    plan_ids = [p["id"] for p, _n in bodies_of_plan]
    axes_of: dict[int, list[int]] = {}
    for plan_id, axis_id in Axis.objects.filter(plan_id__in=plan_ids).order_by("position").values_list("plan", "id"):
        axes_of.setdefault(plan_id, []).append(axis_id)
    actions_of: dict[int, list[tuple[int, int]]] = {}
    for plan_id, action_id, axis_id in (
        Action.objects.filter(plan_id__in=plan_ids).order_by("code").values_list("plan", "id", "objective__axis")
    ):
        actions_of.setdefault(plan_id, []).append((action_id, axis_id))

    def next_id(model) -> int:
        return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1

    person_id = next_id(Person)
    body_id = next_id(Body)
    people, bodies, members, series_rows, meetings = [], [], [], [], []
    coordinator_of: dict[int, int] = {}  # plan → a person who sits in every body of that plan
    for plan, count in bodies_of_plan:
        coordinator_of[plan["id"]] = person_id
        people.append(
            Person(id=person_id, full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                   organization_id=plan["owner_id"], position_en="Coordinator")
        )  # fmt: skip
        person_id += 1
        coordination_body = None
        for k in range(count):
            kind = BodyKind.COORDINATION_GROUP if k == 0 else BodyKind.WORKING_GROUP
            axis_ids = axes_of.get(plan["id"], [None])
            axis_id = axis_ids[k % len(axis_ids)]
            plan_actions = actions_of.get(plan["id"], [])
            action_id = (
                plan_actions[k % len(plan_actions)][0] if kind == BodyKind.WORKING_GROUP and plan_actions else None
            )
            bulgarian = plan["owner__country"] == Country.BULGARIA
            zone = "Europe/Sofia" if bulgarian else "Europe/Madrid"
            body = Body(
                id=body_id,
                kind=kind,
                plan_id=plan["id"],
                axis_id=axis_id,
                action_id=action_id,
                followed_up_by_id=coordination_body,
                holiday_region="BG" if bulgarian else "ES",
                time_zone=zone,
                is_public=k == 0 or rng.random() < PUBLIC_SHARE,
                **texts("name", formatted(BODY_NAMES[min(k, 1)], n=k if k else 1)),
                mandate_en="Benchmark body.",
            )
            bodies.append(body)
            if k == 0:
                coordination_body = body_id
            start = FIRST_MEETINGS_FROM + timedelta(days=rng.randint(0, 300))
            size = rng.randint(*MEMBERS_PER_BODY)
            seats = [coordinator_of[plan["id"]]]
            for _seat in range(size - 1):
                people.append(
                    Person(id=person_id, full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                           organization_id=plan["owner_id"], position_en="Member")
                )  # fmt: skip
                seats.append(person_id)
                person_id += 1
            for i, seat in enumerate(seats):
                role = MemberRole.CHAIR if i == 1 else MemberRole.SECRETARY if i == 2 else MemberRole.MEMBER
                members.append(
                    BodyMember(body_id=body_id, person_id=seat, organization_id=plan["owner_id"], role=role,
                               start_date=FIRST_MEETINGS_FROM)
                )  # fmt: skip
            n = rng.randint(*MEETINGS_PER_SERIES)
            rule = rng.choice(RULES).format(n=n)
            first = datetime(start.year, start.month, start.day, rng.choice([10, 12, 17]), 0)
            occurrences = expand(
                rule=rule,
                first_start=first,
                time_zone=zone,
                duration_minutes=90,
                holiday_region=body.holiday_region,
                on_holiday=HolidayPolicy.NEXT_WORKING_DAY,
                until=date(2028, 12, 31),
                limit=100,
            )
            title = formatted(SERIES_TITLE, name=body.name_en)
            series = MeetingSeries(
                body_id=body_id,
                rrule=rule,
                first_start=occurrences[0].slot,
                time_zone=zone,
                duration_minutes=90,
                online_url=f"https://meet.example.org/bench-{body_id}",
                on_holiday=HolidayPolicy.NEXT_WORKING_DAY,
                **texts("title", title),
            )
            series_rows.append((series, body, occurrences, seats))
            body_id += 1
    Person.objects.bulk_create(people)
    Body.objects.bulk_create(bodies)
    BodyMember.objects.bulk_create(members)
    timer.step(f"{len(bodies)} bodies, {len(members)} members, {len(people)} people")

    MeetingSeries.objects.bulk_create([s for s, _b, _o, _p in series_rows])
    as_of = datetime(AS_OF.year, AS_OF.month, AS_OF.day, tzinfo=UTC)
    meeting_id = next_id(Meeting)
    meeting_seats: list[tuple[int, list[int]]] = []
    for series, body, occurrences, seats in series_rows:
        for occurrence in occurrences:
            past = occurrence.starts_at < as_of
            meetings.append(
                Meeting(
                    id=meeting_id,
                    body_id=body.id,
                    series_id=series.id,
                    starts_at=occurrence.starts_at,
                    ends_at=occurrence.ends_at,
                    original_start=occurrence.slot if occurrence.is_moved else None,
                    online_url=series.online_url,
                    is_cancelled=rng.random() < 0.02,
                    minutes="Minutes of the meeting (benchmark)." if past else "",
                    minutes_status=MinutesStatus.APPROVED if past else MinutesStatus.DRAFT,
                    **{f"title_{code}": getattr(series, f"title_{code}") for code in ("en", "es", "ca", "bg")},
                )
            )
            if past:
                meeting_seats.append((meeting_id, seats))
            meeting_id += 1
    Meeting.objects.bulk_create(meetings, batch_size=2_000)
    agenda = [
        AgendaItem(meeting_id=m.id, position=p + 1, **texts("title", AGENDA[p]))
        for m in meetings
        for p in range(AGENDA_ITEMS_PER_MEETING)
    ]
    AgendaItem.objects.bulk_create(agenda, batch_size=5_000)
    attendance = [
        Attendance(meeting_id=m, person_id=seat, status=AttendanceStatus.PRESENT if rng.random() < 0.85 else
                   AttendanceStatus.EXCUSED)
        for m, seats in meeting_seats
        for seat in seats
    ]  # fmt: skip
    Attendance.objects.bulk_create(attendance, batch_size=5_000)
    timer.step(f"{len(meetings)} meetings, {len(agenda)} agenda items, {len(attendance)} attendances")

    decisions, tasks, reports = [], [], []
    decision_id = next_id(Decision)
    for _series, body, _occurrences, seats in series_rows:
        for n in range(1, DECISIONS_PER_BODY + 1):
            decisions.append(
                Decision(id=decision_id, body_id=body.id, number=n, **texts("text", formatted(DECISION, n=n)))
            )
            decision_id += 1
        for n in range(1, TASKS_PER_BODY + 1):
            due = AS_OF + timedelta(days=rng.randint(-120, 120))
            status = TaskStatus.DONE if due < AS_OF and rng.random() < 0.6 else TaskStatus.OPEN
            tasks.append(
                Task(body_id=body.id, decision_id=decision_id - 1, owner_id=rng.choice(seats), due_date=due,
                     status=status, **texts("title", formatted(TASK, n=n)))
            )  # fmt: skip
        if body.followed_up_by_id:
            reports.append(
                Report(body_id=body.id, addressed_to_id=body.followed_up_by_id, period_start=AS_OF - timedelta(90),
                       period_end=AS_OF - timedelta(1), progress_percent=rng.randint(10, 90),
                       **texts("progress", REPORT))
            )  # fmt: skip
    Decision.objects.bulk_create(decisions)
    Task.objects.bulk_create(tasks)
    Report.objects.bulk_create(reports)
    # A private feed address for every coordinator and for one ordinary member per body.
    tokens = {coordinator_of[p] for p in coordinator_of} | {seats[-1] for _s, _b, _o, seats in series_rows}
    CalendarToken.objects.bulk_create(
        [CalendarToken(person_id=p, token=f"bench-{p:06d}-{rng.getrandbits(64):016x}") for p in sorted(tokens)]
    )
    timer.step(f"{len(decisions)} decisions, {len(tasks)} tasks, {len(reports)} reports, {len(tokens)} feed tokens")


# --- Measurements


def pick_objects() -> dict:
    """The small and the largest body, person (with a feed token) and plan, by number of meetings."""
    from django.db.models import Count

    from municipia.governance.choices import BodyKind
    from municipia.governance.models import Body, BodyMember, CalendarToken
    from municipia.strategy.models import Plan

    public = Body.objects.filter(is_public=True, plan__is_published=True)
    # Like with like: a coordination group's page also lists the groups it follows up.
    by_kind = {}
    for kind in (BodyKind.COORDINATION_GROUP, BodyKind.WORKING_GROUP):
        by_kind[kind] = list(
            public.filter(kind=kind)
            .annotate(n=Count("meetings", distinct=True), followed=Count("follows_up", distinct=True))
            .order_by("followed", "n", "pk")
            .values_list("pk", "n", "followed")
        )
    plans = list(
        Plan.objects.filter(bodies__in=public).annotate(n=Count("bodies__meetings")).order_by("n", "pk")
        .values_list("slug", "n")
    )  # fmt: skip
    tokens = dict(CalendarToken.objects.filter(revoked_at__isnull=True).values_list("person_id", "token"))
    meetings_of_person = {}
    for person_id, n in (
        BodyMember.objects.filter(person_id__in=tokens).values("person_id").annotate(n=Count("body__meetings"))
        .values_list("person_id", "n")
    ):  # fmt: skip
        meetings_of_person[person_id] = n
    people = sorted(meetings_of_person.items(), key=lambda row: (row[1], row[0]))
    return {
        "coordination group page": (by_kind[BodyKind.COORDINATION_GROUP][0], by_kind[BodyKind.COORDINATION_GROUP][-1]),
        "working group page": (by_kind[BodyKind.WORKING_GROUP][0], by_kind[BodyKind.WORKING_GROUP][-1]),
        "plan": (plans[0], plans[-1]),
        "person": ((tokens[people[0][0]], people[0][1]), (tokens[people[-1][0]], people[-1][1])),
    }


def measure(db_path: Path, runs: int) -> dict:
    """Query counts (small vs largest) and feed build times, in process, with the public cache off."""
    os.environ["PUBLIC_CACHE"] = "0"
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    configure_django(db_path, "benchmarks.settings")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    objects = pick_objects()
    client = Client()

    def url(name: str, **kwargs) -> str | None:
        try:
            with translation.override("en"):
                return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            return None

    routes = {
        "coordination group page": ("governance:body-detail", "pk", objects["coordination group page"]),
        "working group page": ("governance:body-detail", "pk", objects["working group page"]),
        "person feed": ("calendars:person", "token", objects["person"]),
        "plan feed": ("calendars:plan", "slug", objects["plan"]),
    }
    counts, skipped = {}, []
    for label, (name, kwarg, (small, large)) in routes.items():
        row = {}
        for size, (key, meetings, *followed) in (("small", small), ("largest", large)):
            path = url(name, **{kwarg: key})
            if path is None:
                skipped.append(f"{label}: no URL named {name} yet")
                break
            client.get(path)  # warms the process (imports, compiled templates)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            if response.status_code != 200:
                skipped.append(f"{label}: {path} answered {response.status_code}")
                break
            row[size] = {"path": path, "meetings": meetings, "queries": len(queries), "bytes": len(response.content)}
            if followed:
                row[size]["follows_up"] = followed[0]
        else:
            counts[label] = row

    timings = {}
    for label, name, kwargs, meetings, repeat in (
        ("largest plan feed", "calendars:plan", {"slug": objects["plan"][1][0]}, objects["plan"][1][1], runs),
        ("largest person feed", "calendars:person", {"token": objects["person"][1][0]}, objects["person"][1][1], runs),
        ("public calendar page", "governance:calendar", {}, None, runs),
        # Every public meeting of the country: slow, so fewer runs.
        ("public feed", "calendars:public", {}, None, min(runs, 3)),
    ):
        path = url(name, **kwargs)
        if path is None:
            skipped.append(f"{label}: no URL named {name} yet")
            continue
        client.get(path)
        samples, size = [], 0
        for _run in range(repeat):
            started = time.perf_counter()
            response = client.get(path)
            samples.append((time.perf_counter() - started) * 1000)
            size = len(response.content)
        if response.status_code != 200:
            skipped.append(f"{label}: {path} answered {response.status_code}")
            continue
        events = response.content.count(b"BEGIN:VEVENT")
        timings[label] = {
            "path": path,
            "meetings": meetings if meetings is not None else events,
            "events": events,
            "bytes": size,
            "median_ms": statistics.median(samples),
            "min_ms": min(samples),
            "runs": repeat,
        }
    connection.close()
    return {"query_counts": counts, "feed_build": timings, "skipped": skipped}


def print_report(result: dict) -> None:
    print("Governance, in process (benchmark settings, public page cache off):")
    for label, row in result["query_counts"].items():
        small, large = row["small"], row["largest"]
        verdict = "constant" if abs(large["queries"] - small["queries"]) <= 1 else "GROWS WITH SIZE"
        print(
            f"  {label:<24} queries: {small['queries']:>3} for {small['meetings']:>4} meetings, "
            f"{large['queries']:>3} for {large['meetings']:>4} meetings ({verdict})"
            + (
                f"; following up {small['follows_up']} and {large['follows_up']} groups"
                if "follows_up" in large
                else ""
            )
        )
    for label, row in result["feed_build"].items():
        print(
            f"  {label:<21} "
            + (f"{row['events']:>5} events" if row["events"] else "   a page  ")
            + f", {row['bytes'] / 1024:7.0f} KiB, built in "
            f"{row['median_ms']:7.1f} ms (median of {row['runs']}; min {row['min_ms']:.1f} ms)"
        )
    for reason in result["skipped"]:
        print(f"  SKIPPED {reason}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["generate", "measure"])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"SQLite data set (default {DEFAULT_DB}).")
    parser.add_argument("--runs", type=int, default=7, help="Runs per feed build timing (median reported).")
    args = parser.parse_args(argv)
    db_path = args.db.resolve()
    if not db_path.exists():
        print(f"No data set at {db_path}: build it with benchmarks/generate.py first.", file=sys.stderr)
        return 2
    if args.step == "generate":
        generate(db_path)
        return 0
    import json

    result = measure(db_path, args.runs)
    print_report(result)
    print(JSON_PREFIX + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
