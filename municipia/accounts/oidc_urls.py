"""OpenID Connect sign-in, without a language prefix: the callback address is registered at the provider."""

from django.urls import path

from municipia.accounts import oidc

app_name = "oidc"

urlpatterns = [
    path("<slug:key>/login/", oidc.OidcLoginView.as_view(), name="login"),
    path("<slug:key>/callback/", oidc.OidcCallbackView.as_view(), name="callback"),
]
