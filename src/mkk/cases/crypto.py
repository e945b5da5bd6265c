"""Encryption of victims' identity data and the pseudonymous victim key.

* Identity values are encrypted with ``cryptography``'s MultiFernet built from
  ``settings.MKK_FIELD_KEYS`` (the first key encrypts, every key decrypts). The keys live in
  the environment, never in the database or the repository. ``manage.py rotate_keys``
  re-encrypts every stored value with the first key.
* The victim key is HMAC-SHA256 with ``settings.MKK_PSEUDONYM_KEY`` of the normalised
  personal number, or of the normalised name and date of birth when there is no number. It
  is computed on the server only; the same person entered by two institutions gets the same
  key without either seeing the other's identity data.

Nothing in this module logs or prints a value.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

__all__ = [
    "EncryptedTextField",
    "decrypt",
    "encrypt",
    "is_token",
    "normalize_name",
    "normalize_personal_number",
    "rotate_token",
    "victim_key",
]

TOKEN_PREFIX = "gAAAAA"  # noqa: S105 - every Fernet token starts with version byte 0x80 in base64


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise RuntimeError("MKK_FIELD_KEYS is empty: identity data cannot be encrypted.")
    return MultiFernet([Fernet(k.strip().encode()) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.MKK_FIELD_KEYS))


def encrypt(value: str) -> str:
    """The token of ``value``; the empty string stays empty (nothing to hide)."""
    if value is None or value == "":
        return ""
    return fernet().encrypt(str(value).encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        # Never include the token or any value in the message.
        raise RuntimeError(
            "An identity value cannot be decrypted with the configured keys."
        ) from exc


def rotate_token(token: str) -> str:
    """The same value encrypted with the first key (MultiFernet.rotate)."""
    if not token:
        return ""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


def is_token(value: str) -> bool:
    return bool(value) and value.startswith(TOKEN_PREFIX)


class EncryptedTextField(models.TextField):
    """A text column that holds only Fernet tokens.

    Python code sees the plain value; the database sees the token. Lookups other than
    ``isnull``/``exact ''`` are meaningless on it (tokens are randomised): search by the
    victim key instead.
    """

    description = "Encrypted text"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def to_python(self, value):
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def value_to_string(self, obj):  # serialisation (dumpdata) never writes plain text
        return self.get_prep_value(self.value_from_object(obj))


# --- Pseudonymous victim key ----------------------------------------------------------------


def normalize_personal_number(number: str) -> str:
    """Digits only: '12 345-67890' and '1234567890' are one number."""
    return "".join(ch for ch in (number or "") if ch.isdigit())


def normalize_name(name: str) -> str:
    """Case-folded, no diacritics or punctuation, single spaces: 'Ëndrit  Çela' → 'endrit cela'."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.casefold().replace("ß", "ss")
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    return " ".join(words)


def victim_key(
    *, personal_number: str = "", name: str = "", date_of_birth: dt.date | None = None
) -> str:
    """HMAC-SHA256 (hex) of the personal number, or of name + date of birth; '' when neither."""
    number = normalize_personal_number(personal_number)
    if number:
        material = f"pn:{number}"
    else:
        plain_name = normalize_name(name)
        if not plain_name or date_of_birth is None:
            return ""
        material = f"nd:{plain_name}|{date_of_birth.isoformat()}"
    secret = settings.MKK_PSEUDONYM_KEY.encode("utf-8")
    if not secret:
        raise RuntimeError("MKK_PSEUDONYM_KEY is empty: victim keys cannot be computed.")
    return hmac.new(secret, material.encode("utf-8"), hashlib.sha256).hexdigest()
