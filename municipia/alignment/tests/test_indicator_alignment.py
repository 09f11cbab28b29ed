"""Indicators aligned to framework items: the plans rule, duplicates, API, pages, suggestions and the local review."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.alignment import selectors, services
from municipia.alignment.models import Alignment, SuggestionFeedback
from municipia.api.tests.test_api_schema import assert_matches_schema, schema  # noqa: F401 - the schema fixture
from municipia.indicators.tests.factories import IndicatorFactory
from municipia.organizations.tests.factories import OrganizationFactory, RoleFactory, UserFactory
from municipia.strategy.tests.factories import ActionFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(frameworks):
    """A council's plan using the recovery plan (PRTR), an action of it, and the council's indicator measuring it."""
    plan = PlanFactory(slug="own-plan", title_en="Own plan")
    admin = UserFactory(is_superuser=True)
    services.plan_framework_add(acting_user=admin, plan=plan, framework=frameworks.prtr)
    action = ActionFactory(objective__axis__plan=plan, code="1.1.1", title_en="Broadband and 5G coverage")
    indicator = IndicatorFactory(
        owner_organization=plan.owner, code="BB-01", name_en="Households covered by broadband of 100 Mbps"
    )
    indicator.actions.add(action)
    editor = RoleFactory(organization=plan.owner).user
    return {"plan": plan, "action": action, "indicator": indicator, "editor": editor, "fw": frameworks}


# --- Services


def test_indicator_is_aligned_without_a_plan_of_its_own(world):
    items = world["fw"].items
    alignment = services.alignment_create(
        acting_user=world["editor"],
        element=world["indicator"],
        item=items["SDG:11.3.1"],
        data={"is_primary": True, "rationale_en": "It is SDG indicator 11.3.1"},
    )
    assert alignment.indicator == world["indicator"] and alignment.in_plan is None
    assert alignment.element_kind == "indicator" and alignment.is_primary
    assert alignment.history.count() == 1
    # A framework used by a plan the indicator measures (through its action) is allowed too.
    services.alignment_create(acting_user=world["editor"], element=world["indicator"], item=items["PRTR:EJE-2"])
    assert world["indicator"].alignments.count() == 2


def test_framework_not_used_by_the_indicators_plans_is_refused_naming_the_item(world):
    with pytest.raises(ValidationError) as error:
        services.alignment_create(
            acting_user=world["editor"], element=world["indicator"], item=world["fw"].items["DIGITAL-RIGHTS:II.1"]
        )
    message = error.value.message_dict["item"][0]
    assert "DIGITAL-RIGHTS" in message and "Own plan" in message
    assert not Alignment.objects.exists()


def test_indicator_measuring_an_objective_of_a_plan_using_the_framework_may_use_it(world):
    other_plan = PlanFactory(owner=world["plan"].owner)
    services.plan_framework_add(acting_user=world["editor"], plan=other_plan, framework=world["fw"].rights)
    objective = ActionFactory(objective__axis__plan=other_plan).objective
    world["indicator"].objectives.add(objective)
    services.alignment_create(
        acting_user=world["editor"], element=world["indicator"], item=world["fw"].items["DIGITAL-RIGHTS:II.1"]
    )
    assert Alignment.objects.get().item.code == "II.1"


def test_indicator_with_no_plan_may_only_use_the_default_frameworks(frameworks):
    indicator = IndicatorFactory(code="LONE")
    editor = UserFactory()
    services.alignment_create(acting_user=editor, element=indicator, item=frameworks.items["SDG:9"])
    with pytest.raises(ValidationError) as error:
        services.alignment_create(acting_user=editor, element=indicator, item=frameworks.items["PRTR:EJE-1"])
    message = error.value.message_dict["item"][0]
    assert "LONE" in message and "SDG" in message and "PRTR" in message
    assert Alignment.objects.count() == 1


def test_same_item_twice_on_one_indicator_is_refused(world):
    item = world["fw"].items["SDG:9.c"]
    services.alignment_create(acting_user=world["editor"], element=world["indicator"], item=item)
    with pytest.raises(ValidationError) as error:
        services.alignment_create(acting_user=world["editor"], element=world["indicator"], item=item)
    assert "item" in error.value.message_dict
    # The database refuses it as well.
    with pytest.raises(IntegrityError), transaction.atomic():
        Alignment.objects.create(indicator=world["indicator"], item=item)
    assert Alignment.objects.count() == 1


def test_database_refuses_an_indicator_alignment_with_a_plan(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Alignment.objects.create(indicator=world["indicator"], in_plan=world["plan"], item=world["fw"].items["SDG:9"])


def test_another_councils_local_target_is_refused_for_the_indicator(world):
    local = services.local_target_create(
        acting_user=world["editor"],
        parent=world["fw"].items["SDG:11.3"],
        owner=OrganizationFactory(),
        data={"code": "11.3.X", "title_en": "Someone else's"},
    )
    with pytest.raises(ValidationError) as error:
        services.alignment_create(acting_user=world["editor"], element=world["indicator"], item=local)
    assert "item" in error.value.message_dict


def test_framework_an_indicator_depends_on_cannot_be_removed_from_its_only_plan(world):
    row = world["plan"].plan_frameworks.get()
    services.alignment_create(
        acting_user=world["editor"], element=world["indicator"], item=world["fw"].items["PRTR:EJE-1"]
    )
    with pytest.raises(ValidationError) as error:
        services.plan_framework_remove(acting_user=world["editor"], plan_framework=row)
    assert "BB-01" in error.value.message_dict["framework"][0]
    # Once another plan the indicator measures uses it too, the first plan may drop it.
    other_plan = PlanFactory(owner=world["plan"].owner)
    services.plan_framework_add(acting_user=world["editor"], plan=other_plan, framework=world["fw"].prtr)
    world["indicator"].actions.add(ActionFactory(objective__axis__plan=other_plan))
    services.plan_framework_remove(acting_user=world["editor"], plan_framework=row)
    assert not world["plan"].plan_frameworks.exists()


# --- Permissions


def test_who_may_align_an_indicator_is_who_may_edit_it(world):
    indicator = world["indicator"]
    assert world["editor"].has_perm("alignment.add_alignment", indicator)
    assert not RoleFactory(organization=OrganizationFactory()).user.has_perm("alignment.add_alignment", indicator)
    assert not UserFactory().has_perm("alignment.add_alignment", indicator)
    shared = IndicatorFactory(owner_organization=None)  # shared by the whole site: site admins only
    assert not world["editor"].has_perm("alignment.add_alignment", shared)
    assert UserFactory(is_superuser=True).has_perm("alignment.add_alignment", shared)


# --- API


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_authenticate(world["editor"])
    return client


def test_api_creates_filters_and_deletes_an_indicator_alignment(world, api, schema):  # noqa: F811
    response = api.post(
        "/api/v1/alignments/",
        {"indicator": world["indicator"].pk, "item_ref": "SDG:11.3.1", "is_primary": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert_matches_schema(schema, response, "/api/v1/alignments/", "post")
    body = response.json()
    assert body["element_kind"] == "indicator" and body["indicator"] == world["indicator"].pk
    assert body["plan"] is None and body["item_detail"]["code"] == "11.3.1"
    services.alignment_create(acting_user=world["editor"], element=world["action"], item=world["fw"].items["SDG:9"])

    listed = api.get(f"/api/v1/alignments/?indicator={world['indicator'].pk}")
    assert_matches_schema(schema, listed, "/api/v1/alignments/")
    assert [row["id"] for row in listed.json()["results"]] == [body["id"]]
    kinds = {row["element_kind"] for row in api.get("/api/v1/alignments/?element_kind=indicator").json()["results"]}
    assert kinds == {"indicator"}
    # The plan filter finds the plan's elements and the indicators measuring them.
    by_plan = api.get("/api/v1/alignments/?plan=own-plan").json()
    assert {row["element_kind"] for row in by_plan["results"]} == {"indicator", "action"}
    assert by_plan["count"] == 2
    assert api.delete(f"/api/v1/alignments/{body['id']}/").status_code == 204
    assert not Alignment.objects.filter(indicator=world["indicator"]).exists()


def test_anonymous_sees_a_public_indicators_alignments_but_not_a_private_ones(world):
    services.alignment_create(acting_user=world["editor"], element=world["indicator"], item=world["fw"].items["SDG:9"])
    private = IndicatorFactory(owner_organization=world["plan"].owner, is_public=False)
    services.alignment_create(acting_user=world["editor"], element=private, item=world["fw"].items["SDG:9"])
    response = APIClient().get("/api/v1/alignments/?element_kind=indicator")
    assert [row["indicator"] for row in response.json()["results"]] == [world["indicator"].pk]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"item_ref": "DIGITAL-RIGHTS:II.1"}, "item"),  # no plan of the indicator uses it
        ({"item_ref": "SDG:99"}, "item_ref"),
        ({"item_ref": "SDG:9", "action": "ACTION"}, "plan_element"),  # two elements
        ({"item_ref": "SDG:9", "indicator": 999_999}, "indicator"),  # missing
        ({"item_ref": "SDG:9", "indicator": "PRIVATE"}, "indicator"),  # another council's private one
    ],
)
def test_bad_indicator_alignment_input_answers_400_naming_the_field(world, api, payload, field):
    private = IndicatorFactory(owner_organization=OrganizationFactory(), is_public=False)
    body = {"indicator": world["indicator"].pk, **payload}
    if body["indicator"] == "PRIVATE":
        body["indicator"] = private.pk
    if body.get("action") == "ACTION":
        body["action"] = world["action"].pk
    response = api.post("/api/v1/alignments/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Alignment.objects.exists()


def test_editor_of_another_council_cannot_align_a_public_indicator(world):
    client = APIClient()
    client.force_authenticate(RoleFactory(organization=OrganizationFactory()).user)
    response = client.post(
        "/api/v1/alignments/", {"indicator": world["indicator"].pk, "item_ref": "SDG:9"}, format="json"
    )
    assert response.status_code == 403
    assert not Alignment.objects.exists()


def test_indicator_element_kind_and_filter_are_in_the_schema(schema):  # noqa: F811
    params = {p["name"] for p in schema["paths"]["/api/v1/alignments/"]["get"]["parameters"]}
    assert "indicator" in params
    element_kinds = next(
        p for p in schema["paths"]["/api/v1/alignments/"]["get"]["parameters"] if p["name"] == "element_kind"
    )
    assert "indicator" in element_kinds["schema"]["enum"]


# --- Pages


def test_indicator_page_shows_alignments_and_the_align_link_to_its_editors(client, world):
    services.alignment_create(
        acting_user=world["editor"], element=world["indicator"], item=world["fw"].items["SDG:9.c"]
    )
    url = reverse("indicators:indicator-detail", args=[world["indicator"].pk])
    align_url = reverse("alignment:alignment-create", args=["indicator", world["indicator"].pk])
    html = client.get(url).content.decode()
    assert "SDG 9.c</span>" in html and align_url not in html and "Suggested SDGs" not in html
    client.force_login(world["editor"])
    html = client.get(url).content.decode()
    assert align_url in html and "Suggested SDGs" in html


def test_editor_aligns_the_indicator_through_the_form(client, world):
    client.force_login(world["editor"])
    url = reverse("alignment:alignment-create", args=["indicator", world["indicator"].pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="PRTR"' in html and 'value="DIGITAL-RIGHTS"' not in html
    assert 'value="11.3.1"' in html  # SDG indicators are offered to indicators
    response = client.post(url, {"framework": "SDG", "code": "11.3.1", "is_primary": "on", "rationale": "Same"})
    assert response.status_code == 302
    assert response["Location"].startswith(world["indicator"].get_absolute_url())
    alignment = Alignment.objects.get()
    assert alignment.indicator == world["indicator"] and alignment.is_primary and alignment.rationale == "Same"


def test_form_keeps_the_input_and_names_the_field_on_a_bad_code(client, world):
    client.force_login(world["editor"])
    url = reverse("alignment:alignment-create", args=["indicator", world["indicator"].pk])
    response = client.post(url, {"framework": "SDG", "code": "99.9", "rationale": "Because"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "SDG has no item “99.9”" in html and 'value="99.9"' in html and "Because" in html
    assert not Alignment.objects.exists()


def test_suggestions_for_an_indicator_name_accept_and_reject(client, world):
    client.force_login(world["editor"])
    url = reverse("indicators:indicator-detail", args=[world["indicator"].pk])
    html = client.get(url).content.decode()
    assert 'name="goal" value="9"' in html  # broadband → SDG 9
    accept = reverse("alignment:indicator-suggestion-accept", args=[world["indicator"].pk])
    response = client.post(accept, {"goal": "9", "language": "en"})
    assert response.status_code == 302 and response["Location"].endswith("#alignment-heading")
    assert Alignment.objects.get(indicator=world["indicator"]).item.code == "9"
    feedback = SuggestionFeedback.objects.get()
    assert feedback.indicator == world["indicator"] and feedback.accepted and "broadband" in feedback.text
    reject = reverse("alignment:indicator-suggestion-reject", args=[world["indicator"].pk])
    client.post(reject, {"goal": "17", "language": "en"})
    rows = selectors.element_suggestions(world["indicator"], language="en", limit=17)
    assert {row.goal.code for row in rows}.isdisjoint({"9", "17"})


def test_indicator_page_alignment_section_uses_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    indicator, editor = world["indicator"], world["editor"]
    keys = [key for key in world["fw"].items if key.startswith("SDG:")]
    url = reverse("indicators:indicator-detail", args=[indicator.pk])

    def align(chosen):
        for key in chosen:
            services.alignment_create(acting_user=editor, element=indicator, item=world["fw"].items[key])
            services.feedback_record(
                acting_user=editor, text="Fibre", language="en", goal="3", accepted=False, indicator=indicator
            )

    align(keys[:1])
    client.force_login(editor)
    client.get(url)  # builds the suggester taught with the feedback once
    with CaptureQueriesContext(connection) as small_editor:
        client.get(url)
    client.logout()
    with CaptureQueriesContext(connection) as small_visitor:
        client.get(url)

    # Counted now: the connection's query log is a bounded deque that later queries rotate.
    editor_count, visitor_count = len(small_editor), len(small_visitor)
    align(keys[1:13])
    client.force_login(editor)
    client.get(url)
    with django_assert_max_num_queries(editor_count):
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count("edit-links") >= 13
    client.logout()
    with django_assert_max_num_queries(visitor_count):
        assert client.get(url).status_code == 200


# --- The draft local review


def test_local_review_lists_an_indicator_aligned_directly_under_its_sdg(client, world):
    items = world["fw"].items
    # Measures action 1.1.1 (aligned to SDG 9) and is aligned directly to SDG indicator 11.3.1.
    services.alignment_create(acting_user=world["editor"], element=world["action"], item=items["SDG:9.c"])
    services.alignment_create(acting_user=world["editor"], element=world["indicator"], item=items["SDG:11.3.1"])
    # Aligned to SDG 4 but measuring nothing of this plan: not the plan's indicator.
    stranger = IndicatorFactory(name_en="Another plan's indicator")
    services.alignment_create(acting_user=world["editor"], element=stranger, item=items["SDG:4.4"])

    plan = world["plan"]
    coverage = selectors.plan_coverage(plan)
    goals = {
        entry.total.goal.code: entry for entry in selectors.review_goals(coverage, user=AnonymousUser(), plan=plan)
    }
    assert [row.indicator for row in goals["9"].indicators] == [world["indicator"]]
    assert [row.indicator for row in goals["11"].indicators] == [world["indicator"]]
    assert goals["4"].indicators == []
    # The coverage still counts actions only: the indicator's alignment adds no action to SDG 11.
    eleven = next(total for total in coverage.goals if total.goal.code == "11")
    assert eleven.actions == 0 and eleven.served_targets == []

    html = client.get(reverse("alignment:plan-review", args=[plan.slug])).content.decode()
    assert html.count("Households covered by broadband of 100 Mbps") == 2
    assert "Another plan" not in html
