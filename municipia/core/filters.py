"""Filter helpers shared by the apps' FilterSets."""

from django.db.models import Q, QuerySet

from municipia.core.i18n import translated_names


def search_translated(queryset: QuerySet, value: str, *fields: str, exact: tuple[str, ...] = ()) -> QuerySet:
    """Case-insensitive search of `value` in every language column of `fields`."""
    value = (value or "").strip()[:200]
    if not value:
        return queryset
    condition = Q()
    for name in translated_names(*fields):
        condition |= Q(**{f"{name}__icontains": value})
    for name in exact:
        condition |= Q(**{f"{name}__iexact": value})
    return queryset.filter(condition)
