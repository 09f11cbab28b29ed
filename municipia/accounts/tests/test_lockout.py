"""Password guessing is locked out per account and per real client address, on every sign-in."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.db.models import F
from rest_framework.test import APIClient

from municipia.organizations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/en/accounts/login/"
TOKEN = "/api/v1/auth/token/"


def _guess(client, username, path=LOGIN, **extra):
    return client.post(path, {"username": username, "password": "wrong-guess"}, **extra)


def test_site_login_refuses_the_right_password_after_five_wrong_ones(client, settings):
    UserFactory(username="editor")
    statuses = [_guess(client, "editor").status_code for _ in range(5)]
    assert statuses[:4] == [200] * 4  # the form again, with its error

    response = client.post(LOGIN, {"username": "editor", "password": "pass-for-tests"})

    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lock_message_is_translated(client):
    UserFactory(username="editor")
    for _ in range(5):
        _guess(client, "editor", path="/es/accounts/login/")
    response = client.post("/es/accounts/login/", {"username": "editor", "password": "pass-for-tests"})
    assert response.status_code == 429
    assert "Demasiados intentos" in response.content.decode()


def test_admin_login_is_locked_out_too(client):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    for _ in range(5):
        _guess(client, "root", path="/admin/login/")
    response = client.post("/admin/login/", {"username": "root", "password": "pass-for-tests"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_token_endpoint_is_locked_out_and_says_so_in_json():
    UserFactory(username="editor")
    api = APIClient()
    for _ in range(5):
        assert _guess(api, "editor", path=TOKEN).status_code in (400, 429)
    response = api.post(TOKEN, {"username": "editor", "password": "pass-for-tests"})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.json()["detail"]


def test_guessing_across_accounts_from_one_address_locks_the_address(client):
    UserFactory(username="victim")
    for number in range(5):
        _guess(client, f"someone-{number}")
    response = client.post(LOGIN, {"username": "victim", "password": "pass-for-tests"})
    assert response.status_code == 429


def test_forged_forwarded_address_does_not_reset_the_count(client, settings):
    settings.TRUSTED_PROXIES = []
    UserFactory(username="victim")
    for number in range(5):
        _guess(client, f"someone-{number}", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    response = client.post(
        LOGIN, {"username": "victim", "password": "pass-for-tests"}, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_behind_a_trusted_proxy_each_client_is_counted_apart(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.0/8"]
    UserFactory(username="colleague")
    for number in range(5):
        _guess(client, f"someone-{number}", HTTP_X_FORWARDED_FOR="203.0.113.9")
    # Another client of the same proxy is not locked out by the guesser's address...
    response = client.post(
        LOGIN, {"username": "colleague", "password": "pass-for-tests"}, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert response.status_code == 302
    # ...and the guesser's own forged left-most entry is ignored: the proxy's entry counts.
    client.logout()
    response = client.post(
        LOGIN,
        {"username": "colleague", "password": "pass-for-tests"},
        HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.9",
    )
    assert response.status_code == 429


def test_lock_ends_after_the_cool_off(client):
    UserFactory(username="editor")
    for _ in range(5):
        _guess(client, "editor")
    assert client.post(LOGIN, {"username": "editor", "password": "pass-for-tests"}).status_code == 429

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))

    assert client.post(LOGIN, {"username": "editor", "password": "pass-for-tests"}).status_code == 302


def test_an_administrator_unlocks_an_account(client):
    UserFactory(username="editor")
    for _ in range(5):
        _guess(client, "editor")
    call_command("axes_reset_username", "editor")
    AccessAttempt.objects.filter(ip_address="127.0.0.1").delete()

    assert client.post(LOGIN, {"username": "editor", "password": "pass-for-tests"}).status_code == 302


def test_failures_are_kept_in_the_database_every_worker_shares(client):
    UserFactory(username="editor")
    _guess(client, "editor")
    assert AccessAttempt.objects.get(username="editor").failures_since_start == 1
