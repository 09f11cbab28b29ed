"""Every write route of the app × every role: who may open it, and that refused writes change nothing."""

import pytest
from django.urls import reverse

from municipia.partnerships.models import (
    Agreement,
    AgreementDocument,
    Clarification,
    Commitment,
    NewsletterSend,
    NewsPost,
    Signatory,
    Subscription,
)
from municipia.partnerships.tests.factories import (
    AgreementDocumentFactory,
    ClarificationFactory,
    CommitmentFactory,
    NewsPostFactory,
    SignatoryFactory,
)

pytestmark = pytest.mark.django_db

MODELS = (Agreement, Signatory, AgreementDocument, Commitment, Clarification, NewsPost)
ROLES = ("anonymous", "plain_user", "other_editor", "partner_editor", "editor", "admin")
# Who may open each kind of route: editors of a party change an agreement and what it holds;
# only the publisher's editors write its clarifications and news.
AGREEMENT_WRITERS = {"partner_editor", "editor", "admin"}
PUBLISHER_WRITERS = {"editor", "admin"}


def fingerprint() -> tuple:
    counts = tuple((m.objects.count(), m.history.count()) for m in MODELS)
    return (*counts, NewsletterSend.objects.count(), Subscription.objects.count())


def routes(world) -> list[tuple[str, set[str]]]:
    signatory = SignatoryFactory(agreement=world.public)
    commitment = CommitmentFactory(agreement=world.public)
    document = AgreementDocumentFactory(agreement=world.public)
    clarification = ClarificationFactory(publisher=world.council)
    post = NewsPostFactory(organization=world.council)
    a, c, n = world.public.slug, clarification.slug, post.slug
    return [
        (reverse("partnerships:agreement-create", args=["sofia"]), PUBLISHER_WRITERS),
        (reverse("partnerships:agreement-update", args=[a]), AGREEMENT_WRITERS),
        (reverse("partnerships:agreement-delete", args=[a]), AGREEMENT_WRITERS),
        (reverse("partnerships:signatory-create", args=[a]), AGREEMENT_WRITERS),
        (reverse("partnerships:signatory-update", args=[signatory.pk]), AGREEMENT_WRITERS),
        (reverse("partnerships:signatory-delete", args=[signatory.pk]), AGREEMENT_WRITERS),
        (reverse("partnerships:commitment-create", args=[a]), AGREEMENT_WRITERS),
        (reverse("partnerships:commitment-update", args=[commitment.pk]), AGREEMENT_WRITERS),
        (reverse("partnerships:commitment-delete", args=[commitment.pk]), AGREEMENT_WRITERS),
        (reverse("partnerships:agreementdocument-create", args=[a]), AGREEMENT_WRITERS),
        (reverse("partnerships:agreementdocument-update", args=[document.pk]), AGREEMENT_WRITERS),
        (reverse("partnerships:agreementdocument-delete", args=[document.pk]), AGREEMENT_WRITERS),
        (reverse("partnerships:clarification-create", args=["sofia"]), PUBLISHER_WRITERS),
        (reverse("partnerships:clarification-update", args=[c]), PUBLISHER_WRITERS),
        (reverse("partnerships:clarification-delete", args=[c]), PUBLISHER_WRITERS),
        (reverse("partnerships:clarification-publish", args=[c]), PUBLISHER_WRITERS),
        (reverse("partnerships:newspost-create", args=["sofia"]), PUBLISHER_WRITERS),
        (reverse("partnerships:newspost-update", args=[n]), PUBLISHER_WRITERS),
        (reverse("partnerships:newspost-delete", args=[n]), PUBLISHER_WRITERS),
        # Sending the newsletter to every subscriber: site administrators only.
        (reverse("partnerships:newsletter-send-list"), {"admin"}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_write_routes_by_role(client, world, role):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    table = routes(world)
    before = fingerprint()
    for url, writers in table:
        if role in writers:
            if url.endswith("/publish/"):
                continue  # POST only; the four-eyes rule is tested on its own
            assert client.get(url).status_code == 200, url
            continue
        shown, posted = client.get(url), client.post(url, {})
        if role == "anonymous":
            assert shown.status_code == 302 and "/login" in shown["Location"], url
            assert posted.status_code == 302 and "/login" in posted["Location"], url
        else:
            assert shown.status_code == 403, url
            assert posted.status_code == 403, url
    assert fingerprint() == before


def test_publish_page_refuses_the_author_and_lets_a_second_editor_publish(client, world):
    draft = ClarificationFactory(publisher=world.council, status="draft", published_at=None, author=world.editor)
    url = reverse("partnerships:clarification-publish", args=[draft.slug])
    client.force_login(world.editor)
    response = client.post(url, follow=True)
    assert "No one publishes alone" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
    client.force_login(world.second_editor)
    client.post(url)
    draft.refresh_from_db()
    assert draft.status == "published" and draft.reviewer == world.second_editor


def test_editor_creates_an_agreement_through_the_page(client, world):
    client.force_login(world.editor)
    url = reverse("partnerships:agreement-create", args=["sofia"])
    response = client.post(url, {"kind": "memorandum", "title_en": "Memorandum with the university", "is_public": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement = Agreement.objects.get(slug="memorandum-with-the-university")
    assert list(agreement.parties.all()) == [world.council]


def test_commitment_form_keeps_what_was_typed_and_names_due_date(client, world):
    client.force_login(world.editor)
    url = reverse("partnerships:commitment-create", args=[world.public.slug])
    response = client.post(
        url,
        {
            "party": world.partner.pk,
            "deliverable_en": "Quantitative study",
            "due_date": "2035-01-01",
            "status": "pending",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Quantitative study" in page and "agreement&#x27;s period" in page
    assert not Commitment.objects.exists()
