"""Account pages: the account overview, API tokens, two-factor set-up and sign-in step, passwords.

Hand-written rather than entity pages: each concerns only the signed-in user's own secrets,
and keys and recovery codes must be shown exactly once.
"""

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_otp import login as otp_login

from municipia.accounts import selectors, services
from municipia.accounts.forms import CodeForm, TokenForm
from municipia.accounts.middleware import SESSION_KEY
from municipia.core.views import attach_errors

NEW_KEY = "municipia_new_token"


class AccountView(LoginRequiredMixin, View):
    def get(self, request):
        user = request.user
        context = {
            "two_factor": selectors.has_two_factor(user),
            "recovery_left": selectors.recovery_codes_left(user),
            "live_tokens": selectors.live_tokens(user).count(),
            "must_have_two_factor": user.is_staff or user.is_superuser,
        }
        return render(request, "accounts/account.html", context)


class TokenListView(LoginRequiredMixin, View):
    def get(self, request, form=None):
        new = request.session.pop(NEW_KEY, None)
        context = {"tokens": selectors.tokens_of(request.user), "form": form or TokenForm(), "new": new}
        return render(request, "accounts/tokens.html", context)

    def post(self, request):
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                token, key = services.token_issue(
                    acting_user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                request.session[NEW_KEY] = {"name": token.name, "key": key}
                return redirect("accounts:tokens")
        return self.get(request, form=form)


class TokenActionView(LoginRequiredMixin, View):
    """Rotate or revoke one of the user's tokens (POST only)."""

    action = ""

    def post(self, request, pk):
        token = selectors.token_get(request.user, pk)
        if self.action == "rotate":
            new, key = services.token_rotate(acting_user=request.user, token=token)
            request.session[NEW_KEY] = {"name": new.name, "key": key}
        else:
            services.token_revoke(acting_user=request.user, token=token)
            messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect("accounts:tokens")


def _qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=5, dark="#1b2b3a", omitsize=False, title=_("QR code"))


class TwoFactorSetupView(LoginRequiredMixin, View):
    def get(self, request, form=None):
        device = services.two_factor_start(acting_user=request.user)
        context = {
            "form": form or CodeForm(),
            "qr": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - segno's own SVG of our URL
            "secret": device.config_url.split("secret=")[1].split("&")[0],
            "next": request.GET.get("next", ""),
        }
        return render(request, "accounts/two_factor_setup.html", context)

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            device = services.two_factor_start(acting_user=request.user)
            try:
                codes = services.two_factor_confirm(
                    acting_user=request.user, device=device, code=form.cleaned_data["code"]
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                otp_login(request, device)
                request.session[SESSION_KEY] = "required"
                return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _safe_next(request)})
        return self.get(request, form=form)


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("accounts:account")


class TwoFactorVerifyView(LoginRequiredMixin, View):
    """The second sign-in step of a user with an authenticator."""

    def get(self, request, form=None):
        return render(
            request, "accounts/two_factor_verify.html", {"form": form or CodeForm(), "next": _safe_next(request)}
        )

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                device = services.two_factor_check(acting_user=request.user, code=form.cleaned_data["code"])
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                otp_login(request, device)
                return redirect(_safe_next(request))
        return self.get(request, form=form)


class RecoveryCodesView(LoginRequiredMixin, View):
    def post(self, request):
        if not selectors.has_two_factor(request.user):
            return redirect("accounts:two-factor-setup")
        codes = services.recovery_codes_regenerate(acting_user=request.user)
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("accounts:account")})


class TwoFactorDisableView(LoginRequiredMixin, View):
    def get(self, request, form=None):
        return render(request, "accounts/two_factor_disable.html", {"form": form or CodeForm()})

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                services.two_factor_disable(acting_user=request.user, code=form.cleaned_data["code"])
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                request.session[SESSION_KEY] = "none"
                messages.success(request, _("Two-factor authentication is off."))
                return redirect("accounts:account")
        return self.get(request, form=form)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page; a new password also revokes every API token of the user."""

    success_url = reverse_lazy("accounts:account")
    title = gettext_lazy("Change password")

    def form_valid(self, form):
        response = super().form_valid(form)
        revoked = services.tokens_revoke_all(user=form.user)
        note = _("Your password is changed.")
        if revoked:
            note += " " + _("Your API tokens were revoked; create new ones if you need them.")
        messages.success(self.request, note)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    success_url = reverse_lazy("accounts:password-reset-done")
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.tokens_revoke_all(user=form.user)
        return response


class LoginView(auth_views.LoginView):
    """Django's sign-in page, with a button for each organisation's identity provider."""

    def get_context_data(self, **kwargs):
        from municipia.accounts.oidc import providers

        context = super().get_context_data(**kwargs)
        context["identity_providers"] = [(key, config["label"]) for key, config in providers().items()]
        return context
