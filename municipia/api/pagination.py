"""Pagination of API lists: page numbers for most, keyset bookmarks for registers of many entries.

- `StandardPagination` (the default): `?page=` and `?page_size=` (at most 200), with a `count`.
- `KeysetPagination` (news, clarifications, agreements): `?older=` / `?newer=` bookmarks from the
  `next` / `previous` links and `?page_size=`, newest first, without a `count`: a page deep in
  100,000 entries costs what the first does (core.keyset). The viewset names its key in
  `keyset_field`.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import BasePagination, PageNumberPagination, _positive_int
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from municipia.core.keyset import KeysetPage, keyset_page


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class KeysetPagination(BasePagination):
    page_size = StandardPagination.page_size
    max_page_size = StandardPagination.max_page_size
    page: KeysetPage | None = None

    def _size(self, request) -> int:
        try:
            return _positive_int(request.query_params["page_size"], strict=True, cutoff=self.max_page_size)
        except (KeyError, ValueError):
            return self.page_size

    def paginate_queryset(self, queryset, request, view=None) -> list[Any]:
        self.request = request
        params = request.query_params
        self.page = keyset_page(
            queryset,
            field=view.keyset_field,
            older=params.get("older"),
            newer=params.get("newer"),
            size=self._size(request),
        )
        return self.page.object_list

    def _link(self, name: str, bookmark: str | None) -> str | None:
        if bookmark is None:
            return None
        url = self.request.build_absolute_uri()
        other = "newer" if name == "older" else "older"
        return replace_query_param(remove_query_param(remove_query_param(url, other), "page"), name, bookmark)

    def get_paginated_response(self, data) -> Response:
        assert self.page is not None
        return Response(
            {
                "next": self._link("older", self.page.older),
                "previous": self._link("newer", self.page.newer),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {**link, "description": str(_("The page of older entries; null on the last page."))},
                "previous": {**link, "description": str(_("The page of newer entries; null on the first page."))},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict[str, Any]]:
        def parameter(name: str, description: str, kind: str = "string") -> dict[str, Any]:
            return {
                "name": name,
                "required": False,
                "in": "query",
                "description": description,
                "schema": {"type": kind},
            }

        return [
            parameter("older", str(_("Bookmark: the entries older than it (from a `next` link)."))),
            parameter("newer", str(_("Bookmark: the entries newer than it (from a `previous` link)."))),
            parameter("page_size", str(_("Entries per page (at most 200).")), "integer"),
        ]
