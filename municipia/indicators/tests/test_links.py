"""Linking an indicator to plan elements needs the right to edit those elements' plans."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from municipia.indicators import services
from municipia.indicators.models import Indicator
from municipia.indicators.tests.factories import IndicatorFactory
from municipia.organizations.tests.factories import OrganizationFactory, RoleFactory
from municipia.strategy.tests.factories import ActionFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def councils():
    own, other = OrganizationFactory(name_en="Tremp"), OrganizationFactory(name_en="Sofia")
    return {
        "own": own,
        "editor": RoleFactory(organization=own).user,
        "own_objective": ObjectiveFactory(axis__plan__owner=own, axis__plan__is_published=True),
        "other_objective": ObjectiveFactory(axis__plan__owner=other, axis__plan__is_published=True),
        "other_action": ActionFactory(objective__axis__plan__owner=other, objective__axis__plan__is_published=True),
    }


def test_an_editor_cannot_link_a_new_indicator_to_another_councils_objective(councils):
    with pytest.raises(ValidationError) as caught:
        services.indicator_create(
            acting_user=councils["editor"],
            owner=councils["own"],
            data={"code": "X-1", "name_en": "Broadband"},
            objectives=[councils["other_objective"]],
            actions=[councils["other_action"]],
        )
    assert set(caught.value.message_dict) == {"objectives", "actions"}
    assert not Indicator.objects.exists()


def test_an_editor_links_to_their_own_plan(councils):
    indicator = services.indicator_create(
        acting_user=councils["editor"],
        owner=councils["own"],
        data={"code": "X-1", "name_en": "Broadband"},
        objectives=[councils["own_objective"]],
    )
    assert list(indicator.objectives.all()) == [councils["own_objective"]]


def test_a_link_someone_else_made_is_kept_but_cannot_be_removed(councils, site_admin):
    indicator = IndicatorFactory(owner_organization=councils["own"])
    indicator.objectives.add(councils["other_objective"])
    # Saving the same links with one of one's own added is fine…
    services.indicator_update(
        acting_user=councils["editor"],
        indicator=indicator,
        data={},
        objectives=[councils["other_objective"], councils["own_objective"]],
    )
    # …dropping the other council's link is not.
    with pytest.raises(ValidationError):
        services.indicator_update(
            acting_user=councils["editor"], indicator=indicator, data={}, objectives=[councils["own_objective"]]
        )
    assert set(indicator.objectives.all()) == {councils["other_objective"], councils["own_objective"]}


def test_the_api_answers_400_on_the_links_field(councils):
    api = APIClient()
    api.force_authenticate(councils["editor"])
    response = api.post(
        "/api/v1/indicators/",
        {
            "owner_organization": councils["own"].slug,
            "code": "X-2",
            "name_en": "Broadband",
            "objectives": [councils["other_objective"].pk],
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "objectives" in response.json()
    assert not Indicator.objects.filter(code="X-2").exists()
