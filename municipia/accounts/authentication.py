"""API authentication by the tokens of the token page: `Authorization: Token <key>`."""

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from municipia.accounts.models import ApiToken
from municipia.accounts.services import token_digest


class ApiTokenAuthentication(TokenAuthentication):
    """Accepts a live token: not revoked, not expired, issued since the owner's last password change."""

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        user = token.user
        if token.password_fingerprint != user.get_session_auth_hash():
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("This token has expired; create a new one on your token page."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is disabled."))
        # Written at most once an hour, so a busy client does not write on every request.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 3600:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return (user, token)
