"""Reads of governance bodies and meetings, scoped to what the user may see, in fixed queries."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from municipia.core.i18n import language_codes
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
from municipia.organizations.permissions import editable_organization_ids
from municipia.strategy.selectors import plans_visible_to


def bodies_visible_to(user) -> QuerySet[Body]:
    """Public bodies of visible plans; current members, plan editors and site admins also see the others.

    The same answer as the `governance.view_body` rule, as one query.
    """
    bodies = Body.objects.all()
    if user.is_authenticated and user.is_superuser:
        return bodies
    public = Q(is_public=True, plan__in=plans_visible_to(user))
    if not user.is_authenticated:
        return bodies.filter(public)
    today = timezone.localdate()
    current_member = Exists(
        BodyMember.objects.filter(body_id=OuterRef("pk"), person__user_id=user.pk, start_date__lte=today).exclude(
            end_date__lt=today
        )
    )
    return bodies.filter(public | Q(plan__owner_id__in=editable_organization_ids(user)) | current_member)


def body_get(user, *, pk: int) -> Body:
    """A body by id, or 404 alike for missing and forbidden."""
    try:
        return bodies_visible_to(user).select_related("plan").get(pk=pk)
    except (Body.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def members_visible_to(user) -> QuerySet[BodyMember]:
    return BodyMember.objects.filter(body__in=bodies_visible_to(user))


def series_visible_to(user) -> QuerySet[MeetingSeries]:
    return MeetingSeries.objects.filter(body__in=bodies_visible_to(user))


def meetings_visible_to(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(body__in=bodies_visible_to(user))


def agenda_items_visible_to(user) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting__body__in=bodies_visible_to(user))


def attendances_visible_to(user) -> QuerySet[Attendance]:
    return Attendance.objects.filter(meeting__body__in=bodies_visible_to(user))


def decisions_visible_to(user) -> QuerySet[Decision]:
    return Decision.objects.filter(body__in=bodies_visible_to(user))


def tasks_visible_to(user) -> QuerySet[Task]:
    return Task.objects.filter(body__in=bodies_visible_to(user))


def reports_visible_to(user) -> QuerySet[Report]:
    """Reports of bodies the user sees, and reports addressed to bodies the user sees."""
    visible = bodies_visible_to(user)
    return Report.objects.filter(Q(body__in=visible) | Q(addressed_to__in=visible))


def body_calendar_meetings(body: Body) -> QuerySet[Meeting]:
    """Every meeting of a body with what its calendar entry shows, in one query."""
    return (
        Meeting.objects.filter(body=body)
        .select_related("series")
        .only(
            "id",
            "body_id",
            "series",
            "series__time_zone",
            "starts_at",
            "ends_at",
            "is_cancelled",
            "place",
            "online_url",
            "updated_at",
            "created_at",
            *(f"title_{code}" for code in language_codes()),
            "title",
        )
        .order_by("starts_at", "id")
    )
