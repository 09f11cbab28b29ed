"""Governance bodies of a plan, their members, recurring meetings, attendance, decisions, tasks and reports."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipia.core.models import RequiresOneLanguageMixin, TimeStampedModel, finish_clean
from municipia.governance.choices import (
    AttendanceStatus,
    BodyKind,
    HolidayPolicy,
    HolidayRegion,
    InvitationStatus,
    MemberRole,
    MinutesStatus,
    ReminderKind,
    TaskStatus,
)
from municipia.governance.recurrence import is_known_time_zone
from municipia.organizations.models import Organization, Person
from municipia.strategy.models import Action, Axis, Plan

DEFAULT_TIME_ZONE = "Europe/Madrid"


def _check_time_zone(errors: dict[str, str], name: str) -> None:
    if name and not is_known_time_zone(name):
        errors["time_zone"] = _("Unknown time zone “%(name)s”; use a name such as Europe/Madrid or Europe/Sofia.") % {
            "name": name
        }


def _period_errors(field: str, start, end) -> dict[str, str]:
    """The error of a period that ends before it starts, on its end field."""
    if start and end and end < start:
        return {field: _("The end date must not be before the start date.")}
    return {}


def _check_same_plan(errors: dict[str, str], field: str, element, plan_id: int | None) -> None:
    if element is not None and plan_id and element.plan_id != plan_id:
        errors[field] = _("This belongs to another plan.")


class Body(RequiresOneLanguageMixin, TimeStampedModel):
    """A steering committee, coordination group, working group or other committee of a plan.

    A working group is followed up by a coordination group of the same plan
    (`followed_up_by`); from the other side, `coordination_group.follows_up` lists the groups
    it follows.
    """

    required_translations = ("name",)

    kind = models.CharField(_("kind"), max_length=30, choices=BodyKind.choices, db_index=True)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="bodies", verbose_name=_("plan"))
    axis = models.ForeignKey(
        Axis, on_delete=models.SET_NULL, null=True, blank=True, related_name="bodies", verbose_name=_("axis")
    )
    action = models.ForeignKey(
        Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="bodies", verbose_name=_("action")
    )
    followed_up_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follows_up",
        verbose_name=_("followed up by"),
        help_text=_("The body (usually a coordination group) that follows up this one."),
    )
    name = models.CharField(_("name"), max_length=250)
    mandate = models.TextField(_("mandate"), blank=True)
    holiday_region = models.CharField(
        _("public holidays"),
        max_length=10,
        choices=HolidayRegion.choices,
        blank=True,
        help_text=_("Meetings of its series that fall on these public holidays are moved or skipped."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default=DEFAULT_TIME_ZONE)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Public bodies and their meetings are visible to everyone.")
    )

    class Meta:
        ordering = ["plan_id", "kind", "name", "id"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(followed_up_by=models.F("id")), name="body_not_followed_up_by_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:body-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.axis_id:
            _check_same_plan(errors, "axis", self.axis, self.plan_id)
        if self.action_id:
            _check_same_plan(errors, "action", self.action, self.plan_id)
        if self.followed_up_by_id:
            if self.pk and self.followed_up_by_id == self.pk:
                errors["followed_up_by"] = _("A body cannot follow itself up.")
            else:
                _check_same_plan(errors, "followed_up_by", self.followed_up_by, self.plan_id)
        _check_time_zone(errors, self.time_zone)
        finish_clean(errors, super().clean)


class BodyMember(TimeStampedModel):
    """A person sitting in a body for a period, representing an organisation in some role.

    Overlapping rows for the same person, body and role are refused by `member_add`.
    """

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members", verbose_name=_("body"))
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="body_memberships", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="body_memberships",
        verbose_name=_("organisation represented"),
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        ordering = ["body_id", "role", "person__full_name", "id"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="bodymember_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["person", "body"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.body}"

    def clean(self) -> None:
        finish_clean(_period_errors("end_date", self.start_date, self.end_date), super().clean)


class BodyInvitation(TimeStampedModel):
    """A seat offered to a person of an organisation the inviting editor does not edit.

    No membership exists until the person accepts: then `membership` is the BodyMember created
    with the role and dates offered. Until then the body's private meetings stay out of her
    calendar and her pages.
    """

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("body"))
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="body_invitations", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation represented"),
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    membership = models.OneToOneField(
        BodyMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
        verbose_name=_("membership"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation to a body")
        verbose_name_plural = _("invitations to bodies")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "person", "role"],
                condition=models.Q(status="pending"),
                name="bodyinvitation_one_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="bodyinvitation_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.body} ({self.get_status_display()})"

    def clean(self) -> None:
        finish_clean(_period_errors("end_date", self.start_date, self.end_date), super().clean)

    @property
    def is_pending(self) -> bool:
        return self.status == InvitationStatus.PENDING


class MeetingSeries(RequiresOneLanguageMixin, TimeStampedModel):
    """Meetings of a body that recur by an RFC 5545 rule, in a time zone, around public holidays.

    `first_start` is stored as an instant; its wall-clock time in `time_zone` is kept by every
    occurrence, across daylight-saving changes.
    """

    required_translations = ("title",)

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="series", verbose_name=_("body"))
    title = models.CharField(_("title"), max_length=250)
    rrule = models.CharField(
        _("recurrence rule"),
        max_length=500,
        help_text=_(
            "An RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=-1TU or FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20230915."
        ),
    )
    first_start = models.DateTimeField(_("first start"))
    time_zone = models.CharField(_("time zone"), max_length=64, default=DEFAULT_TIME_ZONE)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), default=90, validators=[MinValueValidator(1)]
    )
    place = models.CharField(_("place"), max_length=250, blank=True)
    online_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    on_holiday = models.CharField(
        _("on a public holiday"),
        max_length=20,
        choices=HolidayPolicy.choices,
        default=HolidayPolicy.NEXT_WORKING_DAY,
    )

    class Meta:
        ordering = ["body_id", "first_start", "id"]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        constraints = [
            models.CheckConstraint(condition=models.Q(duration_minutes__gte=1), name="meetingseries_duration_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _check_time_zone(errors, self.time_zone)
        finish_clean(errors, super().clean)


class Meeting(RequiresOneLanguageMixin, TimeStampedModel):
    """One meeting of a body, standalone or an occurrence of a series, with its minutes.

    An occurrence moved away from its series slot keeps the slot in `original_start`.
    """

    required_translations = ("title",)

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("body"))
    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("series"),
    )
    title = models.CharField(_("title"), max_length=250)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    original_start = models.DateTimeField(
        _("original start"),
        null=True,
        blank=True,
        help_text=_("Where the series had placed this meeting before it was moved."),
    )
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    place = models.CharField(_("place"), max_length=250, blank=True)
    online_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_status = models.CharField(
        _("minutes status"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("minutes approved by"),
    )
    minutes_approved_at = models.DateTimeField(_("minutes approved at"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["body", "starts_at"]),
            models.Index(fields=["series", "starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The end must be after the start.")
        if self.series_id and self.body_id and self.series.body_id != self.body_id:
            errors["series"] = _("This series belongs to another body.")
        finish_clean(errors, super().clean)

    @property
    def time_zone(self) -> str:
        """The zone the meeting is shown in (callers select_related `series` and `body`)."""
        if self.series_id:
            return self.series.time_zone
        return self.body.time_zone

    @property
    def is_moved(self) -> bool:
        return self.original_start is not None and self.original_start != self.starts_at


class AgendaItem(RequiresOneLanguageMixin, TimeStampedModel):
    """An item of a meeting's agenda, in order, with who presents it and the plan action it concerns."""

    required_translations = ("title",)

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=250)
    presenter = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="presented_agenda_items",
        verbose_name=_("presenter"),
    )
    action = models.ForeignKey(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("action"),
    )

    class Meta:
        ordering = ["meeting_id", "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class Decision(RequiresOneLanguageMixin, TimeStampedModel):
    """A decision in a body's register, numbered 1, 2, 3… per body."""

    required_translations = ("text",)

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("body"))
    number = models.PositiveIntegerField(_("number"), editable=False)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("meeting"),
    )
    text = models.TextField(_("text"))
    action = models.ForeignKey(
        Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions", verbose_name=_("action")
    )

    class Meta:
        ordering = ["body_id", "number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="decision_unique_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="decision_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.meeting_id and self.body_id and self.meeting.body_id != self.body_id:
            errors["meeting"] = _("This meeting belongs to another body.")
        if self.action_id and self.body_id:
            _check_same_plan(errors, "action", self.action, self.body.plan_id)
        finish_clean(errors, super().clean)


class Task(RequiresOneLanguageMixin, TimeStampedModel):
    """A follow-up task of a body, owned by one of its members, often arising from a decision."""

    required_translations = ("title",)

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("body"))
    title = models.CharField(_("title"), max_length=250)
    decision = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks", verbose_name=_("decision")
    )
    action = models.ForeignKey(
        Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks", verbose_name=_("action")
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("meeting"),
        help_text=_("The meeting of the same body where the task was set."),
    )
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("owner"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN, db_index=True
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["body", "status", "due_date"]),
            models.Index(fields=["owner", "status", "due_date"]),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.decision_id and self.body_id and self.decision.body_id != self.body_id:
            errors["decision"] = _("This decision belongs to another body.")
        if self.meeting_id and self.body_id and self.meeting.body_id != self.body_id:
            errors["meeting"] = _("This meeting belongs to another body.")
        if self.action_id and self.body_id:
            _check_same_plan(errors, "action", self.action, self.body.plan_id)
        finish_clean(errors, super().clean)


class Attendance(TimeStampedModel):
    """Whether a person attended a meeting, and for which organisation (so attendance counts per council)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("person"))
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("organisation represented"),
    )
    status = models.CharField(
        _("attendance"), max_length=20, choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT
    )

    class Meta:
        ordering = ["meeting_id", "person__full_name", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique_person")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_status_display()}"


class Report(RequiresOneLanguageMixin, TimeStampedModel):
    """A periodic status report a body (usually a working group) files to the body that follows it up.

    `addressed_to` records the follower at filing time, so a later reorganisation does not
    move old reports.
    """

    required_translations = ("progress",)

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="reports", verbose_name=_("body"))
    addressed_to = models.ForeignKey(
        Body,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="received_reports",
        verbose_name=_("addressed to"),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    progress_percent = models.PositiveSmallIntegerField(
        _("progress (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    progress = models.TextField(_("progress"))
    issues = models.TextField(_("issues"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed by"),
    )

    class Meta:
        ordering = ["body_id", "-period_end", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="report_period_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(progress_percent__isnull=True) | models.Q(progress_percent__lte=100),
                name="report_progress_percent_range",
            ),
        ]
        indexes = [models.Index(fields=["addressed_to", "-period_end"])]

    def __str__(self) -> str:
        return f"{self.body} · {self.period_start} – {self.period_end}"

    def clean(self) -> None:
        finish_clean(_period_errors("period_end", self.period_start, self.period_end), super().clean)


class CalendarToken(TimeStampedModel):
    """The secret in a person's private calendar feed address; revoking it makes the address stop working."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="calendar_tokens", verbose_name=_("person")
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["person_id", "-created_at", "-id"]
        verbose_name = _("calendar token")
        verbose_name_plural = _("calendar tokens")
        constraints = [
            # At most one working address per person.
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(revoked_at__isnull=True), name="calendartoken_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.token[:6]}…"


class ReminderSent(models.Model):
    """A reminder e-mail already sent: the unique key makes sending idempotent."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    key = models.CharField(
        _("key"), max_length=100, help_text=_("What the reminder was about, e.g. meeting-12 or 2026-11-23.")
    )
    recipient = models.EmailField(_("recipient"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "recipient"], name="remindersent_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.key} → {self.recipient}"
