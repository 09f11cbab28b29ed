"""Every account route × who is signed in: only the signed-in user, and only on their own data.

Each user of the world has a password, a live API token, an authenticator and recovery codes.
A visitor is sent to sign in; a signed-in user's request changes their own account and nobody
else's; another user's token id answers 404 and another user's code is refused. A fingerprint
per user (password, tokens, devices, recovery codes) shows whose data changed.
"""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from municipia.accounts.models import ApiToken
from municipia.accounts.services import recovery_codes_regenerate, token_issue
from municipia.core.tests.matrix import module_world
from municipia.organizations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "owner", "another user", "site admin"]
PASSWORD = "pass-for-tests"  # UserFactory's
NEW_PASSWORD = "A-new-pass-2026"


def _build() -> dict:
    users = {
        "owner": UserFactory(username="owner", email="owner@example.org"),
        "another user": UserFactory(username="another", email="another@example.org"),
        "site admin": UserFactory(username="root", email="root@example.org", is_superuser=True, is_staff=True),
    }
    tokens, codes, devices = {}, {}, {}
    for role, user in users.items():
        tokens[role] = token_issue(acting_user=user, name="script", days=30)[0]
        devices[role] = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        codes[role] = recovery_codes_regenerate(acting_user=user)
    return {"users": {"anonymous": None, **users}, "tokens": tokens, "codes": codes, "devices": devices}


world = module_world(_build)


def account_of(user) -> tuple:
    """What a user's account holds: password, tokens (live or not), authenticators, recovery codes."""
    user.refresh_from_db()
    return (
        user.password,
        tuple(ApiToken.objects.filter(user=user).order_by("pk").values_list("pk", "revoked_at")),
        tuple(TOTPDevice.objects.filter(user=user).order_by("pk").values_list("pk", "confirmed")),
        tuple(sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))),
        StaticDevice.objects.filter(user=user).count(),
    )


def accounts(w) -> dict:
    return {role: account_of(user) for role, user in w["users"].items() if user is not None}


def _sign_in(client, w, role) -> None:
    """Signed in with the second step done (the session says which authenticator verified it)."""
    user = w["users"][role]
    if user is None:
        return
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = w["devices"][role].persistent_id
    session.save()


def _setup_code(client, w, me):
    """The set-up page makes an unconfirmed authenticator; its current code confirms it."""
    client.get(reverse("accounts:two-factor-setup"))
    device = TOTPDevice.objects.filter(user=w["users"][me], confirmed=False).first()
    if device is None:
        return {"code": "000000"}
    return {"code": f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"}


def _own_code(client, w, me):
    return {"code": w["codes"][me][0]}


def _owners_code(client, w, me):
    return {"code": w["codes"]["owner"][1]}


# name → (url(world), data(client, world, acting role), whose account it acts on, refusal status of others)
# "self": the acting user's own account, whoever they are; "owner": the owner's (by id, or by their code).
PERSONAL_ROUTES = {
    "tokens": (
        lambda w: reverse("accounts:tokens"),
        lambda c, w, me: {"name": "import script", "days": "30"},
        "self",
        None,
    ),
    "token-rotate": (
        lambda w: reverse("accounts:token-rotate", args=[w["tokens"]["owner"].pk]),
        lambda c, w, me: {},
        "owner",
        404,
    ),
    "token-revoke": (
        lambda w: reverse("accounts:token-revoke", args=[w["tokens"]["owner"].pk]),
        lambda c, w, me: {},
        "owner",
        404,
    ),
    "two-factor-setup": (lambda w: reverse("accounts:two-factor-setup"), _setup_code, "self", None),
    "two-factor-verify": (lambda w: reverse("accounts:two-factor-verify"), _own_code, "self", None),
    "two-factor-verify@another's code": (lambda w: reverse("accounts:two-factor-verify"), _owners_code, "owner", 200),
    "recovery-codes": (lambda w: reverse("accounts:recovery-codes"), lambda c, w, me: {}, "self", None),
    "two-factor-disable": (lambda w: reverse("accounts:two-factor-disable"), _own_code, "self", None),
    "two-factor-disable@another's code": (
        lambda w: reverse("accounts:two-factor-disable"),
        _owners_code,
        "owner",
        200,
    ),
    "password-change": (
        lambda w: reverse("accounts:password-change"),
        lambda c, w, me: {
            "old_password": PASSWORD,
            "new_password1": "A-new-pass-2026",
            "new_password2": "A-new-pass-2026",
        },
        "self",
        None,
    ),
}

# Pages that only show something: the account overview and the password-reset steps' notices.
READ_ROUTES = {"account", "password-reset-done", "password-reset-complete"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", PERSONAL_ROUTES)
def test_account_route_acts_only_on_the_signed_in_users_own_data(client, world, route, role):
    url_of, data_of, target, refusal = PERSONAL_ROUTES[route]
    _sign_in(client, world, role)
    data = data_of(client, world, role) if role != "anonymous" else {}
    before = accounts(world)
    response = client.post(url_of(world), data)
    after = accounts(world)
    changed = {who for who in before if before[who] != after[who]}
    case = (route, role, response.status_code)
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], case
        assert changed == set(), case
    elif target == "self" or role == target:
        assert response.status_code in (200, 302), case
        assert changed == {role}, case
    else:
        assert response.status_code == refusal, case
        assert changed == set(), case


# Routes anyone may use, signed in or not, that write no account: name → (url, data).
PAGE_ROUTES = {"password-reset": (lambda w: reverse("accounts:password-reset"), {"email": "owner@example.org"})}


@pytest.mark.parametrize("role", ROLES)
def test_password_reset_mails_the_address_and_changes_nothing(client, world, role):
    """Anyone may ask (signed in or not); the link goes to the address's owner, no account changes."""
    _sign_in(client, world, role)
    before = accounts(world)
    url_of, data = PAGE_ROUTES["password-reset"]
    response = client.post(url_of(world), data)
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["owner@example.org"]]
    assert accounts(world) == before


# The reset link acts by its token alone, whoever follows it: name → (uid, token)(world, case).
TOKEN_CASES = ["valid", "tampered", "another user's uid"]
INVITATION_ROUTES = {
    "password-reset-confirm": lambda w, case: (
        urlsafe_base64_encode(force_bytes((w["users"]["another user"] if "uid" in case else w["users"]["owner"]).pk)),
        default_token_generator.make_token(w["users"]["owner"]) + ("x" if case == "tampered" else ""),
    ),
}


@pytest.mark.parametrize("case", TOKEN_CASES)
def test_password_reset_link_sets_the_password_of_its_user_only(client, world, case):
    uid, token = INVITATION_ROUTES["password-reset-confirm"](world, case)
    before = accounts(world)
    page = client.get(reverse("accounts:password-reset-confirm", args=[uid, token]))
    target = (
        page["Location"] if page.status_code == 302 else reverse("accounts:password-reset-confirm", args=[uid, token])
    )
    response = client.post(target, {"new_password1": "A-new-pass-2026", "new_password2": "A-new-pass-2026"})
    after = accounts(world)
    changed = {who for who in before if before[who] != after[who]}
    if case == "valid":
        assert response.status_code == 302 and changed == {"owner"}, (case, response.status_code)
        assert after["owner"][0] != before["owner"][0]
    else:
        assert response.status_code == 200 and changed == set(), (case, response.status_code)
