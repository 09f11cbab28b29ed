"""Sign-in and account security: lockout, two-factor authentication, API tokens, password pages."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "municipia.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Connects the sign-in receiver that records whether the session owes a two-factor code.
        from municipia.accounts import middleware  # noqa: F401
