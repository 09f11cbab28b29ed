"""Keyset ("older than …" / "newer than …") pagination of lists shown newest first.

A page is read through the list's ordering index from a bookmark, the key (date, id) of the row
it starts after, never with OFFSET and never with a COUNT of the whole list: a page deep in a
register of 100,000 entries costs what the first one does, and rows with the same date are told
apart by their id, so walking "older" then "newer" shows every row once. Rows without a date
(drafts) come after every dated row, newest id first. Pages and the API share this module
(`api.pagination.KeysetPagination`).
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import DateTimeField, Model, Q, QuerySet, prefetch_related_objects

PAGE_SIZE = 50
NULL = "-"
TIME_FORMAT = "%Y%m%dT%H%M%S.%f"


@dataclass
class KeysetPage:
    """One page: its rows and the bookmarks of the pages on either side (None at the ends)."""

    object_list: list[Any]
    older: str | None
    newer: str | None

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __bool__(self) -> bool:
        return bool(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.older or self.newer)


def bookmark(obj: Model, field: str) -> str:
    """The bookmark of a row: its date (UTC for times) and id, safe in a URL without escaping."""
    value = getattr(obj, field)
    if value is None:
        text = NULL
    elif isinstance(value, dt.datetime):
        text = value.astimezone(dt.UTC).strftime(TIME_FORMAT)
    else:
        text = value.isoformat()
    return f"{text}_{obj.pk}"


def parse_bookmark(model: type[Model], field: str, token: str | None) -> tuple[Any, int] | None:
    """(date or None, id) from a bookmark; None when there is none or it is malformed (the first page)."""
    if not token:
        return None
    text, _sep, pk = token.rpartition("_")
    try:
        key = int(pk)
        if text == NULL:
            return None, key
        if isinstance(model._meta.get_field(field), DateTimeField):
            return dt.datetime.strptime(text, TIME_FORMAT).replace(tzinfo=dt.UTC), key
        return dt.date.fromisoformat(text), key
    except ValueError:
        return None


def _rows(queryset: QuerySet, limit: int) -> list[Any]:
    return list(queryset[:limit]) if limit > 0 else []


def _older(queryset: QuerySet, field: str, after: tuple[Any, int] | None, limit: int) -> list[Any]:
    """Up to `limit` rows after `after` in the list's order (date descending, undated last)."""
    dated = queryset.filter(**{f"{field}__isnull": False}).order_by(f"-{field}", "-pk")
    undated = queryset.filter(**{f"{field}__isnull": True}).order_by("-pk")
    if after is None:
        rows = _rows(dated, limit)
    elif after[0] is None:
        return _rows(undated.filter(pk__lt=after[1]), limit)
    else:
        value, pk = after
        # The redundant `<=` lets the database start its index scan at the bookmark.
        rows = _rows(
            dated.filter(**{f"{field}__lte": value}).filter(
                Q(**{f"{field}__lt": value}) | Q(**{field: value, "pk__lt": pk})
            ),
            limit,
        )
    return rows + _rows(undated, limit - len(rows))


def _newer(queryset: QuerySet, field: str, before: tuple[Any, int], limit: int) -> list[Any]:
    """Up to `limit` rows before `before`, nearest first (the reverse of the list's order)."""
    dated = queryset.filter(**{f"{field}__isnull": False}).order_by(field, "pk")
    value, pk = before
    if value is None:
        rows = _rows(queryset.filter(**{f"{field}__isnull": True, "pk__gt": pk}).order_by("pk"), limit)
        return rows + _rows(dated, limit - len(rows))
    return _rows(
        dated.filter(**{f"{field}__gte": value}).filter(
            Q(**{f"{field}__gt": value}) | Q(**{field: value, "pk__gt": pk})
        ),
        limit,
    )


def keyset_page(
    queryset: QuerySet,
    *,
    field: str,
    older: str | None = None,
    newer: str | None = None,
    size: int = PAGE_SIZE,
) -> KeysetPage:
    """The page of `queryset` (newest `field` first, then id) after bookmark `older`, or before
    bookmark `newer`, or the first page; one or two queries for the rows (two only where dated
    rows end and undated ones begin), then the queryset's prefetches once for the whole page."""
    lookups = queryset._prefetch_related_lookups  # type: ignore[attr-defined]  # Django keeps them here
    base = queryset.prefetch_related(None)
    model = queryset.model
    before = parse_bookmark(model, field, newer) if newer else None
    if before is not None:
        rows = _newer(base, field, before, size + 1)
        if len(rows) <= size:
            # The top of the list: show the first page as it is (full, with its own bookmarks).
            return keyset_page(queryset, field=field, size=size)
        rows = rows[:size][::-1]
        page = KeysetPage(rows, older=bookmark(rows[-1], field), newer=bookmark(rows[0], field))
    else:
        after = parse_bookmark(model, field, older)
        rows = _older(base, field, after, size + 1)
        more = len(rows) > size
        rows = rows[:size]
        page = KeysetPage(
            rows,
            older=bookmark(rows[-1], field) if more else None,
            newer=bookmark(rows[0], field) if after is not None and rows else None,
        )
    if lookups and page.object_list:
        prefetch_related_objects(page.object_list, *lookups)
    return page


def page_from_request(request: Any, queryset: QuerySet, *, field: str, size: int = PAGE_SIZE) -> KeysetPage:
    """The page named by the request's `?older=` or `?newer=` bookmark (the first page without one)."""
    return keyset_page(queryset, field=field, older=request.GET.get("older"), newer=request.GET.get("newer"), size=size)
