"""URLs of the alignment pages (under the language prefix, /<lang>/alignment/…)."""

from django.urls import path

from municipia.alignment import views
from municipia.alignment.entities import FRAMEWORK, FRAMEWORK_ITEM
from municipia.core.entity_views import EntityCreateView, EntityDeleteView, EntityUpdateView, entity_paths

# Frameworks are named by code (`<str:slug>` is the entity pages' name for it); items keep their
# old URL names (`item-*`, not `frameworkitem-*`), so their generic views are routed by hand.
ITEM_FORM = FRAMEWORK_ITEM.service("form")

app_name = "alignment"
urlpatterns = [
    path("frameworks/", views.framework_list, name="framework-list"),
    path("frameworks/new/", views.FrameworkCreateView.as_view(), name="framework-create"),
    path("frameworks/<str:code>/", views.framework_detail, name="framework-detail"),
    *entity_paths(FRAMEWORK, item="frameworks/<str:slug>/", views=("update",)),
    path(
        "frameworks/<str:slug>/delete/",
        EntityDeleteView.as_view(entity=FRAMEWORK),
        name="framework-delete",
    ),
    path(
        "frameworks/<str:slug>/items/new/",
        EntityCreateView.as_view(entity=FRAMEWORK_ITEM, parent_entity=FRAMEWORK, form_class=ITEM_FORM),
        name="item-create",
    ),
    path(
        "items/<int:pk>/edit/",
        EntityUpdateView.as_view(entity=FRAMEWORK_ITEM, form_class=ITEM_FORM),
        name="item-update",
    ),
    path("items/<int:pk>/delete/", EntityDeleteView.as_view(entity=FRAMEWORK_ITEM), name="item-delete"),
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
