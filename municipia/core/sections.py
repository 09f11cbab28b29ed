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
