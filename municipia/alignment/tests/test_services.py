"""Alignment services: the plan's frameworks, local targets, bad input naming the field, suggestions' answers."""

import pytest
from django.core.exceptions import ValidationError

from municipia.alignment import services
from municipia.alignment.models import Alignment, PlanFramework, SuggestionFeedback
from municipia.organizations.tests.factories import OrganizationFactory, UserFactory
from municipia.strategy.tests.factories import ActionFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return UserFactory()


def test_every_plan_may_be_aligned_to_the_sdgs(frameworks, editor):
    action = ActionFactory()
    alignment = services.alignment_create(
        acting_user=editor, element=action, item=frameworks.items["SDG:9.c"], data={"is_primary": True}
    )
    assert alignment.in_plan == action.plan and alignment.action == action and alignment.is_primary
    assert alignment.created_by == editor
    assert alignment.history.count() == 1


def test_item_of_a_framework_the_plan_does_not_use_is_refused_naming_the_item(frameworks, editor):
    action = ActionFactory()
    with pytest.raises(ValidationError) as error:
        services.alignment_create(acting_user=editor, element=action, item=frameworks.items["PRTR:EJE-2"])
    assert "item" in error.value.message_dict
    assert "PRTR" in error.value.message_dict["item"][0]
    assert not Alignment.objects.exists()


def test_once_the_plan_uses_a_framework_its_items_can_be_used(frameworks, editor):
    action = ActionFactory()
    services.plan_framework_add(acting_user=editor, plan=action.plan, framework=frameworks.prtr)
    services.alignment_create(acting_user=editor, element=action.objective.axis, item=frameworks.items["PRTR:EJE-2"])
    assert Alignment.objects.get().axis == action.objective.axis


def test_same_item_twice_on_one_element_is_refused(frameworks, editor):
    action = ActionFactory()
    services.alignment_create(acting_user=editor, element=action, item=frameworks.items["SDG:9"])
    with pytest.raises(ValidationError) as error:
        services.alignment_create(acting_user=editor, element=action, item=frameworks.items["SDG:9"])
    assert "item" in error.value.message_dict
    assert Alignment.objects.count() == 1


def test_a_framework_in_use_cannot_be_removed_from_the_plan(frameworks, editor):
    action = ActionFactory()
    row = services.plan_framework_add(acting_user=editor, plan=action.plan, framework=frameworks.prtr)
    services.alignment_create(acting_user=editor, element=action, item=frameworks.items["PRTR:EJE-1"])
    with pytest.raises(ValidationError) as error:
        services.plan_framework_remove(acting_user=editor, plan_framework=row)
    assert "framework" in error.value.message_dict
    assert PlanFramework.objects.count() == 1


def test_another_councils_own_framework_cannot_be_added(frameworks, editor):
    plan = PlanFactory()
    other = services.framework_create(
        acting_user=editor, owner=OrganizationFactory(), data={"code": "OWN", "name_en": "Own axes"}
    )
    with pytest.raises(ValidationError) as error:
        services.plan_framework_add(acting_user=editor, plan=plan, framework=other)
    assert "framework" in error.value.message_dict


def test_local_target_under_a_global_target_serves_only_its_councils_plans(frameworks, editor):
    plan = PlanFactory()
    local = services.local_target_create(
        acting_user=editor,
        parent=frameworks.items["SDG:11.3"],
        owner=plan.owner,
        data={"code": "11.3.JRZ", "title_en": "Participatory planning in every district"},
    )
    assert local.framework == frameworks.sdg and local.owner == plan.owner and local.parent.code == "11.3"
    services.alignment_create(acting_user=editor, element=plan, item=local)
    with pytest.raises(ValidationError) as error:
        services.alignment_create(acting_user=editor, element=PlanFactory(), item=local)
    assert "item" in error.value.message_dict


def test_local_target_with_a_taken_code_names_the_code(frameworks, editor):
    with pytest.raises(ValidationError) as error:
        services.local_target_create(
            acting_user=editor,
            parent=frameworks.items["SDG:11.3"],
            owner=OrganizationFactory(),
            data={"code": "11.2", "title_en": "Clash"},
        )
    assert "code" in error.value.message_dict


def test_framework_with_a_bad_code_names_the_code(editor):
    with pytest.raises(ValidationError) as error:
        services.framework_create(acting_user=editor, owner=None, data={"code": "no spaces!", "name_en": "X"})
    assert "code" in error.value.message_dict


def test_accepting_a_suggestion_aligns_the_action_and_keeps_positive_feedback(frameworks, editor):
    action = ActionFactory(title_en="Broadband and 5G coverage for every district")
    services.suggestion_accept(acting_user=editor, action=action, goal="9", language="en")
    assert Alignment.objects.get().item == frameworks.items["SDG:9"]
    feedback = SuggestionFeedback.objects.get()
    assert feedback.accepted and feedback.goal == "9" and "Broadband" in feedback.text and feedback.action == action


def test_rejecting_a_suggestion_keeps_negative_feedback_only(frameworks, editor):
    action = ActionFactory(title_en="Broadband and 5G coverage")
    services.suggestion_reject(acting_user=editor, action=action, goal="3", language="en")
    assert not Alignment.objects.exists()
    assert SuggestionFeedback.objects.get().accepted is False


@pytest.mark.parametrize(
    "field, kwargs",
    [
        ("goal", {"goal": "18"}),
        ("text", {"text": "   "}),
        ("language", {"language": "fr"}),
    ],
)
def test_bad_feedback_names_the_field(editor, field, kwargs):
    values = {"text": "Broadband", "language": "en", "goal": "9", "accepted": True, **kwargs}
    with pytest.raises(ValidationError) as error:
        services.feedback_record(acting_user=editor, **values)
    assert field in error.value.message_dict
    assert not SuggestionFeedback.objects.exists()
