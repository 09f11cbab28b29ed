"""The digest of actions needing an update goes to whoever answers for them."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from municipia.organizations.tests.factories import PersonFactory, RoleFactory, UserFactory
from municipia.strategy.choices import ActionStatus
from municipia.strategy.tests.factories import ActionFactory, AxisFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_leads_and_owner_editors_receive_the_actions_they_owe():
    today = timezone.localdate()
    plan = PlanFactory(period_start=dt.date(2020, 1, 1), period_end=dt.date(2035, 12, 31))
    objective = ObjectiveFactory(axis=AxisFactory(plan=plan, code="1"), code="1.1")
    late = {"start_date": today - dt.timedelta(days=400), "end_date": today - dt.timedelta(days=2), "progress": 40}
    fine = {"start_date": today - dt.timedelta(days=10), "end_date": today + dt.timedelta(days=300), "progress": 5}
    lead = PersonFactory(email="marta@example.org", language="ca")
    silent_lead = PersonFactory(email="", user=None)
    ActionFactory(objective=objective, code="1.1.1", lead=lead, **late)
    ActionFactory(objective=objective, code="1.1.2", lead=lead, **fine)  # on track: not in the digest
    ActionFactory(objective=objective, code="1.1.3", lead=None, **late)  # no lead: the owner's editors
    ActionFactory(objective=objective, code="1.1.4", lead=silent_lead, **late)  # a lead without an address
    ActionFactory(objective=objective, code="1.1.5", lead=lead, status=ActionStatus.COMPLETED, **late)
    RoleFactory(organization=plan.owner, user=UserFactory(email="editor@example.org"))
    RoleFactory(user=UserFactory(email="other@example.org"))  # an editor of another council

    call_command("send_action_digests", stdout=StringIO())

    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {"marta@example.org", "editor@example.org"}
    marta = sent["marta@example.org"]
    assert "1.1.1" in marta.body and "1.1.2" not in marta.body and "1.1.5" not in marta.body
    assert marta.extra_headers["Content-Language"] == "ca"
    assert "/ca/actions/" in marta.body and "/ca/my-work/" in marta.body
    assert "1.1.3" in sent["editor@example.org"].body
    assert "1.1.1" not in sent["editor@example.org"].body
