"""Template helpers other apps' pages include: an action's alignments and suggestions, a plan's links."""

from django import template

from municipia.alignment.selectors import action_suggestions, element_alignments
from municipia.core.i18n import current_language

register = template.Library()


@register.inclusion_tag("alignment/includes/action_alignment.html", takes_context=True)
def action_alignment(context, action):
    """The action's alignments; for its editors, the add link and the suggested SDGs (a few fixed queries)."""
    user = context["request"].user
    can_edit = user.has_perm("alignment.add_alignment", action)
    alignments = element_alignments(action=action)
    suggestions = action_suggestions(action, language=current_language(), alignments=alignments) if can_edit else []
    return {
        "action": action,
        "alignments": alignments,
        "can_edit": can_edit,
        "suggestions": suggestions,
        "language": current_language(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("alignment/includes/plan_links.html")
def plan_alignment_links(plan):
    """Links from a plan's page to its alignment, coverage and draft local review."""
    return {"plan": plan}
