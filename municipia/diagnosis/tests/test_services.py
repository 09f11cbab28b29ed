"""Services: answers checked per kind, conditions, submission, invitations CSV, templates, findings."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from municipia.diagnosis import services
from municipia.diagnosis.answers import clean_answers
from municipia.diagnosis.choices import Access, CampaignStatus, RefusalReason
from municipia.diagnosis.models import Answer, Invitation, MaturityAssessment, Question, RefusedSubmission, Response
from municipia.diagnosis.selectors import questionnaire_structure
from municipia.diagnosis.tests.factories import (
    VALID_ANSWERS,
    CampaignFactory,
    FindingFactory,
    InvitationFactory,
    build_questionnaire,
)
from municipia.organizations.tests.factories import DepartmentFactory, OrganizationFactory, UserFactory
from municipia.strategy.tests.factories import AxisFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def structure():
    return questionnaire_structure(build_questionnaire())


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("age_band", "12-15", "not one of the options"),
        ("channels", ["web", "fax"], "not one of the options"),
        ("channels", ["web", "app", "phone"], "at most 2"),
        ("satisfaction", 6, "between 1 and 5"),
        ("satisfaction", 0, "between 1 and 5"),
        ("satisfaction", "very", "point of the scale"),
        ("visits", "many", "Enter a number"),
        ("visits", 400, "at most 365"),
        ("visits", -1, "at least 0"),
        ("priorities", ["speed", "speed"], "one place only"),
        ("priorities", ["teleport"], "not one of the options"),
        ("ratings", {"portal": "excellent"}, "not one of the options"),
        ("ratings", {"tram": "good"}, "not one of the rows"),
        ("age_band", {"option": None, "other": "ninety"}, "no “other” answer"),
    ],
)
def test_bad_answer_of_each_kind_is_named_by_question_code(structure, code, value, message):
    _cleaned, errors = clean_answers({**VALID_ANSWERS, code: value}, structure, final=True)
    assert list(errors) == [code]
    assert message in errors[code]


def test_text_over_the_limit_is_refused(structure):
    answers = {**VALID_ANSWERS, "uses_online": "no", "why_not": "x" * 51}
    _cleaned, errors = clean_answers(answers, structure, final=True)
    assert "at most 50 characters" in errors["why_not"]


def test_missing_required_answer_is_an_error_on_submit_only(structure):
    answers = {k: v for k, v in VALID_ANSWERS.items() if k != "satisfaction"}
    assert "satisfaction" in clean_answers(answers, structure, final=True)[1]
    assert clean_answers(answers, structure, final=False)[1] == {}


def test_unknown_question_code_is_named(structure):
    _cleaned, errors = clean_answers({**VALID_ANSWERS, "shoe_size": 42}, structure, final=True)
    assert "shoe_size" in errors


def test_conditional_question_is_required_only_when_shown(structure):
    shown = {**VALID_ANSWERS, "uses_online": "no"}
    assert clean_answers(shown, structure, final=True)[1] == {"why_not": "This question needs an answer."}
    assert clean_answers(VALID_ANSWERS, structure, final=True)[1] == {}


def test_answers_to_hidden_conditional_questions_are_discarded(structure):
    cleaned, errors = clean_answers({**VALID_ANSWERS, "why_not": "too slow"}, structure, final=True)
    assert errors == {}
    assert "why_not" not in cleaned


def test_other_answer_is_kept_as_text(structure):
    cleaned, errors = clean_answers(
        {**VALID_ANSWERS, "channels": {"options": ["web"], "other": "kiosk"}}, structure, final=True
    )
    assert errors == {}
    assert cleaned["channels"] == {"options": ["web"], "other": "kiosk"}


def test_submission_stores_one_answer_row_per_value():
    campaign = CampaignFactory(questionnaire=build_questionnaire())
    structure = questionnaire_structure(campaign.questionnaire)
    response = services.response_submit(campaign=campaign, answers=VALID_ANSWERS, structure=structure)
    answers = Answer.objects.filter(response=response)
    assert answers.filter(question__code="channels").count() == 2
    assert list(
        answers.filter(question__code="priorities").order_by("rank").values_list("option__code", flat=True)
    ) == [
        "privacy",
        "speed",
    ]
    assert answers.get(question__code="satisfaction").value_number == 4
    assert answers.filter(question__code="ratings", row__code="portal", option__code="good").exists()


def test_invalid_submission_stores_nothing_and_counts_the_refusal():
    campaign = CampaignFactory(questionnaire=build_questionnaire())
    structure = questionnaire_structure(campaign.questionnaire)
    with pytest.raises(services.SubmissionRefused) as exc:
        services.response_submit(campaign=campaign, answers={**VALID_ANSWERS, "satisfaction": 9}, structure=structure)
    assert exc.value.reason == RefusalReason.INVALID
    assert "satisfaction" in exc.value.errors
    assert not Response.objects.exists()
    assert not Answer.objects.exists()
    assert RefusedSubmission.objects.get().reason == RefusalReason.INVALID


def test_anonymous_response_keeps_no_user_no_invitation_and_only_the_day():
    campaign = CampaignFactory(questionnaire=build_questionnaire(), access=Access.INVITATION, is_anonymous=True)
    invitation = InvitationFactory(campaign=campaign)
    structure = questionnaire_structure(campaign.questionnaire)
    services.response_submit(invitation=invitation, answers=VALID_ANSWERS, structure=structure, user=UserFactory())
    row = Response.objects.values().get()
    assert row["user_id"] is None
    assert row["invitation_id"] is None
    assert timezone.localtime(row["submitted_at"]).time() == datetime.time(0, 0)
    invitation.refresh_from_db()
    assert invitation.is_used and invitation.used_at is None and invitation.draft == {}
    # No column of the response table could hold an address or a token.
    names = {f.column for f in Response._meta.concrete_fields}
    assert not names & {"ip", "ip_address", "token", "email", "user_agent"}


def test_named_campaign_keeps_the_invitation_and_one_response_per_token():
    campaign = CampaignFactory(questionnaire=build_questionnaire(), access=Access.INVITATION, is_anonymous=False)
    invitation = InvitationFactory(campaign=campaign)
    structure = questionnaire_structure(campaign.questionnaire)
    services.response_submit(invitation=invitation, answers=VALID_ANSWERS, structure=structure)
    assert Response.objects.get().invitation_id == invitation.pk
    with pytest.raises(services.SubmissionRefused) as exc:
        services.response_submit(invitation=invitation, answers=VALID_ANSWERS, structure=structure)
    assert exc.value.reason == RefusalReason.TOKEN_USED
    assert Response.objects.count() == 1


def test_signed_in_user_answers_a_named_public_campaign_once():
    campaign = CampaignFactory(questionnaire=build_questionnaire(), is_anonymous=False)
    structure = questionnaire_structure(campaign.questionnaire)
    user = UserFactory()
    services.response_submit(campaign=campaign, answers=VALID_ANSWERS, structure=structure, user=user)
    with pytest.raises(services.SubmissionRefused) as exc:
        services.response_submit(campaign=campaign, answers=VALID_ANSWERS, structure=structure, user=user)
    assert exc.value.reason == RefusalReason.ALREADY_ANSWERED
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        ({"revoked": True}, RefusalReason.TOKEN_REVOKED),
        ({"used": True}, RefusalReason.TOKEN_USED),
        ({"closed": True}, RefusalReason.CLOSED),
    ],
)
def test_unusable_invitation_is_refused_with_its_reason(setup, reason):
    campaign = CampaignFactory(
        questionnaire=build_questionnaire(),
        access=Access.INVITATION,
        status=CampaignStatus.CLOSED if setup.get("closed") else CampaignStatus.OPEN,
    )
    invitation = InvitationFactory(campaign=campaign, is_used=setup.get("used", False))
    if setup.get("revoked"):
        services.invitation_revoke(acting_user=None, invitation=invitation)
    with pytest.raises(services.SubmissionRefused) as exc:
        services.response_submit(
            invitation=invitation, answers=VALID_ANSWERS, structure=questionnaire_structure(campaign.questionnaire)
        )
    assert exc.value.reason == reason
    assert not Response.objects.exists()
    assert RefusedSubmission.objects.get().reason == reason


def test_campaign_past_its_closing_date_accepts_nothing():
    campaign = CampaignFactory(questionnaire=build_questionnaire())
    campaign.closes_at = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    assert not campaign.is_accepting()


def test_public_link_rate_limit_refuses_after_twenty_per_client():
    campaign = CampaignFactory(questionnaire=build_questionnaire())
    structure = questionnaire_structure(campaign.questionnaire)
    key = services.client_key("203.0.113.9", campaign)
    for _ in range(services.RATE_LIMIT_PER_HOUR):
        services.response_submit(campaign=campaign, answers=VALID_ANSWERS, structure=structure, client=key)
    with pytest.raises(services.SubmissionRefused) as exc:
        services.response_submit(campaign=campaign, answers=VALID_ANSWERS, structure=structure, client=key)
    assert exc.value.reason == RefusalReason.RATE_LIMITED
    assert Response.objects.count() == services.RATE_LIMIT_PER_HOUR
    # Another client is not limited.
    other = services.client_key("198.51.100.4", campaign)
    services.response_submit(campaign=campaign, answers=VALID_ANSWERS, structure=structure, client=other)


def test_honeypot_refuses():
    campaign = CampaignFactory(questionnaire=build_questionnaire())
    with pytest.raises(services.SubmissionRefused):
        services.response_submit(
            campaign=campaign,
            answers=VALID_ANSWERS,
            structure=questionnaire_structure(campaign.questionnaire),
            honeypot="http://spam.example",
        )
    assert RefusedSubmission.objects.get().reason == RefusalReason.HONEYPOT


def test_save_and_resume_keeps_checked_answers_with_the_invitation():
    campaign = CampaignFactory(questionnaire=build_questionnaire(), access=Access.INVITATION, is_anonymous=False)
    invitation = InvitationFactory(campaign=campaign)
    structure = questionnaire_structure(campaign.questionnaire)
    services.response_save(invitation=invitation, answers={"age_band": "65+"}, structure=structure)
    invitation.refresh_from_db()
    assert invitation.draft["age_band"] == {"option": "65+", "other": ""}
    with pytest.raises(ValidationError):
        services.response_save(invitation=invitation, answers={"satisfaction": 11}, structure=structure)
    invitation.refresh_from_db()
    assert "satisfaction" not in invitation.draft


def test_an_anonymous_campaign_refuses_to_keep_a_draft_with_the_invitation():
    campaign = CampaignFactory(questionnaire=build_questionnaire(), access=Access.INVITATION, is_anonymous=True)
    invitation = InvitationFactory(campaign=campaign)
    structure = questionnaire_structure(campaign.questionnaire)
    with pytest.raises(ValidationError):
        services.response_save(invitation=invitation, answers={"age_band": "65+"}, structure=structure)
    invitation.refresh_from_db()
    assert not invitation.draft


# --- Invitations CSV


def _invitation_campaign():
    return CampaignFactory(questionnaire=build_questionnaire(), access=Access.INVITATION, language="ca")


def test_invitation_csv_with_bad_rows_creates_and_sends_nothing(django_capture_on_commit_callbacks):
    campaign = _invitation_campaign()
    content = "email\nana@example.org\nnot-an-email\nANA@example.org\nluis@example.org\n"
    with django_capture_on_commit_callbacks(execute=True):
        result = services.invitations_import_csv(acting_user=None, campaign=campaign, content=content.encode())
    assert [row for row, _m in result.errors] == [3, 4]
    assert "not-an-email" in result.errors[0][1]
    assert "first on row 2" in result.errors[1][1]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_invitation_csv_creates_tokens_and_sends_in_the_campaign_language(django_capture_on_commit_callbacks):
    campaign = _invitation_campaign()
    content = "email,language\nana@example.org,\nluis@example.org,en\n"
    with django_capture_on_commit_callbacks(execute=True):
        result = services.invitations_import_csv(acting_user=None, campaign=campaign, content=content)
    assert result.errors == [] and len(result.created) == 2
    tokens = set(Invitation.objects.values_list("token", flat=True))
    assert len(tokens) == 2 and all(len(t) >= 30 for t in tokens)
    assert len(mail.outbox) == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert "/ca/surveys/t/" in by_recipient["ana@example.org"].body
    assert "/en/surveys/t/" in by_recipient["luis@example.org"].body
    assert Invitation.objects.filter(sent_at__isnull=False).count() == 2


def test_invitation_csv_rejects_addresses_already_invited():
    campaign = _invitation_campaign()
    InvitationFactory(campaign=campaign, email="ana@example.org")
    result = services.invitations_import_csv(
        acting_user=None, campaign=campaign, content="ana@example.org\n", send=False
    )
    assert result.errors and result.errors[0][0] == 1
    assert Invitation.objects.count() == 1


# --- Questionnaires, campaigns


def test_template_copy_keeps_sections_questions_options_and_conditions():
    template = build_questionnaire(owner=None)
    template.is_template = True
    template.save()
    owner = OrganizationFactory()
    copy = services.questionnaire_copy(acting_user=None, source=template, owner=owner)
    assert copy.owner == owner and not copy.is_template and copy.copied_from == template
    assert copy.questions.count() == template.questions.count()
    why_not = copy.questions.get(code="why_not")
    assert why_not.show_if_question.questionnaire_id == copy.pk
    assert why_not.show_if_question.code == "uses_online"
    assert copy.questions.get(code="ratings").options.filter(is_row=True).count() == 2


def test_question_condition_must_point_to_an_earlier_section():
    questionnaire = build_questionnaire()
    first_page_question = questionnaire.questions.get(code="age_band")
    later = questionnaire.questions.get(code="satisfaction")
    with pytest.raises(ValidationError) as exc:
        services.question_update(
            acting_user=None,
            question=first_page_question,
            data={"show_if_question": later, "show_if_values": ["1"]},
        )
    assert "show_if_question" in exc.value.message_dict


def test_duplicate_question_code_is_named():
    questionnaire = build_questionnaire()
    section = questionnaire.sections.first()
    with pytest.raises(ValidationError) as exc:
        services.question_create(
            acting_user=None, section=section, data={"code": "age_band", "kind": "text", "text_en": "Again?"}
        )
    assert "code" in exc.value.message_dict
    assert Question.objects.filter(code="age_band").count() == 1


def test_questions_of_an_answered_questionnaire_cannot_change():
    campaign = CampaignFactory(questionnaire=build_questionnaire())
    services.response_submit(
        campaign=campaign, answers=VALID_ANSWERS, structure=questionnaire_structure(campaign.questionnaire)
    )
    with pytest.raises(ValidationError):
        services.question_delete(acting_user=None, question=campaign.questionnaire.questions.first())


def test_new_wave_repeats_the_campaign_as_a_draft():
    campaign = CampaignFactory(questionnaire=build_questionnaire(), slug="citizens-2024")
    wave = services.campaign_new_wave(acting_user=None, campaign=campaign)
    again = services.campaign_new_wave(acting_user=None, campaign=wave)
    assert (wave.wave_of, wave.wave_number, wave.status) == (campaign, 2, CampaignStatus.DRAFT)
    assert (again.wave_of, again.wave_number) == (campaign, 3)
    assert wave.questionnaire == campaign.questionnaire and wave.slug != campaign.slug


def test_campaign_closing_date_before_opening_is_named():
    campaign = CampaignFactory(questionnaire=build_questionnaire())
    with pytest.raises(ValidationError) as exc:
        services.campaign_update(
            acting_user=None,
            campaign=campaign,
            data={
                "opens_at": datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC),
                "closes_at": datetime.datetime(2025, 4, 1, tzinfo=datetime.UTC),
            },
        )
    assert "closes_at" in exc.value.message_dict


# --- Maturity, findings


def test_maturity_level_outside_one_to_five_is_named_and_nothing_saved():
    services.maturity_dimensions_ensure()
    department = DepartmentFactory()
    with pytest.raises(ValidationError) as exc:
        services.maturity_assessment_record(
            acting_user=None,
            organization=department.organization,
            department=department,
            assessed_on=datetime.date(2021, 3, 1),
            ratings={"data": (7, ""), "skills": (3, "Training plan")},
        )
    assert "level_data" in exc.value.message_dict
    assert not MaturityAssessment.objects.exists()


def test_maturity_assessment_is_recorded_with_evidence():
    services.maturity_dimensions_ensure()
    department = DepartmentFactory()
    assessment = services.maturity_assessment_record(
        acting_user=None,
        organization=department.organization,
        department=department,
        assessed_on=datetime.date(2021, 3, 1),
        ratings={"data": (2, "No data catalogue"), "skills": ("4", "")},
    )
    assert {r.dimension.code: r.level for r in assessment.ratings.all()} == {"data": 2, "skills": 4}


def test_finding_becomes_a_challenge_linked_back_to_its_evidence():
    plan = PlanFactory()
    axis = AxisFactory(plan=plan, code="1")
    finding = FindingFactory(
        plan=plan,
        title_en="Paper-based procedures",
        text_en="Most forms are on paper.",
        evidence="62 % of departments rate digital services at level 1-2.",
    )
    services.finding_to_challenge(acting_user=None, finding=finding, axis=axis)
    finding.refresh_from_db()
    challenge = finding.challenge
    assert challenge.axis == axis and challenge.title_en == "Paper-based procedures"
    assert "62 %" in challenge.description_en and "From the diagnosis" in challenge.description_en
    assert challenge.findings.get() == finding
    with pytest.raises(ValidationError):
        services.finding_to_challenge(acting_user=None, finding=finding, axis=axis)


def test_finding_cannot_become_a_challenge_of_another_plan():
    finding = FindingFactory()
    with pytest.raises(ValidationError) as exc:
        services.finding_to_challenge(acting_user=None, finding=finding, axis=AxisFactory())
    assert "axis" in exc.value.message_dict


def test_a_finding_cannot_cite_a_question_of_another_councils_private_questionnaire():
    from municipia.diagnosis.choices import SwotKind
    from municipia.diagnosis.tests.factories import QuestionFactory
    from municipia.organizations.tests.factories import RoleFactory

    plan = PlanFactory()
    editor = RoleFactory(organization=plan.owner).user
    private = QuestionFactory(text_en="How many staff failed the phishing test?")  # another owner's, not a template
    own = QuestionFactory(section__questionnaire__owner=plan.owner)
    with pytest.raises(ValidationError) as caught:
        services.finding_create(
            acting_user=editor, plan=plan, data={"title_en": "Phishing", "kind": SwotKind.WEAKNESS, "question": private}
        )
    assert "question" in caught.value.message_dict
    assert "phishing" not in str(caught.value.message_dict).lower()
    finding = services.finding_create(
        acting_user=editor, plan=plan, data={"title_en": "Own", "kind": SwotKind.WEAKNESS, "question": own}
    )
    assert finding.question == own
