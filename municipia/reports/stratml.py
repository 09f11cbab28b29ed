"""A plan as StratML Part 2 XML (`PerformancePlanOrReport`), valid against the ISO schema in schemas/.

Mapping: the plan's axes are StratML goals, its strategic objectives the goals' objectives, and
the indicators linked to an objective (directly or through one of its actions) its performance
indicators. Each organisation the plan reports on (the owner, and a network's member councils)
is one `MeasurementInstance` of an indicator, placed by `Place`, with the yearly targets as
`TargetResult` (due on 31 December) and the observations as `ActualResult`.

Identifiers are `xsd:ID` values, so they must be unique in the document and start with a letter:
they are built from the element kind and its database id.
"""

import datetime as dt
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from municipia.core.sanitize import xml_safe
from municipia.indicators.models import Observation, Target
from municipia.reports.selectors import PlanIndicators, plan_indicators
from municipia.strategy.models import Axis, Objective, Plan

NAMESPACE = "urn:ISO:std:iso:17469:tech:xsd:PerformancePlanOrReport"
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "PerformancePlanOrReport.xsd"
_NS = f"{{{NAMESPACE}}}"


@cache
def schema() -> etree.XMLSchema:
    """The StratML Part 2 schema (parsed once per process; it is a local file, nothing is fetched)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH), parser))


def _add(parent: etree._Element, name: str, text=None) -> etree._Element:
    element = etree.SubElement(parent, _NS + name)
    if text is not None:
        element.text = _text(text)
    return element


def _text(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # The schema's decimal has no exponent: 1E+2 must be written 100.
        return format(value.normalize(), "f")
    # XML 1.0 cannot carry some characters (lxml refuses them); drop them rather than fail.
    return xml_safe(str(value))


def _number(value: Decimal) -> str:
    return _text(value)


def _indicator_element(parent: etree._Element, objective: Objective, indicator_id: int, values: PlanIndicators) -> None:
    indicator = values.indicators[indicator_id]
    element = _add(parent, "PerformanceIndicator")
    element.set("PerformanceIndicatorType", "Quantitative")
    _add(element, "SequenceIndicator", indicator.code)
    _add(element, "MeasurementDimension", indicator.name)
    _add(element, "UnitOfMeasurement", indicator.unit)
    _add(element, "Identifier", f"objective-{objective.pk}-indicator-{indicator.pk}")
    targets: list[Target] = values.targets.get(indicator.pk, [])
    observations: list[Observation] = values.observations.get(indicator.pk, [])
    general = [target for target in targets if target.organization_id is None]
    if general:
        # Targets for every organisation: one instance without a place.
        instance = _add(element, "MeasurementInstance")
        for target in general:
            _target_result(instance, target)
    by_org: dict[int, tuple[list[Target], list[Observation]]] = {}
    for target in targets:
        if target.organization_id is not None:
            by_org.setdefault(target.organization_id, ([], []))[0].append(target)
    for observation in observations:
        by_org.setdefault(observation.organization_id, ([], []))[1].append(observation)
    for organization_id in sorted(by_org, key=lambda pk: (values.organizations[pk].name, pk)):
        organization = values.organizations[organization_id]
        own_targets, own_observations = by_org[organization_id]
        instance = _add(element, "MeasurementInstance")
        place = _add(instance, "Place")
        _add(place, "Name", organization.name)
        if organization.official_code:
            _add(place, "PlaceIdentifier", organization.official_code)
        for target in own_targets:
            _target_result(instance, target)
        for observation in own_observations:
            actual = _add(instance, "ActualResult")
            _add(actual, "EndDate", observation.date)
            _add(actual, "NumberOfUnits", _number(observation.value))
            if observation.source:
                _add(actual, "Description", observation.source)
    other = [indicator.framework_code and _("Framework code: %(code)s") % {"code": indicator.framework_code}]
    other.append(indicator.get_direction_display())
    _add(element, "OtherInformation", " · ".join(text for text in other if text))


def _target_result(instance: etree._Element, target: Target) -> None:
    result = _add(instance, "TargetResult")
    _add(result, "EndDate", dt.date(target.year, 12, 31))
    _add(result, "NumberOfUnits", _number(target.value))


def _goal(core: etree._Element, axis: Axis, values: PlanIndicators) -> None:
    goal = _add(core, "Goal")
    _add(goal, "Name", axis.title)
    _add(goal, "Description", axis.description or "")
    _add(goal, "Identifier", f"axis-{axis.pk}")
    _add(goal, "SequenceIndicator", axis.code)
    for objective in axis.objectives.all():
        element = _add(goal, "Objective")
        _add(element, "Name", objective.title)
        _add(element, "Description", objective.description or "")
        _add(element, "Identifier", f"objective-{objective.pk}")
        _add(element, "SequenceIndicator", objective.code)
        for indicator_id in values.by_objective.get(objective.pk, []):
            _indicator_element(element, objective, indicator_id, values)


def plan_document(user, plan: Plan, *, source_url: str = "", today: dt.date | None = None) -> etree._Element:
    """The plan as a `PerformancePlanOrReport` element tree, in the active language."""
    values = plan_indicators(user, plan)
    axes = list(plan.axes.prefetch_related("objectives").order_by("position", "code", "id"))
    root = etree.Element(_NS + "PerformancePlanOrReport", nsmap={None: NAMESPACE})
    root.set("Type", "Performance_Report")
    _add(root, "Name", plan.title)
    if plan.summary:
        _add(root, "Description", plan.summary)
    _add(root, "OtherInformation", _("Status: %(status)s.") % {"status": plan.get_status_display()})
    core = _add(root, "StrategicPlanCore")
    organization = _add(core, "Organization")
    _add(organization, "Name", plan.owner.name)
    _add(organization, "Identifier", f"organization-{plan.owner_id}")
    if plan.vision:
        _add(_add(core, "Vision"), "Description", plan.vision)
    if plan.mission:
        _add(_add(core, "Mission"), "Description", plan.mission)
    for axis in axes:
        _goal(core, axis, values)
    if not axes:
        # The schema requires at least one goal; a plan still being written has none yet.
        goal = _add(core, "Goal")
        _add(goal, "Name", plan.title)
        _add(goal, "Description", _("This plan has no strategic axes yet."))
    admin = _add(root, "AdministrativeInformation")
    _add(admin, "Identifier", f"plan-{plan.pk}")
    _add(admin, "StartDate", plan.period_start)
    _add(admin, "EndDate", plan.period_end)
    _add(admin, "PublicationDate", today or timezone.localdate())
    if source_url:
        _add(admin, "Source", source_url)
    return root


def plan_xml(user, plan: Plan, **kwargs) -> bytes:
    return etree.tostring(
        plan_document(user, plan, **kwargs), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
