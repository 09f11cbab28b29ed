"""The demo: the Sofia–IAB memorandum with its commitments linked to the plan's actions; idempotent."""

import io

import pytest

from municipia.organizations.tests.factories import OrganizationFactory, PartnerFactory, RoleFactory, UserFactory
from municipia.partnerships.demo import AGREEMENT_SLUG, build_partnerships_demo
from municipia.partnerships.models import Agreement, Clarification, Commitment, NewsPost, Signatory
from municipia.strategy.tests.factories import ActionFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sofia_plan(db):
    sofia = OrganizationFactory(name_en="Sofia", slug="sofia")
    PartnerFactory(name_en="IAB Bulgaria", slug="iab-bulgaria")
    RoleFactory(organization=sofia, user=UserFactory(username="editor-sofia"))
    plan = PlanFactory(owner=sofia, slug="sofia-digital-transformation")
    objective = ObjectiveFactory(axis__plan=plan)
    for code in ("1.1.1", "2.1.1"):  # the others are missing: their links are skipped
        ActionFactory(objective=objective, code=code)
    return plan


def counts() -> tuple:
    models = (Agreement, Signatory, Commitment, NewsPost, Clarification)
    return tuple((m.objects.count(), m.history.count()) for m in models)


def test_demo_builds_the_memorandum_and_a_second_run_changes_nothing(sofia_plan):
    out = io.StringIO()
    summary = build_partnerships_demo(stdout=out)
    agreement = Agreement.objects.get(slug=AGREEMENT_SLUG)
    assert agreement.signed_on.isoformat() == "2022-07-26"
    assert {s.person_name for s in agreement.signatories.all()} == {
        "Yordanka Fandakova",
        "Gencho Kerezov",
        "Nadya Gogova",
        "Milena Kaplamadzhieva",
    }
    assert {p.slug for p in agreement.parties.all()} == {"sofia", "iab-bulgaria"}
    assert summary.commitments == 6
    linked = {a.code for c in agreement.commitments.all() for a in c.actions.all()}
    assert linked == {"1.1.1", "2.1.1"}
    assert any("action link" in item for item in summary.skipped)
    assert NewsPost.objects.filter(is_demo=True).count() == 1  # the other situations' plans are absent
    assert Clarification.objects.filter(is_demo=True, status="published").count() == 3
    before = counts()
    second = build_partnerships_demo()
    assert counts() == before
    assert (second.agreements, second.commitments, second.news_posts, second.clarifications) == (0, 0, 0, 0)


def test_demo_without_the_sofia_plan_skips_and_does_not_crash(db):
    summary = build_partnerships_demo()
    assert not Agreement.objects.exists()
    assert summary.skipped
