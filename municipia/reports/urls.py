"""URLs of the reports: plan downloads, status reports, report jobs and network benchmarking."""

from django.urls import path, re_path

from municipia.reports import views

app_name = "reports"
urlpatterns = [
    re_path(r"^plans/(?P<slug>[-\w]+)/export\.(?P<fmt>csv|xlsx|json|xml)$", views.plan_export, name="plan-export"),
    re_path(r"^plans/(?P<slug>[-\w]+)/status\.(?P<fmt>pdf|xlsx)$", views.plan_status_report, name="plan-status-report"),
    path("plans/<slug:slug>/status-jobs/", views.plan_status_job, name="plan-status-job"),
    path("jobs/<uuid:pk>/", views.report_job_detail, name="job-detail"),
    path("jobs/<uuid:pk>/download/", views.report_job_download, name="job-download"),
    re_path(
        r"^networks/(?P<slug>[-\w]+)/benchmark\.(?P<fmt>pdf|xlsx)$",
        views.network_benchmark_report_view,
        name="network-benchmark",
    ),
    path("networks/<slug:slug>/benchmark-jobs/", views.network_benchmark_job, name="network-benchmark-job"),
]
