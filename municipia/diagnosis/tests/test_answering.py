"""The respondents' pages: one section per page, conditions without JavaScript, save & resume,
clear messages for closed campaigns and used, revoked or unknown tokens, honeypot, CSRF."""

import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from municipia.diagnosis.choices import Access, CampaignStatus, RefusalReason
from municipia.diagnosis.models import Answer, RefusedSubmission, Response
from municipia.diagnosis.tests.factories import CampaignFactory, InvitationFactory, build_questionnaire
from municipia.organizations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE_ONE = {
    "q-age_band": "30-49",
    "q-uses_online": "no",
    "q-channels": ["web", "__other__"],
    "q-channels-other": "kiosk",
}
PAGE_TWO = {
    "q-satisfaction": "2",
    "q-why_not": "Too slow",
    "q-visits": "3",
    "q-priorities-speed": "2",
    "q-priorities-privacy": "1",
    "q-ratings-portal": "bad",
    "q-ratings-app": "ok",
}


def _url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(f"diagnosis:{name}", kwargs=kwargs)


@pytest.fixture
def campaign():
    return CampaignFactory(questionnaire=build_questionnaire(), title_en="Digital services 2025", slug="services-2025")


def test_citizen_answers_two_pages_and_the_conditional_question_appears(client, campaign):
    url = _url("answer-public", slug=campaign.slug)
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Page 1 of 2" in body and "<legend" in body and 'name="website"' in body
    assert "why_not?" not in body
    moved = client.post(url, {**PAGE_ONE, "action": "next"})
    assert moved.status_code == 302 and moved["Location"].endswith("?page=2")
    second = client.get(moved["Location"]).content.decode()
    assert "why_not?" in second  # shown because uses_online = no
    done = client.post(moved["Location"], {**PAGE_TWO, "action": "submit"})
    assert done.status_code == 302 and done["Location"] == _url("answer-thanks", slug=campaign.slug)
    response = Response.objects.get()
    assert response.user_id is None and response.invitation_id is None
    answers = Answer.objects.filter(response=response)
    assert answers.get(question__code="why_not").value_text == "Too slow"
    assert answers.filter(question__code="channels", option__isnull=True).get().value_text == "kiosk"


def test_conditional_question_is_hidden_and_its_answer_discarded(client, campaign):
    url = _url("answer-public", slug=campaign.slug)
    client.post(url, {**PAGE_ONE, "q-uses_online": "yes", "action": "next"})
    second = client.get(url + "?page=2").content.decode()
    assert "why_not?" not in second
    client.post(url + "?page=2", {**PAGE_TWO, "action": "submit"})
    assert not Answer.objects.filter(question__code="why_not").exists()
    assert Response.objects.count() == 1


def test_bad_answers_are_listed_in_an_error_summary_linked_to_the_fields_and_kept(client, campaign):
    url = _url("answer-public", slug=campaign.slug)
    page = client.post(url, {"q-channels": ["web", "app", "phone"], "action": "next"})
    assert page.status_code == 400
    body = page.content.decode()
    assert 'id="form-errors"' in body and 'href="#q-age_band"' in body and 'href="#q-channels"' in body
    assert "This question needs an answer." in body and "Choose at most 2 options." in body
    assert 'aria-invalid="true"' in body
    assert 'value="phone" checked' in body  # what was chosen is kept
    assert not Response.objects.exists()


def test_number_typed_wrong_is_kept_and_named(client, campaign):
    url = _url("answer-public", slug=campaign.slug)
    client.post(url, {**PAGE_ONE, "q-uses_online": "yes", "action": "next"})
    page = client.post(url + "?page=2", {**PAGE_TWO, "q-visits": "lots", "q-satisfaction": "", "action": "submit"})
    body = page.content.decode()
    assert page.status_code == 400
    assert 'value="lots"' in body and "Enter a number." in body and 'href="#q-satisfaction"' in body


def test_ranking_with_two_options_in_the_same_place_is_refused(client, campaign):
    url = _url("answer-public", slug=campaign.slug)
    client.post(url, {**PAGE_ONE, "action": "next"})
    page = client.post(url + "?page=2", {**PAGE_TWO, "q-priorities-speed": "1", "action": "submit"})
    assert page.status_code == 400
    assert "different place" in page.content.decode()


def test_invitation_save_and_resume_then_the_token_is_used(campaign):
    campaign.access = Access.INVITATION
    campaign.is_anonymous = False
    campaign.save()
    invitation = InvitationFactory(campaign=campaign)
    url = _url("answer-token", lang="ca", token=invitation.token)
    first_browser = Client()
    saved = first_browser.post(url, {**PAGE_ONE, "action": "save"})
    assert saved.status_code == 302
    # Another device with the same link finds the saved answers.
    resumed = Client().get(url).content.decode()
    assert 'value="30-49" checked' in resumed
    assert 'lang="ca"' in resumed
    Client().post(url, {**PAGE_ONE, "action": "next"})
    Client().post(url + "?page=2", {**PAGE_TWO, "action": "submit"})
    assert Response.objects.count() == 1
    again = Client().get(url)
    assert again.status_code == 410
    assert "Aquesta invitació ja s'ha utilitzat per respondre" in html.unescape(again.content.decode())


def test_an_anonymous_campaign_keeps_no_draft_next_to_the_invitees_address(campaign):
    from municipia.diagnosis.models import Invitation

    campaign.access = Access.INVITATION
    campaign.is_anonymous = True
    campaign.save()
    invitation = InvitationFactory(campaign=campaign)
    url = _url("answer-token", token=invitation.token)
    browser = Client()
    assert browser.post(url, {**PAGE_ONE, "action": "save"}).status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).draft in (None, {})
    # The same browser resumes; another device starts afresh.
    assert 'value="30-49" checked' in browser.get(url).content.decode()
    assert 'value="30-49" checked' not in Client().get(url).content.decode()


@pytest.mark.parametrize(
    ("state", "status", "text"),
    [
        ("unknown", 404, "We do not know this invitation"),
        ("revoked", 410, "withdrawn"),
        ("used", 410, "already been used"),
        ("closed", 410, "closed"),
    ],
)
def test_unusable_links_get_a_clear_message(client, campaign, state, status, text):
    campaign.access = Access.INVITATION
    campaign.status = CampaignStatus.CLOSED if state == "closed" else CampaignStatus.OPEN
    campaign.save()
    invitation = InvitationFactory(campaign=campaign, is_used=state == "used")
    if state == "revoked":
        from django.utils import timezone

        invitation.revoked_at = timezone.now()
        invitation.save()
    token = "no-such-token" if state == "unknown" else invitation.token
    page = client.get(_url("answer-token", token=token))
    assert page.status_code == status
    assert text in page.content.decode()


def test_closed_public_campaign_says_so(client, campaign):
    campaign.status = CampaignStatus.CLOSED
    campaign.save()
    page = client.get(_url("answer-public", slug=campaign.slug))
    assert page.status_code == 410 and "closed" in page.content.decode()


def test_draft_or_invitation_only_campaign_has_no_public_page(client, campaign):
    campaign.status = CampaignStatus.DRAFT
    campaign.save()
    assert client.get(_url("answer-public", slug=campaign.slug)).status_code == 404


def test_filled_honeypot_is_refused_and_counted(client, campaign):
    page = client.post(_url("answer-public", slug=campaign.slug), {**PAGE_ONE, "website": "spam", "action": "next"})
    assert page.status_code == 400
    assert RefusedSubmission.objects.get().reason == RefusalReason.HONEYPOT


def test_post_without_csrf_token_is_refused(campaign):
    strict = Client(enforce_csrf_checks=True)
    page = strict.post(_url("answer-public", slug=campaign.slug), {**PAGE_ONE, "action": "next"})
    assert page.status_code == 403


def test_signed_in_citizen_of_an_anonymous_campaign_leaves_no_trace(client, campaign):
    client.force_login(UserFactory())
    url = _url("answer-public", slug=campaign.slug)
    client.post(url, {**PAGE_ONE, "action": "next"})
    client.post(url + "?page=2", {**PAGE_TWO, "action": "submit"})
    assert list(Response.objects.values_list("user_id", "invitation_id")) == [(None, None)]


def test_rate_limited_client_gets_a_clear_message(client, campaign, settings):
    from municipia.diagnosis import services

    url = _url("answer-public", slug=campaign.slug)
    for _ in range(services.RATE_LIMIT_PER_HOUR):
        client.post(url, {**PAGE_ONE, "action": "next"})
        client.post(url + "?page=2", {**PAGE_TWO, "action": "submit"})
    client.post(url, {**PAGE_ONE, "action": "next"})
    page = client.post(url + "?page=2", {**PAGE_TWO, "action": "submit"})
    assert page.status_code == 429
    assert Response.objects.count() == services.RATE_LIMIT_PER_HOUR
    assert RefusedSubmission.objects.get().reason == RefusalReason.RATE_LIMITED


def _submit_from(campaign, remote: str, forwarded: str) -> int:
    visitor = Client(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    url = _url("answer-public", slug=campaign.slug)
    visitor.post(url, {**PAGE_ONE, "action": "next"})
    return visitor.post(url + "?page=2", {**PAGE_TWO, "action": "submit"}).status_code


def test_rate_limit_keys_on_the_address_a_trusted_proxy_forwards(campaign, settings):
    from municipia.diagnosis import services

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for _ in range(services.RATE_LIMIT_PER_HOUR):
        assert _submit_from(campaign, "127.0.0.1", "203.0.113.5") == 302
    # The same visitor is refused; another visitor behind the same proxy is not.
    assert _submit_from(campaign, "127.0.0.1", "203.0.113.5") == 429
    assert _submit_from(campaign, "127.0.0.1", "203.0.113.6") == 302


def test_a_forged_forwarded_header_does_not_escape_the_rate_limit(campaign, settings):
    from municipia.diagnosis import services

    settings.TRUSTED_PROXIES = []
    for number in range(services.RATE_LIMIT_PER_HOUR):
        assert _submit_from(campaign, "198.51.100.7", f"203.0.113.{number}") == 302
    assert _submit_from(campaign, "198.51.100.7", "192.0.2.99") == 429


def test_answering_page_in_catalan_has_the_language_switcher(client, campaign):
    campaign.title_ca = "Serveis digitals 2025"
    campaign.save()
    page = client.get(_url("answer-public", lang="ca", slug=campaign.slug)).content.decode()
    assert "Serveis digitals 2025" in page
    assert f"/en/surveys/{campaign.slug}/" in page  # the switcher's link to English
