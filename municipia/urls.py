"""Top-level URLs: pages under a language prefix (/en/, /es/, /ca/, /bg/), API and admin without."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from municipia.accounts import views as account_views

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", include("municipia.api.urls")),
    # Calendar feeds keep one address whatever the language, for calendar applications to subscribe.
    path("calendars/", include("municipia.governance.feed_urls")),
    path("admin/", admin.site.urls),
    # Sign-in through organisations' identity providers; one callback address whatever the language.
    path("oidc/", include("municipia.accounts.oidc_urls")),
]

urlpatterns += i18n_patterns(
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("municipia.accounts.urls")),
    path("organizations/", include("municipia.organizations.urls")),
    path("governance/", include("municipia.governance.urls")),
    path("alignment/", include("municipia.alignment.urls")),
    path("indicators/", include("municipia.indicators.urls")),
    path("diagnosis/results/", include("municipia.diagnosis.results_urls")),
    path("diagnosis/plans/", include("municipia.diagnosis.report_urls")),
    path("", include("municipia.diagnosis.urls")),
    path("reports/", include("municipia.reports.urls")),
    path("partnerships/", include("municipia.partnerships.urls")),
    path("portfolio/", include("municipia.portfolio.urls")),
    path("", include("municipia.strategy.urls")),
    path("", include("municipia.portal.urls")),
    prefix_default_language=True,
)
