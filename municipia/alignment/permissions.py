"""Who may manage frameworks and align plan elements: one set of rules for pages, admin and API.

- Everyone sees frameworks and their items; alignments are seen with the element's plan (the
  `view_*` permissions are the entities' visibility rules, alignment/entities.py).
- Site administrators manage reference frameworks (no owner) and everything else.
- A council's (or network's) editors manage its own frameworks and its local targets.
- Whoever may edit a plan element may align it, change or remove its alignments, choose the
  frameworks its plan uses and answer suggestions for it (the strategy app's `can_edit`).
- Likewise whoever may edit an indicator aligns it (the indicators app's `can_edit_indicator`),
  and whoever may see the indicator sees its alignments.
"""

import rules

from municipia.alignment.models import Alignment, Framework, FrameworkItem, PlanFramework
from municipia.indicators.models import Indicator
from municipia.indicators.permissions import can_edit_indicator
from municipia.indicators.permissions import can_view as can_view_indicator
from municipia.organizations.models import Organization
from municipia.organizations.permissions import editable_organization_ids, edits_organization, is_site_admin
from municipia.strategy.permissions import can_edit as can_edit_element
from municipia.strategy.permissions import can_view as can_view_element


def _owner_id(obj: object) -> int | None:
    if isinstance(obj, Framework):
        return obj.owner_id
    if isinstance(obj, FrameworkItem):
        # A local target belongs to its council; other items to their framework's owner.
        return obj.owner_id or obj.framework.owner_id
    return None


@rules.predicate
def manages_own_framework(user, obj) -> bool:
    owner_id = _owner_id(obj)
    return owner_id is not None and owner_id in editable_organization_ids(user)


@rules.predicate
def is_new_owned_framework(user, obj) -> bool:
    """Creating a framework or a local target for an organisation (the object) the user edits."""
    return isinstance(obj, Organization) and edits_organization(user, obj)


def _element_of(obj: object):
    if isinstance(obj, Alignment):
        return obj.element
    if isinstance(obj, PlanFramework):
        return obj.plan
    return obj


@rules.predicate
def edits_element(user, obj) -> bool:
    element = _element_of(obj)
    if isinstance(element, Indicator):
        return can_edit_indicator.test(user, element)
    return element is not None and can_edit_element.test(user, element)


@rules.predicate
def views_element(user, obj) -> bool:
    element = _element_of(obj)
    if isinstance(element, Indicator):
        return can_view_indicator.test(user, element)
    return element is not None and can_view_element.test(user, element)


manage_framework = is_site_admin | manages_own_framework

# `add_framework` receives the owner organisation, or None for a reference framework.
rules.add_perm("alignment.add_framework", is_site_admin | is_new_owned_framework)
rules.add_perm("alignment.change_framework", manage_framework)
rules.add_perm("alignment.delete_framework", manage_framework)

# `add_frameworkitem` receives the framework (an item of it), or the organisation of a new local target.
rules.add_perm("alignment.add_frameworkitem", is_site_admin | manages_own_framework | is_new_owned_framework)
rules.add_perm("alignment.change_frameworkitem", manage_framework)
rules.add_perm("alignment.delete_frameworkitem", manage_framework)

# Alignments: `add_alignment` receives the element (plan, axis, objective, action or indicator).
rules.add_perm("alignment.add_alignment", edits_element)
rules.add_perm("alignment.change_alignment", edits_element)
rules.add_perm("alignment.delete_alignment", edits_element)

# Frameworks a plan uses: the permissions receive the plan (or the PlanFramework row).
rules.add_perm("alignment.add_planframework", edits_element)
rules.add_perm("alignment.delete_planframework", edits_element)

# Answers to suggestions: receive the action (or objective, or indicator) the suggestion was for.
rules.add_perm("alignment.add_suggestionfeedback", edits_element)

rules.add_perm("alignment.view_coverage", views_element)
