"""Shared pieces of the route × role matrices: one world per module, a database fingerprint, the checks.

A matrix module builds its world once (`module_world`), inside a transaction rolled back when the
module ends; each test runs in a savepoint of it, so a write by one case is gone before the next.
"""

from collections.abc import Callable, Iterable

import pytest
from django.apps import apps
from django.db import transaction
from rest_framework.test import APIClient


def module_world(build: Callable[[], dict]):
    """A module-scoped `world` fixture: `build()` runs once, its rows are rolled back at the end."""

    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            yield build()
            transaction.set_rollback(True)

    return world


def fresh(instance):
    """The same row loaded anew, or None: a case must not inherit what an earlier case left on a
    module world's object (per-request caches on a user such as `_municipia_org_ids`, fields a
    request changed, `last_login` set by `force_login`)."""
    if instance is None:
        return None
    return type(instance)._default_manager.get(pk=instance.pk)


def fingerprint(labels: Iterable[str]) -> tuple:
    """Row and history counts of the models `labels` name ("app.Model")."""
    counts = []
    for label in labels:
        model = apps.get_model(label)
        counts.append(model._default_manager.count())
        if hasattr(model, "history"):
            counts.append(model.history.count())
    return tuple(counts)


def signed_in(client, user):
    if user is not None:
        client.force_login(user)
    return client


def api_client(user) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def assert_page_outcome(response, *, allowed: bool, anonymous: bool, changed: bool, case) -> None:
    """An allowed page write redirects and writes; a refused one writes nothing and says why."""
    if allowed:
        assert response.status_code in (200, 302), (case, response.status_code, response.content.decode()[:2000])
        assert changed, f"{case} wrote nothing"
    else:
        assert not changed, f"{case} changed the database"
        if anonymous:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], (
                case,
                response.status_code,
            )
        else:
            assert response.status_code in (400, 403, 404), (case, response.status_code)


def assert_api_outcome(response, *, allowed: bool, changed: bool, case) -> None:
    if allowed:
        assert response.status_code in (200, 201, 202, 204), (case, response.status_code, response.content[:2000])
        assert changed, f"{case} wrote nothing"
    else:
        assert not changed, f"{case} changed the database"
        assert response.status_code in (400, 401, 403, 404), (case, response.status_code, response.content[:500])
