"""Reminder e-mails: who gets which, in which language, and never twice (Django's locmem outbox)."""

import datetime as dt
from importlib import import_module
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from municipia.governance import services
from municipia.governance.choices import MemberRole, MinutesStatus, ReminderKind, TaskStatus
from municipia.governance.models import ReminderSent
from municipia.governance.reminders import reminders_due, send_reminders
from municipia.governance.tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    BodyMemberFactory,
    MeetingFactory,
    TaskFactory,
)
from municipia.organizations.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
SOFIA = ZoneInfo("Europe/Sofia")
NOW = dt.datetime(2023, 6, 25, 9, 0, tzinfo=MADRID)  # a Sunday; the meeting is on Tuesday 27 June


@pytest.fixture
def world(db):
    body = BodyFactory(name_en="Smart administration group", name_ca="Grup d'administració intel·ligent")
    anna = PersonFactory(full_name="Anna Smith", email="anna@example.org")
    jordi = PersonFactory(full_name="Jordi Puig", email="jordi@example.cat", language="ca")
    secretary = PersonFactory(full_name="Laura Vidal", email="laura@example.cat", language="es")
    chair = PersonFactory(full_name="Pere Roca", email="pere@example.cat")
    no_email = PersonFactory(full_name="Nobody Mail", email="")
    former = PersonFactory(full_name="Former Member", email="former@example.org")
    for person in (anna, jordi, no_email):
        BodyMemberFactory(body=body, person=person)
    BodyMemberFactory(body=body, person=secretary, role=MemberRole.SECRETARY)
    BodyMemberFactory(body=body, person=chair, role=MemberRole.CHAIR)
    BodyMemberFactory(body=body, person=former, start_date=dt.date(2023, 1, 1), end_date=dt.date(2023, 6, 1))
    meeting = MeetingFactory(
        body=body,
        title_en="Monthly coordination",
        title_ca="Coordinació mensual",
        starts_at=dt.datetime(2023, 6, 27, 17, 0, tzinfo=MADRID),
        ends_at=dt.datetime(2023, 6, 27, 18, 30, tzinfo=MADRID),
        place="Via Laietana 26, Barcelona",
        online_url="https://meet.example.org/cg1",
    )
    AgendaItemFactory(meeting=meeting, position=2, title_en="Cybersecurity plan", presenter=anna)
    AgendaItemFactory(meeting=meeting, position=1, title_en="Approval of the minutes")
    return {
        "body": body,
        "meeting": meeting,
        "anna": anna,
        "jordi": jordi,
        "secretary": secretary,
        "chair": chair,
        "former": former,
    }


def _to(message) -> str:
    (address,) = message.to
    return address


def _by_recipient() -> dict[str, mail.EmailMessage]:
    return {_to(message): message for message in mail.outbox}


# --- The agenda before a meeting


def test_agenda_goes_to_every_current_member_with_an_email(world):
    sent = send_reminders(now=NOW)
    assert len(sent[ReminderKind.AGENDA]) == 4
    assert sorted(_by_recipient()) == sorted(
        ["anna@example.org", "jordi@example.cat", "laura@example.cat", "pere@example.cat"]
    )


def test_agenda_email_lists_the_items_in_order_with_time_in_the_meetings_zone(world):
    send_reminders(now=NOW)
    message = _by_recipient()["anna@example.org"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "Monthly coordination" in message.subject
    body = message.body
    assert body.index("1. Approval of the minutes") < body.index("2. Cybersecurity plan (Anna Smith)")
    assert "17:00" in body and "18:30" in body and "Europe/Madrid" in body
    assert "Via Laietana 26, Barcelona" in body and "https://meet.example.org/cg1" in body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<ol><li>Approval of the minutes</li>" in html
    assert message.extra_headers["Content-Language"] == "en"


def test_agenda_email_is_in_the_recipients_language(world):
    send_reminders(now=NOW)
    catalan = _by_recipient()["jordi@example.cat"]
    assert catalan.extra_headers["Content-Language"] == "ca"
    assert "Coordinació mensual" in catalan.subject  # the content in Catalan
    assert "Grup d'administració intel·ligent" in catalan.body
    assert "juny" in catalan.subject  # the date in Catalan
    assert f"{settings.SITE_URL}/ca/governance/meetings/{world['meeting'].pk}/" in catalan.body
    spanish = _by_recipient()["laura@example.cat"]
    assert spanish.extra_headers["Content-Language"] == "es"
    assert "junio" in spanish.subject


def test_agenda_is_not_sent_too_early_or_for_cancelled_meetings(world, site_admin):
    assert send_reminders(now=NOW - dt.timedelta(days=3))[ReminderKind.AGENDA] == []
    services.meeting_cancel(acting_user=site_admin, meeting=world["meeting"])
    assert send_reminders(now=NOW)[ReminderKind.AGENDA] == []
    assert mail.outbox == []


def test_a_meeting_moved_after_its_reminder_gets_one_for_the_new_time(world, site_admin):
    send_reminders(now=NOW)
    services.meeting_move(
        acting_user=site_admin, meeting=world["meeting"], starts_at=dt.datetime(2023, 6, 28, 10, 0, tzinfo=MADRID)
    )
    again = send_reminders(now=NOW + dt.timedelta(hours=1))
    assert len(again[ReminderKind.AGENDA]) == 4
    assert "10:00" in mail.outbox[-1].body


def test_people_without_email_and_former_members_get_nothing(world):
    TaskFactory(body=world["body"], owner=world["former"], due_date=dt.date(2023, 6, 1))
    send_reminders(now=NOW)
    assert "former@example.org" not in _by_recipient()
    assert all(_to(message) for message in mail.outbox)


# --- Idempotence


def test_running_twice_sends_nothing_twice(world):
    TaskFactory(body=world["body"], owner=world["anna"], due_date=dt.date(2023, 6, 20))
    first = send_reminders(now=NOW)
    count = len(mail.outbox)
    assert count == 5  # four agendas and Anna's digest
    second = send_reminders(now=NOW + dt.timedelta(minutes=30))
    assert all(items == [] for items in second.values())
    assert len(mail.outbox) == count
    assert ReminderSent.objects.count() == sum(len(items) for items in first.values())


def test_the_command_reports_what_it_sent_and_a_second_run_sends_nothing(world):
    out = StringIO()
    call_command("send_reminders", "--now", "2023-06-25T09:00", stdout=out)
    assert "Agenda of an upcoming meeting: 4 sent" in out.getvalue()
    assert "anna@example.org" in out.getvalue()
    out = StringIO()
    call_command("send_reminders", "--now", "2023-06-25T09:00", stdout=out)
    assert "Agenda of an upcoming meeting: 0 sent" in out.getvalue()
    assert len(mail.outbox) == 4


def test_dry_run_sends_and_records_nothing(world):
    out = StringIO()
    call_command("send_reminders", "--dry-run", "--now", "2023-06-25T09:00+02:00", stdout=out)
    assert "4 due (dry run, nothing sent)" in out.getvalue()
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def test_the_command_refuses_an_unreadable_now(world):
    with pytest.raises(CommandError):
        call_command("send_reminders", "--now", "next tuesday")


def test_a_failing_mail_server_leaves_the_reminder_for_the_next_run(world, settings):
    settings.EMAIL_BACKEND = "municipia.governance.tests.test_reminders.RefusingBackend"
    assert send_reminders(now=NOW)[ReminderKind.AGENDA] == []
    assert not ReminderSent.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert len(send_reminders(now=NOW)[ReminderKind.AGENDA]) == 4


class RefusingBackend:
    """A mail server that refuses every message (a real backend interface, not a database mock)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


# --- Minutes awaiting approval


@pytest.fixture
def draft_minutes(world):
    past = MeetingFactory(
        body=world["body"],
        title_en="May coordination",
        starts_at=dt.datetime(2023, 5, 30, 17, 0, tzinfo=MADRID),
        minutes="We agreed on the cybersecurity plan.",
    )
    return past


def test_draft_minutes_are_chased_with_the_chair_and_secretary_before_the_next_meeting(world, draft_minutes):
    sent = send_reminders(now=NOW)[ReminderKind.MINUTES_AWAITING_APPROVAL]
    assert sorted(r.recipient for r in sent) == ["laura@example.cat", "pere@example.cat"]
    assert {r.key for r in sent} == {f"meeting-{draft_minutes.pk}"}
    message = next(m for m in mail.outbox if _to(m) == "pere@example.cat" and "May coordination" in m.subject)
    assert "May coordination" in message.body


def test_approved_empty_or_far_from_the_next_meeting_minutes_are_not_chased(world, draft_minutes, site_admin):
    assert send_reminders(now=NOW - dt.timedelta(days=10))[ReminderKind.MINUTES_AWAITING_APPROVAL] == []
    services.minutes_approve(acting_user=site_admin, meeting=draft_minutes)
    assert send_reminders(now=NOW)[ReminderKind.MINUTES_AWAITING_APPROVAL] == []
    MeetingFactory(body=world["body"], starts_at=dt.datetime(2023, 4, 25, 17, 0, tzinfo=MADRID), minutes="")
    assert send_reminders(now=NOW)[ReminderKind.MINUTES_AWAITING_APPROVAL] == []
    assert draft_minutes.__class__.objects.get(pk=draft_minutes.pk).minutes_status == MinutesStatus.APPROVED


# --- Overdue tasks


def test_overdue_tasks_come_in_one_digest_a_day(world):
    anna = world["anna"]
    TaskFactory(body=world["body"], owner=anna, title_en="Send the inventory", due_date=dt.date(2023, 6, 10))
    TaskFactory(body=world["body"], owner=anna, title_en="Book the room", due_date=dt.date(2023, 6, 20))
    TaskFactory(
        body=world["body"], owner=anna, title_en="Finished", due_date=dt.date(2023, 6, 1), status=TaskStatus.DONE
    )
    TaskFactory(body=world["body"], owner=anna, title_en="Not yet due", due_date=dt.date(2023, 7, 1))
    sent = send_reminders(now=NOW)[ReminderKind.OVERDUE_TASKS]
    assert [(r.recipient, r.key) for r in sent] == [("anna@example.org", "2023-06-25")]
    digest = next(m for m in mail.outbox if "overdue" in m.subject)
    assert "2" in digest.subject
    assert "Send the inventory" in digest.body and "Book the room" in digest.body
    assert "Finished" not in digest.body and "Not yet due" not in digest.body
    assert send_reminders(now=NOW + dt.timedelta(hours=8))[ReminderKind.OVERDUE_TASKS] == []
    assert len(send_reminders(now=NOW + dt.timedelta(days=1))[ReminderKind.OVERDUE_TASKS]) == 1


def test_a_digest_in_bulgarian_for_a_bulgarian_member(db):
    body = BodyFactory(time_zone="Europe/Sofia", holiday_region="BG", name_bg="Работна група")
    person = PersonFactory(full_name="Мария Иванова", email="maria@example.bg", language="bg")
    BodyMemberFactory(body=body, person=person)
    TaskFactory(body=body, owner=person, title_en="", title_bg="Проучване", due_date=dt.date(2023, 6, 1))
    send_reminders(now=dt.datetime(2023, 6, 25, 9, 0, tzinfo=SOFIA))
    (message,) = mail.outbox
    assert message.extra_headers["Content-Language"] == "bg"
    assert "Проучване" in message.body and "Работна група" in message.body


# --- Queries and the schedule


def test_finding_what_is_due_takes_a_fixed_number_of_queries(world, draft_minutes, django_assert_max_num_queries):
    for day in range(20):
        meeting = MeetingFactory(body=BodyFactory(), starts_at=NOW + dt.timedelta(hours=day + 1))
        AgendaItemFactory(meeting=meeting)
        for _ in range(3):
            member = BodyMemberFactory(body=meeting.body, person__email=f"p{day}-{_}@example.org")
            TaskFactory(body=meeting.body, owner=member.person, due_date=dt.date(2023, 6, 1))
    with django_assert_max_num_queries(9):
        due = reminders_due(now=NOW)
    assert len(due[ReminderKind.AGENDA]) == 4 + 60
    assert len(due[ReminderKind.OVERDUE_TASKS]) == 60


def test_the_beat_schedule_names_a_task_that_exists_and_sends(world):
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        module_name, _dot, function_name = entry["task"].rpartition(".")
        task = getattr(import_module(module_name), function_name)
        assert task.name == entry["task"]
    from municipia.celery import app

    assert "municipia.governance.tasks.send_reminders" in app.tasks
    result = app.tasks["municipia.governance.tasks.send_reminders"].apply()
    assert isinstance(result.get(), dict)
