"""URLs of the alignment pages (under the language prefix, /<lang>/alignment/…)."""

from django.urls import path

from municipia.alignment import views

app_name = "alignment"
urlpatterns = [
    path("frameworks/", views.framework_list, name="framework-list"),
    path("frameworks/new/", views.FrameworkCreateView.as_view(), name="framework-create"),
    path("frameworks/<str:code>/", views.framework_detail, name="framework-detail"),
    path("frameworks/<str:code>/edit/", views.FrameworkUpdateView.as_view(), name="framework-update"),
    path("frameworks/<str:code>/delete/", views.FrameworkDeleteView.as_view(), name="framework-delete"),
    path("frameworks/<str:code>/items/new/", views.FrameworkItemCreateView.as_view(), name="item-create"),
    path("items/<int:pk>/edit/", views.FrameworkItemUpdateView.as_view(), name="item-update"),
    path("items/<int:pk>/delete/", views.FrameworkItemDeleteView.as_view(), name="item-delete"),
    path("items/<int:pk>/local-targets/new/", views.LocalTargetCreateView.as_view(), name="local-target-create"),
    path("plans/<slug:slug>/", views.plan_alignments, name="plan-alignments"),
    path("plans/<slug:slug>/frameworks/add/", views.PlanFrameworkAddView.as_view(), name="plan-framework-add"),
    path(
        "plans/<slug:slug>/frameworks/<int:pk>/remove/",
        views.PlanFrameworkRemoveView.as_view(),
        name="plan-framework-remove",
    ),
    path("plans/<slug:slug>/coverage/", views.plan_coverage, name="plan-coverage"),
    path("plans/<slug:slug>/coverage.csv", views.plan_coverage_csv, name="plan-coverage-csv"),
    path("plans/<slug:slug>/local-review/", views.plan_review, name="plan-review"),
    path("plans/<slug:slug>/local-review.pdf", views.plan_review_pdf, name="plan-review-pdf"),
    path("networks/<slug:slug>/coverage/", views.network_coverage, name="network-coverage"),
    path("networks/<slug:slug>/coverage.csv", views.network_coverage_csv, name="network-coverage-csv"),
    path("elements/<str:kind>/<int:pk>/align/", views.AlignmentCreateView.as_view(), name="alignment-create"),
    path("alignments/<int:pk>/edit/", views.AlignmentUpdateView.as_view(), name="alignment-update"),
    path("alignments/<int:pk>/delete/", views.AlignmentDeleteView.as_view(), name="alignment-delete"),
    path(
        "actions/<int:pk>/suggestions/accept/",
        views.SuggestionAnswerView.as_view(accept=True),
        name="suggestion-accept",
    ),
    path(
        "actions/<int:pk>/suggestions/reject/",
        views.SuggestionAnswerView.as_view(accept=False),
        name="suggestion-reject",
    ),
    path(
        "indicators/<int:pk>/suggestions/accept/",
        views.SuggestionAnswerView.as_view(accept=True, kind="indicator"),
        name="indicator-suggestion-accept",
    ),
    path(
        "indicators/<int:pk>/suggestions/reject/",
        views.SuggestionAnswerView.as_view(accept=False, kind="indicator"),
        name="indicator-suggestion-reject",
    ),
]
