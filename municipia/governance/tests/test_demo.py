"""The governance demo: the Catalan groups, Sofia's first operational meeting and Jerez's diagnosis meetings."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from municipia.governance.choices import BodyKind, HolidayPolicy, MemberRole, MinutesStatus, TaskStatus
from municipia.governance.demo import SECRETARY_USERNAME
from municipia.governance.models import AgendaItem, Attendance, Body, Meeting, Report, Task
from municipia.organizations.loaders import load_records, read_bulgarian, read_spanish
from municipia.organizations.models import Person
from municipia.strategy.demo import PASSWORD

CATALAN = "agenda-digital-dels-municipis-de-catalunya"
JEREZ = "plan-estrategico-smart-city-jerez"
SOFIA = "sofia-digital-transformation"
MADRID = ZoneInfo("Europe/Madrid")
GOVERNANCE_MODELS = [
    "governance.Body",
    "governance.BodyMember",
    "governance.MeetingSeries",
    "governance.Meeting",
    "governance.AgendaItem",
    "governance.Attendance",
    "governance.Decision",
    "governance.Task",
    "governance.Report",
    "organizations.Person",
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Catalonia, Jerez and Sofia from the reference lists, then `load_demo`; rolled back at the module's end."""
    with django_db_blocker.unblock(), transaction.atomic():
        records = [r for r in read_spanish() if r.values["region_code"] == "09" or r.values["official_code"] == "11020"]
        records += [r for r in read_bulgarian() if r.values["official_code"] == "SOF46"]
        load_records(records)
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def coordination_groups() -> list[Body]:
    return list(
        Body.objects.filter(plan__slug=CATALAN, kind=BodyKind.COORDINATION_GROUP)
        .select_related("axis")
        .order_by("axis__position")
    )


def test_catalan_agenda_has_one_coordination_group_per_axis_of_about_fifteen_councils(demo):
    groups = coordination_groups()
    assert [g.axis.code for g in groups] == ["1", "2", "3", "4"]
    for group in groups:
        councils = {m.organization.slug for m in group.members.select_related("organization") if m.role != "secretary"}
        councils.discard("xarxa-agenda-digital-catalunya")
        assert 14 <= len(councils) <= 17, (group, len(councils))
        assert {"barcelona", "tremp"} <= councils
        roles = list(group.members.values_list("role", flat=True))
        assert roles.count(MemberRole.CHAIR) == 1 and roles.count(MemberRole.SECRETARY) == 1
        assert (group.holiday_region, group.time_zone, group.is_public) == ("ES-CT", "Europe/Madrid", True)
        assert all(getattr(group, f"name_{code}") for code in ("en", "es", "ca", "bg"))


def test_coordination_groups_first_meet_online_on_tuesday_30_may_2023_then_monthly(demo):
    for group in coordination_groups():
        series = group.series.get()
        assert series.rrule == "FREQ=MONTHLY;BYDAY=-1TU" and series.time_zone == "Europe/Madrid"
        meetings = list(group.meetings.order_by("starts_at"))
        first = meetings[0].starts_at.astimezone(MADRID)
        assert (first.date(), first.hour, first.minute) == (dt.date(2023, 5, 30), 10, 0)
        assert meetings[0].online_url
        days = {m.starts_at.astimezone(MADRID).date(): m for m in meetings}
        assert dt.date(2023, 6, 27) in days
        # 26 December 2023 (the last Tuesday) is Sant Esteve in Catalonia: moved to the next working day.
        moved = days[dt.date(2023, 12, 27)]
        assert moved.is_moved and moved.original_start.astimezone(MADRID).date() == dt.date(2023, 12, 26)
        assert days[dt.date(2023, 8, 29)].is_cancelled
        assert all(m.starts_at.astimezone(MADRID).hour == 10 for m in meetings)  # across DST changes


def test_working_groups_meet_every_two_weeks_until_mid_september_2023(demo):
    groups = {g.axis_id: g for g in coordination_groups()}
    working_groups = list(Body.objects.filter(plan__slug=CATALAN, kind=BodyKind.WORKING_GROUP).select_related("action"))
    assert len(working_groups) >= 2
    for body in working_groups:
        assert body.action is not None and body.followed_up_by == groups[body.axis_id]
        series = body.series.get()
        assert series.on_holiday == HolidayPolicy.NEXT_WORKING_DAY
        days = [m.starts_at.astimezone(MADRID).date() for m in body.meetings.order_by("starts_at")]
        assert days[0] == dt.date(2023, 6, 15)
        assert days[-1] <= dt.date(2023, 9, 15) and days[-1] >= dt.date(2023, 9, 1)
        assert all((later - earlier).days == 14 for earlier, later in zip(days, days[1:], strict=False))


def test_past_meetings_have_agendas_minutes_decisions_and_tasks(demo):
    now = timezone.now()
    today = timezone.localdate()
    for group in coordination_groups():
        past = list(group.meetings.filter(starts_at__lt=now, is_cancelled=False).order_by("starts_at"))
        assert len(past) > 10
        assert not AgendaItem.objects.filter(meeting__in=past).values("meeting").distinct().count() < len(past)
        assert all(m.minutes for m in past)
        assert [m.minutes_status for m in past[:-1]] == [MinutesStatus.APPROVED] * (len(past) - 1)
        assert past[-1].minutes_status == MinutesStatus.DRAFT
        assert not group.meetings.filter(starts_at__gte=now, minutes_status=MinutesStatus.APPROVED).exists()
        upcoming = group.meetings.filter(starts_at__gte=now, is_cancelled=False).order_by("starts_at")
        assert upcoming.first().agenda_items.count() == 3 and not upcoming[1].agenda_items.exists()
        assert Attendance.objects.filter(meeting=past[0]).values("organization").distinct().count() >= 14
        numbers = list(group.decisions.values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 3
        assert group.decisions.filter(action__isnull=False).exists()
        tasks = Task.objects.filter(body=group)
        assert tasks.filter(status=TaskStatus.DONE).exists()
        assert tasks.filter(status=TaskStatus.OPEN, due_date__lt=today).exists()  # overdue
        assert tasks.filter(status=TaskStatus.OPEN, due_date__gte=today).exists()
    working_group_meetings = Meeting.objects.filter(body__kind=BodyKind.WORKING_GROUP, body__plan__slug=CATALAN)
    assert not working_group_meetings.filter(minutes_status=MinutesStatus.DRAFT).exists()


def test_working_groups_report_to_the_coordination_group_of_their_axis(demo):
    reports = Report.objects.filter(body__plan__slug=CATALAN).select_related("body")
    assert reports.count() >= 2
    for report in reports:
        assert report.body.kind == BodyKind.WORKING_GROUP
        assert report.addressed_to_id == report.body.followed_up_by_id is not None
        assert report.progress_en and report.progress_ca


def test_secretary_demo_user_runs_the_first_coordination_group_only(demo):
    user = get_user_model().objects.get(username=SECRETARY_USERNAME)
    assert user.check_password(PASSWORD)
    person = Person.objects.get(user=user)
    assert person.email
    first, second, *_others = coordination_groups()
    assert first.members.filter(person=person, role=MemberRole.SECRETARY).exists()
    assert user.has_perm("governance.change_meeting", first.meetings.first())
    assert not user.has_perm("governance.change_meeting", second.meetings.first())
    assert Task.objects.filter(owner=person, status=TaskStatus.OPEN, due_date__lt=timezone.localdate()).exists()
    assert SECRETARY_USERNAME in demo


def test_sofia_and_iab_bulgaria_hold_their_first_operational_meeting(demo):
    body = Body.objects.get(plan__slug=SOFIA)
    assert (body.time_zone, body.holiday_region) == ("Europe/Sofia", "BG")
    assert set(body.members.values_list("organization__slug", flat=True)) == {"sofia", "iab-bulgaria"}
    meeting = body.meetings.get()
    assert meeting.series is None and meeting.title_bg and meeting.title_en
    agenda = list(meeting.agenda_items.order_by("position"))
    titles = " | ".join(item.title_en for item in agenda)
    for subject in ("joint initiatives", "citizens' expectations", "disinformation", "digital rights"):
        assert subject in titles
    assert all(item.title_bg and item.action_id for item in agenda)
    assert meeting.minutes_status == MinutesStatus.APPROVED and "Първа работна среща" in meeting.minutes


def test_jerez_holds_its_diagnosis_meetings_with_departments_and_social_agents_in_2021(demo):
    body = Body.objects.get(plan__slug=JEREZ)
    assert (body.time_zone, body.holiday_region, body.kind) == ("Europe/Madrid", "ES-AN", BodyKind.COMMITTEE)
    meetings = list(body.meetings.order_by("starts_at"))
    assert len(meetings) >= 5
    assert all(m.series_id is None and m.starts_at.year == 2021 for m in meetings)
    assert all(m.title_es and not m.title_en for m in meetings)
    assert any("agentes sociales" in m.title_es for m in meetings)
    members = body.members.select_related("person")
    assert members.filter(organization__slug="jerez-de-la-frontera").count() >= 6
    assert members.filter(organization__isnull=True).count() >= 2  # social agents
    assert Attendance.objects.filter(meeting__body=body).count() >= len(meetings) * members.count()


def test_every_body_says_its_content_is_illustrative(demo):
    bodies = Body.objects.all()
    assert bodies.count() == 4 + 3 + 1 + 1
    assert all("illustrative" in body.mandate_en for body in bodies)


def test_running_the_demo_twice_creates_nothing_new(demo):
    models = [apps.get_model(label) for label in GOVERNANCE_MODELS]
    counts = {model: model.objects.count() for model in models}
    histories = {model: model.history.count() for model in models}
    users = get_user_model().objects.count()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert {model: model.objects.count() for model in models} == counts
    assert {model: model.history.count() for model in models} == histories
    assert get_user_model().objects.count() == users
    assert "0 bodies created" in out.getvalue()
