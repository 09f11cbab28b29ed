"""Two-factor authentication enforced: the second step after a password, and for the admin."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from municipia.accounts.selectors import has_two_factor

SESSION_KEY = "municipia_2fa"  # "required" (has a device) or "none", set at sign-in


@receiver(user_logged_in)
def _remember_two_factor(sender, request, user, **kwargs):
    # Looked up once at sign-in, so pages do not query the devices on every request.
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = "required" if has_two_factor(user) else "none"


def _state(request) -> str:
    state = request.session.get(SESSION_KEY)
    if state is None:
        state = "required" if has_two_factor(request.user) else "none"
        request.session[SESSION_KEY] = state
    return state


class TwoFactorMiddleware:
    """After the password, a user with an authenticator must enter a code before anything else;
    a site administrator (staff or superuser) must have and use one before the admin.

    Runs after django-otp's middleware, which gives `request.user.is_verified()`.
    """

    OPEN_PATHS = ("/static/", "/media/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not request.path.startswith(self.OPEN_PATHS):
            blocked = self._blocked(request)
            if blocked is not None:
                return blocked
        return self.get_response(request)

    def _blocked(self, request):
        verify, setup = reverse("accounts:two-factor-verify"), reverse("accounts:two-factor-setup")
        if request.path in (verify, reverse("logout"), "/admin/logout/"):
            return None
        state = _state(request)
        admin = request.path.startswith("/admin/") and settings.ADMIN_REQUIRES_TWO_FACTOR
        if state == "none" and not (admin and (request.user.is_staff or request.user.is_superuser)):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Enter your two-factor code on the site first.")}, status=403)
        target = verify if state == "required" else setup
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
