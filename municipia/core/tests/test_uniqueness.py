"""A slug or code held only by objects the user may not see is never confirmed by an error (issue 14).

Plans and campaigns have site-wide slugs: one held by a private object of another council is
replaced by the next free one; one held by an object the user sees is refused naming the field.
Indicator codes are unique per owner, so another council's private code never collides at all.
"""

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.core.entities import entities
from municipia.core.uniqueness import globally_unique_fields
from municipia.diagnosis import services as diagnosis_services
from municipia.diagnosis.tests.factories import CampaignFactory, build_questionnaire
from municipia.indicators import services as indicator_services
from municipia.indicators.tests.factories import IndicatorFactory
from municipia.organizations.tests.factories import OrganizationFactory, RoleFactory
from municipia.strategy import services as strategy_services
from municipia.strategy.models import Plan
from municipia.strategy.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return RoleFactory(organization=OrganizationFactory(slug="own-council")).user


@pytest.fixture
def hidden_plan():
    """Another council's unpublished plan: its editors see it, nobody else."""
    return PlanFactory(owner=OrganizationFactory(), slug="secret-plan", is_published=False)


MUNICIPIA_APPS = {config.label for config in apps.get_app_configs() if config.name.startswith("municipia.")}
# Unique values nobody types: random secrets made by the code, so no collision is ever shown.
GENERATED_SECRETS = ["accounts.ApiToken.digest", "governance.CalendarToken.token"]

PLAN_DATA = {"title_en": "Our plan", "period_start": "2024-01-01", "period_end": "2027-12-31"}


def test_plan_page_takes_a_free_slug_instead_of_confirming_a_private_one(client, editor, hidden_plan):
    client.force_login(editor)
    response = client.post(reverse("strategy:plan-create") + "?owner=own-council", {**PLAN_DATA, "slug": "secret-plan"})
    assert response.status_code == 302, response.content
    created = Plan.objects.get(title_en="Our plan")
    assert created.slug == "secret-plan-2" and response["Location"] == created.get_absolute_url()
    hidden_plan.refresh_from_db()
    assert hidden_plan.slug == "secret-plan"


def test_plan_api_answers_alike_for_a_private_slug_and_a_free_one(editor, hidden_plan):
    api = APIClient()
    api.force_authenticate(editor)
    taken = api.post("/api/v1/plans/", {"owner": "own-council", **PLAN_DATA, "slug": "secret-plan"})
    free = api.post("/api/v1/plans/", {"owner": "own-council", **PLAN_DATA, "slug": "never-used"})
    assert (taken.status_code, free.status_code) == (201, 201), taken.content
    assert taken.json()["slug"] == "secret-plan-2" and free.json()["slug"] == "never-used"
    assert "exist" not in taken.content.decode()


def test_renaming_a_plan_to_a_private_slug_also_takes_a_free_one(editor, hidden_plan):
    plan = PlanFactory(owner=editor.roles.get().organization, slug="ours")
    strategy_services.plan_update(acting_user=editor, plan=plan, data={"slug": "secret-plan"})
    plan.refresh_from_db()
    assert plan.slug == "secret-plan-2"


def test_a_slug_the_editor_can_see_is_refused_naming_the_field(editor):
    PlanFactory(owner=OrganizationFactory(), slug="published-plan", is_published=True)
    api = APIClient()
    api.force_authenticate(editor)
    response = api.post("/api/v1/plans/", {"owner": "own-council", **PLAN_DATA, "slug": "published-plan"})
    assert response.status_code == 400 and "slug" in response.json()


def test_data_loads_keep_the_plain_error(hidden_plan):
    data = {"title_en": "Loaded", "slug": "secret-plan", "period_start": dt.date(2024, 1, 1)}
    with pytest.raises(ValidationError) as error:
        strategy_services.plan_create(acting_user=None, owner=OrganizationFactory(), data=data)
    assert "slug" in error.value.message_dict


def test_campaign_slug_of_another_councils_campaign_is_replaced_and_own_is_refused(editor):
    own = editor.roles.get().organization
    CampaignFactory(questionnaire=build_questionnaire(owner=OrganizationFactory()), slug="private-survey")
    questionnaire = build_questionnaire(owner=own)
    created = diagnosis_services.campaign_create(
        acting_user=editor, owner=own, questionnaire=questionnaire, data={"title_en": "Ours", "slug": "private-survey"}
    )
    assert created.slug == "private-survey-2"
    with pytest.raises(ValidationError) as error:
        diagnosis_services.campaign_create(
            acting_user=editor, owner=own, questionnaire=questionnaire, data={"title_en": "Again", "slug": created.slug}
        )
    assert "slug" in error.value.message_dict


def test_indicator_codes_are_per_owner_so_a_private_code_elsewhere_never_collides(editor):
    own = editor.roles.get().organization
    IndicatorFactory(owner_organization=OrganizationFactory(), code="SECRET-1", is_public=False)
    data = {"code": "SECRET-1", "name_en": "Ours", "unit": "%", "direction": "higher", "frequency": "yearly"}
    created = indicator_services.indicator_create(acting_user=editor, owner=own, data=data)
    assert created.code == "SECRET-1"
    with pytest.raises(ValidationError):
        indicator_services.indicator_create(acting_user=editor, owner=own, data={**data, "name_en": "Twice"})


def test_every_site_wide_unique_field_users_set_belongs_to_a_declared_entity():
    """A site-wide unique slug or code on a model without an entity would have no visibility rule
    to decide with; this lists them, so a new one is a decision rather than an oracle."""
    declared = {entity.model for entity in entities()}
    undeclared = sorted(
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in MUNICIPIA_APPS and "historical" not in model._meta.model_name
        for field in globally_unique_fields(model)
        if model not in declared
    )
    assert undeclared == GENERATED_SECRETS
