"""The diagnosis report of a plan (page and PDF): what it summarises, who sees it, that it keeps
respondents anonymous, its languages, the empty case and a constant number of queries."""

import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from municipia.diagnosis import services
from municipia.diagnosis.choices import SwotKind
from municipia.diagnosis.models import Campaign
from municipia.diagnosis.report import diagnosis_report
from municipia.diagnosis.report_views import pdf_html
from municipia.diagnosis.tests.factories import FindingFactory
from municipia.diagnosis.tests.test_results import add_responses, build_campaign
from municipia.organizations.tests.factories import (
    DepartmentFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    PartnerFactory,
    RoleFactory,
    UserFactory,
)
from municipia.reports.pdf import printable
from municipia.strategy.tests.factories import AxisFactory, ChallengeFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def council():
    return OrganizationFactory(
        name_en="Tremp Town Council", name_ca="Ajuntament de Tremp", name_bg="Община Тремп", slug="tremp"
    )


@pytest.fixture
def editor(council):
    return RoleFactory(organization=council).user


@pytest.fixture
def plan(council):
    return PlanFactory(owner=council, title_en="Tremp digital agenda", slug="tremp-agenda")


def rate(council, department, levels, day="2025-02-01"):
    codes = [dimension.code for dimension in services.maturity_dimensions_ensure()]
    ratings = {code: (level, "") for code, level in zip(codes, levels, strict=False)}
    return services.maturity_assessment_record(
        acting_user=None, organization=council, department=department, assessed_on=day, ratings=ratings
    )


def fill(plan, council, *, responses=20, findings=4, departments=2, slug="tremp-citizens"):
    """A campaign of the plan with answers, departments' self-assessments and SWOT findings."""
    campaign, questions = build_campaign(council, slug=slug)
    Campaign.objects.filter(pk=campaign.pk).update(plan=plan)
    add_responses(campaign, questions, responses)
    services.maturity_dimensions_ensure()
    for index in range(departments):
        rate(council, DepartmentFactory(organization=council, name_en=f"Department {index}"), [2, 3, 4])
    axis = AxisFactory(plan=plan, code="1", title_en="Smart administration")
    challenge = ChallengeFactory(axis=axis, code="C1", title_en="Online procedures for everyone")
    created = []
    for index in range(findings):
        kind = [SwotKind.STRENGTH, SwotKind.WEAKNESS, SwotKind.OPPORTUNITY, SwotKind.THREAT][index % 4]
        created.append(
            FindingFactory(
                plan=plan,
                kind=kind,
                title_en=f"Finding number {index}",
                title_ca=f"Troballa número {index}",
                title_bg=f"Констатация {index}",
                campaign=campaign,
                question=questions["channel"],
                evidence=f"Evidence {index}",
            )
        )
    created[0].challenge = challenge
    created[0].save()
    return campaign, questions, created


def page_url(plan, language="en"):
    with translation.override(language):
        return reverse("diagnosis-report:plan", kwargs={"slug": plan.slug})


def pdf_url(plan, language="en"):
    with translation.override(language):
        return reverse("diagnosis-report:plan-pdf", kwargs={"slug": plan.slug})


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_report_summarises_campaigns_maturity_swot_and_challenges(client, plan, council, editor):
    campaign, _questions, findings = fill(plan, council)
    client.force_login(editor)
    response = client.get(page_url(plan))
    assert response.status_code == 200
    report = response.context["report"]
    [summary] = report.campaigns
    assert summary.campaign == campaign and summary.responses == 20
    channel = next(item for item in summary.choices if item.code == "channel")
    # 20 respondents: every fifth wrote in another answer; the other men (8) and 2 women answered online.
    assert [(a.label, a.count) for a in channel.answers] == [("Online", 10), ("Office", 6), ("Other (written in)", 4)]
    assert channel.answers[0].percent == pytest.approx(50) and channel.answers[0].weighted_percent is None
    assert [item.code for item in summary.scales] == ["satisfaction"]
    [ranking] = summary.rankings
    assert [(o.label, o.mean_rank) for o in ranking.options] == [("Speed", 1.0), ("Price", 2.0)]
    # Profile questions describe the sample: they are not key results.
    assert "sex" not in [item.code for item in summary.choices]
    assert [p.name for p in report.maturity.profiles] == ["Department 0", "Department 1"]
    assert report.maturity.overall.scores[:3] == [2, 3, 4]
    assert report.findings_count == 4
    assert [(o.challenge.code, [f.pk for f in o.findings]) for o in report.challenges] == [("C1", [findings[0].pk])]
    content = response.content.decode()
    for text in ("Online", "Finding number 3", "Evidence 2", "Online procedures for everyone", "Department 1"):
        assert text in content
    assert content.count('role="img"') >= 4  # answer charts, scale chart, radar charts
    assert reverse("diagnosis-results:campaign", kwargs={"slug": campaign.slug}) + "#q-channel" in content
    assert reverse("diagnosis-report:plan-pdf", kwargs={"slug": plan.slug}) in content


def test_weighted_campaigns_show_weighted_shares(client, plan, council, editor, monkeypatch):
    from municipia.diagnosis import results

    fill(plan, council)
    monkeypatch.setattr(results, "campaign_margins", lambda campaign: {"sex": {"female": 0.75, "male": 0.25}})
    client.force_login(editor)
    response = client.get(page_url(plan))
    [summary] = response.context["report"].campaigns
    assert summary.weighted and summary.design_effect > 1
    answers = {a.label: a for a in next(item for item in summary.choices if item.code == "channel").answers}
    # Men mostly answer online and weigh less once weighted to a population of three women in four,
    # so the office comes first, ordered by the weighted share.
    assert answers["Online"].weighted_percent < answers["Online"].percent
    assert list(answers)[0] == "Office" and answers["Office"].weighted_percent == pytest.approx(45)
    assert "Weighted %" in response.content.decode()


def test_report_keeps_respondents_anonymous(client, plan, council, editor):
    campaign, _questions, _findings = fill(plan, council)
    services.invitations_import_csv(
        acting_user=None, campaign=campaign, content="email\nsomeone@example.org\n", send=False
    )
    client.force_login(editor)
    content = client.get(page_url(plan)).content.decode()
    # Free-text answers (and texts written in for "other") and invitations never appear.
    assert "comment number" not in content and "HYPERLINK" not in content and "someone@example.org" not in content
    assert "no respondent, invitation or written-in answer appears" in content


def test_pdf_names_the_council_in_catalan_and_bulgarian(client, plan, council, editor):
    fill(plan, council)
    client.force_login(editor)
    catalan = client.get(pdf_url(plan, "ca"))
    assert catalan.status_code == 200
    text = pdf_text(catalan)
    assert "Ajuntament de Tremp" in text and "Troballa número 1" in text
    # The charts are in the PDF, without the white halo WeasyPrint would paint over their labels.
    with translation.override("en"):
        html = printable(pdf_html(diagnosis_report(editor, plan), site="https://example.org"))
    assert html.count("<svg") >= 4 and "paint-order" not in html
    assert "https://example.org/en/diagnosis/results/campaigns/tremp-citizens/#q-channel" in html
    bulgarian = pdf_text(client.get(pdf_url(plan, "bg")))
    assert "Община Тремп" in bulgarian and "Констатация 1" in bulgarian
    assert 'filename="diagnosis-tremp-agenda-bg.pdf"' in client.get(pdf_url(plan, "bg"))["Content-Disposition"]


def test_an_empty_diagnosis_gives_a_valid_pdf_that_says_so(client, plan, editor):
    client.force_login(editor)
    page = client.get(page_url(plan))
    assert page.status_code == 200 and page.context["report"].is_empty
    assert "Nothing in this diagnosis yet" in page.content.decode()
    response = client.get(pdf_url(plan))
    assert response.status_code == 200
    text = pdf_text(response)
    assert "Nothing in this diagnosis yet" in text and "Tremp digital agenda" in text


def test_only_campaigns_whose_results_the_reader_may_see_are_reported(client, plan, council, editor):
    published = PartnerFactory()
    shared, shared_questions = build_campaign(published, published_to=council, slug="shared-study")
    private, private_questions = build_campaign(PartnerFactory(), slug="private-study")
    Campaign.objects.filter(pk__in=[shared.pk, private.pk]).update(plan=plan)
    add_responses(shared, shared_questions, 5)
    add_responses(private, private_questions, 5)
    client.force_login(editor)
    report = client.get(page_url(plan)).context["report"]
    assert [summary.campaign.slug for summary in report.campaigns] == ["shared-study"]


ROLES = ["anonymous", "plain user", "other council's editor", "partner receiving results", "own editor", "admin"]


@pytest.mark.parametrize("published", [True, False])
@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_report(client, plan, council, role, published):
    plan.is_published = published
    plan.save()
    partner = PartnerFactory()
    campaign, _questions = build_campaign(partner, published_to=council, slug="partner-study")
    Campaign.objects.filter(pk=campaign.pk).update(plan=plan)
    users = {
        "anonymous": None,
        "plain user": UserFactory(),
        "other council's editor": RoleFactory(organization=OrganizationFactory()).user,
        "partner receiving results": RoleFactory(organization=partner).user,
        "own editor": RoleFactory(organization=council).user,
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }
    if users[role] is not None:
        client.force_login(users[role])
    for url in (page_url(plan), pdf_url(plan)):
        response = client.get(url)
        if role in ("own editor", "admin"):
            assert response.status_code == 200
        elif role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            # A published plan is public, its diagnosis report is not; an unpublished one is not found.
            assert response.status_code == (403 if published else 404)


def test_a_network_plan_reports_its_member_councils_profiles(client):
    network = NetworkFactory(name_en="Digital agenda network")
    plan = PlanFactory(owner=network, slug="network-agenda")
    services.maturity_dimensions_ensure()
    for name in ("Barcelona", "Tremp"):
        member = OrganizationFactory(name_en=name)
        NetworkMembershipFactory(network=network, member=member)
        rate(member, DepartmentFactory(organization=member), [3, 3, 3])
    coordinator = RoleFactory(organization=network).user
    client.force_login(coordinator)
    response = client.get(page_url(plan))
    maturity = response.context["report"].maturity
    assert maturity.is_network and [p.name for p in maturity.profiles] == ["Barcelona", "Tremp"]
    assert "Council" in response.content.decode()


def test_finding_board_links_to_the_report(client, plan, editor):
    client.force_login(editor)
    content = client.get(reverse("diagnosis:finding-board", kwargs={"slug": plan.slug})).content.decode()
    assert page_url(plan) in content


def test_report_page_uses_a_constant_number_of_queries(client, council, editor, django_assert_max_num_queries):
    small = PlanFactory(owner=council, slug="small-plan")
    fill(small, council, responses=5, findings=2, departments=1, slug="small-campaign")
    large = PlanFactory(owner=council, slug="large-plan")
    fill(large, council, responses=200, findings=24, departments=8, slug="large-campaign")
    client.force_login(editor)
    counts = []
    for plan in (small, large):
        client.get(page_url(plan))  # computes and keeps the campaign's results
        with django_assert_max_num_queries(16) as captured:
            assert client.get(page_url(plan)).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
