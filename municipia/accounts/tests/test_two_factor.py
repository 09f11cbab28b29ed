"""Two-factor authentication: available to everyone, required of site administrators for the admin."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from municipia.organizations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _admin_requires_two_factor(settings):
    settings.ADMIN_REQUIRES_TWO_FACTOR = True  # as in production (the default outside tests)


LOGIN = "/en/accounts/login/"


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _with_authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _login(client, username="editor"):
    return client.post(LOGIN, {"username": username, "password": "pass-for-tests"})


def test_anyone_can_turn_it_on_from_the_account_page(client):
    user = UserFactory(username="editor")
    client.force_login(user)
    assert "/en/accounts/two-factor/setup/" in client.get("/en/accounts/").content.decode()

    page = client.get("/en/accounts/two-factor/setup/").content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    response = client.post("/en/accounts/two-factor/setup/", {"code": _code(device)})

    codes = re.findall(r"<li>([a-z0-9]{8})</li>", response.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert StaticDevice.objects.get(user=user).token_set.count() == 10


def test_a_wrong_set_up_code_is_said_and_nothing_is_turned_on(client):
    user = UserFactory(username="editor")
    client.force_login(user)
    client.get("/en/accounts/two-factor/setup/")
    response = client.post("/en/accounts/two-factor/setup/", {"code": "000000x"})
    assert "This code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_after_the_password_the_code_is_required(client):
    user = UserFactory(username="editor")
    device = _with_authenticator(user)
    assert _login(client).status_code == 302

    response = client.get("/en/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/two-factor/verify/")

    assert (
        "This code is not right" in client.post("/en/accounts/two-factor/verify/", {"code": "123456"}).content.decode()
    )
    assert client.get("/en/accounts/").status_code == 302
    # django-otp slows down the next try after a failure (1 s, then doubling); skip the wait.
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()

    response = client.post("/en/accounts/two-factor/verify/", {"code": _code(device), "next": "/en/accounts/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/"
    assert client.get("/en/accounts/").status_code == 200


def test_a_recovery_code_works_once(client):
    user = UserFactory(username="editor")
    _with_authenticator(user)
    static = StaticDevice.objects.create(user=user, name="codes", confirmed=True)
    static.token_set.create(token="abcd2345")

    _login(client)
    client.post("/en/accounts/two-factor/verify/", {"code": "abcd2345"})
    assert client.get("/en/accounts/").status_code == 200

    client.logout()
    _login(client)
    client.post("/en/accounts/two-factor/verify/", {"code": "abcd2345"})
    assert client.get("/en/accounts/").status_code == 302


def test_an_administrator_without_it_is_sent_to_set_it_up_before_the_admin(client):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    _login(client, "root")

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/two-factor/setup/")

    client.get("/en/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=root)
    client.post("/en/accounts/two-factor/setup/", {"code": _code(device)})
    assert client.get("/admin/").status_code == 200


def test_an_administrator_signing_in_through_the_admin_must_enter_the_code(client):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    device = _with_authenticator(root)
    client.post("/admin/login/", {"username": "root", "password": "pass-for-tests"})
    response = client.get("/admin/")
    assert response.status_code == 302 and "/two-factor/verify/" in response["Location"]
    client.post("/en/accounts/two-factor/verify/", {"code": _code(device)})
    assert client.get("/admin/").status_code == 200


def test_ordinary_users_without_it_are_not_bothered(client):
    UserFactory(username="editor")
    _login(client)
    assert client.get("/en/accounts/").status_code == 200


def test_token_endpoint_asks_for_the_code(client):
    user = UserFactory(username="editor")
    device = _with_authenticator(user)
    api = APIClient()
    response = api.post("/api/v1/auth/token/", {"username": "editor", "password": "pass-for-tests"})
    assert response.status_code == 400
    assert "otp" in response.json()
    response = api.post(
        "/api/v1/auth/token/", {"username": "editor", "password": "pass-for-tests", "otp": _code(device)}
    )
    assert response.status_code == 200


def test_turning_it_off_needs_a_code(client):
    user = UserFactory(username="editor")
    device = _with_authenticator(user)
    _login(client)
    client.post("/en/accounts/two-factor/verify/", {"code": _code(device)})
    assert "This code is not right" in client.post("/en/accounts/two-factor/disable/", {"code": "1"}).content.decode()
    assert TOTPDevice.objects.filter(user=user).exists()


def test_outside_the_tests_administrators_always_need_it():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k not in {"MUNICIPIA_TESTING", "ADMIN_REQUIRES_TWO_FACTOR"}}
    env.update(DJANGO_SETTINGS_MODULE="municipia.settings", PYTHONPATH=str(Path(__file__).resolve().parents[3]))
    code = "from django.conf import settings; print(settings.ADMIN_REQUIRES_TWO_FACTOR)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "True", result.stderr
