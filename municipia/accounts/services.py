"""Every write of the accounts app: API tokens issued, rotated and revoked."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from municipia.accounts.models import ApiToken


def token_digest(key: str) -> str:
    """The stored form of a token key (a key is random enough that a plain SHA-256 suffices)."""
    return hashlib.sha256(key.encode()).hexdigest()


def _checked_days(days: object) -> int:
    limit = settings.API_TOKEN_MAX_DAYS
    try:
        value = int(str(days))
    except (TypeError, ValueError):
        raise ValidationError({"days": _("Enter a whole number of days.")})
    if not 1 <= value <= limit:
        raise ValidationError({"days": _("A token lives from 1 to %(limit)s days.") % {"limit": limit}})
    return value


def _checked_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, to recognise it in the list.")})
    if len(name) > 100:
        raise ValidationError({"name": _("At most 100 characters.")})
    return name


def token_issue(*, acting_user: User, name: str, days: object) -> tuple[ApiToken, str]:
    """A new token of `acting_user`; returns it with its key, which is never shown again."""
    clean_name, clean_days = _checked_name(name), _checked_days(days)
    key = secrets.token_urlsafe(30)
    token = ApiToken.objects.create(
        user=acting_user,
        name=clean_name,
        prefix=key[:8],
        digest=token_digest(key),
        password_fingerprint=acting_user.get_session_auth_hash(),
        expires_at=timezone.now() + timedelta(days=clean_days),
    )
    return token, key


@transaction.atomic
def token_rotate(*, acting_user: User, token: ApiToken) -> tuple[ApiToken, str]:
    """Revokes `token` and issues its successor with the same name and lifetime."""
    if token.user_id != acting_user.pk:
        raise ValidationError(_("This is not your token."))
    lifetime = max(1, (token.expires_at - token.created_at).days)
    token_revoke(acting_user=acting_user, token=token)
    return token_issue(acting_user=acting_user, name=token.name, days=min(lifetime, settings.API_TOKEN_MAX_DAYS))


def token_revoke(*, acting_user: User, token: ApiToken) -> None:
    if token.user_id != acting_user.pk:
        raise ValidationError(_("This is not your token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def tokens_revoke_all(*, user: User) -> int:
    """Revokes every live token of `user` (after a password change); returns how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


# --- Two-factor authentication (django-otp): an authenticator app (TOTP) and recovery codes.

RECOVERY_CODES = 10


def two_factor_start(*, acting_user: User) -> TOTPDevice:
    """The unconfirmed authenticator device the set-up page shows as a QR code (one per user)."""
    device = TOTPDevice.objects.filter(user=acting_user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=acting_user, name=_("Authenticator app"), confirmed=False)
    return device


@transaction.atomic
def two_factor_confirm(*, acting_user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirms the authenticator with a code it shows; returns fresh recovery codes (shown once)."""
    if device.user_id != acting_user.pk or device.confirmed:
        raise ValidationError({"code": _("Start the set-up again.")})
    if not device.verify_token((code or "").strip().replace(" ", "")):
        raise ValidationError(
            {"code": _("This code is not right. Check your phone's clock and enter the current code.")}
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=acting_user).exclude(pk=device.pk).delete()
    return recovery_codes_regenerate(acting_user=acting_user)


@transaction.atomic
def recovery_codes_regenerate(*, acting_user: User) -> list[str]:
    """Replaces the user's recovery codes with new single-use ones."""
    device, _created = StaticDevice.objects.get_or_create(
        user=acting_user, defaults={"name": _("Recovery codes"), "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def two_factor_check(*, acting_user: User, code: str) -> Device:
    """The device that accepts `code` (authenticator or a recovery code, which is then used up)."""
    device = match_token(acting_user, (code or "").strip().replace(" ", ""))
    if device is None:
        raise ValidationError({"code": _("This code is not right.")})
    return device


@transaction.atomic
def two_factor_disable(*, acting_user: User, code: str) -> None:
    """Removes the user's authenticator and recovery codes; a current code proves it is them."""
    two_factor_check(acting_user=acting_user, code=code)
    TOTPDevice.objects.filter(user=acting_user).delete()
    StaticDevice.objects.filter(user=acting_user).delete()
