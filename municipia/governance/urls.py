"""Governance pages, under the language prefix (names are used by templates, tests and other apps)."""

from django.urls import path

from municipia.governance import views

app_name = "governance"

urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("me/", views.my_governance, name="my-governance"),
    path("me/calendar-address/new/", views.calendar_token_issue, name="calendar-token-issue"),
    path("me/calendar-address/revoke/", views.calendar_token_revoke, name="calendar-token-revoke"),
    path("plans/<slug:slug>/", views.plan_bodies, name="plan-bodies"),
    path("plans/<slug:slug>/bodies/new/", views.BodyCreateView.as_view(), name="body-create"),
    path("bodies/<int:pk>/", views.body_detail, name="body-detail"),
    path("bodies/<int:pk>/edit/", views.BodyUpdateView.as_view(), name="body-update"),
    path("bodies/<int:pk>/delete/", views.BodyDeleteView.as_view(), name="body-delete"),
    path("bodies/<int:pk>/members/new/", views.MemberCreateView.as_view(), name="member-create"),
    path("bodies/<int:pk>/series/new/", views.SeriesCreateView.as_view(), name="series-create"),
    path("bodies/<int:pk>/meetings/new/", views.MeetingCreateView.as_view(), name="meeting-create"),
    path("bodies/<int:pk>/decisions/new/", views.DecisionCreateView.as_view(), name="decision-create"),
    path("bodies/<int:pk>/tasks/new/", views.TaskCreateView.as_view(), name="task-create"),
    path("bodies/<int:pk>/reports/new/", views.ReportCreateView.as_view(), name="report-create"),
    path("members/<int:pk>/edit/", views.MemberUpdateView.as_view(), name="member-update"),
    path("members/<int:pk>/end/", views.MemberEndView.as_view(), name="member-end"),
    path("members/<int:pk>/delete/", views.MemberDeleteView.as_view(), name="member-delete"),
    path("series/<int:pk>/edit/", views.SeriesUpdateView.as_view(), name="series-update"),
    path("series/<int:pk>/delete/", views.SeriesDeleteView.as_view(), name="series-delete"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.MeetingUpdateView.as_view(), name="meeting-update"),
    path("meetings/<int:pk>/delete/", views.MeetingDeleteView.as_view(), name="meeting-delete"),
    path("meetings/<int:pk>/move/", views.MeetingMoveView.as_view(), name="meeting-move"),
    path("meetings/<int:pk>/cancel/", views.MeetingCancelView.as_view(), name="meeting-cancel"),
    path("meetings/<int:pk>/minutes/", views.MinutesUpdateView.as_view(), name="minutes-update"),
    path("meetings/<int:pk>/minutes/approve/", views.MinutesApproveView.as_view(), name="minutes-approve"),
    path("meetings/<int:pk>/minutes/reopen/", views.MinutesReopenView.as_view(), name="minutes-reopen"),
    path("meetings/<int:pk>/attendance/", views.AttendanceRecordView.as_view(), name="attendance-record"),
    path("meetings/<int:pk>/agenda/new/", views.AgendaItemCreateView.as_view(), name="agenda-item-create"),
    path("meetings/<int:pk>/decisions/new/", views.MeetingDecisionCreateView.as_view(), name="meeting-decision-create"),
    path("meetings/<int:pk>/tasks/new/", views.MeetingTaskCreateView.as_view(), name="meeting-task-create"),
    path("agenda-items/<int:pk>/edit/", views.AgendaItemUpdateView.as_view(), name="agenda-item-update"),
    path("agenda-items/<int:pk>/delete/", views.AgendaItemDeleteView.as_view(), name="agenda-item-delete"),
    path("decisions/<int:pk>/edit/", views.DecisionUpdateView.as_view(), name="decision-update"),
    path("decisions/<int:pk>/delete/", views.DecisionDeleteView.as_view(), name="decision-delete"),
    path("tasks/<int:pk>/edit/", views.TaskUpdateView.as_view(), name="task-update"),
    path("tasks/<int:pk>/delete/", views.TaskDeleteView.as_view(), name="task-delete"),
    path("reports/<int:pk>/edit/", views.ReportUpdateView.as_view(), name="report-update"),
    path("reports/<int:pk>/delete/", views.ReportDeleteView.as_view(), name="report-delete"),
]
