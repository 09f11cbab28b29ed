"""Indicator pages and the import pages (upload → preview → confirm), with their query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from municipia.indicators.models import Observation, ObservationImport
from municipia.indicators.tests.conftest import csv_bytes, xlsx_bytes
from municipia.indicators.tests.factories import IndicatorFactory, ObservationFactory, TargetFactory
from municipia.organizations.tests.factories import OrganizationFactory
from municipia.strategy.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


def upload(client, content: bytes, name="values.csv", replace=False):
    data = {"file": SimpleUploadedFile(name, content)}
    if replace:
        data["replace"] = "on"
    return client.post(reverse("indicators:observation-import"), data)


def test_list_shows_status_counts_and_filters(client, world):
    ObservationFactory(indicator=world["broadband"], organization=world["jerez"], date=dt.date(2025, 1, 1))
    response = client.get(reverse("indicators:indicator-list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Homes with broadband" in html and "Fine particulate matter" in html
    response = client.get(reverse("indicators:indicator-list"), {"search": "broadband"})
    assert "Fine particulate matter" not in response.content.decode()
    response = client.get(reverse("indicators:indicator-list"), {"status": "no_target"})
    assert "Homes with broadband" not in response.content.decode()


def test_detail_shows_definition_targets_status_and_observations(client, world):
    ObservationFactory(indicator=world["broadband"], organization=world["jerez"], date=dt.date(2025, 1, 1), value=70)
    response = client.get(world["broadband"].get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Homes with broadband" in html
    assert "Higher is better" in html
    assert "Jerez de la Frontera" in html
    assert "70 %" in html  # the value without its padding zeros, with the unit
    assert "status-" in html


def test_private_indicator_page_is_not_found_for_visitors(client, world):
    private = IndicatorFactory(owner_organization=world["jerez"], is_public=False)
    assert client.get(private.get_absolute_url()).status_code == 404
    client.force_login(world["editor"])
    assert client.get(private.get_absolute_url()).status_code == 200


def test_upload_preview_and_confirm_import_the_file(client, world):
    client.force_login(world["editor"])
    response = upload(client, csv_bytes([["DIG-01", "jerez", "2024-12-31", "63.5", "INE", ""]]))
    assert response.status_code == 302
    preview_url = response["Location"]
    response = client.get(preview_url)
    html = response.content.decode()
    assert "Ready to import" in html and "63.5" in html
    assert Observation.objects.count() == 0
    response = client.post(preview_url)
    assert response.status_code == 302
    assert Observation.objects.get().value == Decimal("63.5")
    assert ObservationImport.objects.get().content == b""


def test_preview_lists_bad_rows_and_offers_no_import(client, world):
    client.force_login(world["editor"])
    rows = [["DIG-01", "jerez", "2024-12-31", "63.5", "", ""], ["DIG-01", "jerez", "yesterday", "abc", "", ""]]
    response = client.get(upload(client, xlsx_bytes(rows), "values.xlsx")["Location"])
    html = response.content.decode()
    assert "This file cannot be imported yet" in html
    assert "<strong>3</strong>" in html and "is not a date" in html and "is not a number" in html
    assert "Import 1 value" not in html
    # Confirming anyway (a forged POST) imports nothing and says why.
    response = client.post(response.wsgi_request.path)
    assert response.status_code == 400
    assert Observation.objects.count() == 0


def test_upload_form_keeps_the_user_on_the_page_with_a_reason(client, world):
    client.force_login(world["editor"])
    response = client.post(reverse("indicators:observation-import"), {"file": SimpleUploadedFile("a.pdf", b"%PDF")})
    assert response.status_code == 400
    assert "Choose a .csv or .xlsx file." in response.content.decode()
    assert ObservationImport.objects.count() == 0


def test_discard_removes_the_kept_file(client, world):
    client.force_login(world["editor"])
    preview_url = upload(client, csv_bytes([["DIG-01", "jerez", "2024-12-31", "1", "", ""]]))["Location"]
    client.post(preview_url, {"discard": "1"})
    assert ObservationImport.objects.count() == 0
    assert Observation.objects.count() == 0


def test_another_users_upload_is_not_found(client, world):
    client.force_login(world["editor"])
    preview_url = upload(client, csv_bytes([["DIG-01", "jerez", "2024-12-31", "1", "", ""]]))["Location"]
    client.force_login(world["admin"])
    assert client.get(preview_url).status_code == 404
    assert client.post(preview_url).status_code == 404
    assert Observation.objects.count() == 0


def _grow(world, size: int) -> None:
    organizations = [OrganizationFactory() for _ in range(4)]
    for _ in range(size):
        indicator = IndicatorFactory(owner_organization=world["jerez"])
        indicator.actions.add(ActionFactory())
        TargetFactory(indicator=indicator, year=2026)
        for organization in organizations:
            for month in (3, 6, 9):
                ObservationFactory(indicator=indicator, organization=organization, date=dt.date(2025, month, 1))


LIST_QUERIES = 8  # content version, count, page, status (3), plan options (2)
DETAIL_QUERIES = 15  # … plus the charted series, the networks to benchmark over and the alignments


@pytest.mark.parametrize("status", ["", "on_track"])
def test_list_page_takes_a_fixed_number_of_queries(client, world, status, django_assert_max_num_queries):
    _grow(world, 3)
    params = {"status": status} if status else {}
    with django_assert_max_num_queries(LIST_QUERIES + (4 if status else 0)) as small:
        assert client.get(reverse("indicators:indicator-list"), params).status_code == 200
    _grow(world, 15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("indicators:indicator-list"), params).status_code == 200


def test_detail_page_takes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    indicator = world["broadband"]
    organizations = [OrganizationFactory() for _ in range(3)]
    for organization in organizations:
        ObservationFactory(indicator=indicator, organization=organization, date=dt.date(2025, 1, 1))
    with django_assert_max_num_queries(DETAIL_QUERIES) as small:
        assert client.get(indicator.get_absolute_url()).status_code == 200
    for organization in [OrganizationFactory() for _ in range(20)]:
        TargetFactory(indicator=indicator, organization=organization, year=2026)
        indicator.actions.add(ActionFactory())
        for month in (3, 6, 9):
            ObservationFactory(indicator=indicator, organization=organization, date=dt.date(2025, month, 1))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(indicator.get_absolute_url()).status_code == 200
