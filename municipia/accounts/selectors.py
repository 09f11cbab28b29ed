"""Reads of the accounts app: a user's tokens and two-factor devices."""

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice

from municipia.accounts.models import ApiToken


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, newest first, each with `state`: active, expired or revoked."""
    now = timezone.now()
    fingerprint = user.get_session_auth_hash()
    tokens = list(ApiToken.objects.filter(user=user))
    for token in tokens:
        if token.revoked_at or token.password_fingerprint != fingerprint:
            token.state = "revoked"  # type: ignore[attr-defined]
        elif token.expires_at <= now:
            token.state = "expired"  # type: ignore[attr-defined]
        else:
            token.state = "active"  # type: ignore[attr-defined]
    return tokens


def token_get(user: User, pk: int) -> ApiToken:
    """One of the user's own tokens; anyone else's answers 404 like a missing one."""
    token = ApiToken.objects.filter(user=user, pk=pk).first()
    if token is None:
        raise Http404
    return token


def live_tokens(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now())


def has_two_factor(user: User) -> bool:
    """Whether the user has confirmed a two-factor device (an authenticator app)."""
    return any(True for _device in devices_for_user(user, confirmed=True))


def recovery_codes_left(user: User) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0
