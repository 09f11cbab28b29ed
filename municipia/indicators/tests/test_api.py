"""The indicators API: reads scoped to what the user may see, writes through services, 400s naming the field or row."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from municipia.api.tests.test_api_schema import assert_matches_schema, schema  # noqa: F401 (fixture)
from municipia.indicators.models import Indicator, Observation, Target
from municipia.indicators.tests.conftest import csv_bytes, xlsx_bytes
from municipia.indicators.tests.factories import (
    BaselineFactory,
    IndicatorFactory,
    ObservationFactory,
    TargetFactory,
)
from municipia.organizations.tests.factories import OrganizationFactory
from municipia.strategy.tests.factories import ActionFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def filled(world):
    broadband = world["broadband"]
    broadband.framework_code = "17.6.1"
    broadband.save()
    BaselineFactory(indicator=broadband, date=dt.date(2023, 12, 31), value=Decimal("50"))
    ObservationFactory(
        indicator=broadband, organization=world["jerez"], date=dt.date(2024, 12, 31), value=Decimal("60")
    )
    ObservationFactory(indicator=broadband, organization=world["jerez"], date=dt.date(2025, 6, 30), value=Decimal("62"))
    IndicatorFactory(code="PRIV-1", owner_organization=world["jerez"], is_public=False)
    return world


def upload(content: bytes, name: str = "values.csv", **fields) -> dict:
    return {"file": SimpleUploadedFile(name, content), **fields}


def test_anonymous_reads_public_indicators_only(api, filled):
    codes = {row["code"] for row in api.get("/api/v1/indicators/").json()["results"]}
    assert codes == {"DIG-01", "SDG-11.6.2", "NET-01"}
    api.force_authenticate(filled["editor"])
    codes = {row["code"] for row in api.get("/api/v1/indicators/").json()["results"]}
    assert "PRIV-1" in codes


def test_indicator_list_filters_by_framework_code_prefix_and_plan(api, filled):
    assert [r["code"] for r in api.get("/api/v1/indicators/?framework_code=17.6").json()["results"]] == ["DIG-01"]
    assert api.get("/api/v1/indicators/?framework_code=17.60").json()["results"] == []
    plan = PlanFactory(owner=filled["jerez"])
    filled["broadband"].actions.add(ActionFactory(objective__axis__plan=plan))
    assert [r["code"] for r in api.get(f"/api/v1/indicators/?plan={plan.slug}").json()["results"]] == ["DIG-01"]


def test_indicator_list_filters_by_status(api, filled):
    # DIG-01 for Jerez: 62 in mid-2025 where the path from 50 (2023) to 90 (2026) says 70.
    rows = api.get("/api/v1/indicators/?status=off_track").json()["results"]
    assert [r["code"] for r in rows] == ["DIG-01"]
    assert api.get("/api/v1/indicators/?status=on_track").json()["results"] == []
    assert api.get("/api/v1/indicators/?status=sideways").status_code == 400


def test_responses_match_the_schema(api, schema, filled):  # noqa: F811
    broadband = filled["broadband"]
    for path, template in [
        ("/api/v1/indicators/", "/api/v1/indicators/"),
        (f"/api/v1/indicators/{broadband.pk}/", "/api/v1/indicators/{id}/"),
        (f"/api/v1/indicators/{broadband.pk}/status/", "/api/v1/indicators/{id}/status/"),
        ("/api/v1/indicators/status/", "/api/v1/indicators/status/"),
        ("/api/v1/targets/", "/api/v1/targets/"),
        ("/api/v1/baselines/", "/api/v1/baselines/"),
        ("/api/v1/observations/?organization=jerez&date_after=2025-01-01", "/api/v1/observations/"),
    ]:
        response = api.get(path)
        assert response.status_code == 200, path
        assert response.json(), path
        assert_matches_schema(schema, response, template)

    api.force_authenticate(filled["editor"])
    response = api.post(
        "/api/v1/observations/",
        {"indicator": broadband.pk, "organization": "jerez", "date": "2025-09-30", "value": "64.5"},
    )
    assert response.status_code == 201, response.json()
    assert_matches_schema(schema, response, "/api/v1/observations/", "post")
    response = api.post(
        "/api/v1/observations/import/",
        upload(csv_bytes([["DIG-01", "jerez", "nope", "1", "", ""]])),
        format="multipart",
    )
    assert response.status_code == 400
    assert_matches_schema(schema, response, "/api/v1/observations/import/", "post")
    response = api.post(
        "/api/v1/observations/import/",
        upload(csv_bytes([["DIG-01", "jerez", "2023-06-30", "1", "", ""]])),
        format="multipart",
    )
    assert response.status_code == 201
    assert_matches_schema(schema, response, "/api/v1/observations/import/", "post")


def test_status_endpoint_gives_latest_value_trend_and_status(api, filled):
    # Path: 50 (end of 2023) → 60 (end of 2024) → 90 (end of 2026); mid-2025 it says 67.4, and 62 is
    # more than 10 % of the 50 → 90 way short of it.
    TargetFactory(indicator=filled["broadband"], year=2024, value=Decimal("60"))
    rows = api.get(f"/api/v1/indicators/{filled['broadband'].pk}/status/").json()
    assert rows == [
        {
            "organization": "jerez",
            "status": "off_track",
            "latest_date": "2025-06-30",
            "latest_value": "62.000000",
            "previous_date": "2024-12-31",
            "previous_value": "60.000000",
            "trend": "up",
            "improving": True,
            "expected_value": rows[0]["expected_value"],
            "next_target_year": 2026,
            "next_target_value": "90.000000",
            "stale": rows[0]["stale"],
        }
    ]
    assert Decimal(rows[0]["expected_value"]) == pytest.approx(Decimal("67.5"), abs=Decimal("0.1"))


def test_observation_observation_filters(api, filled):
    rows = api.get("/api/v1/observations/?date_before=2024-12-31").json()["results"]
    assert [r["date"] for r in rows] == ["2024-12-31"]
    rows = api.get(f"/api/v1/observations/?indicator={filled['shared'].pk}").json()["results"]
    assert rows == []


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"value": "many"}, "value"),
        ({"date": "2025-06-30"}, "date"),  # already has a value on that date
        ({"date": "2099-01-01"}, "date"),
        ({"organization": "atlantis"}, "organization"),
        ({"indicator": 999999}, "indicator"),
    ],
)
def test_bad_observation_answers_400_naming_the_field(api, filled, payload, field):
    api.force_authenticate(filled["editor"])
    body = {"indicator": filled["broadband"].pk, "organization": "jerez", "date": "2025-09-30", "value": "1", **payload}
    response = api.post("/api/v1/observations/", body)
    assert response.status_code == 400
    assert field in response.json()
    assert Observation.objects.count() == 2


def test_import_endpoint_lists_every_bad_row_and_writes_nothing(api, filled):
    api.force_authenticate(filled["editor"])
    rows = [
        ["DIG-01", "jerez", "2023-06-30", "1", "", ""],
        ["DIG-01", "jerez", "2023-07-31", "x", "", ""],
        ["DIG-99", "jerez", "2023-08-31", "1", "", ""],
    ]
    response = api.post("/api/v1/observations/import/", upload(xlsx_bytes(rows), "values.xlsx"), format="multipart")
    assert response.status_code == 400
    assert response.json() == {
        "rows": [
            {"row": 3, "column": "value", "message": "“x” is not a number."},
            {"row": 4, "column": "indicator", "message": "Unknown indicator “DIG-99”."},
        ],
        "error_count": 2,
        "error_rows": 2,
    }
    assert Observation.objects.count() == 2


def test_import_endpoint_dry_run_and_replace(api, filled):
    api.force_authenticate(filled["editor"])
    rows = [["DIG-01", "jerez", "2025-06-30", "63", "", ""], ["DIG-01", "jerez", "2023-06-30", "1", "", ""]]
    response = api.post("/api/v1/observations/import/", upload(csv_bytes(rows)), format="multipart")
    assert response.status_code == 400
    assert response.json()["rows"][0]["row"] == 2
    response = api.post(
        "/api/v1/observations/import/", upload(csv_bytes(rows), replace="true", dry_run="true"), format="multipart"
    )
    assert (response.status_code, response.json()) == (200, {"rows": 2, "created": 1, "replaced": 1, "dry_run": True})
    assert Observation.objects.count() == 2
    response = api.post("/api/v1/observations/import/", upload(csv_bytes(rows), replace="true"), format="multipart")
    assert (response.status_code, response.json()["created"], response.json()["replaced"]) == (201, 1, 1)
    assert Observation.objects.get(date=dt.date(2025, 6, 30)).value == Decimal("63")


def test_import_endpoint_reports_a_file_problem_under_file(api, filled):
    api.force_authenticate(filled["admin"])
    response = api.post("/api/v1/observations/import/", upload(b"", "empty.csv"), format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()


def test_editor_creates_indicator_for_own_council_with_links(api, filled):
    api.force_authenticate(filled["editor"])
    action = ActionFactory(objective__axis__plan=PlanFactory(owner=filled["jerez"]))
    body = {
        "code": "DIG-02",
        "name_en": "Online appointments",
        "owner_organization": "jerez",
        "direction": "higher",
        "frequency": "quarterly",
        "actions": [action.pk],
    }
    response = api.post("/api/v1/indicators/", body)
    assert response.status_code == 201, response.json()
    indicator = Indicator.objects.get(code="DIG-02")
    assert list(indicator.actions.all()) == [action]
    assert {record.history_user for record in indicator.history.all()} == {filled["editor"]}
    response = api.post("/api/v1/indicators/", {**body, "actions": []})
    assert response.status_code == 400 and "code" in response.json()
    response = api.patch(f"/api/v1/indicators/{indicator.pk}/", {"owner_organization": "tremp"})
    assert response.status_code == 400 and "owner_organization" in response.json()


def test_site_wide_indicators_are_created_by_site_admins_only(api, filled):
    body = {"code": "SDG-9.c.1", "name_en": "Mobile coverage", "owner_organization": None}
    api.force_authenticate(filled["editor"])
    assert api.post("/api/v1/indicators/", body).status_code == 403
    api.force_authenticate(filled["admin"])
    assert api.post("/api/v1/indicators/", body).status_code == 201


def test_council_sets_its_own_target_on_a_shared_indicator_but_not_anothers(api, filled):
    api.force_authenticate(filled["tremp_editor"])
    body = {"indicator": filled["shared"].pk, "organization": "tremp", "year": 2030, "value": "10"}
    assert api.post("/api/v1/targets/", body).status_code == 201
    assert api.post("/api/v1/targets/", {**body, "organization": "jerez"}).status_code == 403
    assert api.post("/api/v1/targets/", {**body, "organization": None}).status_code == 403
    response = api.post("/api/v1/targets/", body)
    assert response.status_code == 400 and "year" in response.json()
    assert Target.objects.filter(indicator=filled["shared"]).count() == 1


def test_private_indicator_is_not_found_for_others(api, filled):
    private = Indicator.objects.get(code="PRIV-1")
    assert api.get(f"/api/v1/indicators/{private.pk}/").status_code == 404
    api.force_authenticate(filled["tremp_editor"])
    assert api.get(f"/api/v1/indicators/{private.pk}/status/").status_code == 404
    body = {"indicator": private.pk, "organization": "tremp", "date": "2024-01-01", "value": "1"}
    response = api.post("/api/v1/observations/", body)
    assert response.status_code == 400 and "indicator" in response.json()


MAX_LIST_QUERIES = 7  # includes the public cache's content-version read


def _grow(world, size: int) -> None:
    organizations = [OrganizationFactory() for _ in range(5)]
    for _ in range(size):
        indicator = IndicatorFactory(owner_organization=world["jerez"])
        indicator.actions.add(ActionFactory())
        TargetFactory(indicator=indicator, year=2026)
        for organization in organizations:
            for month in (3, 6):
                ObservationFactory(indicator=indicator, organization=organization, date=dt.date(2025, month, 1))


@pytest.mark.parametrize(
    "path",
    ["/api/v1/indicators/", "/api/v1/indicators/status/", "/api/v1/targets/", "/api/v1/observations/"],
)
def test_api_lists_take_a_fixed_number_of_queries(api, world, path, django_assert_max_num_queries):
    _grow(world, 3)
    with django_assert_max_num_queries(MAX_LIST_QUERIES) as small:
        assert api.get(path, {"page_size": 200}).status_code == 200
    _grow(world, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = api.get(path, {"page_size": 200})
        assert response.status_code == 200
