"""Results API: the figures of `results.campaign_results`, weighted and by wave, cross-tabs by a
profile (400 naming the parameter when it is wrong), read by the results page's readers only
(404 alike for missing and forbidden), in a constant number of queries, as the schema says."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from municipia.api.tests.test_api_schema import assert_matches_schema, schema  # noqa: F401 (fixture)
from municipia.diagnosis import results, services
from municipia.diagnosis.tests.test_results import add_responses, build_campaign
from municipia.organizations.tests.factories import OrganizationFactory, PartnerFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

PATH = "/api/v1/campaign-results/{slug}/"
# A sample that is half men, weighted to a population that is three quarters women.
MARGINS = {"sex": {"female": 0.75, "male": 0.25}}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def council():
    return OrganizationFactory(name_en="Council")


@pytest.fixture
def study(council):
    """A partner's survey of 40 respondents whose results are published to the council."""
    partner = PartnerFactory(name_en="Partner")
    campaign, questions = build_campaign(partner, published_to=council)
    add_responses(campaign, questions, 40)
    return campaign, questions, partner


@pytest.fixture
def api(council):
    client = APIClient()
    client.force_authenticate(RoleFactory(organization=council).user)
    return client


def _get(api, campaign, **params):
    return api.get(PATH.format(slug=campaign.slug), params)


def _by_code(body) -> dict:
    return {question["code"]: question for question in body["questions"]}


def test_figures_are_those_of_the_campaign_results(api, study, schema):  # noqa: F811
    campaign, _questions, _partner = study
    response = _get(api, campaign)
    assert response.status_code == 200, response.content
    assert_matches_schema(schema, response, "/api/v1/campaign-results/{slug}/")
    body = response.json()
    computed = results.campaign_results(campaign)
    assert body["responses"] == computed.responses == 40
    assert body["weighted"] is False and body["weighting"] is None and body["crosstab"] is None
    questions = _by_code(body)
    # Every analysed question is there, in the questionnaire's order, text included.
    assert list(questions) == ["sex", "channel", "wanted", "satisfaction", "hours", "comment", "rank", "grid"]
    channel = questions["channel"]["frequencies"]
    expected = computed.questions["channel"].frequencies
    assert channel["n"] == expected.n and channel["skipped"] == expected.skipped
    assert [(o["code"], o["count"], o["percent"]) for o in channel["options"]] == [
        (row.option, row.count, pytest.approx(row.percent)) for row in expected.rows
    ]
    other = next(o for o in channel["options"] if o["code"] == results.OTHER)
    assert other["label"] == "Other (written in)" and other["count"] == 8
    assert channel["options"][0]["weighted_percent"] is None and channel["design_effect"] == pytest.approx(1.0)
    assert questions["wanted"]["frequencies"]["multiple"] is True
    satisfaction = questions["satisfaction"]["mean"]
    estimate = computed.questions["satisfaction"].mean
    assert (satisfaction["mean"], satisfaction["low"], satisfaction["high"], satisfaction["n"]) == (
        pytest.approx(estimate.mean),
        pytest.approx(estimate.low),
        pytest.approx(estimate.high),
        40,
    )
    assert satisfaction["low"] < satisfaction["mean"] < satisfaction["high"]
    assert questions["satisfaction"]["weighted_mean"] is None
    assert questions["hours"]["mean"]["median"] is not None
    assert {r["option"]: r["mean_rank"]["mean"] for r in questions["rank"]["ranks"]} == {"speed": 1.0, "price": 2.0}
    web = next(row for row in questions["grid"]["matrix"] if row["row"] == "web")
    assert {o["code"]: o["count"] for o in web["frequencies"]["options"]} == {"bad": 0, "good": 40}
    assert questions["comment"]["answered"] == 40 and questions["comment"]["frequencies"] is None


def test_weighted_figures_when_the_campaign_has_margins(api, study, monkeypatch, schema):  # noqa: F811
    campaign, _questions, _partner = study
    monkeypatch.setattr(results, "campaign_margins", lambda campaign: MARGINS)
    response = _get(api, campaign)
    assert response.status_code == 200, response.content
    assert_matches_schema(schema, response, "/api/v1/campaign-results/{slug}/")
    body = response.json()
    computed = results.campaign_results(campaign)
    assert body["weighted"] is True
    weighting = body["weighting"]
    assert weighting["applied"] and weighting["converged"]
    assert weighting["n_eff"] == pytest.approx(computed.weighting.result.n_eff)
    assert weighting["design_effect"] == pytest.approx(computed.weighting.result.design_effect)
    assert weighting["design_effect"] > 1
    female = next(m for m in weighting["margins"] if m["category"] == "female")
    assert (female["population_percent"], female["sample_percent"]) == (pytest.approx(75), pytest.approx(50))
    assert female["weighted_percent"] == pytest.approx(75, abs=0.01)
    sex = {o["code"]: o for o in _by_code(body)["sex"]["frequencies"]["options"]}
    assert sex["female"]["percent"] == pytest.approx(50) and sex["female"]["weighted_percent"] == pytest.approx(75)
    channel = _by_code(body)["channel"]["frequencies"]
    online = computed.questions["channel"].frequencies.row("online")
    assert next(o for o in channel["options"] if o["code"] == "online")["weighted_percent"] == pytest.approx(
        online.weighted_percent
    )
    assert channel["n_eff"] < channel["n"] and channel["design_effect"] > 1
    weighted_mean = _by_code(body)["satisfaction"]["weighted_mean"]
    assert weighted_mean["mean"] == pytest.approx(computed.questions["satisfaction"].weighted_mean.mean)


def test_crosstab_by_a_profile_matches_the_results_crosstab(api, study, schema):  # noqa: F811
    campaign, questions, _partner = study
    response = _get(api, campaign, crosstab="sex")
    assert response.status_code == 200, response.content
    assert_matches_schema(schema, response, "/api/v1/campaign-results/{slug}/")
    crosstab = response.json()["crosstab"]
    assert crosstab["profile"] == "sex"
    tables = {table["question"]: table for table in crosstab["tables"]}
    assert set(tables) == {"channel", "wanted"}
    for code, table in tables.items():
        expected = results.crosstab_results(campaign, questions[code], questions["sex"])
        assert table["rows"] == expected.row_options and table["columns"] == expected.column_options
        assert table["counts"] == expected.counts and table["column_totals"] == expected.column_totals
        assert table["column_percent"] == [[pytest.approx(v) for v in row] for row in expected.column_percent]
    channel = tables["channel"]
    male, online = channel["columns"].index("male"), channel["rows"].index("online")
    assert channel["column_percent"][online][male] == pytest.approx(100 * 16 / 20)
    assert channel["p_value"] is not None and tables["wanted"]["p_value"] is None


@pytest.mark.parametrize("code", ["channel", "nope", ""])
def test_crosstab_by_what_is_not_a_profile_question_answers_400_naming_the_parameter(
    api,
    study,
    schema,  # noqa: F811
    code,
):
    campaign, _questions, _partner = study
    response = _get(api, campaign, crosstab=code)
    assert response.status_code == 400
    assert_matches_schema(schema, response, "/api/v1/campaign-results/{slug}/")
    assert list(response.json()) == ["crosstab"]
    assert f"“{code}” is not a profile question" in response.json()["crosstab"][0]


def test_a_later_wave_reports_the_change_since_the_earlier_one(api, study):
    campaign, _questions, _partner = study
    later = services.campaign_new_wave(acting_user=None, campaign=campaign)
    add_responses(later, {q.code: q for q in later.questionnaire.questions.all()}, 10, start=1)
    body = _get(api, later).json()
    assert body["earlier_wave"] == campaign.slug and body["wave_number"] == 2
    earlier, now = results.campaign_results(campaign), results.campaign_results(later)
    changes = results.compare_waves(earlier, now)
    online = next(o for o in _by_code(body)["channel"]["frequencies"]["options"] if o["code"] == "online")
    assert online["change"]["earlier"] == pytest.approx(changes["channel"]["online"].earlier)
    assert online["change"]["difference"] == pytest.approx(changes["channel"]["online"].difference.difference)
    mean_change = _by_code(body)["satisfaction"]["mean_change"]
    assert mean_change["later"] == pytest.approx(now.questions["satisfaction"].mean.mean)
    assert _get(api, campaign).json()["earlier_wave"] is None


ROLES = ["anonymous", "plain user", "other council's editor", "owner's editor", "receiving council's editor", "admin"]
READERS = {"owner's editor", "receiving council's editor", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_results_are_read_by_the_results_page_readers_only(study, council, role):
    campaign, _questions, partner = study
    users = {
        "anonymous": None,
        "plain user": UserFactory(),
        "other council's editor": RoleFactory(organization=OrganizationFactory()).user,
        "owner's editor": RoleFactory(organization=partner).user,
        "receiving council's editor": RoleFactory(organization=council).user,
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }
    api = APIClient()
    if users[role] is not None:
        api.force_authenticate(users[role])
    response = _get(api, campaign)
    missing = api.get(PATH.format(slug="no-such-campaign"))
    assert missing.status_code == 404
    if role in READERS:
        assert response.status_code == 200 and response.json()["responses"] == 40
        assert users[role].has_perm("diagnosis.view_results", campaign)
    else:
        # Forbidden answers exactly like missing: nothing tells the campaign exists.
        assert (response.status_code, response.json()) == (404, missing.json())
        assert users[role] is None or not users[role].has_perm("diagnosis.view_results", campaign)
    # Read-only, for everyone.
    for method in ("post", "put", "patch", "delete"):
        assert getattr(api, method)(PATH.format(slug=campaign.slug), {}).status_code in (401, 403, 404, 405)


def test_results_use_a_constant_number_of_queries(api, council, django_assert_max_num_queries):
    partner = PartnerFactory()
    counts = []
    for slug, size in (("small", 5), ("large", 300)):
        campaign, questions = build_campaign(partner, published_to=council, slug=slug)
        add_responses(campaign, questions, size)
        _get(api, campaign, crosstab="sex")  # computes and keeps the results
        with django_assert_max_num_queries(8) as captured:
            response = _get(api, campaign, crosstab="sex")
        assert response.status_code == 200 and response.json()["responses"] == size
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
