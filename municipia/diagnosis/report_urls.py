"""URLs of a plan's diagnosis report: the page and its PDF."""

from django.urls import path

from municipia.diagnosis import report_views

app_name = "diagnosis-report"
urlpatterns = [
    path("<slug:slug>/report/", report_views.plan_report, name="plan"),
    path("<slug:slug>/report.pdf", report_views.plan_report_pdf, name="plan-pdf"),
]
