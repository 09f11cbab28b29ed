"""Governance pages: what each role sees, forms that refuse bad input, the minutes workflow, constant queries."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from municipia.governance import services
from municipia.governance.choices import AttendanceStatus, BodyKind, MemberRole, MinutesStatus, TaskStatus
from municipia.governance.models import Attendance, BodyMember, CalendarToken, Decision, Meeting, MeetingSeries, Task
from municipia.governance.recurrence import describe_rule
from municipia.governance.tests.conftest import GOVERNANCE_ROLES
from municipia.governance.tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    BodyFactory,
    BodyMemberFactory,
    DecisionFactory,
    MeetingFactory,
    ReportFactory,
    TaskFactory,
)
from municipia.organizations.tests.factories import OrganizationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")


def url(name, *args):
    return reverse(f"governance:{name}", args=args)


def login(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    return user


def future(days: int, hour: int = 17) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=MADRID)


# --- Who sees what


@pytest.mark.parametrize("role", GOVERNANCE_ROLES)
def test_every_page_renders_for_every_role(client, governance_world, role):
    w = governance_world
    login(client, w, role)
    for address in (
        url("plan-bodies", w["plan"].slug),
        url("body-detail", w["body"].pk),
        url("body-detail", w["working_group"].pk),
        url("meeting-detail", w["meeting"].pk),
        url("calendar"),
    ):
        response = client.get(address)
        assert response.status_code == 200, (address, role)
    response = client.get(url("my-governance"))
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 200


@pytest.mark.parametrize(
    "role,status",
    [
        ("anonymous", 404),
        ("plain user", 404),
        ("other council's editor", 404),
        ("body member", 200),
        ("body secretary", 200),
        ("own editor", 200),
        ("site admin", 200),
    ],
)
def test_private_body_and_its_meetings_are_not_found_for_outsiders(client, governance_world, role, status):
    w = governance_world
    w["body"].is_public = False
    w["body"].save()
    login(client, w, role)
    assert client.get(url("body-detail", w["body"].pk)).status_code == status
    assert client.get(url("meeting-detail", w["meeting"].pk)).status_code == status
    bodies_page = client.get(url("plan-bodies", w["plan"].slug)).content.decode()
    assert (w["body"].name in bodies_page) == (status == 200)


def test_editor_sees_the_editing_buttons_and_a_visitor_does_not(client, governance_world):
    w = governance_world
    page = client.get(url("body-detail", w["body"].pk)).content.decode()
    assert url("body-update", w["body"].pk) not in page
    assert url("task-create", w["body"].pk) not in page
    client.force_login(w["users"]["own editor"])
    page = client.get(url("body-detail", w["body"].pk)).content.decode()
    for name in ("body-update", "member-create", "series-create", "meeting-create", "decision-create", "task-create"):
        assert url(name, w["body"].pk) in page


def test_secretary_of_a_followed_group_may_file_its_report(client, governance_world):
    w = governance_world
    client.force_login(w["users"]["body secretary"])
    page = client.get(url("body-detail", w["working_group"].pk)).content.decode()
    assert url("report-create", w["working_group"].pk) in page
    client.force_login(w["users"]["body member"])
    page = client.get(url("body-detail", w["working_group"].pk)).content.decode()
    assert url("report-create", w["working_group"].pk) not in page


def test_body_page_shows_members_series_in_words_decisions_and_overdue_tasks(client, governance_world):
    w = governance_world
    response = client.get(url("body-detail", w["body"].pk))
    page = response.content.decode()
    assert w["member"].person.full_name in page
    assert "Monthly on the last Tuesday" in page
    assert "Europe/Madrid" in page
    assert w["decision"].text in page
    assert w["task"].pk in response.context["overdue_ids"]
    assert 'class="overdue"' in page
    assert reverse("calendars:body", args=[w["body"].pk]) in page


def test_coordination_group_page_shows_followed_groups_latest_report_next_meeting_and_overdue_tasks(
    client, governance_world
):
    w = governance_world
    group = w["working_group"]
    ReportFactory(body=group, period_start=dt.date(2023, 5, 1), period_end=dt.date(2023, 5, 31), progress_en="Old")
    latest = ReportFactory(
        body=group, period_start=dt.date(2023, 7, 1), period_end=dt.date(2023, 7, 31), progress_en="Newest news"
    )
    owner = BodyMemberFactory(body=group).person
    late = TaskFactory(body=group, owner=owner, due_date=timezone.localdate() - dt.timedelta(days=3))
    TaskFactory(body=group, owner=owner, due_date=timezone.localdate() + dt.timedelta(days=3))
    soon = MeetingFactory(body=group, starts_at=future(5))
    MeetingFactory(body=group, starts_at=future(19))
    response = client.get(url("body-detail", w["body"].pk))
    row = response.context["followed_rows"][0]
    assert row["report"] == latest and row["next_meeting"] == soon
    assert [task.pk for task in response.context["page"].followed_overdue] == [late.pk]
    assert "Newest news" in response.content.decode()


def test_meeting_page_says_which_time_zone_and_shows_a_move(client, governance_world):
    w = governance_world
    meeting = w["meeting"]
    services.meeting_move(
        acting_user=w["users"]["site admin"],
        meeting=meeting,
        starts_at=dt.datetime(2023, 6, 28, 10, 0, tzinfo=MADRID),
    )
    page = client.get(url("meeting-detail", meeting.pk)).content.decode()
    assert "(Europe/Madrid time)" in page
    assert 'datetime="2023-06-28T10:00:00+02:00"' in page
    assert "Moved" in page and "Originally scheduled for June 27, 2023, 5 p.m." in page


def test_meeting_in_sofia_is_shown_in_sofia_time(client, governance_world):
    w = governance_world
    body = BodyFactory(plan=w["plan"], time_zone="Europe/Sofia", holiday_region="BG")
    meeting = MeetingFactory(body=body, starts_at=dt.datetime(2023, 6, 13, 8, 0, tzinfo=dt.UTC))
    page = client.get(url("meeting-detail", meeting.pk)).content.decode()
    assert "(Europe/Sofia time)" in page and 'datetime="2023-06-13T11:00:00+03:00"' in page


def test_plan_bodies_groups_by_kind_with_next_meeting_and_member_count(client, governance_world):
    w = governance_world
    MeetingFactory(body=w["body"], starts_at=future(3))
    response = client.get(url("plan-bodies", w["plan"].slug))
    groups = {group["kind"]: group["bodies"] for group in response.context["groups"]}
    assert [b.pk for b in groups[BodyKind.COORDINATION_GROUP]] == [w["body"].pk]
    assert [b.pk for b in groups[BodyKind.WORKING_GROUP]] == [w["working_group"].pk]
    body = groups[BodyKind.COORDINATION_GROUP][0]
    assert body.member_count == 2 and body.next_meeting_at is not None and body.overdue_count == 1


def test_plan_page_shows_its_governance_and_overdue_tasks(client, governance_world):
    w = governance_world
    page = client.get(reverse("strategy:plan-detail", args=[w["plan"].slug])).content.decode()
    assert url("plan-bodies", w["plan"].slug) in page
    assert url("body-detail", w["body"].pk) in page
    assert w["task"].title in page


def test_plan_without_bodies_has_no_governance_section_for_one_query(django_assert_num_queries, governance_world):
    from django.contrib.auth.models import AnonymousUser

    from municipia.governance.selectors import plan_governance_section
    from municipia.strategy.tests.factories import PlanFactory

    w = governance_world
    bare_plan = PlanFactory(owner=w["plan"].owner, is_published=True)
    with django_assert_num_queries(1):  # only "has it any body?": the two annotated queries are skipped
        section = plan_governance_section(AnonymousUser(), bare_plan)
    assert section == {"governance_bodies": [], "governance_overdue": []}
    section = plan_governance_section(AnonymousUser(), w["plan"])
    assert w["body"] in section["governance_bodies"] and w["task"] in section["governance_overdue"]


# --- Forms refuse bad input, name the field and keep what was typed


def test_series_with_a_rule_that_yields_no_meeting_is_refused_on_the_rule_field(client, governance_world):
    w = governance_world
    client.force_login(w["users"]["own editor"])
    before = (MeetingSeries.objects.count(), Meeting.objects.count())
    response = client.post(
        url("series-create", w["body"].pk),
        {
            "title_en": "Typed title",
            "rrule": "FREQ=MONTHLY;BYDAY=-1TU;UNTIL=20230101",
            "first_start": "2023-05-30T17:00",
            "time_zone": "Europe/Madrid",
            "duration_minutes": "90",
            "on_holiday": "next_working_day",
        },
    )
    assert response.status_code == 400
    assert "rrule" in response.context["form"].errors
    page = response.content.decode()
    assert "Typed title" in page and "2023-05-30T17:00" in page
    assert (MeetingSeries.objects.count(), Meeting.objects.count()) == before


def test_series_with_an_unknown_time_zone_is_refused_on_the_time_zone_field(client, governance_world):
    w = governance_world
    client.force_login(w["users"]["own editor"])
    response = client.post(
        url("series-create", w["body"].pk),
        {
            "title_en": "Monthly",
            "rrule": "FREQ=MONTHLY;BYDAY=-1TU",
            "first_start": "2023-05-30T17:00",
            "time_zone": "Europe/Atlantis",
            "duration_minutes": "90",
            "on_holiday": "skip",
        },
    )
    assert response.status_code == 400
    assert "time_zone" in response.context["form"].errors
    assert "Europe/Atlantis" in response.content.decode()


def test_series_created_from_the_page_keeps_the_local_time_in_its_time_zone(client, governance_world):
    w = governance_world
    client.force_login(w["users"]["own editor"])
    response = client.post(
        url("series-create", w["working_group"].pk),
        {
            "title_en": "Fortnightly",
            "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=3",
            "first_start": "2023-06-15T10:30",
            "time_zone": "Europe/Sofia",
            "duration_minutes": "60",
            "on_holiday": "skip",
        },
    )
    assert response.status_code == 302
    series = MeetingSeries.objects.get(title_en="Fortnightly")
    starts = [m.starts_at.astimezone(ZoneInfo("Europe/Sofia")) for m in series.meetings.order_by("starts_at")]
    assert [(s.date().isoformat(), s.hour, s.minute) for s in starts] == [
        ("2023-06-15", 10, 30),
        ("2023-06-29", 10, 30),
        ("2023-07-13", 10, 30),
    ]


def test_meeting_ending_before_it_starts_is_refused_on_the_end_field(client, governance_world):
    w = governance_world
    client.force_login(w["users"]["body secretary"])
    before = Meeting.objects.count()
    response = client.post(
        url("meeting-create", w["body"].pk),
        {"title_en": "Extra meeting", "starts_at": "2023-09-12T17:00", "ends_at": "2023-09-12T16:00"},
    )
    assert response.status_code == 400
    assert "ends_at" in response.context["form"].errors
    assert "Extra meeting" in response.content.decode()
    assert Meeting.objects.count() == before


def test_task_whose_owner_is_not_a_member_is_refused_on_the_owner_field(client, governance_world):
    w = governance_world
    client.force_login(w["users"]["body secretary"])
    outsider = PersonFactory(organization=w["council"])
    before = Task.objects.count()
    response = client.post(
        url("task-create", w["body"].pk),
        {"title_en": "Write the tender", "owner": outsider.pk, "due_date": "2023-09-30"},
    )
    assert response.status_code == 400
    assert "owner" in response.context["form"].errors
    assert "Write the tender" in response.content.decode()
    assert Task.objects.count() == before


def test_member_added_twice_for_overlapping_dates_is_refused_on_the_person_field(client, governance_world):
    w = governance_world
    client.force_login(w["users"]["own editor"])
    before = BodyMember.objects.count()
    response = client.post(
        url("member-create", w["body"].pk),
        {"person": w["member"].person.pk, "role": MemberRole.MEMBER, "start_date": "2023-06-01"},
    )
    assert response.status_code == 400
    assert "person" in response.context["form"].errors
    assert BodyMember.objects.count() == before


def test_report_with_a_period_ending_before_it_starts_is_refused(client, governance_world):
    w = governance_world
    client.force_login(w["users"]["body secretary"])
    response = client.post(
        url("report-create", w["working_group"].pk),
        {"period_start": "2023-07-01", "period_end": "2023-06-01", "progress_en": "Typed progress"},
    )
    assert response.status_code == 400
    assert "period_end" in response.context["form"].errors
    assert "Typed progress" in response.content.decode()


def test_report_filed_from_the_page_goes_to_the_following_group(client, governance_world):
    w = governance_world
    client.force_login(w["users"]["body secretary"])
    response = client.post(
        url("report-create", w["working_group"].pk),
        {"period_start": "2023-07-01", "period_end": "2023-07-31", "progress_percent": "40", "progress_en": "Pilot"},
    )
    assert response.status_code == 302
    report = w["working_group"].reports.get(progress_en="Pilot")
    assert report.addressed_to == w["body"] and report.filed_by == w["users"]["body secretary"]


# --- Meetings: minutes, attendance, decisions, tasks


def test_minutes_are_drafted_then_approved_then_frozen(client, governance_world):
    w = governance_world
    meeting = w["meeting"]
    secretary = w["users"]["body secretary"]
    client.force_login(secretary)
    response = client.post(url("minutes-update", meeting.pk), {"minutes": "We agreed on the pilot."})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "We agreed on the pilot." and meeting.minutes_status == MinutesStatus.DRAFT

    assert client.post(url("minutes-approve", meeting.pk)).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.APPROVED
    assert meeting.minutes_approved_by == secretary and meeting.minutes_approved_at is not None

    page = client.get(url("meeting-detail", meeting.pk)).content.decode()
    assert f"Approved by {secretary.username} on" in page
    assert url("minutes-update", meeting.pk) not in page
    assert client.post(url("minutes-update", meeting.pk), {"minutes": "Rewritten"}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.minutes == "We agreed on the pilot."


def test_site_admins_pass_the_one_permission_check_and_the_service_keeps_approved_minutes(client, governance_world):
    """Pages ask `user.has_perm` like the API and admin: a site administrator reaches the minutes
    form of approved minutes (it was a 403 for them alone), and the service refuses the change."""
    w = governance_world
    meeting = w["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(minutes="Agreed.", minutes_status=MinutesStatus.APPROVED)
    client.force_login(w["users"]["site admin"])
    assert client.get(url("minutes-update", meeting.pk)).status_code == 200
    response = client.post(url("minutes-update", meeting.pk), {"minutes": "Rewritten"})
    assert response.status_code == 400
    assert "minutes" in response.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.minutes == "Agreed." and meeting.minutes_status == MinutesStatus.APPROVED
    # The meeting's page still offers only the next step of approved minutes: reopening them.
    page = client.get(url("meeting-detail", meeting.pk)).content.decode()
    assert url("minutes-reopen", meeting.pk) in page
    assert f'action="{url("minutes-update", meeting.pk)}"' not in page


def test_empty_minutes_are_refused_on_the_minutes_field(client, governance_world):
    w = governance_world
    client.force_login(w["users"]["body secretary"])
    response = client.post(url("minutes-update", w["meeting"].pk), {"minutes": "  "})
    assert response.status_code == 400
    assert "minutes" in response.context["form"].errors


def test_minutes_are_shown_as_text_not_html(client, governance_world):
    w = governance_world
    services.meeting_update(
        acting_user=None, meeting=w["meeting"], data={"minutes": "<script>alert(1)</script>\n\nSecond"}
    )
    page = client.get(url("meeting-detail", w["meeting"].pk)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_attendance_is_recorded_for_every_member_and_summed_per_council(client, governance_world):
    w = governance_world
    other_council = OrganizationFactory(name_en="Tremp")
    visitor = BodyMemberFactory(body=w["body"], person=PersonFactory(organization=other_council))
    client.force_login(w["users"]["body secretary"])
    page = client.get(url("meeting-detail", w["meeting"].pk)).content.decode()
    for member in (w["member"], w["secretary"], visitor):
        assert f'name="person-{member.person_id}"' in page
    response = client.post(
        url("attendance-record", w["meeting"].pk),
        {
            f"person-{w['member'].person_id}": AttendanceStatus.PRESENT,
            f"person-{w['secretary'].person_id}": AttendanceStatus.PRESENT,
            f"person-{visitor.person_id}": AttendanceStatus.EXCUSED,
        },
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(meeting=w["meeting"]).count() == 3
    summary = client.get(url("meeting-detail", w["meeting"].pk)).context["attendance_summary"]
    by_council = {row["council"]: row for row in summary}
    assert by_council[str(w["council"])]["present"] == 2
    assert by_council["Tremp"]["excused"] == 1 and by_council["Tremp"]["present"] == 0


def test_decision_and_task_recorded_at_a_meeting_appear_on_its_page(client, governance_world):
    w = governance_world
    meeting = w["meeting"]
    client.force_login(w["users"]["body secretary"])
    response = client.post(url("meeting-decision-create", meeting.pk), {"decision-text_en": "Adopt the pilot"})
    assert response.status_code == 302
    decision = Decision.objects.get(text_en="Adopt the pilot")
    assert decision.meeting == meeting and decision.number == 2
    response = client.post(
        url("meeting-task-create", meeting.pk),
        {
            "task-title_en": "Draft the pilot's plan",
            "task-owner": w["member"].person.pk,
            "task-due_date": "2023-09-30",
            "task-decision": decision.pk,
        },
    )
    assert response.status_code == 302
    page = client.get(url("meeting-detail", meeting.pk)).content.decode()
    assert "Adopt the pilot" in page and "Draft the pilot&#x27;s plan" in page


def test_task_form_offers_only_current_members_as_owners(client, governance_world):
    w = governance_world
    client.force_login(w["users"]["body secretary"])
    form = client.get(url("meeting-detail", w["meeting"].pk)).context["task_form"]
    owners = set(form.fields["owner"].queryset.values_list("pk", flat=True))
    assert owners == {w["member"].person.pk, w["secretary"].person.pk}


def test_task_status_is_changed_from_the_page(client, governance_world):
    w = governance_world
    task = w["task"]
    client.force_login(w["users"]["body secretary"])
    response = client.post(
        url("task-update", task.pk),
        {"title_en": task.title_en, "owner": task.owner_id, "due_date": "2023-07-31", "status": TaskStatus.DONE},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_meeting_is_cancelled_and_moved_from_its_page(client, governance_world):
    w = governance_world
    meeting = Meeting.objects.filter(series=w["series"]).exclude(pk=w["meeting"].pk).order_by("starts_at").first()
    meeting = meeting or MeetingFactory(body=w["body"], series=w["series"], starts_at=future(30))
    slot = meeting.starts_at
    client.force_login(w["users"]["body secretary"])
    response = client.post(url("meeting-move", meeting.pk), {"starts_at": "2024-02-01T09:00", "reason": "Holiday"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == dt.datetime(2024, 2, 1, 9, 0, tzinfo=MADRID) and meeting.original_start == slot
    assert client.post(url("meeting-cancel", meeting.pk), {"reason": "No quorum"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert "Cancelled" in client.get(url("meeting-detail", meeting.pk)).content.decode()


# --- Calendar and the owner's page


def test_calendar_lists_upcoming_public_meetings_by_month_and_hides_private_ones(client, governance_world):
    w = governance_world
    public = MeetingFactory(body=w["body"], title_en="Public upcoming", starts_at=future(2))
    private_body = BodyFactory(plan=w["plan"], is_public=False)
    MeetingFactory(body=private_body, title_en="Private upcoming", starts_at=future(3))
    MeetingFactory(body=w["body"], title_en="Long ago", starts_at=dt.datetime(2023, 1, 10, 10, tzinfo=MADRID))
    response = client.get(url("calendar"))
    page = response.content.decode()
    assert "Public upcoming" in page and "Private upcoming" not in page and "Long ago" not in page
    assert response.context["months"][0]["meetings"][0] == public
    member = UserFactory()
    BodyMemberFactory(body=private_body, person=PersonFactory(user=member))
    client.force_login(member)
    assert "Private upcoming" in client.get(url("calendar")).content.decode()


def test_calendar_filters_by_plan_body_and_dates(client, governance_world):
    w = governance_world
    MeetingFactory(body=w["body"], title_en="In June", starts_at=dt.datetime(2030, 6, 4, 10, tzinfo=MADRID))
    MeetingFactory(body=w["working_group"], title_en="WG June", starts_at=dt.datetime(2030, 6, 5, 10, tzinfo=MADRID))
    MeetingFactory(body=w["body"], title_en="In July", starts_at=dt.datetime(2030, 7, 2, 10, tzinfo=MADRID))
    other = BodyFactory()
    MeetingFactory(body=other, title_en="Other plan", starts_at=dt.datetime(2030, 6, 6, 10, tzinfo=MADRID))
    response = client.get(
        url("calendar"), {"plan": w["plan"].slug, "body": w["body"].pk, "from": "2030-06-01", "to": "2030-06-30"}
    )
    titles = [m.title for month in response.context["months"] for m in month["meetings"]]
    assert titles == ["In June"]


def test_calendar_refuses_an_end_before_the_start_and_says_so(client, governance_world):
    response = client.get(url("calendar"), {"from": "2030-06-30", "to": "2030-06-01"})
    assert response.status_code == 200
    assert "to" in response.context["form"].errors
    assert "No meetings match these filters." in response.content.decode()


def test_calendar_has_an_empty_state(client, db):
    assert "No upcoming public meetings." in client.get(url("calendar")).content.decode()


def test_my_governance_shows_bodies_meetings_and_overdue_tasks(client, governance_world):
    w = governance_world
    MeetingFactory(body=w["body"], title_en="Next session", starts_at=future(4))
    client.force_login(w["users"]["body member"])
    response = client.get(url("my-governance"))
    page = response.content.decode()
    assert w["body"].name in page and "Next session" in page and w["task"].title in page
    assert response.context["overdue_count"] == 1


def test_my_governance_says_plainly_when_the_account_has_no_person(client, governance_world):
    client.force_login(governance_world["users"]["plain user"])
    assert "not linked to a person" in client.get(url("my-governance")).content.decode()


def test_private_calendar_address_is_created_renewed_and_revoked(client, governance_world):
    w = governance_world
    person = w["member"].person
    client.force_login(w["users"]["body member"])
    assert client.post(url("calendar-token-issue")).status_code == 302
    first = CalendarToken.objects.get(person=person, revoked_at__isnull=True)
    page = client.get(url("my-governance")).content.decode()
    assert first.token in page
    client.post(url("calendar-token-issue"))
    second = CalendarToken.objects.get(person=person, revoked_at__isnull=True)
    assert second.token != first.token
    client.post(url("calendar-token-revoke"))
    assert not CalendarToken.objects.filter(person=person, revoked_at__isnull=True).exists()
    assert "Create address" in client.get(url("my-governance")).content.decode()


def test_calendar_address_needs_a_post_and_a_person(client, governance_world):
    client.force_login(governance_world["users"]["body member"])
    assert client.get(url("calendar-token-issue")).status_code == 405
    client.force_login(governance_world["users"]["plain user"])
    assert client.post(url("calendar-token-issue")).status_code == 404
    assert CalendarToken.objects.count() == 0


# --- Recurrence rules in words


@pytest.mark.parametrize(
    "rule,words",
    [
        ("FREQ=MONTHLY;BYDAY=-1TU", "Monthly on the last Tuesday"),
        ("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "Every two weeks on Thursday"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20230915", "Every two weeks on Thursday until Sept. 15, 2023"),
        ("FREQ=WEEKLY;BYDAY=MO,WE", "Weekly on Monday, Wednesday"),
        ("FREQ=MONTHLY;INTERVAL=3;BYDAY=2WE;COUNT=4", "Every 3 months on the second Wednesday (4 meetings)"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", ""),
        ("nonsense", ""),
    ],
)
def test_common_rules_are_described_in_words(rule, words):
    assert describe_rule(rule) == words


# --- Constant queries


def build_coordination(size: int, governance_world) -> dict:
    """A coordination group following `size` working groups, each with members, reports, tasks and meetings."""
    w = governance_world
    body = w["body"]
    for n in range(size):
        group = BodyFactory(plan=w["plan"], kind=BodyKind.WORKING_GROUP, followed_up_by=body, action=w["action"])
        member = BodyMemberFactory(body=group)
        for month in (5, 6):
            ReportFactory(body=group, period_start=dt.date(2023, month, 1), period_end=dt.date(2023, month, 28))
        TaskFactory(body=group, owner=member.person, due_date=timezone.localdate() - dt.timedelta(days=n + 1))
        MeetingFactory(body=group, starts_at=future(n + 1))
        MeetingFactory(body=group, starts_at=future(n + 20))
        member_of_body = BodyMemberFactory(body=body, organization=OrganizationFactory())
        TaskFactory(body=body, owner=member_of_body.person, due_date=dt.date(2023, 8, n + 1))
        decision = DecisionFactory(body=body, meeting=w["meeting"], number=n + 2, action=w["action"])
        TaskFactory(body=body, owner=member_of_body.person, decision=decision)
        MeetingFactory(body=body, starts_at=future(n + 2))
        MeetingFactory(body=body, series=w["series"], starts_at=dt.datetime(2023, 1, n + 1, 9, tzinfo=MADRID))
        AgendaItemFactory(meeting=w["meeting"], presenter=member_of_body.person, action=w["action"])
        AttendanceFactory(meeting=w["meeting"], person=member_of_body.person)
        ReportFactory(body=body, addressed_to=None)
    return w


@pytest.mark.parametrize("size", [1, 10])
def test_body_page_queries_do_not_grow_with_followed_groups(
    client, django_assert_max_num_queries, governance_world, size
):
    w = build_coordination(size, governance_world)
    with django_assert_max_num_queries(14):  # + the public cache's content-version read
        response = client.get(url("body-detail", w["body"].pk))
    assert response.status_code == 200 and len(response.context["followed_rows"]) == size + 1
    client.force_login(w["users"]["body secretary"])
    with django_assert_max_num_queries(16):
        assert client.get(url("body-detail", w["body"].pk)).status_code == 200


@pytest.mark.parametrize("size", [1, 10])
def test_meeting_page_queries_do_not_grow(client, django_assert_max_num_queries, governance_world, size):
    w = build_coordination(size, governance_world)
    with django_assert_max_num_queries(8):
        assert client.get(url("meeting-detail", w["meeting"].pk)).status_code == 200
    client.force_login(w["users"]["body secretary"])
    # + the meeting's change history (its editors see it), + counting the new task's possible owners
    # (a person picker above 40 of them, core.pickers)
    with django_assert_max_num_queries(18):
        response = client.get(url("meeting-detail", w["meeting"].pk))
    assert len(response.context["page"].members) == size + 2


@pytest.mark.parametrize("size", [1, 10])
def test_calendar_queries_do_not_grow(client, django_assert_max_num_queries, governance_world, size):
    w = build_coordination(size, governance_world)
    with django_assert_max_num_queries(6):  # + the public cache's content-version read
        assert client.get(url("calendar")).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(url("calendar"), {"plan": w["plan"].slug}).status_code == 200


@pytest.mark.parametrize("size", [1, 10])
def test_plan_bodies_queries_do_not_grow(client, django_assert_max_num_queries, governance_world, size):
    w = build_coordination(size, governance_world)
    with django_assert_max_num_queries(5):  # + the public cache's content-version read
        response = client.get(url("plan-bodies", w["plan"].slug))
    assert sum(len(group["bodies"]) for group in response.context["groups"]) == size + 2


@pytest.mark.parametrize("size", [1, 10])
def test_my_governance_queries_do_not_grow(client, django_assert_max_num_queries, governance_world, size):
    w = build_coordination(size, governance_world)
    person = w["member"].person
    for n in range(size):
        group = BodyFactory(plan=w["plan"], kind=BodyKind.WORKING_GROUP)
        BodyMemberFactory(body=group, person=person)
        MeetingFactory(body=group, starts_at=future(n + 1))
        TaskFactory(body=group, owner=person, due_date=dt.date(2023, 9, n + 1))
    services.calendar_token_issue(person=person)
    client.force_login(w["users"]["body member"])
    with django_assert_max_num_queries(9):
        response = client.get(url("my-governance"))
    assert len(response.context["page"].memberships) == size + 1


def test_calendar_page_takes_the_api_meeting_filter_parameters(client, governance_world):
    w = governance_world
    MeetingFactory(body=w["body"], title_en="Coordination upcoming", starts_at=future(2))
    MeetingFactory(body=w["working_group"], title_en="Working upcoming", starts_at=future(3))
    called_off = MeetingFactory(body=w["body"], title_en="Called off", starts_at=future(4))
    services.meeting_cancel(acting_user=w["users"]["site admin"], meeting=called_off)

    def titles(params):
        response = client.get(url("calendar"), params)
        assert response.status_code == 200
        return [m.title for month in response.context["months"] for m in month["meetings"]]

    assert titles({}) == ["Coordination upcoming", "Working upcoming", "Called off"]  # cancelled shown, marked
    assert titles({"kind": BodyKind.WORKING_GROUP}) == ["Working upcoming"]
    assert titles({"search": "coordination"}) == ["Coordination upcoming"]
    assert titles({"include_cancelled": "false"}) == ["Coordination upcoming", "Working upcoming"]
    api = client.get("/api/v1/meetings/", {"kind": BodyKind.WORKING_GROUP, "from": future(0).date().isoformat()})
    assert [row["title_en"] for row in api.json()["results"]] == ["Working upcoming"]
    assert client.get("/api/v1/meetings/", {"from": "2030-06-30", "to": "2030-06-01"}).status_code == 400
