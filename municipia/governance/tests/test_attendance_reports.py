"""Attendance, agenda items, status reports and private calendar tokens: services and their refusals."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from municipia.governance import services
from municipia.governance.choices import AttendanceStatus, BodyKind
from municipia.governance.models import AgendaItem, Attendance, CalendarToken, Report
from municipia.governance.tests.factories import BodyFactory, BodyMemberFactory, MeetingFactory
from municipia.organizations.tests.factories import OrganizationFactory, PersonFactory
from municipia.strategy.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


def test_attendance_is_recorded_per_person_and_council_and_updated_in_place(site_admin):
    meeting = MeetingFactory()
    alba, biel = (BodyMemberFactory(body=meeting.body).person for _ in range(2))
    services.attendance_record(
        acting_user=site_admin,
        meeting=meeting,
        statuses={alba: AttendanceStatus.PRESENT, biel: AttendanceStatus.EXCUSED},
    )
    services.attendance_record(acting_user=site_admin, meeting=meeting, statuses={biel: AttendanceStatus.PRESENT})
    rows = {row.person_id: row for row in Attendance.objects.filter(meeting=meeting)}
    assert {pk: row.status for pk, row in rows.items()} == {alba.pk: "present", biel.pk: "present"}
    assert rows[alba.pk].organization_id == alba.organization_id


def test_attendance_of_a_non_member_is_refused_and_nothing_is_saved(site_admin):
    meeting = MeetingFactory()
    member = BodyMemberFactory(body=meeting.body).person
    stranger = PersonFactory()
    with pytest.raises(ValidationError) as error:
        services.attendance_record(
            acting_user=site_admin,
            meeting=meeting,
            statuses={member: AttendanceStatus.PRESENT, stranger: AttendanceStatus.PRESENT},
        )
    assert "person" in error.value.message_dict
    assert not Attendance.objects.exists()


def test_attendance_with_an_unknown_status_is_refused(site_admin):
    meeting = MeetingFactory()
    member = BodyMemberFactory(body=meeting.body).person
    with pytest.raises(ValidationError) as error:
        services.attendance_record(acting_user=site_admin, meeting=meeting, statuses={member: "asleep"})
    assert "status" in error.value.message_dict


def test_attendance_can_name_another_council_represented(site_admin):
    meeting = MeetingFactory()
    member = BodyMemberFactory(body=meeting.body).person
    other = OrganizationFactory()
    (row,) = services.attendance_record(
        acting_user=site_admin,
        meeting=meeting,
        statuses={member: AttendanceStatus.PRESENT},
        organizations={member: other},
    )
    assert row.organization == other


def test_agenda_items_go_last_unless_placed_and_refuse_another_plans_action(site_admin):
    meeting = MeetingFactory()
    first = services.agenda_item_create(acting_user=site_admin, meeting=meeting, data={"title_en": "Welcome"})
    second = services.agenda_item_create(acting_user=site_admin, meeting=meeting, data={"title_en": "Roadmap"})
    assert (first.position, second.position) == (1, 2)
    with pytest.raises(ValidationError) as error:
        services.agenda_item_create(
            acting_user=site_admin, meeting=meeting, data={"title_en": "Elsewhere", "action": ActionFactory()}
        )
    assert "action" in error.value.message_dict
    assert AgendaItem.objects.filter(meeting=meeting).count() == 2


def test_a_working_group_report_is_addressed_to_its_follower_at_filing_time(site_admin):
    coordination = BodyFactory()
    group = BodyFactory(plan=coordination.plan, kind=BodyKind.WORKING_GROUP, followed_up_by=coordination)
    report = services.report_file(
        acting_user=site_admin,
        body=group,
        data={
            "period_start": dt.date(2023, 6, 15),
            "period_end": dt.date(2023, 7, 15),
            "progress_percent": 40,
            "progress_ca": "Inventari de serveis fet.",
            "next_steps_ca": "Prioritzar-los.",
        },
    )
    services.body_update(acting_user=site_admin, body=group, data={"followed_up_by": None})
    report.refresh_from_db()
    assert report.addressed_to == coordination
    assert report.filed_by == site_admin
    assert list(coordination.received_reports.all()) == [report]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"period_start": dt.date(2023, 7, 1), "period_end": dt.date(2023, 6, 1), "progress_en": "x"}, "period_end"),
        ({"period_start": dt.date(2023, 6, 1), "period_end": dt.date(2023, 6, 30), "progress_percent": 120}, None),
        ({"period_start": dt.date(2023, 6, 1), "period_end": dt.date(2023, 6, 30)}, "progress_en"),
    ],
)
def test_a_bad_report_names_the_field_and_saves_nothing(site_admin, data, field):
    group = BodyFactory(kind=BodyKind.WORKING_GROUP)
    data = {"progress_en": "Something", **data} if field != "progress_en" else data
    with pytest.raises(ValidationError) as error:
        services.report_file(acting_user=site_admin, body=group, data=data)
    assert (field or "progress_percent") in error.value.message_dict
    assert not Report.objects.exists()


def test_issuing_a_calendar_token_revokes_the_previous_one():
    person = PersonFactory()
    first = services.calendar_token_issue(person=person)
    second = services.calendar_token_issue(person=person)
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert second.revoked_at is None and second.token != first.token
    assert len(second.token) >= 40
    assert services.calendar_token_revoke(person=person) == 1
    assert not CalendarToken.objects.filter(revoked_at__isnull=True).exists()
