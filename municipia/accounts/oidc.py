"""Sign-in through an organisation's OpenID Connect provider (authlib as the relying party).

Each provider is configured from the environment (settings.OIDC_PROVIDERS) and belongs to one
organisation. The first sign-in links the identity (issuer + subject) to an account: the account
of the organisation's person with the same verified e-mail, or a new account and person. Roles
are not granted here: an administrator gives them as for any account.
"""

import secrets

from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from municipia.accounts.models import ExternalIdentity
from municipia.organizations import selectors as organization_selectors
from municipia.organizations import services as organization_services

NEXT_KEY = "municipia_oidc_next"


def providers() -> dict[str, dict[str, str]]:
    """The configured providers that have what a sign-in needs."""
    return {
        key: config
        for key, config in settings.OIDC_PROVIDERS.items()
        if config.get("issuer") and config.get("client_id")
    }


def _client(key: str) -> DjangoOAuth2App:
    config = providers().get(key)
    if config is None:
        raise Http404
    registry = OAuth()
    client = registry.register(
        name=key,
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        server_metadata_url=config["issuer"].rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "timeout": 10},
    )
    return client


def _username(claims: dict) -> str:
    base = (claims.get("preferred_username") or claims["email"].split("@")[0])[:120]
    name = base
    while User.objects.filter(username__iexact=name).exists():
        name = f"{base}-{secrets.token_hex(2)}"
    return name


@transaction.atomic
def oidc_account(*, provider: str, issuer: str, claims: dict) -> User:
    """The account an identity provider's verified claims sign in to (linked on first use)."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise ValidationError(_("The identity provider sent no subject."))
    identity = ExternalIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if identity is None:
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            raise ValidationError(_("The identity provider did not confirm an e-mail address for this person."))
        organization = organization_selectors.organization_find(slug=providers()[provider]["organization"])
        person = organization_selectors.people_of([organization.pk]).filter(email__iexact=email).first()
        if person is not None and person.user is not None:
            user = person.user
        else:
            user = User.objects.create_user(
                username=_username(claims),
                email=email,
                first_name=(claims.get("given_name") or "")[:150],
                last_name=(claims.get("family_name") or "")[:150],
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            full_name = claims.get("name") or email
            if person is None:
                organization_services.person_create(
                    acting_user=None,
                    data={"full_name": full_name, "email": email, "organization": organization, "user": user},
                )
            else:
                organization_services.person_update(acting_user=None, person=person, data={"user": user})
        identity = ExternalIdentity.objects.create(user=user, provider=provider, issuer=issuer, subject=subject)
    if not identity.user.is_active:
        raise ValidationError(_("This account is disabled."))
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["last_login_at"])
    return identity.user


def _callback_url(request, key: str) -> str:
    return request.build_absolute_uri(reverse("oidc:callback", kwargs={"key": key}))


class OidcLoginView(View):
    """Sends the browser to the provider's sign-in page."""

    def get(self, request, key):
        target = request.GET.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            request.session[NEXT_KEY] = target
        return _client(key).authorize_redirect(request, _callback_url(request, key))


class OidcCallbackView(View):
    """Where the provider sends the browser back: check the ID token, sign in, go on."""

    def get(self, request, key):
        client = _client(key)
        try:
            token = client.authorize_access_token(request)
            claims = dict(token.get("userinfo") or {})
            issuer = client.load_server_metadata()["issuer"]
            user = oidc_account(provider=key, issuer=issuer, claims=claims)
        except (OAuthError, ValidationError, KeyError, ValueError) as exc:
            detail = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, _("Sign-in through the identity provider failed: %(detail)s") % {"detail": detail})
            return redirect("login")
        target = request.session.pop(NEXT_KEY, "") or settings.LOGIN_REDIRECT_URL
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")  # a new session
        return redirect(target)
