"""Results pages: who sees them, what they show, free text, exports, caching, maturity profiles."""

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from municipia.diagnosis import results, services
from municipia.diagnosis.choices import ProfileKind, QuestionKind
from municipia.diagnosis.models import (
    Answer,
    MaturityAssessment,
    MaturityDimension,
    MaturityRating,
    Option,
    Response,
)
from municipia.organizations.tests.factories import (
    DepartmentFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    PartnerFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def build_campaign(owner, *, published_to=None, slug="citizens-2025"):
    """A questionnaire with every analysed kind, and a campaign of it (through the services)."""
    questionnaire = services.questionnaire_create(acting_user=None, owner=owner, data={"title_en": "Citizens"})
    section = services.section_create(acting_user=None, questionnaire=questionnaire, data={"title_en": "All"})

    def question(code, kind, options=(), rows=(), **extra):
        created = services.question_create(
            acting_user=None, section=section, data={"code": code, "kind": kind, "text_en": f"Question {code}", **extra}
        )
        for position, option in enumerate(options):
            Option.objects.create(question=created, code=option, label_en=option.title(), position=position)
        for position, row in enumerate(rows):
            Option.objects.create(question=created, code=row, label_en=row.title(), position=position, is_row=True)
        return created

    questions = {
        "sex": question("sex", QuestionKind.SINGLE_CHOICE, ["female", "male"], is_profile=True,
                        profile_kind=ProfileKind.SEX),
        "channel": question("channel", QuestionKind.SINGLE_CHOICE, ["online", "office"], allow_other=True),
        "wanted": question("wanted", QuestionKind.MULTIPLE_CHOICE, ["taxes", "parking", "documents"]),
        "satisfaction": question("satisfaction", QuestionKind.LIKERT),
        "hours": question("hours", QuestionKind.NUMBER),
        "comment": question("comment", QuestionKind.TEXT),
        "rank": question("rank", QuestionKind.RANKING, ["speed", "price"]),
        "grid": question("grid", QuestionKind.MATRIX, ["bad", "good"], rows=["web", "app"]),
    }  # fmt: skip
    campaign = services.campaign_create(
        acting_user=None,
        owner=owner,
        questionnaire=questionnaire,
        data={"title_en": "Citizens 2025", "slug": slug, "results_published_to": published_to},
    )
    return campaign, questions


def add_responses(campaign, questions, count, *, start=0):
    """`count` responses: respondent i is male when i is even, answers vary with i."""
    options = {
        (o.question_id, o.code): o.pk for o in Option.objects.filter(question__questionnaire=campaign.questionnaire)
    }

    def option(code, value):
        return options[(questions[code].pk, value)]

    day = timezone.make_aware(dt.datetime(2025, 3, 1))
    created = Response.objects.bulk_create([Response(campaign=campaign, submitted_at=day) for _ in range(count)])
    created = list(Response.objects.filter(campaign=campaign).order_by("-id")[:count])[::-1]
    answers = []
    for index, response in enumerate(created, start=start):
        male = index % 2 == 0
        a = {"response": response}
        answers.append(Answer(question=questions["sex"], option_id=option("sex", "male" if male else "female"), **a))
        if index % 5 == 4:
            answers.append(Answer(question=questions["channel"], value_text=f'=HYPERLINK("x") post {index}', **a))
        else:
            channel = "online" if (male or index % 3 == 0) else "office"
            answers.append(Answer(question=questions["channel"], option_id=option("channel", channel), **a))
        answers.append(Answer(question=questions["wanted"], option_id=option("wanted", "taxes"), **a))
        if index % 2:
            answers.append(Answer(question=questions["wanted"], option_id=option("wanted", "parking"), **a))
        answers.append(Answer(question=questions["satisfaction"], value_number=1 + index % 5, **a))
        answers.append(Answer(question=questions["hours"], value_number=float(index % 7), **a))
        answers.append(Answer(question=questions["comment"], value_text=f"comment number {index}", **a))
        answers.append(Answer(question=questions["rank"], option_id=option("rank", "speed"), rank=1, **a))
        answers.append(Answer(question=questions["rank"], option_id=option("rank", "price"), rank=2, **a))
        answers.append(
            Answer(question=questions["grid"], row_id=option("grid", "web"), option_id=option("grid", "good"), **a)
        )
    Answer.objects.bulk_create(answers)
    return created


@pytest.fixture
def council():
    return OrganizationFactory(name_en="Council")


@pytest.fixture
def editor(council):
    return RoleFactory(organization=council).user


@pytest.fixture
def study(council):
    partner = PartnerFactory(name_en="Partner")
    campaign, questions = build_campaign(partner, published_to=council)
    add_responses(campaign, questions, 40)
    return campaign, questions, partner


def results_url(campaign):
    return reverse("diagnosis-results:campaign", kwargs={"slug": campaign.slug})


def test_computed_results_match_the_answers(study):
    campaign, _questions, _partner = study
    computed = results.campaign_results(campaign)
    assert computed.responses == 40
    assert computed.weighting is None
    sex = computed.questions["sex"].frequencies
    assert (sex.row("male").count, sex.row("female").count) == (20, 20)
    channel = computed.questions["channel"].frequencies
    assert channel.row(results.OTHER).count == 8
    wanted = computed.questions["wanted"].frequencies
    assert wanted.row("taxes").percent == 100 and wanted.row("parking").percent == 50
    assert computed.questions["satisfaction"].mean.mean == pytest.approx(3.0)
    assert computed.questions["hours"].mean.median is not None
    assert computed.questions["rank"].ranks["speed"].mean == 1
    assert computed.questions["grid"].matrix["web"].row("good").count == 40
    assert computed.questions["comment"].answered == 40


def test_results_are_cached_until_a_new_response_arrives(study, django_assert_num_queries):
    campaign, questions, _partner = study
    first = results.campaign_results(campaign)
    assert results.campaign_results(campaign) is not first or first.key == results.results_key(campaign)
    # Cached: the version look-up only, neither the stored snapshot nor the answers are read.
    with django_assert_num_queries(1):
        assert results.campaign_results(campaign).key == first.key
    add_responses(campaign, questions, 1, start=40)
    second = results.campaign_results(campaign)
    assert second.key != first.key
    assert second.responses == 41


def test_council_the_results_are_published_to_sees_them(client, study, editor):
    campaign, _questions, _partner = study
    client.force_login(editor)
    response = client.get(results_url(campaign))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Question satisfaction" in content
    assert "<svg" in content
    assert "How these results are computed" in content


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("stranger", 404), ("owner_editor", 200), ("published_to_editor", 200), ("admin", 200)],
)
def test_results_page_permissions(client, study, council, who, status):
    campaign, _questions, partner = study
    if who == "stranger":
        client.force_login(RoleFactory().user)
    elif who == "owner_editor":
        client.force_login(RoleFactory(organization=partner).user)
    elif who == "published_to_editor":
        client.force_login(RoleFactory(organization=council).user)
    elif who == "admin":
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(results_url(campaign)).status_code == status
    exports = [
        reverse(f"diagnosis-results:{name}", kwargs={"slug": campaign.slug})
        for name in ("results-csv", "responses-csv")
    ]
    for url in exports:
        assert client.get(url).status_code == status


def test_results_page_uses_a_constant_number_of_queries(client, council, editor, django_assert_max_num_queries):
    partner = PartnerFactory()
    small, small_questions = build_campaign(partner, published_to=council, slug="small")
    add_responses(small, small_questions, 5)
    large, large_questions = build_campaign(partner, published_to=council, slug="large")
    add_responses(large, large_questions, 300)
    client.force_login(editor)
    for campaign in (small, large):
        client.get(results_url(campaign))  # computes and caches
        with django_assert_max_num_queries(8):
            assert client.get(results_url(campaign)).status_code == 200


def test_crosstab_by_profile_shows_column_percentages(client, study, editor):
    campaign, _questions, _partner = study
    client.force_login(editor)
    response = client.get(results_url(campaign), {"crosstab": "channel", "by": "sex"})
    table = response.context["crosstab"]["table"]
    male = table.column_options.index("male")
    online = table.row_options.index("online")
    assert table.column_percent[online][male] == pytest.approx(100 * 16 / 20)
    assert "Chi-square" in response.content.decode()


def test_crosstab_by_a_question_that_is_not_a_profile_is_refused_clearly(client, study, editor):
    campaign, _questions, _partner = study
    client.force_login(editor)
    response = client.get(results_url(campaign), {"crosstab": "channel", "by": "wanted"})
    assert response.status_code == 200
    assert "Choose a question and a profile question" in response.content.decode()


def test_free_text_answers_are_searchable_and_paginated(client, study, editor):
    campaign, _questions, _partner = study
    client.force_login(editor)
    url = reverse("diagnosis-results:text-answers", kwargs={"slug": campaign.slug, "code": "comment"})
    page = client.get(url)
    assert page.context["page"].paginator.count == 40
    assert len(page.context["page"]) == 25
    found = client.get(url, {"q": "number 17"})
    assert [a.value_text for a in found.context["page"]] == ["comment number 17"]
    assert client.get(url, {"page": "2"}).context["page"].number == 2


def test_exports_neutralise_formula_cells(client, study, editor):
    campaign, _questions, _partner = study
    client.force_login(editor)
    csv_response = client.get(reverse("diagnosis-results:responses-csv", kwargs={"slug": campaign.slug}))
    text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert len(lines) == 41
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    xlsx = client.get(reverse("diagnosis-results:results-xlsx", kwargs={"slug": campaign.slug}))
    workbook = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "question"
    assert any(row[0] == "satisfaction" and row[2] == "mean" for row in rows)


def test_weighted_results_are_shown_next_to_unweighted(client, study, editor):
    campaign, _questions, _partner = study
    services.campaign_margins_update(
        acting_user=None, campaign=campaign, margins={"sex": {"female": 0.75, "male": 0.25}}
    )
    computed = results.campaign_results(campaign)
    assert computed.weighting.applied
    # Women are 75 % of the population but 50 % of the sample; all men chose "online".
    online = computed.questions["channel"].frequencies.row("online")
    assert online.weighted_percent < online.percent
    client.force_login(editor)
    content = client.get(results_url(campaign)).content.decode()
    assert "Weighted %" in content and "design effect" in content
    # Women weigh 0.75 / 0.5 = 1.5 and men 0.25 / 0.5 = 0.5 in the export.
    export = client.get(reverse("diagnosis-results:responses-csv", kwargs={"slug": campaign.slug}))
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    weight, sex = header.index("weight"), header.index("sex")
    weights = {(row.split(",")[sex], float(row.split(",")[weight])) for row in lines[1:]}
    assert weights == {("female", 1.5), ("male", 0.5)}


def test_margins_with_an_empty_cell_explain_why_weighting_is_off(client, study, editor):
    campaign, _questions, _partner = study
    Option.objects.create(question=campaign.questionnaire.questions.get(code="sex"), code="other", label_en="Other")
    margins = {"sex": {"female": 0.5, "male": 0.4, "other": 0.1}}
    services.campaign_margins_update(acting_user=None, campaign=campaign, margins=margins)
    client.force_login(editor)
    response = client.get(results_url(campaign))
    assert response.status_code == 200
    content = response.content.decode()
    assert "raking cannot converge" in content
    assert "no respondent is in it" in content


def test_a_later_wave_shows_the_change_since_the_earlier_one(client, study, editor):
    campaign, questions, partner = study
    later = services.campaign_new_wave(acting_user=None, campaign=campaign)
    later_questions = {q.code: q for q in later.questionnaire.questions.all()}
    add_responses(later, later_questions, 10)
    client.force_login(editor)
    response = client.get(results_url(later))
    assert response.status_code == 200
    assert "Change since the earlier wave" in response.content.decode()


@pytest.fixture
def dimensions():
    return [MaturityDimension.objects.create(code=f"dim{i}", name_en=f"Dimension {i}", position=i) for i in range(6)]


def assess(organization, dimensions, levels, department=None, day=dt.date(2025, 1, 1)):
    assessment = MaturityAssessment.objects.create(organization=organization, department=department, assessed_on=day)
    MaturityRating.objects.bulk_create(
        MaturityRating(assessment=assessment, dimension=d, level=level)
        for d, level in zip(dimensions, levels, strict=True)
    )
    return assessment


def test_council_profile_is_the_mean_of_its_departments_latest_assessments(client, council, editor, dimensions):
    first, second = DepartmentFactory(organization=council), DepartmentFactory(organization=council)
    assess(council, dimensions, [1, 1, 1, 1, 1, 1], first, dt.date(2024, 1, 1))
    assess(council, dimensions, [2, 3, 4, 5, 1, 2], first)
    assess(council, dimensions, [4, 3, 2, 1, 5, 4], second)
    _dims, departments, profile = results.council_maturity(council)
    assert len(departments) == 2
    assert profile.scores == [3, 3, 3, 3, 3, 3]
    client.force_login(editor)
    response = client.get(reverse("diagnosis-results:maturity-council", kwargs={"slug": council.slug}))
    assert response.status_code == 200
    assert response.content.decode().count("<svg") == 3


def test_network_shows_every_member_councils_profile(client, dimensions, django_assert_max_num_queries):
    network = NetworkFactory()
    for index in range(5):
        member = NetworkMembershipFactory(network=network).member
        for _ in range(3):
            assess(member, dimensions, [1 + index % 5] * 6, DepartmentFactory(organization=member))
    coordinator = RoleFactory(organization=network).user
    client.force_login(coordinator)
    url = reverse("diagnosis-results:maturity-network", kwargs={"slug": network.slug})
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["profiles"]) == 5
    assert client.get(url).content.decode().count("<svg") == 5


def test_maturity_pages_are_closed_to_other_councils(client, council, dimensions):
    client.force_login(RoleFactory().user)
    url = reverse("diagnosis-results:maturity-council", kwargs={"slug": council.slug})
    assert client.get(url).status_code == 403


def test_a_campaign_without_responses_has_an_empty_results_page(client, council, editor):
    campaign, _questions = build_campaign(PartnerFactory(), published_to=council, slug="empty")
    client.force_login(editor)
    response = client.get(results_url(campaign))
    assert response.status_code == 200
    assert "0 responses" in response.content.decode()
