"""URLs of the strategy pages (names are used by get_absolute_url and by the benchmarks).

Create, edit and delete pages are the entities' generic ones (core.entity_views); plan creation
(its owner comes from `?owner=`) and the status change are this app's own views.
"""

from django.urls import path, re_path

from municipia.core.entity_views import entity_paths
from municipia.strategy import embed_views, views
from municipia.strategy.entities import ACTION, ACTION_PARTNER, AXIS, CHALLENGE, MILESTONE, OBJECTIVE, PLAN

app_name = "strategy"
urlpatterns = [
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan-create"),
    path("plans/<slug:slug>/", views.plan_detail, name="plan-detail"),
    *entity_paths(PLAN, item="plans/<slug:slug>/", views=("update", "delete")),
    path("plans/<slug:slug>/status/", views.PlanStatusView.as_view(), name="plan-status"),
    path("plans/<slug:slug>/changes/", views.plan_changes, name="plan-changes"),
    path("plans/<slug:slug>/progress-update/", views.PlanBulkUpdateView.as_view(), name="plan-progress-upload"),
    re_path(
        r"^plans/(?P<slug>[-\w]+)/progress-update/template\.(?P<fmt>csv|xlsx)$",
        views.PlanBulkTemplateView.as_view(),
        name="plan-bulk-template",
    ),
    path("plans/<slug:slug>/history/", views.PlanHistoryView.as_view(), name="plan-history"),
    *entity_paths(AXIS, item="axes/<int:pk>/", create="plans/<slug:slug>/axes/new/", parent=PLAN),
    *entity_paths(ACTION, item="actions/<int:pk>/", create="plans/<slug:slug>/actions/new/", parent=PLAN),
    *entity_paths(CHALLENGE, item="challenges/<int:pk>/", create="axes/<int:pk>/challenges/new/", parent=AXIS),
    *entity_paths(OBJECTIVE, item="objectives/<int:pk>/", create="axes/<int:pk>/objectives/new/", parent=AXIS),
    path("actions/", views.action_list_view, name="action-list"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    *entity_paths(MILESTONE, item="milestones/<int:pk>/", create="actions/<int:pk>/milestones/new/", parent=ACTION),
    *entity_paths(
        ACTION_PARTNER, item="action-partners/<int:pk>/", create="actions/<int:pk>/partners/new/", parent=ACTION
    ),
    # Cards other websites may show in a frame (the only pages that allow it).
    path("embed/plans/<slug:slug>/", embed_views.plan_card, name="embed-plan"),
    path("embed/organizations/<slug:slug>/", embed_views.participations_card, name="embed-participations"),
]
