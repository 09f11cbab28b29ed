"""The respondents' routes × the state of their token or link, and the rest of the diagnosis writes × role.

A respondent needs no account: an invitation's token or a public campaign's link is the only
thing that lets an answer in. Each case posts a complete, valid answer, so only the token or
the campaign's state can stop it; the response count shows whether it got in. The campaign
writes the route matrix (test_route_matrix.py) leaves out — closing and deleting a campaign,
its weighting margins, maturity assessments by API — run here by role over the same world.
"""

import pytest
from django.apps import apps
from django.urls import reverse

from municipia.core.tests.matrix import (
    api_client,
    assert_api_outcome,
    assert_page_outcome,
    fingerprint,
    module_world,
    signed_in,
)
from municipia.diagnosis import services
from municipia.diagnosis.choices import Access, CampaignStatus
from municipia.diagnosis.tests.factories import (
    CampaignFactory,
    InvitationFactory,
    MaturityAssessmentFactory,
    OptionFactory,
    QuestionFactory,
    QuestionnaireFactory,
    SectionFactory,
)
from municipia.organizations.tests.factories import DepartmentFactory, OrganizationFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "plain user", "other council's editor", "own editor", "site admin"]
EDITORS = {"own editor", "site admin"}

TRACKED = [
    "diagnosis.Campaign",
    "diagnosis.Invitation",
    "diagnosis.Response",
    "diagnosis.Answer",
    "diagnosis.MaturityAssessment",
    "diagnosis.MaturityRating",
]


def state() -> tuple:
    Campaign = apps.get_model("diagnosis.Campaign")
    # A campaign's status and weighting margins change its row, not the number of rows.
    campaigns = Campaign.objects.order_by("pk").values_list("status", "population_margins")
    return (*fingerprint(TRACKED), tuple((status, str(margins)) for status, margins in campaigns))


def _build() -> dict:
    services.maturity_dimensions_ensure()
    council = OrganizationFactory(slug="own-council")
    questionnaire = QuestionnaireFactory(owner=council)
    section = SectionFactory(questionnaire=questionnaire)
    question = QuestionFactory(
        section=section, questionnaire=questionnaire, code="sex", kind="single_choice", required=True, is_profile=True
    )
    OptionFactory(question=question, code="m", position=1)
    OptionFactory(question=question, code="f", position=2)

    def campaign(slug, access, status):
        return CampaignFactory(questionnaire=questionnaire, owner=council, slug=slug, access=access, status=status)

    invited = campaign("invited", Access.INVITATION, CampaignStatus.OPEN)
    closed_invited = campaign("closed-invited", Access.INVITATION, CampaignStatus.CLOSED)
    revoked = InvitationFactory(campaign=invited)
    services.invitation_revoke(acting_user=None, invitation=revoked)
    users = {
        "anonymous": None,
        "plain user": UserFactory(),
        "other council's editor": RoleFactory(organization=OrganizationFactory()).user,
        "own editor": RoleFactory(organization=council).user,
        "site admin": UserFactory(is_superuser=True, is_staff=True),
    }
    return {
        "council": council,
        "department": DepartmentFactory(organization=council),
        "invitation": InvitationFactory(campaign=invited),
        "revoked": revoked,
        "closed_invitation": InvitationFactory(campaign=closed_invited),
        "public": campaign("public", Access.PUBLIC_LINK, CampaignStatus.OPEN),
        "closed_public": campaign("closed-public", Access.PUBLIC_LINK, CampaignStatus.CLOSED),
        "draft_public": campaign("draft-public", Access.PUBLIC_LINK, CampaignStatus.DRAFT),
        "invited": invited,
        "assessment": MaturityAssessmentFactory(organization=council),
        "users": users,
    }


world = module_world(_build)

ANSWER = {"q-sex": "f", "action": "submit"}

# The respondents' routes: name → {case: (url(world), expected status)}; only "valid" lets an answer in.
INVITATION_ROUTES = {
    "answer-token": {
        "valid": (lambda w: reverse("diagnosis:answer-token", args=[w["invitation"].token]), 302),
        "unknown": (lambda w: reverse("diagnosis:answer-token", args=["not-a-token"]), 404),
        "revoked": (lambda w: reverse("diagnosis:answer-token", args=[w["revoked"].token]), 410),
        "closed campaign": (lambda w: reverse("diagnosis:answer-token", args=[w["closed_invitation"].token]), 410),
    },
    "answer-public": {
        "valid": (lambda w: reverse("diagnosis:answer-public", args=["public"]), 302),
        "closed campaign": (lambda w: reverse("diagnosis:answer-public", args=["closed-public"]), 410),
        "draft campaign": (lambda w: reverse("diagnosis:answer-public", args=["draft-public"]), 404),
        "invitation-only campaign": (lambda w: reverse("diagnosis:answer-public", args=["invited"]), 404),
    },
}
CASES = [(route, case) for route, cases in INVITATION_ROUTES.items() for case in cases]


@pytest.mark.parametrize(("route", "case"), CASES)
def test_respondent_answers_only_by_a_valid_token_or_open_link(client, world, route, case):
    url_of, expected = INVITATION_ROUTES[route][case]
    before = state()
    response = client.post(url_of(world), ANSWER)
    assert response.status_code == expected, (route, case, response.status_code, response.content.decode()[:1500])
    if case == "valid":
        assert "/thanks/" in response["Location"]
        assert state() != before
    else:
        assert state() == before, (route, case)


# The API's respondents: name → {case: (body(world), expected status)}.
INVITATION_API_ROUTES = {
    "responses-create": {
        "token valid": (lambda w: {"token": w["invitation"].token}, 201),
        "token unknown": (lambda w: {"token": "not-a-token"}, 404),
        "token revoked": (lambda w: {"token": w["revoked"].token}, 410),
        "token of a closed campaign": (lambda w: {"token": w["closed_invitation"].token}, 410),
        "public link open": (lambda w: {"campaign": "public"}, 201),
        "public link closed": (lambda w: {"campaign": "closed-public"}, 410),
    },
}


@pytest.mark.parametrize("case", INVITATION_API_ROUTES["responses-create"])
def test_api_response_only_by_a_valid_token_or_open_link(world, case):
    body_of, expected = INVITATION_API_ROUTES["responses-create"][case]
    before = state()
    response = api_client(None).post("/api/v1/responses/", {**body_of(world), "answers": {"sex": "f"}}, format="json")
    assert response.status_code == expected, (case, response.status_code, response.content[:800])
    assert (state() != before) == (expected == 201), case


# name → (who may, url(world), data(world))
PAGE_ROUTES = {
    "margins": (
        EDITORS,
        lambda w: reverse("diagnosis-results:margins", args=[w["public"].slug]),
        lambda w: {"m0_0": "48", "m0_1": "52"},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_page_write_route_by_role(client, world, route, role):
    allowed, url_of, data_of = PAGE_ROUTES[route]
    user = world["users"][role]
    signed_in(client, user)
    before = state()
    response = client.post(url_of(world), data_of(world))
    changed = state() != before
    assert_page_outcome(response, allowed=role in allowed, anonymous=user is None, changed=changed, case=(route, role))


API_ROUTES = {
    "campaigns-close": (EDITORS, "post", lambda w: "/api/v1/campaigns/public/close/", lambda w: {}),
    # Deleting a campaign (with whatever answers it holds) is the site administrators' alone.
    "campaigns-delete": ({"site admin"}, "delete", lambda w: "/api/v1/campaigns/draft-public/", lambda w: None),
    "maturity-assessments-create": (
        EDITORS,
        "post",
        lambda w: "/api/v1/maturity-assessments/",
        lambda w: {
            "organization": w["council"].slug,
            "department": w["department"].pk,
            "assessed_on": "2021-03-01",
            "ratings": [{"dimension": "data", "level": 3, "evidence": "Open data portal"}],
        },
    ),
    "maturity-assessments-delete": (
        EDITORS,
        "delete",
        lambda w: f"/api/v1/maturity-assessments/{w['assessment'].pk}/",
        lambda w: None,
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", API_ROUTES)
def test_api_write_route_by_role(world, route, role):
    allowed, method, url_of, data_of = API_ROUTES[route]
    before = state()
    response = getattr(api_client(world["users"][role]), method)(url_of(world), data_of(world), format="json")
    assert_api_outcome(response, allowed=role in allowed, changed=state() != before, case=(route, role))
