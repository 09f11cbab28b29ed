"""The edit and delete pages of every declared entity × readers without the right: nobody writes.

Derived from the registry: for each entity whose pages come from `entity_paths` (URL names
`<app>:<model>-update` and `-delete`), an object made by its factory is opened and deleted by the
anonymous visitor (sent to sign in), a signed-in user without roles and an editor of an unrelated
council (refused: 403, or 404 where they may not even see it); a database fingerprint over every
entity's rows and history shows that nothing changed. A site administrator opens both pages.
"""

import pytest
from django.urls import NoReverseMatch, reverse

from municipia.core.entities import entities
from municipia.core.tests.test_visibility_agreement import factory_of
from municipia.organizations.tests.factories import OrganizationFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def page_url(entity, verb: str, obj=None) -> str | None:
    key = getattr(obj, entity.lookup) if obj is not None else (1 if entity.lookup == "pk" else "x")
    try:
        return reverse(f"{entity.model._meta.app_label}:{entity.model_name}-{verb}", args=[key])
    except NoReverseMatch:
        return None


def fingerprint() -> tuple:
    counts = []
    for entity in entities():
        counts.append(entity.model._default_manager.count())
        if hasattr(entity.model, "history"):
            counts.append(entity.model.history.count())
    return tuple(counts)


def routed_entities():
    return [entity for entity in entities() if factory_of(entity.model) is not None]


def test_some_entities_have_generic_pages():
    routed = [e.label for e in routed_entities() if page_url(e, "update") is not None]
    assert "strategy.Action" in routed


@pytest.mark.parametrize("reader", ["anonymous", "plain user", "unrelated editor"])
def test_readers_without_the_right_cannot_edit_or_delete_anything(client, reader):
    user = {
        "anonymous": None,
        "plain user": UserFactory(),
        "unrelated editor": RoleFactory(organization=OrganizationFactory()).user,
    }[reader]
    if user is not None:
        client.force_login(user)
    objects = [(entity, factory_of(entity.model)()) for entity in routed_entities()]
    before = fingerprint()
    checked = 0
    for entity, obj in objects:
        for verb in ("update", "delete"):
            url = page_url(entity, verb, obj)
            if url is None:
                continue
            checked += 1
            shown = client.get(url)
            posted = client.post(url, {})
            if user is None:
                assert shown.status_code == 302 and "/login" in shown["Location"], url
                assert posted.status_code == 302 and "/login" in posted["Location"], url
            else:
                assert shown.status_code in (403, 404), url
                assert posted.status_code in (403, 404), url
    assert checked > 0
    assert fingerprint() == before


def test_site_admin_opens_every_edit_and_delete_page(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for entity in routed_entities():
        obj = factory_of(entity.model)()
        for verb in ("update", "delete"):
            url = page_url(entity, verb, obj)
            if url is not None:
                assert client.get(url).status_code == 200, url
