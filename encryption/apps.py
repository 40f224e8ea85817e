from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EncryptionConfig(AppConfig):
    name = "encryption"
    verbose_name = _("Encryption at rest")

    def ready(self) -> None:
        from encryption import crypto

        # Malformed keys stop the start, not the first request that reads personal data.
        crypto.check_configuration()
