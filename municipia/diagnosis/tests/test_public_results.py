"""Published results (aggregates only, small cells suppressed) and the list of open consultations."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from municipia.diagnosis.choices import Access, CampaignStatus, QuestionKind
from municipia.diagnosis.models import Answer, Response
from municipia.diagnosis.tests.factories import CampaignFactory, OptionFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    campaign = CampaignFactory(title_en="Digital services study", status=CampaignStatus.CLOSED)
    question = QuestionFactory(
        questionnaire=campaign.questionnaire,
        section__questionnaire=campaign.questionnaire,
        kind=QuestionKind.SINGLE_CHOICE,
        text_en="Which channel do you use?",
    )
    online = OptionFactory(question=question, code="online", label_en="Online")
    office = OptionFactory(question=question, code="office", label_en="At the office")
    rare = QuestionFactory(
        questionnaire=campaign.questionnaire,
        section__questionnaire=campaign.questionnaire,
        kind=QuestionKind.SINGLE_CHOICE,
        text_en="A question few answered?",
    )
    yes = OptionFactory(question=rare, code="yes", label_en="Yes")
    for index in range(12):
        response = Response.objects.create(campaign=campaign, submitted_at=timezone.now())
        Answer.objects.create(response=response, question=question, option=online if index < 9 else office)
        if index < 2:
            Answer.objects.create(response=response, question=rare, option=yes)
    return campaign


def test_results_are_public_only_when_the_owner_publishes_them(client, survey):
    url = reverse("diagnosis:public-results", args=[survey.slug])
    assert client.get(url).status_code == 404
    survey.results_public = True
    survey.save()
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Which channel do you use?" in html and "75.0 %" in html  # 9 of 12
    assert "At the office" in html and "25.0 %" not in html  # 3 people: fewer than 5, suppressed
    assert "A question few answered?" not in html and "1 question is not shown" in html


def test_the_threshold_is_a_setting(client, survey, settings):
    settings.DIAGNOSIS_PUBLIC_MIN_CELL = 2
    survey.results_public = True
    survey.save()
    html = client.get(reverse("diagnosis:public-results", args=[survey.slug])).content.decode()
    assert "25.0 %" in html and "A question few answered?" in html


def test_open_consultations_are_listed_and_private_ones_are_not(client, survey):
    open_survey = CampaignFactory(title_en="Tell us about parking", status=CampaignStatus.OPEN)
    CampaignFactory(title_en="Invited panel", status=CampaignStatus.OPEN, access=Access.INVITATION)
    CampaignFactory(title_en="Not yet open", status=CampaignStatus.OPEN, opens_at=timezone.now() + dt.timedelta(days=3))
    html = client.get(reverse("diagnosis:consultation-list")).content.decode()
    assert "Tell us about parking" in html and reverse("diagnosis:answer-public", args=[open_survey.slug]) in html
    assert "Invited panel" not in html and "Not yet open" not in html
    assert "Digital services study" not in html  # closed, results not published
    survey.results_public = True
    survey.save()
    html = client.get(reverse("diagnosis:consultation-list")).content.decode()
    assert reverse("diagnosis:public-results", args=[survey.slug]) in html
