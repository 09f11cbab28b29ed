"""Template helpers other apps' pages include: an action's or indicator's alignments and suggestions, a plan's links."""

from typing import cast

from django import template
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from municipia.alignment.selectors import element_alignments, element_suggestions
from municipia.core.cache import cached_value, page_versions
from municipia.core.i18n import current_language

register = template.Library()


def _element_alignment(context, element, kind: str) -> dict:
    """The element's alignments; for its editors, the add link and the suggested SDGs (a few fixed queries)."""
    user = context["request"].user
    can_edit = user.has_perm("alignment.add_alignment", element)
    alignments = element_alignments(**{kind: element})
    suggestions = element_suggestions(element, language=current_language(), alignments=alignments) if can_edit else []
    prefix = "alignment:indicator-suggestion" if kind == "indicator" else "alignment:suggestion"
    return {
        "element": element,
        "kind": kind,
        "alignments": alignments,
        "can_edit": can_edit,
        "suggestions": suggestions,
        "accept_url": reverse(f"{prefix}-accept", args=[element.pk]) if can_edit else "",
        "reject_url": reverse(f"{prefix}-reject", args=[element.pk]) if can_edit else "",
        "language": current_language(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("alignment/includes/element_alignment.html", takes_context=True)
def action_alignment(context, action):
    """The action's alignments and, for its editors, the add link, the plan's coverage and suggested SDGs."""
    return {
        **_element_alignment(context, action, "action"),
        "coverage_plan": action.plan,
        "suggestion_help": _(
            "Suggested from the action's title and description. Accepting aligns the action; both answers are "
            "kept and improve later suggestions."
        ),
        "no_suggestion_text": _("No further suggestions for this action's text."),
    }


@register.inclusion_tag("alignment/includes/element_alignment.html", takes_context=True)
def indicator_alignment(context, indicator):
    """The indicator's alignments and, for those who may edit it, the add link and SDGs suggested from its name."""
    return {
        **_element_alignment(context, indicator, "indicator"),
        "coverage_plan": None,
        "suggestion_help": _(
            "Suggested from the indicator's name and description. Accepting aligns the indicator; both answers "
            "are kept and improve later suggestions."
        ),
        "no_suggestion_text": _("No further suggestions for this indicator's text."),
    }


@register.inclusion_tag("alignment/includes/plan_links.html")
def plan_alignment_links(plan):
    """Links from a plan's page to its alignment, coverage and draft local review."""
    return {"plan": plan}


@register.simple_tag(takes_context=True)
def aligned_to_choices(context, current: str | None = None) -> list[dict]:
    """The top items of the reference frameworks (the 17 SDGs, the recovery plan's levers…) as
    option groups for the action list's "Aligned to" select: words, not codes like "SDG:9".

    `current` (the filter's value) is kept as an option when it names another item (a target).
    Read once per content version and language (every page of the list shows the same groups):
    two queries then, none after.
    """
    # Any page's versions carry the site-wide `all` one, which a change to a framework bumps.
    versions = page_versions(context.get("request"), None)
    groups = cast(list[dict], cached_value("aligned-to-choices", [versions, get_language()], _framework_groups))
    known = {value.upper() for group in groups for value, _label in group["options"]}
    if current and current.upper() not in known:
        groups.insert(0, {"name": "", "options": [(current, current)]})
    return groups


def _framework_groups() -> list[dict]:
    from municipia.alignment.models import Framework, FrameworkItem

    frameworks = list(Framework.objects.filter(owner__isnull=True).order_by("position", "code"))
    items = FrameworkItem.objects.filter(framework__in=frameworks, parent__isnull=True).order_by("position", "pk")
    by_framework: dict[int, list[tuple[str, str]]] = {framework.pk: [] for framework in frameworks}
    codes = {framework.pk: framework.code for framework in frameworks}
    for item in items:
        value = f"{codes[item.framework_id]}:{item.code}"
        by_framework[item.framework_id].append((value, f"{item.code}. {item.short_title or item.title}"))
    return [{"name": str(f.name), "options": by_framework[f.pk]} for f in frameworks if by_framework[f.pk]]
