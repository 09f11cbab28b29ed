"""URLs of the strategy pages (names are used by get_absolute_url and by the benchmarks)."""

from django.urls import path

from municipia.strategy import views

app_name = "strategy"
urlpatterns = [
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan-create"),
    path("plans/<slug:slug>/", views.plan_detail, name="plan-detail"),
    path("plans/<slug:slug>/edit/", views.PlanUpdateView.as_view(), name="plan-update"),
    path("plans/<slug:slug>/status/", views.PlanStatusView.as_view(), name="plan-status"),
    path("plans/<slug:slug>/delete/", views.PlanDeleteView.as_view(), name="plan-delete"),
    path("plans/<slug:slug>/changes/", views.plan_changes, name="plan-changes"),
    path("plans/<slug:slug>/history/", views.PlanHistoryView.as_view(), name="plan-history"),
    path("plans/<slug:slug>/axes/new/", views.AxisCreateView.as_view(), name="axis-create"),
    path("plans/<slug:slug>/actions/new/", views.ActionCreateView.as_view(), name="action-create"),
    path("axes/<int:pk>/edit/", views.AxisUpdateView.as_view(), name="axis-update"),
    path("axes/<int:pk>/delete/", views.AxisDeleteView.as_view(), name="axis-delete"),
    path("axes/<int:pk>/challenges/new/", views.ChallengeCreateView.as_view(), name="challenge-create"),
    path("axes/<int:pk>/objectives/new/", views.ObjectiveCreateView.as_view(), name="objective-create"),
    path("challenges/<int:pk>/edit/", views.ChallengeUpdateView.as_view(), name="challenge-update"),
    path("challenges/<int:pk>/delete/", views.ChallengeDeleteView.as_view(), name="challenge-delete"),
    path("objectives/<int:pk>/edit/", views.ObjectiveUpdateView.as_view(), name="objective-update"),
    path("objectives/<int:pk>/delete/", views.ObjectiveDeleteView.as_view(), name="objective-delete"),
    path("actions/", views.action_list_view, name="action-list"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("actions/<int:pk>/edit/", views.ActionUpdateView.as_view(), name="action-update"),
    path("actions/<int:pk>/delete/", views.ActionDeleteView.as_view(), name="action-delete"),
    path("actions/<int:pk>/milestones/new/", views.MilestoneCreateView.as_view(), name="milestone-create"),
    path("milestones/<int:pk>/edit/", views.MilestoneUpdateView.as_view(), name="milestone-update"),
    path("milestones/<int:pk>/delete/", views.MilestoneDeleteView.as_view(), name="milestone-delete"),
]
