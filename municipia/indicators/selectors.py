"""Reads of indicators, targets and observations, and their status, each in a fixed number of queries."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from municipia.core.history import history_entries
from municipia.core.visibility import User, is_site_admin
from municipia.indicators.entities import INDICATOR, OBSERVATION
from municipia.indicators.models import Baseline, Indicator, Observation, ObservationImport, Target
from municipia.indicators.status import Assessment, Point, assess
from municipia.organizations.models import Organization
from municipia.organizations.permissions import editable_organization_ids
from municipia.organizations.selectors import organizations_by_id
from municipia.strategy.entities import ACTION, OBJECTIVE
from municipia.strategy.models import Action, Objective
from municipia.strategy.selectors import action_ids_only, objective_ids_only

# --- Visibility: the indicator entities' rule (indicators/entities.py); every fetch by id goes
# through these, so "not found" and "forbidden" look alike.


def indicators_visible_to(user: User | None) -> QuerySet[Indicator]:
    return INDICATOR.visible(user)


def indicator_visibility(user: User) -> str:
    """What decides which indicators `user` sees (see indicators_visible_to), for cache keys: no query
    beyond the user's roles, which are read once per request."""
    if is_site_admin(user):
        return "all"
    return "public+" + ",".join(map(str, sorted(editable_organization_ids(user))))


def indicator_get(user: User | None, *, pk: object) -> Indicator:
    return cast(Indicator, INDICATOR.get(user, pk=pk))


def indicator_list(user: User | None) -> QuerySet[Indicator]:
    """Indicators for lists: the owner is shown by name; long texts in every language are not loaded."""
    return (
        indicators_visible_to(user)
        .select_related("owner_organization")
        .defer(*[f"owner_organization__{name}" for name in ("description", "created_at", "updated_at")])
    )


def observations_visible_to(user: User | None) -> QuerySet[Observation]:
    return OBSERVATION.visible(user)


# --- Status: latest values, trends and trajectory status for many indicators at once.


@dataclass
class StatusTable:
    """Assessments keyed by (indicator id, organisation id), and per indicator."""

    assessments: dict[tuple[int, int], Assessment] = field(default_factory=dict)

    def for_indicator(self, indicator_id: int) -> list[Assessment]:
        return [a for (ind, _org), a in self.assessments.items() if ind == indicator_id]

    def counts(self, indicator_id: int) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for assessment in self.for_indicator(indicator_id):
            counts[assessment.status] += 1
        return dict(counts)

    def stale_count(self, indicator_id: int) -> int:
        return sum(1 for a in self.for_indicator(indicator_id) if a.stale)


def _edge_observations(indicator_ids: list[int], organization_ids: list[int] | None) -> QuerySet:
    """The latest two and the first observation of every indicator × organisation pair, in one query."""
    pair = [F("indicator_id"), F("organization_id")]
    rows = Observation.objects.filter(indicator_id__in=indicator_ids)
    if organization_ids is not None:
        rows = rows.filter(organization_id__in=organization_ids)
    return (
        rows.annotate(
            newest=Window(RowNumber(), partition_by=pair, order_by=[F("date").desc()]),
            oldest=Window(RowNumber(), partition_by=pair, order_by=[F("date").asc()]),
        )
        .filter(Q(newest__lte=2) | Q(oldest=1))
        .order_by()
        .values_list("indicator_id", "organization_id", "date", "value", "newest", "oldest")
    )


def indicator_status(
    indicators: Iterable[Indicator],
    *,
    organization_ids: Iterable[int] | None = None,
    today: dt.date | None = None,
) -> StatusTable:
    """The assessment of every indicator × organisation that has observations, in three queries.

    `organization_ids` limits the organisations (e.g. a network's members); listed
    organisations without observations get a `no_data` assessment. The rules are in
    `municipia.indicators.status`.
    """
    by_id = {indicator.pk: indicator for indicator in indicators}
    table = StatusTable()
    if not by_id:
        return table
    today = today or timezone.localdate()
    ids = list(by_id)
    org_ids = list(organization_ids) if organization_ids is not None else None

    edges: dict[tuple[int, int], dict[str, Point]] = defaultdict(dict)
    for indicator_id, organization_id, date, value, newest, oldest in _edge_observations(ids, org_ids):
        point = Point(date, value)
        slots = edges[(indicator_id, organization_id)]
        if newest == 1:
            slots["latest"] = point
        elif newest == 2:
            slots["previous"] = point
        if oldest == 1:
            slots["first"] = point

    targets: dict[int, dict[int | None, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    target_rows = Target.objects.filter(indicator_id__in=ids)
    if org_ids is not None:
        target_rows = target_rows.filter(Q(organization_id__isnull=True) | Q(organization_id__in=org_ids))
    for indicator_id, organization_id, year, value in target_rows.values_list(
        "indicator_id", "organization_id", "year", "value"
    ):
        targets[indicator_id][organization_id][year] = value

    baselines: dict[int, dict[int | None, Point]] = defaultdict(dict)
    baseline_rows = Baseline.objects.filter(indicator_id__in=ids)
    if org_ids is not None:
        baseline_rows = baseline_rows.filter(Q(organization_id__isnull=True) | Q(organization_id__in=org_ids))
    for indicator_id, organization_id, date, value in baseline_rows.values_list(
        "indicator_id", "organization_id", "date", "value"
    ):
        baselines[indicator_id][organization_id] = Point(date, value)

    pairs = set(edges)
    if org_ids is not None:
        pairs |= {(indicator_id, org_id) for indicator_id in ids for org_id in org_ids}
    for indicator_id, organization_id in sorted(pairs):
        indicator = by_id[indicator_id]
        slots = edges.get((indicator_id, organization_id), {})
        own_targets = targets[indicator_id]
        effective = {**own_targets.get(None, {}), **own_targets.get(organization_id, {})}
        own_baselines = baselines[indicator_id]
        table.assessments[(indicator_id, organization_id)] = assess(
            indicator_id=indicator_id,
            organization_id=organization_id,
            direction=indicator.direction,
            frequency=indicator.frequency,
            latest=slots.get("latest"),
            previous=slots.get("previous"),
            first=slots.get("first"),
            baseline=own_baselines.get(organization_id) or own_baselines.get(None),
            targets=effective,
            today=today,
        )
    return table


# --- The parts that name a computed status (the plan dashboard, network benchmarks) in the cache.
#
# Judging every indicator for every member of a large network takes a second or more, so the
# result is kept (core.cache.cached_value), named by everything it is computed from: each
# indicator's `updated_at`, which every write of its values, baselines or targets moves inside
# the writing transaction (`services.touch_indicators`), the organisations judged, and the day
# (staleness). Any change is then a different key: nothing needs deleting. The version is read
# before the data, so an entry never holds data older than its key says.


def status_parts(
    kind: str, indicators: Iterable[Indicator], organization_ids: Iterable[int], today: dt.date, *extra: object
) -> list[str]:
    """The cache parts of a computed status of `indicators` for `organization_ids` on `today` (see above)."""
    parts = [kind, today.isoformat(), *map(str, extra)]
    parts += [f"{i.pk}@{i.updated_at.isoformat()}" for i in sorted(indicators, key=lambda i: i.pk)]
    parts.append(",".join(map(str, sorted(organization_ids))))
    return parts


def indicator_ids_with_status(queryset: QuerySet[Indicator], status: str) -> list[int]:
    """Ids of the indicators in `queryset` with at least one organisation in `status` (for filters)."""
    indicators = list(queryset.select_related(None).only("id", "direction", "frequency"))
    table = indicator_status(indicators)
    return sorted({ind for (ind, _org), a in table.assessments.items() if a.status == status})


# --- Series for charts: observations and the target path, per organisation.


@dataclass
class Series:
    organization_id: int
    points: list[Point]


def indicator_series(indicator: Indicator, *, organization_ids: Iterable[int] | None = None) -> list[Series]:
    """Every observation of `indicator` by organisation, oldest first, in one query (for charts)."""
    rows = Observation.objects.filter(indicator=indicator)
    if organization_ids is not None:
        rows = rows.filter(organization_id__in=list(organization_ids))
    by_org: dict[int, list[Point]] = defaultdict(list)
    for organization_id, date, value in rows.order_by("organization_id", "date").values_list(
        "organization_id", "date", "value"
    ):
        by_org[organization_id].append(Point(date, value))
    return [Series(org_id, points) for org_id, points in by_org.items()]


# --- The indicator page.


@dataclass
class OrganizationRow:
    organization: Organization
    assessment: Assessment


@dataclass
class IndicatorPage:
    indicator: Indicator
    baselines: list[Baseline]
    targets: list[Target]
    rows: list[OrganizationRow]
    objectives: list[Objective]
    actions: list[Action]


def indicator_page(user: User | None, indicator: Indicator, *, today: dt.date | None = None) -> IndicatorPage:
    """Everything the indicator page shows except the observations table (paginated separately)."""
    baselines = list(indicator.baselines.select_related("organization").order_by("organization__name"))
    targets = list(indicator.targets.select_related("organization").order_by("year", "organization__name"))
    table = indicator_status([indicator], today=today)
    organizations = organizations_by_id(org_id for (_ind, org_id) in table.assessments)
    rows = [
        OrganizationRow(organizations[org_id], assessment)
        for (_ind, org_id), assessment in table.assessments.items()
        if org_id in organizations
    ]
    rows.sort(key=lambda row: row.organization.name)
    objectives = list(
        OBJECTIVE.visible(user, indicator.objectives.all())
        .select_related("axis__plan")
        .order_by("axis__plan_id", "code")
    )
    actions = list(ACTION.visible(user, indicator.actions.all()).select_related("plan").order_by("plan_id", "code"))
    return IndicatorPage(indicator, baselines, targets, rows, objectives, actions)


def indicator_observations(indicator: Indicator, *, organization: Organization | None = None) -> QuerySet[Observation]:
    rows = indicator.observations.select_related("organization").order_by("-date", "organization__name")
    if organization is not None:
        rows = rows.filter(organization=organization)
    return rows


def indicators_with_links(user: User | None) -> QuerySet[Indicator]:
    """Indicators for the API: owner, objectives and actions named without a query per row."""
    return indicator_list(user).prefetch_related(
        Prefetch("objectives", queryset=objective_ids_only()),
        Prefetch("actions", queryset=action_ids_only()),
    )


# --- For other apps: the reads of indicators, targets and observations that other apps' pages,
# reports and services need. They read these models through the functions here.


def indicators_among(ids: Iterable[int] | QuerySet) -> QuerySet[Indicator]:
    """The indicators with these ids."""
    return Indicator.objects.filter(pk__in=ids)


def indicators_by_id(ids: list[int]) -> dict[int, Indicator]:
    """Indicators by id, in one query (none for no ids)."""
    return Indicator.objects.in_bulk(ids) if ids else {}


def indicators_of_plans(plan_ids: Iterable[int] | QuerySet) -> QuerySet[Indicator]:
    """The indicators of these plans' objectives or actions (an indicator may come more than once)."""
    return Indicator.objects.filter(Q(actions__plan_id__in=plan_ids) | Q(objectives__axis__plan_id__in=plan_ids))


def indicators_linked_to_plan(plan_id: int, visible: QuerySet[Indicator, Any]) -> list[tuple[int, int]]:
    """(objective id, indicator id) of the `visible` indicators linked to the plan's objectives, or
    to its actions (such an indicator counts for the action's objective), in two queries."""
    direct = Indicator.objectives.through.objects.filter(objective__axis__plan_id=plan_id, indicator_id__in=visible)
    through_actions = Indicator.actions.through.objects.filter(action__plan_id=plan_id, indicator_id__in=visible)
    return [
        *direct.values_list("objective_id", "indicator_id"),
        *through_actions.values_list("action__objective_id", "indicator_id"),
    ]


def targets_for(ids: list[int], organization_ids: list[int]) -> QuerySet[Target]:
    """The targets of these indicators for these organisations, and their general targets."""
    return Target.objects.filter(indicator_id__in=ids).filter(
        Q(organization_id__isnull=True) | Q(organization_id__in=organization_ids)
    )


def observations_for(ids: list[int], organization_ids: list[int]) -> QuerySet[Observation]:
    """The observations of these indicators in these organisations, oldest first."""
    return (
        Observation.objects.filter(indicator_id__in=ids, organization_id__in=organization_ids)
        .only("id", "indicator_id", "organization_id", "date", "value", "source")
        .order_by("indicator_id", "organization_id", "date")
    )


def indicator_history(indicator: Indicator, *, limit: int = 100) -> list:
    """The readable change history of an indicator, its baselines and its targets (three queries)."""
    records = [
        *cast(Any, Indicator).history.filter(id=indicator.pk).select_related("history_user"),
        *cast(Any, Baseline).history.filter(indicator_id=indicator.pk).select_related("history_user"),
        *cast(Any, Target).history.filter(indicator_id=indicator.pk).select_related("history_user"),
    ]
    return history_entries(records, limit=limit)


def indicator_imports(indicator: Indicator, *, limit: int = 20) -> list:
    """The imports that brought values of this indicator: who, when, which file, how many of its values."""
    return list(
        ObservationImport.objects.filter(observations__indicator=indicator)
        .select_related("created_by")
        .annotate(rows_imported=Count("observations", filter=Q(observations__indicator=indicator)))
        .defer("content")
        .order_by("-created_at")[:limit]
    )
