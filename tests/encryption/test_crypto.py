"""The cipher itself: AES-256-GCM values and files bound to where they are stored, the key
ring from settings, and the blind index."""

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured

from encryption import crypto
from tests.encryption.conftest import new_key

HERE = crypto.field_context("applications_applicant", "address", "a" * 32)
ELSEWHERE = crypto.field_context("applications_applicant", "address", "b" * 32)


def test_a_value_round_trips_and_is_prefixed_by_the_key_id(use_keys):
    use_keys(new_key("k1"))
    token = crypto.encrypt("Vinohradská 12".encode(), context=HERE)

    assert token.startswith("k1:")
    assert "Vinohradská" not in token
    assert crypto.decrypt(token, context=HERE).decode() == "Vinohradská 12"
    # A fresh nonce each time: equal values do not look equal.
    assert crypto.encrypt(b"same", context=HERE) != crypto.encrypt(b"same", context=HERE)


def test_another_context_a_tampered_byte_or_an_unknown_key_fail(use_keys):
    first = new_key("k1")
    use_keys(first)
    token = crypto.encrypt(b"FE123456", context=HERE)
    body = token.split(":", 1)[1]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context=ELSEWHERE)

    raw = bytearray(base64.b64decode(body))
    raw[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt("k1:" + base64.b64encode(bytes(raw)).decode(), context=HERE)

    with pytest.raises(crypto.DecryptionError, match="No key"):
        crypto.decrypt("k9:" + body, context=HERE)

    # The key id is bound too: the same key material under another id does not open it.
    use_keys(first, "k2:" + first.split(":", 1)[1])
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt("k2:" + body, context=HERE)

    for garbage in ("FE123456", "k1:not base64!", "k1:" + base64.b64encode(b"short").decode()):
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(garbage, context=HERE)


def test_every_listed_key_decrypts_and_the_first_encrypts(use_keys):
    first, second = new_key("k1"), new_key("k2")
    use_keys(first)
    old = crypto.encrypt(b"x", context=HERE)
    use_keys(second, first)

    assert crypto.decrypt(old, context=HERE) == b"x"
    assert crypto.key_id_of(crypto.encrypt(b"x", context=HERE)) == "k2"


def test_files_round_trip_bound_to_their_name(use_keys):
    use_keys(new_key("k1"))
    sealed = crypto.encrypt_file(b"%PDF-1.4 canary", name="documents/1/abc")

    assert b"canary" not in sealed
    assert crypto.file_key_id(sealed) == "k1"
    assert crypto.decrypt_file(sealed, name="documents/1/abc") == b"%PDF-1.4 canary"
    assert len(sealed) - crypto.file_overhead(sealed) == len(b"%PDF-1.4 canary")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_file(sealed, name="documents/1/other")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_file(b"%PDF-1.4 in clear", name="documents/1/abc")


@pytest.mark.parametrize(
    ("entries", "problem"),
    [
        ([], "empty"),
        (["k1"], "<key id>:<base64 key>"),
        (["k 1:" + base64.b64encode(bytes(32)).decode()], "<key id>:<base64 key>"),
        (["k1:not-base64!"], "not valid base64"),
        (["k1:" + base64.b64encode(bytes(16)).decode()], "32 random bytes"),
        (["k1:" + base64.b64encode(bytes(32)).decode()] * 2, "repeated"),
    ],
)
def test_malformed_keys_are_refused(entries, problem):
    with pytest.raises(ImproperlyConfigured, match=problem):
        crypto.parse_field_keys(entries)


def test_the_blind_index_key_must_be_its_own(settings):
    key = base64.b64encode(bytes(range(32))).decode()
    settings.FIELD_ENCRYPTION_KEYS = [f"k1:{key}"]
    settings.BLIND_INDEX_KEY = key
    with pytest.raises(ImproperlyConfigured, match="BLIND_INDEX_KEY"):
        crypto.check_configuration()


def test_url_safe_base64_keys_are_accepted():
    material = bytes([251] * 32)
    url_safe = base64.urlsafe_b64encode(material).decode()
    assert "-" in url_safe or "_" in url_safe
    assert crypto.parse_field_keys([f"k1:{url_safe}"]) == {"k1": material}


def test_the_blind_index_ignores_case_spaces_and_dashes_and_depends_on_its_key(settings):
    index = crypto.blind_index("UA", "FE 123-456")

    assert len(index) == 64
    assert index == crypto.blind_index("ua", "fe123456")
    assert index != crypto.blind_index("PL", "FE123456")
    assert "FE123456" not in index
    settings.BLIND_INDEX_KEY = base64.b64encode(bytes(range(32))).decode()
    assert crypto.blind_index("UA", "FE123456") != index
