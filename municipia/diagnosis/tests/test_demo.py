"""Jerez's diagnosis demo: eight department self-assessments, a social-agents consultation with
responses, and SWOT findings linked to the plan's challenges; loading twice changes nothing."""

import pytest
from django.core.management import call_command

from municipia.diagnosis.demo import CAMPAIGN_SLUG, PLAN_SLUG, build_jerez_diagnosis_demo
from municipia.diagnosis.loaders import load_questionnaire_templates
from municipia.diagnosis.models import Campaign, Finding, MaturityAssessment, Question, Questionnaire, Response
from municipia.organizations.loaders import load_records, read_bulgarian, read_spanish
from municipia.strategy.demo import build_demo

pytestmark = pytest.mark.django_db


def test_templates_ship_in_four_languages_and_load_idempotently():
    call_command("load_questionnaire_templates", stdout=None)
    first = set(Questionnaire.objects.filter(is_template=True).values_list("template_key", flat=True))
    assert first == {"digital-maturity-self-assessment", "citizens-digital-services"}
    load_questionnaire_templates()
    assert Questionnaire.objects.filter(is_template=True).count() == 2
    for question in Question.objects.filter(questionnaire__is_template=True):
        assert all(getattr(question, f"text_{lang}") for lang in ("en", "es", "ca", "bg")), question.code
    barriers = Question.objects.get(questionnaire__template_key="citizens-digital-services", code="barriers")
    assert barriers.show_if_question.code == "used_online" and barriers.show_if_values == ["no"]


def test_jerez_diagnosis_demo(db):
    # Only the municipalities the demo's plans need, from the official registers.
    records = [r for r in read_spanish() if r.values["region_code"] == "09" or r.values["official_code"] == "11020"]
    records += [r for r in read_bulgarian() if r.values["official_code"] == "SOF46"]
    load_records(records)
    build_demo()
    summary = build_jerez_diagnosis_demo()
    assert summary.created
    assert MaturityAssessment.objects.filter(organization__plans__slug=PLAN_SLUG).count() >= 8
    campaign = Campaign.objects.get(slug=CAMPAIGN_SLUG)
    assert campaign.audience == "social_agents" and campaign.status == "closed" and campaign.is_demo
    assert Response.objects.filter(campaign=campaign).count() == 18
    findings = Finding.objects.filter(plan__slug=PLAN_SLUG)
    assert {f.kind for f in findings} == {"S", "W", "O", "T"}
    linked = set(findings.exclude(challenge=None).values_list("challenge__code", flat=True))
    assert {"C1.1", "C1.2", "C3.1"} <= linked
    again = build_jerez_diagnosis_demo()
    assert not again.created
    assert Response.objects.filter(campaign=campaign).count() == 18
    assert Finding.objects.filter(plan__slug=PLAN_SLUG).count() == findings.count()
