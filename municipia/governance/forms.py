"""Forms of the governance pages; they clean input, the services validate and save."""

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from municipia.core.forms import ServiceModelForm
from municipia.core.pickers import picker_or_select
from municipia.governance import services
from municipia.governance.choices import AttendanceStatus
from municipia.governance.models import (
    AgendaItem,
    Body,
    BodyMember,
    Decision,
    Meeting,
    MeetingSeries,
    Report,
    Task,
)
from municipia.governance.recurrence import is_known_time_zone
from municipia.organizations.entities import PERSON
from municipia.organizations.models import Organization, Person
from municipia.organizations.selectors import Ids, organization_list, people_among, people_of
from municipia.strategy.forms import participant_choices
from municipia.strategy.models import Action, Plan

# Offered as suggestions (a <datlist>), not as the only choices: any IANA name is accepted.
COMMON_TIME_ZONES = [
    "Europe/Madrid",
    "Atlantic/Canary",
    "Europe/Sofia",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Berlin",
    "Europe/Rome",
    "Europe/London",
    "UTC",
]

# (rule, label): suggestions under the recurrence field.
RRULE_PRESETS = [
    ("FREQ=MONTHLY;BYDAY=-1TU", _("Monthly on the last Tuesday")),
    ("FREQ=MONTHLY;BYDAY=1MO", _("Monthly on the first Monday")),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", _("Every two weeks on Thursday")),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=7", _("Every two weeks on Thursday, seven meetings")),
    ("FREQ=WEEKLY;BYDAY=WE", _("Weekly on Wednesday")),
    ("FREQ=MONTHLY;INTERVAL=3;BYDAY=2WE", _("Every three months on the second Wednesday")),
]

WALL_CLOCK_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


class WallClockField(forms.DateTimeField):
    """A date and time as read on the meeting room's clock; the form gives it its time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None)
        text = str(value).strip()
        for pattern in WALL_CLOCK_FORMATS:
            try:
                return dt.datetime.strptime(text, pattern)
            except ValueError:
                continue
        raise ValidationError(_("Enter a date and time such as 2023-05-30 17:00."), code="invalid")


def wall_clock(value: dt.datetime | None, zone: str) -> dt.datetime | None:
    """An instant as the clock shows it in `zone` (naive), for a WallClockField's initial value."""
    if value is None:
        return None
    return timezone.localtime(value, ZoneInfo(zone)).replace(tzinfo=None)


def in_zone(value: dt.datetime | None, zone: str) -> dt.datetime | None:
    return None if value is None else value.replace(tzinfo=ZoneInfo(zone))


def zoned_times(form: forms.Form, cleaned: dict) -> dict:
    """Gives a meeting form's start and end its time zone (`form.time_zone`); the end must follow the start."""
    for name in ("starts_at", "ends_at"):
        cleaned[name] = in_zone(cleaned.get(name), form.time_zone)  # type: ignore[attr-defined]
    if cleaned.get("starts_at") and cleaned.get("ends_at") and cleaned["ends_at"] <= cleaned["starts_at"]:
        form.add_error("ends_at", _("The end must be after the start."))
    return cleaned


def _time_zone_widget() -> forms.TextInput:
    return forms.TextInput(attrs={"list": "time-zone-suggestions", "autocomplete": "off"})


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} ({obj.organization})" if obj.organization_id else obj.full_name


def _organizations(condition: Q) -> QuerySet[Organization]:
    return organization_list().filter(condition).order_by("name")


def plan_people(plan: Plan, *, also: Ids | None = None) -> QuerySet[Person]:
    """People who may sit in a plan's bodies: those of the plan's owner and of the councils taking part
    (plus the people `also`)."""
    return people_of(plan_organizations(plan).values("pk"), also=also)


def plan_organizations(plan: Plan, *, extra: Q | None = None) -> QuerySet[Organization]:
    condition = Q(pk=plan.owner_id) | Q(pk__in=participant_choices(plan).values("pk"))
    if extra is not None:
        condition |= extra
    return _organizations(condition)


def plan_actions(plan: Plan) -> QuerySet[Action]:
    return plan.actions.order_by("code")


def meeting_subtitle(meeting: Meeting) -> str:
    """The line under the title of a meeting's pages: body · meeting · its local date and time."""
    local = timezone.localtime(meeting.starts_at, ZoneInfo(meeting.time_zone))
    return f"{meeting.body} · {meeting} · {date_format(local, 'DATETIME_FORMAT')}"


def body_subtitle(body: Body) -> str:
    return f"{body.plan.title} · {body}"


class GovernanceForm(ServiceModelForm):
    """A form of an entity's create or edit page (core.entity_views), which passes `parent=`.

    Its template suggests time zones and recurrence rules, and shows `page_subtitle` and
    `page_intro` under the title.
    """

    time_zone_suggestions = COMMON_TIME_ZONES
    rrule_presets = RRULE_PRESETS

    @property
    def page_subtitle(self) -> str:
        return body_subtitle(self.parent) if isinstance(self.parent, Body) else ""

    @property
    def page_intro(self) -> str:
        return ""


class BodyForm(GovernanceForm):
    class Meta:
        model = Body
        fields = services.BODY_FIELDS
        widgets = {"time_zone": _time_zone_widget()}

    def __init__(self, *args, plan: Plan | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        plan = plan or self.parent
        self.fields["axis"].queryset = plan.axes.order_by("position", "code")
        self.fields["action"].queryset = plan_actions(plan)
        followers = Body.objects.filter(plan=plan).order_by("kind", "name")
        if self.instance.pk:
            followers = followers.exclude(pk=self.instance.pk)
        self.fields["followed_up_by"].queryset = followers
        self.fields["time_zone"].help_text = _("A time zone name such as Europe/Madrid or Europe/Sofia.")

    @property
    def page_subtitle(self) -> str:
        return body_subtitle(self.instance) if self.instance.pk else self.parent.title


class MemberForm(GovernanceForm):
    """The person is chosen when adding a member; afterwards only role, organisation and dates change."""

    person = PersonChoiceField(label=_("Person"), queryset=PERSON.none())

    class Meta:
        model = BodyMember
        fields = ["person", *services.MEMBER_FIELDS]

    def __init__(self, *args, body: Body | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        plan = (body or self.parent).plan
        if self.instance.pk:
            del self.fields["person"]
            extra = Q(pk=self.instance.organization_id) if self.instance.organization_id else None
        else:
            # A network's plan: hundreds of people, so a search-as-you-type picker (core.pickers).
            picker_or_select(self, "person", plan_people(plan))
            extra = None
        self.fields["organization"].help_text = _("Left empty, the person's own organisation.")
        picker_or_select(self, "organization", plan_organizations(plan, extra=extra))

    @property
    def page_subtitle(self) -> str:
        return f"{self.instance.body} · {self.instance.person}" if self.instance.pk else super().page_subtitle


class SeriesForm(GovernanceForm):
    """A series: its rule, and its first meeting as a local date and time in the chosen time zone."""

    first_start = WallClockField(
        label=_("First meeting"),
        help_text=_("Date and time of the first meeting, as read on a clock in the series' time zone."),
    )

    class Meta:
        model = MeetingSeries
        fields = services.SERIES_FIELDS
        widgets = {
            "rrule": forms.TextInput(attrs={"list": "rrule-presets", "autocomplete": "off", "spellcheck": "false"}),
            "time_zone": _time_zone_widget(),
        }

    def __init__(self, *args, body: Body | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].initial = (body or self.parent).time_zone
        self.fields["rrule"].help_text = _(
            "An RFC 5545 rule. Examples: FREQ=MONTHLY;BYDAY=-1TU (monthly on the last Tuesday); "
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20230915 (every two weeks on Thursday until 15 September). "
            "Meetings are created up to the end of the plan's period."
        )
        self.fields["time_zone"].help_text = _("A time zone name such as Europe/Madrid or Europe/Sofia.")
        if self.instance.pk:
            self.initial["first_start"] = wall_clock(self.instance.first_start, self.instance.time_zone)
            self.fields["rrule"].help_text = _(
                "An RFC 5545 rule. Changing the rule, first meeting, time zone or holiday policy replaces the "
                "future meetings nobody has worked on yet; past meetings never change."
            )

    def clean(self):
        cleaned = super().clean()
        zone = (cleaned.get("time_zone") or "").strip()
        if zone and not is_known_time_zone(zone):
            self.add_error(
                "time_zone",
                _("Unknown time zone “%(name)s”; use a name such as Europe/Madrid or Europe/Sofia.") % {"name": zone},
            )
        elif cleaned.get("first_start") is not None and zone:
            cleaned["first_start"] = in_zone(cleaned["first_start"], zone)
        return cleaned

    @property
    def page_subtitle(self) -> str:
        return f"{self.instance.body} · {self.instance}" if self.instance.pk else super().page_subtitle

    @property
    def page_intro(self) -> str:
        if not self.instance.pk:
            return ""
        return _("Changes apply to the meetings still to come; past meetings never change.")


class MeetingForm(GovernanceForm):
    """A single meeting; start and end are read in the meeting's time zone."""

    starts_at = WallClockField(label=_("Starts at"))
    ends_at = WallClockField(label=_("Ends at"))

    class Meta:
        model = Meeting
        fields = [f for f in services.MEETING_FIELDS if f != "minutes"]

    def __init__(self, *args, time_zone: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        time_zone = time_zone or (self.instance.time_zone if self.instance.pk else self.parent.time_zone)
        self.time_zone = time_zone
        for name in ("starts_at", "ends_at"):
            self.fields[name].help_text = _("Local time in %(zone)s.") % {"zone": time_zone}
            if self.instance.pk:
                self.initial[name] = wall_clock(getattr(self.instance, name), time_zone)

    def clean(self):
        return zoned_times(self, super().clean())

    @property
    def page_subtitle(self) -> str:
        return meeting_subtitle(self.instance) if self.instance.pk else super().page_subtitle


class MeetingMoveForm(forms.Form):
    starts_at = WallClockField(label=_("New start"))
    ends_at = WallClockField(
        label=_("New end"), required=False, help_text=_("Left empty, the meeting keeps its length.")
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=250)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = meeting.time_zone
        self.fields["starts_at"].help_text = _("Local time in %(zone)s.") % {"zone": self.time_zone}
        self.initial.setdefault("starts_at", wall_clock(meeting.starts_at, self.time_zone))

    def clean(self):
        return zoned_times(self, super().clean())


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=250)


class MinutesReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=80,
        help_text=_("Why the approved minutes must change; kept in the meeting's history."),
    )


class MemberEndForm(forms.Form):
    end_date = forms.DateField(
        label=_("Last day of membership"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Plain text; blank lines separate paragraphs."),
    )


class AgendaItemForm(GovernanceForm):
    presenter = PersonChoiceField(label=_("Presenter"), queryset=PERSON.none(), required=False)

    class Meta:
        model = AgendaItem
        fields = services.AGENDA_ITEM_FIELDS

    def __init__(self, *args, meeting: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = meeting or self.parent
        plan = meeting.body.plan
        members = BodyMember.objects.filter(body_id=meeting.body_id).values("person_id")
        presenter = [self.instance.presenter_id] if self.instance.presenter_id else []
        picker_or_select(self, "presenter", plan_people(plan, also=people_among(members, presenter).values("pk")))
        self.fields["action"].queryset = plan_actions(plan)
        self.fields["position"].required = False
        self.fields["position"].help_text = _("Left empty, the item goes last.")

    @property
    def page_subtitle(self) -> str:
        return meeting_subtitle(self.parent)


class AttendanceForm(forms.Form):
    """One present / excused / absent choice per member of the body on the meeting's day."""

    def __init__(self, *args, members: list[BodyMember], recorded: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            self.fields[f"person-{member.person_id}"] = forms.ChoiceField(
                label=member.person.full_name,
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
                initial=recorded.get(member.person_id, ""),
                required=False,
            )

    def rows(self) -> list[tuple[BodyMember, forms.BoundField]]:
        return [(member, self[f"person-{member.person_id}"]) for member in self.members]

    def statuses(self) -> dict[Person, str]:
        return {
            member.person: self.cleaned_data[f"person-{member.person_id}"]
            for member in self.members
            if self.cleaned_data.get(f"person-{member.person_id}")
        }


class DecisionForm(GovernanceForm):
    class Meta:
        model = Decision
        fields = services.DECISION_FIELDS

    def __init__(self, *args, body: Body | None = None, meeting: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        body = body or self.parent
        if meeting is not None:
            # Recorded from a meeting's page: the meeting is fixed.
            del self.fields["meeting"]
        else:
            # Meetings that have begun: decisions are taken at meetings, not before them.
            self.fields["meeting"].queryset = Meeting.objects.filter(
                body=body, starts_at__lte=timezone.now() + dt.timedelta(days=1)
            ).order_by("-starts_at")
        self.fields["action"].queryset = plan_actions(body.plan)


class TaskForm(GovernanceForm):
    """The owner is chosen among the body's current members."""

    owner = PersonChoiceField(label=pgettext_lazy("person", "Owner"), queryset=PERSON.none())

    class Meta:
        model = Task
        fields = services.TASK_FIELDS

    def __init__(self, *args, body: Body | None = None, meeting: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        body = body or self.parent
        today = timezone.localdate()
        current = BodyMember.objects.filter(body=body, start_date__lte=today).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today)
        )
        owner = [self.instance.owner_id] if self.instance.owner_id else []
        self.fields["owner"].help_text = _("A current member of the body.")
        picker_or_select(self, "owner", people_among(current.values("person_id"), owner))
        decisions = Decision.objects.filter(body=body)
        if meeting is not None:
            decisions = decisions.filter(meeting=meeting)
            # Set from the meeting's page: the view records that meeting.
            del self.fields["meeting"]
        else:
            self.fields["meeting"].queryset = Meeting.objects.filter(body=body).order_by("-starts_at", "-id")
            self.fields["meeting"].help_text = _("The meeting of this body where the task was set, if any.")
        self.fields["decision"].queryset = decisions.order_by("-number")
        self.fields["action"].queryset = plan_actions(body.plan)
        if not self.instance.pk:
            del self.fields["status"]


class ReportForm(GovernanceForm):
    class Meta:
        model = Report
        fields = services.REPORT_FIELDS
        widgets = {"progress_percent": forms.NumberInput(attrs={"min": 0, "max": 100})}

    @property
    def page_intro(self) -> str:
        body = self.parent
        if self.instance.pk or body is None or not body.followed_up_by_id:
            return ""
        return _("The report goes to %(body)s.") % {"body": body.followed_up_by}
