from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.receivers import clear_account_failures
        from accounts.sessions import session_login_stamp

        user_logged_in.connect(session_login_stamp, dispatch_uid="accounts.session_login_stamp")
        user_logged_in.connect(
            clear_account_failures, dispatch_uid="accounts.clear_account_failures"
        )

        # The side effects this app delivers from the outbox (core/outbox.py).
        from core import outbox

        outbox.register(
            "accounts.password_reset_mail", "accounts.services.password_reset_mail_send"
        )
