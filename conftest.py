"""Fixtures shared by every app's tests."""

import pytest


@pytest.fixture
def site_admin(db):
    from municipia.organizations.tests.factories import UserFactory

    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture(autouse=True)
def _isolated_cache_and_language():
    """Each test starts with an empty public cache and English active, whatever ran before."""
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    yield
    cache.clear()
    translation.activate("en")
