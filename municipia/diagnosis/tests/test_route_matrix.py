"""Every write route of the diagnosis pages and API × every role: no one writes where they don't belong.

Each request carries valid data, so only the permission system can stop it; a database
fingerprint (row and history counts) shows whether anything was written.
"""

import datetime

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.core.tests.matrix import fresh, module_world
from municipia.diagnosis import services
from municipia.diagnosis.choices import Access, CampaignStatus
from municipia.diagnosis.tests.factories import (
    CampaignFactory,
    FindingFactory,
    InvitationFactory,
    OptionFactory,
    QuestionFactory,
    QuestionnaireFactory,
    SectionFactory,
)
from municipia.organizations.tests.factories import DepartmentFactory, OrganizationFactory, RoleFactory, UserFactory
from municipia.strategy.choices import PlanStatus
from municipia.strategy.tests.factories import AxisFactory, PlanFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "plain user", "other council's editor", "own editor", "site admin"]
ALLOWED = {"own editor", "site admin"}

TRACKED = [
    "diagnosis.Questionnaire",
    "diagnosis.Section",
    "diagnosis.Question",
    "diagnosis.Option",
    "diagnosis.Campaign",
    "diagnosis.Invitation",
    "diagnosis.MaturityAssessment",
    "diagnosis.MaturityRating",
    "diagnosis.Finding",
    "strategy.Challenge",
]


def fingerprint() -> tuple:
    counts = []
    for label in TRACKED:
        model = apps.get_model(label)
        counts.append(model.objects.count())
        if hasattr(model, "history"):
            counts.append(model.history.count())
    # Invitation state (revoked) and campaign status change rows without adding any.
    Invitation = apps.get_model("diagnosis.Invitation")
    counts.append(Invitation.objects.filter(revoked_at__isnull=False).count())
    return tuple(counts)


def _build():
    services.maturity_dimensions_ensure()
    council = OrganizationFactory(slug="own-council")
    department = DepartmentFactory(organization=council)
    plan = PlanFactory(owner=council, status=PlanStatus.DIAGNOSIS, slug="own-plan")
    axis = AxisFactory(plan=plan, code="1")
    questionnaire = QuestionnaireFactory(owner=council)
    section = SectionFactory(questionnaire=questionnaire)
    question = QuestionFactory(section=section, questionnaire=questionnaire, code="q1", kind="single_choice")
    option = OptionFactory(question=question, code="yes")
    campaign = CampaignFactory(
        questionnaire=questionnaire,
        owner=council,
        slug="own-campaign",
        access=Access.INVITATION,
        status=CampaignStatus.DRAFT,
    )
    invitation = InvitationFactory(campaign=campaign)
    finding = FindingFactory(plan=plan)
    users = {
        "anonymous": None,
        "plain user": UserFactory(),
        "other council's editor": RoleFactory(organization=OrganizationFactory()).user,
        "own editor": RoleFactory(organization=council).user,
        "site admin": UserFactory(is_superuser=True, is_staff=True),
    }
    return {
        "council": council,
        "department": department,
        "plan": plan,
        "axis": axis,
        "questionnaire": questionnaire,
        "section": section,
        "question": question,
        "option": option,
        "campaign": campaign,
        "invitation": invitation,
        "finding": finding,
        "users": users,
    }


# One set of rows for the module, rolled back at its end; each case runs in a savepoint of it.
rows = module_world(_build)


@pytest.fixture
def world(rows):
    """The module's rows, with the campaign (which cases read back) and the users loaded afresh, so
    that no case sees what an earlier one left on them (a status, per-request caches)."""
    users = {role: fresh(user) for role, user in rows["users"].items()}
    return {**rows, "campaign": fresh(rows["campaign"]), "users": users}


def _r(name, *args):
    return reverse(f"diagnosis:{name}", args=args)


def _texts(field: str, value: str) -> dict:
    return {f"{field}_en": value, f"{field}_es": "", f"{field}_ca": "", f"{field}_bg": ""}


CAMPAIGN_DATA = {**_texts("title", "Survey"), "audience": "citizens", "access": "invitation", "language": "en"}

PAGE_ROUTES = {
    "questionnaire-create": (
        lambda w: _r("questionnaire-create") + f"?owner={w['council'].slug}",
        lambda w: {**_texts("title", "New questionnaire"), "kind": "custom"},
    ),
    "questionnaire-update": (
        lambda w: _r("questionnaire-update", w["questionnaire"].pk),
        lambda w: {**_texts("title", "Renamed"), "kind": "custom"},
    ),
    "questionnaire-copy": (
        lambda w: _r("questionnaire-copy", w["questionnaire"].pk),
        lambda w: {"owner": w["council"].pk},
    ),
    "section-create": (
        lambda w: _r("section-create", w["questionnaire"].pk),
        lambda w: {**_texts("title", "Page 2"), "position": "2"},
    ),
    "section-update": (
        lambda w: _r("section-update", w["section"].pk),
        lambda w: {**_texts("title", "Renamed page"), "position": "1"},
    ),
    "section-delete": (lambda w: _r("section-delete", w["section"].pk), lambda w: {}),
    "question-create": (
        lambda w: _r("question-create", w["section"].pk),
        lambda w: {
            **_texts("text", "How old are you?"),
            "section": w["section"].pk,
            "position": "2",
            "code": "age",
            "kind": "number",
            "scale_min": "1",
            "scale_max": "5",
            "max_length": "2000",
        },
    ),
    "question-update": (
        lambda w: _r("question-update", w["question"].pk),
        lambda w: {
            **_texts("text", "Renamed?"),
            "section": w["section"].pk,
            "position": "1",
            "code": "q1",
            "kind": "single_choice",
            "required": "on",
            "scale_min": "1",
            "scale_max": "5",
            "max_length": "2000",
        },
    ),
    "question-delete": (lambda w: _r("question-delete", w["question"].pk), lambda w: {}),
    "option-create": (
        lambda w: _r("option-create", w["question"].pk),
        lambda w: {**_texts("label", "No"), "code": "no", "position": "2"},
    ),
    "option-update": (
        lambda w: _r("option-update", w["option"].pk),
        lambda w: {**_texts("label", "Yes!"), "code": "yes", "position": "1"},
    ),
    "option-delete": (lambda w: _r("option-delete", w["option"].pk), lambda w: {}),
    "campaign-create": (
        lambda w: _r("campaign-create"),
        lambda w: {**CAMPAIGN_DATA, "owner": w["council"].pk, "questionnaire": w["questionnaire"].pk},
    ),
    "campaign-update": (
        lambda w: _r("campaign-update", w["campaign"].slug),
        lambda w: {**CAMPAIGN_DATA, "slug": "own-campaign", "is_anonymous": "on"},
    ),
    "campaign-open": (lambda w: _r("campaign-open", w["campaign"].slug), lambda w: {}),
    "campaign-close": (lambda w: _r("campaign-close", w["campaign"].slug), lambda w: {}),
    "campaign-new-wave": (lambda w: _r("campaign-new-wave", w["campaign"].slug), lambda w: {}),
    "invitation-upload": (
        lambda w: _r("invitation-upload", w["campaign"].slug),
        lambda w: {"file": SimpleUploadedFile("people.csv", b"email\nnew@example.org\n", "text/csv")},
    ),
    "invitation-revoke": (lambda w: _r("invitation-revoke", w["invitation"].pk), lambda w: {}),
    "maturity-create": (
        lambda w: _r("maturity-create", w["council"].slug),
        lambda w: {"department": w["department"].pk, "assessed_on": "2021-03-01", "level_data": "3"},
    ),
    "finding-create": (
        lambda w: _r("finding-create", w["plan"].slug),
        lambda w: {**_texts("title", "Few online procedures"), **_texts("text", ""), "kind": "W", "position": "1"},
    ),
    "finding-update": (
        lambda w: _r("finding-update", w["finding"].pk),
        lambda w: {**_texts("title", "Renamed finding"), **_texts("text", ""), "kind": "S", "position": "1"},
    ),
    "finding-delete": (lambda w: _r("finding-delete", w["finding"].pk), lambda w: {}),
    "finding-challenge": (
        lambda w: _r("finding-challenge", w["finding"].pk),
        lambda w: {"axis": w["axis"].pk, "code": ""},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_page_write_route_by_role(client, world, route, role):
    url_of, data_of = PAGE_ROUTES[route]
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    before = fingerprint()
    response = client.post(url_of(world), data_of(world))
    after = fingerprint()
    if role in ALLOWED:
        assert response.status_code == 302, (route, role, response.status_code, response.content.decode()[:3000])
        assert after != before or route in ("campaign-open", "campaign-close"), f"{route} by {role} wrote nothing"
        if route == "campaign-open":
            world["campaign"].refresh_from_db()
            assert world["campaign"].status == CampaignStatus.OPEN
    else:
        assert after == before, f"{route} by {role} changed the database"
        if user is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            # 400: the form offers only the user's own organisations, so another's is invalid.
            assert response.status_code in (400, 403, 404), (route, role, response.status_code)


def test_matrix_covers_every_write_route_of_the_diagnosis_pages():
    from municipia.diagnosis import urls

    names = {
        p.name
        for p in urls.urlpatterns
        if p.name
        and p.name.endswith(
            (
                "-create",
                "-update",
                "-delete",
                "-copy",
                "-open",
                "-close",
                "-new-wave",
                "-upload",
                "-revoke",
                "-challenge",
            )
        )
    }
    assert names == set(PAGE_ROUTES)


API_ROUTES = {
    "campaigns-create": (
        "post",
        lambda w: "/api/v1/campaigns/",
        lambda w: {"owner": w["council"].slug, "questionnaire": w["questionnaire"].pk, "title_en": "API survey"},
    ),
    "campaigns-update": ("patch", lambda w: "/api/v1/campaigns/own-campaign/", lambda w: {"title_en": "Renamed"}),
    "campaigns-open": ("post", lambda w: "/api/v1/campaigns/own-campaign/open/", lambda w: {}),
    "campaigns-new-wave": ("post", lambda w: "/api/v1/campaigns/own-campaign/new-wave/", lambda w: {}),
    "maturity-create": (
        "post",
        lambda w: "/api/v1/maturity-assessments/",
        lambda w: {
            "organization": w["council"].slug,
            "department": w["department"].pk,
            "assessed_on": "2021-03-01",
            "ratings": [{"dimension": "data", "level": 3, "evidence": "Open data portal"}],
        },
    ),
    "findings-create": (
        "post",
        lambda w: "/api/v1/findings/",
        lambda w: {"plan": w["plan"].slug, "kind": "O", "title_en": "EU funds"},
    ),
    "findings-update": ("patch", lambda w: f"/api/v1/findings/{w['finding'].pk}/", lambda w: {"title_en": "Renamed"}),
    "findings-delete": ("delete", lambda w: f"/api/v1/findings/{w['finding'].pk}/", lambda w: None),
    "findings-to-challenge": (
        "post",
        lambda w: f"/api/v1/findings/{w['finding'].pk}/to-challenge/",
        lambda w: {"axis": w["axis"].pk},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", API_ROUTES)
def test_api_write_route_by_role(world, route, role):
    method, url_of, data_of = API_ROUTES[route]
    api = APIClient()
    user = world["users"][role]
    if user is not None:
        api.force_authenticate(user)
    before = fingerprint()
    status_before = world["campaign"].status
    response = getattr(api, method)(url_of(world), data_of(world), format="json")
    after = fingerprint()
    world["campaign"].refresh_from_db()
    if role in ALLOWED:
        assert response.status_code in (200, 201, 204), (route, role, response.status_code, response.content[:800])
        assert after != before or world["campaign"].status != status_before
    else:
        assert after == before and world["campaign"].status == status_before, f"{route} by {role} wrote"
        assert response.status_code in (400, 401, 403, 404), (route, role, response.status_code)


def test_maturity_assessment_of_a_department_lists_its_levels(world, client):
    client.force_login(world["users"]["own editor"])
    client.post(*[f(world) for f in PAGE_ROUTES["maturity-create"]])
    page = client.get(_r("maturity-overview", world["council"].slug))
    assert page.status_code == 200
    assert world["department"].name in page.content.decode()
    assert datetime.date(2021, 3, 1).strftime("%Y") in page.content.decode() or "3/1/2021" in page.content.decode()
