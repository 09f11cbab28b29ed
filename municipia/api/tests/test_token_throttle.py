"""Password guessing on the token endpoint is slowed down."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from municipia.organizations.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_token_endpoint_answers_429_after_too_many_attempts_whatever_forwarded_address_is_sent(settings):
    # The lockout (5 failures) is tested in accounts; here the request rate alone, per real address.
    settings.AXES_FAILURE_LIMIT = 1000
    settings.TRUSTED_PROXIES = []
    UserFactory(username="editor")
    client = APIClient()
    statuses = [
        client.post(
            "/api/v1/auth/token/", {"username": "editor", "password": "wrong"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
        ).status_code
        for n in range(21)
    ]
    assert statuses[:20] == [400] * 20  # the default rate: 20 attempts a minute
    assert statuses[20] == 429


@pytest.mark.django_db
def test_token_endpoint_gives_a_token_for_good_credentials():
    UserFactory(username="editor")
    response = APIClient().post("/api/v1/auth/token/", {"username": "editor", "password": "pass-for-tests"})
    assert response.status_code == 200
    assert len(response.json()["token"]) == 40
