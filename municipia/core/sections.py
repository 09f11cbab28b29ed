"""Page sections one app contributes to another app's page, composed one way.

The lower app names a slot (`"plan"` on the plan page) and asks for its sections; upper apps
register theirs in their AppConfig.ready, so strategy never imports governance:

    # governance/apps.py
    register_section("plan", "governance", plan_governance_section)
    # strategy/views.py
    context.update(section_context("plan", request.user, plan))

A section is a function `(user, obj) -> dict` whose keys are added to the page's context; the
template includes what it knows. Sections run in registration order (INSTALLED_APPS order).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Section = Callable[[Any, Any], dict[str, Any]]
_SLOTS: dict[str, dict[str, Section]] = {}


def register_section(slot: str, name: str, section: Section) -> None:
    _SLOTS.setdefault(slot, {})[name] = section


def section_context(slot: str, user: Any, obj: Any) -> dict[str, Any]:
    """Every registered section's context for `obj`, merged (later apps cannot overwrite keys)."""
    context: dict[str, Any] = {}
    for name, section in _SLOTS.get(slot, {}).items():
        for key, value in section(user, obj).items():
            if key in context:
                raise KeyError(f"section {name!r} of slot {slot!r} repeats the context key {key!r}")
            context[key] = value
    return context


# --- "My work": each app adds what the signed-in user owes (registered on the slot "my_work").


@dataclass
class WorkItem:
    """One thing the user owes: what, where, and a short note (a due date, a status)."""

    text: str
    url: str = ""
    note: str = ""
    status: str = ""  # a computed status (badge colour), if any
    status_label: str = ""


@dataclass
class WorkList:
    """One list of the "My work" page (my actions needing an update, my overdue tasks…)."""

    key: str
    title: str
    items: list[WorkItem] = field(default_factory=list)
    total: int = 0
    empty: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url) under the list


WorkSection = Callable[[Any], list[WorkList]]
_WORK: dict[str, WorkSection] = {}


def register_work(name: str, section: WorkSection) -> None:
    _WORK[name] = section


def work_lists(user: Any) -> list[WorkList]:
    """Every registered app's lists of what `user` owes, in registration (INSTALLED_APPS) order."""
    return [work for section in _WORK.values() for work in section(user)]


# --- Work linked to actions (milestones, follow-up tasks, partners' commitments): each app counts its own,
# so strategy can tell when everything an action waits on is finished without importing those apps.

#: (actions: a queryset of Action ids) -> {action id: (items that count, items finished)}; cancelled
#: items do not count.
LinkedWork = Callable[[Any], dict[int, tuple[int, int]]]
_LINKED: dict[str, LinkedWork] = {}


def register_linked_work(name: str, counter: LinkedWork) -> None:
    _LINKED[name] = counter


def linked_work(action_ids: Any) -> dict[int, tuple[int, int]]:
    """Every registered app's counts added up per action: one query per app."""
    totals: dict[int, tuple[int, int]] = {}
    for counter in _LINKED.values():
        for action_id, (count, finished) in counter(action_ids).items():
            before = totals.get(action_id, (0, 0))
            totals[action_id] = (before[0] + count, before[1] + finished)
    return totals
