"""Reminders to indicator owners about stale values: once per stale value, in the owner's language."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from municipia.indicators import tasks
from municipia.indicators.models import IndicatorReminder
from municipia.indicators.reminders import reminders_due, send_indicator_reminders
from municipia.indicators.tests.factories import IndicatorFactory, ObservationFactory
from municipia.organizations.tests.factories import OrganizationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
LATER = dt.date(2025, 9, 1)  # a yearly value of 31 Dec 2023 is stale from July 2025


@pytest.fixture
def stale():
    owner = PersonFactory(full_name="Jordi Serra", email="jordi@example.org", language="ca")
    indicator = IndicatorFactory(
        code="ADC-01", name_en="Online procedures", name_ca="Tràmits en línia", owner_person=owner
    )
    council = OrganizationFactory(name_en="Tremp", slug="tremp")
    ObservationFactory(indicator=indicator, organization=council, date=dt.date(2023, 12, 31), value=Decimal(40))
    fresh = OrganizationFactory(name_en="Vic")
    ObservationFactory(indicator=indicator, organization=fresh, date=dt.date(2025, 6, 30), value=Decimal(50))
    return {"owner": owner, "indicator": indicator, "council": council}


def test_owner_gets_one_digest_of_stale_values_in_their_language(stale):
    sent = send_indicator_reminders(today=LATER)
    assert len(sent) == 1 and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jordi@example.org"]
    assert message.extra_headers["Content-Language"] == "ca"
    assert "Tràmits en línia" in message.body
    assert "Tremp" in message.body and "Vic" not in message.body
    assert "/ca/indicators/" in message.body


def test_running_twice_sends_nothing_twice(stale):
    send_indicator_reminders(today=LATER)
    send_indicator_reminders(today=LATER)
    send_indicator_reminders(today=LATER + dt.timedelta(days=30))
    assert len(mail.outbox) == 1
    assert IndicatorReminder.objects.count() == 1


def test_a_newer_value_that_goes_stale_again_gets_a_new_reminder(stale):
    send_indicator_reminders(today=LATER)
    ObservationFactory(
        indicator=stale["indicator"], organization=stale["council"], date=dt.date(2024, 12, 31), value=Decimal(60)
    )
    assert send_indicator_reminders(today=LATER) == []
    assert len(send_indicator_reminders(today=dt.date(2026, 9, 1))) == 1
    assert len(mail.outbox) == 2


def test_nothing_is_due_before_the_value_is_stale(stale):
    assert reminders_due(today=dt.date(2025, 6, 1)) == []


def test_owner_without_an_address_uses_their_account_or_gets_nothing(stale):
    stale["owner"].email = ""
    stale["owner"].save()
    assert reminders_due(today=LATER) == []
    stale["owner"].user = UserFactory(email="account@example.org")
    stale["owner"].save()
    assert [r.recipient for r in reminders_due(today=LATER)] == ["account@example.org"]


def test_a_failed_send_is_retried_on_the_next_run(stale, settings):
    settings.EMAIL_BACKEND = "municipia.indicators.tests.test_reminders.FailingBackend"
    assert send_indicator_reminders(today=LATER) == []
    assert IndicatorReminder.objects.count() == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert len(send_indicator_reminders(today=LATER)) == 1


def test_reminders_due_take_the_same_queries_for_many_indicators(django_assert_max_num_queries):
    owner = PersonFactory(email="owner@example.org")
    for index in range(2):
        ObservationFactory(indicator=IndicatorFactory(owner_person=owner), date=dt.date(2020, 1, 1 + index))
    with django_assert_max_num_queries(13):  # + the councils that owe values (owed.py) and their editors
        small = reminders_due(today=LATER)
    for index in range(20):
        ObservationFactory(indicator=IndicatorFactory(owner_person=owner), date=dt.date(2020, 2, 1 + index))
    with django_assert_max_num_queries(13):  # + the councils that owe values (owed.py) and their editors
        big = reminders_due(today=LATER)
    assert len(small[0].values) == 2 and len(big[0].values) == 22


def test_command_dry_run_sends_nothing_and_the_task_sends(stale):
    out = StringIO()
    call_command("send_indicator_reminders", "--dry-run", "--today", LATER.isoformat(), stdout=out)
    assert "1 reminders would be sent." in out.getvalue()
    assert mail.outbox == []
    assert tasks.send_indicator_reminders.delay().get() == 1  # today is long after 2023's value


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")


def test_each_council_that_owes_a_value_of_a_network_plan_is_reminded_through_its_editors():
    from municipia.organizations.models import NetworkMembership
    from municipia.organizations.tests.factories import RoleFactory
    from municipia.strategy.tests.factories import AxisFactory, ObjectiveFactory, PlanFactory

    network = OrganizationFactory(name_en="Network", kind="network")
    tremp, vic, girona = (OrganizationFactory(name_en=name) for name in ("Tremp", "Vic", "Girona"))
    for member in (tremp, vic, girona):
        NetworkMembership.objects.create(network=network, member=member)
    plan = PlanFactory(owner=network)
    objective = ObjectiveFactory(axis=AxisFactory(plan=plan))
    indicator = IndicatorFactory(code="NET-01", owner_person=None)
    indicator.objectives.add(objective)
    ObservationFactory(indicator=indicator, organization=tremp, date=dt.date(2023, 12, 31), value=Decimal(40))
    ObservationFactory(indicator=indicator, organization=vic, date=dt.date(2025, 6, 30), value=Decimal(50))
    RoleFactory(organization=tremp, user=UserFactory(email="tremp@example.org"))
    RoleFactory(organization=vic, user=UserFactory(email="vic@example.org"))
    RoleFactory(organization=girona, user=UserFactory(email=""))  # no address: nobody to write to
    RoleFactory(user=UserFactory(email="elsewhere@example.org"))

    sent = send_indicator_reminders(today=LATER)

    assert {reminder.recipient for reminder in sent} == {"tremp@example.org"}  # Vic's value is fresh
    assert "NET-01" in mail.outbox[0].body and "Tremp" in mail.outbox[0].body
    assert send_indicator_reminders(today=LATER) == []


def test_a_network_council_that_never_gave_a_value_is_reminded_once_per_period():
    from municipia.organizations.models import NetworkMembership
    from municipia.organizations.tests.factories import RoleFactory
    from municipia.strategy.tests.factories import AxisFactory, ObjectiveFactory, PlanFactory

    network = OrganizationFactory(name_en="Network", kind="network")
    vic, tremp, girona, reus = (OrganizationFactory(name_en=name) for name in ("Vic", "Tremp", "Girona", "Reus"))
    for member in (vic, tremp, girona, reus):
        NetworkMembership.objects.create(network=network, member=member)
    plan = PlanFactory(owner=network)
    indicator = IndicatorFactory(code="NET-02", owner_person=None, frequency="yearly")
    indicator.objectives.add(ObjectiveFactory(axis=AxisFactory(plan=plan)))
    ObservationFactory(indicator=indicator, organization=vic, date=dt.date(2025, 6, 30), value=Decimal(50))
    for council, address in ((vic, "vic@example.org"), (tremp, "tremp@example.org"), (girona, "girona@example.org")):
        RoleFactory(organization=council, user=UserFactory(email=address))
    # Reus has no editor with an address; a council outside the network never owes NET-02.
    RoleFactory(user=UserFactory(email="elsewhere@example.org"))

    due = reminders_due(today=LATER)
    assert {r.recipient: [(v.organization.name, v.missing) for v in r.values] for r in due} == {
        "tremp@example.org": [("Tremp", True)],
        "girona@example.org": [("Girona", True)],
    }
    sent = send_indicator_reminders(today=LATER)
    assert len(sent) == 2 and len(mail.outbox) == 2
    body = next(m.body for m in mail.outbox if m.to == ["girona@example.org"])
    assert "NET-02" in body and "no value given yet (yearly)" in body
    # Once in the period (a yearly indicator: the calendar year); again in the next one.
    assert send_indicator_reminders(today=LATER + dt.timedelta(days=30)) == []
    again = send_indicator_reminders(today=dt.date(LATER.year + 1, 2, 1))
    assert {r.recipient for r in again} == {"tremp@example.org", "girona@example.org"}
    # A council that gives its value owes nothing any more.
    ObservationFactory(indicator=indicator, organization=girona, date=dt.date(LATER.year + 1, 3, 1), value=1)
    later = {r.recipient for r in reminders_due(today=dt.date(LATER.year + 2, 2, 1))}
    assert "girona@example.org" not in later and "tremp@example.org" in later  # (Vic's 2025 value is stale now)
