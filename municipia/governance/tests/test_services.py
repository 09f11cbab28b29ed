"""Behaviour of the governance services: validation naming the field, nothing saved on error."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from municipia.governance import services
from municipia.governance.choices import BodyKind, HolidayPolicy, MemberRole, TaskStatus
from municipia.governance.models import Body, BodyMember, Decision, Meeting, MeetingSeries, Task
from municipia.governance.tests.factories import BodyFactory, BodyMemberFactory, MeetingFactory
from municipia.organizations.tests.factories import PersonFactory
from municipia.strategy.tests.factories import ActionFactory, AxisFactory, PlanFactory

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")


def _series_data(**overrides):
    data = {
        "title_ca": "Grup de coordinació de l'eix 1",
        "rrule": "FREQ=MONTHLY;BYDAY=-1TU",
        "first_start": dt.datetime(2023, 5, 30, 17, 0),
        "duration_minutes": 120,
        "place": "Online",
        "online_url": "https://meet.example.org/eix-1",
    }
    data.update(overrides)
    return data


def test_catalan_coordination_group_meets_monthly_from_tuesday_30_may_2023(site_admin):
    plan = PlanFactory(period_start=dt.date(2023, 1, 1), period_end=dt.date(2023, 12, 31))
    body = services.body_create(
        acting_user=site_admin,
        plan=plan,
        data={
            "kind": BodyKind.COORDINATION_GROUP,
            "name_ca": "Grup de coordinació: administració intel·ligent",
            "holiday_region": "ES-CT",
            "axis": AxisFactory(plan=plan),
        },
    )
    series = services.series_create(acting_user=site_admin, body=body, data=_series_data())
    meetings = list(series.meetings.order_by("starts_at"))
    local = [m.starts_at.astimezone(MADRID) for m in meetings]
    assert local[0] == dt.datetime(2023, 5, 30, 17, 0, tzinfo=MADRID)
    # Monthly to the end of the plan; Sant Esteve (26 December) moves the last one to Wednesday 27.
    assert [d.date() for d in local][-2:] == [dt.date(2023, 11, 28), dt.date(2023, 12, 27)]
    assert len(meetings) == 8
    assert all(d.time() == dt.time(17, 0) for d in local)
    assert all(m.ends_at - m.starts_at == dt.timedelta(hours=2) for m in meetings)
    assert meetings[-1].original_start == dt.datetime(2023, 12, 26, 17, 0, tzinfo=MADRID)
    assert meetings[0].original_start is None
    assert meetings[0].title_ca == "Grup de coordinació de l'eix 1"
    assert meetings[0].online_url == "https://meet.example.org/eix-1"
    assert series.time_zone == "Europe/Madrid"
    assert series.history.first().history_user == site_admin


def test_working_group_meets_every_two_weeks_until_15_september(site_admin):
    body = BodyFactory(kind=BodyKind.WORKING_GROUP)
    series = services.series_create(
        acting_user=site_admin,
        body=body,
        data=_series_data(
            rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20230915", first_start=dt.datetime(2023, 6, 15, 10)
        ),
    )
    assert series.meetings.count() == 7
    assert series.meetings.order_by("starts_at").last().starts_at == dt.datetime(2023, 9, 7, 10, tzinfo=MADRID)


def test_series_skipping_holidays_leaves_la_diada_out(site_admin):
    body = BodyFactory()
    series = services.series_create(
        acting_user=site_admin,
        body=body,
        data=_series_data(
            rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=3",
            first_start=dt.datetime(2023, 9, 4, 10),
            on_holiday=HolidayPolicy.SKIP,
        ),
    )
    days = [m.starts_at.astimezone(MADRID).date() for m in series.meetings.all()]
    assert days == [dt.date(2023, 9, 4), dt.date(2023, 9, 18)]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"rrule": "FREQ=SOMETIMES"}, "rrule"),
        ({"rrule": "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2"}, "rrule"),
        ({"rrule": "FREQ=WEEKLY;UNTIL=20220101"}, "rrule"),
        ({"time_zone": "Europe/Atlantis"}, "time_zone"),
        ({"first_start": dt.datetime(2030, 1, 1, 10)}, "first_start"),
        ({"rrule": "FREQ=DAILY"}, "rrule"),  # more than the allowed number of meetings in five years
        ({"title_ca": ""}, "title_en"),
    ],
)
def test_bad_series_names_the_field_and_saves_nothing(site_admin, overrides, field):
    body = BodyFactory()
    with pytest.raises(ValidationError) as exc:
        services.series_create(acting_user=site_admin, body=body, data=_series_data(**overrides))
    assert field in exc.value.message_dict
    assert not MeetingSeries.objects.exists()
    assert not Meeting.objects.exists()


def test_body_with_axis_of_another_plan_is_refused(site_admin):
    with pytest.raises(ValidationError) as exc:
        services.body_create(
            acting_user=site_admin,
            plan=PlanFactory(),
            data={"kind": BodyKind.WORKING_GROUP, "name_en": "WG", "axis": AxisFactory()},
        )
    assert "axis" in exc.value.message_dict
    assert not Body.objects.exists()


def test_body_with_unknown_time_zone_is_refused(site_admin):
    with pytest.raises(ValidationError) as exc:
        services.body_create(
            acting_user=site_admin,
            plan=PlanFactory(),
            data={"kind": BodyKind.COMMITTEE, "name_en": "C", "time_zone": "Mars/Olympus"},
        )
    assert "time_zone" in exc.value.message_dict


def test_coordination_group_follows_up_working_groups_of_its_plan(site_admin):
    group = BodyFactory(kind=BodyKind.COORDINATION_GROUP)
    working = services.body_create(
        acting_user=site_admin,
        plan=group.plan,
        data={"kind": BodyKind.WORKING_GROUP, "name_en": "WG 1.1", "followed_up_by": group},
    )
    assert list(group.follows_up.all()) == [working]
    with pytest.raises(ValidationError) as exc:
        services.body_create(
            acting_user=site_admin,
            plan=PlanFactory(),
            data={"kind": BodyKind.WORKING_GROUP, "name_en": "WG X", "followed_up_by": group},
        )
    assert "followed_up_by" in exc.value.message_dict


def test_member_end_before_start_is_refused(site_admin):
    body = BodyFactory()
    with pytest.raises(ValidationError) as exc:
        services.member_add(
            acting_user=site_admin,
            body=body,
            person=PersonFactory(),
            data={"start_date": dt.date(2023, 6, 1), "end_date": dt.date(2023, 5, 1)},
        )
    assert "end_date" in exc.value.message_dict
    assert not BodyMember.objects.exists()


def test_member_added_twice_for_overlapping_dates_is_refused(site_admin):
    body = BodyFactory()
    person = PersonFactory()
    services.member_add(
        acting_user=site_admin,
        body=body,
        person=person,
        data={"start_date": dt.date(2023, 5, 1), "end_date": dt.date(2023, 12, 31)},
    )
    with pytest.raises(ValidationError) as exc:
        services.member_add(acting_user=site_admin, body=body, person=person, data={"start_date": dt.date(2023, 12, 1)})
    assert "person" in exc.value.message_dict
    assert BodyMember.objects.count() == 1
    # After the first period ends, the same person may join again; another role may overlap.
    services.member_add(acting_user=site_admin, body=body, person=person, data={"start_date": dt.date(2024, 1, 1)})
    services.member_add(
        acting_user=site_admin,
        body=body,
        person=person,
        data={"start_date": dt.date(2023, 6, 1), "role": MemberRole.SECRETARY},
    )
    assert BodyMember.objects.count() == 3


def test_member_represents_their_organisation_by_default(site_admin):
    person = PersonFactory()
    member = services.member_add(
        acting_user=site_admin, body=BodyFactory(), person=person, data={"start_date": dt.date(2023, 5, 1)}
    )
    assert member.organization == person.organization


def test_moving_one_occurrence_keeps_its_slot_and_the_series(site_admin):
    body = BodyFactory()
    series = services.series_create(acting_user=site_admin, body=body, data=_series_data())
    meeting = series.meetings.order_by("starts_at")[1]
    slot = meeting.starts_at
    services.meeting_move(
        acting_user=site_admin, meeting=meeting, starts_at=dt.datetime(2023, 6, 28, 9, 30, tzinfo=MADRID)
    )
    meeting.refresh_from_db()
    assert meeting.series == series
    assert meeting.original_start == slot
    assert meeting.ends_at - meeting.starts_at == dt.timedelta(hours=2)
    assert meeting.is_moved
    # A second move still remembers the series slot, not the first move.
    services.meeting_move(
        acting_user=site_admin, meeting=meeting, starts_at=dt.datetime(2023, 6, 29, 9, 30, tzinfo=MADRID)
    )
    meeting.refresh_from_db()
    assert meeting.original_start == slot


def test_moving_a_meeting_to_end_before_it_starts_is_refused(site_admin):
    meeting = MeetingFactory()
    starts = meeting.starts_at
    with pytest.raises(ValidationError) as exc:
        services.meeting_move(
            acting_user=site_admin,
            meeting=meeting,
            starts_at=starts + dt.timedelta(days=1),
            ends_at=starts + dt.timedelta(days=1, hours=-1),
        )
    assert "ends_at" in exc.value.message_dict
    meeting.refresh_from_db()
    assert meeting.starts_at == starts


def test_cancelling_one_occurrence_leaves_the_others(site_admin):
    series = services.series_create(acting_user=site_admin, body=BodyFactory(), data=_series_data())
    meeting = series.meetings.first()
    services.meeting_cancel(acting_user=site_admin, meeting=meeting, reason="No quorum")
    assert series.meetings.filter(is_cancelled=True).get() == meeting
    assert meeting.history.first().history_change_reason == "No quorum"


def test_approved_minutes_are_kept_as_approved(site_admin):
    meeting = MeetingFactory()
    with pytest.raises(ValidationError) as exc:
        services.minutes_approve(acting_user=site_admin, meeting=meeting)
    assert "minutes" in exc.value.message_dict
    services.meeting_update(acting_user=site_admin, meeting=meeting, data={"minutes": "Agreed on the roadmap."})
    services.minutes_approve(acting_user=site_admin, meeting=meeting)
    assert meeting.minutes_approved_by == site_admin
    with pytest.raises(ValidationError):
        services.meeting_update(acting_user=site_admin, meeting=meeting, data={"minutes": "Rewritten"})


def test_decisions_are_numbered_per_body(site_admin):
    body, other = BodyFactory(), BodyFactory()
    meeting = MeetingFactory(body=body)
    action = ActionFactory(objective__axis__plan=body.plan)
    first = services.decision_record(
        acting_user=site_admin, body=body, data={"text_en": "Adopt the agenda", "meeting": meeting, "action": action}
    )
    second = services.decision_record(acting_user=site_admin, body=body, data={"text_en": "Create WG 1.1"})
    elsewhere = services.decision_record(acting_user=site_admin, body=other, data={"text_en": "Other"})
    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)


def test_decision_numbering_skips_a_number_taken_meanwhile(site_admin, monkeypatch):
    body = BodyFactory()
    services.decision_record(acting_user=site_admin, body=body, data={"text_en": "One"})
    # Simulates a concurrent writer: the first attempt reads a stale maximum.
    real_filter = Decision.objects.filter
    calls = {"n": 0}

    def stale_filter(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            return real_filter(pk__in=[])
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Decision.objects, "filter", stale_filter)
    decision = services.decision_record(acting_user=site_admin, body=body, data={"text_en": "Two"})
    monkeypatch.undo()
    assert decision.number == 2
    assert Decision.objects.filter(body=body).count() == 2


def test_decision_linked_to_a_meeting_of_another_body_is_refused(site_admin):
    with pytest.raises(ValidationError) as exc:
        services.decision_record(
            acting_user=site_admin, body=BodyFactory(), data={"text_en": "X", "meeting": MeetingFactory()}
        )
    assert "meeting" in exc.value.message_dict
    assert not Decision.objects.exists()


def test_task_owner_must_be_a_member(site_admin):
    body = BodyFactory()
    outsider = PersonFactory()
    with pytest.raises(ValidationError) as exc:
        services.task_create(
            acting_user=site_admin,
            body=body,
            data={"title_en": "Draft the survey", "owner": outsider, "due_date": dt.date(2023, 7, 31)},
        )
    assert "owner" in exc.value.message_dict
    assert not Task.objects.exists()

    member = BodyMemberFactory(body=body).person
    task = services.task_create(
        acting_user=site_admin,
        body=body,
        data={"title_en": "Draft the survey", "owner": member, "due_date": dt.date(2023, 7, 31)},
    )
    with pytest.raises(ValidationError) as exc:
        services.task_update(acting_user=site_admin, task=task, data={"owner": outsider})
    assert "owner" in exc.value.message_dict
    task.refresh_from_db()
    assert task.owner == member
    services.task_update(acting_user=site_admin, task=task, data={"status": TaskStatus.DONE})
    task.refresh_from_db()
    assert (task.owner, task.status) == (member, TaskStatus.DONE)


def test_former_member_cannot_own_a_new_task(site_admin):
    body = BodyFactory()
    former = BodyMemberFactory(body=body, start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 1, 1)).person
    with pytest.raises(ValidationError) as exc:
        services.task_create(
            acting_user=site_admin, body=body, data={"title_en": "T", "owner": former, "due_date": dt.date(2030, 1, 1)}
        )
    assert "owner" in exc.value.message_dict


def test_a_first_start_inside_the_spring_forward_gap_is_refused_naming_the_field(site_admin):
    from django.core.exceptions import ValidationError

    from municipia.governance.tests.factories import BodyFactory

    body = BodyFactory(plan=PlanFactory(period_start=dt.date(2023, 1, 1), period_end=dt.date(2023, 12, 31)))
    with pytest.raises(ValidationError) as caught:
        services.series_create(
            acting_user=site_admin,
            body=body,
            data=_series_data(rrule="FREQ=MONTHLY;COUNT=3", first_start=dt.datetime(2023, 3, 26, 2, 30)),
        )
    assert "does not exist in Europe/Madrid" in caught.value.message_dict["first_start"][0]
    assert not body.series.exists()
