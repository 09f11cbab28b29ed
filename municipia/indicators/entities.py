"""Indicators and their values (baselines, targets, observations), each declared once (see municipia.core.entities).

Everyone sees public indicators with their values; a private indicator, and its values, are also
seen by the editors (or coordinators) of its owner organisation; site administrators see everything.
"""

from django.utils.translation import gettext_lazy as _

from municipia.core.entities import Entity, register
from municipia.core.search import searchable
from municipia.core.visibility import Among, Is, Rule
from municipia.indicators.models import Baseline, Indicator, Observation, Target
from municipia.organizations.permissions import editable_organization_ids


def _of_indicator(path: str) -> Rule:
    """The indicator rule, for a value that reaches its indicator through `path`."""
    prefix = f"{path}__" if path else ""
    return Is(f"{prefix}is_public") | Among(f"{prefix}owner_organization_id", editable_organization_ids)


SERVICES = "municipia.indicators.services"

INDICATOR = register(
    Entity(
        model=Indicator,
        visibility=_of_indicator(""),
        parent="owner_organization",
        parent_arg="owner",
        fields=(
            "name",
            "description",
            "code",
            "unit",
            "direction",
            "frequency",
            "data_source",
            "framework_code",
            "owner_person",
            "is_public",
        ),
        translated=("name", "description"),
        links=("objectives", "actions"),
        create=f"{SERVICES}.indicator_create",
        update=f"{SERVICES}.indicator_update",
        delete=f"{SERVICES}.indicator_delete",
        select_related=("owner_organization", "owner_person"),
    )
)

BASELINE = register(
    Entity(
        model=Baseline,
        visibility=_of_indicator("indicator"),
        parent="indicator",
        fields=("organization", "date", "value", "source"),
        create=f"{SERVICES}.baseline_create",
        update=f"{SERVICES}.baseline_update",
        delete=f"{SERVICES}.baseline_delete",
        select_related=("indicator", "organization"),
    )
)

TARGET = register(
    Entity(
        model=Target,
        visibility=_of_indicator("indicator"),
        parent="indicator",
        fields=("organization", "year", "value"),
        create=f"{SERVICES}.target_create",
        update=f"{SERVICES}.target_update",
        delete=f"{SERVICES}.target_delete",
        select_related=("indicator", "organization"),
    )
)

OBSERVATION = register(
    Entity(
        model=Observation,
        visibility=_of_indicator("indicator"),
        parent="indicator",
        # The organisation is given on creation only (the services leave it alone on update).
        fields=("organization", "date", "value", "source", "note"),
        create=f"{SERVICES}.observation_create",
        update=f"{SERVICES}.observation_update",
        delete=f"{SERVICES}.observation_delete",
        select_related=("indicator", "organization"),
    )
)

searchable(
    Indicator,
    kind="indicator",
    title=("name",),
    body=("description",),
    codes=("code", "framework_code"),
    label=_("Indicators"),
    meta=lambda indicator: indicator.code,
)
