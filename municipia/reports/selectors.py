"""Reads for reports and exports: actions as flat records, a plan's indicators and its status report.

Exports read rows with `values_list(...).iterator(chunk_size=…)` and fetch the participating
councils once per chunk, so memory stays flat however many actions a plan has and the number of
queries grows only with the number of chunks (2,000 rows each), not with the rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, ManyToManyField, Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.core.exports import CHUNK_SIZE, chunked_iterator
from municipia.core.i18n import current_language, language_codes, translated_names
from municipia.core.visibility import User
from municipia.indicators.benchmarking import Benchmark, network_benchmark
from municipia.indicators.choices import IndicatorStatus
from municipia.indicators.models import Indicator, Observation, Target
from municipia.indicators.selectors import (
    indicator_get,
    indicator_status,
    indicators_by_id,
    indicators_linked_to_plan,
    indicators_visible_to,
    observations_for,
    targets_for,
)
from municipia.indicators.status import Assessment
from municipia.organizations.models import Organization
from municipia.organizations.selectors import network_members, organization_with_members
from municipia.strategy.choices import ActionStatus, ComputedStatus
from municipia.strategy.entities import ACTION, ACTION_EXPORT_PATHS
from municipia.strategy.models import Action, Axis, Plan
from municipia.strategy.selectors import plan_actions, plan_outline, progress_rollup, with_status_facts
from municipia.strategy.status import StatusFacts, computed_status


def fallback_languages(language: str | None = None) -> list[str]:
    """The languages to try, in order, for content in `language` (the modeltranslation fallbacks)."""
    language = language or current_language()
    fallbacks = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    order = [language, *fallbacks.get(language, fallbacks["default"])]
    return list(dict.fromkeys(code for code in order if code in language_codes()))


def _first(values: Iterable[str | None]) -> str:
    return next((value for value in values if value), "")


# --- Actions as flat records (CSV, XLSX, JSON): the columns are the action entity's
# `export_fields` (strategy/entities.py), read along ACTION_EXPORT_PATHS or as the action's own fields.


Row = tuple[Any, ...]
Lists = dict[str, dict[int, list[str]]]


@dataclass(frozen=True)
class ExportColumn:
    """One export column: the path it reads from the action and how its value is shown."""

    name: str
    path: str
    translated: bool  # several language columns, the first non-empty one in the reader's languages
    choices: dict[Any, str] | None  # stored value → label
    many: ManyToManyField[Any, Any] | None  # the many-to-many relation a list column goes through


def _export_column(name: str) -> ExportColumn:
    path = ACTION_EXPORT_PATHS.get(name, name)
    model: type[Model] = Action
    many = None
    *relations, last = path.split("__")
    for relation in relations:
        related = model._meta.get_field(relation)
        if isinstance(related, ManyToManyField):
            many = related
        model = cast(type[Model], related.related_model)
    try:
        model._meta.get_field(f"{last}_{language_codes()[0]}")
        translated = True
    except FieldDoesNotExist:
        translated = False
    target = model._meta.get_field(last)
    choices = None
    if isinstance(target, Field) and target.choices:
        # Labels in the active language, made once per export.
        choices = {value: str(label) for value, label in target.flatchoices}
    return ExportColumn(name, path, translated, choices, many)


def action_columns() -> list[ExportColumn]:
    """The export's columns, in order (the action entity's `export_fields`)."""
    return [_export_column(name) for name in ACTION.columns("export")]


def _lookups(path: str, translated: bool, languages: list[str]) -> list[str]:
    return [f"{path}_{code}" for code in languages] if translated else [path]


def _list_values(
    relation: ManyToManyField[Any, Any], column: ExportColumn, action_ids: list[int], languages: list[str]
) -> dict[int, list[str]]:
    """A list column's values for the given actions, in one query through the relation's table."""
    through = cast(type[Model], relation.remote_field.through)
    source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
    rest = column.path.split("__", 1)[1]
    # A link with a role (a partner organisation's: lead, funder…) names it after the organisation.
    roles = _role_labels(through)
    role_lookup = ["role"] if roles else []
    values: dict[int, list[str]] = defaultdict(list)
    for action_id, *texts in (
        through._default_manager.filter(**{f"{source}_id__in": action_ids})
        .order_by(f"{target}__{rest}", f"{target}_id", *role_lookup)
        .values_list(f"{source}_id", *_lookups(f"{target}__{rest}", column.translated, languages), *role_lookup)
    ):
        if roles:
            *texts, role = texts
            values[action_id].append(f"{_first(texts)} ({roles.get(role, role)})")
        else:
            values[action_id].append(_first(texts))
    return values


def _role_labels(through: type[Model]) -> dict[Any, str]:
    """value → label of the link table's `role` choices, in the active language ({} without one)."""
    try:
        field = through._meta.get_field("role")
    except FieldDoesNotExist:
        return {}
    return {value: str(label) for value, label in getattr(field, "flatchoices", [])}


def _reader(column: ExportColumn, span: slice) -> Callable[[Row, Lists], Any]:
    """How a record's value of `column` is read from a row (and the chunk's list values)."""
    if column.many is not None:
        return lambda row, lists: lists[column.name].get(row[0], [])
    if column.translated:
        return lambda row, lists: _first(row[span])
    index, choices = span.start, column.choices
    if choices:
        return lambda row, lists: choices.get(row[index], row[index])
    return lambda row, lists: row[index]


def plan_action_records(plan: Plan, *, chunk_size: int = CHUNK_SIZE) -> Iterator[dict[str, Any]]:
    """Every action of `plan` with its axis and objective, in the active language, lazily."""
    return action_records(plan_actions(plan), chunk_size=chunk_size)


def action_records(actions: QuerySet[Action], *, chunk_size: int = CHUNK_SIZE) -> Iterator[dict[str, Any]]:
    """The given actions as flat records (plan, axis, objective, councils), in the active language.

    One query streams the actions; one more per chunk of `chunk_size` and list column (the
    councils) names what the actions link to.
    """
    languages = fallback_languages()
    columns = action_columns()
    single = [column for column in columns if column.many is None]
    lookups: list[str] = ["id"]
    spans: dict[str, slice] = {}
    for column in single:
        names = _lookups(column.path, column.translated, languages)
        spans[column.name] = slice(len(lookups), len(lookups) + len(names))
        lookups.extend(names)
    # The computed status (strategy/status.py) follows the reported one: the facts it reads come last.
    facts_at = []
    for name in ("status", "progress", "start_date", "end_date", "overdue_milestones"):
        if name not in lookups:
            lookups.append(name)
        facts_at.append(lookups.index(name))
    today = timezone.localdate()
    rows = (
        with_status_facts(actions, today)
        .order_by("plan_id", "objective__axis__position", "objective__axis__code", "objective__code", "code", "id")
        .values_list(*lookups)
        .iterator(chunk_size=chunk_size)
    )
    readers = [(column.name, _reader(column, spans.get(column.name, slice(0)))) for column in columns]
    labels = {value: str(label) for value, label in ComputedStatus.choices}
    for chunk in chunked_iterator(rows, chunk_size):
        ids = [row[0] for row in chunk]
        lists = {column.name: _list_values(column.many, column, ids, languages) for column in columns if column.many}
        for row in chunk:
            record = {}
            for name, read in readers:
                record[name] = read(row, lists)
                if name == "status":
                    record["computed_status"] = labels[
                        computed_status(StatusFacts(*[row[i] for i in facts_at]), today).status
                    ]
            yield record


def action_cells(record: dict[str, Any]) -> list[Any]:
    """A record as a spreadsheet row (lists, such as the councils, joined by semicolons)."""
    return ["; ".join(value) if isinstance(value, list) else value for value in record.values()]


# --- Organisations a plan reports on: its owner and, for a network, the member councils.


def plan_organizations(plan: Plan) -> list[Organization]:
    return list(
        organization_with_members(plan.owner_id)
        .only("id", "name", "official_code", "population", "kind", "slug")
        .order_by("name", "id")
    )


# --- Indicators of a plan, with targets and observations (StratML, status report).


@dataclass
class PlanIndicators:
    indicators: dict[int, Indicator]
    by_objective: dict[int, list[int]]
    targets: dict[int, list[Target]]
    observations: dict[int, list[Observation]]
    organizations: dict[int, Organization]


def plan_indicators(user: User | None, plan: Plan, *, with_values: bool = True) -> PlanIndicators:
    """The visible indicators linked to the plan's objectives or actions, in five queries.

    An indicator linked to an action counts for the action's objective. Observations and
    targets are those of the plan's organisations (and the general targets).
    """
    by_objective: dict[int, set[int]] = defaultdict(set)
    for objective_id, indicator_id in indicators_linked_to_plan(plan.pk, indicators_visible_to(user).values("pk")):
        by_objective[objective_id].add(indicator_id)
    ids = sorted({pk for pks in by_objective.values() for pk in pks})
    indicators = indicators_by_id(ids)
    organizations = {org.pk: org for org in plan_organizations(plan)}
    targets: dict[int, list[Target]] = defaultdict(list)
    observations: dict[int, list[Observation]] = defaultdict(list)
    if ids and with_values:
        for target in targets_for(ids, list(organizations)):
            targets[target.indicator_id].append(target)
        for observation in observations_for(ids, list(organizations)):
            observations[observation.indicator_id].append(observation)
    ordered = {
        objective_id: sorted(pks, key=lambda pk: (indicators[pk].code, pk))
        for objective_id, pks in by_objective.items()
    }
    return PlanIndicators(indicators, ordered, dict(targets), dict(observations), organizations)


# --- The plan status report.


@dataclass
class AxisSection:
    axis: Axis
    progress: float | None
    actions: list[Action]
    budget: Decimal


@dataclass
class IndicatorLine:
    indicator: Indicator
    own: Assessment | None
    counts: dict[str, int]


@dataclass
class PlanStatusReport:
    plan: Plan
    generated_on: dt.date
    progress: float | None
    action_count: int
    budget_total: Decimal
    status_counts: list[tuple[str, str, int]]
    axes: list[AxisSection]
    indicators: list[IndicatorLine]
    organization_count: int = 0
    status_labels: dict[str, str] = field(default_factory=dict)


def _latest_date(assessment: Assessment) -> dt.date:
    return assessment.latest.date if assessment.latest is not None else dt.date.min


def plan_status_report(user: User | None, plan: Plan, *, today: dt.date | None = None) -> PlanStatusReport:
    """Everything the status report shows, in a fixed number of queries whatever the plan's size."""
    today = today or timezone.localdate()
    axes = plan_outline(plan)
    rollup = progress_rollup([plan.pk])
    counts: dict[str, int] = defaultdict(int)
    sections = []
    total_budget = Decimal("0")
    action_count = 0
    for axis in axes:
        axis_actions = [action for objective in axis.objectives.all() for action in objective.actions.all()]
        budget = sum((action.budget or Decimal("0") for action in axis_actions), Decimal("0"))
        for action in axis_actions:
            counts[action.status] += 1
        sections.append(AxisSection(axis, rollup.axes.get(axis.pk), axis_actions, budget))
        total_budget += budget
        action_count += len(axis_actions)
    status_counts = [(value, str(label), counts.get(value, 0)) for value, label in ActionStatus.choices]

    linked = plan_indicators(user, plan, with_values=False)
    indicators = sorted(linked.indicators.values(), key=lambda indicator: (indicator.code, indicator.pk))
    table = indicator_status(indicators, organization_ids=list(linked.organizations), today=today)
    lines = []
    for indicator in indicators:
        per_org = table.for_indicator(indicator.pk)
        own = table.assessments.get((indicator.pk, plan.owner_id))
        if own is None or own.latest is None:
            # A network's plan: show the most recent value any member reported.
            dated = [a for a in per_org if a.latest is not None]
            own = max(dated, key=_latest_date) if dated else own
        lines.append(IndicatorLine(indicator, own, table.counts(indicator.pk)))
    return PlanStatusReport(
        plan=plan,
        generated_on=today,
        progress=rollup.plans.get(plan.pk),
        action_count=action_count,
        budget_total=total_budget,
        status_counts=status_counts,
        axes=sections,
        indicators=lines,
        organization_count=len(linked.organizations),
        status_labels={value: str(label) for value, label in IndicatorStatus.choices},
    )


# --- Network benchmarking: the figures come from indicators.benchmarking, as on the benchmark page.


class BenchmarkRequestError(ValueError):
    """A benchmarking report asked for with a bad parameter; the message names it."""


@dataclass
class BenchmarkRequest:
    indicator: Indicator
    council: Organization | None


def benchmark_request(user: User | None, network: Organization, params: Mapping[str, str]) -> BenchmarkRequest:
    """Reads `indicator` (an id, required) and `council` (a member's slug, optional) from `params`.

    An indicator the user may not see is "not found" (Http404), as on its page; a missing or
    malformed indicator, or a council that is not a member of the network, raises
    `BenchmarkRequestError` with a message naming the parameter.
    """
    raw = (params.get("indicator") or "").strip()
    if not raw.isdigit():
        raise BenchmarkRequestError(_("indicator: choose an indicator, giving its number as indicator=<id>."))
    indicator = indicator_get(user, pk=int(raw))
    slug = (params.get("council") or "").strip()
    council = None
    if slug:
        council = network_members(network).only("id", "slug", *translated_names("name")).filter(slug=slug).first()
        if council is None:
            raise BenchmarkRequestError(
                _("council: “%(council)s” is not a member council of %(network)s.")
                % {"council": slug, "network": network.name}
            )
    return BenchmarkRequest(indicator, council)


def network_benchmark_report(
    network: Organization, indicator: Indicator, *, council: Organization | None = None, today: dt.date | None = None
) -> Benchmark:
    """The same computation as the benchmark page (ranks, peer groups, median and quartiles)."""
    return network_benchmark(indicator, network, council=council.slug if council else None, today=today)


def status_counts_label(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(str(label), counts[value]) for value, label in IndicatorStatus.choices if counts.get(value)]
