"""Every write route of the site and the API × every role: no one writes where they don't belong.

Each request carries valid data, so the only thing that can stop it is the permission system;
a database fingerprint (row and history counts) shows whether anything was written.
"""

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from municipia.core.tests.matrix import module_world
from municipia.organizations.choices import RoleKind
from municipia.organizations.models import Role
from municipia.organizations.tests.factories import (
    DepartmentFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    PartnerFactory,
    PersonFactory,
    RoleFactory,
    UserFactory,
)
from municipia.strategy.choices import PlanStatus
from municipia.strategy.tests.factories import (
    ActionFactory,
    ActionPartnerFactory,
    ChallengeFactory,
    MilestoneFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "plain user", "other council's editor", "network coordinator", "own editor", "site admin"]
ALLOWED = {"own editor", "site admin"}

TRACKED = [
    "organizations.Organization",
    "organizations.NetworkMembership",
    "organizations.Role",
    "organizations.Department",
    "organizations.Person",
    "strategy.Plan",
    "strategy.Axis",
    "strategy.Challenge",
    "strategy.Objective",
    "strategy.Action",
    "strategy.Milestone",
    "strategy.ActionPartner",
    "strategy.PlanVersion",
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
    council = OrganizationFactory(slug="own-council")
    network = NetworkFactory()
    NetworkMembershipFactory(network=network, member=council)
    newcomer = OrganizationFactory(slug="newcomer-council")
    plan = PlanFactory(owner=council, status=PlanStatus.DRAFT, is_published=True, slug="own-plan")
    challenge = ChallengeFactory(axis__plan=plan, code="C1")
    action = ActionFactory(objective__axis=challenge.axis, code="1.1.1")
    milestone = MilestoneFactory(action=action)
    partner = PartnerFactory(slug="partner-university")
    action_partner = ActionPartnerFactory(action=action, organization=partner)
    person = PersonFactory(organization=council, full_name="Council officer")
    department = DepartmentFactory(organization=council)
    users = {
        "anonymous": None,
        "plain user": UserFactory(),
        "other council's editor": RoleFactory(organization=OrganizationFactory()).user,
        "network coordinator": RoleFactory(organization=network, kind=RoleKind.COORDINATOR).user,
        "own editor": RoleFactory(organization=council).user,
        "site admin": UserFactory(is_superuser=True, is_staff=True),
    }
    return {
        "council": council,
        "plan": plan,
        "axis": challenge.axis,
        "challenge": challenge,
        "objective": action.objective,
        "action": action,
        "milestone": milestone,
        "partner": partner,
        "action_partner": action_partner,
        "person": person,
        "users": users,
        "network": network,
        "newcomer": newcomer,
        "department": department,
        "own_role": Role.objects.get(user=users["own editor"]),
        "spare": OrganizationFactory(slug="spare-body"),
        "second_partner": PartnerFactory(slug="partner-foundation"),
    }


# One world for the module, rolled back at its end; each case runs in a savepoint of it.
world = module_world(_build)


def _texts(title: str) -> dict:
    return {"title_en": title, "title_es": "", "title_ca": "", "title_bg": "", "description_en": ""}


# name → (url(world), data(world)); the data is complete and valid for the form.
PAGE_ROUTES = {
    "plan-create": (
        lambda w: reverse("strategy:plan-create") + f"?owner={w['council'].slug}",
        lambda w: {"title_en": "New plan", "period_start": "2024-01-01", "period_end": "2026-12-31"},
    ),
    "plan-update": (
        lambda w: reverse("strategy:plan-update", args=[w["plan"].slug]),
        lambda w: {
            "title_en": "Renamed",
            "slug": "own-plan",
            "period_start": "2024-01-01",
            "period_end": "2027-12-31",
            "is_published": "on",
        },
    ),
    "plan-status": (
        lambda w: reverse("strategy:plan-status", args=[w["plan"].slug]),
        lambda w: {"status": PlanStatus.APPROVED, "note": ""},
    ),
    "plan-delete": (lambda w: reverse("strategy:plan-delete", args=[w["plan"].slug]), lambda w: {}),
    "axis-create": (
        lambda w: reverse("strategy:axis-create", args=[w["plan"].slug]),
        lambda w: {**_texts("New axis"), "code": "9", "weight": "1", "position": "9"},
    ),
    "axis-update": (
        lambda w: reverse("strategy:axis-update", args=[w["axis"].pk]),
        lambda w: {**_texts("Renamed axis"), "code": w["axis"].code, "weight": "2", "position": "1"},
    ),
    "axis-delete": (lambda w: reverse("strategy:axis-delete", args=[w["axis"].pk]), lambda w: {}),
    "challenge-create": (
        lambda w: reverse("strategy:challenge-create", args=[w["axis"].pk]),
        lambda w: {**_texts("New challenge"), "code": "C9"},
    ),
    "challenge-update": (
        lambda w: reverse("strategy:challenge-update", args=[w["challenge"].pk]),
        lambda w: {**_texts("Renamed challenge"), "code": "C1"},
    ),
    "challenge-delete": (lambda w: reverse("strategy:challenge-delete", args=[w["challenge"].pk]), lambda w: {}),
    "objective-create": (
        lambda w: reverse("strategy:objective-create", args=[w["axis"].pk]),
        lambda w: {**_texts("New objective"), "code": "O9", "weight": "1", "challenges": [w["challenge"].pk]},
    ),
    "objective-update": (
        lambda w: reverse("strategy:objective-update", args=[w["objective"].pk]),
        lambda w: {**_texts("Renamed objective"), "code": w["objective"].code, "weight": "1"},
    ),
    "objective-delete": (lambda w: reverse("strategy:objective-delete", args=[w["objective"].pk]), lambda w: {}),
    "action-create": (
        lambda w: reverse("strategy:action-create", args=[w["plan"].slug]),
        lambda w: {
            **_texts("New action"),
            "code": "1.1.9",
            "objective": w["objective"].pk,
            "status": "planned",
            "progress": "0",
            "weight": "1",
        },
    ),
    "action-update": (
        lambda w: reverse("strategy:action-update", args=[w["action"].pk]),
        lambda w: {
            **_texts("Renamed action"),
            "code": "1.1.1",
            "objective": w["objective"].pk,
            "status": "in_progress",
            "progress": "55",
            "weight": "1",
            "start_date": "2024-03-01",
            "end_date": "2025-06-30",
        },
    ),
    "action-delete": (lambda w: reverse("strategy:action-delete", args=[w["action"].pk]), lambda w: {}),
    "milestone-create": (
        lambda w: reverse("strategy:milestone-create", args=[w["action"].pk]),
        lambda w: {"title_en": "Pilot live", "due_date": "2025-01-31"},
    ),
    "milestone-update": (
        lambda w: reverse("strategy:milestone-update", args=[w["milestone"].pk]),
        lambda w: {"title_en": "Renamed milestone", "due_date": "2025-02-28"},
    ),
    "milestone-delete": (lambda w: reverse("strategy:milestone-delete", args=[w["milestone"].pk]), lambda w: {}),
    "actionpartner-create": (
        lambda w: reverse("strategy:actionpartner-create", args=[w["action"].pk]),
        lambda w: {"organization": w["partner"].pk, "role": "funder", "note": ""},
    ),
    "actionpartner-update": (
        lambda w: reverse("strategy:actionpartner-update", args=[w["action_partner"].pk]),
        lambda w: {"organization": w["partner"].pk, "role": "data_provider", "note": "Open data"},
    ),
    "actionpartner-delete": (
        lambda w: reverse("strategy:actionpartner-delete", args=[w["action_partner"].pk]),
        lambda w: {},
    ),
    "person-update": (
        lambda w: reverse("organizations:person-update", args=[w["person"].pk]),
        lambda w: {"full_name": "Council officer (renamed)", "position_en": "Head of digital", "language": "en"},
    ),
    "person-delete": (lambda w: reverse("organizations:person-delete", args=[w["person"].pk]), lambda w: {}),
    "organization-update": (
        lambda w: reverse("organizations:organization-update", args=[w["council"].slug]),
        lambda w: {"name_en": "Renamed council", "website": "https://example.org"},
    ),
    # Preview first (the upload is kept in the session), then apply: see the test below.
    "plan-progress-upload": (
        lambda w: reverse("strategy:plan-progress-upload", args=[w["plan"].slug]),
        lambda w: {"apply": "1"},
    ),
}


def _progress_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("progress.csv", b"code,progress (%),status,comment\n1.1.1,55,in_progress,\n", "text/csv")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_page_write_route_by_role(client, world, route, role):
    url_of, data_of = PAGE_ROUTES[route]
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    before = fingerprint()
    if route == "plan-progress-upload":
        client.post(url_of(world), {"file": _progress_file()})
    response = client.post(url_of(world), data_of(world))
    after = fingerprint()
    if role in ALLOWED:
        assert response.status_code == 302, (route, role, response.status_code, response.content.decode()[:1500])
        assert after != before, f"{route} by {role} wrote nothing"
    else:
        assert after == before, f"{route} by {role} changed the database"
        if user is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code in (403, 404)


def test_matrix_covers_every_write_route_of_the_site():
    """A new editing page must be added to the matrix above."""
    from municipia.organizations import urls as org_urls
    from municipia.strategy import urls as strategy_urls

    names = set()
    for pattern in strategy_urls.urlpatterns + org_urls.urlpatterns:
        if pattern.name.endswith(("-create", "-update", "-delete", "-status")):
            names.add(pattern.name)
    assert names == {name for name in PAGE_ROUTES if name.endswith(("-create", "-update", "-delete", "-status"))}


# name → (method, url(world), data(world)) for the API; the data is valid for the endpoint.
API_ROUTES = {
    "plans-create": (
        "post",
        lambda w: "/api/v1/plans/",
        lambda w: {
            "owner": w["council"].slug,
            "title_en": "API plan",
            "period_start": "2024-01-01",
            "period_end": "2026-12-31",
        },
    ),
    "plans-update": ("patch", lambda w: f"/api/v1/plans/{w['plan'].slug}/", lambda w: {"title_en": "Renamed"}),
    "plans-status": (
        "post",
        lambda w: f"/api/v1/plans/{w['plan'].slug}/status/",
        lambda w: {"status": PlanStatus.APPROVED},
    ),
    "plans-delete": ("delete", lambda w: f"/api/v1/plans/{w['plan'].slug}/", lambda w: None),
    "axes-create": (
        "post",
        lambda w: "/api/v1/axes/",
        lambda w: {"plan": w["plan"].slug, "code": "9", "title_en": "New axis"},
    ),
    "axes-update": ("patch", lambda w: f"/api/v1/axes/{w['axis'].pk}/", lambda w: {"weight": "2.00"}),
    "axes-delete": ("delete", lambda w: f"/api/v1/axes/{w['axis'].pk}/", lambda w: None),
    "challenges-create": (
        "post",
        lambda w: "/api/v1/challenges/",
        lambda w: {"axis": w["axis"].pk, "code": "C9", "title_en": "New challenge"},
    ),
    "challenges-update": (
        "patch",
        lambda w: f"/api/v1/challenges/{w['challenge'].pk}/",
        lambda w: {"title_en": "Renamed"},
    ),
    "challenges-delete": ("delete", lambda w: f"/api/v1/challenges/{w['challenge'].pk}/", lambda w: None),
    "objectives-create": (
        "post",
        lambda w: "/api/v1/objectives/",
        lambda w: {"axis": w["axis"].pk, "code": "O9", "title_en": "New objective"},
    ),
    "objectives-update": (
        "patch",
        lambda w: f"/api/v1/objectives/{w['objective'].pk}/",
        lambda w: {"title_en": "Renamed"},
    ),
    "objectives-delete": ("delete", lambda w: f"/api/v1/objectives/{w['objective'].pk}/", lambda w: None),
    "actions-create": (
        "post",
        lambda w: "/api/v1/actions/",
        lambda w: {"plan": w["plan"].slug, "objective": w["objective"].pk, "code": "1.1.9", "title_en": "New"},
    ),
    "actions-update": ("patch", lambda w: f"/api/v1/actions/{w['action'].pk}/", lambda w: {"progress": 80}),
    "actions-delete": ("delete", lambda w: f"/api/v1/actions/{w['action'].pk}/", lambda w: None),
    "milestones-create": (
        "post",
        lambda w: "/api/v1/milestones/",
        lambda w: {"action": w["action"].pk, "title_en": "Pilot live", "due_date": "2025-01-31"},
    ),
    "milestones-update": (
        "patch",
        lambda w: f"/api/v1/milestones/{w['milestone'].pk}/",
        lambda w: {"completed_on": "2025-02-01"},
    ),
    "milestones-delete": ("delete", lambda w: f"/api/v1/milestones/{w['milestone'].pk}/", lambda w: None),
    "organizations-update": (
        "patch",
        lambda w: f"/api/v1/organizations/{w['council'].slug}/",
        lambda w: {"website": "https://example.org"},
    ),
    "organizations-create": (
        "post",
        lambda w: "/api/v1/organizations/",
        lambda w: {"name_en": "New council", "kind": "public_body", "country": "ES"},
    ),
    "organizations-delete": ("delete", lambda w: f"/api/v1/organizations/{w['spare'].slug}/", lambda w: None),
    "networks-members": (
        "post",
        lambda w: f"/api/v1/networks/{w['network'].slug}/members/",
        lambda w: {"member": w["newcomer"].slug},
    ),
    "networks-members/(?P<member_slug>[-a-zA-Z0-9_]+)": (
        "delete",
        lambda w: f"/api/v1/networks/{w['network'].slug}/members/{w['council'].slug}/",
        lambda w: None,
    ),
    "departments-create": (
        "post",
        lambda w: "/api/v1/departments/",
        lambda w: {"organization": w["council"].slug, "name_en": "Digital office"},
    ),
    "departments-update": (
        "patch",
        lambda w: f"/api/v1/departments/{w['department'].pk}/",
        lambda w: {"name_en": "Renamed office"},
    ),
    "departments-delete": ("delete", lambda w: f"/api/v1/departments/{w['department'].pk}/", lambda w: None),
    "people-create": (
        "post",
        lambda w: "/api/v1/people/",
        lambda w: {"organization": w["council"].slug, "full_name": "New officer"},
    ),
    "people-update": ("patch", lambda w: f"/api/v1/people/{w['person'].pk}/", lambda w: {"full_name": "Renamed"}),
    "people-delete": ("delete", lambda w: f"/api/v1/people/{w['person'].pk}/", lambda w: None),
    "roles-create": (
        "post",
        lambda w: "/api/v1/roles/",
        lambda w: {"user": w["users"]["plain user"].username, "organization": w["council"].slug, "kind": "editor"},
    ),
    "roles-update": (
        "patch",
        lambda w: f"/api/v1/roles/{w['own_role'].pk}/",
        lambda w: {"user": w["users"]["plain user"].username},
    ),
    "roles-delete": ("delete", lambda w: f"/api/v1/roles/{w['own_role'].pk}/", lambda w: None),
    "action-partners-create": (
        "post",
        lambda w: "/api/v1/action-partners/",
        lambda w: {"action": w["action"].pk, "organization": w["second_partner"].slug, "role": "funder"},
    ),
    "action-partners-update": (
        "patch",
        lambda w: f"/api/v1/action-partners/{w['action_partner'].pk}/",
        lambda w: {"note": "Open data"},
    ),
    "action-partners-delete": (
        "delete",
        lambda w: f"/api/v1/action-partners/{w['action_partner'].pk}/",
        lambda w: None,
    ),
    "plans-progress-update": (
        "post",
        lambda w: f"/api/v1/plans/{w['plan'].slug}/progress-update/",
        lambda w: {"file": _progress_file()},
    ),
}

# Organisations, memberships of networks and roles are the site administrators' (organizations/permissions.py).
SITE_ADMIN_ONLY = {
    "organizations-create",
    "organizations-delete",
    "networks-members",
    "networks-members/(?P<member_slug>[-a-zA-Z0-9_]+)",
    "roles-create",
    "roles-update",
    "roles-delete",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", API_ROUTES)
def test_api_write_route_by_role(world, route, role):
    from rest_framework.test import APIClient

    method, url_of, data_of = API_ROUTES[route]
    client = APIClient()
    user = world["users"][role]
    if user is not None:
        client.force_authenticate(user)
    before = fingerprint()
    fmt = "multipart" if route == "plans-progress-update" else "json"
    response = getattr(client, method)(url_of(world), data_of(world), format=fmt)
    after = fingerprint()
    if role in ({"site admin"} if route in SITE_ADMIN_ONLY else ALLOWED):
        assert response.status_code in (200, 201, 204), (route, role, response.status_code, response.content[:800])
        assert after != before, f"{route} by {role} wrote nothing"
    else:
        assert after == before, f"{route} by {role} changed the database"
        assert response.status_code in (401, 403, 404), (route, role, response.status_code)
