"""Schemathesis over the whole OpenAPI schema, in-process (WSGI): no input answers 500, and every
response matches what the schema documents — as an anonymous visitor (reads) and as an editor
signed in with an API token (every write: POST, PUT, PATCH, DELETE; reads are the anonymous pass's,
and the editor's private reads are the permission matrices').

Bounded and repeatable: a few derandomised examples per operation (FUZZ_EXAMPLES, default 3),
the editor's pass one per operation (FUZZ_EDITOR_EXAMPLES). The world is small but real: a
published and a private plan of the editor's council, with an axis, an objective and an action,
so that identifiers in the examples sometimes name existing objects.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from municipia.accounts import services as account_services
from municipia.organizations.tests.factories import OrganizationFactory, RoleFactory
from municipia.strategy.tests.factories import ActionFactory, PlanFactory

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
#: The editor's pass covers some 200 write operations: one derandomised example each keeps
#: it to a few minutes per database in `make test`; FUZZ_EDITOR_EXAMPLES=25 for a deeper run.
EDITOR_EXAMPLES = int(os.environ.get("FUZZ_EDITOR_EXAMPLES", "1"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
FUZZ_SETTINGS = hypothesis_settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def one_connection_per_test():
    """Requests made through WSGI close "old" database connections when they finish, which on
    PostgreSQL drops the test's transaction; Django's own test client switches that off, and so
    does this (the same connection serves the test and the requests)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db):
    # Django's own WSGI handler: importing municipia.wsgi would mark this process as a web server
    # (MUNICIPIA_SERVING), which its subprocesses (the settings tests) would inherit.
    from django.core.wsgi import get_wsgi_application

    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def editor_token(db) -> str:
    council = OrganizationFactory(slug="fuzz-council")
    plan = PlanFactory(owner=council, slug="fuzz-plan", is_published=True)
    PlanFactory(owner=council, slug="fuzz-private", is_published=False)
    ActionFactory(objective__axis__plan=plan, code="1.1.1")
    editor = RoleFactory(organization=council).user
    _token, key = account_services.token_issue(acting_user=editor, name="fuzz", days=30)
    return key


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.include(method="GET").parametrize()
@FUZZ_SETTINGS
def test_anonymous_reads_never_fail(case):
    case.call_and_validate(checks=CHECKS)


@schema.exclude(method="GET").parametrize()
@hypothesis_settings(FUZZ_SETTINGS, max_examples=EDITOR_EXAMPLES)
def test_editor_writes_never_fail(case, editor_token):
    case.call_and_validate(headers={"Authorization": f"Token {editor_token}"}, checks=CHECKS)
