"""Demo alignments: loads the frameworks and aligns the three demo plans (idempotent, through the services).

Jerez: SDGs, the four recovery-plan pillars and ERDF thematic objective 2 for its ICT (EDUSI line 2)
actions; the Catalan agenda: its four axes to the CAT-AGENDA framework, actions to SDGs; Sofia:
digital rights principles and SDGs. The demo indicators (built after the alignments, so aligned
by `build_indicator_alignment_demo`) to SDG targets and indicators. The choices are illustrative,
as the demo plans say.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from municipia.alignment import services
from municipia.alignment.loaders import load_frameworks
from municipia.alignment.models import Alignment, Framework, FrameworkItem
from municipia.indicators.models import Indicator
from municipia.strategy.models import Action, Axis, Plan

CATALAN = "agenda-digital-dels-municipis-de-catalunya"
JEREZ = "plan-estrategico-smart-city-jerez"
SOFIA = "sofia-digital-transformation"

# plan slug → frameworks it uses besides the SDGs
PLAN_FRAMEWORKS = {
    JEREZ: ("PRTR", "ERDF-TO"),
    CATALAN: ("CAT-AGENDA", "DIGITAL-RIGHTS"),
    SOFIA: ("DIGITAL-RIGHTS",),
}

# plan slug → action code → item references; the first is the primary alignment.
ACTION_ALIGNMENTS = {
    JEREZ: {
        "1.1.1": ("SDG:9.c", "SDG:11", "PRTR:EJE-2", "ERDF-TO:TO2"),
        "1.1.2": ("SDG:16.10", "PRTR:EJE-2", "ERDF-TO:TO2"),
        "1.2.1": ("SDG:16.6", "PRTR:EJE-2", "ERDF-TO:TO2"),
        "1.2.2": ("SDG:16.7", "PRTR:EJE-3", "ERDF-TO:TO2"),
        "2.1.1": ("SDG:11.2", "SDG:3.6", "PRTR:EJE-1"),
        "2.1.2": ("SDG:11.6", "SDG:3.9", "PRTR:EJE-1"),
        "2.2.1": ("SDG:7.3", "SDG:11", "PRTR:EJE-1"),
        "2.2.2": ("SDG:7.3", "SDG:13", "PRTR:EJE-1"),
        "3.1.1": ("SDG:4.4", "SDG:5.b", "PRTR:EJE-3", "PRTR:EJE-4"),
        "3.1.2": ("SDG:10.2", "SDG:3", "PRTR:EJE-3"),
        "3.2.1": ("SDG:8.9", "SDG:11.4", "PRTR:EJE-2"),
    },
    CATALAN: {
        "1.1.1": ("SDG:16.6",),
        "1.1.2": ("SDG:16.6",),
        "1.1.3": ("SDG:16.7",),
        "1.2.1": ("SDG:17.9", "SDG:16.6"),
        "1.2.2": ("SDG:4.4",),
        "2.1.1": ("SDG:9.c",),
        "2.1.2": ("SDG:9.c", "SDG:9.1"),
        "2.2.1": ("SDG:16", "DIGITAL-RIGHTS:V.1"),
        "2.2.2": ("SDG:16", "DIGITAL-RIGHTS:V.1"),
        "2.3.1": ("SDG:9.1",),
        "2.3.2": ("SDG:11", "SDG:9.4"),
        "3.1.1": ("SDG:4.4", "DIGITAL-RIGHTS:II.2"),
        "3.1.2": ("SDG:10.2", "DIGITAL-RIGHTS:II.4"),
        "3.2.1": ("SDG:8.3",),
        "3.2.2": ("SDG:16.10", "SDG:8.2"),
        "3.2.3": ("SDG:8.3",),
        "4.1.1": ("SDG:17.17",),
        "4.1.2": ("SDG:17.17",),
        "4.2.1": ("SDG:17.6",),
        "4.2.2": ("SDG:16.6",),
        "4.2.3": ("SDG:17.18",),
    },
    SOFIA: {
        "1.1.1": ("SDG:17.18", "DIGITAL-RIGHTS:I"),
        "1.1.2": ("SDG:17.18", "DIGITAL-RIGHTS:I"),
        "1.1.3": ("SDG:16.6", "DIGITAL-RIGHTS:II.4"),
        "2.1.1": ("SDG:16.10", "DIGITAL-RIGHTS:IV"),
        "2.1.2": ("SDG:16.10", "DIGITAL-RIGHTS:V.2", "DIGITAL-RIGHTS:V.3"),
        "3.1.1": ("SDG:17.17",),
        "3.2.1": ("SDG:16.6", "DIGITAL-RIGHTS:II.4"),
        "3.2.2": ("SDG:4.4", "DIGITAL-RIGHTS:II.2"),
        "3.2.3": ("SDG:11.2",),
    },
}

# plan slug → axis code → item references (the Catalan agenda's axes are the CAT-AGENDA framework's)
AXIS_ALIGNMENTS = {
    CATALAN: {
        "1": ("CAT-AGENDA:EIX-1",),
        "2": ("CAT-AGENDA:EIX-2",),
        "3": ("CAT-AGENDA:EIX-3",),
        "4": ("CAT-AGENDA:EIX-4",),
    },
}

# (plan slug, code of an indicator its owner owns) → item references; the first is the primary one.
INDICATOR_ALIGNMENTS = {
    (CATALAN, "ADC-01"): ("SDG:16.6", "DIGITAL-RIGHTS:II.4"),
    (CATALAN, "ADC-02"): ("SDG:9.c", "SDG:17.6.1"),
    (CATALAN, "ADC-03"): ("SDG:16.10", "SDG:17.18"),
    (CATALAN, "ADC-04"): ("SDG:4.4.1", "DIGITAL-RIGHTS:II.2"),
    (CATALAN, "ADC-05"): ("SDG:16.6",),
    (JEREZ, "JRZ-01"): ("SDG:16.6", "PRTR:EJE-2"),
}


@dataclass
class AlignmentDemoSummary:
    created: int = 0
    existing: int = 0
    skipped_plans: list[str] = field(default_factory=list)


def _items() -> dict[str, FrameworkItem]:
    return {
        f"{item.framework.code}:{item.code}": item
        for item in FrameworkItem.objects.filter(owner__isnull=True).select_related("framework")
    }


def _align(element, references, items, admin, summary) -> None:
    for position, reference in enumerate(references):
        item = items[reference]
        if Alignment.objects.filter(item=item, **services.element_kwargs(element)).exists():
            summary.existing += 1
            continue
        services.alignment_create(acting_user=admin, element=element, item=item, data={"is_primary": position == 0})
        summary.created += 1


@transaction.atomic
def build_alignment_demo() -> AlignmentDemoSummary:
    """Loads the packaged frameworks (idempotent) and aligns the demo plans that exist."""
    load_frameworks()
    summary = AlignmentDemoSummary()
    admin = get_user_model().objects.filter(username="admin").first()
    items = _items()
    frameworks = {framework.code: framework for framework in Framework.objects.all()}
    for slug, codes in PLAN_FRAMEWORKS.items():
        plan = Plan.objects.select_related("owner").filter(slug=slug).first()
        if plan is None:
            summary.skipped_plans.append(slug)
            continue
        for code in codes:
            services.plan_framework_add(acting_user=admin, plan=plan, framework=frameworks[code])
        actions = {action.code: action for action in Action.objects.filter(plan=plan).select_related("plan__owner")}
        for code, references in ACTION_ALIGNMENTS.get(slug, {}).items():
            if code in actions:
                _align(actions[code], references, items, admin, summary)
        axes = {axis.code: axis for axis in Axis.objects.filter(plan=plan).select_related("plan__owner")}
        for code, references in AXIS_ALIGNMENTS.get(slug, {}).items():
            if code in axes:
                _align(axes[code], references, items, admin, summary)
    return summary


@transaction.atomic
def build_indicator_alignment_demo() -> AlignmentDemoSummary:
    """Aligns the demo indicators that exist (run after the indicators demo; idempotent)."""
    summary = AlignmentDemoSummary()
    admin = get_user_model().objects.filter(username="admin").first()
    items = _items()
    owners = dict(
        Plan.objects.filter(slug__in={slug for slug, _code in INDICATOR_ALIGNMENTS}).values_list("slug", "owner_id")
    )
    for (slug, code), references in INDICATOR_ALIGNMENTS.items():
        if slug not in owners:
            continue
        indicator = Indicator.objects.filter(owner_organization_id=owners.get(slug), code=code).first()
        if indicator is not None:
            _align(indicator, references, items, admin, summary)
    return summary
