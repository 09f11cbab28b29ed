"""Governance pages: check permission, call a selector or service, render."""

import datetime as dt
from collections import OrderedDict
from zoneinfo import ZoneInfo

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from municipia.core.cache import public_cache
from municipia.core.i18n import language_codes
from municipia.core.views import EditorView, ServiceDeleteView, ServiceFormView, paginate
from municipia.governance import selectors, services
from municipia.governance.choices import AttendanceStatus, BodyKind, TaskStatus
from municipia.governance.filters import MeetingFilter
from municipia.governance.forms import (
    COMMON_TIME_ZONES,
    RRULE_PRESETS,
    AgendaItemForm,
    AttendanceForm,
    BodyForm,
    DecisionForm,
    MeetingCancelForm,
    MeetingForm,
    MeetingMoveForm,
    MemberEndForm,
    MemberForm,
    MinutesForm,
    MinutesReopenForm,
    ReportForm,
    SeriesForm,
    TaskForm,
)
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
from municipia.organizations.models import Person
from municipia.strategy.selectors import plan_get, plans_visible_to

CALENDAR_PAGE_SIZE = 30
FORM_TEMPLATE = "governance/form_page.html"


def body_url(body_or_pk) -> str:
    return reverse("governance:body-detail", kwargs={"pk": getattr(body_or_pk, "pk", body_or_pk)})


def meeting_url(meeting_or_pk) -> str:
    return reverse("governance:meeting-detail", kwargs={"pk": getattr(meeting_or_pk, "pk", meeting_or_pk)})


# --- Recurrence rules in words

_WEEKDAYS = {
    "MO": gettext_lazy("Monday"),
    "TU": gettext_lazy("Tuesday"),
    "WE": gettext_lazy("Wednesday"),
    "TH": gettext_lazy("Thursday"),
    "FR": gettext_lazy("Friday"),
    "SA": gettext_lazy("Saturday"),
    "SU": gettext_lazy("Sunday"),
}
_ORDINALS = {
    1: gettext_lazy("first"),
    2: gettext_lazy("second"),
    3: gettext_lazy("third"),
    4: gettext_lazy("fourth"),
    -1: gettext_lazy("last"),
    -2: gettext_lazy("second to last"),
}
_KNOWN_PARTS = {"FREQ", "INTERVAL", "BYDAY", "UNTIL", "COUNT", "WKST"}


def describe_rule(text: str) -> str:
    """The common RFC 5545 rules in words ("Monthly on the last Tuesday"); "" when the rule is unusual."""
    body = (text or "").strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    try:
        parts = dict(part.split("=", 1) for part in body.upper().split(";") if part)
        interval = int(parts.get("INTERVAL", "1"))
    except ValueError:
        return ""
    if set(parts) - _KNOWN_PARTS or interval < 1:
        return ""
    frequencies = {
        "DAILY": (_("Daily"), _("Every two days"), _("Every %(n)s days")),
        "WEEKLY": (_("Weekly"), _("Every two weeks"), _("Every %(n)s weeks")),
        "MONTHLY": (_("Monthly"), _("Every two months"), _("Every %(n)s months")),
        "YEARLY": (_("Yearly"), _("Every two years"), _("Every %(n)s years")),
    }
    if parts.get("FREQ") not in frequencies:
        return ""
    one, two, many = frequencies[parts["FREQ"]]
    words = [one if interval == 1 else two if interval == 2 else many % {"n": interval}]
    days = [day.strip() for day in parts.get("BYDAY", "").split(",") if day.strip()]
    if days:
        named = []
        for day in days:
            weekday, number = day[-2:], day[:-2]
            if weekday not in _WEEKDAYS:
                return ""
            if number:
                try:
                    ordinal = _ORDINALS[int(number)]
                except (ValueError, KeyError):
                    return ""
                named.append(_("the %(ordinal)s %(weekday)s") % {"ordinal": ordinal, "weekday": _WEEKDAYS[weekday]})
            else:
                named.append(str(_WEEKDAYS[weekday]))
        words.append(_("on %(days)s") % {"days": ", ".join(named)})
    if "UNTIL" in parts:
        try:
            until = dt.datetime.strptime(parts["UNTIL"][:8], "%Y%m%d").date()
        except ValueError:
            return ""
        words.append(_("until %(date)s") % {"date": date_format(until, "DATE_FORMAT")})
    if "COUNT" in parts:
        try:
            count = int(parts["COUNT"])
        except ValueError:
            return ""
        words.append(ngettext("(%(count)s meeting)", "(%(count)s meetings)", count) % {"count": count})
    return " ".join(str(word) for word in words)


# --- Shared helpers


def _can(user, permission: str, obj) -> bool:
    # The rules themselves, not `user.has_perm`: Django's auth backend lets a superuser through
    # every permission, which would offer site admins forms that rules about state (approved
    # minutes are frozen) and the services then refuse.
    return rules.has_perm(permission, user, obj)


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
    plan = plan_get(request.user, slug=slug)
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
        "can_add_body": _can(request.user, "governance.add_body", plan),
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
        if not _can(user, "governance.view_body", follower):
            follower = None
    for series in page.series:
        series.rule_text = describe_rule(series.rrule)
    members_current = [m for m in page.members if m.end_date is None or m.end_date >= today]
    members_past = [m for m in page.members if m.end_date is not None and m.end_date < today]
    can_run = _can(user, "governance.add_meeting", body)
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
        "can_edit_body": _can(user, "governance.change_body", body),
        "can_add_member": _can(user, "governance.add_bodymember", body),
        "can_change_member": _can(user, "governance.change_bodymember", body),
        "can_add_series": _can(user, "governance.add_meetingseries", body),
        "can_run": can_run,
        # Reports go to the body that follows this one up; a body without one has nobody to report to.
        "can_file_report": body.followed_up_by_id is not None and _can(user, "governance.add_report", body),
        "can_change_reports": _can(user, "governance.change_report", body),
    }
    return render(request, "governance/body_detail.html", context)


def meeting_detail(request, pk):
    user = request.user
    meeting = selectors.meeting_get(user, pk=pk)
    page = selectors.meeting_page(meeting)
    body = meeting.body
    can_run = _can(user, "governance.change_meeting", meeting)
    can_record_attendance = _can(user, "governance.add_attendance", meeting)
    recorded = {row.person_id: row.status for row in page.attendances}
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
        "can_change_minutes": _can(user, "governance.change_minutes", meeting),
        "can_reopen_minutes": _can(user, "governance.reopen_minutes", meeting),
        "can_delete_meeting": _can(user, "governance.delete_meeting", meeting),
        "can_approve_minutes": _can(user, "governance.approve_minutes", meeting) and bool(meeting.minutes.strip()),
        "attendance_form": AttendanceForm(members=page.members, recorded=recorded) if can_record_attendance else None,
        "minutes_form": None,
        "decision_form": None,
        "task_form": None,
    }
    if context["can_change_minutes"]:
        context["minutes_form"] = MinutesForm(initial={"minutes": meeting.minutes})
    if _can(user, "governance.add_decision", meeting):
        context["decision_form"] = DecisionForm(body=body, meeting=meeting, prefix="decision")
    if _can(user, "governance.add_task", meeting):
        context["task_form"] = TaskForm(body=body, meeting=meeting, prefix="task")
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
        plans_visible_to(user)
        .filter(bodies__in=selectors.bodies_visible_to(user))
        .distinct()
        .only("pk", "slug", *[f"title_{code}" for code in language_codes()])
        .order_by("title_en", "pk")[:200]
    )
    form.fields["plan"].widget.choices = [("", _("All plans")), *((plan.slug, plan.title) for plan in plan_options)]
    valid = filterset.is_valid()
    body_options: list[Body] = []
    plan = form.cleaned_data.get("plan") if valid else None
    if plan is not None:
        body_options = list(selectors.bodies_visible_to(user).filter(plan=plan).order_by("kind", "name"))
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


def _person_or_404(request):
    person = Person.objects.filter(user_id=request.user.pk).first()
    if person is None:
        raise Http404
    return person


@login_required
@require_POST
def calendar_token_issue(request):
    services.calendar_token_issue(person=_person_or_404(request))
    messages.success(request, _("Your private calendar address is ready. Any previous address no longer works."))
    return HttpResponseRedirect(reverse("governance:my-governance") + "#calendar-feed")


@login_required
@require_POST
def calendar_token_revoke(request):
    services.calendar_token_revoke(person=_person_or_404(request))
    messages.success(request, _("Your private calendar address no longer works."))
    return HttpResponseRedirect(reverse("governance:my-governance") + "#calendar-feed")


# --- Editors' forms


class GovernanceFormView(ServiceFormView):
    """A governance form page; it suggests time zones and recurrence rules to the fields that use them."""

    template_name = FORM_TEMPLATE

    def render_form(self, form, status: int = 200):
        context = {
            "form": form,
            "title": self.title,
            "cancel_url": self.cancel_url(),
            "time_zone_suggestions": COMMON_TIME_ZONES,
            "rrule_presets": RRULE_PRESETS,
            **self.get_context(),
        }
        return render(self.request, self.template_name, context, status=status)


class BodyScopedMixin:
    """Forms under a body: loads it (404 when not visible) and checks the permission on it."""

    def load(self, pk):
        self.body = selectors.body_page_get(self.request.user, pk=pk)
        return self.body

    def get_context(self):
        return {"subtitle": f"{self.body.plan.title} · {self.body}"}

    def cancel_url(self):
        return body_url(self.body)

    def success_url(self, obj):
        return body_url(self.body)


class MeetingScopedMixin:
    def load(self, pk):
        self.meeting = selectors.meeting_get(self.request.user, pk=pk)
        self.body = self.meeting.body
        return self.meeting

    def get_context(self):
        local = timezone.localtime(self.meeting.starts_at, ZoneInfo(self.meeting.time_zone))
        return {"subtitle": f"{self.body} · {self.meeting} · {date_format(local, 'DATETIME_FORMAT')}"}

    def cancel_url(self):
        return meeting_url(self.meeting)

    def success_url(self, obj):
        return meeting_url(self.meeting)


class MemberLoadMixin:
    """Loads the membership (404 when not visible) and what its pages need."""

    def load(self, pk):
        try:
            self.member = (
                selectors.members_visible_to(self.request.user)
                .select_related("body__plan__owner", "person", "organization")
                .get(pk=pk)
            )
        except (BodyMember.DoesNotExist, ValueError):
            raise Http404 from None
        self.body = self.member.body
        return self.member


class AgendaItemLoadMixin:
    """Loads the agenda item (404 when not visible) and what its pages need."""

    def load(self, pk):
        try:
            self.item = (
                selectors.agenda_items_visible_to(self.request.user)
                .select_related("meeting__body__plan__owner", "meeting__series")
                .get(pk=pk)
            )
        except (AgendaItem.DoesNotExist, ValueError):
            raise Http404 from None
        self.meeting = self.item.meeting
        self.body = self.meeting.body
        return self.item


class DecisionLoadMixin:
    """Loads the decision (404 when not visible) and what its pages need."""

    def load(self, pk):
        try:
            self.decision = (
                selectors.decisions_visible_to(self.request.user).select_related("body__plan__owner").get(pk=pk)
            )
        except (Decision.DoesNotExist, ValueError):
            raise Http404 from None
        self.body = self.decision.body
        return self.decision


class TaskLoadMixin:
    """Loads the task (404 when not visible) and what its pages need."""

    def load(self, pk):
        try:
            self.task = selectors.tasks_visible_to(self.request.user).select_related("body__plan__owner").get(pk=pk)
        except (Task.DoesNotExist, ValueError):
            raise Http404 from None
        self.body = self.task.body
        return self.task


class ReportLoadMixin:
    """Loads the report (404 when not visible) and what its pages need."""

    def load(self, pk):
        try:
            self.report = (
                selectors.reports_visible_to(self.request.user)
                .select_related("body__plan__owner", "body__followed_up_by")
                .get(pk=pk)
            )
        except (Report.DoesNotExist, ValueError):
            raise Http404 from None
        self.body = self.report.body
        return self.report


class SeriesLoadMixin:
    """Loads the meeting series (404 when not visible)."""

    def load(self, pk):
        try:
            self.series = selectors.series_visible_to(self.request.user).select_related("body__plan__owner").get(pk=pk)
        except (MeetingSeries.DoesNotExist, ValueError):
            raise Http404 from None
        self.body = self.series.body
        return self.series


class BodyCreateView(GovernanceFormView):
    permission = "governance.add_body"
    form_class = BodyForm
    title = gettext_lazy("New body")

    def load(self, slug):
        self.plan = plan_get(self.request.user, slug=slug)
        return self.plan

    def get_form_kwargs(self):
        return {"plan": self.plan}

    def get_context(self):
        return {"subtitle": self.plan.title}

    def cancel_url(self):
        return reverse("governance:plan-bodies", kwargs={"slug": self.plan.slug})

    def save(self, form):
        body = services.body_create(acting_user=self.request.user, plan=self.plan, data=form.service_data())
        messages.success(self.request, _("Body created."))
        return body

    def success_url(self, obj):
        return body_url(obj)


class BodyUpdateView(BodyScopedMixin, GovernanceFormView):
    permission = "governance.change_body"
    form_class = BodyForm
    title = gettext_lazy("Edit body")

    def get_form_kwargs(self):
        return {"plan": self.body.plan, "instance": self.body}

    def save(self, form):
        body = services.body_update(acting_user=self.request.user, body=self.body, data=form.service_data())
        messages.success(self.request, _("Body saved."))
        return body


class MemberCreateView(BodyScopedMixin, GovernanceFormView):
    permission = "governance.add_bodymember"
    form_class = MemberForm
    title = gettext_lazy("Add member")

    def get_form_kwargs(self):
        return {"body": self.body}

    def save(self, form):
        member = services.member_add(
            acting_user=self.request.user,
            body=self.body,
            person=form.cleaned_data["person"],
            data=form.service_data(),
        )
        messages.success(self.request, _("Member added."))
        return member


class MemberUpdateView(MemberLoadMixin, BodyScopedMixin, GovernanceFormView):
    permission = "governance.change_bodymember"
    form_class = MemberForm
    title = gettext_lazy("Edit member")

    def get_form_kwargs(self):
        return {"body": self.body, "instance": self.member}

    def get_context(self):
        return {"subtitle": f"{self.body} · {self.member.person}"}

    def save(self, form):
        member = services.member_update(acting_user=self.request.user, member=self.member, data=form.service_data())
        messages.success(self.request, _("Member saved."))
        return member


class SeriesCreateView(BodyScopedMixin, GovernanceFormView):
    permission = "governance.add_meetingseries"
    form_class = SeriesForm
    title = gettext_lazy("New meeting series")

    def get_form_kwargs(self):
        return {"body": self.body}

    def save(self, form):
        series = services.series_create(acting_user=self.request.user, body=self.body, data=form.service_data())
        count = series.meetings.count()
        messages.success(
            self.request,
            ngettext("Series created with %(count)s meeting.", "Series created with %(count)s meetings.", count)
            % {"count": count},
        )
        return series


class MeetingCreateView(BodyScopedMixin, GovernanceFormView):
    permission = "governance.add_meeting"
    form_class = MeetingForm
    title = gettext_lazy("New meeting")

    def get_form_kwargs(self):
        return {"time_zone": self.body.time_zone}

    def save(self, form):
        meeting = services.meeting_create(acting_user=self.request.user, body=self.body, data=form.service_data())
        messages.success(self.request, _("Meeting created."))
        return meeting

    def success_url(self, obj):
        return meeting_url(obj)


class MeetingUpdateView(MeetingScopedMixin, GovernanceFormView):
    permission = "governance.change_meeting"
    form_class = MeetingForm
    title = gettext_lazy("Edit meeting")

    def get_form_kwargs(self):
        return {"time_zone": self.meeting.time_zone, "instance": self.meeting}

    def save(self, form):
        meeting = services.meeting_update(acting_user=self.request.user, meeting=self.meeting, data=form.service_data())
        messages.success(self.request, _("Meeting saved."))
        return meeting


class MeetingMoveView(MeetingScopedMixin, GovernanceFormView):
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


class MinutesStateMixin(MeetingScopedMixin):
    """Minutes pages follow the minutes' state for everyone, site admins included (see `_can`)."""

    def load(self, pk):
        meeting = super().load(pk)
        if self.request.user.is_authenticated and not _can(self.request.user, self.permission, meeting):
            raise PermissionDenied
        return meeting


class MinutesUpdateView(MinutesStateMixin, GovernanceFormView):
    permission = "governance.change_minutes"
    form_class = MinutesForm
    title = gettext_lazy("Minutes")

    def get_form(self, data=None):
        return MinutesForm(data=data, initial={"minutes": self.meeting.minutes})

    def save(self, form):
        meeting = services.meeting_update(
            acting_user=self.request.user, meeting=self.meeting, data={"minutes": form.cleaned_data["minutes"]}
        )
        messages.success(self.request, _("Minutes saved as a draft."))
        return meeting

    def success_url(self, obj):
        return meeting_url(self.meeting) + "#minutes"


class MinutesApproveView(MinutesStateMixin, EditorView):
    """Approves the minutes (POST only); approved minutes are frozen."""

    permission = "governance.approve_minutes"

    def post(self, request, pk):
        try:
            services.minutes_approve(acting_user=request.user, meeting=self.meeting)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Minutes approved."))
        return HttpResponseRedirect(meeting_url(self.meeting) + "#minutes")


class AttendanceRecordView(MeetingScopedMixin, GovernanceFormView):
    permission = "governance.add_attendance"
    form_class = AttendanceForm
    title = gettext_lazy("Attendance")
    template_name = "governance/attendance_form.html"

    def get_form(self, data=None):
        self.members = selectors.meeting_members(self.meeting)
        recorded = dict(Attendance.objects.filter(meeting=self.meeting).values_list("person_id", "status"))
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


class AgendaItemCreateView(MeetingScopedMixin, GovernanceFormView):
    permission = "governance.add_agendaitem"
    form_class = AgendaItemForm
    title = gettext_lazy("Add agenda item")

    def get_form_kwargs(self):
        return {"meeting": self.meeting}

    def save(self, form):
        return services.agenda_item_create(
            acting_user=self.request.user, meeting=self.meeting, data=form.service_data()
        )

    def success_url(self, obj):
        return meeting_url(self.meeting) + "#agenda"


class AgendaItemUpdateView(AgendaItemLoadMixin, MeetingScopedMixin, GovernanceFormView):
    permission = "governance.change_agendaitem"
    form_class = AgendaItemForm
    title = gettext_lazy("Edit agenda item")

    def get_form_kwargs(self):
        return {"meeting": self.meeting, "instance": self.item}

    def save(self, form):
        return services.agenda_item_update(acting_user=self.request.user, item=self.item, data=form.service_data())

    def success_url(self, obj):
        return meeting_url(self.meeting) + "#agenda"


class DecisionCreateView(BodyScopedMixin, GovernanceFormView):
    permission = "governance.add_decision"
    form_class = DecisionForm
    title = gettext_lazy("Record a decision")

    def get_form_kwargs(self):
        return {"body": self.body}

    def save(self, form):
        decision = services.decision_record(acting_user=self.request.user, body=self.body, data=form.service_data())
        messages.success(self.request, _("Decision %(number)s recorded.") % {"number": decision.number})
        return decision

    def success_url(self, obj):
        return body_url(self.body) + "#decisions"


class MeetingDecisionCreateView(MeetingScopedMixin, GovernanceFormView):
    """Records a decision taken at this meeting (the form on the meeting's page posts here)."""

    permission = "governance.add_decision"
    form_class = DecisionForm
    title = gettext_lazy("Record a decision")

    def get_form(self, data=None):
        return DecisionForm(data=data, body=self.body, meeting=self.meeting, prefix="decision")

    def save(self, form):
        data = {**form.service_data(), "meeting": self.meeting}
        decision = services.decision_record(acting_user=self.request.user, body=self.body, data=data)
        messages.success(self.request, _("Decision %(number)s recorded.") % {"number": decision.number})
        return decision

    def success_url(self, obj):
        return meeting_url(self.meeting) + "#decisions"


class DecisionUpdateView(DecisionLoadMixin, BodyScopedMixin, GovernanceFormView):
    permission = "governance.change_decision"
    form_class = DecisionForm
    title = gettext_lazy("Edit decision")

    def get_form_kwargs(self):
        return {"body": self.body, "instance": self.decision}

    def save(self, form):
        return services.decision_update(acting_user=self.request.user, decision=self.decision, data=form.service_data())

    def success_url(self, obj):
        return body_url(self.body) + "#decisions"


class TaskCreateView(BodyScopedMixin, GovernanceFormView):
    permission = "governance.add_task"
    form_class = TaskForm
    title = gettext_lazy("Add task")

    def get_form_kwargs(self):
        return {"body": self.body}

    def save(self, form):
        task = services.task_create(acting_user=self.request.user, body=self.body, data=form.service_data())
        messages.success(self.request, _("Task added."))
        return task

    def success_url(self, obj):
        return body_url(self.body) + "#tasks"


class MeetingTaskCreateView(MeetingScopedMixin, GovernanceFormView):
    """Adds a follow-up task at a meeting (the form on the meeting's page posts here)."""

    permission = "governance.add_task"
    form_class = TaskForm
    title = gettext_lazy("Add task")

    def get_form(self, data=None):
        return TaskForm(data=data, body=self.body, meeting=self.meeting, prefix="task")

    def save(self, form):
        data = {**form.service_data(), "meeting": self.meeting}
        task = services.task_create(acting_user=self.request.user, body=self.body, data=data)
        messages.success(self.request, _("Task added."))
        return task

    def success_url(self, obj):
        return meeting_url(self.meeting) + "#tasks"


class TaskUpdateView(TaskLoadMixin, BodyScopedMixin, GovernanceFormView):
    permission = "governance.change_task"
    form_class = TaskForm
    title = gettext_lazy("Edit task")

    def get_form_kwargs(self):
        return {"body": self.body, "instance": self.task}

    def save(self, form):
        task = services.task_update(acting_user=self.request.user, task=self.task, data=form.service_data())
        messages.success(self.request, _("Task saved."))
        return task

    def success_url(self, obj):
        return body_url(self.body) + "#tasks"


class ReportCreateView(BodyScopedMixin, GovernanceFormView):
    permission = "governance.add_report"
    form_class = ReportForm
    title = gettext_lazy("File a report")

    def get_context(self):
        context = super().get_context()
        if self.body.followed_up_by_id:
            context["intro"] = _("The report goes to %(body)s.") % {"body": self.body.followed_up_by}
        return context

    def save(self, form):
        report = services.report_file(acting_user=self.request.user, body=self.body, data=form.service_data())
        messages.success(self.request, _("Report filed."))
        return report

    def success_url(self, obj):
        return body_url(self.body) + "#reports"


class ReportUpdateView(ReportLoadMixin, BodyScopedMixin, GovernanceFormView):
    permission = "governance.change_report"
    form_class = ReportForm
    title = gettext_lazy("Edit report")

    def get_form_kwargs(self):
        return {"instance": self.report}

    def save(self, form):
        report = services.report_update(acting_user=self.request.user, report=self.report, data=form.service_data())
        messages.success(self.request, _("Report saved."))
        return report

    def success_url(self, obj):
        return body_url(self.body) + "#reports"


# --- Ending memberships, changing series, reopening minutes


class MemberEndView(MemberLoadMixin, BodyScopedMixin, GovernanceFormView):
    """Ends a membership: the usual way someone leaves a body (the row and its history stay)."""

    permission = "governance.change_bodymember"
    form_class = MemberEndForm
    title = gettext_lazy("End membership")

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

    def save(self, form):
        member = services.member_end(
            acting_user=self.request.user, member=self.member, end_date=form.cleaned_data["end_date"]
        )
        messages.success(self.request, _("Membership ended."))
        return member


class SeriesUpdateView(SeriesLoadMixin, BodyScopedMixin, GovernanceFormView):
    permission = "governance.change_meetingseries"
    form_class = SeriesForm
    title = gettext_lazy("Edit meeting series")

    def get_form_kwargs(self):
        return {"body": self.body, "instance": self.series}

    def get_context(self):
        return {
            "subtitle": f"{self.body} · {self.series}",
            "intro": _("Changes apply to the meetings still to come; past meetings never change."),
        }

    def save(self, form):
        series = services.series_update(acting_user=self.request.user, series=self.series, data=form.service_data())
        messages.success(self.request, _("Series saved."))
        return series


class MinutesReopenView(MinutesStateMixin, GovernanceFormView):
    """A site admin turns approved minutes back into a draft, saying why."""

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


# --- Deleting


class GovernanceDeleteView(ServiceDeleteView):
    """Confirms, then deletes through the service; a service's refusal is shown on the page (400)."""

    template_name = "governance/confirm_delete.html"
    consequences = ""

    def render_confirm(self, refusal: str = "", status: int = 200):
        context = {
            "object_label": self.describe(),
            "cancel_url": self.cancel_url(),
            "consequences": self.consequences,
            "refusal": refusal,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_confirm()

    def post(self, request, *args, **kwargs):
        try:
            return HttpResponseRedirect(self.perform_delete())
        except ValidationError as exc:
            return self.render_confirm(" ".join(exc.messages), status=400)


class BodyDeleteView(GovernanceDeleteView):
    permission = "governance.delete_body"
    consequences = gettext_lazy(
        "Its members, meeting series, meetings, agenda, attendance, decisions, tasks and reports are deleted too."
    )

    def load(self, pk):
        self.body = selectors.body_page_get(self.request.user, pk=pk)
        return self.body

    def describe(self):
        return str(self.body)

    def cancel_url(self):
        return body_url(self.body)

    def perform_delete(self):
        plan = self.body.plan
        services.body_delete(acting_user=self.request.user, body=self.body)
        messages.success(self.request, _("Body deleted."))
        return reverse("governance:plan-bodies", kwargs={"slug": plan.slug})


class MemberDeleteView(MemberLoadMixin, GovernanceDeleteView):
    permission = "governance.delete_bodymember"
    consequences = gettext_lazy(
        "Only for a membership entered by mistake: to record that someone left the body, end the membership instead."
    )

    def describe(self):
        return str(self.member)

    def cancel_url(self):
        return body_url(self.body) + "#members"

    def perform_delete(self):
        services.member_remove(acting_user=self.request.user, member=self.member)
        messages.success(self.request, _("Membership deleted."))
        return body_url(self.body) + "#members"


class SeriesDeleteView(SeriesLoadMixin, GovernanceDeleteView):
    permission = "governance.delete_meetingseries"
    consequences = gettext_lazy(
        "Its meetings still to come are deleted unless someone has worked on them (minutes, decisions, attendance, "
        "agenda or tasks); past meetings and those are kept as single meetings of the body."
    )

    def describe(self):
        return str(self.series)

    def cancel_url(self):
        return body_url(self.body)

    def perform_delete(self):
        deleted, kept = services.series_delete(acting_user=self.request.user, series=self.series)
        messages.success(
            self.request,
            _("Series deleted: %(deleted)s future meetings deleted, %(kept)s meetings kept.")
            % {"deleted": deleted, "kept": kept},
        )
        return body_url(self.body)


class MeetingDeleteView(MeetingScopedMixin, GovernanceDeleteView):
    permission = "governance.delete_meeting"
    consequences = gettext_lazy(
        "Only for a meeting entered by mistake: its agenda and attendance are deleted too. To call a meeting off, "
        "cancel it instead."
    )

    def describe(self):
        return str(self.meeting)

    def perform_delete(self):
        services.meeting_delete(acting_user=self.request.user, meeting=self.meeting)
        messages.success(self.request, _("Meeting deleted."))
        return body_url(self.body)


class AgendaItemDeleteView(AgendaItemLoadMixin, GovernanceDeleteView):
    permission = "governance.delete_agendaitem"

    def describe(self):
        return str(self.item)

    def cancel_url(self):
        return meeting_url(self.meeting) + "#agenda"

    def perform_delete(self):
        services.agenda_item_delete(acting_user=self.request.user, item=self.item)
        messages.success(self.request, _("Agenda item deleted."))
        return meeting_url(self.meeting) + "#agenda"


class DecisionDeleteView(DecisionLoadMixin, GovernanceDeleteView):
    permission = "governance.delete_decision"
    consequences = gettext_lazy("Only for a decision recorded by mistake; the other decisions keep their numbers.")

    def describe(self):
        return str(self.decision)

    def cancel_url(self):
        return body_url(self.body) + "#decisions"

    def perform_delete(self):
        services.decision_delete(acting_user=self.request.user, decision=self.decision)
        messages.success(self.request, _("Decision deleted."))
        return body_url(self.body) + "#decisions"


class TaskDeleteView(TaskLoadMixin, GovernanceDeleteView):
    permission = "governance.delete_task"

    def describe(self):
        return str(self.task)

    def cancel_url(self):
        return body_url(self.body) + "#tasks"

    def perform_delete(self):
        services.task_delete(acting_user=self.request.user, task=self.task)
        messages.success(self.request, _("Task deleted."))
        return body_url(self.body) + "#tasks"


class ReportDeleteView(ReportLoadMixin, GovernanceDeleteView):
    permission = "governance.delete_report"

    def describe(self):
        return str(self.report)

    def cancel_url(self):
        return body_url(self.body) + "#reports"

    def perform_delete(self):
        services.report_delete(acting_user=self.request.user, report=self.report)
        messages.success(self.request, _("Report deleted."))
        return body_url(self.body) + "#reports"
