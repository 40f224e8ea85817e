from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy and access audit")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from accounts.signals import security_changed
        from privacy import receivers

        user_logged_in.connect(receivers.on_logged_in, dispatch_uid="privacy.logged_in")
        user_logged_out.connect(receivers.on_logged_out, dispatch_uid="privacy.logged_out")
        user_login_failed.connect(receivers.on_login_failed, dispatch_uid="privacy.login_failed")
        security_changed.connect(
            receivers.on_security_changed, dispatch_uid="privacy.security_changed"
        )
        # Lockout and second factor come from optional apps: listen only when they are installed
        # (importing their signal modules loads their models).
        if apps.is_installed("axes"):
            from axes.signals import user_locked_out

            user_locked_out.connect(receivers.on_locked_out, dispatch_uid="privacy.locked_out")
        if apps.is_installed("django_otp"):
            from django_otp.forms import otp_verification_failed

            otp_verification_failed.connect(
                receivers.on_otp_failed, dispatch_uid="privacy.otp_failed"
            )
