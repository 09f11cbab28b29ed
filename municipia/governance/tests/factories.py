"""factory_boy factories for governance bodies, members, series, meetings, decisions and tasks."""

import datetime as dt
from zoneinfo import ZoneInfo

import factory

from municipia.governance.choices import AttendanceStatus, BodyKind, HolidayRegion, MemberRole, TaskStatus
from municipia.governance.models import (
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    Decision,
    Meeting,
    MeetingSeries,
    Report,
    Task,
)
from municipia.organizations.tests.factories import PersonFactory
from municipia.strategy.tests.factories import PlanFactory

MADRID = ZoneInfo("Europe/Madrid")


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    kind = BodyKind.COORDINATION_GROUP
    plan = factory.SubFactory(PlanFactory, period_start=dt.date(2023, 1, 1), period_end=dt.date(2027, 12, 31))
    name_en = factory.Sequence(lambda n: f"Coordination group {n}")
    holiday_region = HolidayRegion.CATALONIA
    time_zone = "Europe/Madrid"
    is_public = True


class BodyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyMember

    body = factory.SubFactory(BodyFactory)
    person = factory.SubFactory(PersonFactory)
    organization = factory.LazyAttribute(lambda m: m.person.organization)
    role = MemberRole.MEMBER
    start_date = dt.date(2023, 5, 1)


class MeetingSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSeries

    body = factory.SubFactory(BodyFactory)
    title_en = factory.Sequence(lambda n: f"Monthly meeting {n}")
    rrule = "FREQ=MONTHLY;BYDAY=-1TU"
    first_start = dt.datetime(2023, 5, 30, 17, 0, tzinfo=MADRID)
    time_zone = "Europe/Madrid"
    duration_minutes = 90


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    title_en = factory.Sequence(lambda n: f"Meeting {n}")
    starts_at = dt.datetime(2023, 6, 13, 10, 0, tzinfo=MADRID)
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + dt.timedelta(hours=1))


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n)
    title_en = factory.Sequence(lambda n: f"Agenda item {n}")


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    body = factory.SubFactory(BodyFactory)
    number = factory.Sequence(lambda n: n + 1)
    text_en = factory.Sequence(lambda n: f"Decision {n}")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    body = factory.SubFactory(BodyFactory)
    title_en = factory.Sequence(lambda n: f"Task {n}")
    owner = factory.SubFactory(PersonFactory)
    due_date = dt.date(2023, 7, 31)
    status = TaskStatus.OPEN


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    organization = factory.LazyAttribute(lambda a: a.person.organization)
    status = AttendanceStatus.PRESENT


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    body = factory.SubFactory(BodyFactory, kind=BodyKind.WORKING_GROUP)
    addressed_to = factory.LazyAttribute(lambda r: r.body.followed_up_by)
    period_start = dt.date(2023, 6, 1)
    period_end = dt.date(2023, 6, 30)
    progress_percent = 30
    progress_en = factory.Sequence(lambda n: f"Progress {n}")
