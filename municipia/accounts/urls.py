"""Account pages, under /<language>/accounts/."""

from django.contrib.auth import views as auth_views
from django.urls import path

from municipia.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.AccountView.as_view(), name="account"),
    path("tokens/", views.TokenListView.as_view(), name="tokens"),
    path("tokens/<int:pk>/rotate/", views.TokenActionView.as_view(action="rotate"), name="token-rotate"),
    path("tokens/<int:pk>/revoke/", views.TokenActionView.as_view(action="revoke"), name="token-revoke"),
    path("two-factor/setup/", views.TwoFactorSetupView.as_view(), name="two-factor-setup"),
    path("two-factor/verify/", views.TwoFactorVerifyView.as_view(), name="two-factor-verify"),
    path("two-factor/recovery-codes/", views.RecoveryCodesView.as_view(), name="recovery-codes"),
    path("two-factor/disable/", views.TwoFactorDisableView.as_view(), name="two-factor-disable"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password-change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
]
