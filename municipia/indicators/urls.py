"""URLs of the indicator pages."""

from django.urls import path

from municipia.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_list_view, name="indicator-list"),
    path("<int:pk>/", views.indicator_detail, name="indicator-detail"),
    path("<int:pk>/benchmark/<slug:network>/", views.indicator_benchmark, name="indicator-benchmark"),
    path("plans/<slug:slug>/dashboard/", views.plan_dashboard, name="plan-dashboard"),
    path("import/", views.ObservationUploadView.as_view(), name="observation-import"),
    path("import/<uuid:pk>/", views.ObservationImportPreviewView.as_view(), name="observation-import-preview"),
]
