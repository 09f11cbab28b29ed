"""API: the same visibility and permissions as the pages, errors naming the field, the four-eyes rule."""

import pytest
from rest_framework.test import APIClient

from municipia.partnerships.choices import ClarificationStatus, NewsStatus
from municipia.partnerships.models import Agreement, Clarification, Commitment
from municipia.partnerships.tests.factories import ClarificationFactory, CommitmentFactory, NewsPostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def slugs(response) -> set[str]:
    return {row["slug"] for row in response.json()["results"]}


def test_agreements_listed_as_on_the_register(api, world):
    assert slugs(api.get("/api/v1/agreements/")) == {"sofia-iab"}
    api.force_authenticate(world.partner_editor)
    assert slugs(api.get("/api/v1/agreements/")) == {"sofia-iab", "sofia-iab-private"}
    assert api.get("/api/v1/agreements/sofia-iab-private/").status_code == 200
    api.force_authenticate(world.other_editor)
    assert api.get("/api/v1/agreements/sofia-iab-private/").status_code == 404


def test_editor_creates_an_agreement_with_parties(api, world):
    api.force_authenticate(world.editor)
    response = api.post(
        "/api/v1/agreements/",
        {"owner": "sofia", "title_en": "Convenio", "parties": ["iab-bulgaria"], "kind": "convenio"},
    )
    assert response.status_code == 201, response.json()
    assert set(response.json()["parties"]) == {"sofia", "iab-bulgaria"}


def test_editor_of_another_council_cannot_register_an_agreement_for_sofia(api, world):
    api.force_authenticate(world.other_editor)
    response = api.post("/api/v1/agreements/", {"owner": "sofia", "title_en": "Convenio"})
    assert response.status_code == 403
    assert Agreement.objects.count() == 2


def test_commitment_due_outside_the_period_is_a_400_naming_due_date(api, world):
    api.force_authenticate(world.partner_editor)
    response = api.post(
        "/api/v1/commitments/",
        {"agreement": "sofia-iab", "party": "iab-bulgaria", "deliverable_en": "Study", "due_date": "2031-01-01"},
    )
    assert response.status_code == 400
    assert "due_date" in str(response.json())
    assert not Commitment.objects.exists()


def test_commitment_created_and_reported_with_fulfilment(api, world):
    api.force_authenticate(world.partner_editor)
    response = api.post(
        "/api/v1/commitments/",
        {"agreement": "sofia-iab", "party": "iab-bulgaria", "deliverable_en": "Study", "due_date": "2023-01-01"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["fulfilled"] is False


def test_commitments_of_private_agreements_are_hidden(api, world):
    CommitmentFactory(agreement=world.private)
    assert api.get("/api/v1/commitments/").json()["count"] == 0


def test_unrelated_editor_cannot_change_a_commitment(api, world):
    commitment = CommitmentFactory(agreement=world.public)
    api.force_authenticate(world.other_editor)
    response = api.patch(f"/api/v1/commitments/{commitment.pk}/", {"evidence": "x"})
    assert response.status_code == 403


def test_four_eyes_through_the_api(api, world):
    api.force_authenticate(world.editor)
    response = api.post(
        "/api/v1/clarifications/",
        {
            "publisher": "sofia",
            "title_en": "Fees",
            "claim_en": "Online certificates cost money.",
            "verdict": "false",
            "facts_en": "They are free.",
            "sources": "https://example.org/fees",
        },
    )
    assert response.status_code == 201, response.json()
    slug = response.json()["slug"]
    assert response.json()["status"] == ClarificationStatus.DRAFT
    refused = api.post(f"/api/v1/clarifications/{slug}/publish/")
    assert refused.status_code == 400 and "reviewer" in str(refused.json())
    assert api.get(f"/api/v1/clarifications/{slug}/").json()["status"] == ClarificationStatus.DRAFT
    api.force_authenticate(world.second_editor)
    published = api.post(f"/api/v1/clarifications/{slug}/publish/")
    assert published.status_code == 200 and published.json()["status"] == ClarificationStatus.PUBLISHED


def test_clarification_without_sources_is_a_400_naming_sources(api, world):
    api.force_authenticate(world.editor)
    response = api.post(
        "/api/v1/clarifications/",
        {"publisher": "sofia", "title_en": "Fees", "claim_en": "x", "verdict": "false", "sources": ""},
    )
    assert response.status_code == 400 and "sources" in str(response.json())
    assert not Clarification.objects.exists()


def test_drafts_are_not_listed_for_the_public(api, world):
    ClarificationFactory(publisher=world.council, slug="published-one")
    ClarificationFactory(publisher=world.council, slug="draft-one", status=ClarificationStatus.DRAFT)
    assert slugs(api.get("/api/v1/clarifications/")) == {"published-one"}


def test_news_lists_live_posts_for_the_public_and_drafts_for_editors(api, world):
    NewsPostFactory(organization=world.council, slug="live")
    NewsPostFactory(organization=world.council, slug="draft", status=NewsStatus.DRAFT)
    assert slugs(api.get("/api/v1/news/")) == {"live"}
    api.force_authenticate(world.editor)
    assert slugs(api.get("/api/v1/news/")) == {"live", "draft"}


def test_editor_posts_news_linked_to_an_agreement(api, world):
    api.force_authenticate(world.editor)
    response = api.post(
        "/api/v1/news/",
        {"organization": "sofia", "title_en": "Signed", "status": "published", "agreements": ["sofia-iab"]},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["agreements"] == ["sofia-iab"] and response.json()["is_live"] is True


def test_links_to_objects_the_reader_may_not_see_are_left_out(api, world):
    from municipia.strategy.tests.factories import PlanFactory

    post = NewsPostFactory(organization=world.council, slug="with-links")
    post.plans.add(PlanFactory(owner=world.council, slug="public-plan"))
    post.plans.add(PlanFactory(owner=world.council, slug="draft-plan", is_published=False))
    assert api.get("/api/v1/news/with-links/").json()["plans"] == ["public-plan"]
    api.force_authenticate(world.editor)
    assert sorted(api.get("/api/v1/news/with-links/").json()["plans"]) == ["draft-plan", "public-plan"]


def test_links_can_only_name_objects_the_writer_may_see(api, world):
    from municipia.strategy.tests.factories import PlanFactory

    PlanFactory(owner=world.other_council, slug="tremp-draft", is_published=False)
    api.force_authenticate(world.editor)
    response = api.post(
        "/api/v1/news/", {"organization": "sofia", "title_en": "Linked", "status": "draft", "plans": ["tremp-draft"]}
    )
    assert response.status_code == 400 and "plans" in str(response.json())
