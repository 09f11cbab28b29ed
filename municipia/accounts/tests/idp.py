"""A local OpenID Connect provider for the tests: django-oauth-toolkit in OIDC mode, same process."""

from django.urls import include, path
from oauth2_provider.oauth2_validators import OAuth2Validator

from municipia.urls import urlpatterns as site_urlpatterns


class ClaimsValidator(OAuth2Validator):
    """Puts the person's e-mail and name into the ID token, as an organisation's provider does."""

    oidc_claim_scope = None

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "name": user.get_full_name(),
            "given_name": user.first_name,
            "family_name": user.last_name,
            "preferred_username": user.username,
        }


urlpatterns = [
    *site_urlpatterns,
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
