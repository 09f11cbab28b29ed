"""FilterSets of governance lists, shared by the pages and the API.

Bodies, meetings and plans named in a filter are looked up among those the user may see, so
a private body's id answers "not a valid choice" exactly like a missing one.
"""

import datetime as dt

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from municipia.core.filters import FilterSet, search_translated
from municipia.core.search import search_filter
from municipia.governance.choices import AttendanceStatus, BodyKind, MemberRole, TaskStatus
from municipia.governance.entities import BODY, MEETING
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
from municipia.organizations.selectors import person_list
from municipia.strategy.entities import PLAN
from municipia.strategy.selectors import action_choices, axis_choices


def _user(request):
    user = getattr(request, "user", None)
    return user if user is not None else AnonymousUser()


def _visible_plans(request):
    return PLAN.visible(_user(request))


def _visible_bodies(request):
    return BODY.visible(_user(request))


def _visible_meetings(request):
    return MEETING.visible(_user(request))


def _start_of(day: dt.date, *, days_later: int = 0) -> dt.datetime | None:
    """Midnight of `day` (+ `days_later`) in the site's time zone, or None beyond the calendar's ends.

    An instant rather than a `__date` lookup, so that the starts_at index serves the range.
    """
    try:
        return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=days_later), dt.time.min))
    except (OverflowError, ValueError):
        return None


def _plan_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name, queryset=_visible_plans, to_field_name="slug", label=_("Plan")
    )


def _body_filter(field_name: str = "body", label=None) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(field_name=field_name, queryset=_visible_bodies, label=label or _("Body"))


class BodyFilter(FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    plan = _plan_filter("plan")
    kind = django_filters.ChoiceFilter(choices=BodyKind.choices, label=_("Kind"), empty_label=_("All kinds"))
    axis = django_filters.ModelChoiceFilter(queryset=axis_choices(), label=_("Axis"))
    action = django_filters.ModelChoiceFilter(queryset=action_choices(), label=_("Action"))

    class Meta:
        model = Body
        fields = ["search", "plan", "kind", "axis", "action"]

    def filter_search(self, queryset, name, value):
        return search_translated(queryset, value, "name", "mandate")


class MeetingFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start:
            self.add_error("to", _("The end date must not be before the start date."))
        return cleaned


def _date_filter(method: str, label) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        method=method, label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class MeetingFilter(FilterSet):
    """Meetings by plan, body, kind of body and dates; cancelled meetings only when asked for.

    The API's meeting list and the public calendar page use it with the same parameters; the
    page only changes two defaults (from today on, cancelled meetings shown as such).
    """

    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    plan = _plan_filter("body__plan")
    body = _body_filter()
    kind = django_filters.ChoiceFilter(
        field_name="body__kind", choices=BodyKind.choices, label=_("Kind of body"), empty_label=_("All kinds")
    )
    # `from` and `to` are Python keywords: declared through the class namespace.
    locals()["from"] = _date_filter("filter_from", _("From"))
    locals()["to"] = _date_filter("filter_to", _("To"))
    include_cancelled = django_filters.BooleanFilter(method="filter_include_cancelled", label=_("Include cancelled"))

    class Meta:
        model = Meeting
        fields = ["search", "plan", "body", "kind", "from", "to", "include_cancelled"]
        form = MeetingFilterForm

    def filter_search(self, queryset, name, value):
        return search_filter(queryset, value)

    def filter_from(self, queryset, name, value):
        start = _start_of(value)
        return queryset if start is None else queryset.filter(starts_at__gte=start)

    def filter_to(self, queryset, name, value):
        # Up to the end of the day: meetings starting before the next midnight.
        end = _start_of(value, days_later=1)
        return queryset if end is None else queryset.filter(starts_at__lt=end)

    def filter_include_cancelled(self, queryset, name, value):
        return queryset  # applied in filter_queryset, which also runs when the parameter is absent

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("include_cancelled"):
            queryset = queryset.filter(is_cancelled=False)
        return queryset


class DecisionFilter(FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    plan = _plan_filter("body__plan")
    body = _body_filter()
    meeting = django_filters.ModelChoiceFilter(queryset=_visible_meetings, label=_("Meeting"))
    action = django_filters.ModelChoiceFilter(queryset=action_choices(), label=_("Action"))

    class Meta:
        model = Decision
        fields = ["search", "plan", "body", "meeting", "action"]

    def filter_search(self, queryset, name, value):
        return search_translated(queryset, value, "text")


class TaskFilter(FilterSet):
    """Tasks by body, plan, owner and status; `overdue=true`: open tasks past their due date."""

    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    plan = _plan_filter("body__plan")
    body = _body_filter()
    owner = django_filters.ModelChoiceFilter(queryset=person_list(), label=pgettext_lazy("person", "Owner"))
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("Status"), empty_label=_("All statuses"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=pgettext_lazy("tasks", "Overdue"))

    class Meta:
        model = Task
        fields = ["search", "plan", "body", "owner", "status", "overdue"]

    def filter_search(self, queryset, name, value):
        return search_translated(queryset, value, "title")

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status=TaskStatus.OPEN, due_date__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class ReportFilter(FilterSet):
    plan = _plan_filter("body__plan")
    body = _body_filter()
    addressed_to = _body_filter("addressed_to", _("Addressed to"))

    class Meta:
        model = Report
        fields = ["plan", "body", "addressed_to"]


class BodyMemberFilter(FilterSet):
    body = _body_filter()
    role = django_filters.ChoiceFilter(choices=MemberRole.choices, label=_("Role"), empty_label=_("All roles"))
    person = django_filters.ModelChoiceFilter(queryset=person_list(), label=_("Person"))

    class Meta:
        model = BodyMember
        fields = ["body", "role", "person"]


class MeetingSeriesFilter(FilterSet):
    plan = _plan_filter("body__plan")
    body = _body_filter()

    class Meta:
        model = MeetingSeries
        fields = ["plan", "body"]


class AgendaItemFilter(FilterSet):
    meeting = django_filters.ModelChoiceFilter(queryset=_visible_meetings, label=_("Meeting"))

    class Meta:
        model = AgendaItem
        fields = ["meeting"]


class AttendanceFilter(FilterSet):
    meeting = django_filters.ModelChoiceFilter(queryset=_visible_meetings, label=_("Meeting"))
    person = django_filters.ModelChoiceFilter(queryset=person_list(), label=_("Person"))
    status = django_filters.ChoiceFilter(
        choices=AttendanceStatus.choices, label=_("Attendance"), empty_label=_("All statuses")
    )

    class Meta:
        model = Attendance
        fields = ["meeting", "person", "status"]
