from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from accounts.receivers import (
            clear_account_failures,
            clear_failures_after_new_password,
            count_account_failure,
        )
        from accounts.sessions import session_login_stamp
        from accounts.signals import security_changed

        user_logged_in.connect(session_login_stamp, dispatch_uid="accounts.session_login_stamp")
        user_logged_in.connect(
            clear_account_failures, dispatch_uid="accounts.clear_account_failures"
        )
        user_login_failed.connect(
            count_account_failure, dispatch_uid="accounts.count_account_failure"
        )
        security_changed.connect(
            clear_failures_after_new_password,
            dispatch_uid="accounts.clear_failures_after_new_password",
        )

        # The side effects this app delivers from the outbox (core/outbox.py).
        from core import outbox

        outbox.register(
            "accounts.password_reset_mail", "accounts.services.password_reset_mail_send"
        )
