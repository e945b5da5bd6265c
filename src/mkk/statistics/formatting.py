"""Numbers as each language writes them: 6,4% in Albanian and Serbian, 6.4% in English.

A difference carries its sign (+5, −4 with a true minus sign); a missing figure is "–".
"""

from __future__ import annotations

from decimal import Decimal

from mkk.core.languages import current_suffix

MINUS = "\u2212"
MISSING = "–"
_SEPARATORS = {"sq": (",", "."), "sr": (",", "."), "en": (".", ",")}


def _seps(language: str | None) -> tuple[str, str]:
    return _SEPARATORS[current_suffix(language)]


def _group(digits: str, sep: str) -> str:
    if len(digits) <= 4:  # 1000 stays 1000; 12.000 is grouped
        return digits
    out = []
    while digits:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    return sep.join(out)


def number(value: int | None, language: str | None = None) -> str:
    if value is None:
        return MISSING
    _dec, thousands = _seps(language)
    text = _group(str(abs(int(value))), thousands)
    return f"{MINUS}{text}" if value < 0 else text


def signed(value: int | None, language: str | None = None) -> str:
    if value is None:
        return MISSING
    if value > 0:
        return f"+{number(value, language)}"
    return number(value, language)


def decimal(value: Decimal | None, language: str | None = None, places: int = 1) -> str:
    if value is None:
        return MISSING
    dec, thousands = _seps(language)
    q = Decimal(value).quantize(Decimal(1).scaleb(-places))
    sign = MINUS if q < 0 else ""
    whole, _sep, frac = f"{abs(q):f}".partition(".")
    text = _group(whole, thousands)
    return f"{sign}{text}{dec}{frac}" if frac else f"{sign}{text}"


def percent(value: Decimal | None, language: str | None = None, *, sign: bool = True) -> str:
    """'+6,4%' (sq, sr), '+6.4%' (en); '–' when there is no percentage."""
    if value is None:
        return MISSING
    text = decimal(value, language)
    if sign and value > 0:
        text = f"+{text}"
    return f"{text}%"
