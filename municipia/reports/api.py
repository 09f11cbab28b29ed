"""API downloads of indicators and observations as CSV or JSON, streamed in constant memory.

    GET /api/v1/indicator-exports.csv?owner=<slug>      (or .json; the indicators list's filters)
    GET /api/v1/observation-exports.csv?indicator=<id>  (or .json; the observations list's filters)

The same FilterSets as the paginated lists choose the rows; a bad filter value answers 400.
Rows are read with `values_list(...).iterator()` and written one at a time, so a million
observations cost the same memory as ten.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers, viewsets
from rest_framework.exceptions import ValidationError

from municipia.core.exports import CHUNK_SIZE, csv_response, json_response
from municipia.indicators.filters import IndicatorFilter, ObservationFilter
from municipia.indicators.selectors import indicators_visible_to, observations_visible_to
from municipia.reports.selectors import fallback_languages


class CSVRenderer(renderers.BaseRenderer):
    """Declares the `.csv` format; the viewsets stream the bytes themselves."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):  # pragma: no cover - never used
        return b""


def _first(values) -> str:
    return next((value for value in values if value), "")


class StreamedExportViewSet(viewsets.ViewSet):
    """A read-only list answered as a streamed CSV or JSON download (by suffix or Accept header)."""

    renderer_classes = [renderers.JSONRenderer, CSVRenderer]
    filterset_class = None
    stem = "export"

    def base_queryset(self):
        raise NotImplementedError

    def header(self) -> list[str]:
        raise NotImplementedError

    def records(self, queryset):
        raise NotImplementedError

    def filtered(self, request):
        filterset = self.filterset_class(request.query_params, queryset=self.base_queryset(), request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset.qs

    def list(self, request, *args, **kwargs):
        queryset = self.filtered(request)
        records = self.records(queryset)
        if request.accepted_renderer.format == "csv":
            keys = self.header()
            return csv_response(
                keys, ([record[key] for key in keys] for record in records), filename=f"{self.stem}.csv"
            )
        return json_response(records, filename=f"{self.stem}.json")


EXPORT_RESPONSES = {
    # The item's schema: drf-spectacular makes a list action's answer an array of it.
    (200, "application/json"): OpenApiResponse(
        {"type": "object", "additionalProperties": {}}, description=_("A JSON array, streamed.")
    ),
    (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description=_("CSV with a header row, streamed.")),
}


@extend_schema(responses=EXPORT_RESPONSES)
class IndicatorExportViewSet(StreamedExportViewSet):
    """Every visible indicator as CSV or JSON; filters as in the indicators list."""

    filterset_class = IndicatorFilter
    stem = "indicators"

    def base_queryset(self):
        return indicators_visible_to(self.request.user)

    def header(self) -> list[str]:
        return [
            "id",
            "code",
            "name",
            "unit",
            "direction",
            "frequency",
            "data_source",
            "framework_code",
            "owner_organization",
            "is_public",
        ]

    def records(self, queryset):
        languages = fallback_languages()
        names = [f"name_{code}" for code in languages]
        rows = (
            queryset.order_by("code", "id")
            .values_list(
                "id",
                "code",
                "unit",
                "direction",
                "frequency",
                "data_source",
                "framework_code",
                "owner_organization__slug",
                "is_public",
                *names,
            )
            .iterator(chunk_size=CHUNK_SIZE)
        )
        for pk, code, unit, direction, frequency, source, framework, owner, public, *texts in rows:
            yield {
                "id": pk,
                "code": code,
                "name": _first(texts),
                "unit": unit,
                "direction": direction,
                "frequency": frequency,
                "data_source": source,
                "framework_code": framework,
                "owner_organization": owner,
                "is_public": public,
            }


@extend_schema(responses=EXPORT_RESPONSES)
class ObservationExportViewSet(StreamedExportViewSet):
    """Every visible observation as CSV or JSON; filters as in the observations list (indicator, organisation, date)."""

    filterset_class = ObservationFilter
    stem = "observations"

    def base_queryset(self):
        return observations_visible_to(self.request.user)

    def header(self) -> list[str]:
        return ["id", "indicator", "indicator_code", "organization", "date", "value", "source", "note"]

    def records(self, queryset):
        rows = (
            queryset.order_by("indicator_id", "organization_id", "date")
            .values_list(
                "id", "indicator_id", "indicator__code", "organization__slug", "date", "value", "source", "note"
            )
            .iterator(chunk_size=CHUNK_SIZE)
        )
        for pk, indicator, code, organization, date, value, source, note in rows:
            yield {
                "id": pk,
                "indicator": indicator,
                "indicator_code": code,
                "organization": organization,
                "date": date,
                "value": value,
                "source": source,
                "note": note,
            }
