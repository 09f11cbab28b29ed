"""No lost updates: a save over a version newer than the one the editor opened is refused and explained."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.organizations.tests.factories import RoleFactory
from municipia.strategy import services
from municipia.strategy.models import Axis
from municipia.strategy.tests.factories import AxisFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def axis():
    return AxisFactory(title_en="Smart administration", description_en="First text", plan__is_published=True)


def _form_data(response) -> dict:
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    data["version"] = re.search(r'name="version" value="([^"]+)"', response.content.decode()).group(1)
    return data


def test_the_second_editor_is_told_what_changed_and_keeps_what_they_typed(client, axis):
    first = RoleFactory(organization=axis.plan.owner).user
    second = RoleFactory(organization=axis.plan.owner).user
    url = reverse("strategy:axis-update", args=[axis.pk])
    client.force_login(second)
    data = _form_data(client.get(url))
    # The first editor saves while the second is still typing.
    services.axis_update(acting_user=first, axis=Axis.objects.get(pk=axis.pk), data={"description_en": "Their text"})
    data["title_en"] = "My new title"
    page = client.post(url, data)
    assert page.status_code == 400
    body = page.content.decode()
    assert "changed this while you were editing it" in body
    assert "description" in body and first.get_username() in body
    assert 'value="My new title"' in body
    axis.refresh_from_db()
    assert (axis.title_en, axis.description_en) == ("Smart administration", "Their text")
    # The page now carries the newer version: saving again knowingly overwrites.
    again = client.post(url, _form_data(page) | {"title_en": "My new title"})
    assert again.status_code == 302
    axis.refresh_from_db()
    assert axis.title_en == "My new title"


def test_the_api_sends_an_etag_and_refuses_a_stale_if_match_with_412(axis):
    editor = RoleFactory(organization=axis.plan.owner).user
    api = APIClient()
    api.force_authenticate(editor)
    url = f"/api/v1/axes/{axis.pk}/"
    etag = api.get(url)["ETag"]
    assert etag
    saved = api.patch(url, {"title_en": "First"}, format="json", HTTP_IF_MATCH=etag)
    assert saved.status_code == 200 and saved["ETag"] != etag
    stale = api.patch(url, {"title_en": "Second"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["etag"] == saved["ETag"]
    assert "title" in " ".join(stale.json()["changed"])
    axis.refresh_from_db()
    assert axis.title_en == "First"
    # Without If-Match, an old client still saves.
    assert api.patch(url, {"title_en": "Third"}, format="json").status_code == 200
