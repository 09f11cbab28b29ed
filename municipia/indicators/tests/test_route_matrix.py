"""Every write route of the indicator pages and API × every role: no one writes where they don't belong.

Each request carries valid data, so the only thing that can stop it is the permission system;
a database fingerprint (row and history counts) shows whether anything was written.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.core.tests.matrix import fresh, module_world
from municipia.indicators import services
from municipia.indicators.tests.conftest import csv_bytes
from municipia.indicators.tests.factories import BaselineFactory, IndicatorFactory, ObservationFactory, TargetFactory
from municipia.organizations.choices import RoleKind
from municipia.organizations.tests.factories import (
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "plain user", "other council's editor", "network coordinator", "own editor", "site admin"]
ALLOWED = {"own editor", "site admin"}
# Anyone with a role may upload a file to check it; rows are then checked one by one.
UPLOADERS = {"other council's editor", "network coordinator", "own editor", "site admin"}

TRACKED = [
    "indicators.Indicator",
    "indicators.Baseline",
    "indicators.Target",
    "indicators.Observation",
    "indicators.ObservationImport",
]


def fingerprint() -> tuple:
    counts = []
    for label in TRACKED:
        model = apps.get_model(label)
        counts.append(model.objects.count())
        if hasattr(model, "history"):
            counts.append(model.history.count())
    # Observations keep no history: their values show a change.
    counts.append(apps.get_model("indicators.Observation").objects.aggregate(total=Sum("value"))["total"])
    return tuple(counts)


def observation_file() -> bytes:
    return csv_bytes([["OWN-1", "own-council", "2024-12-31", "42", "", ""]])


def _build():
    council = OrganizationFactory(slug="own-council")
    network = NetworkFactory()
    NetworkMembershipFactory(network=network, member=council)
    indicator = IndicatorFactory(code="OWN-1", owner_organization=council)
    users = {
        "anonymous": None,
        "plain user": UserFactory(),
        "other council's editor": RoleFactory(organization=OrganizationFactory()).user,
        "network coordinator": RoleFactory(organization=network, kind=RoleKind.COORDINATOR).user,
        "own editor": RoleFactory(organization=council).user,
        "site admin": UserFactory(is_superuser=True, is_staff=True),
    }
    # Each signed-in user has a pending upload of their own (confirmed by the preview route).
    uploads = {
        role: services.upload_keep(
            acting_user=user or users["site admin"], name="v.csv", content=observation_file(), replace=False
        )
        for role, user in users.items()
    }
    return {
        "council": council,
        "indicator": indicator,
        "target": TargetFactory(indicator=indicator, year=2026),
        "baseline": BaselineFactory(indicator=indicator),
        "observation": ObservationFactory(indicator=indicator, organization=council, date=dt.date(2024, 6, 30)),
        "users": users,
        "uploads": uploads,
    }


# One world for the module, rolled back at its end; each case runs in a savepoint of it, and
# takes its user afresh from the database (see `fresh`).
world = module_world(_build)


# name → (url(world, role), data(world)); the data is complete and valid.
PAGE_ROUTES = {
    "observation-import": (
        lambda w, role: reverse("indicators:observation-import"),
        lambda w: {"file": SimpleUploadedFile("values.csv", observation_file())},
    ),
    "observation-import-preview": (
        lambda w, role: reverse("indicators:observation-import-preview", args=[w["uploads"][role].pk]),
        lambda w: {},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_page_write_route_by_role(client, world, route, role):
    url_of, data_of = PAGE_ROUTES[route]
    user = fresh(world["users"][role])
    if user is not None:
        client.force_login(user)
    before = fingerprint()
    response = client.post(url_of(world, role), data_of(world))
    after = fingerprint()
    allowed = UPLOADERS if route == "observation-import" else ALLOWED
    if role in allowed:
        assert response.status_code == 302, (route, role, response.status_code, response.content.decode()[:1500])
        assert after != before, f"{route} by {role} wrote nothing"
    else:
        assert after == before, f"{route} by {role} changed the database"
        if user is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            # 400: the preview shows the rows this user may not record.
            assert response.status_code in (400, 403, 404), (route, role, response.status_code)


def test_matrix_covers_every_write_route_of_the_pages():
    """A new editing page must be added to the matrix above."""
    from municipia.indicators import urls

    read_only = ("indicator-list", "indicator-detail", "indicator-benchmark", "plan-dashboard")
    names = {p.name for p in urls.urlpatterns if p.name not in read_only}
    assert names == set(PAGE_ROUTES)


# name → (method, url(world), data(world)); the data is valid for the endpoint.
API_ROUTES = {
    "indicators-create": (
        "post",
        lambda w: "/api/v1/indicators/",
        lambda w: {"code": "OWN-2", "name_en": "New", "owner_organization": "own-council"},
    ),
    "indicators-update": ("patch", lambda w: f"/api/v1/indicators/{w['indicator'].pk}/", lambda w: {"unit": "km"}),
    "indicators-delete": ("delete", lambda w: f"/api/v1/indicators/{w['indicator'].pk}/", lambda w: None),
    "targets-create": (
        "post",
        lambda w: "/api/v1/targets/",
        lambda w: {"indicator": w["indicator"].pk, "organization": None, "year": 2030, "value": "9"},
    ),
    "targets-update": ("patch", lambda w: f"/api/v1/targets/{w['target'].pk}/", lambda w: {"value": "99"}),
    "targets-delete": ("delete", lambda w: f"/api/v1/targets/{w['target'].pk}/", lambda w: None),
    "baselines-create": (
        "post",
        lambda w: "/api/v1/baselines/",
        lambda w: {"indicator": w["indicator"].pk, "organization": "own-council", "date": "2023-01-01", "value": "1"},
    ),
    "baselines-update": ("patch", lambda w: f"/api/v1/baselines/{w['baseline'].pk}/", lambda w: {"value": "2"}),
    "baselines-delete": ("delete", lambda w: f"/api/v1/baselines/{w['baseline'].pk}/", lambda w: None),
    "observations-create": (
        "post",
        lambda w: "/api/v1/observations/",
        lambda w: {"indicator": w["indicator"].pk, "organization": "own-council", "date": "2025-01-31", "value": "3"},
    ),
    "observations-update": (
        "patch",
        lambda w: f"/api/v1/observations/{w['observation'].pk}/",
        lambda w: {"value": str(Decimal("4.5"))},
    ),
    "observations-delete": ("delete", lambda w: f"/api/v1/observations/{w['observation'].pk}/", lambda w: None),
    "observations-import": (
        "post",
        lambda w: "/api/v1/observations/import/",
        lambda w: {"file": SimpleUploadedFile("values.csv", observation_file())},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", API_ROUTES)
def test_api_write_route_by_role(world, route, role):
    method, url_of, data_of = API_ROUTES[route]
    client = APIClient()
    user = fresh(world["users"][role])
    if user is not None:
        client.force_authenticate(user)
    before = fingerprint()
    body_format = "multipart" if route == "observations-import" else "json"
    response = getattr(client, method)(url_of(world), data_of(world), format=body_format)
    after = fingerprint()
    if role in ALLOWED:
        assert response.status_code in (200, 201, 204), (route, role, response.status_code, response.content[:800])
        assert after != before, f"{route} by {role} wrote nothing"
    else:
        assert after == before, f"{route} by {role} changed the database"
        # The import answers 400 listing the rows this user may not record.
        expected = (400, 401, 403, 404) if route == "observations-import" else (401, 403, 404)
        assert response.status_code in expected, (route, role, response.status_code)
