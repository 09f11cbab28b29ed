"""Every write of the alignment app: frameworks, items and local targets, plan frameworks, alignments, feedback."""

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from municipia.alignment.choices import SUGGESTION_LANGUAGES, ItemLevel
from municipia.alignment.entities import ALIGNMENT, FRAMEWORK, FRAMEWORK_ITEM
from municipia.alignment.models import (
    ELEMENT_MODELS,
    Alignment,
    Framework,
    FrameworkItem,
    PlanFramework,
    SuggestionFeedback,
)
from municipia.core.services import apply_fields, delete_with_history, save_with_history, signed_in
from municipia.core.visibility import User
from municipia.indicators.models import Indicator
from municipia.indicators.selectors import indicators_among, indicators_of_plans
from municipia.organizations.choices import OrganizationKind
from municipia.organizations.models import Organization
from municipia.strategy.models import Action, Axis, Objective, Plan
from municipia.strategy.permissions import plan_of
from municipia.strategy.selectors import plans_measured_by

FRAMEWORK_FIELDS = FRAMEWORK.editable_names()
# An item's parent and owner (a local target's council) are chosen when it is created.
ITEM_CHOSEN_ONCE = ("parent", "owner")
ITEM_FIELDS = [name for name in FRAMEWORK_ITEM.editable_names() if name not in ITEM_CHOSEN_ONCE]
ALIGNMENT_FIELDS = ALIGNMENT.editable_names()
SDG = "SDG"
MAX_FEEDBACK_TEXT = 10_000

Element = Plan | Axis | Objective | Action | Indicator


# --- Frameworks


@transaction.atomic
def framework_create(*, acting_user: User, owner: Organization | None, data: dict[str, Any]) -> Framework:
    """A reference framework (owner None, site admins) or a council's own framework."""
    framework = Framework(owner=owner)
    apply_fields(framework, data, FRAMEWORK_FIELDS)
    framework.code = (framework.code or "").strip().upper()
    save_with_history(framework, acting_user=acting_user)
    return framework


@transaction.atomic
def framework_update(*, acting_user: User, framework: Framework, data: dict[str, Any]) -> Framework:
    if (
        "code" in data
        and data["code"] != framework.code
        and Alignment.objects.filter(item__framework=framework).exists()
    ):
        raise ValidationError({"code": _("This framework is in use; its code cannot change.")})
    apply_fields(framework, data, FRAMEWORK_FIELDS)
    save_with_history(framework, acting_user=acting_user)
    return framework


@transaction.atomic
def framework_delete(*, acting_user: User, framework: Framework) -> None:
    if Alignment.objects.filter(item__framework=framework).exists():
        raise ValidationError(
            {"code": _("Plan elements are aligned to this framework; remove those alignments first.")}
        )
    delete_with_history(framework, acting_user=acting_user)


def _item_errors(item: FrameworkItem) -> dict[str, str]:
    errors: dict[str, str] = {}
    parent = item.parent
    if parent is not None and parent.framework_id != item.framework_id:
        errors["parent"] = _("Choose a parent item of the same framework.")
    if parent is not None and item.pk and parent.pk == item.pk:
        errors["parent"] = _("An item cannot be its own parent.")
    if item.code and item.framework_id:
        clash = FrameworkItem.objects.filter(framework_id=item.framework_id, code=item.code).exclude(pk=item.pk)
        if clash.exists():
            errors["code"] = _("Code %(code)s is already used in %(framework)s.") % {
                "code": item.code,
                "framework": item.framework.code,
            }
    return errors


def _save_item(item: FrameworkItem, *, acting_user: User) -> FrameworkItem:
    errors: dict[str, list] = {}
    try:
        item.full_clean(exclude=["title", "framework", *item.required_translations])
        item.clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for name, message in _item_errors(item).items():
        errors.setdefault(name, [message])
    if errors:
        raise ValidationError(errors)
    save_with_history(item, acting_user=acting_user)
    return item


def _fixed_item_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in data.items() if name not in ITEM_CHOSEN_ONCE}


@transaction.atomic
def framework_item_create(
    *, acting_user: User, framework: Framework, data: dict[str, Any], parent: FrameworkItem | None = None
) -> FrameworkItem:
    """An item of a council's own framework (or, by site admins, of a reference one).

    The parent item may be given in `data` too; with an `owner` in `data`, the item is that
    council's local target under the parent (see `local_target_create`).
    """
    parent = parent or data.get("parent")
    if data.get("owner") is not None:
        return _local_target_in(framework, acting_user=acting_user, parent=parent, owner=data["owner"], data=data)
    item = FrameworkItem(framework=framework, parent=parent)
    apply_fields(item, _fixed_item_fields(data), ITEM_FIELDS)
    if "position" not in data:
        item.position = (framework.items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    return _save_item(item, acting_user=acting_user)


def _local_target_in(
    framework: Framework,
    *,
    acting_user: User,
    parent: FrameworkItem | None,
    owner: Organization,
    data: dict[str, Any],
) -> FrameworkItem:
    """A local target named as an item of `framework` with an owner: its level and position are the target's own."""
    if parent is None:
        raise ValidationError({"parent": _("A local target needs a parent item.")})
    if parent.framework_id != framework.pk:
        raise ValidationError({"parent": _("Choose a parent item of the same framework.")})
    fields = {name: value for name, value in _fixed_item_fields(data).items() if name not in ("level", "position")}
    return local_target_create(acting_user=acting_user, parent=parent, owner=owner, data=fields)


@transaction.atomic
def local_target_create(
    *, acting_user: User, parent: FrameworkItem, owner: Organization, data: dict[str, Any]
) -> FrameworkItem:
    """A council's own target under an item of a reference framework (e.g. under SDG 11.3)."""
    if not parent.framework.is_reference:
        raise ValidationError({"parent": _("Local targets go under items of reference frameworks.")})
    if parent.owner_id is not None:
        raise ValidationError({"parent": _("Choose an item of the reference framework, not another local target.")})
    item = FrameworkItem(framework=parent.framework, parent=parent, owner=owner, level=ItemLevel.TARGET)
    apply_fields(item, data, ITEM_FIELDS)
    if not item.code:
        raise ValidationError({"code": _("This field cannot be blank.")})
    item.position = (parent.framework.items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    return _save_item(item, acting_user=acting_user)


@transaction.atomic
def framework_item_update(*, acting_user: User, item: FrameworkItem, data: dict[str, Any]) -> FrameworkItem:
    apply_fields(item, _fixed_item_fields(data), ITEM_FIELDS)
    return _save_item(item, acting_user=acting_user)


@transaction.atomic
def framework_item_delete(*, acting_user: User, item: FrameworkItem) -> None:
    if Alignment.objects.filter(item__in=_with_descendants(item)).exists():
        raise ValidationError({"code": _("Plan elements are aligned to this item; remove those alignments first.")})
    delete_with_history(item, acting_user=acting_user)


def _with_descendants(item: FrameworkItem) -> list[int]:
    """Ids of the item and of every item under it (one query for the framework's tree)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in FrameworkItem.objects.filter(framework_id=item.framework_id).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = [], [item.pk]
    while stack:
        pk = stack.pop()
        found.append(pk)
        stack.extend(children.get(pk, ()))
    return found


# --- Frameworks a plan uses


def frameworks_used_by(plan: Plan) -> set[int]:
    """Ids of the frameworks `plan` may be aligned to: the default ones and those it has chosen."""
    return frameworks_used_by_any([plan])


def frameworks_used_by_any(plans: list[Plan]) -> set[int]:
    """Ids of the default frameworks and of those any of `plans` has chosen (none: the default ones)."""
    default = set(Framework.objects.filter(is_default=True).values_list("pk", flat=True))
    if not plans:
        return default
    chosen = PlanFramework.objects.filter(plan__in=plans).values_list("framework_id", flat=True)
    return default | set(chosen)


def indicator_plans(indicator: Indicator) -> list[Plan]:
    """The plans an indicator serves: those of the objectives and actions it measures (one query).

    These are "the element's plan" for an indicator: it may be aligned to an item of a framework
    that one of them uses, or that every plan uses (the SDGs). An indicator linked to no
    objective or action can therefore only be aligned to those default frameworks.
    """
    return list(plans_measured_by(indicator.pk).select_related("owner").order_by("pk"))


def _plan_owner_ids(plan: Plan) -> set[int]:
    """The plan's owner and, for a network's plan, its member councils."""
    owner_ids = {plan.owner_id}
    if plan.owner.kind == OrganizationKind.NETWORK:
        owner_ids |= set(plan.owner.memberships.values_list("member_id", flat=True))
    return owner_ids


@transaction.atomic
def plan_framework_add(
    *, acting_user: User | None, plan: Plan, framework: Framework, data: dict[str, Any] | None = None
) -> PlanFramework:
    """The plan now uses `framework` (`data` is empty: a chosen framework has no fields of its own)."""
    if framework.owner_id is not None and framework.owner_id not in _plan_owner_ids(plan):
        raise ValidationError({"framework": _("This framework belongs to another organisation.")})
    existing = PlanFramework.objects.filter(plan=plan, framework=framework).first()
    if existing is not None or framework.is_default:
        if existing is None:
            raise ValidationError({"framework": _("Every plan already uses %(code)s.") % {"code": framework.code}})
        return existing
    row = PlanFramework(plan=plan, framework=framework)
    save_with_history(row, acting_user=acting_user)
    return row


@transaction.atomic
def plan_framework_remove(*, acting_user: User, plan_framework: PlanFramework) -> None:
    if Alignment.objects.filter(
        in_plan_id=plan_framework.plan_id, item__framework_id=plan_framework.framework_id
    ).exists():
        raise ValidationError(
            {"framework": _("Elements of this plan are aligned to this framework; remove those alignments first.")}
        )
    stranded = _indicators_needing(plan_framework)
    if stranded:
        raise ValidationError(
            {
                "framework": _(
                    "Indicators of this plan are aligned to this framework and no other plan of theirs uses it: "
                    "%(codes)s; remove those alignments first."
                )
                % {"codes": ", ".join(stranded)}
            }
        )
    delete_with_history(plan_framework, acting_user=acting_user)


def _indicators_needing(plan_framework: PlanFramework) -> list[str]:
    """Codes of the indicators linked to the plan and aligned to the framework that no other plan of theirs uses."""
    plan_id, framework_id = plan_framework.plan_id, plan_framework.framework_id
    linked = Q(indicator__actions__plan_id=plan_id) | Q(indicator__objectives__axis__plan_id=plan_id)
    aligned = set(
        Alignment.objects.filter(linked, item__framework_id=framework_id).values_list("indicator_id", flat=True)
    )
    if not aligned:
        return []
    # Other plans using the framework, reached through each indicator's actions or objectives.
    elsewhere = PlanFramework.objects.filter(framework_id=framework_id).exclude(plan_id=plan_id).values("plan_id")
    covered = set(indicators_of_plans(elsewhere).filter(pk__in=aligned).values_list("pk", flat=True))
    return sorted(indicators_among(aligned - covered).values_list("code", flat=True))


# --- Alignments


def element_kwargs(element: Element) -> dict[str, Element]:
    """`{"action": action}` for an action, and so on: the Alignment field naming the element."""
    for kind, model in ELEMENT_MODELS.items():
        if isinstance(element, model):
            return {str(kind): element}
    raise ValidationError({"element": _("Only plans, axes, objectives, actions and indicators can be aligned.")})


def _check_plan_element(item: FrameworkItem, plan: Plan) -> None:
    if item.framework_id not in frameworks_used_by(plan):
        raise ValidationError(
            {
                "item": _("The plan “%(plan)s” does not use the framework %(framework)s; add it to the plan first.")
                % {"plan": plan.title, "framework": item.framework.code}
            }
        )
    local_owner = item.owner_id
    if local_owner is not None and local_owner not in _plan_owner_ids(plan):
        raise ValidationError({"item": _("This local target belongs to another organisation.")})


def _check_indicator(item: FrameworkItem, indicator: Indicator) -> None:
    """The item's framework is used by one of the indicator's plans, or by every plan (see `indicator_plans`)."""
    plans = indicator_plans(indicator)
    if item.framework_id not in frameworks_used_by_any(plans):
        if not plans:
            defaults = ", ".join(Framework.objects.filter(is_default=True).values_list("code", flat=True))
            message = _(
                "The indicator “%(indicator)s” measures no objective or action of a plan, so it can only be aligned "
                "to frameworks every plan uses (%(defaults)s); link it to an objective or action of a plan that "
                "uses %(framework)s first."
            ) % {"indicator": indicator.code, "defaults": defaults or "—", "framework": item.framework.code}
        else:
            message = _(
                "None of the plans this indicator measures (%(plans)s) uses the framework %(framework)s; "
                "add it to one of them first."
            ) % {"plans": ", ".join(plan.title for plan in plans), "framework": item.framework.code}
        raise ValidationError({"item": message})
    local_owner = item.owner_id
    if local_owner is not None:
        owners = {indicator.owner_organization_id}
        for plan in plans:
            owners |= _plan_owner_ids(plan)
        if local_owner not in owners:
            raise ValidationError({"item": _("This local target belongs to another organisation.")})


def _check_alignment(alignment: Alignment, plan: Plan | None) -> None:
    item = alignment.item
    if alignment.indicator_id is not None:
        _check_indicator(item, cast(Indicator, alignment.indicator))
    else:
        _check_plan_element(item, cast(Plan, plan))
    clash = Alignment.objects.filter(item=item, **element_kwargs(alignment.element)).exclude(pk=alignment.pk)
    if clash.exists():
        raise ValidationError({"item": _("This element is already aligned to %(item)s.") % {"item": item.label}})


@transaction.atomic
def alignment_create(
    *, acting_user: User | None, element: Element, item: FrameworkItem, data: dict[str, Any] | None = None
) -> Alignment:
    """Aligns a plan, axis, objective or action to an item of a framework its plan uses, or an indicator
    to an item of a framework one of its plans uses (see `indicator_plans`)."""
    plan = None if isinstance(element, Indicator) else plan_of(element)
    alignment = Alignment(in_plan=plan, item=item, **element_kwargs(element))
    apply_fields(alignment, data or {}, ALIGNMENT_FIELDS)
    alignment.created_by = signed_in(acting_user)
    _check_alignment(alignment, plan)
    save_with_history(alignment, acting_user=acting_user)
    return alignment


@transaction.atomic
def alignment_update(
    *, acting_user: User, alignment: Alignment, data: dict[str, Any], item: FrameworkItem | None = None
) -> Alignment:
    """Changes the rationale and "primary"; the item is chosen once (the API may repeat it, unchanged)."""
    apply_fields(alignment, data, ALIGNMENT_FIELDS)
    save_with_history(alignment, acting_user=acting_user)
    return alignment


@transaction.atomic
def alignment_delete(*, acting_user: User, alignment: Alignment) -> None:
    delete_with_history(alignment, acting_user=acting_user)


# --- Suggestions and the editors' answers


def _check_feedback(*, text: str, language: str, goal: str) -> dict[str, str]:
    errors = {}
    if not (text or "").strip():
        errors["text"] = _("The text is empty.")
    elif len(text) > MAX_FEEDBACK_TEXT:
        errors["text"] = _("The text is longer than %(max)d characters.") % {"max": MAX_FEEDBACK_TEXT}
    if language and language not in SUGGESTION_LANGUAGES:
        errors["language"] = _("Choose one of: %(codes)s.") % {"codes": ", ".join(SUGGESTION_LANGUAGES)}
    if goal not in {str(n) for n in range(1, 18)}:
        errors["goal"] = _("“%(goal)s” is not an SDG; use a number from 1 to 17.") % {"goal": goal}
    return errors


@transaction.atomic
def feedback_record(
    *,
    acting_user: User,
    text: str,
    language: str,
    goal: str,
    accepted: bool,
    action: Action | None = None,
    objective: Objective | None = None,
    indicator: Indicator | None = None,
) -> SuggestionFeedback:
    """Keeps an editor's answer to a suggestion; later suggestions learn from it."""
    goal = str(goal).strip()
    errors = _check_feedback(text=text, language=language, goal=goal)
    if errors:
        raise ValidationError(errors)
    return SuggestionFeedback.objects.create(
        text=text,
        language=language or "",
        goal=goal,
        accepted=accepted,
        user=signed_in(acting_user),
        action=action,
        objective=objective,
        indicator=indicator,
    )


Suggestible = Action | Objective | Indicator


def suggestion_text(element: Suggestible) -> str:
    """The text the suggester reads for an element: its title (an indicator's name) and description."""
    title = element.name if isinstance(element, Indicator) else element.title
    return "\n".join(part for part in (title, element.description) if part)


def _suggested_for(element: Action | Indicator) -> dict[str, Any]:
    return {"indicator": element} if isinstance(element, Indicator) else {"action": element}


@transaction.atomic
def suggestion_accept(
    *,
    acting_user: User,
    goal: str,
    language: str = "",
    action: Action | None = None,
    indicator: Indicator | None = None,
) -> Alignment:
    """Aligns the action (or indicator) to the suggested SDG and keeps the answer as positive feedback."""
    element = _one_suggested(action, indicator)
    goal = str(goal).strip()
    item = FrameworkItem.objects.filter(framework__code=SDG, code=goal, level=ItemLevel.GOAL).first()
    if item is None:
        raise ValidationError({"goal": _("“%(goal)s” is not an SDG; use a number from 1 to 17.") % {"goal": goal}})
    alignment = alignment_create(acting_user=acting_user, element=element, item=item)
    feedback_record(
        acting_user=acting_user,
        text=suggestion_text(element),
        language=language,
        goal=goal,
        accepted=True,
        **_suggested_for(element),
    )
    return alignment


@transaction.atomic
def suggestion_reject(
    *,
    acting_user: User,
    goal: str,
    language: str = "",
    action: Action | None = None,
    indicator: Indicator | None = None,
) -> SuggestionFeedback:
    element = _one_suggested(action, indicator)
    return feedback_record(
        acting_user=acting_user,
        text=suggestion_text(element),
        language=language,
        goal=str(goal).strip(),
        accepted=False,
        **_suggested_for(element),
    )


def _one_suggested(action: Action | None, indicator: Indicator | None) -> Action | Indicator:
    if (action is None) == (indicator is None):
        raise ValidationError({"element": _("Answer a suggestion for exactly one action or indicator.")})
    return action if action is not None else cast(Indicator, indicator)
