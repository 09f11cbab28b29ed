"""URLs of the results pages: a campaign's results, free text, exports; maturity profiles.

All are for signed-in editors: visitors are sent to the login page before any look-up (a scoped
look-up would otherwise answer 404 to someone who simply has not signed in yet); signed in, each
page's own permission check decides.
"""

from django.contrib.auth.decorators import login_required
from django.urls import path

from municipia.diagnosis import results_views

app_name = "diagnosis-results"
urlpatterns = [
    path("campaigns/<slug:slug>/", results_views.campaign_results_page, name="campaign"),
    path("campaigns/<slug:slug>/margins/", results_views.CampaignMarginsView.as_view(), name="margins"),
    path("campaigns/<slug:slug>/text/<slug:code>/", results_views.text_answers_page, name="text-answers"),
    *[
        path(f"campaigns/<slug:slug>/results.{fmt}", results_views.export_results, {"fmt": fmt}, name=f"results-{fmt}")
        for fmt in ("csv", "xlsx")
    ],
    *[
        path(
            f"campaigns/<slug:slug>/responses.{fmt}",
            results_views.export_responses,
            {"fmt": fmt},
            name=f"responses-{fmt}",
        )
        for fmt in ("csv", "xlsx")
    ],
    path("maturity/<slug:slug>/", results_views.maturity_council_page, name="maturity-council"),
    path("maturity/networks/<slug:slug>/", results_views.maturity_network_page, name="maturity-network"),
]
for pattern in urlpatterns:
    pattern.callback = login_required(pattern.callback)
