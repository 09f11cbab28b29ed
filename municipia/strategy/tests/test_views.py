"""Plan and action pages, and the editors' forms that create and change them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from municipia.core.money import format_money, parse_money
from municipia.organizations.choices import RoleKind
from municipia.organizations.tests.factories import (
    DepartmentFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    RoleFactory,
)
from municipia.strategy import services
from municipia.strategy.choices import ActionStatus, PlanStatus
from municipia.strategy.models import Action, Axis, Challenge, Milestone, Objective, Plan, PlanVersion
from municipia.strategy.tests.factories import (
    ActionFactory,
    AxisFactory,
    ChallengeFactory,
    MilestoneFactory,
    ObjectiveFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(f"strategy:{name}", args=args)


def texts(**values) -> dict:
    """Every language column of the translated fields, empty unless given."""
    data = {}
    for field in ("title", "description"):
        for code in ("en", "es", "ca", "bg"):
            data[f"{field}_{code}"] = values.get(f"{field}_{code}", "")
    return data


@pytest.fixture
def council():
    return OrganizationFactory(name_en="Jerez de la Frontera", slug="jerez")


@pytest.fixture
def plan(council):
    return PlanFactory(owner=council, slug="smart-jerez", title_en="Smart City plan", status=PlanStatus.DIAGNOSIS)


@pytest.fixture
def action(plan):
    objective = ObjectiveFactory(axis=AxisFactory(plan=plan, code="1"), code="1.1")
    return ActionFactory(objective=objective, code="1.1.1", title_en="Open data portal", progress=40)


@pytest.fixture
def editor(council):
    return RoleFactory(organization=council, kind=RoleKind.EDITOR).user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def action_post(action, **overrides) -> dict:
    data = {
        **texts(title_en=action.title_en),
        "code": action.code,
        "objective": action.objective_id,
        "status": action.status,
        "progress": str(action.progress),
        "weight": "1",
        "start_date": "2024-03-01",
        "end_date": "2025-06-30",
        "budget": "",
    }
    data.update(overrides)
    return data


# --- Public pages


def test_published_plan_page_shows_axes_objectives_actions_and_progress(client, action):
    response = client.get(url("plan-detail", action.plan.slug))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Smart City plan" in content
    assert action.objective.axis.title in content
    assert action.objective.title in content
    assert "Open data portal" in content
    assert '<progress max="100" value="40"' in content
    assert reverse("strategy:action-update", args=[action.pk]) not in content


def test_unpublished_plan_and_its_actions_are_not_found_for_visitors(client, action):
    Plan.objects.filter(pk=action.plan_id).update(is_published=False)
    for address in (
        url("plan-detail", action.plan.slug),
        url("plan-changes", action.plan.slug),
        url("action-detail", action.pk),
    ):
        assert client.get(address).status_code == 404, address
    assert "Open data portal" not in client.get(url("action-list")).content.decode()
    assert "Smart City plan" not in client.get(url("plan-list")).content.decode()


def test_owner_editor_sees_unpublished_plan_with_edit_links(editor_client, action):
    Plan.objects.filter(pk=action.plan_id).update(is_published=False)
    response = editor_client.get(url("plan-detail", action.plan.slug))
    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("strategy:plan-update", args=[action.plan.slug]) in content
    assert reverse("strategy:action-update", args=[action.pk]) in content


def test_action_page_shows_its_facts(client, action):
    department = DepartmentFactory(organization=action.plan.owner, name_en="Digital innovation")
    partner_council = OrganizationFactory(name_en="Cádiz")
    other = ActionFactory(objective=action.objective, code="1.1.2", title_en="Data platform")
    Action.objects.filter(pk=action.pk).update(owner_department=department)
    action.participants.add(partner_council)
    action.dependencies.add(other)
    MilestoneFactory(action=action, title_en="Portal live")
    content = client.get(url("action-detail", action.pk)).content.decode()
    for text in ("1.1.1", "Open data portal", "Digital innovation", "Cádiz", "Data platform", "Portal live"):
        assert text in content
    assert "Smart City plan" in content  # breadcrumb
    assert "History of changes" not in content


def test_user_text_is_escaped_on_pages(client, action):
    Action.objects.filter(pk=action.pk).update(description_en="<script>alert(1)</script>\nSecond line")
    content = client.get(url("action-detail", action.pk)).content.decode()
    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;" in content


def test_action_list_filters_by_status_and_search_and_counts_results(client, plan):
    objective = ObjectiveFactory(axis=AxisFactory(plan=plan))
    ActionFactory(objective=objective, code="1", title_en="Broadband for schools", status=ActionStatus.DELAYED)
    ActionFactory(objective=objective, code="2", title_en="Citizen app", status=ActionStatus.COMPLETED)
    response = client.get(url("action-list"), {"status": "delayed"})
    content = response.content.decode()
    assert "Broadband for schools" in content and "Citizen app" not in content
    assert "1 action found" in content
    content = client.get(url("action-list"), {"search": "citizen"}).content.decode()
    assert "Citizen app" in content and "Broadband" not in content
    content = client.get(url("action-list"), {"search": "nothing like this"}).content.decode()
    assert "No actions match these filters." in content


def test_action_list_filter_by_council_offers_the_plan_councils(client):
    network = NetworkFactory()
    barcelona = OrganizationFactory(name_en="Barcelona", slug="barcelona")
    tremp = OrganizationFactory(name_en="Tremp", slug="tremp")
    for member in (barcelona, tremp):
        NetworkMembershipFactory(network=network, member=member)
    plan = PlanFactory(owner=network, slug="agenda")
    objective = ObjectiveFactory(axis=AxisFactory(plan=plan))
    shared = ActionFactory(objective=objective, code="1", title_en="Shared cloud")
    ActionFactory(objective=objective, code="2", title_en="Local only")
    shared.participants.add(tremp)
    content = client.get(url("action-list"), {"plan": "agenda", "council": "tremp"}).content.decode()
    assert "Shared cloud" in content and "Local only" not in content
    assert '<option value="tremp" selected>' in content
    assert '<label for="id_council">' in content


# --- Editors' forms: creation of every element


def test_editor_creates_a_plan_for_their_council(editor_client, council):
    response = editor_client.post(
        url("plan-create") + "?owner=jerez",
        {
            "title_en": "Jerez 2030",
            "title_es": "Jerez 2030 (es)",
            "period_start": "2024-01-01",
            "period_end": "2030-12-31",
        },
    )
    plan = Plan.objects.get(title_en="Jerez 2030")
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.owner == council and plan.title_es == "Jerez 2030 (es)"


def test_plan_with_end_before_start_is_shown_again_with_the_error(editor_client, council):
    response = editor_client.post(
        url("plan-create") + "?owner=jerez",
        {"title_en": "Backwards plan", "period_start": "2025-01-01", "period_end": "2024-01-01"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["period_end"]
    assert 'value="Backwards plan"' in response.content.decode()
    assert not Plan.objects.filter(title_en="Backwards plan").exists()


def test_editor_of_another_council_cannot_create_a_plan_here(client, council):
    client.force_login(RoleFactory(organization=OrganizationFactory()).user)
    assert client.get(url("plan-create") + "?owner=jerez").status_code == 403


def test_editor_updates_a_plan(editor_client, plan):
    response = editor_client.post(
        url("plan-update", plan.slug),
        {
            "title_en": "Smart Jerez",
            "title_ca": "Jerez intel·ligent",
            "slug": plan.slug,
            "period_start": "2024-01-01",
            "period_end": "2027-12-31",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title_en == "Smart Jerez" and plan.title_ca == "Jerez intel·ligent"


def test_editor_creates_axis_challenge_objective(editor_client, plan):
    response = editor_client.post(
        url("axis-create", plan.slug),
        {**texts(title_en="Smart administration"), "code": "1", "weight": "1", "position": "1"},
    )
    assert response.status_code == 302
    axis = Axis.objects.get(plan=plan, code="1")
    editor_client.post(url("challenge-create", axis.pk), {**texts(title_en="Paper procedures"), "code": "C1"})
    challenge = Challenge.objects.get(axis=axis, code="C1")
    response = editor_client.post(
        url("objective-create", axis.pk),
        {**texts(title_en="Digital by default"), "code": "1.1", "weight": "1", "challenges": [challenge.pk]},
    )
    assert response.status_code == 302
    objective = Objective.objects.get(axis=axis, code="1.1")
    assert list(objective.challenges.all()) == [challenge]
    content = editor_client.get(plan.get_absolute_url()).content.decode()
    assert "Smart administration" in content and "Paper procedures" in content and "Digital by default" in content


def test_duplicate_axis_code_is_rejected_naming_code(editor_client, plan):
    AxisFactory(plan=plan, code="1")
    response = editor_client.post(
        url("axis-create", plan.slug), {**texts(title_en="Again"), "code": "1", "weight": "1", "position": "0"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["code"]
    assert Axis.objects.filter(plan=plan).count() == 1


def test_editor_creates_an_action_with_participants_and_dependencies(editor_client, action):
    department = DepartmentFactory(organization=action.plan.owner)
    response = editor_client.post(
        url("action-create", action.plan.slug),
        action_post(
            action,
            code="1.1.2",
            title_en="Citizen folder",
            owner_department=department.pk,
            participants=[action.plan.owner.pk],
            dependencies=[action.pk],
            status="planned",
            progress="0",
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    created = Action.objects.get(plan=action.plan, code="1.1.2")
    assert created.title_en == "Citizen folder"
    assert list(created.dependencies.all()) == [action]
    assert list(created.participants.all()) == [action.plan.owner]
    assert created.history.first().history_user.username.startswith("user")


def test_editor_changes_an_action_progress_and_sees_it_on_the_page(editor_client, action):
    response = editor_client.post(url("action-update", action.pk), action_post(action, progress="75"))
    assert response.status_code == 302
    page = editor_client.get(url("action-detail", action.pk)).content.decode()
    assert '<progress max="100" value="75"' in page
    assert "History of changes" in page
    assert "<del>40</del> → <ins>75</ins>" in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"progress": "150"}, "progress"),
        ({"start_date": "2025-06-30", "end_date": "2024-03-01"}, "end_date"),
        ({"start_date": "2020-01-01"}, "start_date"),
        ({"code": "9.9.9"}, "code"),  # taken by the other action below
    ],
)
def test_bad_action_input_is_shown_again_and_saves_nothing(editor_client, action, overrides, field):
    ActionFactory(objective=action.objective, code="9.9.9")
    response = editor_client.post(url("action-update", action.pk), action_post(action, title_en="Typed", **overrides))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert 'value="Typed"' in response.content.decode()
    action.refresh_from_db()
    assert action.title_en == "Open data portal" and action.progress == 40


def test_dependency_cycle_is_rejected_naming_dependencies(editor_client, action):
    other = ActionFactory(objective=action.objective, code="1.1.2")
    other.dependencies.add(action)
    response = editor_client.post(url("action-update", action.pk), action_post(action, dependencies=[other.pk]))
    assert response.status_code == 400
    assert response.context["form"].errors["dependencies"]
    assert not action.dependencies.exists()


def test_action_form_offers_only_this_plan_objectives_and_actions(editor_client, action):
    foreign = ActionFactory()  # another plan
    form = editor_client.get(url("action-update", action.pk)).context["form"]
    assert list(form.fields["objective"].queryset) == [action.objective]
    assert foreign not in form.fields["dependencies"].queryset
    assert action not in form.fields["dependencies"].queryset
    response = editor_client.post(url("action-update", action.pk), action_post(action, objective=foreign.objective_id))
    assert response.status_code == 400 and response.context["form"].errors["objective"]


def test_network_plan_offers_member_councils_as_participants():
    from municipia.strategy.forms import ActionForm

    network = NetworkFactory()
    member = OrganizationFactory()
    NetworkMembershipFactory(network=network, member=member)
    outsider = OrganizationFactory()
    plan = PlanFactory(owner=network)
    form = ActionForm(parent=plan)
    assert list(form.fields["participants"].queryset) == [member]
    assert outsider not in form.fields["participants"].queryset


def test_editor_adds_and_edits_a_milestone(editor_client, action):
    response = editor_client.post(url("milestone-create", action.pk), {"title_en": "Tender", "due_date": "2024-10-01"})
    assert response.status_code == 302
    milestone = Milestone.objects.get(action=action)
    response = editor_client.post(
        url("milestone-update", milestone.pk), {"title_en": "Tender", "due_date": "2031-01-01"}
    )
    assert response.status_code == 400 and response.context["form"].errors["due_date"]
    milestone.refresh_from_db()
    assert milestone.due_date == datetime.date(2024, 10, 1)


def test_editor_deletes_an_action_after_confirming(editor_client, action):
    assert "Open data portal" in editor_client.get(url("action-delete", action.pk)).content.decode()
    response = editor_client.post(url("action-delete", action.pk))
    assert response.status_code == 302 and not Action.objects.filter(pk=action.pk).exists()


def test_visitor_is_sent_to_log_in_and_other_editor_is_forbidden(client, action):
    response = client.get(url("action-update", action.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(RoleFactory(organization=OrganizationFactory()).user)
    assert client.post(url("action-update", action.pk), action_post(action, progress="99")).status_code == 403
    action.refresh_from_db()
    assert action.progress == 40


# --- Status, versions, changes, history


def test_approving_keeps_a_version_and_changes_page_lists_what_changed(editor_client, action):
    plan = action.plan
    response = editor_client.post(
        url("plan-status", plan.slug), {"status": PlanStatus.APPROVED, "note": "Council vote"}
    )
    assert response.status_code == 302
    assert PlanVersion.objects.filter(plan=plan, number=1, note="Council vote").exists()
    editor_client.post(url("action-update", action.pk), action_post(action, progress="80"))
    page = editor_client.get(plan.get_absolute_url()).content.decode()
    assert "Version 1 approved" in page
    content = editor_client.get(url("plan-changes", plan.slug)).content.decode()
    assert "1.1.1" in content and "Progress (%)" in content
    assert "<del>40</del>" in content and "<ins>80</ins>" in content


def test_a_field_declared_for_snapshots_in_the_entity_is_compared(editor_client, action, monkeypatch):
    """Approved versions keep the entities' snapshot fields: declaring one there is enough."""
    import dataclasses

    from municipia.strategy import selectors

    sections = [
        dataclasses.replace(section, entity=dataclasses.replace(section.entity, snapshot_fields=("position",)))
        if section.name == "axes"
        else section
        for section in selectors.SNAPSHOT_SECTIONS
    ]
    monkeypatch.setattr(selectors, "SNAPSHOT_SECTIONS", tuple(sections))
    plan, axis = action.plan, action.objective.axis
    editor_client.post(url("plan-status", plan.slug), {"status": PlanStatus.APPROVED})
    Axis.objects.filter(pk=axis.pk).update(position=7)
    rows = editor_client.get(url("plan-changes", plan.slug)).context["rows"]
    assert [(row.code, row.field, row.after) for row in rows] == [(axis.code, "Position", "7")]


def test_impossible_status_change_is_refused_with_a_message(editor_client, plan):
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.CLOSED)
    user = editor_client.get(url("plan-detail", plan.slug)).wsgi_request.user
    assert not user.has_perm("strategy.change_plan", Plan.objects.get(pk=plan.pk))
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
    response = editor_client.post(url("plan-status", plan.slug), {"status": PlanStatus.CLOSED})
    assert response.status_code == 400 and response.context["form"].errors["status"]
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


def test_plan_history_is_for_editors_only(client, editor, action):
    services.action_update(acting_user=editor, action=action, data={"progress": 60})
    assert client.get(url("plan-history", action.plan.slug)).status_code == 302
    client.force_login(RoleFactory(organization=OrganizationFactory()).user)
    assert client.get(url("plan-history", action.plan.slug)).status_code == 403
    client.force_login(editor)
    content = client.get(url("plan-history", action.plan.slug)).content.decode()
    assert editor.username in content and "<del>40</del> → <ins>60</ins>" in content


# --- Languages


def test_plan_title_follows_the_language_prefix(client, plan):
    Plan.objects.filter(pk=plan.pk).update(title_en="Digital agenda", title_ca="Agenda digital dels municipis")
    assert "<h1>Digital agenda</h1>" in client.get(url("plan-detail", plan.slug, lang="en")).content.decode()
    content = client.get(url("plan-detail", plan.slug, lang="ca")).content.decode()
    assert "<h1>Agenda digital dels municipis</h1>" in content
    assert '<html lang="ca">' in content


def test_language_switcher_sends_to_the_same_page_in_the_other_language(client, plan):
    content = client.get(url("plan-detail", plan.slug)).content.decode()
    assert f'href="/ca/plans/{plan.slug}/" hreflang="ca"' in content
    assert client.get(f"/ca/plans/{plan.slug}/").content.decode().startswith("<!DOCTYPE html>")


def test_forms_group_translated_fields_by_language(editor_client, plan):
    content = editor_client.get(url("plan-update", plan.slug)).content.decode()
    # One disclosure per language, named in its own language; the inputs carry their text's language.
    assert '<summary><span lang="ca">' in content and '<summary><span lang="bg">' in content
    assert '<label for="id_title_ca">' in content
    field = next(tag for tag in content.split("<") if 'name="title_ca"' in tag)
    assert 'lang="ca"' in field


# --- Constant queries


def build_plan(size: int) -> Plan:
    plan = PlanFactory(slug=f"plan-{size}")
    department = DepartmentFactory(organization=plan.owner)
    for a in range(size):
        axis = AxisFactory(plan=plan, code=str(a + 1))
        ChallengeFactory(axis=axis)
        objective = ObjectiveFactory(axis=axis)
        for i in range(3):
            action = ActionFactory(objective=objective, code=f"{a + 1}.{i}", owner_department=department)
            action.participants.add(plan.owner)
            MilestoneFactory(action=action)
    return plan


@pytest.mark.parametrize("size", [1, 12])
def test_plan_page_queries_do_not_grow_with_the_plan(client, django_assert_max_num_queries, size):
    plan = build_plan(size)
    # + the public cache's version read, + governance bodies and tasks, + portfolio proposals and sources,
    # + agreements, news and clarifications, + computed statuses
    with django_assert_max_num_queries(18):
        assert client.get(url("plan-detail", plan.slug)).status_code == 200


@pytest.mark.parametrize("size", [1, 12])
def test_plan_page_for_editor_keeps_constant_queries(client, django_assert_max_num_queries, size):
    plan = build_plan(size)
    client.force_login(RoleFactory(organization=plan.owner).user)
    # + governance bodies and tasks, + portfolio proposals and sources, + agreements, news and clarifications,
    # + statuses, + whether the reader follows the plan (partnerships), + the plan's content version
    with django_assert_max_num_queries(23):
        first = client.get(url("plan-detail", plan.slug))
    assert first.status_code == 200
    # The plan's content and its axes' rendering are shared until the plan changes: the axes, objectives,
    # actions, statuses, progress and last version are not read again (six queries fewer).
    with django_assert_max_num_queries(17):
        again = client.get(url("plan-detail", plan.slug))
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
    assert token.sub(b"", again.content) == token.sub(b"", first.content)
    # An edit shows at once: it changes the plan's version, which the shared parts are keyed on.
    action = plan.actions.order_by("code").last()
    action.title_en = "Renamed action"
    action.save()
    assert "Renamed action" in client.get(url("plan-detail", plan.slug)).content.decode()


@pytest.mark.parametrize("size", [1, 12])
def test_filtered_action_list_queries_do_not_grow(client, django_assert_max_num_queries, size):
    plan = build_plan(size)
    # + the public cache's content-version read, + the goals of the "Aligned to" select
    with django_assert_max_num_queries(10):
        response = client.get(url("action-list"), {"plan": plan.slug, "status": "in_progress", "search": "Action"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == size * 3


def test_filtered_action_list_options_follow_the_plans_changes(client, settings, django_assert_max_num_queries):
    settings.PUBLIC_CACHE = False  # the options are kept for every reader, also when pages are not
    plan = build_plan(2)
    with django_assert_max_num_queries(100) as cold:
        first = client.get(url("action-list"), {"plan": plan.slug})
    # The plan's axes, councils and departments (three queries) and the "Aligned to" frameworks (one: there
    # are none here, so their items are not asked for) are read once.
    with django_assert_max_num_queries(len(cold.captured_queries) - 4):
        again = client.get(url("action-list"), {"plan": plan.slug})
    assert [a.pk for a in again.context["axis_options"]] == [a.pk for a in first.context["axis_options"]]
    AxisFactory(plan=plan, code="9", title_en="A new axis")
    assert "A new axis" in client.get(url("action-list"), {"plan": plan.slug}).content.decode()


@pytest.mark.parametrize("size", [1, 12])
def test_action_page_queries_do_not_grow(client, django_assert_max_num_queries, size):
    plan = build_plan(size)
    action = Action.objects.filter(plan=plan).first()
    for other in Action.objects.filter(plan=plan).exclude(pk=action.pk):
        action.dependencies.add(other)
        MilestoneFactory(action=action)
    editor = RoleFactory(organization=plan.owner).user
    for progress in range(size):
        services.action_update(acting_user=editor, action=action, data={"progress": progress})
    # + the public cache's content-version read, + portfolio origin and budget, + partner organisations,
    # + the commitments it serves, + the last change
    with django_assert_max_num_queries(13):
        assert client.get(url("action-detail", action.pk)).status_code == 200
    client.force_login(editor)
    # + portfolio origin (with the seats in bodies) and budget, + partners, + commitments, + the last change,
    # + whether its linked work is finished (milestones, tasks, commitments: one query each, editors only),
    # + whether the reader follows the action (partnerships)
    with django_assert_max_num_queries(29):
        assert client.get(url("action-detail", action.pk)).status_code == 200


def test_action_history_names_added_dependencies_and_participants(editor_client, action):
    other = ActionFactory(objective=action.objective, code="1.1.2", title_en="Data platform")
    response = editor_client.post(
        url("action-update", action.pk),
        action_post(action, dependencies=[other.pk], participants=[action.plan.owner.pk]),
    )
    assert response.status_code == 302
    history = editor_client.get(url("action-detail", action.pk)).context["history"]
    changes = {change.name: change for entry in history for change in entry.changes}
    assert changes["dependencies"].before == "—"
    assert changes["dependencies"].after == "1.1.2. Data platform"
    assert changes["participants"].after == "Jerez de la Frontera"


def test_action_list_drops_the_plan_drop_down_when_plans_are_too_many(client, plan, action, settings):
    from municipia.strategy import views

    PlanFactory.create_batch(views.PLAN_OPTIONS_MAX)
    everything = client.get(url("action-list")).content.decode()
    assert everything.count('<option value="digital-plan-') == 0
    assert "too many plans to list here" in everything
    one_plan = client.get(url("action-list") + "?plan=smart-jerez").content.decode()
    assert '<option value="smart-jerez" selected>' in one_plan


def test_action_list_offers_the_councils_taking_part_in_the_plan(client, plan, action, site_admin):
    from municipia.strategy import services

    taking_part = OrganizationFactory(name_en="Tremp", slug="tremp")
    OrganizationFactory(name_en="Barcelona", slug="barcelona")
    services.action_update(acting_user=site_admin, action=action, data={}, participants=[taking_part])
    content = client.get(url("action-list") + "?plan=smart-jerez").content.decode()
    assert '<option value="tremp"' in content
    assert '<option value="barcelona"' not in content


def test_status_filter_offers_all_statuses_first_and_no_dashes(client, plan, action):
    content = client.get(url("action-list")).content.decode()
    status_select = content.split('id="id_status"', 1)[1].split("</select>", 1)[0]
    assert '<option value="" selected>All statuses</option>' in status_select
    assert "---------" not in status_select


# --- Money in forms: the budget is shown and typed as the reader's language writes it (core/money.py)


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("en", "1,065,000.00"), ("es", "1.065.000,00"), ("ca", "1.065.000,00"), ("bg", "1\xa0065\xa0000,00")],
)
def test_the_budget_is_shown_formatted_in_the_edit_form(editor_client, action, lang, shown):
    Action.objects.filter(pk=action.pk).update(budget=Decimal("1065000"))
    html = editor_client.get(url("action-update", action.pk, lang=lang)).content.decode()
    assert f'name="budget" value="{shown}"' in html
    assert 'inputmode="decimal"' in html


@pytest.mark.parametrize(
    ("lang", "typed", "saved"),
    [
        ("bg", "1 065 000,50", "1065000.50"),
        ("es", "1.065.000,00", "1065000.00"),
        ("ca", "2.500", "2500.00"),
        ("en", "1,065,000.00", "1065000.00"),
        # The other convention, when it cannot be misread, is understood too.
        ("en", "1.065.000,00", "1065000.00"),
        ("es", "1065000.5", "1065000.50"),
    ],
)
def test_a_formatted_budget_is_accepted(editor_client, action, lang, typed, saved):
    response = editor_client.post(url("action-update", action.pk, lang=lang), action_post(action, budget=typed))
    assert response.status_code == 302, response.context["form"].errors
    action.refresh_from_db()
    assert action.budget == Decimal(saved)


def test_an_unreadable_budget_is_refused_naming_the_field_and_keeping_the_text(editor_client, action):
    before = action.budget
    response = editor_client.post(url("action-update", action.pk, lang="es"), action_post(action, budget="1.06.5"))
    assert response.status_code == 400
    error = response.context["form"].errors["budget"][0]
    assert "1.06.5" in error and "1.065.000,00" in error
    assert 'value="1.06.5"' in response.content.decode()
    action.refresh_from_db()
    assert action.budget == before


def test_parse_and_format_round_trip_in_every_language():
    for lang in ("en", "es", "ca", "bg"):
        with translation.override(lang):
            for amount in (Decimal("0.50"), Decimal("999"), Decimal("1065000.25"), Decimal("-12000")):
                assert parse_money(format_money(amount)) == amount
            assert parse_money("12,34,5") is None
            assert parse_money("") is None
