"""Pages: the action's alignment section and suggestions, the framework browser, tagging with bad input."""

import pytest
from django.urls import reverse

from municipia.alignment.models import Alignment, SuggestionFeedback
from municipia.organizations.tests.factories import RoleFactory
from municipia.strategy.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(frameworks):
    return ActionFactory(code="1.1.1", title_en="Broadband and 5G coverage for every district")


def test_editor_sees_suggestions_accepts_one_and_it_is_not_suggested_again(client, action):
    client.force_login(RoleFactory(organization=action.plan.owner).user)
    url = reverse("strategy:action-detail", args=[action.pk])
    html = client.get(url).content.decode()
    assert "Suggested SDGs" in html and "SDG 9." in html
    response = client.post(reverse("alignment:suggestion-accept", args=[action.pk]), {"goal": "9", "language": "en"})
    assert response.status_code == 302
    assert Alignment.objects.get(action=action).item.code == "9"
    assert SuggestionFeedback.objects.get().accepted
    html = client.get(url).content.decode()
    assert "SDG 9</span>" in html  # now a tag of the action
    assert 'name="goal" value="9"' not in html


def test_rejected_goal_is_no_longer_suggested_for_the_action(client, action):
    client.force_login(RoleFactory(organization=action.plan.owner).user)
    client.post(reverse("alignment:suggestion-reject", args=[action.pk]), {"goal": "9", "language": "en"})
    html = client.get(reverse("strategy:action-detail", args=[action.pk])).content.decode()
    assert 'name="goal" value="9"' not in html
    assert not Alignment.objects.exists()


def test_visitors_see_alignments_but_no_suggestions(client, action):
    html = client.get(reverse("strategy:action-detail", args=[action.pk])).content.decode()
    assert "Not aligned to any framework yet." in html
    assert "Suggested SDGs" not in html


def test_tagging_with_an_unknown_code_keeps_the_input_and_names_the_field(client, action):
    client.force_login(RoleFactory(organization=action.plan.owner).user)
    url = reverse("alignment:alignment-create", args=["action", action.pk])
    response = client.post(url, {"framework": "SDG", "code": "99.9", "rationale": "Because"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "SDG has no item “99.9”" in html and 'value="99.9"' in html and "Because" in html
    assert not Alignment.objects.exists()


def test_tagging_offers_only_the_plans_frameworks(client, action):
    client.force_login(RoleFactory(organization=action.plan.owner).user)
    url = reverse("alignment:alignment-create", args=["action", action.pk])
    response = client.post(url, {"framework": "PRTR", "code": "EJE-1"})
    assert response.status_code == 400
    assert "framework" in response.context["form"].errors


def test_framework_browser_searches_and_keeps_the_parents(client, frameworks):
    response = client.get(reverse("alignment:framework-detail", args=["SDG"]) + "?q=11.3.1")
    html = response.content.decode()
    assert response.status_code == 200
    assert "11.3.1" in html and "Goal 11" in html and "Goal 9" not in html


def test_plan_alignments_page_lists_elements_with_align_links_for_editors(client, action):
    client.force_login(RoleFactory(organization=action.plan.owner).user)
    response = client.get(reverse("alignment:plan-alignments", args=[action.plan.slug]))
    assert response.status_code == 200
    assert reverse("alignment:alignment-create", args=["axis", action.objective.axis.pk]) in response.content.decode()


@pytest.mark.parametrize("size", [1, 12])
def test_action_alignment_section_uses_a_fixed_number_of_queries(client, frameworks, size):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from municipia.alignment import services

    action = ActionFactory(title_en="Broadband and 5G coverage for every district")
    editor = RoleFactory(organization=action.plan.owner).user
    keys = [key for key in frameworks.items if key.startswith("SDG:")][:size]
    for key in keys:
        services.alignment_create(acting_user=editor, element=action, item=frameworks.items[key])
        services.feedback_record(
            acting_user=editor, text="Fibre", language="en", goal="9", accepted=True, action=action
        )
    url = reverse("strategy:action-detail", args=[action.pk])
    client.force_login(editor)
    client.get(url)  # builds the suggester taught with the feedback once
    with CaptureQueriesContext(connection) as editor_queries:
        assert client.get(url).status_code == 200
    client.logout()
    with CaptureQueriesContext(connection) as visitor_queries:
        assert client.get(url).status_code == 200
    # The strategy page's own queries (with the sections of portfolio, partnerships and the computed
    # status), plus 1 for visitors and 4 for editors (alignments, feedback state, rejected goals,
    # suggested goals' items), and 1 for a signed-in reader's follow button (partnerships).
    assert len(visitor_queries) <= 13
    assert len(editor_queries) <= 26, [q["sql"][:120] for q in editor_queries.captured_queries]


def test_editor_adds_an_item_under_another_of_their_framework_and_cannot_delete_one_in_use(client, action):
    from municipia.alignment import services
    from municipia.alignment.models import FrameworkItem

    council = action.plan.owner
    editor = RoleFactory(organization=council).user
    own = services.framework_create(acting_user=editor, owner=council, data={"code": "OWN", "name_en": "Own axes"})
    axis = services.framework_item_create(acting_user=editor, framework=own, data={"code": "A1", "title_en": "One"})
    client.force_login(editor)
    url = reverse("alignment:item-create", args=["OWN"])
    assert 'name="parent"' in client.get(url).content.decode()
    data = {"title_en": "Under one", "code": "A1.1", "level": "other", "position": "2", "parent": axis.pk}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == own.get_absolute_url()
    child = FrameworkItem.objects.get(framework=own, code="A1.1")
    assert child.parent == axis and child.owner is None
    assert 'name="parent"' not in client.get(reverse("alignment:item-update", args=[child.pk])).content.decode()

    services.plan_framework_add(acting_user=editor, plan=action.plan, framework=own)
    services.alignment_create(acting_user=editor, element=action, item=child)
    response = client.post(reverse("alignment:item-delete", args=[child.pk]), follow=True)
    assert "Plan elements are aligned to this item" in response.content.decode()
    assert FrameworkItem.objects.filter(pk=child.pk).exists()
