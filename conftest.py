"""Fixtures shared by every app's tests."""

import pytest


@pytest.fixture
def site_admin(db):
    from municipia.organizations.tests.factories import UserFactory

    return UserFactory(username="root", is_superuser=True, is_staff=True)
