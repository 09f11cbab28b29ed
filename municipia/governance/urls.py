"""Governance pages, under the language prefix (names are used by templates, tests and other apps)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy

from municipia.core.entities import Entity
from municipia.core.entity_views import entity_paths
from municipia.governance import views
from municipia.governance.entities import AGENDA_ITEM, BODY, DECISION, MEETING, MEMBER, REPORT, SERIES, TASK
from municipia.governance.forms import DecisionForm, TaskForm
from municipia.strategy.entities import PLAN

app_name = "governance"


def _pages(
    entity: Entity,
    name: str,
    *,
    item: str,
    create: str | None = None,
    parent: Entity | None = None,
    views_of_entity: tuple[str, ...] = ("create", "update"),
    delete_view: type[views.GovernanceDeleteView] | None = views.GovernanceDeleteView,
) -> list[URLPattern]:
    """An entity's create and edit pages (core.entity_views) and its delete page, under the URL
    names this app has always used (`member-create`, not `bodymember-create`).

    The delete page is governance's own: it says what else a delete takes with it and shows a
    service's refusal on the page.
    """
    patterns = entity_paths(
        entity, item=item, create=create, parent=parent, views=views_of_entity, template_name=views.FORM_TEMPLATE
    )
    if delete_view is not None:
        consequences = views.DELETE_CONSEQUENCES.get(entity, "")
        view = delete_view.as_view(entity=entity, consequences=consequences)
        patterns.append(path(f"{item}delete/", view, name=f"{entity.model_name}-delete"))
    for pattern in patterns:
        pattern.name = (pattern.name or "").replace(entity.model_name, name, 1)
    return patterns


urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("me/", views.my_governance, name="my-governance"),
    path("me/calendar-address/new/", views.calendar_token_issue, name="calendar-token-issue"),
    path("me/calendar-address/revoke/", views.calendar_token_revoke, name="calendar-token-revoke"),
    path("plans/<slug:slug>/", views.plan_bodies, name="plan-bodies"),
    *_pages(BODY, "body", create="plans/<slug:slug>/bodies/new/", item="bodies/<int:pk>/", parent=PLAN),
    path("bodies/<int:pk>/", views.body_detail, name="body-detail"),
    # Adding a member may invite instead (a person of another organisation): its own create view.
    path(
        "bodies/<int:pk>/members/new/",
        views.MemberCreateView.as_view(entity=MEMBER, parent_entity=BODY, form_class=MEMBER.service("form")),
        name="member-create",
    ),
    *_pages(MEMBER, "member", item="members/<int:pk>/", parent=BODY),
    path("invitations/<int:pk>/accept/", views.invitation_accept, name="invitation-accept"),
    path("invitations/<int:pk>/decline/", views.invitation_decline, name="invitation-decline"),
    path("invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation-withdraw"),
    path("members/<int:pk>/end/", views.MemberEndView.as_view(), name="member-end"),
    path(
        "bodies/<int:pk>/series/new/",
        views.SeriesCreateView.as_view(entity=SERIES, parent_entity=BODY, form_class=SERIES.service("form")),
        name="series-create",
    ),
    *_pages(SERIES, "series", item="series/<int:pk>/", views_of_entity=("update",), delete_view=views.SeriesDeleteView),
    *_pages(MEETING, "meeting", create="bodies/<int:pk>/meetings/new/", item="meetings/<int:pk>/", parent=BODY),
    path(
        "bodies/<int:pk>/decisions/new/",
        views.DecisionCreateView.as_view(entity=DECISION, parent_entity=BODY, form_class=DECISION.service("form")),
        name="decision-create",
    ),
    *_pages(DECISION, "decision", item="decisions/<int:pk>/", views_of_entity=("update",)),
    *_pages(TASK, "task", create="bodies/<int:pk>/tasks/new/", item="tasks/<int:pk>/", parent=BODY),
    *_pages(REPORT, "report", create="bodies/<int:pk>/reports/new/", item="reports/<int:pk>/", parent=BODY),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/move/", views.MeetingMoveView.as_view(), name="meeting-move"),
    path("meetings/<int:pk>/cancel/", views.MeetingCancelView.as_view(), name="meeting-cancel"),
    path("meetings/<int:pk>/minutes/", views.MinutesUpdateView.as_view(), name="minutes-update"),
    path("meetings/<int:pk>/minutes/approve/", views.MinutesApproveView.as_view(), name="minutes-approve"),
    path("meetings/<int:pk>/minutes/reopen/", views.MinutesReopenView.as_view(), name="minutes-reopen"),
    path("meetings/<int:pk>/attendance/", views.AttendanceRecordView.as_view(), name="attendance-record"),
    *_pages(
        AGENDA_ITEM,
        "agenda-item",
        create="meetings/<int:pk>/agenda/new/",
        item="agenda-items/<int:pk>/",
        parent=MEETING,
    ),
    path(
        "meetings/<int:pk>/decisions/new/",
        views.MeetingFormCreateView.as_view(
            entity=DECISION,
            form_class=DecisionForm,
            prefix="decision",
            anchor="#decisions",
            title=gettext_lazy("Record a decision"),
        ),
        name="meeting-decision-create",
    ),
    path(
        "meetings/<int:pk>/tasks/new/",
        views.MeetingFormCreateView.as_view(
            entity=TASK, form_class=TaskForm, prefix="task", anchor="#tasks", title=gettext_lazy("Add task")
        ),
        name="meeting-task-create",
    ),
]
