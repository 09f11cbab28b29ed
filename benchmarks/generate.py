"""Builds the country-sized benchmark data set in its own SQLite file (or PostgreSQL database), deterministically.

    .venv/bin/python benchmarks/generate.py [--db PATH] [--force]
    DATABASE_URL=postgres://user@host:5432/name .venv/bin/python benchmarks/generate.py [--force]

With a PostgreSQL `DATABASE_URL` the data set goes into that database instead of the SQLite file
(`--db` is then ignored): an empty database is filled; one that holds a complete data set is left
alone; anything else (another database's tables, a build that stopped half-way) is emptied first
only with `--force` (its `public` schema is dropped and created again).

Every Spanish and Bulgarian municipality (through the product's `load_municipalities` command),
regional networks of councils, 2,000 plans (owned by councils and by networks, most of them
published), 4 axes per plan with challenges and objectives, 100,000 actions (50 per plan) with
participating councils, owner departments, leads, milestones and dependencies; then the governance
part (benchmarks/governance.py): 500 bodies with members, 10,000 meetings in 500 series, tasks;
then the indicators part (benchmarks/indicators.py): 500 indicators shared by the networks and
1,000,000 observations, imported through the product's importer.

This is a data-set generator, not product code: it writes with `bulk_create` (no services, no
history) so that the whole country loads in about a minute. It still fills every language column
of the titles, as the services would. The random generator has a fixed seed and every date is
fixed, so two runs give the same content (only the timestamps differ).
"""

import argparse
import os
import random
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
DEFAULT_DB = BENCH_DIR / "data" / "country.sqlite3"

SEED = 20230530
COUNCIL_PLANS = 1_900
NETWORK_PLANS_EACH = 5  # 20 networks × 5 = 100 network plans; 2,000 plans in all
ACTIONS_PER_PLAN = 50
DEPARTMENTS_PER_OWNER = 5
PEOPLE_PER_OWNER = 2
MILESTONES_PER_ACTION = 2
PUBLISHED_SHARE = 0.9
DEPENDENCY_SHARE = 0.2
AS_OF = date(2025, 6, 30)  # "today" of the data set, so that it does not depend on the clock
CHUNK_PLANS = 100  # plans whose content is built and written at a time, to bound memory

LANGS = ("en", "es", "ca", "bg")

# Parallel texts in (en, es, ca, bg).
AXES = [
    (
        "Smart administration and public services",
        "Administración inteligente y servicios públicos",
        "Administració intel·ligent i serveis públics",
        "Интелигентна администрация и обществени услуги",
    ),
    (
        "Digital infrastructure and cybersecurity",
        "Infraestructura digital y ciberseguridad",
        "Infraestructura digital i ciberseguretat",
        "Цифрова инфраструктура и киберсигурност",
    ),
    (
        "Digital society and economy",
        "Sociedad y economía digitales",
        "Societat i economia digitals",
        "Цифрово общество и икономика",
    ),
    (
        "Governance, cooperation and coordination",
        "Gobernanza, cooperación y coordinación",
        "Governança, cooperació i coordinació",
        "Управление, сътрудничество и координация",
    ),
]
CHALLENGES = [
    (
        "Fragmented information systems",
        "Sistemas de información fragmentados",
        "Sistemes d'informació fragmentats",
        "Разпокъсани информационни системи",
    ),
    (
        "Digital divide among residents",
        "Brecha digital entre la población",
        "Bretxa digital entre la població",
        "Цифрово разделение сред жителите",
    ),
    (
        "Limited specialised staff",
        "Personal especializado limitado",
        "Personal especialitzat limitat",
        "Ограничен специализиран персонал",
    ),
    (
        "Rising cyber threats",
        "Amenazas cibernéticas crecientes",
        "Amenaces cibernètiques creixents",
        "Нарастващи киберзаплахи",
    ),
]
OBJECTIVES = [
    (
        "Simplify procedures for residents",
        "Simplificar los trámites para la ciudadanía",
        "Simplificar els tràmits per a la ciutadania",
        "Опростяване на процедурите за жителите",
    ),
    (
        "Share data across departments",
        "Compartir datos entre departamentos",
        "Compartir dades entre departaments",
        "Споделяне на данни между отделите",
    ),
    (
        "Improve coverage and resilience",
        "Mejorar la cobertura y la resiliencia",
        "Millorar la cobertura i la resiliència",
        "Подобряване на покритието и устойчивостта",
    ),
]
VERBS = [
    ("Deploy", "Desplegar", "Desplegar", "Внедряване на"),
    ("Extend", "Ampliar", "Ampliar", "Разширяване на"),
    ("Design", "Diseñar", "Dissenyar", "Проектиране на"),
    ("Pilot", "Pilotar", "Pilotar", "Пилотно въвеждане на"),
    ("Evaluate", "Evaluar", "Avaluar", "Оценка на"),
]
TOPICS = [
    (
        "the digital services portal",
        "el portal de servicios digitales",
        "el portal de serveis digitals",
        "портал за цифрови услуги",
    ),
    (
        "the open data platform",
        "la plataforma de datos abiertos",
        "la plataforma de dades obertes",
        "платформа за отворени данни",
    ),
    ("the cybersecurity plan", "el plan de ciberseguridad", "el pla de ciberseguretat", "план за киберсигурност"),
    ("the fibre network", "la red de fibra óptica", "la xarxa de fibra òptica", "оптична мрежа"),
    ("smart street lighting", "el alumbrado inteligente", "l'enllumenat intel·ligent", "интелигентно осветление"),
    ("the electronic records office", "el registro electrónico", "el registre electrònic", "електронен регистър"),
    (
        "digital skills training",
        "la formación en competencias digitales",
        "la formació en competències digitals",
        "обучение по цифрови умения",
    ),
    (
        "the citizen participation app",
        "la aplicación de participación ciudadana",
        "l'aplicació de participació ciutadana",
        "приложение за гражданско участие",
    ),
    (
        "the urban sensor network",
        "la red de sensores urbanos",
        "la xarxa de sensors urbans",
        "мрежа от градски сензори",
    ),
    ("public Wi-Fi", "la wifi pública", "la wifi pública", "обществен Wi-Fi"),
    (
        "the mobility data hub",
        "el nodo de datos de movilidad",
        "el node de dades de mobilitat",
        "център за данни за мобилността",
    ),
    ("energy monitoring", "la monitorización energética", "el monitoratge energètic", "енергиен мониторинг"),
    ("the accessible website", "la web accesible", "el web accessible", "достъпен уебсайт"),
    (
        "waste collection sensors",
        "los sensores de recogida de residuos",
        "els sensors de recollida de residus",
        "сензори за сметосъбиране",
    ),
    (
        "online payment of local taxes",
        "el pago en línea de tributos locales",
        "el pagament en línia de tributs locals",
        "онлайн плащане на местни данъци",
    ),
    (
        "the local e-commerce marketplace",
        "el mercado digital del comercio local",
        "el mercat digital del comerç local",
        "онлайн пазар за местната търговия",
    ),
]
DEPARTMENTS = [
    (
        "Information technology",
        "Tecnologías de la información",
        "Tecnologies de la informació",
        "Информационни технологии",
    ),
    ("Urban planning", "Urbanismo", "Urbanisme", "Градоустройство"),
    ("Citizen services", "Atención a la ciudadanía", "Atenció a la ciutadania", "Обслужване на гражданите"),
    ("Environment", "Medio ambiente", "Medi ambient", "Околна среда"),
    ("Economic development", "Desarrollo económico", "Desenvolupament econòmic", "Икономическо развитие"),
]
POSITIONS = [
    (
        "Head of digital transformation",
        "Jefa de transformación digital",
        "Cap de transformació digital",
        "Ръководител цифрова трансформация",
    ),
    (
        "Chief information officer",
        "Responsable de sistemas",
        "Responsable de sistemes",
        "Директор информационни системи",
    ),
]
MILESTONES = [
    ("Specification approved", "Pliego aprobado", "Plec aprovat", "Одобрено техническо задание"),
    ("Contract awarded", "Contrato adjudicado", "Contracte adjudicat", "Възложен договор"),
    ("Pilot launched", "Piloto en marcha", "Pilot en marxa", "Стартиран пилотен проект"),
    ("Service in production", "Servicio en producción", "Servei en producció", "Услугата е в експлоатация"),
]
PLAN_TITLE = (
    "Digital transformation strategy of {owner} {start}–{end}",
    "Estrategia de transformación digital de {owner} {start}–{end}",
    "Estratègia de transformació digital de {owner} {start}–{end}",
    "Стратегия за цифрова трансформация на {owner} {start}–{end}",
)
NETWORK_NAME = (
    "Digital network of {region}",
    "Red digital de {region}",
    "Xarxa digital de {region}",
    "Цифрова мрежа на {region}",
)
FIRST_NAMES = ["Ana", "Jordi", "Lucía", "Marc", "Elena", "Pau", "Maria", "Iván", "Nuria", "Georgi", "Petya", "Dimitar"]
LAST_NAMES = ["García", "Puig", "Martínez", "Serra", "López", "Vidal", "Ivanova", "Petrov", "Ruiz", "Ferrer"]


def postgres_url() -> str | None:
    """The PostgreSQL database DATABASE_URL names, if it names one: the data set lives there then."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://", "pgsql://")) else None


def dataset_url(db_path: Path) -> str:
    """Where the data set is: the PostgreSQL DATABASE_URL when set, else the SQLite file `db_path`."""
    return postgres_url() or f"sqlite:///{Path(db_path).resolve()}"


def dataset_name(db_path: Path) -> str:
    """The data set for messages: the SQLite file, or the PostgreSQL database without credentials."""
    url = postgres_url()
    if url is None:
        return str(db_path)
    return "PostgreSQL " + url.rsplit("@", 1)[-1]


#: Written last by a build on PostgreSQL: its presence says the data set is complete.
BUILT_MARKER = "benchmark_data_set_built"


def configure_django(db_path: Path, settings_module: str = "municipia.settings") -> None:
    """Points Django at the benchmark's data set and sets it up (call once, before any model import)."""
    if str(REPO_DIR) not in sys.path:
        sys.path.insert(0, str(REPO_DIR))
    os.environ["DATABASE_URL"] = dataset_url(db_path)
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    os.environ.setdefault("SECRET_KEY", "municipia-benchmark-only-not-a-secret")
    os.environ.setdefault("HTTPS", "0")
    import django

    django.setup()


def texts(field: str, values: tuple[str, ...]) -> dict[str, str]:
    return {f"{field}_{code}": value for code, value in zip(LANGS, values, strict=True)}


def formatted(template: tuple[str, ...], **kwargs) -> tuple[str, ...]:
    return tuple(t.format(**kwargs) for t in template)


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


class Timer:
    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()

    def step(self, label: str) -> None:
        now = time.perf_counter()
        print(f"  {label:<52} {now - self.last:6.1f} s", flush=True)
        self.last = now

    @property
    def total(self) -> float:
        return time.perf_counter() - self.start


def build(db_path: Path) -> None:
    """Creates the database file at `db_path` (which must not exist) and fills it."""
    configure_django(db_path)

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import translation

    timer = Timer()
    translation.activate("en")
    call_command("migrate", interactive=False, verbosity=0)
    timer.step("migrate")
    call_command("load_municipalities", verbosity=0)
    timer.step("load_municipalities (product command)")

    sqlite = connection.vendor == "sqlite"
    # A generator may trade durability for speed; the benchmark's server opens the file normally.
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF" if sqlite else "SET synchronous_commit TO OFF")
    # SQLite ≥ 3.32 takes 32,766 parameters per statement; Django assumes the old 999.
    if sqlite:
        connection.features.max_query_params = 30_000
    with transaction.atomic():
        fill(random.Random(SEED), timer)
    # Issue 3's bodies and meetings, on top (benchmarks/governance.py; its own seed).
    from benchmarks.governance import SEED as GOVERNANCE_SEED
    from benchmarks.governance import fill as fill_governance

    with transaction.atomic():
        fill_governance(random.Random(GOVERNANCE_SEED), timer)
    # Issue 4's 500 indicators and 1,000,000 observations, imported through the product (benchmarks/indicators.py).
    from benchmarks.indicators import fill as fill_indicators

    fill_indicators(1_000_000)
    timer.step("500 indicators, 1,000,000 observations (product import)")
    # The full-text index of everything bulk-written above (the product's own rebuild: bulk_create
    # sends no signals, and migrate indexed only what existed then).
    from municipia.core import search

    counts = search.rebuild()
    timer.step(f"full-text index ({sum(counts.values()):,} entries)")
    with connection.cursor() as cursor:
        if sqlite:
            # One self-contained file: no -wal/-shm beside it once the connection closes.
            cursor.execute("PRAGMA journal_mode=DELETE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute(f"CREATE TABLE {BUILT_MARKER} (built_at timestamptz DEFAULT now())")
            cursor.execute(f"INSERT INTO {BUILT_MARKER} DEFAULT VALUES")  # noqa: S608 - our constant
    connection.close()
    print(f"Data set built in {timer.total:.1f} s: {db_path}", flush=True)


def fill_networks(
    municipalities: list[dict], by_region: dict[tuple[str, str], list[dict]]
) -> tuple[list[tuple[str, list[dict]]], dict[str, int], dict[int, list[int]]]:
    """One network per Spanish autonomous community and one national association in Bulgaria, with members.

    Returns the (region, members) groups, network ids by slug and member ids by network id. Also
    used by benchmarks/indicators.py on a database that has only the municipalities.
    """
    from municipia.organizations.choices import Country, OrganizationKind
    from municipia.organizations.models import NetworkMembership, Organization

    groups: list[tuple[str, list[dict]]] = []
    for (country, region_code), members in sorted(by_region.items()):
        if country == Country.SPAIN:
            groups.append((members[0]["region"] or region_code, members))
    groups.append(("Bulgaria", [m for m in municipalities if m["country"] == Country.BULGARIA]))
    networks = [
        Organization(
            kind=OrganizationKind.NETWORK,
            slug=f"bench-network-{i + 1}",
            **texts("name", formatted(NETWORK_NAME, region=region)),
        )
        for i, (region, _members) in enumerate(groups)
    ]
    Organization.objects.bulk_create(networks)
    network_ids = dict(Organization.objects.filter(kind=OrganizationKind.NETWORK).values_list("slug", "id"))
    network_members: dict[int, list[int]] = {}
    memberships = []
    for i, (_region, members) in enumerate(groups):
        network_id = network_ids[f"bench-network-{i + 1}"]
        network_members[network_id] = [m["id"] for m in members]
        memberships += [
            NetworkMembership(network_id=network_id, member_id=m["id"], joined_on=date(2023, 5, 30)) for m in members
        ]
    NetworkMembership.objects.bulk_create(memberships)
    return groups, network_ids, network_members


def fill(rng: random.Random, timer: Timer) -> None:
    from municipia.organizations.choices import OrganizationKind
    from municipia.organizations.models import Department, Organization, Person
    from municipia.strategy.choices import ActionStatus, PlanStatus
    from municipia.strategy.models import Action, Axis, Challenge, Milestone, Objective, Plan

    municipalities = list(
        Organization.objects.filter(kind=OrganizationKind.MUNICIPALITY)
        .order_by("country", "official_code")
        .values("id", "name", "slug", "country", "region", "region_code")
    )
    by_region: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in municipalities:
        by_region[(row["country"], row["region_code"])].append(row)

    groups, network_ids, network_members = fill_networks(municipalities, by_region)
    timer.step(f"{len(groups)} networks, {sum(len(m) for m in network_members.values())} memberships")

    # --- Plan owners with their departments and people.
    council_owners = rng.sample(municipalities, COUNCIL_PLANS)
    owners = [(m["id"], m["name"]) for m in council_owners]
    for i, (region, _members) in enumerate(groups):
        owners.append((network_ids[f"bench-network-{i + 1}"], NETWORK_NAME[0].format(region=region)))
    region_of = {m["id"]: (m["country"], m["region_code"]) for m in municipalities}
    departments, people = [], []
    departments_of: dict[int, list[int]] = {}
    people_of: dict[int, list[int]] = {}
    next_department = next_person = 1
    for org_id, _name in owners:
        departments_of[org_id] = []
        for d, names in enumerate(DEPARTMENTS[:DEPARTMENTS_PER_OWNER]):
            departments.append(
                Department(id=next_department, organization_id=org_id, slug=f"dept-{d + 1}", **texts("name", names))
            )
            departments_of[org_id].append(next_department)
            next_department += 1
        people_of[org_id] = []
        for p in range(PEOPLE_PER_OWNER):
            full_name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            people.append(
                Person(id=next_person, full_name=full_name, organization_id=org_id, **texts("position", POSITIONS[p]))
            )
            people_of[org_id].append(next_person)
            next_person += 1
    Department.objects.bulk_create(departments)
    Person.objects.bulk_create(people)
    timer.step(f"{len(departments)} departments, {len(people)} people")

    # --- Plans.
    plan_specs = []  # (owner id, owner name, is network, start year)
    for org_id, name in owners[:COUNCIL_PLANS]:
        plan_specs.append((org_id, name, False, rng.randint(2020, 2025)))
    for org_id, name in owners[COUNCIL_PLANS:]:
        for k in range(NETWORK_PLANS_EACH):
            plan_specs.append((org_id, name, True, 2013 + 4 * k))
    slugs = dict(Organization.objects.filter(id__in=[o for o, _n in owners]).values_list("id", "slug"))
    plans = []
    for plan_id, (org_id, name, _is_network, start_year) in enumerate(plan_specs, start=1):
        end_year = start_year + 3
        published = rng.random() < PUBLISHED_SHARE
        if not published:
            status = rng.choice([PlanStatus.DRAFT, PlanStatus.DIAGNOSIS])
        elif end_year < AS_OF.year:
            status = PlanStatus.CLOSED
        else:
            status = rng.choices([PlanStatus.IN_EXECUTION, PlanStatus.APPROVED], weights=[4, 1])[0]
        plans.append(
            Plan(
                id=plan_id,
                owner_id=org_id,
                slug=f"{slugs[org_id][:100]}-{start_year}",
                period_start=date(start_year, 1, 1),
                period_end=date(end_year, 12, 31),
                status=status,
                is_published=published,
                **texts("title", formatted(PLAN_TITLE, owner=name, start=start_year, end=end_year)),
                summary_en=f"The digital agenda of {name} for {start_year}–{end_year}.",
                summary_es=f"La agenda digital de {name} para {start_year}–{end_year}.",
            )
        )
    Plan.objects.bulk_create(plans)
    timer.step(f"{len(plans)} plans")

    # --- Plan content, a chunk of plans at a time.
    counts: dict[str, int] = defaultdict(int)
    ids = defaultdict(lambda: 1)
    statuses = [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DELAYED, ActionStatus.COMPLETED]
    status_weights = [3, 4, 1, 2]
    for chunk_start in range(0, len(plans), CHUNK_PLANS):
        axes, challenges, objectives, objective_challenges = [], [], [], []
        actions, participants, dependencies, milestones = [], [], [], []
        for plan, (org_id, _name, is_network, _year) in zip(
            plans[chunk_start : chunk_start + CHUNK_PLANS],
            plan_specs[chunk_start : chunk_start + CHUNK_PLANS],
            strict=True,
        ):
            objective_of_slot = []  # (objective id, code) for each of the plan's 12 objectives
            for a, axis_texts in enumerate(AXES, start=1):
                axis_id = ids["axis"]
                ids["axis"] += 1
                axes.append(Axis(id=axis_id, plan_id=plan.id, code=str(a), position=a, **texts("title", axis_texts)))
                challenge_ids = []
                for c in range(2):
                    challenge_ids.append(ids["challenge"])
                    challenges.append(
                        Challenge(
                            id=ids["challenge"],
                            axis_id=axis_id,
                            code=f"C{c + 1}",
                            **texts("title", CHALLENGES[(a + c) % len(CHALLENGES)]),
                        )
                    )
                    ids["challenge"] += 1
                for o, objective_texts in enumerate(OBJECTIVES, start=1):
                    objective_id = ids["objective"]
                    ids["objective"] += 1
                    objectives.append(
                        Objective(id=objective_id, axis_id=axis_id, code=f"{a}.{o}", **texts("title", objective_texts))
                    )
                    objective_challenges.append((objective_id, challenge_ids[o % 2]))
                    objective_of_slot.append((objective_id, f"{a}.{o}"))

            plan_action_ids = []
            in_execution = plan.status in (PlanStatus.IN_EXECUTION, PlanStatus.CLOSED)
            period_days = (plan.period_end - plan.period_start).days
            for i in range(ACTIONS_PER_PLAN):
                action_id = ids["action"]
                ids["action"] += 1
                objective_id, objective_code = objective_of_slot[i % len(objective_of_slot)]
                verb, topic = rng.choice(VERBS), rng.choice(TOPICS)
                # "Deploy the fibre network", "Desplegar la red de fibra óptica", …
                title = tuple(f"{v} {lower_first(t)}" for v, t in zip(verb, topic, strict=True))
                if in_execution:
                    status = rng.choices(statuses, weights=status_weights)[0]
                    if rng.random() < 0.03:
                        status = ActionStatus.CANCELLED
                else:
                    status = ActionStatus.PLANNED
                progress = {
                    ActionStatus.PLANNED: 0,
                    ActionStatus.IN_PROGRESS: rng.randint(10, 90),
                    ActionStatus.DELAYED: rng.randint(5, 60),
                    ActionStatus.COMPLETED: 100,
                    ActionStatus.CANCELLED: rng.randint(0, 40),
                }[status]
                start = plan.period_start + timedelta(days=rng.randint(0, period_days // 2))
                end = start + timedelta(days=rng.randint(90, (plan.period_end - start).days))
                actions.append(
                    Action(
                        id=action_id,
                        plan_id=plan.id,
                        objective_id=objective_id,
                        code=f"{objective_code}.{i // len(objective_of_slot) + 1}",
                        **texts("title", title),
                        description_en=f"{title[0]}, led by the council with the participating councils.",
                        description_es=f"{title[1]}, liderado por el ayuntamiento con los municipios participantes.",
                        owner_department_id=rng.choice(departments_of[org_id]) if rng.random() < 0.9 else None,
                        lead_id=rng.choice(people_of[org_id]),
                        start_date=start,
                        end_date=end,
                        status=status,
                        progress=progress,
                        budget=Decimal(rng.randint(500, 200_000) * 10),
                    )
                )
                if is_network:
                    members = network_members[org_id]
                    chosen = rng.sample(members, min(len(members), rng.randint(2, 5)))
                else:
                    chosen = [org_id]
                    neighbours = by_region[region_of[org_id]]
                    if rng.random() < 0.3 and len(neighbours) > 1:
                        neighbour = rng.choice(neighbours)["id"]
                        if neighbour != org_id:
                            chosen.append(neighbour)
                participants += [(action_id, council) for council in chosen]
                if i >= 3 and rng.random() < DEPENDENCY_SHARE:
                    dependencies.append((action_id, rng.choice(plan_action_ids)))
                plan_action_ids.append(action_id)
                step = max((end - start).days // (MILESTONES_PER_ACTION + 1), 1)
                for m in range(MILESTONES_PER_ACTION):
                    due = start + timedelta(days=step * (m + 1))
                    done = status == ActionStatus.COMPLETED or (due < AS_OF and status == ActionStatus.IN_PROGRESS)
                    milestones.append(
                        Milestone(
                            action_id=action_id,
                            due_date=due,
                            completed_on=due if done else None,
                            **texts("title", MILESTONES[(m + i) % len(MILESTONES)]),
                        )
                    )

        Axis.objects.bulk_create(axes)
        Challenge.objects.bulk_create(challenges)
        Objective.objects.bulk_create(objectives)
        Objective.challenges.through.objects.bulk_create(
            [Objective.challenges.through(objective_id=o, challenge_id=c) for o, c in objective_challenges]
        )
        Action.objects.bulk_create(actions)
        Action.participants.through.objects.bulk_create(
            [Action.participants.through(action_id=a, organization_id=o) for a, o in participants]
        )
        Action.dependencies.through.objects.bulk_create(
            [Action.dependencies.through(from_action_id=a, to_action_id=d) for a, d in dependencies]
        )
        Milestone.objects.bulk_create(milestones)
        for name, items in (
            ("axes", axes),
            ("challenges", challenges),
            ("objectives", objectives),
            ("actions", actions),
            ("participations", participants),
            ("dependencies", dependencies),
            ("milestones", milestones),
        ):
            counts[name] += len(items)
    timer.step(", ".join(f"{n} {name}" for name, n in counts.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"SQLite file to create (default {DEFAULT_DB}).")
    parser.add_argument("--force", action="store_true", help="Rebuild even if the file exists.")
    args = parser.parse_args(argv)
    db_path = args.db.resolve()
    if postgres_url():
        return build_postgres(args.force)
    if db_path.exists() and not args.force:
        print(f"{db_path} exists; nothing to do (--force rebuilds it).")
        return 0
    db_path.parent.mkdir(parents=True, exist_ok=True)
    # Built under a temporary name and renamed at the end, so a failed build never looks complete.
    partial = db_path.with_name(db_path.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    print(f"Building the country-sized data set (seed {SEED}) …", flush=True)
    build(partial)
    os.replace(partial, db_path)
    return 0


def postgres_state() -> str:
    """ "built", "empty" or "other" for the PostgreSQL database DATABASE_URL names (Django not set up)."""
    import psycopg

    url = postgres_url() or ""
    with psycopg.connect(url.replace("pgsql://", "postgresql://", 1)) as db:
        tables = {row[0] for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    if BUILT_MARKER in tables:
        return "built"
    return "other" if tables else "empty"


def build_postgres(force: bool) -> int:
    """Fills the PostgreSQL database DATABASE_URL names (see the module's docstring)."""
    import psycopg

    state = postgres_state()
    name = dataset_name(DEFAULT_DB)
    if state == "built" and not force:
        print(f"{name} holds the data set; nothing to do (--force rebuilds it).")
        return 0
    if state != "empty":
        if not force:
            print(f"{name} is not empty and holds no complete data set: --force empties it first.", file=sys.stderr)
            return 1
        print(f"Emptying {name} (drop and create the public schema) …", flush=True)
        with psycopg.connect((postgres_url() or "").replace("pgsql://", "postgresql://", 1), autocommit=True) as db:
            db.execute("DROP SCHEMA public CASCADE")
            db.execute("CREATE SCHEMA public")
    print(f"Building the country-sized data set (seed {SEED}) in {name} …", flush=True)
    build(DEFAULT_DB)
    return 0


if __name__ == "__main__":
    sys.exit(main())
