"""The diagnosis team's pages: campaign counts and refusals, CSV row errors, builder, maturity, SWOT,
each in a fixed number of queries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from municipia.diagnosis import services
from municipia.diagnosis.choices import Access, RefusalReason
from municipia.diagnosis.models import Invitation, RefusedSubmission
from municipia.diagnosis.selectors import questionnaire_structure
from municipia.diagnosis.tests.factories import VALID_ANSWERS, CampaignFactory, FindingFactory, build_questionnaire
from municipia.organizations.tests.factories import DepartmentFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return RoleFactory().user


@pytest.fixture
def owner(editor):
    return editor.roles.get().organization


def test_owner_sees_responses_and_refused_submissions_by_reason(client, editor, owner):
    campaign = CampaignFactory(questionnaire=build_questionnaire(owner=owner), owner=owner)
    structure = questionnaire_structure(campaign.questionnaire)
    services.response_submit(campaign=campaign, answers=VALID_ANSWERS, structure=structure)
    for reason in (RefusalReason.HONEYPOT, RefusalReason.HONEYPOT, RefusalReason.RATE_LIMITED):
        RefusedSubmission.objects.create(campaign=campaign, reason=reason)
    client.force_login(editor)
    page = client.get(reverse("diagnosis:campaign-detail", args=[campaign.slug]))
    body = page.content.decode()
    assert page.status_code == 200
    assert '<strong id="response-count">1</strong>' in body
    assert "<td>Honeypot filled in</td><td>2</td>" in body
    assert "<td>Too many submissions from one client</td><td>1</td>" in body


def test_campaign_page_is_hidden_from_other_councils(client, owner):
    campaign = CampaignFactory(questionnaire=build_questionnaire(owner=owner), owner=owner)
    client.force_login(RoleFactory().user)
    assert client.get(reverse("diagnosis:campaign-detail", args=[campaign.slug])).status_code == 404


def test_invitation_csv_with_bad_rows_lists_them_and_creates_nothing(client, editor, owner):
    campaign = CampaignFactory(questionnaire=build_questionnaire(owner=owner), owner=owner, access=Access.INVITATION)
    client.force_login(editor)
    upload = SimpleUploadedFile("people.csv", b"email\nok@example.org\nbroken@\nok@example.org\n", "text/csv")
    page = client.post(reverse("diagnosis:invitation-upload", args=[campaign.slug]), {"file": upload})
    body = page.content.decode()
    assert page.status_code == 400
    assert "Row 3" in body and "broken@" in body and "Row 4" in body
    assert not Invitation.objects.exists()


def test_builder_page_uses_a_fixed_number_of_queries(client, editor, owner, django_assert_max_num_queries):
    questionnaire = build_questionnaire(owner=owner)
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("diagnosis:questionnaire-detail", args=[questionnaire.pk]))
    assert page.status_code == 200 and "why_not" in page.content.decode()


def test_maturity_overview_shows_each_department_in_fixed_queries(client, editor, owner, django_assert_max_num_queries):
    services.maturity_dimensions_ensure()
    for n in range(10):
        department = DepartmentFactory(organization=owner, name_en=f"Department {n}")
        services.maturity_assessment_record(
            acting_user=None,
            organization=owner,
            department=department,
            assessed_on=datetime.date(2021, 3, 1),
            ratings={"data": (n % 5 + 1, ""), "skills": (2, "")},
        )
    client.force_login(editor)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("diagnosis:maturity-overview", args=[owner.slug]))
    body = page.content.decode()
    assert page.status_code == 200 and "Department 9" in body


def test_maturity_form_names_the_level_out_of_range_and_keeps_the_evidence(client, editor, owner):
    services.maturity_dimensions_ensure()
    client.force_login(editor)
    page = client.post(
        reverse("diagnosis:maturity-create", args=[owner.slug]),
        {"assessed_on": "2021-03-01", "level_data": "", "evidence_data": "Our data catalogue"},
    )
    assert page.status_code == 400
    assert "Rate at least one dimension." in page.content.decode()
    assert "Our data catalogue" in page.content.decode()


def test_swot_board_shows_the_quadrants_and_the_challenge_link(client, editor, owner, django_assert_max_num_queries):
    findings = [FindingFactory(plan__owner=owner, kind=kind) for kind in "SWOT"]
    plan = findings[0].plan
    for finding in findings[1:]:
        finding.plan = plan
        finding.save()
    from municipia.strategy.tests.factories import AxisFactory

    services.finding_to_challenge(acting_user=None, finding=findings[1], axis=AxisFactory(plan=plan, code="1"))
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("diagnosis:finding-board", args=[plan.slug]))
    body = page.content.decode()
    assert page.status_code == 200
    assert (
        "Strength" in body and "Threat" in body and "Became the challenge" in body and "Turn into a challenge" in body
    )


def test_home_lists_templates_and_campaigns(client, editor, owner):
    CampaignFactory(questionnaire=build_questionnaire(owner=owner), owner=owner, title_en="Citizens 2025")
    client.force_login(editor)
    body = client.get(reverse("diagnosis:home")).content.decode()
    assert "Citizens 2025" in body


def test_admin_pages_of_the_diagnosis_open(client, site_admin):
    campaign = CampaignFactory(questionnaire=build_questionnaire())
    services.response_submit(
        campaign=campaign, answers=VALID_ANSWERS, structure=questionnaire_structure(campaign.questionnaire)
    )
    client.force_login(site_admin)
    for name in ("questionnaire", "campaign", "finding", "response", "refusedsubmission", "maturitydimension"):
        assert client.get(reverse(f"admin:diagnosis_{name}_changelist")).status_code == 200, name
    assert client.get(reverse("admin:diagnosis_campaign_change", args=[campaign.pk])).status_code == 200


def test_deleting_a_section_of_an_answered_questionnaire_is_refused_on_the_page(client, editor, owner):
    campaign = CampaignFactory(questionnaire=build_questionnaire(owner=owner), owner=owner)
    structure = questionnaire_structure(campaign.questionnaire)
    services.response_submit(campaign=campaign, answers=VALID_ANSWERS, structure=structure)
    section = campaign.questionnaire.sections.first()
    client.force_login(editor)
    page = client.post(reverse("diagnosis:section-delete", args=[section.pk]))
    body = page.content.decode()
    assert page.status_code == 400
    assert "already has responses" in body
    assert 'class="button danger"' not in body  # only the way back is offered
    assert campaign.questionnaire.sections.filter(pk=section.pk).exists()
