"""Who owes which indicator value: each council whose value a plan's indicator is judged on.

An indicator measuring a plan's objectives or actions is judged on the plan's councils (a
network's member councils, or the owning council: `monitoring.plan_organization_ids`). Each of
those councils owes a value while it has none, or while its latest is stale (status.py). "My
work" lists the values owed by the councils a user edits and by the indicators they own; the
reminders (reminders.py) write to each council's editors and to the indicator's owner.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.core.sections import WorkItem, WorkList
from municipia.core.visibility import User
from municipia.indicators.choices import IndicatorStatus
from municipia.indicators.models import Indicator
from municipia.indicators.selectors import indicator_status
from municipia.indicators.status import Assessment
from municipia.organizations.models import Organization
from municipia.organizations.permissions import editable_organization_ids
from municipia.organizations.selectors import network_member_pairs, networks_of_members, organizations_by_id


@dataclass
class OwedValue:
    indicator: Indicator
    organization: Organization
    assessment: Assessment

    @property
    def missing(self) -> bool:
        return self.assessment.latest is None


def _plans_of(indicator_ids: list[int]) -> dict[int, set[int]]:
    """Indicator id → ids of the owners of the plans it measures (through objectives or actions)."""
    owners: dict[int, set[int]] = defaultdict(set)
    through_objectives = Indicator.objectives.through.objects.filter(indicator_id__in=indicator_ids)
    for indicator_id, owner_id in through_objectives.values_list("indicator_id", "objective__axis__plan__owner_id"):
        owners[indicator_id].add(owner_id)
    through_actions = Indicator.actions.through.objects.filter(indicator_id__in=indicator_ids)
    for indicator_id, owner_id in through_actions.values_list("indicator_id", "action__plan__owner_id"):
        owners[indicator_id].add(owner_id)
    return owners


def owed_values(indicators: QuerySet[Indicator], *, today: dt.date | None = None) -> list[OwedValue]:
    """Every (indicator, council) of `indicators` whose value is missing or stale, in six queries."""
    today = today or timezone.localdate()
    indicators_by_id = {i.pk: i for i in indicators.select_related("owner_person__user")}
    owners = _plans_of(list(indicators_by_id))
    members: dict[int, set[int]] = defaultdict(set)
    all_owners = {o for ids in owners.values() for o in ids}
    for network_id, member_id in network_member_pairs(all_owners):
        members[network_id].add(member_id)
    councils: dict[int, set[int]] = {pk: set() for pk in indicators_by_id}
    for indicator_id, owner_ids in owners.items():
        for owner_id in owner_ids:
            councils[indicator_id] |= members.get(owner_id) or {owner_id}
    all_councils = {c for ids in councils.values() for c in ids}
    if not all_councils:
        return []
    table = indicator_status(list(indicators_by_id.values()), organization_ids=all_councils, today=today)
    organizations = organizations_by_id(all_councils)
    owed = []
    for (indicator_id, organization_id), assessment in sorted(table.assessments.items()):
        if organization_id not in councils.get(indicator_id, ()):
            continue
        if assessment.stale or assessment.status == IndicatorStatus.NO_DATA:
            owed.append(OwedValue(indicators_by_id[indicator_id], organizations[organization_id], assessment))
    return owed


def my_work_indicators(user: User) -> list[WorkList]:
    """The "My work" list of indicators: values owed by councils I edit, or of indicators I own."""
    mine = editable_organization_ids(user)
    owned = Q(owner_person__user=user)
    if mine:
        measured = Q(objectives__axis__plan__owner_id__in=mine) | Q(actions__plan__owner_id__in=mine)
        member_of = networks_of_members(mine)
        measured |= Q(objectives__axis__plan__owner_id__in=member_of) | Q(actions__plan__owner_id__in=member_of)
        candidates = Indicator.objects.filter(owned | measured)
    else:
        candidates = Indicator.objects.filter(owned)
    indicators = Indicator.objects.filter(id__in=candidates.values("id"))
    found = [
        value
        for value in owed_values(indicators)
        if value.organization.pk in mine
        or (value.indicator.owner_person is not None and value.indicator.owner_person.user_id == user.pk)
    ]
    items = [
        WorkItem(
            f"{value.indicator.code} {value.indicator.name}",
            reverse("indicators:indicator-detail", args=[value.indicator.pk]),
            (_("%(council)s: no value yet") if value.missing else _("%(council)s: last value of %(date)s"))
            % {
                "council": value.organization,
                "date": value.assessment.latest.date.isoformat() if value.assessment.latest else "",
            },
        )
        for value in found[:25]
    ]
    return [
        WorkList(
            key="indicators",
            title=_("Indicator values I owe"),
            items=items,
            total=len(found),
            empty=_("No indicator values are due from you."),
            links=[(_("Import values from a file"), reverse("indicators:observation-import"))],
        )
    ]
