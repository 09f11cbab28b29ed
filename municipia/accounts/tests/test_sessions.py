"""The session engine (municipia/accounts/sessions.py): Django's database sessions, read with plain SQL."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from municipia.accounts.sessions import SessionStore
from municipia.organizations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_site_uses_it():
    assert settings.SESSION_ENGINE == "municipia.accounts.sessions"


def test_a_session_is_read_back_until_it_expires():
    store = SessionStore()
    store["council"] = "jerez"
    store.create()
    assert SessionStore(session_key=store.session_key)["council"] == "jerez"
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    expired = SessionStore(session_key=store.session_key)
    assert expired.load() == {} and expired.session_key is None


def test_an_unknown_key_reads_as_an_empty_session():
    store = SessionStore(session_key="k" * 32)
    assert store.load() == {} and store.session_key is None


def test_signing_in_and_out_goes_through_it(client):
    user = UserFactory(username="ana-session-reader")
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert SessionStore(session_key=key).get("_auth_user_id") == str(user.pk)
    assert "ana-session-reader" in client.get(reverse("portal:home")).content.decode()
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert "ana-session-reader" not in client.get(reverse("portal:home")).content.decode()
