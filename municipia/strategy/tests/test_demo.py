"""The demo data: the three situations of DESIGN.md, in four languages, built idempotently."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from municipia.organizations.loaders import load_records, read_bulgarian, read_spanish
from municipia.organizations.models import Department, NetworkMembership, Organization, Person, Role
from municipia.strategy.demo import PASSWORD
from municipia.strategy.models import Action, Axis, Challenge, Milestone, Objective, Plan, PlanVersion
from municipia.strategy.selectors import plan_snapshot
from municipia.strategy.versions import diff_snapshots

CATALAN = "agenda-digital-dels-municipis-de-catalunya"
JEREZ = "plan-estrategico-smart-city-jerez"
SOFIA = "sofia-digital-transformation"
CYRILLIC = re.compile("[а-яА-Я]")
MODELS = (Organization, NetworkMembership, Department, Person, Role, Plan, Axis, Challenge, Objective, Action,
          Milestone, PlanVersion)  # fmt: skip


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Catalonia, Jerez and Sofia from the reference lists, then the demo; rolled back at the module's end."""
    with django_db_blocker.unblock(), transaction.atomic():
        records = [r for r in read_spanish() if r.values["region_code"] == "09" or r.values["official_code"] == "11020"]
        records += [r for r in read_bulgarian() if r.values["official_code"] == "SOF46"]
        load_records(records)
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_catalan_network_has_43_member_councils_from_barcelona_to_tremp(demo):
    network = Organization.objects.get(kind="network")
    members = list(network.members.order_by("-population"))
    assert len(members) == 43
    assert members[0].slug == "barcelona" and members[-1].slug == "tremp"
    assert {m.province for m in members} == {"Barcelona", "Girona", "Lleida", "Tarragona"}
    assert all(m.region_code == "09" for m in members)
    assert all(getattr(network, f"name_{lang}") for lang in ("en", "es", "ca", "bg"))


def test_catalan_agenda_has_the_four_axes_of_design_and_a_version(demo):
    plan = Plan.objects.get(slug=CATALAN)
    assert plan.owner.kind == "network" and plan.is_published
    assert plan.status in {"approved", "in_execution"}
    assert [a.title_en for a in plan.axes.order_by("position")] == [
        "Smart administration and public services",
        "Digital infrastructure and cybersecurity",
        "Digital society and economy",
        "Governance, cooperation and coordination",
    ]
    for axis in plan.axes.all():
        assert 1 <= axis.challenges.count() <= 2
        assert 2 <= axis.objectives.count() <= 3
        for objective in axis.objectives.all():
            assert 2 <= objective.actions.count() <= 4
            assert all(a.code.startswith(f"{objective.code}.") for a in objective.actions.all())
    assert Action.objects.filter(plan=plan, code="2.3.1").exists()
    actions = Action.objects.filter(plan=plan)
    assert all(a.participants.exists() for a in actions)
    assert actions.filter(dependencies__isnull=False).exists()
    assert Milestone.objects.filter(action__plan=plan).exists()
    assert min(a.start_date for a in actions).isoformat() == "2023-06-15"
    version = plan.versions.get()
    changes = diff_snapshots(version.snapshot, plan_snapshot(plan))
    assert {c.key for c in changes} >= {"2.2.2", "4.2.3"}


def test_jerez_plan_is_in_diagnosis_with_departments_and_leads(demo):
    plan = Plan.objects.get(slug=JEREZ)
    assert plan.owner.official_code == "11020"
    assert (plan.status, plan.is_published) == ("diagnosis", True)
    assert Department.objects.filter(organization=plan.owner).count() == 8
    actions = Action.objects.filter(plan=plan)
    assert actions.exists() and not actions.filter(owner_department__isnull=True).exists()
    assert actions.filter(lead__isnull=False).exists()
    assert Challenge.objects.filter(axis__plan=plan).exists()
    for phrase in ("SDG", "Recovery, Transformation and Resilience Plan", "ERDF", "Jerez 2022", "illustrative"):
        assert phrase in plan.summary_en


def test_sofia_plan_carries_the_partners_commitments(demo):
    plan = Plan.objects.get(slug=SOFIA)
    assert plan.owner.official_code == "SOF46"
    assert (plan.status, plan.is_published) == ("in_execution", True)
    partner = Organization.objects.get(slug="iab-bulgaria")
    assert partner.kind == "partner" and partner.name_en == "IAB Bulgaria"
    titles = " | ".join(Action.objects.filter(plan=plan).values_list("title_en", flat=True))
    for phrase in (
        "Quantitative study",
        "Qualitative study",
        "disinformation",
        "digital rights",
        "operational meeting",
    ):
        assert phrase in titles
    assert Department.objects.filter(organization=plan.owner).exists()


def test_every_demo_text_is_written_in_four_languages(demo):
    for model in (Plan, Axis, Challenge, Objective, Action, Milestone):
        for obj in model.objects.all():
            values = [getattr(obj, f"title_{lang}") for lang in ("en", "es", "ca", "bg")]
            assert all(values), (model.__name__, obj.pk, values)
            if "IAB" not in values[0]:
                assert CYRILLIC.search(values[3]), values[3]
    for plan in Plan.objects.all():
        assert all(getattr(plan, f"summary_{lang}") for lang in ("en", "es", "ca", "bg"))
        assert "illustrative" in plan.summary_en


def test_demo_users_have_their_roles_and_can_edit_only_their_plans(demo):
    users = {u.username: u for u in get_user_model().objects.all()}
    assert set(users) >= {"admin", "editor-barcelona", "coordinator-catalunya", "editor-jerez", "editor-sofia"}
    assert users["admin"].is_superuser
    assert all(u.check_password(PASSWORD) for u in users.values())
    assert Role.objects.get(user=users["editor-barcelona"]).organization.slug == "barcelona"
    assert Role.objects.get(user=users["coordinator-catalunya"]).kind == "coordinator"
    assert all(Person.objects.filter(user=u).exclude(position_en="").exists() for u in users.values())
    catalan, jerez, sofia = (Plan.objects.get(slug=s) for s in (CATALAN, JEREZ, SOFIA))
    assert users["coordinator-catalunya"].has_perm("strategy.change_plan", catalan)
    assert users["editor-jerez"].has_perm("strategy.change_plan", jerez)
    assert users["editor-sofia"].has_perm("strategy.change_plan", sofia)
    assert not users["editor-jerez"].has_perm("strategy.change_plan", sofia)
    assert not users["editor-barcelona"].has_perm("strategy.change_plan", jerez)
    assert "editor-barcelona" in demo and PASSWORD in demo


def test_running_the_demo_twice_duplicates_nothing(demo):
    counts = {model: model.objects.count() for model in MODELS}
    histories = {model: model.history.count() for model in MODELS if hasattr(model, "history")}
    users = get_user_model().objects.count()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert {model: model.objects.count() for model in MODELS} == counts
    assert {model: model.history.count() for model in histories} == histories
    assert get_user_model().objects.count() == users
    assert "already exists" in out.getvalue()


LANGUAGES = ("en", "es", "ca", "bg")


def _changes_in(language: str, old: dict, plan: Plan) -> list[tuple]:
    from django.utils import translation

    from municipia.strategy.views import readable_changes

    with translation.override(language):
        changes = diff_snapshots(old, plan_snapshot(plan))
        rows = readable_changes(changes)
    assert len(rows) == len(changes)
    return [(c.section, c.key, c.kind, c.field) for c in changes]


@pytest.mark.parametrize("slug", [CATALAN, JEREZ, SOFIA])
def test_change_lists_are_the_same_in_every_interface_language(demo, slug, client):
    """The stored version (approved with English active) and a version approved with each other
    language active: read in any language, the same changes, and none where nothing changed."""
    from django.urls import reverse
    from django.utils import translation

    plan = Plan.objects.get(slug=slug)
    version = plan.versions.order_by("-number").first()
    if version is not None:
        stored = [_changes_in(language, version.snapshot, plan) for language in LANGUAGES]
        assert all(found == stored[0] for found in stored)
        # The page says as much, in each language.
        for language in LANGUAGES:
            with translation.override(language):
                html = client.get(reverse("strategy:plan-changes", args=[slug])).content.decode()
            assert html.count("<tr") - 1 == len(stored[0]) or (not stored[0] and "<tr" not in html)
    for approver_language in LANGUAGES:
        with translation.override(approver_language):
            approved = plan_snapshot(plan)
        for reader_language in LANGUAGES:
            assert _changes_in(reader_language, approved, plan) == []


def test_a_change_to_one_language_shows_as_that_field_in_that_language(demo):
    from django.utils import translation

    from municipia.strategy.views import readable_changes

    plan = Plan.objects.get(slug=SOFIA)
    with translation.override("bg"):
        approved = plan_snapshot(plan)
    action = Action.objects.filter(plan=plan).order_by("code").first()
    with transaction.atomic():
        Action.objects.filter(pk=action.pk).update(title_es="Un título nuevo")
        for language in LANGUAGES:
            with translation.override(language):
                changes = diff_snapshots(approved, plan_snapshot(plan))
                rows = readable_changes(changes)
            assert [(c.key, c.field, c.after) for c in changes] == [(action.code, "title_es", "Un título nuevo")]
        with translation.override("en"):
            assert readable_changes(changes)[0].field == "Title (español)"
        transaction.set_rollback(True)
    assert rows
