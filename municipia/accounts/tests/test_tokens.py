"""API tokens: listed, created with an expiry, rotated and revoked by their owner; dead ones refused."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from municipia.accounts.models import ApiToken
from municipia.accounts.services import token_issue
from municipia.organizations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TOKENS = "/en/accounts/tokens/"
ME = "/api/v1/plans/"


def _api(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def _works(key: str) -> bool:
    return _api(key).get(ME).status_code == 200


def _new_key(page: str) -> str:
    return re.search(r'id="new-token">([^<]+)<', page).group(1)


def test_token_page_creates_a_token_shown_once_that_opens_the_api(client):
    user = UserFactory(username="editor")
    client.force_login(user)

    response = client.post(TOKENS, {"name": "import script", "days": "30"}, follow=True)

    page = response.content.decode()
    key = _new_key(page)
    assert "import script" in page
    assert _works(key)
    token = ApiToken.objects.get()
    assert token.digest != key and key not in token.digest  # only the digest is stored
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert 'id="new-token"' not in client.get(TOKENS).content.decode()  # not shown again


def test_bad_lifetime_names_the_field_and_creates_nothing(client, settings):
    settings.API_TOKEN_MAX_DAYS = 365
    client.force_login(UserFactory(username="editor"))
    response = client.post(TOKENS, {"name": "forever", "days": "5000"})
    assert response.status_code == 200
    assert "A token lives from 1 to 365 days." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_expired_token_is_refused():
    user = UserFactory(username="editor")
    token, key = token_issue(acting_user=user, name="old", days=1)
    assert _works(key)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _api(key).get(ME)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_revoked_token_is_refused(client):
    user = UserFactory(username="editor")
    token, key = token_issue(acting_user=user, name="laptop", days=10)
    client.force_login(user)
    client.post(f"/en/accounts/tokens/{token.pk}/revoke/")
    assert _api(key).get(ME).status_code == 401
    assert "revoked" in client.get(TOKENS).content.decode()


def test_rotation_replaces_the_key(client):
    user = UserFactory(username="editor")
    token, old = token_issue(acting_user=user, name="sync", days=10)
    client.force_login(user)
    new = _new_key(client.post(f"/en/accounts/tokens/{token.pk}/rotate/", follow=True).content.decode())
    assert not _works(old)
    assert _works(new)
    assert ApiToken.objects.filter(name="sync", revoked_at__isnull=True).count() == 1


def test_nobody_else_can_revoke_my_token(client):
    mine, key = token_issue(acting_user=UserFactory(username="owner"), name="mine", days=10)
    client.force_login(UserFactory(username="other"))
    assert client.post(f"/en/accounts/tokens/{mine.pk}/revoke/").status_code == 404
    assert _works(key)
    assert "mine" not in client.get(TOKENS).content.decode()


def test_password_change_on_the_page_revokes_every_token(client):
    user = UserFactory(username="editor")
    _token, key = token_issue(acting_user=user, name="a", days=10)
    client.force_login(user)
    response = client.post(
        "/en/accounts/password/change/",
        {
            "old_password": "pass-for-tests",
            "new_password1": "a-new-Long-pass-42",
            "new_password2": "a-new-Long-pass-42",
        },
    )
    assert response.status_code == 302
    assert not _works(key)
    assert ApiToken.objects.get().revoked_at is not None
    assert client.get("/en/accounts/").status_code == 200  # still signed in


def test_password_changed_anywhere_else_also_kills_old_tokens():
    user = UserFactory(username="editor")
    _token, key = token_issue(acting_user=user, name="a", days=10)
    user.set_password("set-by-an-administrator-1")
    user.save()
    assert not _works(key)


def test_token_endpoint_issues_an_expiring_token():
    UserFactory(username="editor")
    response = APIClient().post("/api/v1/auth/token/", {"username": "editor", "password": "pass-for-tests", "days": 7})
    assert response.status_code == 200
    body = response.json()
    assert _works(body["token"])
    assert ApiToken.objects.get().expires_at - timezone.now() <= timedelta(days=7)


def test_token_endpoint_rejects_a_too_long_life_with_400():
    UserFactory(username="editor")
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "editor", "password": "pass-for-tests", "days": 100000}
    )
    assert response.status_code == 400
    assert "days" in response.json()


def test_token_list_uses_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    user = UserFactory(username="editor")
    for number in range(30):
        token_issue(acting_user=user, name=f"t{number}", days=10)
    client.force_login(user)
    with django_assert_max_num_queries(8):
        assert client.get(TOKENS).status_code == 200
