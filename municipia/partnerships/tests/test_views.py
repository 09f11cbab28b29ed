"""Pages: the registers, an agreement's page, document downloads, JSON-LD, search, and feeds."""

import datetime
import json

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from lxml import html

from municipia.partnerships.choices import ClarificationStatus, NewsStatus, Verdict
from municipia.partnerships.models import AgreementDocument
from municipia.partnerships.tests.factories import (
    PDF_BYTES,
    AgreementDocumentFactory,
    ClarificationFactory,
    NewsPostFactory,
)
from municipia.strategy.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


def test_register_shows_public_agreements_to_everyone_and_private_ones_to_the_parties(client, world):
    url = reverse("partnerships:agreement-list")
    anonymous = client.get(url).content.decode()
    assert world.public.title in anonymous and world.private.title not in anonymous
    client.force_login(world.partner_editor)
    assert world.private.title in client.get(url).content.decode()
    client.force_login(world.other_editor)
    assert world.private.title not in client.get(url).content.decode()


@pytest.mark.parametrize(
    "reader, status", [("anonymous", 404), ("other_editor", 404), ("partner_editor", 200), ("admin", 200)]
)
def test_private_agreement_page(client, world, reader, status):
    if reader != "anonymous":
        client.force_login(getattr(world, reader))
    assert client.get(world.private.get_absolute_url()).status_code == status


@pytest.mark.parametrize("reader, status", [("anonymous", 404), ("other_editor", 404), ("editor", 200)])
def test_documents_of_private_agreements_download_only_for_those_who_may_see_them(client, world, reader, status):
    document = AgreementDocumentFactory(agreement=world.private)
    if reader != "anonymous":
        client.force_login(getattr(world, reader))
    response = client.get(document.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == PDF_BYTES


def test_public_document_downloads_for_anyone(client, world):
    document = AgreementDocumentFactory(agreement=world.public)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_upload_page_refuses_a_file_that_is_not_a_pdf_and_keeps_nothing(client, world):
    client.force_login(world.editor)
    url = reverse("partnerships:agreementdocument-create", args=[world.public.slug])
    fake = SimpleUploadedFile("a.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(url, {"title": "Signed", "file": fake})
    assert response.status_code == 400
    assert "not a PDF" in response.content.decode()
    assert not AgreementDocument.objects.exists()
    good = SimpleUploadedFile("a.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(url, {"title": "Signed", "file": good})
    assert response.status_code == 302
    assert AgreementDocument.objects.get().size == len(PDF_BYTES)


def json_ld_of(page: bytes) -> list[dict]:
    tree = html.fromstring(page)
    return [json.loads(node.text) for node in tree.xpath('//script[@type="application/ld+json"]')]


def test_clarification_page_carries_claim_review_json_ld_with_every_property(client, world):
    clarification = ClarificationFactory(publisher=world.council, verdict=Verdict.MISLEADING)
    response = client.get(clarification.get_absolute_url())
    [review] = json_ld_of(response.content)
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["url"] == "http://testserver" + clarification.get_absolute_url()
    assert review["claimReviewed"] == clarification.claim
    assert review["datePublished"] == clarification.published_at.date().isoformat()
    assert review["author"] == {
        "@type": "Organization",
        "name": "Sofia",
        "url": "http://testserver/en/organizations/sofia/",
    }
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Misleading",
    }
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "A social media account"}
    assert item["datePublished"] == "2024-03-01"
    assert item["appearance"]["url"] == "https://example.org/post/1"
    assert item["firstAppearance"]["url"] == "https://example.org/post/1"


def test_claim_review_alternate_name_is_in_the_page_language(client, world):
    clarification = ClarificationFactory(publisher=world.council, verdict=Verdict.FALSE)
    response = client.get(clarification.get_absolute_url().replace("/en/", "/es/"))
    [review] = json_ld_of(response.content)
    with translation.override("es"):
        assert review["reviewRating"]["alternateName"] == str(Verdict.FALSE.label)


def test_drafts_are_hidden_from_the_public_and_carry_no_json_ld(client, world):
    draft = ClarificationFactory(publisher=world.council, status=ClarificationStatus.DRAFT, published_at=None)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(world.editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200 and json_ld_of(response.content) == []


def test_corrected_clarification_shows_the_updated_notice(client, world):
    clarification = ClarificationFactory(
        publisher=world.council, corrected_at=timezone.now(), correction_note="Fixed a date."
    )
    page = client.get(clarification.get_absolute_url()).content.decode()
    assert "Updated" in page and "Fixed a date." in page


def test_register_search_finds_in_any_language(client, world):
    ClarificationFactory(publisher=world.council, title_en="Parking permits", title_es="Permisos de aparcamiento")
    ClarificationFactory(publisher=world.council, title_en="Waste collection")
    page = client.get(reverse("partnerships:clarification-list"), {"q": "aparcamiento"}).content.decode()
    assert "Parking permits" in page and "Waste collection" not in page


def test_clarification_feed_parses(client, world):
    ClarificationFactory(publisher=world.council, title_en="Parking permits")
    ClarificationFactory(publisher=world.council, title_en="Draft one", status=ClarificationStatus.DRAFT)
    feed = feedparser.parse(client.get(reverse("partnerships:clarification-feed")).content)
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["False: Parking permits"]


@pytest.mark.parametrize("fmt, version", [("atom", "atom10"), ("rss", "rss20")])
def test_site_news_feed_parses_and_lists_only_live_posts(client, world, fmt, version):
    NewsPostFactory(organization=world.council, title_en="Live post")
    NewsPostFactory(organization=world.council, title_en="Draft post", status=NewsStatus.DRAFT)
    later = timezone.now() + datetime.timedelta(days=1)
    NewsPostFactory(organization=world.council, title_en="Later post", status=NewsStatus.SCHEDULED, publish_at=later)
    feed = feedparser.parse(client.get(reverse("partnerships:news-feed", args=[fmt])).content)
    assert not feed.bozo and feed.version == version
    assert [entry.title for entry in feed.entries] == ["Live post"]
    assert feed.entries[0].link.endswith("/en/partnerships/news/" + feed.entries[0].link.rsplit("/news/", 1)[1])


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_plan_and_organisation_feeds(client, world, fmt):
    plan = PlanFactory(owner=world.council)
    in_plan = NewsPostFactory(organization=world.council, title_en="About the plan")
    in_plan.plans.add(plan)
    NewsPostFactory(organization=world.partner, title_en="Partner news")
    plan_feed = feedparser.parse(client.get(reverse("partnerships:plan-news-feed", args=[plan.slug, fmt])).content)
    assert [e.title for e in plan_feed.entries] == ["About the plan"]
    org_feed = feedparser.parse(
        client.get(reverse("partnerships:organization-news-feed", args=["iab-bulgaria", fmt])).content
    )
    assert [e.title for e in org_feed.entries] == ["Partner news"]


def test_unknown_feed_format_is_not_found(client, world):
    assert client.get(reverse("partnerships:news-feed", args=["json"])).status_code == 404


def test_scheduled_post_appears_on_the_list_when_its_time_comes(client, world):
    post = NewsPostFactory(
        organization=world.council,
        title_en="Scheduled",
        status=NewsStatus.SCHEDULED,
        publish_at=timezone.now() + datetime.timedelta(hours=1),
    )
    url = reverse("partnerships:newspost-list")
    assert "Scheduled" not in client.get(url).content.decode()
    assert client.get(post.get_absolute_url()).status_code == 404
    post.publish_at = timezone.now() - datetime.timedelta(seconds=1)
    post.save()
    assert "Scheduled" in client.get(url).content.decode()
    assert client.get(post.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "name, label",
    [
        ("agreement-list", "New agreement"),
        ("clarification-list", "New clarification"),
        ("newspost-list", "New news post"),
    ],
)
def test_registers_offer_editors_a_new_link_for_their_organisation(client, world, name, label):
    url = reverse(f"partnerships:{name}")
    assert label not in client.get(url).content.decode()
    client.force_login(world.editor)
    assert f"{label} · Sofia" in client.get(url).content.decode()


GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def test_news_post_with_an_image_needs_its_alternative_text_on_the_page(client, world):
    client.force_login(world.editor)
    url = reverse("partnerships:newspost-create", args=["sofia"])
    data = {"title_en": "Signed", "status": "published"}
    response = client.post(url, {**data, "image": SimpleUploadedFile("p.gif", GIF, content_type="image/gif")})
    assert response.status_code == 400 and "Describe the image" in response.content.decode()
    image = SimpleUploadedFile("p.gif", GIF, content_type="image/gif")
    response = client.post(url, {**data, "image": image, "image_alt_en": "The mayor signing"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'alt="The mayor signing"' in page
