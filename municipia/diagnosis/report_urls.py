"""URLs of a plan's diagnosis report: the page and its PDF, for signed-in editors (login first)."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from municipia.diagnosis import report_views

app_name = "diagnosis-report"
urlpatterns = [
    path("<slug:slug>/report/", login_required(report_views.plan_report), name="plan"),
    path("<slug:slug>/report.pdf", login_required(report_views.plan_report_pdf), name="plan-pdf"),
]
