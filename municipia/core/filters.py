"""Filter helpers shared by the apps' FilterSets, and the FilterSet base they all use."""

import re

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from municipia.core.i18n import translated_names

# The largest integer every database column here holds (a 64-bit id); a larger one in a query
# would fail in the database (SQLite: OverflowError; PostgreSQL: "bigint out of range").
MAX_INTEGER = 2**63 - 1
_INTEGER = re.compile(r"\s*[+-]?\d+\s*")


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


class FilterSet(django_filters.FilterSet):
    """The base of every FilterSet: a whole number too large for the database, in any filter but a
    text search (alone or in a comma-separated list), makes the filters invalid with a message
    naming the filter — the page shows it, the API answers 400 — instead of a server error."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.out_of_range: dict[str, str] = {}
        if not self.is_bound:
            return
        for key in list(self.data.keys()):
            name = self._filter_name(key)
            if name is None:
                continue
            values = self.data.getlist(key) if hasattr(self.data, "getlist") else [self.data.get(key)]
            tokens = [token for value in values if isinstance(value, str) for token in value.split(",")]
            if any(_INTEGER.fullmatch(token) and abs(int(token)) > MAX_INTEGER for token in tokens):
                self.out_of_range[name] = _("This number is too large.")
        if self.out_of_range:
            # Left out so that cleaning (which may query by it) never sees it; reported in is_valid.
            self.data = self.data.copy()
            for key in list(self.data.keys()):
                if self._filter_name(key) in self.out_of_range:
                    del self.data[key]

    def _filter_name(self, key: str) -> str | None:
        """The filter a query parameter belongs to (`value_min` → `value`), unless a text search."""
        declared = self.filters.get(key)
        if declared is None:
            # A range's `_min`/`_max` (or `_after`/`_before`) part.
            name = next((name for name in self.filters if key.startswith(f"{name}_")), None)
            declared = self.filters.get(name) if name else None
        else:
            name = key
        return name if declared is not None and not isinstance(declared, django_filters.CharFilter) else None

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name, message in self.out_of_range.items():
            self.form.add_error(name if name in self.form.fields else None, message)
        return valid and not self.out_of_range
