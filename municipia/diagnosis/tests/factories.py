"""factory_boy factories for questionnaires, campaigns, invitations and findings, and a small
questionnaire with one question of every kind (`build_questionnaire`)."""

import datetime
import secrets

import factory

from municipia.diagnosis.choices import Access, CampaignStatus, QuestionKind, SwotKind
from municipia.diagnosis.models import (
    Campaign,
    Finding,
    Invitation,
    MaturityAssessment,
    MaturityDimension,
    Option,
    Question,
    Questionnaire,
    Section,
)
from municipia.organizations.tests.factories import OrganizationFactory
from municipia.strategy.tests.factories import PlanFactory


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    owner = factory.SubFactory(OrganizationFactory)
    title_en = factory.Sequence(lambda n: f"Questionnaire {n}")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    title_en = factory.Sequence(lambda n: f"Section {n}")
    position = factory.Sequence(lambda n: n + 1)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    section = factory.SubFactory(SectionFactory)
    questionnaire = factory.LazyAttribute(lambda q: q.section.questionnaire)
    code = factory.Sequence(lambda n: f"q{n + 1}")
    kind = QuestionKind.TEXT
    text_en = factory.Sequence(lambda n: f"Question {n}?")
    position = factory.Sequence(lambda n: n + 1)


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    question = factory.SubFactory(QuestionFactory)
    code = factory.Sequence(lambda n: f"o{n + 1}")
    label_en = factory.Sequence(lambda n: f"Option {n}")
    position = factory.Sequence(lambda n: n + 1)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    owner = factory.LazyAttribute(lambda c: c.questionnaire.owner)
    title_en = factory.Sequence(lambda n: f"Survey {n}")
    slug = factory.Sequence(lambda n: f"survey-{n}")
    access = Access.PUBLIC_LINK
    status = CampaignStatus.OPEN
    is_anonymous = True


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    campaign = factory.SubFactory(CampaignFactory, access=Access.INVITATION)
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(24))


class MaturityDimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaturityDimension
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dimension-{n}")
    name_en = factory.Sequence(lambda n: f"Dimension {n}")


class MaturityAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaturityAssessment

    organization = factory.SubFactory(OrganizationFactory)
    assessed_on = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(days=n))


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    plan = factory.SubFactory(PlanFactory)
    kind = SwotKind.WEAKNESS
    title_en = factory.Sequence(lambda n: f"Finding {n}")


def _options(question, codes, *, is_row=False):
    for position, code in enumerate(codes, start=1):
        Option.objects.create(question=question, code=code, label_en=code.title(), position=position, is_row=is_row)


def build_questionnaire(owner=None) -> Questionnaire:
    """Two sections; every kind of question; `uses_online` shows `why_not` when "no" (page 2)."""
    questionnaire = QuestionnaireFactory(owner=owner or OrganizationFactory(), title_en="Digital services")
    first = SectionFactory(questionnaire=questionnaire, title_en="About you", position=1)
    second = SectionFactory(questionnaire=questionnaire, title_en="Services", position=2)

    def make(section, code, kind, **extra):
        return Question.objects.create(
            questionnaire=questionnaire, section=section, code=code, kind=kind, text_en=f"{code}?", **extra
        )

    age = make(first, "age_band", QuestionKind.SINGLE_CHOICE, required=True, is_profile=True, profile_kind="age_band")
    _options(age, ["16-29", "30-49", "50-64", "65+"])
    uses = make(first, "uses_online", QuestionKind.SINGLE_CHOICE, required=True, position=2)
    _options(uses, ["yes", "no"])
    channels = make(first, "channels", QuestionKind.MULTIPLE_CHOICE, allow_other=True, max_choices=2, position=3)
    _options(channels, ["web", "app", "phone"])
    make(second, "satisfaction", QuestionKind.LIKERT, required=True, scale_min=1, scale_max=5, position=1)
    why = make(
        second,
        "why_not",
        QuestionKind.TEXT,
        required=True,
        max_length=50,
        position=2,
        show_if_question=uses,
        show_if_values=["no"],
    )
    assert why.show_if_question_id
    make(second, "visits", QuestionKind.NUMBER, number_min=0, number_max=365, position=3)
    ranking = make(second, "priorities", QuestionKind.RANKING, position=4)
    _options(ranking, ["speed", "privacy", "cost"])
    matrix = make(second, "ratings", QuestionKind.MATRIX, position=5)
    _options(matrix, ["bad", "ok", "good"])
    _options(matrix, ["portal", "app"], is_row=True)
    return questionnaire


VALID_ANSWERS = {
    "age_band": "30-49",
    "uses_online": "yes",
    "channels": ["web", "app"],
    "satisfaction": 4,
    "visits": 12,
    "priorities": ["privacy", "speed"],
    "ratings": {"portal": "good", "app": "ok"},
}
