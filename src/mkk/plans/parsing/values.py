"""Reading single values: whitespace and Roman numerals, objective and action codes, amounts,
timeframes, funders, institution lists and legal references."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from .model import ParsedFunder

_WS_RE = re.compile(r"\s+")


def _normalize_ws(text: str) -> str:
    """Collapse every run of whitespace to one space and strip."""
    return _WS_RE.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """Case- and diacritic-insensitive form used for matching only (ë -> e, Ç -> c)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _clean(text: str) -> str:
    """Strip every line and drop the leading and trailing empty lines of a cell."""
    lines = [line.strip() for line in text.split("\n")]
    start, end = 0, len(lines)
    while start < end and not lines[start]:
        start += 1
    while end > start and not lines[end - 1]:
        end -= 1
    return "\n".join(lines[start:end])


_ROMAN_VALID_RE = re.compile(r"^(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


def _roman_to_int(roman: str) -> int | None:
    """'IV' -> 4 for 1..39; ``None`` for anything else."""
    if not _ROMAN_VALID_RE.match(roman):
        return None
    total = 0
    for index, char in enumerate(roman):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[roman[index + 1]] if index + 1 < len(roman) else 0
        total += -value if value < following else value
    return total


def _int_to_roman(number: int) -> str:
    """4 -> 'IV' (numbers above 3999 are returned in digits)."""
    if not 0 < number < 4000:
        return str(number)
    parts = []
    for value, symbol in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while number >= value:
            parts.append(symbol)
            number -= value
    return "".join(parts)


_NR_RE = re.compile(
    r"^(?:nr|no|numri|kodi|#|br|rb|r\.\s?br|redni\s+broj|šifra|sifra|kod)\.?$", re.IGNORECASE
)
_CODE_RE = re.compile(
    r"^(?P<head>[IVX]{1,6}|\d{1,2})(?P<tail>(?:[ \u00a0]*[.:]+[ \u00a0]*\d{1,2})*)[ \u00a0]*[.:]?$"
)


@dataclass(frozen=True)
class _Code:
    """A parsed code: strategic objective in roman digits and the numbers after it."""

    roman: str
    roman_written: bool
    parts: tuple[str, ...]

    @property
    def number(self) -> int:
        return _roman_to_int(self.roman) or 0

    def render(self, parts: Sequence[str] | None = None) -> str:
        chosen = self.parts if parts is None else parts
        return ".".join([self.roman, *(str(int(p)) for p in chosen)])


def _parse_code(text: str) -> _Code | None:
    """Parse 'I.1.1', 'II.41', 'I.4..2', '1.3', '2.1:', 'II' (not a bare arabic number)."""
    match = _CODE_RE.match(text.strip())
    if not match:
        return None
    head = match["head"]
    parts = tuple(re.findall(r"\d+", match["tail"]))
    if head.isdigit():
        if not parts or int(head) == 0:
            return None
        return _Code(_int_to_roman(int(head)), False, parts)
    if _roman_to_int(head) is None:
        return None
    return _Code(head, True, parts)


def _is_row_start(text: str) -> bool:
    """Whether a cell text starts a new table row for sure ('I.1.1', 'II', 'Nr.')."""
    stripped = text.strip()
    if _NR_RE.match(stripped):
        return True
    code = _parse_code(stripped)
    return code is not None and code.roman_written


_CURRENCY = r"(?:€|(?:euros|euro|eur)(?![^\W\d_]))"
_AMOUNT_RE = re.compile(
    rf"""^\s*(?:{_CURRENCY}\s*)?
    (?P<num>
        \d{{1,3}}(?P<sep>[.,'\u00a0\u202f\x20])\d{{3}}(?:(?P=sep)\d{{3}})*(?:(?P<dec>[.,])\d{{1,2}})?
      | \d{{1,15}}(?:[.,]\d{{1,2}})?
    )(?!\d)
    \s*(?:{_CURRENCY})?
    (?P<rest>.*?)\s*$""",
    re.VERBOSE | re.DOTALL | re.IGNORECASE,
)


def parse_amount(text: str) -> tuple[Decimal | None, str | None]:
    """Read a budget cell: ``(amount, funder_raw)``.

    Accepts ``1000``, ``9.000``, ``9,000``, ``9.000,00 €``, ``1 000``, ``€ 1.500,50``, and an
    amount followed by the funder (``1000 OJQ SIT``, ``1000\\nOJQ SIT``).  A group separator
    followed by exactly three digits is a thousands separator, one or two digits after
    ``.``/``,`` are decimals.  Anything else (empty, negative, ranges, text) gives
    ``(None, None)``; the caller decides what to do with an unparseable non-empty cell.
    """
    if not isinstance(text, str):
        return None, None
    match = _AMOUNT_RE.match(text)
    if not match:
        return None, None
    number, sep, dec = match["num"], match["sep"], match["dec"]
    if sep is not None and dec is not None and sep == dec:
        return None, None
    if sep is not None:
        number = number.replace(sep, "")
    number = number.replace(",", ".")
    rest = _normalize_ws(match["rest"])
    if rest and not (rest[0].isalpha() or rest[0] == "("):
        return None, None
    try:
        amount = Decimal(number)
    except InvalidOperation:  # pragma: no cover - the regex only lets digits through
        return None, None
    return amount, rest or None


_YEAR_RE = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d|21[0-4]\d)(?!\d)")
_YEAR_RANGE_RE = re.compile(
    r"(?<!\d)(19[5-9]\d|20\d\d|21[0-4]\d)\s*[-\u2010-\u2015/]\s*(19[5-9]\d|20\d\d|21[0-4]\d)(?!\d)"
)
_SEMIANNUAL_RE = re.compile(r"cdo\s*(?:6|gjashte)\s*-?\s*muaj|gjashtemujor|semi-?annual")
_ANNUAL_RE = re.compile(r"baza?\s+vjetore|cdo\s+vit(?:i|e)?\b|\bvjetore?\b|\bannual")


def parse_timeframe(text: str) -> tuple[int | None, int | None, str | None]:
    """Read a deadline cell: ``(start_year, end_year, recurrence)``.

    Recurrence is 'annual' ("(në baza vjetore)", "(baza vjetore)", "Çdo vit"), 'semiannual'
    ("Çdo 6 muaj", "Çdo 6 -muaj"), 'one_off' (a single year, or months within one year such
    as "Tetor- Dhjetor 2025") or ``None`` (a range of years without recurrence).
    """
    folded = _fold(text or "")
    recurrence: str | None = None
    if _SEMIANNUAL_RE.search(folded):
        recurrence = "semiannual"
    elif _ANNUAL_RE.search(folded):
        recurrence = "annual"
    years = [int(y) for y in _YEAR_RE.findall(text or "")]
    start: int | None = None
    end: int | None = None
    ranged = _YEAR_RANGE_RE.search(text or "")
    if ranged and int(ranged.group(1)) <= int(ranged.group(2)):
        start, end = int(ranged.group(1)), int(ranged.group(2))
        start, end = min([start, *years]), max([end, *years])
    elif years:
        start, end = min(years), max(years)
    if recurrence is None and years and len(set(years)) == 1 and not ranged:
        recurrence = "one_off"
    return start, end, recurrence


_FUNDER_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("municipality", re.compile(r"\bkomun(?:a|[eë]s|[eë]n|[eë]|es|en)?(?![^\W\d_])", re.I)),
    ("donors", re.compile(r"\bdonator(?:[eë]t|[eë]ve|[eë]|et|ve|i|e)?", re.I)),
    (
        "ngo",
        re.compile(r"\b(?:OJQ|NGO)(?:-?(?:t[eë]|ve|s))?\b|\borganizat\w*\s+jo-?qeveritare", re.I),
    ),
    ("business", re.compile(r"\bbiznes\w*|\bsektori\s+privat\w*", re.I)),
]


def classify_funder(text: str) -> str:
    """'municipality', 'donors', 'ngo', 'business' or 'other' for a funder text."""
    for kind, pattern in _FUNDER_PATTERNS:
        if pattern.search(text):
            return kind
    return "other"


def parse_funders(text: str) -> list[ParsedFunder]:
    """Split a 'Financimi' cell into funders.

    Pieces are separated by line breaks, ';', ',' and '/'; known words (Komuna, Donatorët,
    OJQ, Bizneset) are recognised even when glued to the next word ("DonatorëtQendra ...");
    everything else becomes an 'other' funder with its text.  Lower-case words after a known
    word qualify it ("Bizneset e mesme dhe të mëdha").
    """
    funders: list[ParsedFunder] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, raw: str) -> None:
        raw = _strip_funder(raw)
        if not raw or not any(ch.isalnum() for ch in raw):
            return
        key = (kind, _fold(raw))
        if key not in seen:
            seen.add(key)
            funders.append(ParsedFunder(kind, raw))

    for piece in re.split(r"[\n;,/]+", text or ""):
        if not piece.strip():
            continue
        spans: list[tuple[int, int, str]] = []
        for kind, pattern in _FUNDER_PATTERNS:
            spans.extend((m.start(), m.end(), kind) for m in pattern.finditer(piece))
        spans.sort()
        chosen: list[tuple[int, int, str]] = []
        for span in spans:
            if not chosen or span[0] >= chosen[-1][1]:
                chosen.append(span)
        cursor = 0
        last: list[Any] | None = None  # [kind, raw] of the latest keyword, may be extended
        pending: list[list[Any]] = []
        for start, end, kind in chosen:
            gap = piece[cursor:start]
            _attach_gap(gap, last, pending)
            last = [kind, piece[start:end]]
            pending.append(last)
            cursor = end
        _attach_gap(piece[cursor:], last, pending)
        for kind, raw in pending:
            add(kind, raw)
    return funders


def _strip_funder(text: str) -> str:
    """Trim spaces, dashes and dangling brackets ("Donatorë (" -> "Donatorë")."""
    text = _normalize_ws(text)
    previous = None
    while previous != text:
        previous = text
        text = text.strip(" -\u2013:").lstrip(")]").rstrip("([")
    return text


def _attach_gap(gap: str, last: list[Any] | None, pending: list[list[Any]]) -> None:
    """Text between funder keywords: qualifies the previous keyword or is an 'other' funder."""
    stripped = _strip_funder(gap)
    if not stripped or not any(ch.isalnum() for ch in stripped):
        return
    if last is not None and stripped[0].islower():
        last[1] = f"{last[1]} {stripped}"
    else:
        pending.append(["other", stripped])


_DEFAULT_PAIRS = ("NJDNJ,BGJ",)


def split_institutions(text: str, abbreviations: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """Split an 'Institucioni udhëheqës dhe mbështetës' cell: ``(lead, supporting)``.

    The first non-empty line holds the lead institution(s), the following lines the
    supporting ones.  Names are split on ';' and ',' outside parentheses, except that
    comma-separated abbreviation pairs known from the glossary (``NJDNJ, BGJ``) stay one name.
    A word hyphenated over a line break ("Admini-" / "stratorët") is joined.
    """
    known = {re.sub(r"\s+", "", a) for a in (*_DEFAULT_PAIRS, *abbreviations) if "," in a}
    raw_lines = [line.strip() for line in (text or "").split("\n")]
    lines: list[str] = []
    for line in raw_lines:
        if not line:
            continue
        if lines and re.search(r"[^\W\d_]-$", lines[-1]) and line[:1].islower():
            lines[-1] = lines[-1][:-1] + line
        else:
            lines.append(line)
    names = [_split_names(line, known) for line in lines]
    lead = names[0] if names else []
    supporting = [name for line_names in names[1:] for name in line_names]
    return lead, supporting


def _split_names(line: str, known_pairs: set[str]) -> list[str]:
    """Split one line of institution names on ';' and ',' outside parentheses."""
    protected: list[tuple[int, int]] = []
    for pair in known_pairs:
        pattern = r"\s*,\s*".join(re.escape(part) for part in pair.split(","))
        protected.extend(
            (m.start(), m.end()) for m in re.finditer(rf"(?<!\w){pattern}(?!\w)", line)
        )
    pieces: list[str] = []
    depth = 0
    current: list[str] = []
    for index, char in enumerate(line):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        is_protected = any(start <= index < end for start, end in protected)
        if char in ";," and depth == 0 and not (char == "," and is_protected):
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    return [_normalize_ws(p) for p in pieces if _normalize_ws(p).strip(" -–.")]


_REFERENCE_STARTS = (
    "ligj",
    "konvent",
    "strategji",
    "procedura",
    "marreveshj",
    "plani",
    "programi",
    "rregullor",
    "udhezim",
    "udhezues",
    "kodi",
    "kuadri",
    "korniza",
    "raport",
    "objektiv",
    "kushtetut",
    "deklarat",
    "vendim",
    "ua ",
)


def split_legal_references(text: str) -> list[str]:
    """Split a 'Referenca në dokumente' cell into the references as written.

    References are separated by ';' and by line breaks, but a line continues the previous
    reference when the previous line does not end with ';' and the line does not start a new
    reference (a law, convention, strategy, procedure, ...) -- "Ligji nr. 08/l-185 për
    Parandalimin ... në" / "Familje ..." is one reference.
    """
    lines = [line.strip() for line in (text or "").split("\n")]
    joined: list[str] = []
    for line in lines:
        if not line:
            if joined and not joined[-1].endswith(";"):
                joined[-1] += ";"
            continue
        starts_new = _fold(line).startswith(_REFERENCE_STARTS)
        if joined and not joined[-1].rstrip().endswith(";") and not starts_new:
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    references: list[str] = []
    for block in joined:
        references.extend(p.strip() for p in block.split(";") if p.strip(" .,;:"))
    return references


_LAW_NUMBER_RE = re.compile(
    r"\bligj\w*\s+(?:nr\.?|numer\w*)?\s*(\d{1,3})\s*/\s*([a-z])\s*-\s*(\d{1,4})", re.I
)
_STRATEGY_DV_RE = re.compile(
    r"^strategji\w*\s+kombetare\s+per\s+mbrojtje\s+nga\s+dhuna\s+ne\s+familje", re.I
)


def normalize_legal_reference(text: str) -> str | None:
    """Normalise one legal reference; ``None`` for an empty one.

    * "Ligji nr. 08/l-185 për ..." -> "Ligji nr. 08/L-185";
    * the Istanbul Convention under any of its names -> "Konventa e Stambollit";
    * "Strategjia Kombëtare për Mbrojtje nga Dhuna në Familje ... 2022-2026"
      -> "Strategjia Kombëtare për Mbrojtje nga Dhuna në Familje 2022–2026";
    * "Procedurat Standarde ..." -> "Procedurat Standarde të Veprimit";
    * "Marrëveshja e Mirëkuptimit ..." -> "Marrëveshja e Mirëkuptimit për MKK";
    * anything else: the first line, trimmed, with trailing punctuation removed.
    """
    if not isinstance(text, str):
        return None
    flat = _normalize_ws(text)
    if not flat.strip(" .,;:"):
        return None
    folded = _fold(flat)
    law = _LAW_NUMBER_RE.search(flat)
    if law and folded.startswith("ligj"):
        return f"Ligji nr. {law.group(1)}/{law.group(2).upper()}-{law.group(3)}"
    if folded.startswith("konvent") and (
        "stamboll" in folded
        or "istanbul" in folded
        or re.search(r"keshillit\s+te\s+e[uv]rop", folded)
        or re.search(r"parandalimin\s+dhe\s+luftimin\s+e\s+dhunes\s+kunder\s+grave", folded)
    ):
        return "Konventa e Stambollit"
    if _STRATEGY_DV_RE.match(folded):
        years = _YEAR_RANGE_RE.search(flat)
        suffix = f" {years.group(1)}\u2013{years.group(2)}" if years else ""
        return f"Strategjia Kombëtare për Mbrojtje nga Dhuna në Familje{suffix}"
    if folded.startswith("procedurat standarde"):
        return "Procedurat Standarde të Veprimit"
    if re.match(r"marreveshj\w*\s+(?:e\s+)?mirekuptimi", folded):
        return "Marrëveshja e Mirëkuptimit për MKK"
    first_line = next((line for line in text.split("\n") if line.strip()), "")
    result = _normalize_ws(first_line).rstrip(" .,;:")
    return result or None
