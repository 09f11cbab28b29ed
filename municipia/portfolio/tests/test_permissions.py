"""Every write route of the portfolio (pages and API) × every role: no one writes where they don't belong.

Each request carries valid data, so only the permission system can stop it; a database
fingerprint (row and history counts) shows whether anything was written.
"""

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.core.tests.matrix import module_world
from municipia.governance.tests.factories import BodyFactory, BodyMemberFactory
from municipia.organizations.choices import RoleKind
from municipia.organizations.tests.factories import (
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    PersonFactory,
    RoleFactory,
    UserFactory,
)
from municipia.portfolio.choices import ProposalStatus
from municipia.portfolio.tests.factories import (
    BudgetLineFactory,
    CriteriaSetFactory,
    CriterionFactory,
    EvaluatorAssignmentFactory,
    ExecutionEntryFactory,
    FundingSourceFactory,
    ProposalFactory,
    ScenarioFactory,
    ScoreFactory,
    SourceAllocationFactory,
)
from municipia.strategy.tests.factories import ActionFactory, AxisFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "plain user",
    "other council's editor",
    "member council's editor",
    "coordination group member",
    "evaluator",
    "coordinator",
    "site admin",
]
WRITERS = {"coordinator", "site admin"}
PROPOSERS = {"member council's editor", *WRITERS}
# A member of the axis's coordination group with no role in any council proposes for that axis.
CREATORS = {"coordination group member", *PROPOSERS}
SCORERS = {"evaluator", "site admin"}

TRACKED = [
    "portfolio.Proposal",
    "portfolio.CriteriaSet",
    "portfolio.Criterion",
    "portfolio.EvaluatorAssignment",
    "portfolio.Score",
    "portfolio.FundingSource",
    "portfolio.SourceAllocation",
    "portfolio.BudgetLine",
    "portfolio.ExecutionEntry",
    "portfolio.Scenario",
    "strategy.Action",
]


def fingerprint() -> tuple:
    counts = []
    for label in TRACKED:
        model = apps.get_model(label)
        counts.append(model.objects.count())
        counts.append(model.history.count())
    return tuple(counts)


def _build():
    network = NetworkFactory()
    member = OrganizationFactory()
    NetworkMembershipFactory(network=network, member=member)
    plan = PlanFactory(owner=network, is_published=True)
    axis = AxisFactory(plan=plan)
    ObjectiveFactory(axis=axis)
    users = {
        "anonymous": None,
        "plain user": UserFactory(),
        "other council's editor": RoleFactory(organization=OrganizationFactory()).user,
        "member council's editor": RoleFactory(organization=member).user,
        "coordination group member": UserFactory(),
        "evaluator": UserFactory(),
        "coordinator": RoleFactory(organization=network, kind=RoleKind.COORDINATOR).user,
        "site admin": UserFactory(is_superuser=True, is_staff=True),
    }
    group = BodyFactory(plan=plan, axis=axis)
    BodyMemberFactory(body=group, person=PersonFactory(user=users["coordination group member"]))
    draft = ProposalFactory(
        axis=axis, proposing_council=member, status=ProposalStatus.DRAFT, proposed_by=users["member council's editor"]
    )
    evaluated = ProposalFactory(axis=axis, proposing_council=member, status=ProposalStatus.UNDER_EVALUATION)
    criteria_set = CriteriaSetFactory(plan=plan)
    criterion = CriterionFactory(criteria_set=criteria_set, code="impact")
    CriterionFactory(criteria_set=criteria_set, code="cost")
    assignment = EvaluatorAssignmentFactory(proposal=evaluated, evaluator=users["evaluator"])
    score = ScoreFactory(assignment=assignment, criterion=criterion)
    source = FundingSourceFactory(plan=plan)
    allocation = SourceAllocationFactory(source=source, year=2025)
    action = ActionFactory(objective=axis.objectives.first(), plan=plan)
    line = BudgetLineFactory(action=action, plan=plan, source=source)
    submitted = ProposalFactory(axis=axis, proposing_council=member, status=ProposalStatus.SUBMITTED)
    bare_plan = PlanFactory(owner=network, is_published=True)  # no criteria set yet
    return {
        "bare_plan": bare_plan,
        "submitted": submitted,
        "spare_line": BudgetLineFactory(action=action, plan=plan, source=source, year=2026),
        "optimal": ScenarioFactory(plan=plan, result={"status": "optimal", "selected": [f"p{submitted.pk}"]}),
        "plan": plan,
        "axis": axis,
        "member": member,
        "draft": draft,
        "evaluated": evaluated,
        "criteria_set": criteria_set,
        "criterion": criterion,
        "assignment": assignment,
        "score": score,
        "source": source,
        "spare_source": FundingSourceFactory(plan=plan),
        "allocation": allocation,
        "line": line,
        "entry": ExecutionEntryFactory(budget_line=line),
        "scenario": ScenarioFactory(plan=plan),
        "users": users,
    }


# One world for the module, rolled back at its end; each case runs in a savepoint of it.
world = module_world(_build)


def _texts(text: str) -> dict:
    return {"title_en": text}


def url(name, *args):
    return reverse(f"portfolio:{name}", args=args)


# name → (who may, url(world), data(world))
PAGE_ROUTES = {
    "proposal-create": (
        CREATORS,
        lambda w: url("proposal-create", w["plan"].slug),
        lambda w: {**_texts("New idea"), "axis": w["axis"].pk, "proposing_council": w["member"].pk},
    ),
    "proposal-update": (
        PROPOSERS,
        lambda w: url("proposal-update", w["draft"].pk),
        lambda w: {**_texts("Renamed"), "axis": w["axis"].pk, "proposing_council": w["member"].pk},
    ),
    "proposal-delete": (PROPOSERS, lambda w: url("proposal-delete", w["draft"].pk), lambda w: {}),
    "proposal-decide@submit": (PROPOSERS, lambda w: url("proposal-decide", w["draft"].pk, "submit"), lambda w: {}),
    "proposal-decide@accept": (WRITERS, lambda w: url("proposal-decide", w["evaluated"].pk, "accept"), lambda w: {}),
    "proposal-decide@reject": (
        WRITERS,
        lambda w: url("proposal-decide", w["evaluated"].pk, "reject"),
        lambda w: {"reason": "Out of scope"},
    ),
    "proposal-decide@merge": (
        WRITERS,
        lambda w: url("proposal-decide", w["evaluated"].pk, "merge"),
        lambda w: {"into": w["draft"].pk},
    ),
    "criteriaset-update": (
        WRITERS,
        lambda w: url("criteriaset-update", w["criteria_set"].pk),
        lambda w: {**_texts("Criteria 2"), "weighting": "direct", "scale_min": 0, "scale_max": 5},
    ),
    "criteriaset-delete": (WRITERS, lambda w: url("criteriaset-delete", w["criteria_set"].pk), lambda w: {}),
    "evaluation@compare": (
        WRITERS,
        lambda w: url("evaluation", w["plan"].slug),
        lambda w: {"cost|impact": str(0.2)},
    ),
    "criterion-create": (
        WRITERS,
        lambda w: url("criterion-create", w["criteria_set"].pk),
        lambda w: {**_texts("Urgency"), "code": "urgency", "weight": "1", "position": 3},
    ),
    "criterion-update": (
        WRITERS,
        lambda w: url("criterion-update", w["criterion"].pk),
        lambda w: {**_texts("Impact"), "code": "impact", "weight": "2", "position": 1},
    ),
    "criterion-delete": (WRITERS, lambda w: url("criterion-delete", w["criterion"].pk), lambda w: {}),
    "evaluatorassignment-create": (
        WRITERS,
        lambda w: url("evaluatorassignment-create", w["evaluated"].pk),
        lambda w: {"evaluator": w["users"]["plain user"].pk},
    ),
    "evaluatorassignment-update": (
        WRITERS,
        lambda w: url("evaluatorassignment-update", w["assignment"].pk),
        lambda w: {"evaluator": w["users"]["evaluator"].pk, "conflict_allowed": "on"},
    ),
    "evaluatorassignment-delete": (
        WRITERS,
        lambda w: url("evaluatorassignment-delete", w["assignment"].pk),
        lambda w: {},
    ),
    "score-create": (
        SCORERS,
        lambda w: url("score-create", w["assignment"].pk),
        lambda w: {"criterion": w["criteria_set"].criteria.get(code="cost").pk, "value": "6", "rationale": "Cheap"},
    ),
    "score-update": (
        SCORERS,
        lambda w: url("score-update", w["score"].pk),
        lambda w: {"criterion": w["criterion"].pk, "value": "9"},
    ),
    "score-delete": (SCORERS, lambda w: url("score-delete", w["score"].pk), lambda w: {}),
    "fundingsource-create": (
        WRITERS,
        lambda w: url("fundingsource-create", w["plan"].slug),
        lambda w: {
            **_texts("Regional grant"),
            "code": "REG",
            "kind": "regional",
            "cofinancing_rate": "50",
            "eligible_from": 2024,
            "eligible_to": 2026,
            "rounding": "half_up",
        },
    ),
    "fundingsource-update": (
        WRITERS,
        lambda w: url("fundingsource-update", w["source"].pk),
        lambda w: {
            **_texts("ERDF"),
            "code": w["source"].code,
            "kind": "erdf",
            "cofinancing_rate": "85",
            "eligible_from": 2024,
            "eligible_to": 2027,
            "rounding": "half_up",
        },
    ),
    "fundingsource-delete": (WRITERS, lambda w: url("fundingsource-delete", w["spare_source"].pk), lambda w: {}),
    "sourceallocation-create": (
        WRITERS,
        lambda w: url("sourceallocation-create", w["source"].pk),
        lambda w: {"year": 2026, "amount": "5000"},
    ),
    "sourceallocation-update": (
        WRITERS,
        lambda w: url("sourceallocation-update", w["allocation"].pk),
        lambda w: {"year": 2025, "amount": "7000"},
    ),
    "sourceallocation-delete": (
        WRITERS,
        lambda w: url("sourceallocation-delete", w["allocation"].pk),
        lambda w: {},
    ),
    "budgetline-create": (
        PROPOSERS,
        lambda w: url("budgetline-create", w["plan"].slug),
        lambda w: {
            "proposal": w["draft"].pk,
            "year": 2025,
            "source": w["source"].pk,
            "cost_category": "services",
            "amount": "1200",
        },
    ),
    "budgetline-update": (
        WRITERS,
        lambda w: url("budgetline-update", w["line"].pk),
        lambda w: {
            "action": w["line"].action_id,
            "year": 2025,
            "source": w["source"].pk,
            "cost_category": "services",
            "amount": "1500",
        },
    ),
    "budgetline-delete": (WRITERS, lambda w: url("budgetline-delete", w["line"].pk), lambda w: {}),
    "executionentry-create": (
        WRITERS,
        lambda w: url("executionentry-create", w["line"].pk),
        lambda w: {"kind": "payment", "date": "2024-06-01", "amount": "100"},
    ),
    "executionentry-update": (
        WRITERS,
        lambda w: url("executionentry-update", w["entry"].pk),
        lambda w: {"kind": "payment", "date": "2024-06-02", "amount": "110"},
    ),
    "executionentry-delete": (WRITERS, lambda w: url("executionentry-delete", w["entry"].pk), lambda w: {}),
    "scenario-create": (
        WRITERS,
        lambda w: url("scenario-create", w["plan"].slug),
        lambda w: {"title": "Baseline"},
    ),
    "scenario-update": (
        WRITERS,
        lambda w: url("scenario-update", w["scenario"].pk),
        lambda w: {"title": "Renamed", "council_floor": "1"},
    ),
    "scenario-delete": (WRITERS, lambda w: url("scenario-delete", w["scenario"].pk), lambda w: {}),
    "proposal-decide@start-evaluation": (
        WRITERS,
        lambda w: url("proposal-decide", w["submitted"].pk, "start-evaluation"),
        lambda w: {},
    ),
    "criteriaset-create": (
        WRITERS,
        lambda w: url("criteriaset-create", w["bare_plan"].slug),
        lambda w: {**_texts("Criteria"), "weighting": "direct", "scale_min": 0, "scale_max": 10},
    ),
    "execution-import": (
        WRITERS,
        lambda w: url("execution-import", w["plan"].slug),
        lambda w: {
            "file": SimpleUploadedFile(
                "export.csv",
                f"action,year,source,kind,date,amount\n{w['line'].action.code},2024,{w['source'].code},payment,"
                "2024-06-01,10\n".encode(),
                "text/csv",
            ),
            "import": "1",
        },
    ),
    "scenario-apply": (WRITERS, lambda w: url("scenario-apply", w["optimal"].pk), lambda w: {}),
}


def _client(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    return user


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_page_write_route_by_role(client, world, route, role):
    allowed, url_of, data_of = PAGE_ROUTES[route]
    user = _client(client, world, role)
    before = fingerprint()
    response = client.post(url_of(world), data_of(world))
    after = fingerprint()
    if role in allowed:
        assert response.status_code == 302, (route, role, response.status_code, response.content.decode()[:3000])
        assert after != before, f"{route} by {role} wrote nothing"
    else:
        assert after == before, f"{route} by {role} changed the database"
        if user is None:
            # Visitors are asked to sign in, or told "not found" for what they may not even see.
            assert response.status_code == 404 or "/accounts/login/" in response["Location"]
        elif response.status_code == 302:
            # A decision page refuses with a message and sends the reader back, writing nothing.
            assert response["Location"].startswith(("/en/portfolio/proposals/", "/accounts/login/"))
        elif response.status_code == 400:
            # A proposer may open the budget-line form of the plan, but not cost another's proposal.
            assert route == "budgetline-create" and "costs" in response.content.decode(), (route, role)
        else:
            assert response.status_code in (403, 404), (route, role, response.status_code)


def test_matrix_covers_every_write_route():
    """A new editing page must be added to the matrix above."""
    from municipia.portfolio import urls

    names = {p.name for p in urls.urlpatterns if p.name.endswith(("-create", "-update", "-delete"))}
    covered = {name for name in PAGE_ROUTES if name.endswith(("-create", "-update", "-delete"))}
    assert names - covered == set()


API_ROUTES = {
    "proposals-create": (
        CREATORS,
        "post",
        lambda w: "/api/v1/proposals/",
        lambda w: {
            "plan": w["plan"].slug,
            "axis": w["axis"].pk,
            "proposing_council": w["member"].pk,
            "title_en": "API",
        },
    ),
    "proposals-update": (
        PROPOSERS,
        "patch",
        lambda w: f"/api/v1/proposals/{w['draft'].pk}/",
        lambda w: {"title_en": "R"},
    ),
    "proposals-submit": (PROPOSERS, "post", lambda w: f"/api/v1/proposals/{w['draft'].pk}/submit/", lambda w: {}),
    "proposals-accept": (WRITERS, "post", lambda w: f"/api/v1/proposals/{w['evaluated'].pk}/accept/", lambda w: {}),
    "proposals-reject": (
        WRITERS,
        "post",
        lambda w: f"/api/v1/proposals/{w['evaluated'].pk}/reject/",
        lambda w: {"reason": "No"},
    ),
    "criteria-sets-compare": (
        WRITERS,
        "post",
        lambda w: f"/api/v1/criteria-sets/{w['criteria_set'].pk}/compare/",
        lambda w: {"comparisons": {"impact|cost": 3}},
    ),
    "scores-create": (
        SCORERS,
        "post",
        lambda w: "/api/v1/scores/",
        lambda w: {
            "assignment": w["assignment"].pk,
            "criterion": w["criteria_set"].criteria.get(code="cost").pk,
            "value": "5",
        },
    ),
    "funding-sources-update": (
        WRITERS,
        "patch",
        lambda w: f"/api/v1/funding-sources/{w['source'].pk}/",
        lambda w: {"cofinancing_rate": "85.00"},
    ),
    "budget-lines-create": (
        PROPOSERS,
        "post",
        lambda w: "/api/v1/budget-lines/",
        lambda w: {
            "plan": w["plan"].slug,
            "proposal": w["draft"].pk,
            "year": 2025,
            "source": w["source"].pk,
            "cost_category": "services",
            "amount": "100.00",
        },
    ),
    "execution-entries-create": (
        WRITERS,
        "post",
        lambda w: "/api/v1/execution-entries/",
        lambda w: {"budget_line": w["line"].pk, "kind": "payment", "date": "2024-06-01", "amount": "5.00"},
    ),
    "scenarios-create": (
        WRITERS,
        "post",
        lambda w: "/api/v1/scenarios/",
        lambda w: {"plan": w["plan"].slug, "title": "API scenario", "parameters": {}},
    ),
    "scenarios-delete": (WRITERS, "delete", lambda w: f"/api/v1/scenarios/{w['scenario'].pk}/", lambda w: None),
    "scenarios-update": (
        WRITERS,
        "patch",
        lambda w: f"/api/v1/scenarios/{w['scenario'].pk}/",
        lambda w: {"title": "Renamed"},
    ),
    "scenarios-apply": (WRITERS, "post", lambda w: f"/api/v1/scenarios/{w['optimal'].pk}/apply/", lambda w: {}),
    "proposals-delete": (PROPOSERS, "delete", lambda w: f"/api/v1/proposals/{w['draft'].pk}/", lambda w: None),
    "proposals-merge": (
        WRITERS,
        "post",
        lambda w: f"/api/v1/proposals/{w['evaluated'].pk}/merge/",
        lambda w: {"into": w["submitted"].pk},
    ),
    "proposals-start-evaluation": (
        WRITERS,
        "post",
        lambda w: f"/api/v1/proposals/{w['submitted'].pk}/start-evaluation/",
        lambda w: {},
    ),
    "criteria-sets-create": (
        WRITERS,
        "post",
        lambda w: "/api/v1/criteria-sets/",
        lambda w: {"plan": w["bare_plan"].slug, "title_en": "Criteria", "scale_min": 0, "scale_max": 10},
    ),
    "criteria-sets-update": (
        WRITERS,
        "patch",
        lambda w: f"/api/v1/criteria-sets/{w['criteria_set'].pk}/",
        lambda w: {"title_en": "Renamed"},
    ),
    "criteria-sets-delete": (
        WRITERS,
        "delete",
        lambda w: f"/api/v1/criteria-sets/{w['criteria_set'].pk}/",
        lambda w: None,
    ),
    "criteria-create": (
        WRITERS,
        "post",
        lambda w: "/api/v1/criteria/",
        lambda w: {"criteria_set": w["criteria_set"].pk, "code": "urgency", "title_en": "Urgency", "weight": "1"},
    ),
    "criteria-update": (
        WRITERS,
        "patch",
        lambda w: f"/api/v1/criteria/{w['criterion'].pk}/",
        lambda w: {"weight": "2"},
    ),
    "criteria-delete": (WRITERS, "delete", lambda w: f"/api/v1/criteria/{w['criterion'].pk}/", lambda w: None),
    "evaluator-assignments-create": (
        WRITERS,
        "post",
        lambda w: "/api/v1/evaluator-assignments/",
        lambda w: {"proposal": w["evaluated"].pk, "evaluator": w["users"]["plain user"].pk},
    ),
    "evaluator-assignments-update": (
        WRITERS,
        "patch",
        lambda w: f"/api/v1/evaluator-assignments/{w['assignment'].pk}/",
        lambda w: {"conflict_allowed": True},
    ),
    "evaluator-assignments-delete": (
        WRITERS,
        "delete",
        lambda w: f"/api/v1/evaluator-assignments/{w['assignment'].pk}/",
        lambda w: None,
    ),
    "scores-update": (SCORERS, "patch", lambda w: f"/api/v1/scores/{w['score'].pk}/", lambda w: {"value": "9"}),
    "scores-delete": (SCORERS, "delete", lambda w: f"/api/v1/scores/{w['score'].pk}/", lambda w: None),
    "funding-sources-create": (
        WRITERS,
        "post",
        lambda w: "/api/v1/funding-sources/",
        lambda w: {
            "plan": w["plan"].slug,
            "title_en": "Regional grant",
            "code": "REG",
            "kind": "regional",
            "cofinancing_rate": "50",
            "eligible_from": 2024,
            "eligible_to": 2026,
        },
    ),
    "funding-sources-delete": (
        WRITERS,
        "delete",
        lambda w: f"/api/v1/funding-sources/{w['spare_source'].pk}/",
        lambda w: None,
    ),
    "allocations-create": (
        WRITERS,
        "post",
        lambda w: "/api/v1/allocations/",
        lambda w: {"source": w["source"].pk, "year": 2026, "amount": "5000.00"},
    ),
    "allocations-update": (
        WRITERS,
        "patch",
        lambda w: f"/api/v1/allocations/{w['allocation'].pk}/",
        lambda w: {"amount": "7000.00"},
    ),
    "allocations-delete": (
        WRITERS,
        "delete",
        lambda w: f"/api/v1/allocations/{w['allocation'].pk}/",
        lambda w: None,
    ),
    "budget-lines-update": (
        WRITERS,
        "patch",
        lambda w: f"/api/v1/budget-lines/{w['line'].pk}/",
        lambda w: {"amount": "1500.00"},
    ),
    "budget-lines-delete": (
        WRITERS,
        "delete",
        lambda w: f"/api/v1/budget-lines/{w['spare_line'].pk}/",
        lambda w: None,
    ),
    "execution-entries-update": (
        WRITERS,
        "patch",
        lambda w: f"/api/v1/execution-entries/{w['entry'].pk}/",
        lambda w: {"amount": "110.00"},
    ),
    "execution-entries-delete": (
        WRITERS,
        "delete",
        lambda w: f"/api/v1/execution-entries/{w['entry'].pk}/",
        lambda w: None,
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", API_ROUTES)
def test_api_write_route_by_role(world, route, role):
    allowed, method, url_of, data_of = API_ROUTES[route]
    client = APIClient()
    user = world["users"][role]
    if user is not None:
        client.force_authenticate(user)
    before = fingerprint()
    response = getattr(client, method)(url_of(world), data_of(world), format="json")
    after = fingerprint()
    if role in allowed:
        assert response.status_code in (200, 201, 204), (route, role, response.status_code, response.content[:2000])
        assert after != before
    else:
        assert after == before, f"{route} by {role} changed the database"
        assert response.status_code in (400, 401, 403, 404), (route, role, response.status_code)


def _group_member(world, *, axis=None):
    user = UserFactory()
    group = BodyFactory(plan=world["plan"], axis=axis)
    BodyMemberFactory(body=group, person=PersonFactory(user=user))
    return user


def test_group_member_proposes_only_for_the_axis_of_their_group(client, world):
    other_axis = AxisFactory(plan=world["plan"])
    ObjectiveFactory(axis=other_axis)
    client.force_login(world["users"]["coordination group member"])
    before = fingerprint()
    data = {**_texts("Elsewhere"), "axis": other_axis.pk, "proposing_council": world["member"].pk}
    response = client.post(url("proposal-create", world["plan"].slug), data)
    assert response.status_code == 400
    assert "You may propose only for the axis of your coordination group." in response.content.decode()
    assert fingerprint() == before
    # A group of the whole plan (no axis) proposes for any axis.
    client.force_login(_group_member(world))
    response = client.post(url("proposal-create", world["plan"].slug), data)
    assert response.status_code == 302
    assert world["plan"].proposals.filter(title_en="Elsewhere", axis=other_axis).exists()


def test_former_group_member_no_longer_proposes(client, world):
    import datetime as dt

    user = UserFactory()
    group = BodyFactory(plan=world["plan"], axis=world["axis"])
    BodyMemberFactory(body=group, person=PersonFactory(user=user), end_date=dt.date(2023, 12, 31))
    client.force_login(user)
    data = {**_texts("Late"), "axis": world["axis"].pk, "proposing_council": world["member"].pk}
    response = client.post(url("proposal-create", world["plan"].slug), data)
    assert response.status_code == 403
    assert not world["plan"].proposals.filter(title_en="Late").exists()


def test_group_sees_the_proposals_of_its_axis_only(client, world):
    from municipia.portfolio.entities import PROPOSAL
    from municipia.portfolio.models import Proposal

    other_axis = AxisFactory(plan=world["plan"])
    elsewhere = ProposalFactory(axis=other_axis, proposing_council=world["member"], status=ProposalStatus.SUBMITTED)
    user = world["users"]["coordination group member"]
    seen = set(PROPOSAL.visible(user, Proposal.objects.all()).values_list("pk", flat=True))
    assert {world["draft"].pk, world["evaluated"].pk} <= seen
    assert elsewhere.pk not in seen
    client.force_login(user)
    assert client.get(world["draft"].get_absolute_url()).status_code == 200
    assert client.get(elsewhere.get_absolute_url()).status_code == 404
    page = client.get(url("plan-portfolio", world["plan"].slug)).content.decode()
    assert world["draft"].title in page and elsewhere.title not in page
