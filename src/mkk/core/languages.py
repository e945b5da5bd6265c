"""MKK's three languages: one map from a language code to Django's code, and one from Django's
code to the suffix of fields kept in three languages (``name_sq``, ``name_sr``, ``name_en``)."""

from __future__ import annotations

from django.utils.translation import get_language

#: Any code a person or a client may give (short or Django's) → Django's language code.
LANGUAGE_CODES = {"sq": "sq", "en": "en", "sr": "sr-latn", "sr-latn": "sr-latn"}

#: Django's language code → the suffix of a field kept in three languages.
FIELD_SUFFIX = {"sq": "sq", "en": "en", "sr-latn": "sr"}


def django_language(code: str) -> str:
    """``"sr"`` → ``"sr-latn"``; an unknown code raises ValueError."""
    try:
        return LANGUAGE_CODES[code.lower()]
    except KeyError:
        raise ValueError(code) from None


def current_suffix(language: str | None = None) -> str:
    """The field suffix of ``language`` (default: the active language); Albanian when the
    language is not one of ours."""
    lang = (language or get_language() or "sq").lower()
    code = LANGUAGE_CODES.get(lang) or LANGUAGE_CODES.get(lang.split("-")[0], "sq")
    return FIELD_SUFFIX[code]
