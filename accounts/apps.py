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

        # Kept permission sets (accounts.backends.PermissionsKeptBackend) go stale with any
        # change to who is in which group or may do what.
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from accounts.backends import account_changed, membership_changed, permissions_changed
        from accounts.models import User

        for through in (User.groups.through, User.user_permissions.through):
            m2m_changed.connect(membership_changed, sender=through, dispatch_uid=f"p-{through}")
        m2m_changed.connect(
            permissions_changed, sender=Group.permissions.through, dispatch_uid="p-group-perms"
        )
        for model in (Group, Permission):
            post_save.connect(permissions_changed, sender=model, dispatch_uid=f"perms-{model}")
            post_delete.connect(permissions_changed, sender=model, dispatch_uid=f"perms-{model}-")
        post_save.connect(account_changed, sender=User, dispatch_uid="perms-account")
        post_delete.connect(account_changed, sender=User, dispatch_uid="perms-account-")

        # The side effects this app delivers from the outbox (core/outbox.py).
        from core import outbox

        outbox.register(
            "accounts.password_reset_mail", "accounts.services.password_reset_mail_send"
        )
