"""The site's shell and home page: landmarks, language switcher, published content, fixed cost."""

import pytest
from django.urls import reverse

from municipia.organizations.tests.factories import NetworkFactory, NetworkMembershipFactory, OrganizationFactory
from municipia.strategy.tests.factories import ActionFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_home_shows_published_plans_with_progress_and_networks_with_member_counts(client):
    plan = PlanFactory(title_en="Sofia digital", owner=OrganizationFactory(name_en="Sofia"))
    ActionFactory(objective__axis__plan=plan, progress=30)
    PlanFactory(title_en="Hidden draft", is_published=False)
    network = NetworkFactory(name_en="Xarxa")
    for _ in range(3):
        NetworkMembershipFactory(network=network)
    content = client.get("/en/").content.decode()
    assert "Sofia digital" in content and "Hidden draft" not in content
    assert '<progress max="100" value="30"' in content
    assert "Xarxa" in content and "3 member councils" in content


def test_every_page_has_landmarks_skip_link_and_language_switcher(client):
    content = client.get("/en/").content.decode()
    assert '<html lang="en">' in content
    assert 'href="#main"' in content and '<main id="main"' in content
    assert "<header" in content and "<footer" in content and "<nav" in content
    for code in ("en", "es", "ca"):
        assert f'href="/{code}/" hreflang="{code}" lang="{code}"' in content
    assert 'href="/bg/" hreflang="bg" lang="bg">Български</a>' in content
    assert reverse("login") in content


def test_home_in_bulgarian_marks_the_language(client):
    content = client.get("/bg/").content.decode()
    assert '<html lang="bg">' in content
    assert 'lang="bg" aria-current="true"' in content


def test_unknown_page_uses_the_site_404_page(client, settings):
    settings.DEBUG = False
    response = client.get("/en/plans/no-such-plan/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_login_page_has_labelled_fields(client):
    content = client.get(reverse("login")).content.decode()
    assert '<label for="id_username">' in content and '<label for="id_password">' in content


@pytest.mark.parametrize("size", [1, 20])
def test_home_queries_do_not_grow(client, django_assert_max_num_queries, size):
    for _ in range(size):
        plan = PlanFactory()
        ActionFactory(objective__axis__plan=plan)
        NetworkMembershipFactory()
    with django_assert_max_num_queries(6):  # + the public cache's content-version read
        assert client.get("/en/").status_code == 200


def test_the_frame_is_rendered_once_per_language_and_state_and_says_each_language(client, django_user_model):
    """The header's links, the style sheets and the footer are kept per language and signed-in state
    (portal.templatetags.portal.shell): each language still gets its own words and addresses, and
    only signed-in readers get the diagnosis link."""
    from municipia.portal.templatetags import portal

    portal._SHELL.clear()
    english = client.get("/en/").content.decode()
    spanish = client.get("/es/").content.decode()
    assert '<a href="/en/plans/">Plans</a>' in english and "Skip to content" in english
    spanish_links = spanish.split("<main")[0].split('id="site-languages"')[0]
    assert '<a href="/es/plans/">' in spanish_links and "/en/plans/" not in spanish_links
    assert "Skip to content" not in spanish
    assert 'href="/en/diagnosis/"' not in english
    assert {part for part, language, *_rest in portal._SHELL} == {"assets", "header", "footer"}
    assert {language for _part, language, *_rest in portal._SHELL} == {"en", "es"}
    kept = len(portal._SHELL)
    client.get("/en/plans/")
    assert len(portal._SHELL) == kept  # another page in a language already seen renders nothing anew

    client.force_login(django_user_model.objects.create_user("reader"))
    signed_in = client.get("/en/").content.decode()
    assert 'href="/en/diagnosis/"' in signed_in
    assert len(portal._SHELL) == kept + 3
