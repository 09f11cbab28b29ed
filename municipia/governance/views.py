"""Governance pages: check permission, call a selector or service, render."""

import datetime as dt
from collections import OrderedDict
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from municipia.core.cache import public_cache
from municipia.core.entities import Entity
from municipia.core.entity_views import EntityCreateView, EntityDeleteView
from municipia.core.i18n import language_codes
from municipia.core.views import EditorView, ServiceFormView, paginate
from municipia.governance import selectors, services
from municipia.governance.choices import AttendanceStatus, BodyKind, MinutesStatus, TaskStatus
from municipia.governance.entities import BODY, DECISION, MEETING, MEMBER, SERIES
from municipia.governance.filters import MeetingFilter
from municipia.governance.forms import (
    AttendanceForm,
    DecisionForm,
    MeetingCancelForm,
    MeetingMoveForm,
    MemberEndForm,
    MinutesForm,
    MinutesReopenForm,
    TaskForm,
    meeting_subtitle,
)
from municipia.governance.models import Body, BodyInvitation, BodyMember, Decision, Meeting, Task
from municipia.governance.recurrence import describe_rule
from municipia.organizations.models import Person
from municipia.strategy.entities import PLAN

CALENDAR_PAGE_SIZE = 30
FORM_TEMPLATE = "governance/form_page.html"


def body_url(body_or_pk) -> str:
    return reverse("governance:body-detail", kwargs={"pk": getattr(body_or_pk, "pk", body_or_pk)})


def meeting_url(meeting_or_pk) -> str:
    return reverse("governance:meeting-detail", kwargs={"pk": getattr(meeting_or_pk, "pk", meeting_or_pk)})


# --- Shared helpers


def _overdue_ids(tasks, today: dt.date) -> set[int]:
    """Ids of the open tasks past their due date; each task is also marked `is_overdue` for the template."""
    ids = set()
    for task in tasks:
        task.is_overdue = task.status == TaskStatus.OPEN and task.due_date < today
        if task.is_overdue:
            ids.add(task.pk)
    return ids


def _attendance_summary(attendances) -> list[dict]:
    """Present / excused / absent counts per council represented, largest delegation first."""
    by_council: dict[str, dict] = OrderedDict()
    for row in attendances:
        name = str(row.organization) if row.organization_id else _("No organisation")
        entry = by_council.setdefault(name, {"council": name, **dict.fromkeys(AttendanceStatus.values, 0)})
        entry[row.status] += 1
    return sorted(by_council.values(), key=lambda e: (-(e["present"] + e["excused"] + e["absent"]), e["council"]))


# --- Public pages


@public_cache
def plan_bodies(request, slug):
    """A plan's bodies grouped by kind, with their next meeting and member count."""
    plan = PLAN.get(request.user, slug=slug)
    bodies = selectors.plan_bodies(request.user, plan)
    visible = {body.pk for body in bodies}
    for body in bodies:
        # A private follower's name stays private.
        body.follower = body.followed_up_by if body.followed_up_by_id in visible else None
    groups = []
    for kind, label in BodyKind.choices:
        rows = [body for body in bodies if body.kind == kind]
        if rows:
            groups.append({"kind": kind, "label": label, "bodies": rows})
    context = {
        "plan": plan,
        "groups": groups,
        "can_add_body": request.user.has_perm("governance.add_body", plan),
    }
    context["overdue_tasks"] = selectors.plan_overdue_tasks(request.user, plan)
    context["overdue_task_ids"] = _overdue_ids(context["overdue_tasks"], timezone.localdate())
    return render(request, "governance/plan_bodies.html", context)


@public_cache
def body_detail(request, pk):
    user = request.user
    body = selectors.body_page_get(user, pk=pk)
    page = selectors.body_page(user, body)
    today = timezone.localdate()
    follower = body.followed_up_by
    if follower is not None:
        follower.plan = body.plan  # same plan (Body.clean); saves a query in the permission check
        if not user.has_perm("governance.view_body", follower):
            follower = None
    for series in page.series:
        series.rule_text = describe_rule(series.rrule)
    members_current = [m for m in page.members if m.end_date is None or m.end_date >= today]
    members_past = [m for m in page.members if m.end_date is not None and m.end_date < today]
    can_run = user.has_perm("governance.add_meeting", body)
    context = {
        "body": body,
        "plan": body.plan,
        "page": page,
        "today": today,
        "follower": follower,
        "members_current": members_current,
        "members_past": members_past,
        "overdue_ids": _overdue_ids(page.tasks, today),
        "overdue_count": len(_overdue_ids(page.tasks, today)),
        "followed_overdue_ids": _overdue_ids(page.followed_overdue, today),
        "followed_rows": [
            {
                "body": group,
                "report": page.followed_reports.get(group.pk),
                "next_meeting": page.followed_next.get(group.pk),
            }
            for group in page.followed
        ],
        "can_edit_body": user.has_perm("governance.change_body", body),
        "can_add_member": user.has_perm("governance.add_bodymember", body),
        "can_change_member": user.has_perm("governance.change_bodymember", body),
        "can_add_series": user.has_perm("governance.add_meetingseries", body),
        "can_run": can_run,
        # Reports go to the body that follows this one up; a body without one has nobody to report to.
        "can_file_report": body.followed_up_by_id is not None and user.has_perm("governance.add_report", body),
        "can_change_reports": user.has_perm("governance.change_report", body),
    }
    # Who was invited and has not answered (or said no) is the business of the body's editors only.
    context["invitations"] = selectors.invitations_of_body(body) if context["can_add_member"] else []
    return render(request, "governance/body_detail.html", context)


def meeting_detail(request, pk):
    user = request.user
    meeting = selectors.meeting_get(user, pk=pk)
    page = selectors.meeting_page(meeting)
    body = meeting.body
    can_run = user.has_perm("governance.change_meeting", meeting)
    can_record_attendance = user.has_perm("governance.add_attendance", meeting)
    recorded = {row.person_id: row.status for row in page.attendances}
    draft = meeting.minutes_status == MinutesStatus.DRAFT
    context = {
        "meeting": meeting,
        "body": body,
        "plan": body.plan,
        "page": page,
        "zone": meeting.time_zone,
        "is_past": meeting.starts_at <= timezone.now(),
        "today": timezone.localdate(),
        "overdue_ids": _overdue_ids(page.tasks, timezone.localdate()),
        "attendance_summary": _attendance_summary(page.attendances),
        "attendance_totals": {
            status: sum(1 for row in page.attendances if row.status == status) for status in AttendanceStatus.values
        },
        "can_run": can_run,
        # Site administrators pass every permission; the page offers them only the minutes'
        # next steps (draft and approve, or reopen), as the rules do for everyone else.
        "can_change_minutes": draft and user.has_perm("governance.change_minutes", meeting),
        "can_reopen_minutes": not draft and user.has_perm("governance.reopen_minutes", meeting),
        "can_delete_meeting": user.has_perm("governance.delete_meeting", meeting),
        "can_approve_minutes": (
            draft and user.has_perm("governance.approve_minutes", meeting) and bool(meeting.minutes.strip())
        ),
        "attendance_form": AttendanceForm(members=page.members, recorded=recorded) if can_record_attendance else None,
        "minutes_form": None,
        "decision_form": None,
        "task_form": None,
    }
    if context["can_change_minutes"]:
        context["minutes_form"] = MinutesForm(initial={"minutes": meeting.minutes})
    if user.has_perm("governance.add_decision", meeting):
        context["decision_form"] = DecisionForm(body=body, meeting=meeting, prefix="decision")
    if user.has_perm("governance.add_task", meeting):
        context["task_form"] = TaskForm(body=body, meeting=meeting, prefix="task")
    # Who changed the meeting, its decisions and its tasks, when, before → after (its editors only).
    context["history"] = selectors.meeting_history(meeting) if can_run else None
    return render(request, "governance/meeting_detail.html", context)


@public_cache
def calendar(request):
    """Upcoming meetings the visitor may see, grouped by month, filtered by `MeetingFilter` like the API.

    Two defaults differ from the API's list: without `from`, meetings from today on; cancelled
    meetings are shown (marked) unless `include_cancelled=false`.
    """
    user = request.user
    data = request.GET.copy()
    data.setdefault("include_cancelled", "true")
    meetings = selectors.calendar_meetings(user, upcoming=not data.get("from"))
    filterset = MeetingFilter(data, queryset=meetings, request=request)
    form = filterset.form
    # The list offers the plans with bodies the visitor sees; the filter still accepts any visible
    # plan, as the API does.
    plan_options = (
        PLAN.visible(user)
        .filter(bodies__in=BODY.visible(user))
        .distinct()
        .only("pk", "slug", *[f"title_{code}" for code in language_codes()])
        .order_by("title_en", "pk")[:200]
    )
    form.fields["plan"].widget.choices = [("", _("All plans")), *((plan.slug, plan.title) for plan in plan_options)]
    valid = filterset.is_valid()
    body_options: list[Body] = []
    plan = form.cleaned_data.get("plan") if valid else None
    if plan is not None:
        body_options = list(BODY.visible(user).filter(plan=plan).order_by("kind", "name"))
    page = paginate(request, filterset.qs if valid else Meeting.objects.none(), CALENDAR_PAGE_SIZE)
    months: list[dict] = []
    for meeting in page.object_list:
        local = timezone.localtime(meeting.starts_at, ZoneInfo(meeting.time_zone))
        meeting.local_start = local
        meeting.local_end = timezone.localtime(meeting.ends_at, ZoneInfo(meeting.time_zone))
        key = (local.year, local.month)
        if not months or months[-1]["key"] != key:
            months.append({"key": key, "date": local.date().replace(day=1), "meetings": []})
        months[-1]["meetings"].append(meeting)
    selected_body = form.cleaned_data.get("body") if valid else None
    context = {
        "form": form,
        "page": page,
        "months": months,
        "body_options": body_options,
        "selected_body_id": selected_body.pk if selected_body else None,
    }
    return render(request, "governance/calendar.html", context)


@login_required
def my_governance(request):
    page = selectors.person_page(request.user)
    today = timezone.localdate()
    feed_url = ""
    if page.token is not None:
        try:
            feed_url = request.build_absolute_uri(reverse("calendars:person", kwargs={"token": page.token.token}))
        except Exception:  # noqa: BLE001 - the feed route comes from another part of the app
            feed_url = ""
    context = {
        "page": page,
        "today": today,
        "overdue_ids": _overdue_ids(page.tasks, today),
        "overdue_count": len(_overdue_ids(page.tasks, today)),
        "feed_url": feed_url,
    }
    return render(request, "governance/my_governance.html", context)


def _person_or_404(request) -> Person:
    person = selectors.person_of(request.user)
    if person is None:
        raise Http404
    return person


def _token_changed(request, service, text: str) -> HttpResponseRedirect:
    service(person=_person_or_404(request))
    messages.success(request, text)
    return HttpResponseRedirect(reverse("governance:my-governance") + "#calendar-feed")


@login_required
@require_POST
def calendar_token_issue(request):
    text = _("Your private calendar address is ready. Any previous address no longer works.")
    return _token_changed(request, services.calendar_token_issue, text)


@login_required
@require_POST
def calendar_token_revoke(request):
    return _token_changed(request, services.calendar_token_revoke, _("Your private calendar address no longer works."))


# --- Editors' pages
#
# Plain create, edit and delete pages are the entities' (see urls.py and core.entity_views); the
# pages below are special, and each says why.


class GovernanceFormView(ServiceFormView):
    """A governance form page (its template suggests time zones and recurrence rules)."""

    template_name = FORM_TEMPLATE


class MeetingScopedMixin:
    """Pages of one meeting's workflow: load it (404 when not visible), check the permission on it."""

    def load(self, pk: int) -> Meeting:
        self.meeting = MEETING.get(self.request.user, pk=pk)
        self.body = self.meeting.body
        return self.meeting

    def get_context(self) -> dict:
        return {"subtitle": meeting_subtitle(self.meeting)}

    def cancel_url(self) -> str:
        return meeting_url(self.meeting)

    def success_url(self, obj) -> str:
        return meeting_url(self.meeting)


class SeriesCreateView(EntityCreateView):
    """The entity's create page, with a message counting the meetings the new series created."""

    template_name = FORM_TEMPLATE

    def save(self, form):
        series = self.entity.create_object(acting_user=self.request.user, parent=self.parent, data=form.service_data())
        count = series.meetings.count()
        messages.success(
            self.request,
            ngettext("Series created with %(count)s meeting.", "Series created with %(count)s meetings.", count)
            % {"count": count},
        )
        return series


class DecisionCreateView(EntityCreateView):
    """The entity's create page, with a message naming the number the register gave the decision."""

    template_name = FORM_TEMPLATE

    def save(self, form):
        decision = self.entity.create_object(
            acting_user=self.request.user, parent=self.parent, data=form.service_data()
        )
        messages.success(self.request, created_message(decision))
        return decision


class MeetingFormCreateView(MeetingScopedMixin, GovernanceFormView):
    """Records a decision or a task at this meeting: the forms on the meeting's page post here, with
    the meeting fixed and a prefix of their own, so they are not the body's create pages."""

    entity: Entity = DECISION
    prefix = ""
    anchor = ""

    def load(self, pk: int) -> Meeting:
        self.permission = self.entity.perm("add")
        return super().load(pk)

    def get_form(self, data=None):
        return self.form_class(data=data, body=self.body, meeting=self.meeting, prefix=self.prefix)

    def save(self, form):
        data = {**form.service_data(), "meeting": self.meeting}
        obj = self.entity.create_object(acting_user=self.request.user, parent=self.body, data=data)
        messages.success(self.request, created_message(obj))
        return obj

    def success_url(self, obj):
        return meeting_url(self.meeting) + self.anchor


def created_message(obj: Decision | Task) -> str:
    """What the page says once a decision (under the number it was given) or a task is recorded."""
    if isinstance(obj, Decision):
        return _("Decision %(number)s recorded.") % {"number": obj.number}
    return _("Task added.")


class MeetingMoveView(MeetingScopedMixin, GovernanceFormView):
    """Moves one meeting (a state change: an occurrence remembers its series' slot), not an edit."""

    permission = "governance.change_meeting"
    form_class = MeetingMoveForm
    title = gettext_lazy("Move this meeting")

    def get_form_kwargs(self):
        return {"meeting": self.meeting}

    def save(self, form):
        data = form.cleaned_data
        meeting = services.meeting_move(
            acting_user=self.request.user,
            meeting=self.meeting,
            starts_at=data["starts_at"],
            ends_at=data.get("ends_at"),
            reason=data.get("reason", ""),
        )
        messages.success(self.request, _("Meeting moved."))
        return meeting


class MeetingCancelView(MeetingScopedMixin, GovernanceFormView):
    """Calls a meeting off (a state change that keeps it in the calendar), not a delete."""

    permission = "governance.change_meeting"
    form_class = MeetingCancelForm
    title = gettext_lazy("Cancel this meeting")

    def get_context(self):
        return {
            **super().get_context(),
            "intro": _("The meeting stays in the calendar marked as cancelled; the rest of its series is kept."),
            "submit_label": _("Cancel the meeting"),
            "danger": True,
        }

    def save(self, form):
        meeting = services.meeting_cancel(
            acting_user=self.request.user, meeting=self.meeting, reason=form.cleaned_data.get("reason", "")
        )
        messages.success(self.request, _("Meeting cancelled."))
        return meeting


class MinutesUpdateView(MeetingScopedMixin, GovernanceFormView):
    """Drafts the minutes: a step of the minutes workflow (draft, approve, reopen), with its own
    permission (`change_minutes`, which knows the minutes' state)."""

    permission = "governance.change_minutes"
    form_class = MinutesForm
    title = gettext_lazy("Minutes")

    def get_form(self, data=None):
        return MinutesForm(data=data, initial={"minutes": self.meeting.minutes})

    def save(self, form):
        meeting = MEETING.update_object(
            acting_user=self.request.user, obj=self.meeting, data={"minutes": form.cleaned_data["minutes"]}
        )
        messages.success(self.request, _("Minutes saved as a draft."))
        return meeting

    def success_url(self, obj):
        return meeting_url(self.meeting) + "#minutes"


class MinutesApproveView(MeetingScopedMixin, EditorView):
    """Approves the minutes (POST only), a state transition; approved minutes are frozen."""

    permission = "governance.approve_minutes"

    def post(self, request, pk):
        try:
            services.minutes_approve(acting_user=request.user, meeting=self.meeting)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Minutes approved."))
        return HttpResponseRedirect(meeting_url(self.meeting) + "#minutes")


class MinutesReopenView(MeetingScopedMixin, GovernanceFormView):
    """A site admin turns approved minutes back into a draft, saying why (a state transition)."""

    permission = "governance.reopen_minutes"
    form_class = MinutesReopenForm
    title = gettext_lazy("Reopen the approved minutes")

    def get_context(self):
        return {
            **super().get_context(),
            "intro": _(
                "The minutes become a draft again, to be changed and approved anew. "
                "Your name and reason are kept in the meeting's history."
            ),
            "submit_label": _("Reopen the minutes"),
            "danger": True,
        }

    def save(self, form):
        meeting = services.minutes_reopen(
            acting_user=self.request.user, meeting=self.meeting, reason=form.cleaned_data["reason"]
        )
        messages.success(self.request, _("Minutes reopened as a draft."))
        return meeting

    def success_url(self, obj):
        return meeting_url(self.meeting) + "#minutes"


class AttendanceRecordView(MeetingScopedMixin, GovernanceFormView):
    """The attendance sheet: every member of the body on the meeting's day at once (a bulk page)."""

    permission = "governance.add_attendance"
    form_class = AttendanceForm
    title = gettext_lazy("Attendance")
    template_name = "governance/attendance_form.html"

    def get_form(self, data=None):
        self.members = selectors.meeting_members(self.meeting)
        recorded = selectors.recorded_attendance(self.meeting)
        return AttendanceForm(data=data, members=self.members, recorded=recorded)

    def save(self, form):
        statuses = form.statuses()
        if not statuses:
            raise ValidationError(_("Choose present, excused or absent for at least one member."))
        services.attendance_record(acting_user=self.request.user, meeting=self.meeting, statuses=statuses)
        messages.success(self.request, _("Attendance recorded."))
        return self.meeting

    def success_url(self, obj):
        return meeting_url(self.meeting) + "#attendance"


class MemberEndView(GovernanceFormView):
    """Ends a membership: the usual way someone leaves a body (the row and its history stay), a
    state change rather than an edit."""

    permission = "governance.change_bodymember"
    form_class = MemberEndForm
    title = gettext_lazy("End membership")

    def load(self, pk: int) -> BodyMember:
        self.member = MEMBER.get(self.request.user, pk=pk)
        self.body = self.member.body
        return self.member

    def get_form(self, data=None):
        return MemberEndForm(data=data, initial={"end_date": timezone.localdate()})

    def get_context(self):
        return {
            "subtitle": f"{self.body} · {self.member.person}",
            "intro": _(
                "The person stays in the body's history and past attendance; they no longer sit in it after this day."
            ),
            "submit_label": _("End membership"),
        }

    def cancel_url(self):
        return body_url(self.body)

    def save(self, form):
        member = services.member_end(
            acting_user=self.request.user, member=self.member, end_date=form.cleaned_data["end_date"]
        )
        messages.success(self.request, _("Membership ended."))
        return member

    def success_url(self, obj):
        return body_url(self.body)


# --- Deleting


class GovernanceDeleteView(EntityDeleteView):
    """The entity's delete page in governance's words ("Delete …?"), saying what else goes with the
    object; a service's refusal is shown on the page (core.views.ServiceDeleteView)."""

    template_name = "governance/confirm_delete.html"


class SeriesDeleteView(GovernanceDeleteView):
    """The entity's delete page, with a message counting the meetings deleted and kept."""

    def perform_delete(self) -> str:
        where = self.entity.url_after_delete(self.object)
        deleted, kept = services.series_delete(acting_user=self.request.user, series=self.object)
        messages.success(
            self.request,
            _("Series deleted: %(deleted)s future meetings deleted, %(kept)s meetings kept.")
            % {"deleted": deleted, "kept": kept},
        )
        return where


#: What else a delete takes with it, said on the confirmation page.
DELETE_CONSEQUENCES = {
    BODY: gettext_lazy(
        "Its members, meeting series, meetings, agenda, attendance, decisions, tasks and reports are deleted too."
    ),
    MEMBER: gettext_lazy(
        "Only for a membership entered by mistake: to record that someone left the body, end the membership instead."
    ),
    SERIES: gettext_lazy(
        "Its meetings still to come are deleted unless someone has worked on them (minutes, decisions, attendance, "
        "agenda or tasks); past meetings and those are kept as single meetings of the body."
    ),
    MEETING: gettext_lazy(
        "Only for a meeting entered by mistake: its agenda and attendance are deleted too. To call a meeting off, "
        "cancel it instead."
    ),
    DECISION: gettext_lazy("Only for a decision recorded by mistake; the other decisions keep their numbers."),
}


# --- Invitations to bodies (services.invitation_create)


class MemberCreateView(EntityCreateView):
    """Adds a member — or, for a person of an organisation the editor does not edit, invites her:
    the page then says so, since nobody has been added yet."""

    template_name = FORM_TEMPLATE

    def save(self, form):
        result = self.entity.create_object(acting_user=self.request.user, parent=self.parent, data=form.service_data())
        if isinstance(result, BodyInvitation):
            messages.success(
                self.request,
                _(
                    "%(person)s belongs to another organisation, so they have been invited: "
                    "they become a member once they accept."
                )
                % {"person": result.person},
            )
        else:
            messages.success(self.request, str(self.entity.messages[0]))
        return result

    def success_url(self, obj):
        return body_url(obj.body_id) + "#invitations" if isinstance(obj, BodyInvitation) else super().success_url(obj)


def _answered(request, pk, service, text: str) -> HttpResponseRedirect:
    invitation = selectors.invitation_for_invitee(request.user, pk)
    try:
        service(acting_user=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, text % {"body": invitation.body})
    return HttpResponseRedirect(reverse("governance:my-governance"))


@login_required
@require_POST
def invitation_accept(request, pk):
    return _answered(request, pk, services.invitation_accept, _("You are now a member of %(body)s."))


@login_required
@require_POST
def invitation_decline(request, pk):
    return _answered(request, pk, services.invitation_decline, _("You declined the invitation to %(body)s."))


@login_required
@require_POST
def invitation_withdraw(request, pk):
    """The body's editors take back an unanswered invitation (404 for anyone who may not see it)."""
    invitation = selectors.invitation_get(request.user, pk)
    if not request.user.has_perm("governance.add_bodymember", invitation.body):
        raise Http404
    try:
        services.invitation_withdraw(acting_user=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Invitation withdrawn."))
    return HttpResponseRedirect(body_url(invitation.body_id) + "#members")
