"""Full-text search: the database's own index, four languages, ranked, in step with edits, scoped by visibility."""

import pytest
from django.db import connection, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.core import search
from municipia.core.models import SearchEntry
from municipia.organizations.tests.factories import OrganizationFactory, RoleFactory, UserFactory
from municipia.strategy import services
from municipia.strategy.models import Action, Plan
from municipia.strategy.tests.factories import ActionFactory, PlanFactory

pytestmark = pytest.mark.django_db


def titles(queryset, text):
    found = search.search_filter(queryset, text)
    return [obj.title_en or obj.title_es or obj.title_ca or obj.title_bg for obj in found]


def test_plain_text_is_unaccented_lower_case_words():
    assert search.plain("Ciberseguretat: l'Ajuntament d'Àger") == "ciberseguretat l ajuntament d ager"
    assert search.plain("Цифрова ОБЩИНА") == "цифрова община"


def test_catalan_and_bulgarian_match_without_accents():
    ActionFactory(title_en="", title_ca="Formació en ciberseguretat per al personal")
    ActionFactory(title_en="", title_bg="Електронно управление на общината")
    ActionFactory(title_en="Street lighting")
    actions = Action.objects.all()
    assert titles(actions, "formacio") == ["Formació en ciberseguretat per al personal"]
    assert titles(actions, "FORMACIÓ ciber") == ["Formació en ciberseguretat per al personal"]
    assert titles(actions, "електронно") == ["Електронно управление на общината"]
    assert titles(actions, "lighting nowhere") == []


def test_words_match_as_prefixes_and_codes_are_searched():
    ActionFactory(title_en="Cybersecurity training", code="A7.2")
    ActionFactory(title_en="Open data")
    actions = Action.objects.all()
    assert titles(actions, "cyber") == ["Cybersecurity training"]
    assert titles(actions, "A7.2") == ["Cybersecurity training"]


def test_english_words_match_their_stems():
    ActionFactory(title_en="Training the staff in digital skills")
    assert titles(Action.objects.all(), "trained") == ["Training the staff in digital skills"]


def test_spanish_words_match_without_accents_and_by_stem_on_postgresql():
    ActionFactory(title_en="", title_es="Digitalización de los servicios municipales")
    found = ["Digitalización de los servicios municipales"]
    assert titles(Action.objects.all(), "digitalizacion servicios") == found
    if connection.vendor == "postgresql":  # SQLite has no Spanish stemmer: "servicio" is a prefix there
        assert titles(Action.objects.all(), "municipal digitalizaciones") == found


def test_title_matches_rank_above_body_matches():
    ActionFactory(title_en="Street lighting", description_en="Lighting that also covers broadband ducts")
    ActionFactory(title_en="Broadband for every school")
    ActionFactory(title_en="Parks")
    assert titles(Action.objects.all(), "broadband") == ["Broadband for every school", "Street lighting"]


def test_an_edit_is_searchable_inside_its_own_transaction(site_admin):
    action = ActionFactory(title_en="Open data portal")
    with transaction.atomic():
        services.action_update(acting_user=site_admin, action=action, data={"title_en": "Smart parking"})
        assert titles(Action.objects.all(), "parking") == ["Smart parking"]
        assert titles(Action.objects.all(), "portal") == []
        transaction.set_rollback(True)
    assert titles(Action.objects.all(), "portal") == ["Open data portal"]


def test_a_deleted_object_leaves_the_index(site_admin):
    action = ActionFactory(title_en="Open data portal")
    services.action_delete(acting_user=site_admin, action=action)
    assert not SearchEntry.objects.filter(kind="action").exists()


def test_rebuild_recreates_missing_entries():
    ActionFactory(title_en="Open data portal")
    SearchEntry.objects.all().delete()
    assert titles(Action.objects.all(), "portal") == []
    counts = search.rebuild()
    assert counts["action"] == 1
    assert titles(Action.objects.all(), "portal") == ["Open data portal"]


def test_the_action_list_page_and_api_search_alike(client):
    ActionFactory(title_en="Cybersecurity training", objective__axis__plan__slug="agenda")
    ActionFactory(title_en="Open data portal", objective__axis__plan__slug="other")
    page = client.get(reverse("strategy:action-list"), {"search": "cybersecurity"}).content.decode()
    assert "Cybersecurity training" in page and "Open data portal" not in page
    api = APIClient().get("/api/v1/actions/", {"search": "cybersecurity"}).json()
    assert [row["title"] for row in api["results"]] == ["Cybersecurity training"]


def test_private_objects_are_found_only_by_who_may_see_them(client):
    draft = PlanFactory(title_en="Secret broadband plan", is_published=False)
    ActionFactory(title_en="Broadband rollout", objective__axis__plan=draft)
    PlanFactory(title_en="Public broadband plan")
    url = reverse("portal:search")
    anonymous = client.get(url, {"search": "broadband"}).content.decode()
    assert "Public broadband plan" in anonymous
    assert "Secret broadband plan" not in anonymous and "Broadband rollout" not in anonymous
    assert APIClient().get("/api/v1/actions/", {"search": "broadband"}).json()["results"] == []
    editor = RoleFactory(organization=draft.owner).user
    client.force_login(editor)
    signed_in = client.get(url, {"search": "broadband"}).content.decode()
    assert "Secret broadband plan" in signed_in and "Broadband rollout" in signed_in
    client.force_login(UserFactory())
    assert "Secret broadband plan" not in client.get(url, {"search": "broadband"}).content.decode()


def test_the_search_page_groups_results_by_kind(client):
    OrganizationFactory(name_en="Broadband consortium")
    PlanFactory(title_en="Broadband plan")
    ActionFactory(title_en="Broadband for schools")
    response = client.get(reverse("portal:search"), {"search": "broadband"})
    groups = response.context["groups"]
    assert [group.spec.kind for group in groups] == ["plan", "action", "organization"]
    assert [group.count for group in groups] == [1, 1, 1]


def test_the_search_page_lists_one_kind_in_full(client):
    for n in range(7):
        PlanFactory(title_en=f"Broadband plan {n}")
    response = client.get(reverse("portal:search"), {"search": "broadband", "kind": "plan"})
    assert len(response.context["page"].object_list) == 7


def test_the_search_page_costs_the_same_queries_whatever_the_matches(client, django_assert_max_num_queries):
    PlanFactory(title_en="Broadband plan")
    ActionFactory(title_en="Broadband for schools")
    url = reverse("portal:search")
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(conn) as few:
        client.get(url, {"search": "broadband"})
    for n in range(12):
        ActionFactory(title_en=f"Broadband action {n}")
        PlanFactory(title_en=f"Broadband plan {n}")
    with CaptureQueriesContext(conn) as many:
        client.get(url, {"search": "broadband"})
    assert len(many) == len(few)


def test_an_empty_or_wordless_search_changes_nothing():
    ActionFactory()
    assert search.search_filter(Action.objects.all(), "  ¿? ").count() == 1
    assert Plan.objects.count() == 1


def test_the_rebuild_command_writes_every_entry():
    from io import StringIO

    from django.core.management import call_command

    ActionFactory(title_en="Open data portal")
    SearchEntry.objects.all().delete()
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "action: 1" in out.getvalue()
    assert titles(Action.objects.all(), "portal") == ["Open data portal"]


# --- Kept search results (search_page): valid until a searchable text or a visibility changes


def search_version() -> str:
    from municipia.core.cache import scope_versions

    return scope_versions(search.SEARCH_SCOPE)


@pytest.fixture
def no_page_cache(settings):
    """Every request reaches the view (the kept matches are what is tested, not the page cache)."""
    settings.PUBLIC_CACHE = False


def listed(client, text, **params):
    response = client.get(reverse("strategy:action-list"), {"search": text, **params})
    return [action.title_en for action in response.context["page"].object_list]


def test_a_save_that_changes_no_searchable_text_leaves_the_index_version_alone(site_admin):
    action = ActionFactory(title_en="Open data portal")
    before = search_version()
    services.action_update(acting_user=site_admin, action=action, data={"progress": 40})
    assert search_version() == before
    services.action_update(acting_user=site_admin, action=action, data={"title_en": "Open data catalogue"})
    assert search_version() != before
    assert titles(Action.objects.all(), "catalogue") == ["Open data catalogue"]


def test_kept_search_results_follow_every_kind_of_change(client, site_admin, no_page_cache):
    plan = PlanFactory(title_en="Agenda")
    first = ActionFactory(title_en="Broadband for schools", objective__axis__plan=plan)
    ActionFactory(title_en="Broadband in villages", objective__axis__plan=plan)
    assert listed(client, "broadband") == ["Broadband for schools", "Broadband in villages"]
    # A progress update shows at once in the kept results' rows (read fresh), without a new count.
    services.action_update(acting_user=site_admin, action=first, data={"progress": 70})
    page = client.get(reverse("strategy:action-list"), {"search": "broadband"})
    assert [a.progress for a in page.context["page"].object_list if a.pk == first.pk] == [70]
    # A new text is found, a changed one no longer matches the old word.
    ActionFactory(title_en="Broadband vouchers", objective__axis__plan=plan)
    services.action_update(acting_user=site_admin, action=first, data={"title_en": "Fibre for schools"})
    assert listed(client, "broadband") == ["Broadband in villages", "Broadband vouchers"]
    # A plan withdrawn from the public hides its actions from the kept results at once.
    services.plan_update(acting_user=site_admin, plan=plan, data={"is_published": False})
    assert listed(client, "broadband") == []
    assert client.get(reverse("strategy:action-list"), {"search": "broadband"}).context["page"].paginator.count == 0


def test_kept_search_results_page_like_fresh_ones(client, no_page_cache):
    plan = PlanFactory()
    for n in range(60):
        ActionFactory(title_en=f"Broadband step {n:02d}", objective__axis__plan=plan)
    first = listed(client, "broadband")
    second = listed(client, "broadband", page=2)
    again = listed(client, "broadband", page=2)  # from the kept matches
    assert len(first) == 50 and len(second) == 10 and again == second
    assert set(first).isdisjoint(second)
    response = client.get(reverse("strategy:action-list"), {"search": "broadband", "page": 2})
    assert response.context["page"].paginator.count == 60 and response.context["page"].number == 2
