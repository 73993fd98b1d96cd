"""The VClaim-style encryption of ``response``: vectors cross-checked with the openssl CLI."""

from __future__ import annotations

import base64
import hashlib

import pytest

from connectors.bpjs.crypto import DecryptionError, decrypt_text, derive_key, encrypt_text

# openssl enc -aes-256-cbc -K <sha256("12345s3cr3t1795500000")> -iv <its first 16 bytes>
# of the LZ-string URI form of "red" ("E4UwJkA")
RED_ENCRYPTED = "7DZSs4KoQi+os5aEv7hFKQ=="
CREDS = ("12345", "s3cr3t", "1795500000")


def test_key_is_sha256_of_consumer_secret_and_timestamp() -> None:
    key, iv = derive_key(*CREDS)
    assert key == hashlib.sha256(b"12345s3cr3t1795500000").digest()
    assert len(key) == 32
    assert iv == key[:16]


def test_known_vector() -> None:
    assert encrypt_text("red", *CREDS) == RED_ENCRYPTED
    assert decrypt_text(RED_ENCRYPTED, *CREDS) == "red"


def test_round_trip_of_json_with_non_ascii_names() -> None:
    text = '{"list": [{"nama": "NUR HAYATI BINTI KARNO", "alamat": "陳大文 😀"}]}' * 20
    assert decrypt_text(encrypt_text(text, *CREDS), *CREDS) == text


def test_another_timestamp_cannot_read_it() -> None:
    # given an answer encrypted for one request's timestamp
    encrypted = encrypt_text('{"peserta": {"noKpj": "24001234567"}}', *CREDS)

    # when it is read with the key of another second
    with pytest.raises(DecryptionError):
        decrypt_text(encrypted, "12345", "s3cr3t", "1795500001")


@pytest.mark.parametrize(
    "data",
    [
        "not base64 at all!",
        "",
        base64.b64encode(b"short").decode(),  # not whole AES blocks
        base64.b64encode(bytes(32)).decode(),  # whole blocks, garbage plaintext
    ],
)
def test_unreadable_responses_raise_decryption_error(data: str) -> None:
    with pytest.raises(DecryptionError):
        decrypt_text(data, *CREDS)


def test_plaintext_that_is_not_lz_string_is_refused() -> None:
    # given a correctly encrypted and padded plaintext that is not LZ-string data
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key, iv = derive_key(*CREDS)
    padder = padding.PKCS7(128).padder()
    plain = padder.update(b"!!not lz-string!!") + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    data = base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()

    # then it is refused as undecryptable, not returned as text
    with pytest.raises(DecryptionError):
        decrypt_text(data, *CREDS)
