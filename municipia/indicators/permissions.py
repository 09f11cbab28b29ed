"""Who may see and change indicators, targets and observations: one set of rules for pages, admin and API.

- Everyone sees public indicators with their baselines, targets and observations; a private
  indicator is seen by the editors (or coordinators) of its owner organisation and by site admins.
- An indicator, its baselines and its targets are changed by the editors of its owner
  organisation; indicators without an owner (shared by the whole site) by site admins only.
  A target or baseline for one organisation may also be set by that organisation's editors.
- An observation of an indicator for an organisation is recorded (created, changed, deleted,
  imported) by the editors of that organisation, or by the editors of the indicator's owner
  organisation (a network's coordinators record their member councils' values), or by site admins.
- The import pages are open to anyone with a role on some organisation; each row of a file is
  then checked with `may_record` and refused with its row number when it is not allowed.
"""

import rules

from municipia.indicators.entities import INDICATOR
from municipia.indicators.models import Baseline, Indicator, Observation, Target
from municipia.organizations.models import Organization
from municipia.organizations.permissions import (
    editable_organization_ids,
    edits_organization,
    has_any_role,
    is_site_admin,
)


def may_record(user, *, indicator_owner_id: int | None, organization_id: int) -> bool:
    """Whether `user` may record an observation of an indicator (by its owner) for an organisation."""
    if is_site_admin(user):
        return True
    ids = editable_organization_ids(user)
    return organization_id in ids or (indicator_owner_id is not None and indicator_owner_id in ids)


def indicator_of(obj: object) -> Indicator | None:
    if isinstance(obj, Indicator):
        return obj
    if isinstance(obj, Baseline | Target | Observation):
        return obj.indicator
    return None


@rules.predicate
def edits_indicator_owner(user, obj) -> bool:
    indicator = indicator_of(obj)
    return (
        indicator is not None
        and indicator.owner_organization_id is not None
        and indicator.owner_organization_id in editable_organization_ids(user)
    )


@rules.predicate
def edits_value_organization(user, obj) -> bool:
    """The target, baseline or observation is for an organisation the user edits."""
    if not isinstance(obj, Baseline | Target | Observation):
        return False
    return obj.organization_id is not None and obj.organization_id in editable_organization_ids(user)


@rules.predicate
def is_indicator_owner_candidate(user, obj) -> bool:
    """Creating an indicator: the object is the organisation that will own it."""
    return isinstance(obj, Organization) and edits_organization(user, obj)


@rules.predicate
def can_view(user, obj) -> bool:
    """Whether `user` sees the indicator `obj` is (or belongs to): the indicator entity's visibility
    rule (indicators/entities.py, which also defines the `view_*` permissions), for other apps' rules."""
    return INDICATOR.can_see(user, indicator_of(obj))


can_edit_indicator = is_site_admin | edits_indicator_owner
can_edit_value = is_site_admin | edits_indicator_owner | edits_value_organization

rules.add_perm("indicators.add_indicator", is_site_admin | is_indicator_owner_candidate)
rules.add_perm("indicators.change_indicator", can_edit_indicator)
rules.add_perm("indicators.delete_indicator", can_edit_indicator)
for model_name in ("baseline", "target", "observation"):
    rules.add_perm(f"indicators.add_{model_name}", can_edit_value)
    rules.add_perm(f"indicators.change_{model_name}", can_edit_value)
    rules.add_perm(f"indicators.delete_{model_name}", can_edit_value)
rules.add_perm("indicators.import_observations", is_site_admin | has_any_role)
rules.add_perm("indicators.view_observationimport", is_site_admin)
