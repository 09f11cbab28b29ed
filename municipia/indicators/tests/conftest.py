"""A small world for the indicator tests: councils, editors, indicators, and file builders."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from municipia.indicators.tests.factories import IndicatorFactory, TargetFactory
from municipia.organizations.choices import Country, RoleKind
from municipia.organizations.tests.factories import (
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

HEADER = ["indicator", "organization", "date", "value", "source", "note"]


def csv_bytes(rows: list[list], header: list[str] = HEADER, delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def xlsx_bytes(rows: list[list], header: list[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def world(db):
    jerez = OrganizationFactory(name_en="Jerez de la Frontera", slug="jerez", official_code="11020")
    tremp = OrganizationFactory(name_en="Tremp", slug="tremp", official_code="25221")
    sofia = OrganizationFactory(
        name_en="Sofia", slug="sofia", country=Country.BULGARIA, official_code="SOF46", ekatte_code="68134"
    )
    network = NetworkFactory(name_en="Catalan councils", slug="catalan-network")
    NetworkMembershipFactory(network=network, member=tremp)
    broadband = IndicatorFactory(code="DIG-01", name_en="Homes with broadband", owner_organization=jerez)
    shared = IndicatorFactory(code="SDG-11.6.2", name_en="Fine particulate matter", owner_organization=None)
    network_indicator = IndicatorFactory(code="NET-01", name_en="Online procedures", owner_organization=network)
    TargetFactory(indicator=broadband, year=2026, value=Decimal("90"))
    return {
        "jerez": jerez,
        "tremp": tremp,
        "sofia": sofia,
        "network": network,
        "broadband": broadband,
        "shared": shared,
        "network_indicator": network_indicator,
        "editor": RoleFactory(organization=jerez).user,
        "tremp_editor": RoleFactory(organization=tremp).user,
        "coordinator": RoleFactory(organization=network, kind=RoleKind.COORDINATOR).user,
        "plain": UserFactory(),
        "admin": UserFactory(is_superuser=True, is_staff=True),
        "day": dt.date(2025, 3, 31),
    }
