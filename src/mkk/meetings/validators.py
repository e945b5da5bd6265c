"""The personal-data guard and the format of case references.

A meeting record is read by every member institution: it may name a case only by its
pseudonymous reference. ``find_personal_data`` finds what looks like a Kosovo personal
number, a phone number, an e-mail address, or a name or address introduced by a word such as
"emri", "mbiemri", "adresa", "rruga" — so the user can remove it before saving.
Public service numbers (the municipality's emergency contacts) are allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

CASE_REFERENCE_RE = r"^[A-Z]{2,4}-\d{4}-\d{3,6}$"
case_reference_validator = RegexValidator(
    CASE_REFERENCE_RE,
    _(
        "Enter the case's pseudonymous reference, e.g. DR-2025-000123 "
        "(2–4 capital letters, a year and a number), never a name."
    ),
)
_CASE_REFERENCE_IN_TEXT = re.compile(r"(?<![\w-])[A-Z]{2,4}-\d{4}-\d{3,6}(?![\w-])")

PERSONAL_NUMBER = "personal_number"
PHONE = "phone"
EMAIL = "email"
NAME_OR_ADDRESS = "name_or_address"

KIND_LABELS = {
    PERSONAL_NUMBER: _("a personal number"),
    PHONE: _("a phone number"),
    EMAIL: _("an e-mail address"),
    NAME_OR_ADDRESS: _("a name or an address"),
}

# A run of digits with single separators (space, dash, dot, slash, brackets), optionally
# starting with + or 00; not part of a longer word, code or reference.
_SEP = r"[ \u00a0\-./()]"
_NUMBER = re.compile(rf"(?<![\w+\-/.(])\+?\(?\d(?:{_SEP}{{0,3}}\d)*(?!\w)")
_GROUP = re.compile(r"\+?\d+")
_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_KEYWORDS = (
    "emri|emrin|emrit|mbiemri|mbiemrin|mbiemrit|adresa|adresën|adresen|adresës|rruga|rrugën|rr\\."
    "|ime|prezime|adresa|ulica|name|surname|address|street"
)
_NAMED = re.compile(rf"(?<!\w)(?i:{_KEYWORDS})(?!\w)\s*[:\-–=]?\s*(?P<word>[^\W\d_][\w'’.-]*)")


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int  # 0-based offset in the text
    end: int
    masked: str

    @property
    def position(self) -> int:
        """1-based character position, as people count."""
        return self.start + 1

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def normalise_phone(value: str) -> str:
    """Digits of a phone number in national form: '+383 38 584 356' → '038584356'."""
    raw = value.strip()
    digits = _digits(raw)
    if raw.startswith("+") or digits.startswith("00"):
        digits = digits.lstrip("0") if digits.startswith("00") else digits
        if digits.startswith("383"):
            return "0" + digits[3:]
        return "+" + digits
    return digits


def _mask(value: str, keep: int = 2) -> str:
    chars = list(value)
    significant = [i for i, c in enumerate(chars) if c.isalnum()]
    hide = significant[keep:-keep] if len(significant) > 2 * keep else significant[1:]
    for i in hide:
        chars[i] = "*"
    return "".join(chars)


def _classify_number(raw: str, groups: list[str]) -> str | None:
    digits = _digits(raw)
    international = raw.lstrip("(").startswith(("+", "00"))
    if international:
        return PHONE if 8 <= len(digits) <= 15 else None
    if digits.startswith("0"):
        return PHONE if 8 <= len(digits) <= 10 else None
    # A personal number: ten digits, written whole or in groups of two or more digits
    # (so that a list such as "2 3 4 5 6 7 8 9 10" is not taken for one).
    if len(digits) == 10 and all(len(_digits(g)) >= 2 for g in groups):
        return PERSONAL_NUMBER
    return None


def _numbers_in(raw: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of each number in a run of digit groups, longest first from the left."""
    groups = list(_GROUP.finditer(raw))
    out = []
    i = 0

    def breaks_before(k: int) -> bool:  # a number may start at group k
        return k == 0 or bool(re.search(r"\s", raw[groups[k - 1].end() : groups[k].start()]))

    def breaks_after(k: int) -> bool:  # … and end after group k
        return k == len(groups) - 1 or breaks_before(k + 1)

    while i < len(groups):
        if not breaks_before(i):
            i += 1
            continue
        for j in range(len(groups) - 1, i - 1, -1):
            if not breaks_after(j):
                continue
            start, end = groups[i].start(), groups[j].end()
            if i == 0 and raw.startswith("("):
                start = 0
            kind = _classify_number(raw[start:end], [g.group() for g in groups[i : j + 1]])
            if kind:
                out.append((kind, start, end))
                i = j + 1
                break
        else:
            i += 1
    return out


def find_personal_data(text: str | None, *, allowed_numbers: Iterable[str] = ()) -> list[Finding]:
    """Everything in ``text`` that looks like personal data, in order of position.

    ``allowed_numbers`` are public service numbers (emergency contacts) that may appear.
    """
    if not text:
        return []
    allowed = {normalise_phone(n) for n in allowed_numbers if _digits(str(n))}
    # Case references ("DR-2025-000123") are the allowed way to name a case: blank them out
    # (same length, so positions stay right) before looking for numbers.
    scan = _CASE_REFERENCE_IN_TEXT.sub(lambda m: " " * len(m.group()), text)
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []

    for m in _EMAIL.finditer(scan):
        findings.append(Finding(EMAIL, m.start(), m.end(), _mask(m.group())))
        taken.append(m.span())

    for m in _NUMBER.finditer(scan):
        if any(s <= m.start() < e for s, e in taken):
            continue
        for kind, start, end in _numbers_in(m.group()):
            raw = m.group()[start:end]
            if kind == PHONE and normalise_phone(raw) in allowed:
                continue
            findings.append(Finding(kind, m.start() + start, m.start() + end, _mask(raw)))

    for m in _NAMED.finditer(scan):
        word = m.group("word")
        if not word[0].isupper():
            continue
        keyword = m.group()[: m.start("word") - m.start()]
        findings.append(Finding(NAME_OR_ADDRESS, m.start(), m.end(), keyword + _mask(word, keep=1)))
    return sorted(findings, key=lambda f: (f.start, f.kind))


def personal_data_errors(
    fields: dict[str, tuple[str, str | None]], *, allowed_numbers: Iterable[str] = ()
) -> dict[str, list[str]]:
    """Translated messages per form field: ``{field: (label, text)}`` → ``{field: [msg…]}``."""
    allowed = list(allowed_numbers)
    errors: dict[str, list[str]] = {}
    for field, (label, text) in fields.items():
        found = find_personal_data(text, allowed_numbers=allowed)
        if not found:
            continue
        messages = [
            str(
                _("%(field)s: %(what)s at position %(position)s (%(masked)s).")
                % {"field": label, "what": f.label, "position": f.position, "masked": f.masked}
            )
            for f in found
        ]
        messages.append(
            str(
                _(
                    "Meeting records are read by every member institution: remove names, "
                    "personal numbers, addresses, phone numbers and e-mail addresses of "
                    "people, and refer to a case only by its reference (e.g. DR-2025-000123). "
                    "Public service numbers of the municipality's emergency contacts are allowed."
                )
            )
        )
        errors[field] = messages
    return errors


def raise_for_personal_data(fields: dict, *, allowed_numbers: Iterable[str] = ()) -> None:
    errors = personal_data_errors(fields, allowed_numbers=allowed_numbers)
    if errors:
        raise ValidationError(errors)
