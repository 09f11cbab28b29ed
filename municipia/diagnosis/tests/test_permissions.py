"""The diagnosis rules as a role × state grid: councils, partners, published results, templates, plans."""

import pytest

from municipia.diagnosis.tests.factories import CampaignFactory, FindingFactory, QuestionnaireFactory
from municipia.organizations.tests.factories import OrganizationFactory, PartnerFactory, RoleFactory, UserFactory
from municipia.strategy.choices import PlanStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    council = OrganizationFactory()
    partner = PartnerFactory()
    study = CampaignFactory(
        questionnaire=QuestionnaireFactory(owner=partner), owner=partner, results_published_to=council
    )
    return {
        "council": council,
        "partner": partner,
        "study": study,
        "users": {
            "anonymous": None,
            "plain user": UserFactory(),
            "council editor": RoleFactory(organization=council).user,
            "partner editor": RoleFactory(organization=partner).user,
            "other editor": RoleFactory(organization=OrganizationFactory()).user,
            "site admin": UserFactory(is_superuser=True),
        },
    }


def _user(world, role):
    from django.contrib.auth.models import AnonymousUser

    return world["users"][role] or AnonymousUser()


@pytest.mark.parametrize(
    ("role", "manage", "results"),
    [
        ("anonymous", False, False),
        ("plain user", False, False),
        ("council editor", False, True),
        ("partner editor", True, True),
        ("other editor", False, False),
        ("site admin", True, True),
    ],
)
def test_partner_study_is_managed_by_the_partner_and_its_results_seen_by_the_council(world, role, manage, results):
    user, study = _user(world, role), world["study"]
    assert user.has_perm("diagnosis.change_campaign", study) is manage
    assert user.has_perm("diagnosis.manage_invitations", study) is manage
    assert user.has_perm("diagnosis.view_results", study) is results


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", False), ("plain user", True), ("council editor", True), ("site admin", True)],
)
def test_shipped_templates_are_read_by_all_copied_by_users_and_changed_only_by_admins(world, role, expected):
    template = QuestionnaireFactory(owner=None, is_template=True)
    user = _user(world, role)
    assert user.has_perm("diagnosis.view_questionnaire", template)
    assert user.has_perm("diagnosis.copy_questionnaire", template) is expected
    assert user.has_perm("diagnosis.change_questionnaire", template) is (role == "site admin")


@pytest.mark.parametrize("state", [PlanStatus.DIAGNOSIS, PlanStatus.APPROVED, PlanStatus.CLOSED])
@pytest.mark.parametrize("role", ["council editor", "other editor", "plain user", "site admin"])
def test_findings_follow_their_plan(world, role, state):
    finding = FindingFactory(plan__owner=world["council"], plan__status=state)
    user = _user(world, role)
    editable = role == "site admin" or (role == "council editor" and state != PlanStatus.CLOSED)
    assert user.has_perm("diagnosis.change_finding", finding) is editable
    assert user.has_perm("diagnosis.convert_finding", finding) is editable
    assert user.has_perm("diagnosis.add_finding", finding.plan) is editable


@pytest.mark.parametrize(
    ("role", "expected"), [("council editor", True), ("partner editor", False), ("plain user", False)]
)
def test_campaigns_and_maturity_are_created_for_organisations_one_edits(world, role, expected):
    user = _user(world, role)
    assert user.has_perm("diagnosis.add_campaign", world["council"]) is expected
    assert user.has_perm("diagnosis.add_maturityassessment", world["council"]) is expected
    assert user.has_perm("diagnosis.add_questionnaire", world["council"]) is expected
