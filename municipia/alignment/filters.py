"""FilterSets of frameworks, items and alignments, and the `aligned_to` filter the action list uses."""

import re
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from municipia.alignment.choices import ElementKind, ItemLevel
from municipia.alignment.models import Alignment, Framework, FrameworkItem
from municipia.core.filters import FilterSet, search_translated
from municipia.organizations.selectors import organization_list
from municipia.strategy.selectors import plan_choices

MAX_ALIGNED_TO = 10
_REFERENCE = re.compile(r"^(?P<framework>[A-Za-z0-9-]+):(?P<code>[A-Za-z0-9.\-_]+)$")


class AlignedToField(forms.CharField):
    """Framework items named `SDG:9`, `PRTR:EJE-2` or by id, comma-separated → their ids."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        references = [part.strip() for part in value.split(",") if part.strip()]
        if len(references) > MAX_ALIGNED_TO:
            raise forms.ValidationError(_("Name at most %(max)d items.") % {"max": MAX_ALIGNED_TO})
        wanted, ids = Q(pk__in=[]), []
        for reference in references:
            if reference.isdigit():
                ids.append(int(reference))
                continue
            match = _REFERENCE.match(reference)
            if not match:
                raise forms.ValidationError(
                    _("“%(value)s” is not a framework item: write it as FRAMEWORK:CODE, e.g. SDG:9.")
                    % {"value": reference}
                )
            wanted |= Q(framework__code=match["framework"].upper(), code=match["code"])
        found = list(FrameworkItem.objects.filter(wanted | Q(pk__in=ids)).values_list("pk", "framework__code", "code"))
        known = {str(pk) for pk, _f, _c in found} | {f"{f}:{c}".upper() for _pk, f, c in found}
        unknown = [r for r in references if (r if r.isdigit() else r.upper()) not in known]
        if unknown:
            raise forms.ValidationError(_("Unknown framework item: %(items)s.") % {"items": ", ".join(unknown)})
        return [pk for pk, _f, _c in found]


def with_descendants(item_ids: list[int]) -> QuerySet[FrameworkItem, Any]:
    """The ids (rows of `pk`) of the items and every item under them (trees are at most four levels
    deep: goal → local target)."""
    return FrameworkItem.objects.filter(
        Q(pk__in=item_ids)
        | Q(parent_id__in=item_ids)
        | Q(parent__parent_id__in=item_ids)
        | Q(parent__parent__parent_id__in=item_ids)
    ).values("pk")


def actions_aligned_to(queryset: QuerySet, item_ids: list[int]) -> QuerySet:
    """Actions aligned to any of the items (or an item under them), directly or through their objective or axis."""
    items = with_descendants(item_ids)
    direct = Alignment.objects.filter(item__in=items, action_id=OuterRef("pk"))
    by_objective = Alignment.objects.filter(item__in=items, objective_id=OuterRef("objective_id"))
    by_axis = Alignment.objects.filter(item__in=items, axis_id=OuterRef("objective__axis_id"))
    return queryset.filter(Exists(direct) | Exists(by_objective) | Exists(by_axis))


@extend_schema_field(OpenApiTypes.STR)
class AlignedToFilter(django_filters.Filter):
    field_class = AlignedToField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Aligned to"))
        kwargs.setdefault(
            "help_text",
            gettext_lazy("Framework items as FRAMEWORK:CODE (e.g. SDG:9, PRTR:EJE-2) or ids, comma-separated."),
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return actions_aligned_to(qs, value)


class FrameworkFilter(FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=gettext_lazy("Search"))
    owner = django_filters.ModelChoiceFilter(
        queryset=organization_list(), to_field_name="slug", label=gettext_lazy("Owner")
    )
    reference = django_filters.BooleanFilter(
        field_name="owner", lookup_expr="isnull", label=gettext_lazy("Reference frameworks only")
    )

    class Meta:
        model = Framework
        fields = ["search", "owner", "reference"]

    def filter_search(self, queryset, name, value):
        return search_translated(queryset, value, "name", "description", exact=("code",))


class FrameworkItemFilter(FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=gettext_lazy("Search"))
    framework = django_filters.ModelChoiceFilter(
        queryset=Framework.objects.all(), to_field_name="code", label=gettext_lazy("Framework")
    )
    parent = django_filters.ModelChoiceFilter(queryset=FrameworkItem.objects.all(), label=gettext_lazy("Parent"))
    level = django_filters.ChoiceFilter(choices=ItemLevel.choices, label=gettext_lazy("Level"))
    owner = django_filters.ModelChoiceFilter(
        queryset=organization_list(), to_field_name="slug", label=gettext_lazy("Owner (local targets)")
    )

    class Meta:
        model = FrameworkItem
        fields = ["search", "framework", "parent", "level", "owner"]

    def filter_search(self, queryset, name, value):
        return search_translated(queryset, value, "title", "short_title", exact=("code",))


class AlignmentFilter(FilterSet):
    plan = django_filters.ModelChoiceFilter(
        method="filter_plan",
        queryset=plan_choices(),
        to_field_name="slug",
        label=gettext_lazy("Plan"),
        help_text=gettext_lazy(
            "Slug of a plan: the alignments of its elements and of the indicators of its objectives and actions."
        ),
    )
    element_kind = django_filters.ChoiceFilter(
        choices=ElementKind.choices, method="filter_kind", label=gettext_lazy("Element kind")
    )
    element_plan = django_filters.NumberFilter(field_name="plan_id", label=gettext_lazy("Plan (as the element) id"))
    axis = django_filters.NumberFilter(field_name="axis_id", label=gettext_lazy("Axis id"))
    objective = django_filters.NumberFilter(field_name="objective_id", label=gettext_lazy("Objective id"))
    action = django_filters.NumberFilter(field_name="action_id", label=gettext_lazy("Action id"))
    indicator = django_filters.NumberFilter(field_name="indicator_id", label=gettext_lazy("Indicator id"))
    item = django_filters.NumberFilter(field_name="item_id", label=gettext_lazy("Framework item id"))
    framework = django_filters.ModelChoiceFilter(
        field_name="item__framework",
        queryset=Framework.objects.all(),
        to_field_name="code",
        label=gettext_lazy("Framework"),
    )
    aligned_to = AlignedToFilter(method="filter_aligned_to")
    is_primary = django_filters.BooleanFilter(label=gettext_lazy("Primary"))

    class Meta:
        model = Alignment
        fields = [
            "plan",
            "element_kind",
            "element_plan",
            "axis",
            "objective",
            "action",
            "indicator",
            "item",
            "framework",
            "is_primary",
        ]

    def filter_plan(self, queryset, name, value):
        if not value:
            return queryset
        # An indicator's alignments have no plan of their own: it belongs to the plans it measures.
        linked = Q(indicator__actions__plan=value) | Q(indicator__objectives__axis__plan=value)
        indicators = Alignment.objects.filter(linked).values("pk")
        return queryset.filter(Q(in_plan=value) | Q(pk__in=indicators))

    def filter_kind(self, queryset, name, value):
        return queryset.filter(**{f"{value}__isnull": False}) if value else queryset

    def filter_aligned_to(self, queryset, name, value):
        return queryset.filter(item__in=with_descendants(value)) if value else queryset
