"""Demo data of the portfolio (called by strategy's `load_demo` after the plans exist; idempotent).

- The Catalan network's agenda: about sixty proposals from member councils across the four axes,
  a criteria set weighted by pairwise comparisons, three evaluators per proposal (one of them
  sometimes from the proposing council: a flagged conflict of interest), the network's budget and
  a regional grant, and two optimiser scenarios side by side.
- Jerez: the EDUSI ERDF line at 80 % co-financing (a published rate), recovery-plan components
  C11 and C15 and own funds, budget lines 2021–2023 for its actions, with execution.
- Sofia: own funds and an EU programme, budget lines with execution.

Every amount and score here is illustrative (the sources say so on their pages); the co-financing
rate of the EDUSI line is the published one.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from municipia.organizations.models import Organization, Person
from municipia.organizations.services import person_create
from municipia.portfolio import services
from municipia.portfolio.choices import CostCategory, ExecutionKind, ProposalStatus, SourceKind
from municipia.portfolio.models import CriteriaSet, FundingSource, Proposal
from municipia.strategy.models import Plan

CATALAN = "agenda-digital-dels-municipis-de-catalunya"
JEREZ = "plan-estrategico-smart-city-jerez"
SOFIA = "sofia-digital-transformation"
SEED = 20230530
DEMO_PASSWORD = "municipia-demo"


def t(en: str, es: str, ca: str, bg: str) -> dict[str, str]:
    return {"en": en, "es": es, "ca": ca, "bg": bg}


def texts(name: str, value: dict[str, str]) -> dict[str, str]:
    return {f"{name}_{code}": text for code, text in value.items()}


CRITERIA = [
    ("impact", t("Impact", "Impacto", "Impacte", "Въздействие")),
    ("feasibility", t("Feasibility", "Viabilidad", "Viabilitat", "Осъществимост")),
    ("cost", t("Cost-effectiveness", "Coste-eficacia", "Cost-eficàcia", "Разходна ефективност")),
    ("alignment", t("Alignment", "Alineación", "Alineació", "Съответствие")),
    ("urgency", t("Urgency", "Urgencia", "Urgència", "Спешност")),
    ("territory", t("Territorial balance", "Equilibrio territorial", "Equilibri territorial", "Териториален баланс")),
]
# How much more the first matters than the second (Saaty's scale), close to consistent.
COMPARISONS = {
    "impact|feasibility": 2,
    "impact|cost": 2,
    "impact|alignment": 3,
    "impact|urgency": 3,
    "impact|territory": 2,
    "feasibility|cost": 1,
    "feasibility|alignment": 2,
    "feasibility|urgency": 2,
    "feasibility|territory": 1,
    "cost|alignment": 2,
    "cost|urgency": 2,
    "cost|territory": 1,
    "alignment|urgency": 1,
    "alignment|territory": 1 / 2,
    "urgency|territory": 1 / 2,
}

# Proposal themes per axis: (title, description), each in four languages; "{c}" is the council.
THEMES = {
    0: [
        t(
            "One-stop digital office in {c}",
            "Oficina digital única en {c}",
            "Oficina digital única a {c}",
            "Единно цифрово гише в {c}",
        ),
        t(
            "Online permits and licences in {c}",
            "Permisos y licencias en línea en {c}",
            "Permisos i llicències en línia a {c}",
            "Онлайн разрешителни и лицензи в {c}",
        ),
        t(
            "Open data portal for {c}",
            "Portal de datos abiertos de {c}",
            "Portal de dades obertes de {c}",
            "Портал за отворени данни на {c}",
        ),
        t(
            "Paperless council meetings in {c}",
            "Plenos sin papel en {c}",
            "Plens sense paper a {c}",
            "Заседания без хартия в {c}",
        ),
    ],
    1: [
        t(
            "Fibre to public buildings in {c}",
            "Fibra en los edificios públicos de {c}",
            "Fibra als edificis públics de {c}",
            "Оптика до обществените сгради в {c}",
        ),
        t(
            "Cybersecurity operations for {c}",
            "Ciberseguridad operativa para {c}",
            "Ciberseguretat operativa per a {c}",
            "Киберсигурност за {c}",
        ),
        t(
            "Public Wi-Fi in the centre of {c}",
            "Wi-Fi público en el centro de {c}",
            "Wi-Fi públic al centre de {c}",
            "Обществен Wi-Fi в центъра на {c}",
        ),
        t(
            "Backup data centre shared with {c}",
            "Centro de respaldo compartido con {c}",
            "Centre de còpies compartit amb {c}",
            "Резервен център за данни, споделен с {c}",
        ),
    ],
    2: [
        t(
            "Digital skills for older people in {c}",
            "Competencias digitales para mayores en {c}",
            "Competències digitals per a gent gran a {c}",
            "Цифрови умения за възрастни хора в {c}",
        ),
        t(
            "Local shops online in {c}",
            "Comercio local en línea en {c}",
            "Comerç local en línia a {c}",
            "Местните магазини онлайн в {c}",
        ),
        t(
            "Coding clubs in the libraries of {c}",
            "Clubes de programación en las bibliotecas de {c}",
            "Clubs de programació a les biblioteques de {c}",
            "Клубове по програмиране в библиотеките на {c}",
        ),
        t(
            "Start-up hub in {c}",
            "Espacio para empresas emergentes en {c}",
            "Espai per a empreses emergents a {c}",
            "Център за стартиращи фирми в {c}",
        ),
    ],
    3: [
        t(
            "Shared procurement of software led by {c}",
            "Compra compartida de software liderada por {c}",
            "Compra compartida de programari liderada per {c}",
            "Съвместна покупка на софтуер, водена от {c}",
        ),
        t(
            "Network data office hosted by {c}",
            "Oficina de datos de la red en {c}",
            "Oficina de dades de la xarxa a {c}",
            "Офис за данни на мрежата в {c}",
        ),
        t(
            "Common digital-rights charter tested in {c}",
            "Carta común de derechos digitales probada en {c}",
            "Carta comuna de drets digitals provada a {c}",
            "Обща харта за цифрови права, изпитана в {c}",
        ),
        t(
            "Peer reviews between councils, starting in {c}",
            "Revisiones entre ayuntamientos, empezando por {c}",
            "Revisions entre ajuntaments, començant per {c}",
            "Партньорски прегледи между общините, започвайки от {c}",
        ),
    ],
}
DESCRIPTION = t(
    "Proposed by the council to its coordination group; the figures are illustrative.",
    "Propuesta del ayuntamiento a su grupo de coordinación; las cifras son ilustrativas.",
    "Proposta de l'ajuntament al seu grup de coordinació; les xifres són il·lustratives.",
    "Предложено от общината на нейната координационна група; стойностите са примерни.",
)


@dataclass
class PortfolioSummary:
    proposals: int = 0
    budget_lines: int = 0
    execution_entries: int = 0
    scenarios: int = 0
    skipped: list[str] = field(default_factory=list)


def _plan(slug: str) -> Plan | None:
    return Plan.objects.select_related("owner").filter(slug=slug).first()


def _admin():
    User = get_user_model()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is None:
        admin = User.objects.create_superuser(username="admin", email="admin@example.org", password=DEMO_PASSWORD)
    return admin


def _source(
    admin, plan: Plan, code: str, title: dict, *, kind: str, rate: str, years: tuple[int, int], allocations, **data
):
    source = services.funding_source_create(
        acting_user=admin,
        plan=plan,
        data={
            "code": code,
            **texts("title", title),
            "kind": kind,
            "cofinancing_rate": Decimal(rate),
            "eligible_from": years[0],
            "eligible_to": years[1],
            "is_illustrative": True,
            **data,
        },
    )
    for year, amount in allocations.items():
        services.allocation_create(acting_user=admin, source=source, data={"year": year, "amount": Decimal(amount)})
    return source


class PortfolioDemo:
    def __init__(self, stdout=None) -> None:
        self.stdout = stdout
        self.admin = _admin()
        self.rng = random.Random(SEED)
        self.summary = PortfolioSummary()

    def say(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text)

    def build(self) -> PortfolioSummary:
        for slug, builder in ((CATALAN, self.build_catalan), (JEREZ, self.build_jerez), (SOFIA, self.build_sofia)):
            plan = _plan(slug)
            if plan is None or FundingSource.objects.filter(plan=plan).exists():
                self.summary.skipped.append(slug)
                continue
            builder(plan)
        return self.summary

    # --- Catalonia: proposals, evaluation and the network budget

    def evaluators(self, members: list[Organization]) -> list[tuple]:
        User = get_user_model()
        found = []
        for n, council in enumerate(members[:9], start=1):
            username = f"avaluador-{n}"
            user = User.objects.filter(username=username).first() or User.objects.create_user(
                username=username, email=f"{username}@example.org", password=DEMO_PASSWORD
            )
            if not Person.objects.filter(user=user).exists():
                # Evaluators are people of a member council, like every demo user.
                person_create(
                    acting_user=self.admin,
                    data={
                        "full_name": f"Avaluador/a {n} ({council.name})",
                        "organization": council,
                        "user": user,
                        **texts(
                            "position",
                            t(
                                "Evaluator of proposals (demo)",
                                "Evaluador/a de propuestas (demo)",
                                "Avaluador/a de propostes (demo)",
                                "Оценител на предложения (демо)",
                            ),
                        ),
                    },
                )
            found.append((user, council))
        return found

    def build_catalan(self, plan: Plan) -> None:
        members = sorted(
            Organization.objects.filter(network_memberships__network=plan.owner),
            key=lambda m: (-(m.population or 0), m.official_code),
        )
        axes = list(plan.axes.order_by("position", "code"))
        network_fund = _source(
            self.admin,
            plan,
            "XARXA",
            t("Network budget", "Presupuesto de la red", "Pressupost de la xarxa", "Бюджет на мрежата"),
            kind=SourceKind.OWN,
            rate="0",
            years=(2023, 2027),
            allocations={2024: "900000", 2025: "900000"},
        )
        regional = _source(
            self.admin,
            plan,
            "GENCAT",
            t(
                "Regional digital grant",
                "Subvención digital regional",
                "Subvenció digital regional",
                "Регионална цифрова субсидия",
            ),
            kind=SourceKind.REGIONAL,
            rate="50",
            years=(2024, 2026),
            allocations={2024: "400000", 2025: "400000"},
            programme="Pla de Govern Digital",
            call="Convocatòria municipis 2024",
        )
        criteria_set = services.criteria_set_create(
            acting_user=self.admin,
            plan=plan,
            data={
                **texts(
                    "title",
                    t("Agenda criteria", "Criterios de la agenda", "Criteris de l'agenda", "Критерии на програмата"),
                ),
                "scale_min": 0,
                "scale_max": 10,
            },
        )
        criteria = []
        for position, (code, title) in enumerate(CRITERIA, start=1):
            criteria.append(
                services.criterion_create(
                    acting_user=self.admin,
                    criteria_set=criteria_set,
                    data={"code": code, **texts("title", title), "position": position},
                )
            )
        services.criteria_set_compare(acting_user=self.admin, criteria_set=criteria_set, comparisons=COMPARISONS)
        evaluators = self.evaluators(members)
        proposals = []
        for n in range(60):
            axis_index = n % 4
            council = members[(n * 7) % len(members)]
            theme = THEMES[axis_index][(n // 4) % 4]
            title = {code: text.format(c=council.name) for code, text in theme.items()}
            proposal = services.proposal_create(
                acting_user=self.admin,
                plan=plan,
                data={
                    "axis": axes[axis_index],
                    "proposing_council": council,
                    **texts("title", title),
                    **texts("description", DESCRIPTION),
                },
                councils=[council],
            )
            proposals.append(proposal)
            self.cost(plan, proposal, network_fund, regional)
        # A few links: a data office before the open data portals, exclusive alternatives.
        services.proposal_update(acting_user=self.admin, proposal=proposals[2], data={}, depends_on=[proposals[7]])
        services.proposal_update(acting_user=self.admin, proposal=proposals[5], data={}, excludes=[proposals[9]])
        for n, proposal in enumerate(proposals):
            services.proposal_submit(acting_user=self.admin, proposal=proposal)
            services.proposal_start_evaluation(acting_user=self.admin, proposal=proposal)
            for k in range(3):
                user, organization = evaluators[(n + k * 3) % len(evaluators)]
                assignment = services.assignment_create(
                    acting_user=self.admin, proposal=proposal, data={"evaluator": user, "organization": organization}
                )
                for criterion in criteria:
                    value = max(0, min(10, round(self.rng.gauss(6 + (n % 5) * 0.5, 1.5))))
                    services.score_create(
                        acting_user=self.admin,
                        assignment=assignment,
                        data={"criterion": criterion, "value": Decimal(value)},
                    )
        self.summary.proposals += len(proposals)
        for title, parameters in (
            ("Network budget 2024–2025", {"axis_min": {axis.code: 2 for axis in axes}, "council_floor": 0}),
            ("Regional grant cut by 20 %", {"source_factors": {"GENCAT": 0.8}, "axis_min": {axes[0].code: 2}}),
        ):
            services.scenario_create(acting_user=self.admin, plan=plan, data={"title": title, "parameters": parameters})
            self.summary.scenarios += 1
        self.say(f"Portfolio: {len(proposals)} proposals for {plan.slug}, 3 evaluators each, 2 scenarios.")

    def cost(self, plan: Plan, proposal: Proposal, network_fund: FundingSource, regional: FundingSource) -> None:
        source = regional if self.rng.random() < 0.5 else network_fund
        years = [2024] if self.rng.random() < 0.5 else [2024, 2025]
        total = Decimal(self.rng.randrange(40, 260) * 1000)
        for year in years:
            services.budget_line_create(
                acting_user=self.admin,
                plan=plan,
                data={
                    "proposal": proposal,
                    "year": year,
                    "source": source,
                    "cost_category": CostCategory.SERVICES,
                    "amount": total / len(years),
                },
            )
            self.summary.budget_lines += 1

    # --- Jerez and Sofia: funded actions with execution

    def fund_actions(self, plan: Plan, sources: list[FundingSource], years: list[int], *, limit: int = 12) -> None:
        actions = list(plan.actions.order_by("code")[:limit])
        for n, action in enumerate(actions):
            source = sources[n % len(sources)]
            category = CostCategory.values[n % len(CostCategory.values)]
            if not source.funds_category(category):
                category = source.eligible_categories[0]
            for year in years:
                if not source.eligible_from <= year <= source.eligible_to:
                    continue
                amount = Decimal(self.rng.randrange(20, 400) * 1000)
                line = services.budget_line_create(
                    acting_user=self.admin,
                    plan=plan,
                    data={
                        "action": action,
                        "year": year,
                        "source": source,
                        "cost_category": category,
                        "amount": amount,
                    },
                )
                self.summary.budget_lines += 1
                self.execute(line, year)

    def execute(self, line, year: int) -> None:
        # Earlier years are further along: committed in full, recognised and paid in part.
        done = {2: 1.0, 1: 0.8, 0: 0.4}
        age = max(0, min(2, dt.date.today().year - 1 - year)) if year < dt.date.today().year else 0
        share = Decimal(str(done.get(age, 0.4)))
        for kind, fraction, month in (
            (ExecutionKind.COMMITTED, share, 3),
            (ExecutionKind.OBLIGATION, share * Decimal("0.8"), 9),
            (ExecutionKind.PAYMENT, share * Decimal("0.6"), 12),
        ):
            services.execution_create(
                acting_user=self.admin,
                budget_line=line,
                data={
                    "kind": kind,
                    "date": dt.date(year, month, 15),
                    "amount": (line.amount * fraction).quantize(Decimal("0.01")),
                    "reference": f"{line.source.code}-{year}-{line.pk}",
                },
            )
            self.summary.execution_entries += 1

    def build_jerez(self, plan: Plan) -> None:
        edusi = _source(
            self.admin,
            plan,
            "EDUSI-L2",
            t(
                "ERDF — EDUSI “Jerez 2022”, line 2: ICT platforms and Smart City",
                "FEDER — EDUSI «Jerez 2022», línea 2: plataformas TIC y Smart City",
                "FEDER — EDUSI «Jerez 2022», línia 2: plataformes TIC i Smart City",
                "ЕФРР — EDUSI „Херес 2022“, линия 2: ИКТ платформи и умен град",
            ),
            kind=SourceKind.ERDF,
            rate="80",
            years=(2021, 2023),
            allocations={2021: "1200000", 2022: "1500000", 2023: "1300000"},
            programme="POPE 2014-2020 (FEDER)",
            call="EDUSI Jerez 2022 — Línea de actuación 2",
        )
        c11 = _source(
            self.admin,
            plan,
            "PRTR-C11",
            t(
                "Recovery plan — C11 Public administration",
                "PRTR — C11 Modernización de las administraciones públicas",
                "PRTR — C11 Modernització de les administracions públiques",
                "План за възстановяване — C11 Публична администрация",
            ),
            kind=SourceKind.RECOVERY,
            rate="100",
            years=(2021, 2025),
            allocations={2022: "600000", 2023: "600000"},
            programme="Next Generation EU",
        )
        c15 = _source(
            self.admin,
            plan,
            "PRTR-C15",
            t(
                "Recovery plan — C15 Connectivity and 5G",
                "PRTR — C15 Conectividad digital y 5G",
                "PRTR — C15 Connectivitat digital i 5G",
                "План за възстановяване — C15 Свързаност и 5G",
            ),
            kind=SourceKind.RECOVERY,
            rate="100",
            years=(2021, 2025),
            allocations={2022: "400000", 2023: "400000"},
            programme="Next Generation EU",
            eligible_categories=[CostCategory.EQUIPMENT, CostCategory.WORKS],
        )
        own = _source(
            self.admin,
            plan,
            "PROPIO",
            t(
                "Own budget of the city",
                "Presupuesto municipal propio",
                "Pressupost municipal propi",
                "Собствен бюджет на града",
            ),
            kind=SourceKind.OWN,
            rate="0",
            years=(2021, 2025),
            allocations={2021: "500000", 2022: "600000", 2023: "600000"},
        )
        self.fund_actions(plan, [edusi, c11, c15, own], [2021, 2022, 2023])
        self.say(f"Portfolio: funding sources, budget lines and execution for {plan.slug}.")

    def build_sofia(self, plan: Plan) -> None:
        own = _source(
            self.admin,
            plan,
            "SOF-OWN",
            t(
                "Sofia municipal budget",
                "Presupuesto municipal de Sofía",
                "Pressupost municipal de Sofia",
                "Общински бюджет на София",
            ),
            kind=SourceKind.OWN,
            rate="0",
            years=(2022, 2027),
            allocations={2023: "2000000", 2024: "2000000"},
        )
        eu = _source(
            self.admin,
            plan,
            "PRR-2021-27",
            t(
                "Programme for Regional Development 2021–2027",
                "Programa de Desarrollo Regional 2021–2027",
                "Programa de Desenvolupament Regional 2021–2027",
                "Програма „Развитие на регионите“ 2021–2027",
            ),
            kind=SourceKind.EU_OTHER,
            rate="85",
            years=(2023, 2027),
            allocations={2023: "1500000", 2024: "1500000"},
            programme="Programme for Regional Development 2021–2027",
        )
        self.fund_actions(plan, [eu, own], [2023, 2024], limit=8)
        self.say(f"Portfolio: funding sources, budget lines and execution for {plan.slug}.")


@transaction.atomic
def build_portfolio_demo(stdout=None) -> PortfolioSummary:
    """Builds the portfolio demo for the plans that exist and have no funding sources yet (idempotent)."""
    return PortfolioDemo(stdout).build()


def proposals_of(plan: Plan) -> int:
    return Proposal.objects.filter(plan=plan, status=ProposalStatus.UNDER_EVALUATION).count()


def criteria_set_of(plan: Plan) -> CriteriaSet | None:
    return CriteriaSet.objects.filter(plan=plan).first()
