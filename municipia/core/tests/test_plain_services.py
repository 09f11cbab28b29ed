"""PlainServices: create, update and delete with validation and history, under the services' names."""

import pytest
from django.core.exceptions import ValidationError

from municipia.core.services import PlainServices
from municipia.organizations.tests.factories import UserFactory
from municipia.strategy.models import Axis
from municipia.strategy.tests.factories import AxisFactory, PlanFactory

pytestmark = pytest.mark.django_db

create, update, delete = PlainServices(Axis, parent="plan", fields=["code", "title_en", "weight"])


def test_create_update_delete_record_who_did_it():
    user, plan = UserFactory(), PlanFactory()
    axis = create(acting_user=user, plan=plan, data={"code": "9", "title_en": "Data", "weight": 2})
    axis_id = axis.pk
    update(acting_user=user, axis=axis, data={"title_en": "Open data"})
    delete(acting_user=user, axis=axis)
    records = list(Axis.history.filter(id=axis_id).order_by("history_id"))
    assert [r.history_type for r in records] == ["+", "~", "-"]
    assert {r.history_user_id for r in records} == {user.pk}
    assert records[1].title_en == "Open data"


def test_invalid_data_names_the_field_and_saves_nothing():
    plan = PlanFactory()
    with pytest.raises(ValidationError) as error:
        create(acting_user=None, plan=plan, data={"code": "9", "title_en": "Data", "weight": -1})
    assert "weight" in error.value.message_dict
    assert not Axis.objects.filter(plan=plan).exists()


def test_fields_outside_the_list_and_wrong_keywords_are_refused():
    axis = AxisFactory()
    with pytest.raises(ValueError, match="position"):
        update(acting_user=None, axis=axis, data={"position": 3})
    with pytest.raises(TypeError):
        create(acting_user=None, axis=axis, data={})
