"""Services: bad input is refused with a message naming the field and nothing saved; history is kept."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from municipia.partnerships import services
from municipia.partnerships.choices import ClarificationStatus, CommitmentStatus, NewsStatus, Verdict
from municipia.partnerships.models import AgreementDocument, Clarification, Commitment, NewsPost
from municipia.partnerships.tests.factories import PDF_BYTES, ClarificationFactory, CommitmentFactory

pytestmark = pytest.mark.django_db


def pdf(name="memorandum.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def clarification_data(**overrides) -> dict:
    data = {
        "title_en": "Are e-services paid?",
        "claim_en": "The council charges for online certificates.",
        "verdict": Verdict.FALSE,
        "facts_en": "Online certificates are free.",
        "sources": "https://example.org/fees",
    }
    data.update(overrides)
    return data


def test_agreement_owner_is_always_a_party(world):
    agreement = services.agreement_create(
        acting_user=world.editor, owner=world.council, data={"title_en": "Convenio"}, parties=[world.partner]
    )
    assert set(agreement.parties.all()) == {world.council, world.partner}
    assert agreement.slug == "convenio"
    assert agreement.history.first().history_user == world.editor


def test_agreement_expiring_before_it_starts_names_expires_on(world):
    with pytest.raises(ValidationError) as caught:
        services.agreement_update(
            acting_user=world.editor, agreement=world.public, data={"expires_on": datetime.date(2020, 1, 1)}
        )
    assert "expires_on" in caught.value.message_dict


def test_party_with_commitments_cannot_be_removed(world):
    CommitmentFactory(agreement=world.public, party=world.partner)
    with pytest.raises(ValidationError) as caught:
        services.agreement_update(acting_user=world.editor, agreement=world.public, data={}, parties=[])
    assert "parties" in caught.value.message_dict


@pytest.mark.parametrize("due", [datetime.date(2022, 1, 1), datetime.date(2030, 1, 1)])
def test_commitment_due_outside_the_agreement_period_names_due_date(world, due):
    with pytest.raises(ValidationError) as caught:
        services.commitment_create(
            acting_user=world.editor,
            agreement=world.public,
            data={"party": world.partner, "deliverable_en": "Study", "due_date": due},
        )
    assert "due_date" in caught.value.message_dict
    assert not Commitment.objects.exists()


def test_commitment_of_an_organisation_that_is_not_a_party_names_party(world):
    with pytest.raises(ValidationError) as caught:
        services.commitment_create(
            acting_user=world.editor,
            agreement=world.public,
            data={"party": world.other_council, "deliverable_en": "Study", "due_date": datetime.date(2023, 1, 1)},
        )
    assert "party" in caught.value.message_dict
    assert not Commitment.objects.exists()


def test_commitment_without_a_deliverable_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        services.commitment_create(acting_user=world.editor, agreement=world.public, data={"party": world.partner})
    assert "deliverable_en" in caught.value.message_dict


def test_commitment_created_with_status_and_history(world):
    commitment = services.commitment_create(
        acting_user=world.partner_editor,
        agreement=world.public,
        data={"party": world.partner, "deliverable_en": "Study", "status": CommitmentStatus.IN_PROGRESS},
    )
    assert commitment.history.count() == 1


def test_signatory_of_an_organisation_that_is_not_a_party_names_organization(world):
    with pytest.raises(ValidationError) as caught:
        services.signatory_create(
            acting_user=world.editor,
            agreement=world.public,
            data={"person_name": "Someone", "organization": world.other_council},
        )
    assert "organization" in caught.value.message_dict


def test_pdf_document_is_stored_with_its_size(world):
    document = services.document_create(
        acting_user=world.editor, agreement=world.public, data={"title": "Signed text", "file": pdf()}
    )
    assert document.size == len(PDF_BYTES)
    assert document.file.read(5) == b"%PDF-"


def test_document_that_is_not_a_pdf_by_content_is_refused_whatever_its_name(world):
    fake = pdf(name="memorandum.pdf", content=b"<html>not a pdf</html>")
    with pytest.raises(ValidationError) as caught:
        services.document_create(acting_user=world.editor, agreement=world.public, data={"title": "x", "file": fake})
    assert "file" in caught.value.message_dict
    assert not AgreementDocument.objects.exists()


def test_document_larger_than_the_setting_is_refused(world, settings):
    settings.PARTNERSHIPS_DOCUMENT_MAX_BYTES = 20
    with pytest.raises(ValidationError) as caught:
        services.document_create(acting_user=world.editor, agreement=world.public, data={"title": "x", "file": pdf()})
    assert "file" in caught.value.message_dict
    assert not AgreementDocument.objects.exists()


def test_clarification_without_a_source_names_sources(world):
    with pytest.raises(ValidationError) as caught:
        services.clarification_create(
            acting_user=world.editor, publisher=world.council, data=clarification_data(sources=" \n")
        )
    assert "sources" in caught.value.message_dict
    assert not Clarification.objects.exists()


def test_clarification_without_a_verdict_names_verdict(world):
    with pytest.raises(ValidationError) as caught:
        services.clarification_create(
            acting_user=world.editor, publisher=world.council, data=clarification_data(verdict="")
        )
    assert "verdict" in caught.value.message_dict


def test_a_new_clarification_is_a_draft_by_its_author(world):
    clarification = services.clarification_create(
        acting_user=world.editor, publisher=world.council, data=clarification_data()
    )
    assert clarification.status == ClarificationStatus.DRAFT
    assert clarification.author == world.editor


def test_four_eyes_the_author_cannot_publish_their_own(world):
    clarification = services.clarification_create(
        acting_user=world.editor, publisher=world.council, data=clarification_data()
    )
    with pytest.raises(ValidationError) as caught:
        services.clarification_publish(acting_user=world.editor, clarification=clarification)
    assert "reviewer" in caught.value.message_dict
    clarification.refresh_from_db()
    assert clarification.status == ClarificationStatus.DRAFT


def test_four_eyes_an_editor_of_another_organisation_cannot_publish(world):
    clarification = services.clarification_create(
        acting_user=world.editor, publisher=world.council, data=clarification_data()
    )
    with pytest.raises(ValidationError):
        services.clarification_publish(acting_user=world.partner_editor, clarification=clarification)


def test_four_eyes_a_second_editor_of_the_publisher_publishes(world):
    clarification = services.clarification_create(
        acting_user=world.editor, publisher=world.council, data=clarification_data()
    )
    services.clarification_publish(acting_user=world.second_editor, clarification=clarification)
    clarification.refresh_from_db()
    assert clarification.status == ClarificationStatus.PUBLISHED
    assert clarification.reviewer == world.second_editor
    assert clarification.published_at is not None


def test_a_correction_keeps_the_earlier_version_and_marks_it_updated(world):
    clarification = ClarificationFactory(publisher=world.council, facts_en="First text.")
    services.clarification_update(
        acting_user=world.editor,
        clarification=clarification,
        data={"facts_en": "Corrected text.", "correction_note": "The figure was for February."},
    )
    clarification.refresh_from_db()
    assert clarification.corrected_at is not None
    version = clarification.versions.get()
    assert version.number == 1 and version.snapshot["facts_en"] == "First text."


def test_editing_a_draft_keeps_no_version(world):
    clarification = ClarificationFactory(publisher=world.council, status=ClarificationStatus.DRAFT)
    services.clarification_update(acting_user=world.editor, clarification=clarification, data={"facts_en": "New."})
    assert not clarification.versions.exists()
    assert clarification.corrected_at is None


def test_news_published_for_later_is_scheduled_and_goes_live_when_its_time_comes(world):
    later = timezone.now() + datetime.timedelta(hours=2)
    post = services.news_post_create(
        acting_user=world.editor,
        organization=world.council,
        data={"title_en": "Soon", "status": NewsStatus.PUBLISHED, "publish_at": later},
    )
    assert post.status == NewsStatus.SCHEDULED and not post.is_live
    NewsPost.objects.filter(pk=post.pk).update(publish_at=timezone.now() - datetime.timedelta(seconds=1))
    post.refresh_from_db()
    assert post.is_live and post.shown_status == NewsStatus.PUBLISHED


def test_news_published_without_a_time_is_published_now(world):
    post = services.news_post_create(
        acting_user=world.editor, organization=world.council, data={"title_en": "Now", "status": NewsStatus.PUBLISHED}
    )
    assert post.is_live


def test_scheduled_news_without_a_time_names_publish_at(world):
    with pytest.raises(ValidationError) as caught:
        services.news_post_create(
            acting_user=world.editor, organization=world.council, data={"title_en": "?", "status": NewsStatus.SCHEDULED}
        )
    assert "publish_at" in caught.value.message_dict


def test_news_image_without_alternative_text_is_refused(world):
    image = SimpleUploadedFile("photo.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif")
    with pytest.raises(ValidationError) as caught:
        services.news_post_create(
            acting_user=world.editor, organization=world.council, data={"title_en": "Photo", "image": image}
        )
    assert "image_alt_en" in caught.value.message_dict
    assert not NewsPost.objects.exists()
