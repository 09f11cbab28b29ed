"""Population margins per campaign: the service, the owners' page and the API field; weighting uses them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.api.tests.test_api_schema import assert_matches_schema, schema  # noqa: F401 (fixture)
from municipia.diagnosis import results, services
from municipia.diagnosis.choices import ProfileKind, QuestionKind
from municipia.diagnosis.models import Campaign, Option, Question
from municipia.diagnosis.tests.test_results import add_responses, build_campaign
from municipia.diagnosis.tests.test_route_matrix import ROLES, fingerprint, rows, world  # noqa: F401 (fixtures)
from municipia.organizations.tests.factories import OrganizationFactory, PartnerFactory, RoleFactory

pytestmark = pytest.mark.django_db

SEX = {"sex": {"female": 0.75, "male": 0.25}}


@pytest.fixture
def study():
    council = OrganizationFactory(name_en="Council")
    partner = PartnerFactory(name_en="Partner")
    campaign, questions = build_campaign(partner, published_to=council)
    add_responses(campaign, questions, 40)
    return campaign, partner, council


def margins_url(campaign):
    return reverse("diagnosis-results:margins", kwargs={"slug": campaign.slug})


def stored_margins(campaign):
    return Campaign.objects.get(pk=campaign.pk).population_margins


def test_margins_are_stored_scaled_to_one_and_change_the_results_version(study):
    campaign, _partner, _council = study
    before = results.results_key(campaign)
    # Typed percentages that add up to 100 within a tenth of a point are accepted and scaled.
    services.campaign_margins_update(
        acting_user=None, campaign=campaign, margins={"sex": {"female": 0.6005, "male": 0.4}}
    )
    margins = stored_margins(campaign)
    assert sum(margins["sex"].values()) == pytest.approx(1.0, abs=1e-12)
    assert margins["sex"]["female"] == pytest.approx(0.6005 / 1.0005)
    assert results.results_key(campaign) != before


def test_a_zero_share_drops_the_category_and_empty_margins_stop_weighting(study):
    campaign, _partner, _council = study
    services.campaign_margins_update(acting_user=None, campaign=campaign, margins={"sex": {"female": 1, "male": 0}})
    assert stored_margins(campaign) == {"sex": {"female": 1.0}}
    services.campaign_margins_update(acting_user=None, campaign=campaign, margins={})
    assert stored_margins(campaign) == {}
    assert results.campaign_results(campaign).weighting is None


@pytest.mark.parametrize(
    ("margins", "named"),
    [
        ({"age": {"young": 1.0}}, "“age”"),
        ({"channel": {"online": 1.0}}, "“channel”"),  # a question, but not a profile question
        ({"sex": {"female": 0.5, "other": 0.5}}, "category “other”"),
        ({"sex": {"female": 1.2, "male": -0.2}}, "category “male”: the share cannot be negative"),
        ({"sex": {"female": 0.5, "male": 0.4}}, "“sex”: the shares add up to 90.0 %"),
        ({"sex": {}}, "Margin “sex” is empty"),
        ({"sex": {"female": "half", "male": 0.5}}, "category “female”: the share must be a number"),
        ({"sex|channel": {"female|online": 1.0}}, "“channel” is not a single-choice profile question"),
        ([0.5, 0.5], "must be an object"),
    ],
)
def test_bad_margins_are_refused_naming_the_margin_and_cell_and_nothing_changes(study, margins, named):
    campaign, _partner, _council = study
    services.campaign_margins_update(acting_user=None, campaign=campaign, margins=SEX)
    with pytest.raises(ValidationError) as caught:
        services.campaign_margins_update(acting_user=None, campaign=campaign, margins=margins)
    messages = caught.value.message_dict["population_margins"]
    assert any(named in message for message in messages), messages
    assert stored_margins(campaign) == SEX


def test_weighting_uses_the_campaigns_margins_hand_checked(study):
    campaign, _partner, _council = study
    services.campaign_margins_update(acting_user=None, campaign=campaign, margins=SEX)
    computed = results.campaign_results(campaign)
    # 20 women and 20 men answered; every woman (odd respondents) and no man wants "parking".
    # Women weigh 0.75 / 0.5 = 1.5 and men 0.25 / 0.5 = 0.5, so the weighted share is
    # 20 × 1.5 / (20 × 1.5 + 20 × 0.5) = 75 % against 50 % unweighted.
    parking = computed.questions["wanted"].frequencies.row("parking")
    assert parking.percent == pytest.approx(50.0)
    assert parking.weighted_percent == pytest.approx(75.0)
    assert computed.weighting.cell_weights == {("female",): pytest.approx(1.5), ("male",): pytest.approx(0.5)}


def test_joint_margin_by_age_and_sex_is_validated_per_cell_and_applied(study):
    campaign, _partner, _council = study
    section = campaign.questionnaire.sections.get()
    age = Question.objects.create(
        questionnaire=campaign.questionnaire, section=section, code="age", kind=QuestionKind.SINGLE_CHOICE,
        text_en="Age", is_profile=True, profile_kind=ProfileKind.AGE_BAND, position=9,
    )  # fmt: skip
    for position, code in enumerate(["young", "old"]):
        Option.objects.create(question=age, code=code, label_en=code.title(), position=position)
    with pytest.raises(ValidationError) as caught:
        services.campaign_margins_update(
            acting_user=None, campaign=campaign, margins={"age_band|sex": {"young|female": 0.5, "young|x": 0.5}}
        )
    assert "category “young|x”" in caught.value.message_dict["population_margins"][0]
    joint = {"age_band|sex": {"young|female": 0.4, "young|male": 0.1, "old|female": 0.3, "old|male": 0.2}}
    services.campaign_margins_update(acting_user=None, campaign=campaign, margins=joint)
    assert stored_margins(campaign)["age_band|sex"]["old|male"] == pytest.approx(0.2)


# --- The margins page


@pytest.fixture
def owner_editor(study):
    _campaign, partner, _council = study
    return RoleFactory(organization=partner).user


def test_margins_page_has_one_row_per_profile_option_and_saves(client, study, owner_editor):
    campaign, _partner, _council = study
    client.force_login(owner_editor)
    page = client.get(margins_url(campaign))
    assert page.status_code == 200
    form = page.context["form"]
    assert [cell["category"] for group in form.groups for cell in group["cells"]] == ["female", "male"]
    response = client.post(margins_url(campaign), {"m0_0": "54", "m0_1": "46"})
    assert response.status_code == 302
    assert stored_margins(campaign)["sex"] == pytest.approx({"female": 0.54, "male": 0.46})
    # The form shows what is stored, as percentages.
    assert client.get(margins_url(campaign)).context["form"]["m0_0"].initial == pytest.approx(54)
    # The results page links to it and is weighted now.
    content = client.get(response["Location"]).content.decode()
    assert "Set the population margins" in content and "design effect" in content


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"m0_0": "54", "m0_1": "36"}, "the shares add up to 90.0 %"),
        ({"m0_0": "120", "m0_1": "-20"}, "Question sex: Male (%)"),
        ({"m0_0": "fifty", "m0_1": "50"}, "Question sex: Female (%)"),
    ],
)
def test_margins_page_errors_name_the_cell_keep_the_input_and_save_nothing(client, study, owner_editor, data, named):
    campaign, _partner, _council = study
    client.force_login(owner_editor)
    before = fingerprint()
    response = client.post(margins_url(campaign), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert named in content
    assert f'value="{data["m0_1"]}"' in content
    assert stored_margins(campaign) == {}
    assert fingerprint() == before


@pytest.mark.parametrize("role", ROLES)
def test_margins_page_write_by_role(client, world, role):  # noqa: F811
    question = world["question"]
    question.is_profile = True
    question.save()
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    url = margins_url(world["campaign"])
    before = fingerprint()
    response = client.post(url, {"m0_0": "100"})
    after = fingerprint()
    stored = stored_margins(world["campaign"])
    if role in {"own editor", "site admin"}:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert stored == {"q1": {"yes": 1.0}} and after != before
        assert client.get(url).status_code == 200
    else:
        assert stored == {} and after == before
        if user is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code in (403, 404)
            assert client.get(url).status_code in (403, 404)


def test_council_the_results_are_published_to_cannot_set_margins(client, study):
    campaign, _partner, council = study
    client.force_login(RoleFactory(organization=council).user)
    assert client.get(margins_url(campaign)).status_code == 403
    assert client.post(margins_url(campaign), {"m0_0": "50", "m0_1": "50"}).status_code == 403
    assert stored_margins(campaign) == {}


# --- The API field


def test_api_reads_and_writes_margins(study, owner_editor, schema):  # noqa: F811
    campaign, _partner, _council = study
    api = APIClient()
    api.force_authenticate(owner_editor)
    url = f"/api/v1/campaigns/{campaign.slug}/"
    response = api.patch(url, {"population_margins": SEX}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["population_margins"] == SEX
    assert_matches_schema(schema, response, "/api/v1/campaigns/{slug}/", "patch")
    assert stored_margins(campaign) == SEX
    assert api.get(url).json()["population_margins"] == SEX


@pytest.mark.parametrize(
    ("margins", "named"),
    [
        ({"sex": {"female": 1.5, "male": -0.5}}, "category “male”: the share cannot be negative"),
        ({"sex": {"female": 0.5, "nobody": 0.5}}, "category “nobody”"),
        ({"district": {"centre": 1.0}}, "“district”"),
    ],
)
def test_api_bad_margins_answer_400_naming_the_cell(study, owner_editor, margins, named):
    campaign, _partner, _council = study
    api = APIClient()
    api.force_authenticate(owner_editor)
    response = api.patch(f"/api/v1/campaigns/{campaign.slug}/", {"population_margins": margins}, format="json")
    assert response.status_code == 400
    assert any(named in message for message in response.json()["population_margins"])
    assert stored_margins(campaign) == {}


def test_api_margin_that_is_not_a_number_answers_400_on_its_cell(study, owner_editor):
    campaign, _partner, _council = study
    api = APIClient()
    api.force_authenticate(owner_editor)
    body = {"title_en": "Renamed", "population_margins": {"sex": {"female": "half"}}}
    response = api.patch(f"/api/v1/campaigns/{campaign.slug}/", body, format="json")
    assert response.status_code == 400
    assert "female" in response.json()["population_margins"]["sex"]
    assert Campaign.objects.get(pk=campaign.pk).title_en == "Citizens 2025"


def test_api_rolls_back_the_whole_update_when_margins_are_bad(study, owner_editor):
    campaign, _partner, _council = study
    api = APIClient()
    api.force_authenticate(owner_editor)
    body = {"title_en": "Renamed", "population_margins": {"sex": {"female": 0.2, "male": 0.2}}}
    response = api.patch(f"/api/v1/campaigns/{campaign.slug}/", body, format="json")
    assert response.status_code == 400
    assert Campaign.objects.get(pk=campaign.pk).title_en == "Citizens 2025"
