"""Demo indicators of the Catalan network's digital agenda (and one of Jerez), with illustrative values.

The indicators are real kinds of digital-agenda measures (online procedures, ultra-fast
broadband coverage, open data, digital-skills training, time to resolve online procedures);
their baselines, targets and every observation are ILLUSTRATIVE, generated here from a fixed
seed per council (bigger councils start a little higher), and say so in their descriptions.
Some councils fall behind their targets and some stop reporting, so that the dashboards,
status flags and the benchmarking page have something to show.

Observations are written through the importer service (all or nothing), like any CSV upload.
Idempotent: when the first demo indicator exists, nothing is done.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from municipia.core.exports import csv_lines
from municipia.indicators import services
from municipia.indicators.choices import Direction, Frequency
from municipia.indicators.models import Indicator
from municipia.organizations.models import Organization, Person
from municipia.strategy.demo import NETWORK_SLUG, t
from municipia.strategy.models import Action, Objective, Plan

CATALAN_PLAN_SLUG = "agenda-digital-dels-municipis-de-catalunya"
JEREZ_PLAN_SLUG = "plan-estrategico-smart-city-jerez"
# Values from 2022 up to last year (the demo follows the calendar: run later, it has more years).
FIRST_YEAR = 2022
SOURCE = "Illustrative demo data"

ILLUSTRATIVE = t(
    " Demo content: the baselines, targets and values are illustrative, not official statistics.",
    " Contenido de demostración: las líneas de base, metas y valores son ilustrativos, no estadísticas oficiales.",
    " Contingut de demostració: les línies de base, fites i valors són il·lustratius, no estadístiques oficials.",
    " Демонстрационно съдържание: базовите стойности, целите и стойностите са илюстративни, а не официална статистика.",
)


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: dict[str, str]
    description: dict[str, str]
    unit: str
    direction: str
    frequency: str
    data_source: str
    objectives: tuple[str, ...]
    actions: tuple[str, ...]
    # General baseline (31 Dec 2022) and targets by year.
    baseline: Decimal
    targets: dict[int, Decimal]
    framework_code: str = ""


SPECS = (
    IndicatorSpec(
        "ADC-01",
        t(
            "Share of municipal procedures available fully online",
            "Porcentaje de trámites municipales disponibles íntegramente en línea",
            "Percentatge de tràmits municipals disponibles íntegrament en línia",
            "Дял на общинските процедури, достъпни изцяло онлайн",
        ),
        t(
            "Procedures in the council's catalogue that can be started and finished online, over all its procedures.",
            "Trámites del catálogo del ayuntamiento que se pueden iniciar y terminar en línea, sobre el total.",
            "Tràmits del catàleg de l'ajuntament que es poden iniciar i acabar en línia, sobre el total.",
            "Процедури от каталога на общината, които могат да започнат и завършат онлайн, спрямо всички.",
        ),
        "%",
        Direction.HIGHER,
        Frequency.YEARLY,
        "Council procedure catalogues",
        ("1.1",),
        ("1.1.1", "1.1.2"),
        Decimal("48"),
        {2023: Decimal("55"), 2024: Decimal("65"), 2025: Decimal("75"), 2026: Decimal("85")},
    ),
    IndicatorSpec(
        "ADC-02",
        t(
            "Households covered by broadband of at least 100 Mbps",
            "Hogares con cobertura de banda ancha de al menos 100 Mbps",
            "Llars amb cobertura de banda ampla d'almenys 100 Mbps",
            "Домакинства с покритие на широколентов достъп от поне 100 Mbps",
        ),
        t(
            "Share of the municipality's households where a fixed connection of 100 Mbps or more can be contracted.",
            "Porcentaje de hogares del municipio donde se puede contratar una conexión fija de 100 Mbps o más.",
            "Percentatge de llars del municipi on es pot contractar una connexió fixa de 100 Mbps o més.",
            "Дял на домакинствата в общината, които могат да ползват фиксирана връзка от 100 Mbps или повече.",
        ),
        "%",
        Direction.HIGHER,
        Frequency.YEARLY,
        "Broadband coverage reports",
        ("2.1",),
        ("2.1.1", "2.1.2"),
        Decimal("78"),
        {2023: Decimal("82"), 2024: Decimal("87"), 2025: Decimal("92"), 2026: Decimal("97")},
    ),
    IndicatorSpec(
        "ADC-03",
        t(
            "Open datasets published per 10,000 inhabitants",
            "Conjuntos de datos abiertos publicados por cada 10.000 habitantes",
            "Conjunts de dades obertes publicats per cada 10.000 habitants",
            "Публикувани набори от отворени данни на 10 000 жители",
        ),
        t(
            "Datasets in the council's open-data portal (or the shared one), per 10,000 inhabitants.",
            "Conjuntos de datos en el portal de datos abiertos del ayuntamiento (o el compartido), por 10.000 "
            "habitantes.",
            "Conjunts de dades al portal de dades obertes de l'ajuntament (o al compartit), per 10.000 habitants.",
            "Набори от данни в портала за отворени данни на общината (или в общия), на 10 000 жители.",
        ),
        "datasets",
        Direction.HIGHER,
        Frequency.YEARLY,
        "Open-data portals",
        ("3.2",),
        ("3.2.2",),
        Decimal("4"),
        {2024: Decimal("8"), 2025: Decimal("12")},
    ),
    IndicatorSpec(
        "ADC-04",
        t(
            "Residents trained in digital skills per 1,000 inhabitants",
            "Personas formadas en competencias digitales por cada 1.000 habitantes",
            "Persones formades en competències digitals per cada 1.000 habitants",
            "Жители, обучени в дигитални умения, на 1000 жители",
        ),
        t(
            "Participants in the year's basic digital-skills courses at libraries and civic centres.",
            "Participantes en los cursos de competencias digitales básicas del año en bibliotecas y centros cívicos.",
            "Participants als cursos de competències digitals bàsiques de l'any a biblioteques i centres cívics.",
            "Участници в годишните курсове по основни дигитални умения в библиотеки и читалища.",
        ),
        "‰",
        Direction.HIGHER,
        Frequency.YEARLY,
        "Council training records",
        ("3.1",),
        ("3.1.1",),
        Decimal("6"),
        {2023: Decimal("9"), 2024: Decimal("12"), 2025: Decimal("15")},
        framework_code="4.4.1",
    ),
    IndicatorSpec(
        "ADC-05",
        t(
            "Average days to resolve an online procedure",
            "Días medios para resolver un trámite en línea",
            "Dies mitjans per resoldre un tràmit en línia",
            "Среден брой дни за приключване на онлайн процедура",
        ),
        t(
            "Mean calendar days from an online application to the council's decision, over the half-year.",
            "Media de días naturales desde una solicitud en línea hasta la resolución del ayuntamiento, en el "
            "semestre.",
            "Mitjana de dies naturals des d'una sol·licitud en línia fins a la resolució de l'ajuntament, en el "
            "semestre.",
            "Среден брой календарни дни от онлайн заявление до решение на общината за полугодието.",
        ),
        "days",
        Direction.LOWER,
        Frequency.HALF_YEARLY,
        "Council e-office statistics",
        ("1.1",),
        ("1.1.2",),
        Decimal("30"),
        {2023: Decimal("26"), 2024: Decimal("22"), 2025: Decimal("18")},
    ),
)


@dataclass
class IndicatorDemoSummary:
    created: list[str] = field(default_factory=list)
    observations: int = 0
    existing: bool = False


def _noise(*parts: object) -> float:
    """A fixed pseudo-random number in [0, 1) for the given parts (the same on every run)."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _series(spec: IndicatorSpec, council: Organization) -> list[tuple[dt.date, Decimal]]:
    """Illustrative values of one council: a start near the baseline and a pace near the targets'."""
    size = min(max(((council.population or 10_000) / 100_000), 0.0), 2.0)  # 0..2, bigger councils start higher
    spread, pace = _noise(spec.code, council.slug, "start"), _noise(spec.code, council.slug, "pace")
    stops = _noise(spec.code, council.slug, "stops")
    final_target = spec.targets[max(y for y in spec.targets if y <= 2025)]
    yearly_gain = (final_target - spec.baseline) / 3
    higher = spec.direction == Direction.HIGHER
    start = float(spec.baseline) * (0.75 + 0.4 * spread + (0.1 * size if higher else -0.1 * size))
    # Pace from 50 % to 140 % of the targets' pace: roughly a third of councils fall off track.
    gain = float(yearly_gain) * (0.5 + 0.9 * pace)
    today = timezone.localdate()
    # Yearly values up to last year; some councils stopped reporting one or two years ago (stale).
    last_year = today.year - 1 - (2 if stops < 0.12 else (1 if stops < 0.2 else 0))
    points: list[tuple[dt.date, Decimal]] = []

    def clamp(value: float) -> Decimal:
        value = min(value, 100.0) if spec.unit == "%" else value
        # A floor at a fifth of the baseline keeps long runs of improvement believable.
        return Decimal(f"{max(value, 0.2 * float(spec.baseline)):.1f}")

    if spec.frequency == Frequency.HALF_YEARLY:
        # Every 30 June and 31 December so far; about half the councils missed the last two (stale).
        days = [dt.date(y, m, 30 if m == 6 else 31) for y in range(FIRST_YEAR, today.year + 1) for m in (6, 12)]
        days = [d for d in days if d < today]
        if stops <= 0.5:
            days = days[:-2]
        return [(day, clamp(start + gain * index / 2)) for index, day in enumerate(days)]
    for index, year in enumerate(range(FIRST_YEAR, last_year + 1)):
        points.append((dt.date(year, 12, 31), clamp(start + gain * index)))
    return points


def _demo_admin():
    return get_user_model().objects.filter(is_superuser=True).order_by("pk").first()


def build_indicator_demo() -> IndicatorDemoSummary:
    """Creates the demo indicators with their links, baselines, targets and observations (idempotent)."""
    summary = IndicatorDemoSummary()
    network = Organization.objects.filter(slug=NETWORK_SLUG).first()
    plan = Plan.objects.filter(slug=CATALAN_PLAN_SLUG).first()
    if network is None or plan is None:
        return summary
    if Indicator.objects.filter(owner_organization=network, code=SPECS[0].code).exists():
        summary.existing = True
        return summary
    admin = _demo_admin()
    owner = Person.objects.filter(user__username="coordinator-catalunya").first()
    councils = list(network.members.order_by("slug"))
    rows: list[list[str]] = []
    for spec in SPECS:
        indicator = services.indicator_create(
            acting_user=admin,
            owner=network,
            data={
                "code": spec.code,
                **{f"name_{code}": text for code, text in spec.name.items()},
                **{f"description_{code}": text + ILLUSTRATIVE[code] for code, text in spec.description.items()},
                "unit": spec.unit,
                "direction": spec.direction,
                "frequency": spec.frequency,
                "data_source": f"{spec.data_source} ({SOURCE})",
                "framework_code": spec.framework_code,
                "owner_person": owner,
                "is_public": True,
            },
            objectives=Objective.objects.filter(axis__plan=plan, code__in=spec.objectives),
            actions=Action.objects.filter(plan=plan, code__in=spec.actions),
        )
        services.baseline_create(
            acting_user=admin,
            indicator=indicator,
            data={"organization": None, "date": dt.date(2022, 12, 31), "value": spec.baseline, "source": SOURCE},
        )
        for year, value in spec.targets.items():
            services.target_create(
                acting_user=admin, indicator=indicator, data={"organization": None, "year": year, "value": value}
            )
        for council in councils:
            for day, value in _series(spec, council):
                rows.append([spec.code, council.slug, day.isoformat(), str(value), SOURCE, ""])
        summary.created.append(spec.code)
    jerez_rows = _jerez_indicator(admin, summary)
    rows += jerez_rows
    outcome = services.observations_import(acting_user=admin, name="demo-observations.csv", content=_csv(rows))
    if not outcome.ok:
        raise ValueError(f"Demo observations rejected: {outcome.check.errors[:3]}")
    summary.observations = outcome.created
    return summary


def _jerez_indicator(admin, summary: IndicatorDemoSummary) -> list[list[str]]:
    """One indicator of Jerez's own plan, so that its dashboard shows a council's view."""
    plan = Plan.objects.filter(slug=JEREZ_PLAN_SLUG).select_related("owner").first()
    if plan is None:
        return []
    objective = Objective.objects.filter(axis__plan=plan).order_by("axis__position", "code").first()
    indicator = services.indicator_create(
        acting_user=admin,
        owner=plan.owner,
        data={
            "code": "JRZ-01",
            **{f"name_{code}": text for code, text in SPECS[0].name.items()},
            **{f"description_{code}": text + ILLUSTRATIVE[code] for code, text in SPECS[0].description.items()},
            "unit": "%",
            "direction": Direction.HIGHER,
            "frequency": Frequency.YEARLY,
            "data_source": f"Jerez e-office ({SOURCE})",
            "is_public": True,
        },
        objectives=[objective] if objective else [],
    )
    for year, value in {2024: Decimal("60"), 2025: Decimal("70"), 2026: Decimal("80")}.items():
        services.target_create(
            acting_user=admin, indicator=indicator, data={"organization": None, "year": year, "value": value}
        )
    summary.created.append("JRZ-01")
    values = {2022: "41.0", 2023: "47.5", 2024: "52.0", 2025: "58.5"}
    return [["JRZ-01", plan.owner.slug, f"{year}-12-31", value, SOURCE, ""] for year, value in values.items()]


def _csv(rows: list[list[str]]) -> bytes:
    """The demo's observation file, written as every CSV is (core.exports)."""
    return "".join(csv_lines(["indicator", "organization", "date", "value", "source", "note"], rows)).encode()
