"""Frameworks, their items, alignments, the frameworks plans use and the answers to suggestions,
each declared once (see municipia.core.entities).

Everyone sees frameworks and their items. An alignment is seen with its element: a plan
element's with its plan (published, or a draft its owner's editors see), an indicator's with
the indicator (public, or a private one its owner's editors see); a plan's chosen frameworks
with the plan; an answer to a suggestion for an action by the editors of the action's plan's
owner. Site administrators see everything.
"""

from typing import cast

from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipia.alignment.models import Alignment, Framework, FrameworkItem, PlanFramework, SuggestionFeedback
from municipia.core.entities import Entity, register
from municipia.core.visibility import Always, Among, Is, Rule
from municipia.organizations.permissions import editable_organization_ids


def _of_plan(path: str) -> Rule:
    """The plan rule (strategy/entities.py), for a row that reaches its plan through `path`."""
    return Is(f"{path}__is_published") | Among(f"{path}__owner_id", editable_organization_ids)


def _of_indicator(path: str) -> Rule:
    """The indicator rule (indicators/entities.py), for a row that reaches its indicator through `path`."""
    return Is(f"{path}__is_public") | Among(f"{path}__owner_organization_id", editable_organization_ids)


def _framework_page(item: Model) -> str:
    """Items are listed on their framework's page."""
    return cast(FrameworkItem, item).framework.get_absolute_url()


SERVICES = "municipia.alignment.services"
FORMS = "municipia.alignment.forms"

FRAMEWORK = register(
    Entity(
        model=Framework,
        visibility=Always(),
        parent="owner",
        fields=("name", "description", "code", "source", "licence", "position"),
        translated=("name", "description"),
        create=f"{SERVICES}.framework_create",
        update=f"{SERVICES}.framework_update",
        delete=f"{SERVICES}.framework_delete",
        lookup="code",
        select_related=("owner",),
        titles=(_("New framework"), _("Edit framework")),
        messages=(_("Framework created."), _("Framework saved."), _("Framework deleted.")),
        form=f"{FORMS}.FrameworkForm",
        after_delete=lambda framework: reverse("alignment:framework-list"),
    )
)

FRAMEWORK_ITEM = register(
    Entity(
        model=FrameworkItem,
        visibility=Always(),
        parent="framework",
        # `parent` (the item above) and `owner` (a local target's council) are chosen on creation.
        fields=("short_title", "title", "code", "level", "position", "parent", "owner"),
        translated=("short_title", "title"),
        create=f"{SERVICES}.framework_item_create",
        update=f"{SERVICES}.framework_item_update",
        delete=f"{SERVICES}.framework_item_delete",
        object_arg="item",
        select_related=("framework__owner", "owner", "parent"),
        titles=(_("New item"), _("Edit item")),
        messages=(_("Item added."), _("Item saved."), _("Item deleted.")),
        form=f"{FORMS}.FrameworkItemForm",
        after_save=_framework_page,
        after_delete=_framework_page,
    )
)

ALIGNMENT = register(
    Entity(
        model=Alignment,
        # `in_plan` is the element's plan (empty for an indicator's alignment).
        visibility=_of_plan("in_plan") | _of_indicator("indicator"),
        parent="element",
        fields=("rationale", "is_primary"),
        translated=("rationale",),
        links=("item",),
        create=f"{SERVICES}.alignment_create",
        update=f"{SERVICES}.alignment_update",
        delete=f"{SERVICES}.alignment_delete",
        select_related=(
            "in_plan__owner",
            "plan__owner",
            "axis__plan__owner",
            "objective__axis__plan__owner",
            "action__plan__owner",
            "indicator__owner_organization",
            "item__framework",
        ),
    )
)

PLAN_FRAMEWORK = register(
    Entity(
        model=PlanFramework,
        visibility=_of_plan("plan"),
        parent="plan",
        links=("framework",),
        create=f"{SERVICES}.plan_framework_add",
        delete=f"{SERVICES}.plan_framework_remove",
        object_arg="plan_framework",
        select_related=("plan__owner", "framework"),
    )
)

# Editors' answers to suggested SDGs: written by the suggestion services only (accept, reject, the
# API's POST), never edited; an action's answers are seen by the editors of the action's plan's owner.
SUGGESTION_FEEDBACK = register(
    Entity(
        model=SuggestionFeedback,
        visibility=Among("action__plan__owner_id", editable_organization_ids),
        select_related=("action",),
    )
)
