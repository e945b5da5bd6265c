"""Names kept in Albanian, Serbian and English, shown in the user's language."""

from __future__ import annotations

from mkk.core.languages import current_suffix


def localized(obj: object, field: str, language: str | None = None) -> str:
    """``obj.<field>_<lang>`` for the active language, falling back to Albanian."""
    value = getattr(obj, f"{field}_{current_suffix(language)}", "") or ""
    return value or getattr(obj, f"{field}_sq", "") or ""


class LocalizedNameMixin:
    """Gives a model with name_sq/name_sr/name_en a ``name`` in the active language."""

    @property
    def name(self) -> str:
        return localized(self, "name")

    def name_in(self, language: str) -> str:
        return localized(self, "name", language)
