import base64
import os

import pytest


def new_key(key_id: str) -> str:
    """A FIELD_ENCRYPTION_KEYS entry with fresh random key material."""
    return f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}"


@pytest.fixture
def use_keys(settings):
    """Configure the field keys for the rest of the test: ``use_keys(k2, k1)``."""

    def configure(*entries: str) -> None:
        settings.FIELD_ENCRYPTION_KEYS = list(entries)

    return configure
