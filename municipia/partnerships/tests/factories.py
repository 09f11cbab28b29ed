"""factory_boy factories for agreements, commitments, clarifications and news (`<Model>Factory`)."""

import datetime

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from municipia.organizations.tests.factories import OrganizationFactory, PartnerFactory
from municipia.partnerships.choices import ClarificationStatus, NewsStatus, Verdict
from municipia.partnerships.models import (
    Agreement,
    AgreementDocument,
    Clarification,
    Commitment,
    NewsPost,
    Signatory,
    Subscription,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class AgreementFactory(factory.django.DjangoModelFactory):
    """A public memorandum between a council (its owner) and a partner."""

    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    owner = factory.SubFactory(OrganizationFactory)
    title_en = factory.Sequence(lambda n: f"Memorandum {n}")
    slug = factory.Sequence(lambda n: f"memorandum-{n}")
    signed_on = datetime.date(2022, 7, 26)
    in_force_from = datetime.date(2022, 7, 26)
    expires_on = datetime.date(2026, 7, 25)
    is_public = True

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if not create:
            return
        self.parties.add(self.owner, *(extracted if extracted is not None else [PartnerFactory()]))


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    agreement = factory.SubFactory(AgreementFactory)
    person_name = factory.Sequence(lambda n: f"Signatory {n}")
    position = "Mayor"
    organization = factory.LazyAttribute(lambda s: s.agreement.owner)
    signed_on = datetime.date(2022, 7, 26)


class AgreementDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementDocument

    agreement = factory.SubFactory(AgreementFactory)
    title = factory.Sequence(lambda n: f"Signed text {n}")
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="memorandum.pdf"))
    size = len(PDF_BYTES)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    agreement = factory.SubFactory(AgreementFactory)
    party = factory.LazyAttribute(lambda c: c.agreement.owner)
    deliverable_en = factory.Sequence(lambda n: f"Deliverable {n}")
    due_date = datetime.date(2023, 6, 30)


class ClarificationFactory(factory.django.DjangoModelFactory):
    """A published clarification (drafts: `status=ClarificationStatus.DRAFT`)."""

    class Meta:
        model = Clarification

    publisher = factory.SubFactory(OrganizationFactory)
    slug = factory.Sequence(lambda n: f"clarification-{n}")
    title_en = factory.Sequence(lambda n: f"Is the e-services portal down? {n}")
    claim_en = "The council's e-services portal has been down for a month."
    claim_author = "A social media account"
    claim_seen_at = "Social media post"
    claim_url = "https://example.org/post/1"
    claim_first_seen = datetime.date(2024, 3, 1)
    verdict = Verdict.FALSE
    facts_en = "The portal was available 99.9 % of the time in March."
    sources = "https://example.org/status-report"
    status = ClarificationStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class NewsPostFactory(factory.django.DjangoModelFactory):
    """A published news post (drafts: `status=NewsStatus.DRAFT`)."""

    class Meta:
        model = NewsPost
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    slug = factory.Sequence(lambda n: f"news-{n}")
    title_en = factory.Sequence(lambda n: f"News {n}")
    summary_en = "A short summary."
    status = NewsStatus.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    @factory.post_generation
    def plans(self, create, extracted, **kwargs):
        if create and extracted:
            self.plans.add(*extracted)


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed newsletter subscription to the whole site's news."""

    class Meta:
        model = Subscription

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    language = "en"
    scope = "site"
    confirmed_at = factory.LazyFunction(timezone.now)
    last_sent_at = factory.LazyFunction(timezone.now)
