"""API of governance bodies, members, meeting series, meetings, agenda, attendance, decisions, tasks and reports.

Reads are scoped by each entity's visibility rule (governance/entities.py); writes go through
the entity's services and are allowed by the `rules` permissions of `municipia.governance.permissions` (creating checks
`add_<model>` against the body, or the meeting for agenda items and attendance; creating a
body checks `add_body` against its plan). Related objects named in a request body are looked
up among those the user may see, so an invisible body answers like a missing one.

Datetimes are ISO 8601. Meeting times are written out in the meeting's own time zone (given
as `time_zone`), with their offset; a time sent without an offset is read in that zone.
"""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as viewset_action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.response import Response

from municipia.api.serializers import (
    HtmlUrlField,
    LinkField,
    entity_fields,
    translated_fields,
    translated_read_only_kwargs,
)
from municipia.api.viewsets import EntityViewSet
from municipia.core.links import reverse_many
from municipia.governance import selectors, services
from municipia.governance.choices import TaskStatus
from municipia.governance.entities import (
    AGENDA_ITEM,
    ATTENDANCE,
    BODY,
    DECISION,
    MEETING,
    MEMBER,
    REPORT,
    SERIES,
    TASK,
)
from municipia.governance.filters import (
    AgendaItemFilter,
    AttendanceFilter,
    BodyFilter,
    BodyMemberFilter,
    DecisionFilter,
    MeetingFilter,
    MeetingSeriesFilter,
    ReportFilter,
    TaskFilter,
)
from municipia.governance.models import (
    AgendaItem,
    Attendance,
    Body,
    BodyInvitation,
    BodyMember,
    Decision,
    Meeting,
    MeetingSeries,
    Report,
    Task,
)
from municipia.governance.recurrence import is_known_time_zone
from municipia.organizations.selectors import organization_list, person_list
from municipia.strategy.entities import ACTION, AXIS, PLAN

FIXED_AFTER_CREATION = _("This cannot be changed once created.")
USE_MOVE = _("Use POST …/move/ to move a meeting, so that its series keeps its slot.")


def _user_of(serializer) -> Any:
    request = serializer.context.get("request")
    return request.user if request is not None else AnonymousUser()


def _zone(name: str | None) -> ZoneInfo | None:
    return ZoneInfo(name) if name and is_known_time_zone(name) else None


def _aware(value: dt.datetime | None, zone_name: str | None) -> dt.datetime | None:
    """A time sent without an offset is read in the given zone (else in the site's)."""
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value, _zone(zone_name) or timezone.get_current_timezone())


def _in_zone(value: dt.datetime | None, zone_name: str) -> str | None:
    if value is None:
        return None
    zone = _zone(zone_name)
    return (value.astimezone(zone) if zone else timezone.localtime(value)).isoformat()


class LocalDateTimeField(serializers.DateTimeField):
    """Keeps a time sent without an offset naive, so the serializer can read it in the right zone."""

    def enforce_timezone(self, value):
        if timezone.is_naive(value):
            return value
        return super().enforce_timezone(value)


class PageField(HtmlUrlField):
    """Link to a governance page by the id in `attribute` (the object's, its body's or meeting's).

    Reversed once per field and language; null while the page does not exist.
    """

    def __init__(self, view_name: str, attribute: str = "pk", **kwargs):
        self.view_name = view_name
        self.attribute = attribute
        super().__init__(page_of=self._page, **kwargs)

    def _page(self, obj) -> str | None:
        value = getattr(obj, self.attribute)
        if value is None:
            return None
        makers = self.__dict__.setdefault("_governance_page_makers", {})
        language = get_language()
        if language not in makers:
            makers[language] = reverse_many(self.view_name)
        return makers[language](value)


class GovernanceSerializer(serializers.ModelSerializer):
    """Base: related choices limited to what the user may see; some fields fixed after creation."""

    # Fields that may be given on creation only (the body, the meeting, the person).
    fixed_fields: tuple[str, ...] = ()
    # Datetime fields written out in the object's time zone (see `zone_of`).
    zoned_fields: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.method in SAFE_METHODS:
            return fields  # reads need no choices
        user = _user_of(self)
        scoped = {
            "plan": lambda: PLAN.visible(user),
            "body": lambda: BODY.visible(user),
            "followed_up_by": lambda: BODY.visible(user),
            "meeting": lambda: MEETING.visible(user).select_related("body__plan", "series"),
            "decision": lambda: DECISION.visible(user),
            "axis": lambda: AXIS.visible(user),
            "action": lambda: ACTION.visible(user),
        }
        for name, queryset in scoped.items():
            field = fields.get(name)
            if field is not None and not field.read_only:
                field.queryset = queryset()
        if "body" in fields and not fields["body"].read_only:
            # The rules need the body's plan.
            fields["body"].queryset = fields["body"].queryset.select_related("plan")
        return fields

    def get_validators(self) -> list:
        return []  # the services validate and name the field

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            changed = [
                name for name in self.fixed_fields if name in attrs and attrs[name] != getattr(self.instance, name)
            ]
            if changed:
                raise serializers.ValidationError({name: [FIXED_AFTER_CREATION] for name in changed})
        return attrs

    def zone_of(self, instance) -> str:
        return instance.time_zone

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.zoned_fields:
            zone_name = self.zone_of(instance)
            for name in self.zoned_fields:
                data[name] = _in_zone(getattr(instance, name), zone_name)
        return data


def _body_field(**kwargs) -> serializers.PrimaryKeyRelatedField:
    kwargs.setdefault("help_text", _("Id of the body; fixed once created."))
    return serializers.PrimaryKeyRelatedField(queryset=Body.objects.none(), **kwargs)


def _person_field(help_text) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(queryset=person_list(), help_text=help_text)


def _organization_field(help_text) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="slug", queryset=organization_list(), required=False, allow_null=True, help_text=help_text
    )


class GovernanceViewSet(EntityViewSet):
    """Governance lists are filtered by their FilterSet; details, updates and actions are not."""

    lookup_value_regex = r"\d+"

    def filter_queryset(self, queryset):
        if self.detail:
            # A FilterSet default (such as leaving out cancelled meetings) must not hide one object.
            return queryset
        return super().filter_queryset(queryset)


# --- Bodies


class BodySerializer(GovernanceSerializer):
    """A steering committee, coordination group, working group or other committee of a plan."""

    fixed_fields = ("plan",)

    url = LinkField(view_name="api:body-detail")
    html_url = PageField("governance:body-detail")
    plan = serializers.SlugRelatedField(
        slug_field="slug", queryset=PLAN.none(), help_text=_("Slug of the plan; fixed once created.")
    )
    axis = serializers.PrimaryKeyRelatedField(
        queryset=AXIS.none(), required=False, allow_null=True, help_text=_("Id of an axis of the same plan.")
    )
    followed_up_by = serializers.PrimaryKeyRelatedField(
        queryset=Body.objects.none(),
        required=False,
        allow_null=True,
        help_text=_("Id of the body of the same plan that follows this one up."),
    )

    class Meta:
        model = Body
        fields = entity_fields(BODY, first=("url", "html_url", "id", "plan", "kind"))
        extra_kwargs = {
            **translated_read_only_kwargs("name", "mandate"),
            "action": {"help_text": _("Id of an action of the same plan.")},
            "time_zone": {"help_text": _("An IANA time zone name, e.g. Europe/Madrid or Europe/Sofia.")},
        }


class BodyViewSet(GovernanceViewSet):
    """Bodies of plans. Anonymous users see public bodies of published plans; members, plan
    editors and site administrators also see private ones."""

    entity = BODY
    serializer_class = BodySerializer
    filterset_class = BodyFilter

    def get_queryset(self):
        return super().get_queryset().select_related("plan")


# --- Members


class BodyMemberSerializer(GovernanceSerializer):
    """A person sitting in a body for a period, representing an organisation in a role."""

    fixed_fields = ("body", "person")

    url = LinkField(view_name="api:bodymember-detail")
    html_url = PageField("governance:body-detail", "body_id")
    body = _body_field()
    person = _person_field(_("Id of the person; fixed once created."))
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    organization = _organization_field(_("Slug of the organisation represented; by default the person's own."))

    class Meta:
        model = BodyMember
        fields = entity_fields(MEMBER, first=("url", "html_url", "id", "body", "person", "person_name"))
        extra_kwargs = {"start_date": {"required": False, "help_text": _("Today when left out.")}}


class BodyInvitationSerializer(serializers.ModelSerializer):
    """A seat offered to a person of another organisation: a membership only once she accepts."""

    url = LinkField(view_name="api:bodyinvitation-detail")
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    membership = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=_("Id of the body member created when the invitation was accepted.")
    )

    class Meta:
        model = BodyInvitation
        fields = (
            "url",
            "id",
            "body",
            "person",
            "person_name",
            "organization",
            "role",
            "start_date",
            "end_date",
            "status",
            "created_at",
            "answered_at",
            "membership",
        )
        read_only_fields = fields


@extend_schema_view(
    create=extend_schema(
        responses={
            201: BodyMemberSerializer,
            202: OpenApiResponse(
                BodyInvitationSerializer,
                description=_(
                    "The person belongs to an organisation you do not edit: nobody is enrolled, she is "
                    "invited (status `pending`, at /api/v1/body-invitations/) and becomes a member when she accepts."
                ),
            ),
        }
    )
)
class BodyMemberViewSet(GovernanceViewSet):
    """Members of bodies. Adding a person of an organisation you do not edit enrols nobody: it
    answers 202 Accepted with a pending invitation (Location: the invitation), which she accepts
    or declines at /api/v1/body-invitations/<id>/accept/ or …/decline/."""

    entity = MEMBER
    serializer_class = BodyMemberSerializer
    filterset_class = BodyMemberFilter

    def get_queryset(self):
        return super().get_queryset().select_related("body__plan", "person", "organization")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        body = self.parent_of(data)
        self.check_object_permissions(request, body)
        result = self.create_object(body, data)
        if isinstance(result, BodyInvitation):
            answer = BodyInvitationSerializer(result, context=self.get_serializer_context()).data
            return Response(answer, status=status.HTTP_202_ACCEPTED, headers={"Location": answer["url"]})
        serializer.instance = self._etag_object = self.refetched(result)
        return Response(
            serializer.data, status=status.HTTP_201_CREATED, headers=self.get_success_headers(serializer.data)
        )


@extend_schema_view(
    accept=extend_schema(request=None, responses=BodyMemberSerializer),
    decline=extend_schema(request=None, responses=BodyInvitationSerializer),
    withdraw=extend_schema(request=None, responses=BodyInvitationSerializer),
)
class BodyInvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Invitations to sit in a body: those addressed to you, and those of the bodies whose plan you
    edit. The person invited accepts (the answer is her new membership) or declines; the body's
    editors withdraw an invitation not yet answered. Answering twice is a 400."""

    serializer_class = BodyInvitationSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"\d+"
    filterset_class = None
    filter_backends: list = []

    def get_queryset(self):
        return selectors.invitations_visible_to(self.request.user).order_by("-created_at", "-id")

    def _own(self) -> BodyInvitation:
        invitation = self.get_object()
        if invitation.person.user_id != self.request.user.pk:
            raise PermissionDenied(_("Only the person invited answers an invitation."))
        return invitation

    @viewset_action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The person invited takes the seat; the answer is her membership (201)."""
        member = services.invitation_accept(acting_user=request.user, invitation=self._own())
        member = MEMBER.visible(request.user).select_related("body__plan", "person", "organization").get(pk=member.pk)
        data = BodyMemberSerializer(member, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @viewset_action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """The person invited says no; nothing is created."""
        invitation = services.invitation_decline(acting_user=request.user, invitation=self._own())
        return Response(self.get_serializer(invitation).data)

    @viewset_action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The body's editors take back an invitation not yet answered."""
        invitation = self.get_object()
        if not request.user.has_perm("governance.add_bodymember", invitation.body):
            raise PermissionDenied
        invitation = services.invitation_withdraw(acting_user=request.user, invitation=invitation)
        return Response(self.get_serializer(invitation).data)


# --- Meeting series


class MeetingSeriesSerializer(GovernanceSerializer):
    """Meetings of a body that recur by an RFC 5545 rule; creating a series creates its meetings."""

    fixed_fields = ("body",)
    zoned_fields = ("first_start",)

    url = LinkField(view_name="api:meetingseries-detail")
    html_url = PageField("governance:body-detail", "body_id")
    body = _body_field()
    first_start = LocalDateTimeField(
        help_text=_("The first meeting's start; without an offset it is read in the series' time zone.")
    )
    meeting_count = serializers.IntegerField(read_only=True, help_text=_("How many meetings the series has."))

    class Meta:
        model = MeetingSeries
        fields = entity_fields(SERIES, first=("url", "html_url", "id", "body"), last=("meeting_count",))
        extra_kwargs = {
            **translated_read_only_kwargs("title"),
            "time_zone": {"required": False, "help_text": _("An IANA time zone name; the body's when left out.")},
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is not None and "first_start" in attrs:
            # A new series reads a time without offset in its own zone (the service does); a
            # changed one in the zone it is given now, else the one it had.
            attrs["first_start"] = _aware(attrs["first_start"], attrs.get("time_zone") or self.instance.time_zone)
        return attrs


class MeetingSeriesViewSet(GovernanceViewSet):
    """Recurring meeting series. Creating one materialises its meetings over the plan's period;
    single meetings are then moved or cancelled on /meetings/. Changing a series changes its
    meetings still to come (a new rule, first start, time zone or holiday policy replaces the
    future meetings nobody has worked on); deleting it deletes those and keeps the others as
    single meetings."""

    entity = SERIES
    serializer_class = MeetingSeriesSerializer
    filterset_class = MeetingSeriesFilter

    def get_queryset(self):
        return super().get_queryset().select_related("body__plan").annotate(meeting_count=Count("meetings"))


# --- Meetings


class MeetingSerializer(GovernanceSerializer):
    """One meeting of a body, with its minutes; times in the meeting's time zone."""

    fixed_fields = ("body",)
    zoned_fields = ("starts_at", "ends_at", "original_start")

    url = LinkField(view_name="api:meeting-detail")
    html_url = PageField("governance:meeting-detail")
    body = _body_field()
    starts_at = LocalDateTimeField(help_text=_("Without an offset it is read in the body's time zone."))
    ends_at = LocalDateTimeField(help_text=_("Without an offset it is read in the body's time zone."))
    time_zone = serializers.CharField(read_only=True, help_text=_("The time zone the meeting is held in."))
    is_moved = serializers.BooleanField(read_only=True, help_text=_("Moved away from its series' slot."))
    minutes_approved_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Meeting
        fields = [
            "url",
            "html_url",
            "id",
            "body",
            "series",
            *translated_fields("title"),
            "starts_at",
            "ends_at",
            "time_zone",
            "original_start",
            "is_moved",
            "is_cancelled",
            "place",
            "online_url",
            "minutes",
            "minutes_status",
            "minutes_approved_by",
            "minutes_approved_at",
        ]
        read_only_fields = [
            "series",
            "original_start",
            "is_cancelled",
            "minutes_status",
            "minutes_approved_at",
        ]
        extra_kwargs = {
            **translated_read_only_kwargs("title"),
            "is_cancelled": {"help_text": _("Changed with POST …/cancel/.")},
            "minutes_status": {"help_text": _("Changed with POST …/approve-minutes/.")},
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        zone_name = attrs["body"].time_zone if self.instance is None else self.instance.time_zone
        for name in ("starts_at", "ends_at"):
            if name in attrs:
                attrs[name] = _aware(attrs[name], zone_name)
        if self.instance is not None and "minutes" in attrs and attrs["minutes"] == self.instance.minutes:
            attrs.pop("minutes")  # a full update repeating the minutes does not change them
        if self.instance is not None:
            moved = [
                name
                for name in ("starts_at", "ends_at")
                if name in attrs and attrs[name] != getattr(self.instance, name)
            ]
            if moved:
                raise serializers.ValidationError({name: [USE_MOVE] for name in moved})
        return attrs


class MeetingMoveSerializer(serializers.Serializer):
    """A new start (and end) for one meeting; its series keeps the original slot."""

    starts_at = LocalDateTimeField(help_text=_("Without an offset it is read in the meeting's time zone."))
    ends_at = LocalDateTimeField(
        required=False, help_text=_("By default the start plus the meeting's current duration.")
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class MeetingCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class MinutesReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=80, help_text=_("Why the approved minutes must change."))


@extend_schema_view(
    move=extend_schema(request=MeetingMoveSerializer, responses=MeetingSerializer),
    cancel=extend_schema(request=MeetingCancelSerializer, responses=MeetingSerializer),
    approve_minutes=extend_schema(request=None, responses=MeetingSerializer),
    reopen_minutes=extend_schema(request=MinutesReopenSerializer, responses=MeetingSerializer),
)
class MeetingViewSet(GovernanceViewSet):
    """Meetings of bodies, with their minutes. The list leaves out cancelled meetings unless
    `include_cancelled=true`. Approved minutes are frozen for everyone (400 naming `minutes`) until
    a site administrator reopens them with POST …/reopen-minutes/. A meeting with decisions or
    approved minutes is not deleted (400)."""

    entity = MEETING
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    rules_actions = {
        "move": "change",
        "cancel": "change",
        "approve_minutes": "governance.approve_minutes",
        "reopen_minutes": "governance.reopen_minutes",
    }

    def get_queryset(self):
        return super().get_queryset().select_related("body__plan", "series", "minutes_approved_by")

    def perform_update(self, serializer) -> None:
        # Changing the minutes is the minutes page's permission, checked before the service as
        # there (403): approved minutes are frozen until a site administrator reopens them.
        if "minutes" in serializer.validated_data and not self.request.user.has_perm(
            "governance.change_minutes", serializer.instance
        ):
            raise PermissionDenied
        super().perform_update(serializer)

    def _answer(self, meeting: Meeting) -> Response:
        return Response(self.get_serializer(self.refetched(meeting)).data)

    @viewset_action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Moves one meeting; an occurrence of a series remembers its slot."""
        meeting = self.get_object()
        serializer = MeetingMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.meeting_move(
            acting_user=request.user,
            meeting=meeting,
            starts_at=_aware(data["starts_at"], meeting.time_zone),
            ends_at=_aware(data.get("ends_at"), meeting.time_zone),
            reason=data["reason"],
        )
        return self._answer(meeting)

    @viewset_action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancels one meeting; it stays in the calendar feeds as cancelled."""
        return self._with_reason(request, MeetingCancelSerializer, services.meeting_cancel)

    @viewset_action(detail=True, methods=["post"], url_path="approve-minutes")
    def approve_minutes(self, request, pk=None):
        """Approves the meeting's minutes, which are then frozen."""
        meeting = self.get_object()
        services.minutes_approve(acting_user=request.user, meeting=meeting)
        return self._answer(meeting)

    @viewset_action(detail=True, methods=["post"], url_path="reopen-minutes")
    def reopen_minutes(self, request, pk=None):
        """Site administrators only: turns approved minutes back into a draft, recording who and why."""
        return self._with_reason(request, MinutesReopenSerializer, services.minutes_reopen)

    def _with_reason(self, request, serializer_class: type[serializers.Serializer], service) -> Response:
        """A state change of the meeting that takes only a reason (cancelling, reopening the minutes)."""
        meeting = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        service(acting_user=request.user, meeting=meeting, reason=serializer.validated_data["reason"])
        return self._answer(meeting)


# --- Agenda


class AgendaItemSerializer(GovernanceSerializer):
    """An item of a meeting's agenda, in order."""

    fixed_fields = ("meeting",)

    url = LinkField(view_name="api:agendaitem-detail")
    html_url = PageField("governance:meeting-detail", "meeting_id")
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.none(), help_text=_("Id of the meeting; fixed once created.")
    )
    body = serializers.IntegerField(source="meeting.body_id", read_only=True, help_text=_("Id of the body."))
    presenter = serializers.PrimaryKeyRelatedField(
        queryset=person_list(), required=False, allow_null=True, help_text=_("Id of the person presenting it.")
    )

    class Meta:
        model = AgendaItem
        fields = entity_fields(AGENDA_ITEM, first=("url", "html_url", "id", "meeting", "body", "position"))
        extra_kwargs = {
            **translated_read_only_kwargs("title"),
            "position": {"required": False, "help_text": _("Last when left out.")},
            "action": {"help_text": _("Id of an action of the body's plan.")},
        }


class AgendaItemViewSet(GovernanceViewSet):
    """Agenda items of meetings."""

    entity = AGENDA_ITEM
    serializer_class = AgendaItemSerializer
    filterset_class = AgendaItemFilter

    def get_queryset(self):
        return super().get_queryset().select_related("meeting__body__plan")


# --- Attendance


class AttendanceSerializer(GovernanceSerializer):
    """Whether a member attended a meeting, and for which organisation."""

    fixed_fields = ("meeting", "person")

    url = LinkField(view_name="api:attendance-detail")
    html_url = PageField("governance:meeting-detail", "meeting_id")
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.none(), help_text=_("Id of the meeting; fixed once created.")
    )
    person = _person_field(_("Id of a member of the body; fixed once created."))
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    organization = _organization_field(_("Slug of the organisation represented; by default the member's."))

    class Meta:
        model = Attendance
        fields = entity_fields(ATTENDANCE, first=("url", "html_url", "id", "meeting", "person", "person_name"))


class AttendanceViewSet(GovernanceViewSet):
    """Attendance of meetings. Recording a person again updates their row."""

    entity = ATTENDANCE
    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilter

    def get_queryset(self):
        return super().get_queryset().select_related("meeting__body__plan", "person", "organization")


# --- Decisions


class DecisionSerializer(GovernanceSerializer):
    """A decision in a body's register, numbered by the body."""

    fixed_fields = ("body",)

    url = LinkField(view_name="api:decision-detail")
    html_url = PageField("governance:body-detail", "body_id")
    body = _body_field()
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.none(),
        required=False,
        allow_null=True,
        help_text=_("Id of the meeting of the same body where it was taken."),
    )

    class Meta:
        model = Decision
        fields = entity_fields(DECISION, first=("url", "html_url", "id", "body", "number", "meeting"))
        read_only_fields = ["number"]
        extra_kwargs = {
            **translated_read_only_kwargs("text"),
            "number": {"help_text": _("1, 2, 3… per body, given when recorded.")},
            "action": {"help_text": _("Id of an action of the body's plan.")},
        }


class DecisionViewSet(GovernanceViewSet):
    """The register of decisions of each body. A decision that tasks follow up, or taken at a
    meeting whose minutes are approved, is not deleted (400)."""

    entity = DECISION
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter

    def get_queryset(self):
        return super().get_queryset().select_related("body__plan")


# --- Tasks


class TaskSerializer(GovernanceSerializer):
    """A follow-up task of a body, owned by one of its members."""

    fixed_fields = ("body",)

    url = LinkField(view_name="api:task-detail")
    html_url = PageField("governance:body-detail", "body_id")
    body = _body_field()
    owner = _person_field(_("Id of a member of the body."))
    owner_name = serializers.CharField(source="owner.full_name", read_only=True)
    decision = serializers.PrimaryKeyRelatedField(
        queryset=Decision.objects.none(),
        required=False,
        allow_null=True,
        help_text=_("Id of the decision of the same body it follows up."),
    )
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.none(),
        required=False,
        allow_null=True,
        help_text=_("Id of the meeting of the same body where the task was set."),
    )
    is_overdue = serializers.SerializerMethodField(help_text=_("Open and past its due date."))

    class Meta:
        model = Task
        fields = [
            "url",
            "html_url",
            "id",
            "body",
            *translated_fields("title"),
            "owner",
            "owner_name",
            "due_date",
            "status",
            "is_overdue",
            "meeting",
            "decision",
            "action",
        ]
        extra_kwargs = {
            **translated_read_only_kwargs("title"),
            "action": {"help_text": _("Id of an action of the body's plan.")},
        }

    def get_is_overdue(self, task: Task) -> bool:
        today = self.context.setdefault("today", timezone.localdate())
        return task.status == TaskStatus.OPEN and task.due_date < today


class TaskViewSet(GovernanceViewSet):
    """Follow-up tasks; `overdue=true` lists open tasks past their due date."""

    entity = TASK
    serializer_class = TaskSerializer
    filterset_class = TaskFilter

    def get_queryset(self):
        return super().get_queryset().select_related("body__plan", "owner")


# --- Reports


class ReportSerializer(GovernanceSerializer):
    """A status report a body files to the body that follows it up."""

    fixed_fields = ("body",)

    url = LinkField(view_name="api:report-detail")
    html_url = PageField("governance:body-detail", "body_id")
    body = _body_field(help_text=_("Id of the reporting body; fixed once created."))
    filed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Report
        fields = entity_fields(
            REPORT,
            first=("url", "html_url", "id", "body", "addressed_to", "period_start", "period_end", "progress_percent"),
            last=("filed_by", "created_at"),
        )
        read_only_fields = ["addressed_to", "created_at"]
        extra_kwargs = {
            **translated_read_only_kwargs("progress", "issues", "next_steps"),
            "addressed_to": {"help_text": _("The body that followed up the reporting body when it was filed.")},
        }


class ReportViewSet(GovernanceViewSet):
    """Status reports, seen by whoever sees the reporting body or the body it is addressed to."""

    entity = REPORT
    serializer_class = ReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self):
        return super().get_queryset().select_related("body__plan", "filed_by")
