"""The public cache: anonymous reads are stored whole, and any content change invalidates them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.core.cache import cache_key, content_version, storable
from municipia.organizations.tests.factories import OrganizationFactory, RoleFactory
from municipia.strategy import services
from municipia.strategy.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def action():
    return ActionFactory(title_en="Open data portal", objective__axis__plan__slug="agenda")


def test_second_anonymous_read_costs_one_query(client, action, django_assert_num_queries):
    url = reverse("strategy:plan-detail", args=["agenda"])
    first = client.get(url)
    with django_assert_num_queries(1):  # the content version
        second = client.get(url)
    assert second.status_code == 200
    assert second.content == first.content


def test_a_change_through_a_service_shows_at_once(client, action, site_admin):
    url = reverse("strategy:action-detail", args=[action.pk])
    assert "Open data portal" in client.get(url).content.decode()
    services.action_update(acting_user=site_admin, action=action, data={"title_en": "Open data portal 2.0"})
    assert "Open data portal 2.0" in client.get(url).content.decode()


def test_a_many_to_many_change_invalidates(client, action, site_admin):
    council = OrganizationFactory(name_en="Tremp")
    url = reverse("strategy:action-detail", args=[action.pk])
    assert "Tremp" not in client.get(url).content.decode()
    before = content_version()
    services.action_update(acting_user=site_admin, action=action, data={}, participants=[council])
    assert content_version() > before
    assert "Tremp" in client.get(url).content.decode()


def test_signed_in_editors_never_get_the_anonymous_page(client, action):
    url = reverse("strategy:plan-detail", args=["agenda"])
    client.get(url)  # fills the cache for visitors
    editor = RoleFactory(organization=action.plan.owner).user
    client.force_login(editor)
    content = client.get(url).content.decode()
    assert reverse("strategy:plan-update", args=["agenda"]) in content


def test_each_language_is_cached_apart(client, action):
    action.plan.title_ca = "Agenda digital"
    action.plan.title_en = "Digital agenda"
    action.plan.save()
    assert "Digital agenda" in client.get("/en/plans/agenda/").content.decode()
    assert "Agenda digital" in client.get("/ca/plans/agenda/").content.decode()


def test_not_found_is_not_cached(client, action):
    action.plan.is_published = False
    action.plan.save()
    assert client.get("/en/plans/agenda/").status_code == 404
    action.plan.is_published = True
    action.plan.save()
    assert client.get("/en/plans/agenda/").status_code == 200


def test_api_reads_are_cached_for_anonymous_only(action, django_assert_num_queries):
    anonymous = APIClient()
    url = f"/api/v1/actions/{action.pk}/"
    anonymous.get(url)
    with django_assert_num_queries(1):
        assert anonymous.get(url).json()["title_en"] == "Open data portal"
    # An authenticated caller goes through permissions and serializers every time, whatever
    # way DRF authenticated it.
    editor = RoleFactory(organization=action.plan.owner).user
    authenticated = APIClient()
    authenticated.force_authenticate(editor)
    action.plan.is_published = False
    action.plan.save()
    assert authenticated.get(url).status_code == 200
    assert anonymous.get(url).status_code == 404


def test_loading_reference_data_invalidates(tmp_path):
    from municipia.organizations.loaders import load_municipalities

    es = tmp_path / "es.csv"
    es.write_text(
        "ine_code,name,name_display,province_code,province,ccaa_code,autonomous_community,"
        "population_2025,men_2025,women_2025,longitude,latitude\n"
        "25219,Tremp,Tremp,25,Lleida,09,Cataluña,6000,3000,3000,0.89,42.16\n",
        encoding="utf-8",
    )
    bg = tmp_path / "bg.csv"
    bg.write_text(
        "obshtina_code,ekatte_admin_centre,name_bg,name_latin,oblast_code,oblast_bg,oblast_latin,nuts2_code,"
        "population_2013\n",
        encoding="utf-8",
    )
    before = content_version()
    load_municipalities(es_path=es, bg_path=bg)
    assert content_version() > before


def test_shared_fragment_renders_once_per_parts_and_not_while_it_may_not_be_kept():
    from municipia.core.cache import shared_fragment

    calls = []

    def render():
        calls.append(1)
        return f"<p>rendering {len(calls)}</p>"

    first = shared_fragment("test-fragment", ["en", 1], render)
    assert shared_fragment("test-fragment", ["en", 1], render) == first == "<p>rendering 1</p>"
    assert shared_fragment("test-fragment", ["bg", 1], render) == "<p>rendering 2</p>"  # other parts, own piece
    shared_fragment("test-fragment", ["en", 2], render, keep=lambda: False)
    assert shared_fragment("test-fragment", ["en", 2], render) == "<p>rendering 4</p>"  # the unkept one is redone


def test_an_html_request_does_not_poison_json_clients(action):
    url = f"/api/v1/actions/{action.pk}/"
    html = APIClient().get(url, HTTP_ACCEPT="text/html")
    assert html["Content-Type"].startswith("text/html")
    answer = APIClient().get(url, HTTP_ACCEPT="application/json")
    assert answer["Content-Type"].startswith("application/json")
    assert answer.json()["title_en"] == "Open data portal"


def test_each_host_is_cached_apart(client, action, settings, rf):
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    url = reverse("strategy:plan-detail", args=["agenda"])
    client.get(url, HTTP_HOST="one.example")
    with_other_host = client.get(url, HTTP_HOST="two.example", HTTP_ACCEPT="text/html")
    assert with_other_host.status_code == 200
    first = rf.get(url, HTTP_HOST="one.example")
    second = rf.get(url, HTTP_HOST="two.example")
    first.user = second.user = AnonymousUser()
    assert cache_key(first) != cache_key(second)


def test_a_response_that_varies_by_an_unkeyed_header_is_not_stored(rf):
    request = rf.get("/en/")
    request.user = AnonymousUser()
    varied = HttpResponse("x")
    varied["Vary"] = "Accept-Encoding, User-Agent"
    plain = HttpResponse("x")
    plain["Vary"] = "Accept, Cookie"
    assert not storable(request, varied)
    assert storable(request, plain)


def test_a_page_carrying_a_csrf_token_is_not_stored(rf):
    request = rf.get("/en/")
    request.user = AnonymousUser()
    get_token(request)
    assert not storable(request, HttpResponse("form"))


# --- invalidation scoped to what changed


def _cached(client, url, django_assert_num_queries) -> bool:
    """True when the anonymous read of `url` came from the cache (one query: the versions)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries) == 1


def test_an_edit_to_one_plan_leaves_other_plans_pages_cached(client, action, site_admin, django_assert_num_queries):
    other = ActionFactory(title_en="Smart lighting", objective__axis__plan__slug="other")
    urls = [
        "/en/plans/other/",
        f"/en/actions/{other.pk}/",
        "/en/actions/?plan=other",
        f"/api/v1/actions/{other.pk}/",
        "/api/v1/actions/?plan=other",
    ]
    mine = ["/en/plans/agenda/", f"/en/actions/{action.pk}/", "/en/actions/?plan=agenda", "/en/actions/"]
    for url in urls + mine:
        client.get(url)
    services.action_update(acting_user=site_admin, action=action, data={"title_en": "Open data portal 2.0"})
    assert all(_cached(client, url, django_assert_num_queries) for url in urls)
    # The edited plan's pages, its lists and the site-wide lists are rendered afresh.
    for url in mine:
        assert not _cached(client, url, django_assert_num_queries)
        assert "Open data portal 2.0" in client.get(url).content.decode()


def test_an_edit_stales_the_owner_and_its_networks_pages(client, action, site_admin, django_assert_num_queries):
    from municipia.organizations.models import NetworkMembership

    network = OrganizationFactory(kind="network", slug="xarxa")
    NetworkMembership.objects.create(network=network, member=action.plan.owner)
    stranger = OrganizationFactory(slug="stranger")
    urls = [f"/en/organizations/{slug}/" for slug in (action.plan.owner.slug, "xarxa", "stranger")]
    for url in urls:
        client.get(url)
    services.action_update(acting_user=site_admin, action=action, data={"title_en": "Open data portal 2.0"})
    assert [_cached(client, url, django_assert_num_queries) for url in urls] == [False, False, True]
    assert stranger.pk


def test_a_change_that_shows_everywhere_stales_every_page(client, action, site_admin, django_assert_num_queries):
    other = ActionFactory(title_en="Smart lighting", objective__axis__plan__slug="other")
    url = f"/en/actions/{other.pk}/"
    client.get(url)
    # A plan's title shows in the plan menus of other plans' lists: every page is rendered afresh.
    services.plan_update(acting_user=site_admin, plan=action.plan, data={"title_en": "Agenda 2030"})
    assert not _cached(client, url, django_assert_num_queries)


def test_a_new_dependency_stales_the_page_of_the_action_depended_on(client, action, site_admin):
    other = ActionFactory(title_en="Smart lighting", objective__axis__plan__slug="other")
    url = f"/en/actions/{action.pk}/"
    assert "Smart lighting" not in client.get(url).content.decode()
    other.dependencies.add(action)
    assert "Smart lighting" in client.get(url).content.decode()
