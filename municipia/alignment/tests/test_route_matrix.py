"""Every write route of the alignment pages and API × every role: no one writes where they don't belong.

Each request carries valid data, so only the permission system can stop it; a database fingerprint
(row and history counts) shows whether anything was written. Routes on a council's own framework,
on plan elements and on the council's indicator are open to the owner's editors and site admins;
routes on reference frameworks only to site admins (see REFERENCE_ONLY). A route reached with
another element is named `<route>@<element>`.
"""

import pytest
from django.apps import apps
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.alignment import services
from municipia.alignment.tests.conftest import build_frameworks
from municipia.core.tests.matrix import fresh, module_world
from municipia.indicators.tests.factories import IndicatorFactory
from municipia.organizations.choices import RoleKind
from municipia.organizations.tests.factories import (
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)
from municipia.strategy.choices import PlanStatus
from municipia.strategy.tests.factories import ActionFactory, PlanFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "plain user", "other council's editor", "network coordinator", "own editor", "site admin"]
ALLOWED = {"own editor", "site admin"}
# Routes on reference data: only site admins.
REFERENCE_ONLY = {"item-update", "item-delete", "framework-items-update", "framework-items-delete"}

TRACKED = [
    "alignment.Framework",
    "alignment.FrameworkItem",
    "alignment.PlanFramework",
    "alignment.Alignment",
    "alignment.SuggestionFeedback",
]


def fingerprint() -> tuple:
    counts = []
    for label in TRACKED:
        model = apps.get_model(label)
        counts.append(model.objects.count())
        if hasattr(model, "history"):
            counts.append(model.history.count())
    return tuple(counts)


def _build():
    frameworks = build_frameworks()
    council = OrganizationFactory(slug="own-council")
    network = NetworkFactory()
    NetworkMembershipFactory(network=network, member=council)
    plan = PlanFactory(owner=council, status=PlanStatus.DRAFT, is_published=True, slug="own-plan")
    action = ActionFactory(objective__axis__plan=plan, code="1.1.1", title_en="Broadband and 5G coverage")
    admin = UserFactory(is_superuser=True, is_staff=True)
    row = services.plan_framework_add(acting_user=admin, plan=plan, framework=frameworks.prtr)
    own = services.framework_create(acting_user=admin, owner=council, data={"code": "OWN", "name_en": "Own axes"})
    own_item = services.framework_item_create(
        acting_user=admin, framework=own, data={"code": "A1", "title_en": "Axis one", "level": "axis"}
    )
    alignment = services.alignment_create(acting_user=admin, element=action, item=frameworks.items["SDG:9"])
    indicator = IndicatorFactory(owner_organization=council, name_en="Homes with broadband of 100 Mbps")
    indicator.actions.add(action)
    indicator_alignment = services.alignment_create(
        acting_user=admin, element=indicator, item=frameworks.items["SDG:11.2"]
    )
    users = {
        "anonymous": None,
        "plain user": UserFactory(),
        "other council's editor": RoleFactory(organization=OrganizationFactory()).user,
        "network coordinator": RoleFactory(organization=network, kind=RoleKind.COORDINATOR).user,
        "own editor": RoleFactory(organization=council).user,
        "site admin": admin,
    }
    return {
        "council": council,
        "plan": plan,
        "action": action,
        "axis": action.objective.axis,
        "row": row,
        "own": own,
        "own_item": own_item,
        "alignment": alignment,
        "indicator": indicator,
        "indicator_alignment": indicator_alignment,
        "items": frameworks.items,
        "rights": frameworks.rights,
        "users": users,
    }


# One world for the module, rolled back at its end; each case runs in a savepoint of it, and
# takes its user afresh from the database (see `fresh`).
world = module_world(_build)


def _texts(name: str, value: str) -> dict:
    return {f"{name}_en": value, f"{name}_es": "", f"{name}_ca": "", f"{name}_bg": ""}


# name → (url(world), data(world)); the data is complete and valid for the form.
PAGE_ROUTES = {
    "framework-create": (
        lambda w: reverse("alignment:framework-create") + f"?owner={w['council'].slug}",
        lambda w: {**_texts("name", "Our agenda"), **_texts("description", ""), "code": "OURS", "position": "0"},
    ),
    "framework-update": (
        lambda w: reverse("alignment:framework-update", args=["OWN"]),
        lambda w: {**_texts("name", "Renamed"), **_texts("description", ""), "code": "OWN", "position": "1"},
    ),
    "framework-delete": (lambda w: reverse("alignment:framework-delete", args=["OWN"]), lambda w: {}),
    "item-create": (
        lambda w: reverse("alignment:item-create", args=["OWN"]),
        lambda w: {
            **_texts("title", "Axis two"),
            **_texts("short_title", ""),
            "code": "A2",
            "level": "axis",
            "position": "2",
        },
    ),
    "own-item-update": (
        lambda w: reverse("alignment:item-update", args=[w["own_item"].pk]),
        lambda w: {
            **_texts("title", "Renamed"),
            **_texts("short_title", ""),
            "code": "A1",
            "level": "axis",
            "position": "1",
        },
    ),
    "item-update": (
        lambda w: reverse("alignment:item-update", args=[w["items"]["SDG:9"].pk]),
        lambda w: {
            **_texts("title", "Renamed"),
            **_texts("short_title", ""),
            "code": "9",
            "level": "goal",
            "position": "1",
        },
    ),
    "own-item-delete": (lambda w: reverse("alignment:item-delete", args=[w["own_item"].pk]), lambda w: {}),
    "item-delete": (lambda w: reverse("alignment:item-delete", args=[w["items"]["SDG:9.1"].pk]), lambda w: {}),
    "local-target-create": (
        lambda w: (
            reverse("alignment:local-target-create", args=[w["items"]["SDG:11.3"].pk]) + f"?owner={w['council'].slug}"
        ),
        lambda w: {**_texts("title", "Plans made with every district"), "code": "11.3.L1"},
    ),
    "plan-framework-add": (
        lambda w: reverse("alignment:plan-framework-add", args=[w["plan"].slug]),
        lambda w: {"framework": "DIGITAL-RIGHTS"},
    ),
    "plan-framework-remove": (
        lambda w: reverse("alignment:plan-framework-remove", args=[w["plan"].slug, w["row"].pk]),
        lambda w: {},
    ),
    "alignment-create": (
        lambda w: reverse("alignment:alignment-create", args=["axis", w["axis"].pk]),
        lambda w: {"framework": "SDG", "code": "11.3", "is_primary": "on", "rationale": "Urban planning"},
    ),
    "alignment-update": (
        lambda w: reverse("alignment:alignment-update", args=[w["alignment"].pk]),
        lambda w: {"is_primary": "on", "rationale": "Fibre"},
    ),
    "alignment-delete": (lambda w: reverse("alignment:alignment-delete", args=[w["alignment"].pk]), lambda w: {}),
    "alignment-create@indicator": (
        lambda w: reverse("alignment:alignment-create", args=["indicator", w["indicator"].pk]),
        lambda w: {"framework": "SDG", "code": "11.3.1", "is_primary": "on", "rationale": "Measures it"},
    ),
    "alignment-update@indicator": (
        lambda w: reverse("alignment:alignment-update", args=[w["indicator_alignment"].pk]),
        lambda w: {"is_primary": "on", "rationale": "Coverage"},
    ),
    "alignment-delete@indicator": (
        lambda w: reverse("alignment:alignment-delete", args=[w["indicator_alignment"].pk]),
        lambda w: {},
    ),
    "indicator-suggestion-accept": (
        lambda w: reverse("alignment:indicator-suggestion-accept", args=[w["indicator"].pk]),
        lambda w: {"goal": "11", "language": "en"},
    ),
    "indicator-suggestion-reject": (
        lambda w: reverse("alignment:indicator-suggestion-reject", args=[w["indicator"].pk]),
        lambda w: {"goal": "3", "language": "en"},
    ),
    "suggestion-accept": (
        lambda w: reverse("alignment:suggestion-accept", args=[w["action"].pk]),
        lambda w: {"goal": "11", "language": "en"},
    ),
    "suggestion-reject": (
        lambda w: reverse("alignment:suggestion-reject", args=[w["action"].pk]),
        lambda w: {"goal": "3", "language": "en"},
    ),
}


def _allowed(route: str, role: str) -> bool:
    route = route.split("@")[0]
    if route in REFERENCE_ONLY:
        return role == "site admin"
    return role in ALLOWED


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_page_write_route_by_role(client, world, route, role):
    url_of, data_of = PAGE_ROUTES[route]
    user = fresh(world["users"][role])
    if user is not None:
        client.force_login(user)
    before = fingerprint()
    response = client.post(url_of(world), data_of(world))
    after = fingerprint()
    if _allowed(route, role):
        assert response.status_code == 302, (route, role, response.status_code, response.content.decode()[:1500])
        assert after != before, f"{route} by {role} wrote nothing"
    else:
        assert after == before, f"{route} by {role} changed the database"
        if user is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code in (403, 404)


def test_matrix_covers_every_write_route_of_the_alignment_pages():
    """A new editing page must be added to the matrix above."""
    from municipia.alignment import urls

    suffixes = ("-create", "-update", "-delete", "-add", "-remove", "-accept", "-reject")
    names = {p.name for p in urls.urlpatterns if p.name.endswith(suffixes)}
    covered = {name.removeprefix("own-").split("@")[0] for name in PAGE_ROUTES}
    assert names == covered


# name → (method, url(world), data(world)) for the API.
API_ROUTES = {
    "frameworks-create": (
        "post",
        lambda w: "/api/v1/frameworks/",
        lambda w: {"code": "OURS", "name_en": "Our agenda", "owner": w["council"].slug},
    ),
    "frameworks-update": ("patch", lambda w: "/api/v1/frameworks/OWN/", lambda w: {"name_en": "Renamed"}),
    "frameworks-delete": ("delete", lambda w: "/api/v1/frameworks/OWN/", lambda w: None),
    "framework-items-create": (
        "post",
        lambda w: "/api/v1/framework-items/",
        lambda w: {"framework": "OWN", "code": "A2", "level": "axis", "title_en": "Axis two"},
    ),
    "local-targets-create": (
        "post",
        lambda w: "/api/v1/framework-items/",
        lambda w: {
            "framework": "SDG",
            "parent": w["items"]["SDG:11.3"].pk,
            "code": "11.3.L1",
            "title_en": "Plans with every district",
            "owner": w["council"].slug,
        },
    ),
    "own-framework-items-update": (
        "patch",
        lambda w: f"/api/v1/framework-items/{w['own_item'].pk}/",
        lambda w: {"title_en": "Renamed"},
    ),
    "framework-items-update": (
        "patch",
        lambda w: f"/api/v1/framework-items/{w['items']['SDG:9'].pk}/",
        lambda w: {"title_en": "Renamed"},
    ),
    "framework-items-delete": (
        "delete",
        lambda w: f"/api/v1/framework-items/{w['items']['SDG:9.1'].pk}/",
        lambda w: None,
    ),
    "alignments-create": (
        "post",
        lambda w: "/api/v1/alignments/",
        lambda w: {"axis": w["axis"].pk, "item_ref": "SDG:11.3"},
    ),
    "alignments-update": (
        "patch",
        lambda w: f"/api/v1/alignments/{w['alignment'].pk}/",
        lambda w: {"is_primary": True},
    ),
    "alignments-delete": ("delete", lambda w: f"/api/v1/alignments/{w['alignment'].pk}/", lambda w: None),
    "alignments-create@indicator": (
        "post",
        lambda w: "/api/v1/alignments/",
        lambda w: {"indicator": w["indicator"].pk, "item_ref": "SDG:11.3.1"},
    ),
    "alignments-update@indicator": (
        "patch",
        lambda w: f"/api/v1/alignments/{w['indicator_alignment'].pk}/",
        lambda w: {"rationale_en": "Coverage"},
    ),
    "alignments-delete@indicator": (
        "delete",
        lambda w: f"/api/v1/alignments/{w['indicator_alignment'].pk}/",
        lambda w: None,
    ),
    "plan-frameworks-create": (
        "post",
        lambda w: "/api/v1/plan-frameworks/",
        lambda w: {"plan": w["plan"].slug, "framework": "DIGITAL-RIGHTS"},
    ),
    "plan-frameworks-delete": ("delete", lambda w: f"/api/v1/plan-frameworks/{w['row'].pk}/", lambda w: None),
    "suggestion-feedback-create": (
        "post",
        lambda w: "/api/v1/suggestion-feedback/",
        lambda w: {"action": w["action"].pk, "goal": "9", "accepted": True},
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
    response = getattr(client, method)(url_of(world), data_of(world), format="json")
    after = fingerprint()
    if _allowed(route, role):
        assert response.status_code in (200, 201, 204), (route, role, response.status_code, response.content[:800])
        assert after != before, f"{route} by {role} wrote nothing"
    else:
        assert after == before, f"{route} by {role} changed the database"
        assert response.status_code in (401, 403, 404), (route, role, response.status_code, response.content[:500])


# API routes that take a POST but write nothing: name → (url(world), data(world), who may).
API_READ_ROUTES = {
    # The SDG suggester computes from the text it is sent; signed-in users only (it costs CPU).
    "suggestions-create": (
        lambda w: "/api/v1/suggestions/",
        lambda w: {"text": "Broadband and 5G coverage for every district", "language": "en"},
        {"plain user", "other council's editor", "network coordinator", "own editor", "site admin"},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", API_READ_ROUTES)
def test_api_read_by_post_by_role(world, route, role):
    url_of, data_of, allowed = API_READ_ROUTES[route]
    client = APIClient()
    user = fresh(world["users"][role])
    if user is not None:
        client.force_authenticate(user)
    before = fingerprint()
    response = client.post(url_of(world), data_of(world), format="json")
    assert fingerprint() == before, f"{route} by {role} changed the database"
    expected = (200,) if role in allowed else (401, 403)
    assert response.status_code in expected, (route, role, response.status_code)
