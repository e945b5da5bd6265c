"""Parser for a municipality's Local Action Plan against domestic violence.

The Local Action Plan ("Plani Lokal i Veprimit ...", PLV) is a Word document: some text
(contacts, acknowledgements, a glossary of abbreviations, an introduction, the goals and the
strategic / specific objectives), one large action table, and again some text (the monitoring
plan, the signature).  This module reads it either from

* the plain-text export of the Word document (:func:`parse_plan_text`), in which every table
  cell starts with a TAB at the beginning of a line, lines without a leading TAB continue the
  previous cell, and an empty line *usually* (not always) ends a table row; or
* the ``.docx`` itself (:func:`parse_plan_docx`), read with python-docx.

Both paths are first turned into the same intermediate representation -- a list of
:class:`ParagraphItem` and :class:`TableItem` (rows of :class:`SourceCell`) -- see
:func:`text_to_items` and :func:`docx_to_items`; everything after that is shared.

The result is a :class:`ParsedPlan` made of plain dataclasses; no Django model is touched
here.  Nothing in the action table is dropped: every non-empty source cell is recorded in
:attr:`ParsedPlan.cell_map` with the field it went to (:meth:`ParsedPlan.field_text` resolves
such a target), and everything that did not fit a field ends up in a ``notes`` field with a
:class:`ParseWarning`.

Only :class:`PlanParseError` is ever raised, whatever the input.  Human-readable messages
are lazy translations: nothing is translated at import time, so the module imports without
Django settings.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, BinaryIO

from django.utils.translation import gettext_lazy as _

__all__ = [
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_UPLOAD_BYTES",
    "MAX_ZIP_MEMBERS",
    "BLOCKING_KINDS",
    "COLUMN_ROLES",
    "column_mapping",
    "WARNING_KINDS",
    "CellPlacement",
    "ParagraphItem",
    "ParseWarning",
    "ParsedAction",
    "ParsedBudgetLine",
    "ParsedFunder",
    "ParsedPlan",
    "ParsedSpecificObjective",
    "ParsedStrategicObjective",
    "PlanParseError",
    "SourceCell",
    "TableItem",
    "classify_funder",
    "docx_to_items",
    "normalize_legal_reference",
    "parse_amount",
    "parse_funders",
    "parse_plan_docx",
    "parse_plan_file",
    "parse_plan_text",
    "parse_timeframe",
    "split_institutions",
    "split_legal_references",
    "text_to_items",
]

#: Largest accepted upload (compressed .docx or text), in bytes.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: Largest accepted total uncompressed size of the members of a .docx (zip bomb guard).
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
#: Largest accepted number of members in a .docx zip (zip bomb guard).
MAX_ZIP_MEMBERS = 2000
_DOCX_MAIN_PART = "word/document.xml"

#: Stable ``kind`` strings of :class:`ParseWarning`, with what they mean.
WARNING_KINDS: dict[str, str] = {
    "encoding": "the text was not UTF-8 and was decoded as cp1252 (or UTF-16)",
    "code_normalized": "an action or objective code was rewritten (spaces, dots, 1.3 -> I.3, ...)",
    "code_inferred": "a heading without a code (e.g. 'Nr.') got the next code in sequence",
    "code_missing": "an action row without a code got an inferred code",
    "code_unrecognized": "an action code does not look like 'I.1.1'; kept as written",
    "code_duplicate": "a code occurs twice; the later one got a '-2' suffix in `code`",
    "implicit_objective": "an objective was created for actions that had no heading row",
    "objective_repeated": "an objective heading was repeated (e.g. a continued table)",
    "title_from_preamble": "an objective title was taken from the list before the table",
    "amount_unparsed": "a budget cell is not an amount; its text went to the action's notes",
    "cell_to_notes": "a cell that fits no field went to the notes",
    "merged_cell": "a merged cell spans several logical columns; its text went to the first",
    "row_width": "an action row has fewer or more cells than the table header",
    "timeframe_unparsed": "no year and no recurrence could be read from a deadline cell",
    "budget_outside_timeframe": "a budget year lies outside the action's timeframe",
    "no_lead_institution": "an action names no lead institution",
    "text_between_tables": "text between two parts of the action table went to the plan notes",
    "column_unmapped": "a column of the action table has a header the parser does not know",
    "row_unplaced": "a table row that is neither a heading nor an action went to the notes",
}

#: Warnings that refuse an import unless the person importing accepts each one in the preview:
#: a budget that is not an amount (negative, 'n/a'), an action without a code, a row the parser
#: cannot place, a column nobody has mapped.
BLOCKING_KINDS = frozenset({"amount_unparsed", "code_missing", "row_unplaced", "column_unmapped"})


# ---------------------------------------------------------------------------------------------
# Errors and warnings
# ---------------------------------------------------------------------------------------------


def _lazy_format(template: Any, **params: Any) -> Any:
    """Return a lazy string: ``template.format(**params)`` evaluated only when rendered."""
    if not params:
        return template
    from django.utils.text import format_lazy  # lazy; importing it needs no settings

    return format_lazy(template, **params)


class PlanParseError(Exception):
    """The input is not a Local Action Plan this parser can read.

    ``kind`` is a stable machine-readable reason ('not_zip', 'not_docx', 'zip_too_large',
    'zip_too_many_members', 'too_large', 'bad_docx', 'unsupported_format', 'empty',
    'no_action_table', 'no_actions', 'internal'); ``message`` is a lazy translatable string.
    """

    def __init__(self, kind: str, message: Any, **params: Any) -> None:
        self.kind = kind
        self.params = params
        self.message = _lazy_format(message, **params)
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"PlanParseError({self.kind!r}, params={self.params!r})"

    def __str__(self) -> str:
        try:
            return str(self.message)
        except Exception:  # Django settings not configured: no translation available
            return self.kind


@dataclass
class ParseWarning:
    """Something the parser did that a person should check.

    ``row`` is the 0-based index of the table row (as in :attr:`ParsedAction.source_row`),
    ``column`` the logical column name ('code', 'description', 'budget_2025', ...).
    ``message`` is lazy (rendered only when converted to ``str``); ``params`` holds the values
    that were formatted into it.
    """

    kind: str
    message: Any = field(repr=False)
    row: int | None = None
    code: str | None = None
    column: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    #: The import is refused unless the person importing accepts this warning explicitly.
    blocking: bool = False

    @property
    def key(self) -> str:
        """A stable identifier of this warning within one document (for accepting it)."""
        row = "" if self.row is None else str(self.row)
        return f"{self.kind}:{row}:{self.column or ''}:{self.code or ''}"


# ---------------------------------------------------------------------------------------------
# Intermediate representation
# ---------------------------------------------------------------------------------------------


@dataclass
class SourceCell:
    """One cell of a source table row.

    ``span`` is the number of grid columns the cell covers (docx horizontal merges; always 1
    for the text export), ``position`` its first grid column (``None``: right after the
    previous cell), ``line`` the 1-based line of the text export where the cell starts.
    """

    text: str
    span: int = 1
    position: int | None = None
    line: int | None = None


@dataclass
class ParagraphItem:
    """A paragraph (docx) or a line (text export) outside the tables."""

    text: str
    line: int | None = None


@dataclass
class TableItem:
    """A table: rows of cells.  ``raw`` is the table as text (original lines for the text
    export); ``width`` the number of cells of its action-table header, when one was found."""

    rows: list[list[SourceCell]]
    raw: str = ""
    width: int | None = None
    first_line: int | None = None


DocumentItem = ParagraphItem | TableItem


# ---------------------------------------------------------------------------------------------
# Result dataclasses
# ---------------------------------------------------------------------------------------------


@dataclass
class ParsedFunder:
    """A funding source: ``kind`` is 'municipality', 'donors', 'ngo', 'business' or 'other';
    ``raw`` the text it was read from."""

    kind: str
    raw: str


@dataclass
class ParsedBudgetLine:
    """An amount planned for one budget year (EUR)."""

    year: int
    amount: Decimal
    funder_raw: str | None
    funder: str | None
    cell_raw: str


@dataclass
class ParsedAction:
    """One action row of the table."""

    code_raw: str
    code: str
    description: str = ""
    timeframe_raw: str = ""
    start_year: int | None = None
    end_year: int | None = None
    recurrence: str | None = None
    budget_lines: list[ParsedBudgetLine] = field(default_factory=list)
    funding_raw: str = ""
    funders: list[ParsedFunder] = field(default_factory=list)
    institutions_raw: str = ""
    lead_institutions: list[str] = field(default_factory=list)
    supporting_institutions: list[str] = field(default_factory=list)
    outputs: str = ""
    references_raw: str = ""
    legal_references: list[str] = field(default_factory=list)
    notes: str = ""
    source_row: int = 0
    source_line: int | None = None
    cells: dict[str, str] = field(default_factory=dict)

    @property
    def total_budget(self) -> Decimal:
        """Sum of the budget lines."""
        return sum((line.amount for line in self.budget_lines), Decimal(0))


@dataclass
class ParsedSpecificObjective:
    """A specific objective ('I.1', 'II.2', ...) and its actions, in table order."""

    code_raw: str | None
    code: str
    title: str
    actions: list[ParsedAction] = field(default_factory=list)
    title_raw: str = ""
    title_source: str | None = None  # 'table', 'preamble' or None
    source_row: int | None = None


@dataclass
class ParsedStrategicObjective:
    """A strategic objective ('I', 'II', ...) and its specific objectives, in table order."""

    code: str
    number: int
    title: str
    specific_objectives: list[ParsedSpecificObjective] = field(default_factory=list)
    code_raw: str | None = None
    title_raw: str = ""
    title_source: str | None = None
    source_row: int | None = None


@dataclass
class CellPlacement:
    """Where the text of one non-empty source cell went.

    ``target`` is 'header', 'plan.notes', ``action[<code>].<field>``,
    ``action[<code>].budget[<year>]``, ``specific_objective[<code>].<field>`` or
    ``strategic_objective[<code>].<field>``; see :meth:`ParsedPlan.field_text`.
    """

    row: int
    column: int
    text: str
    target: str


@dataclass
class ParsedPlan:
    """Everything read from one Local Action Plan."""

    title: str | None = None
    years: list[int] = field(default_factory=list)
    years_covered: tuple[int, int] | None = None
    preamble: str = ""
    postamble: str = ""
    glossary: list[tuple[str, str]] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    strategic_objectives: list[ParsedStrategicObjective] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    cell_map: list[CellPlacement] = field(default_factory=list)
    source_cells_nonempty: int = 0
    #: Texts of header / label cells of the table (column titles, "Objektivat strategjike ...").
    header_cells: list[str] = field(default_factory=list)
    #: Plan-level notes: table text that belongs to no action.
    notes: str = ""
    #: Objectives listed in the text before the table: ('1', title), ('1.1', title), ...
    preamble_objectives: list[tuple[str, str]] = field(default_factory=list)
    source_format: str = "text"
    #: Columns of the action table whose header names no known field:
    #: ``{"position": 3, "header": "Masa", "key": "masa"}``; the import asks for a mapping.
    unmapped_columns: list[dict[str, Any]] = field(default_factory=list)
    #: Tables before or after the action table that are not actions (monitoring, indicators).
    other_tables: int = 0

    @property
    def blocking_warnings(self) -> list[ParseWarning]:
        """Warnings that refuse the import unless accepted one by one."""
        return [w for w in self.warnings if w.blocking]

    @property
    def specific_objectives(self) -> list[ParsedSpecificObjective]:
        """All specific objectives, in table order."""
        return [spec for so in self.strategic_objectives for spec in so.specific_objectives]

    @property
    def actions(self) -> list[ParsedAction]:
        """All actions, in table order."""
        return [action for spec in self.specific_objectives for action in spec.actions]

    def action(self, code: str) -> ParsedAction:
        """The action whose (unique) ``code`` is ``code``; ``KeyError`` if none."""
        for action in self.actions:
            if action.code == code:
                return action
        raise KeyError(code)

    def warnings_of(self, kind: str) -> list[ParseWarning]:
        """The warnings of one ``kind``."""
        return [w for w in self.warnings if w.kind == kind]

    def budget_by_year(self) -> dict[int, Decimal]:
        """Total planned amount per budget year."""
        totals: dict[int, Decimal] = {year: Decimal(0) for year in self.years}
        for action in self.actions:
            for line in action.budget_lines:
                totals[line.year] = totals.get(line.year, Decimal(0)) + line.amount
        return totals

    def field_text(self, target: str) -> str:
        """The text of the field a :class:`CellPlacement` target points at."""
        if target == "header":
            return "\n".join(self.header_cells)
        if target == "plan.notes":
            return self.notes
        match = _TARGET_RE.match(target)
        if not match:
            raise KeyError(target)
        kind, code, name, year = match["kind"], match["code"], match["field"], match["year"]
        obj: Any
        if kind == "action":
            obj = self.action(code)
            if name == "budget":
                return "\n".join(
                    line.cell_raw for line in obj.budget_lines if str(line.year) == year
                )
        elif kind == "specific_objective":
            obj = next((s for s in self.specific_objectives if s.code == code), None)
        else:
            obj = next((s for s in self.strategic_objectives if s.code == code), None)
        if obj is None or not hasattr(obj, name):
            raise KeyError(target)
        value = getattr(obj, name)
        return value if isinstance(value, str) else ""


_TARGET_RE = re.compile(
    r"^(?P<kind>action|specific_objective|strategic_objective)\[(?P<code>.*)\]"
    r"\.(?P<field>[a-z_]+)(?:\[(?P<year>\d+)\])?$"
)


# ---------------------------------------------------------------------------------------------
# Small text helpers
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# Codes
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# Amounts, timeframes, funders, institutions, references
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# Table header, labels and row kinds
# ---------------------------------------------------------------------------------------------

_YEAR_LABEL_RE = re.compile(r"^(?:19[5-9]\d|20\d\d|21[0-4]\d)$")
_ANCHORS = {
    "veprimi",
    "veprimet",
    "aktiviteti",
    "aktivitetet",
    "veprimi/aktiviteti",
    # Serbian (Latin), as Serb-majority municipalities write their plans
    "aktivnost",
    "aktivnosti",
    "mera",
    "mere",
    "mjera",
    "mjere",
}
_TEXT_ROLES = ("description", "timeframe", "funding", "institutions", "outputs", "references")
#: Fields a column can be mapped to by the person importing ("notes": keep the text in notes).
COLUMN_ROLES = ("code", *_TEXT_ROLES, "notes")
_BOILERPLATE_RE = re.compile(
    r"^(?:objektiv\w*\s+strategjik\w*\s+dhe\s+specifik|strate\w*\s+i\s+specific\w*\s+cilj)"
)
_SO_TITLE_RE = re.compile(
    r"^\s*objektiv\w*\s+strategjik\w*\s*(?:nr\.?\s*)?(\d{1,2})\s*[:.\-\u2013]?\s*", re.I
)
_POSTAMBLE_RE = re.compile(r"^\s*plani\s+i\s+monitorimit", re.I)
_BUDGET_GROUP = ("buxhet", "budzet", "budget", "iznos", "shuma", "vlera", "kostoja", "troskov")

# Header wording, folded (lower case, no diacritics), checked in this order: Albanian as in
# the seed first, then the Serbian (Latin) wording of Serb-majority municipalities.
_LABEL_PREFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("description", ("veprim", "aktivitet")),
    ("timeframe", ("afat", "koha e", "periudha")),
    ("funding", ("financ", "burimi i financ", "burimet e financ")),
    ("institutions", ("pergjegj",)),
    ("outputs", ("tregues",)),
    ("description", ("aktivnost", "mera ", "mere ", "mjera", "mjere")),
    ("timeframe", ("rok", "vremensk", "krajnji rok", "period realiz")),
    ("funding", ("finans", "izvor finans", "izvori finans")),
    ("institutions", ("nosilac", "nosioci", "odgovorn", "partner")),
    ("outputs", ("rezultat", "pokazatelj", "indikator", "ocekivan")),
    ("references", ("pravn", "osnov")),
)

_COLUMN_MAP: ContextVar[dict[str, str] | None] = ContextVar("plan_column_map", default=None)


def header_key(text: str) -> str:
    """The form of a header text under which a person's column mapping is stored."""
    return _normalize_ws(_fold(text))[:80]


@contextmanager
def column_mapping(mapping: dict[str, str] | None) -> Iterator[None]:
    """Read the action table with the person's answers: ``{header_key: role}``."""
    token = _COLUMN_MAP.set({k: v for k, v in (mapping or {}).items() if v in COLUMN_ROLES} or None)
    try:
        yield
    finally:
        _COLUMN_MAP.reset(token)


def _label_role(text: str) -> str | None:
    """The column a header label names ('description', 'budget', ...), or ``None``."""
    if len(text) > 200:
        return None
    mapping = _COLUMN_MAP.get()
    if mapping:
        folded = _normalize_ws(_fold(text))
        if folded[:80] in mapping:
            role = mapping[folded[:80]]
            return "extra" if role == "notes" else role
    return _known_label_role(text)


@lru_cache(maxsize=65536)
def _known_label_role(text: str) -> str | None:
    folded = _normalize_ws(_fold(text))
    if not folded or len(folded) > 60:
        return None
    if _YEAR_LABEL_RE.match(folded):
        return "budget"
    if _NR_RE.match(folded):
        return "code"
    if folded in _ANCHORS:
        return "description"
    for role, prefixes in _LABEL_PREFIXES[:5]:
        if folded.startswith(prefixes):
            return role
    if "institucion" in folded:
        return "institutions"
    if "produkt" in folded or "output" in folded:
        return "outputs"
    if "referenc" in folded:
        return "references"
    if "institucij" in folded:
        return "institutions"
    for role, prefixes in _LABEL_PREFIXES[5:]:
        if folded.startswith(prefixes):
            return role
    if folded.startswith(_BUDGET_GROUP):
        return "budget_group"
    return None


def _is_anchor(text: str) -> bool:
    """Whether a cell is the 'Veprimi' column title."""
    stripped = text.strip()
    if not stripped or len(stripped) > 30 or stripped[0] not in "VvAaMm":
        return False
    return _normalize_ws(_fold(stripped)) in _ANCHORS


def _is_header_row(texts: Sequence[str]) -> bool:
    """Column titles: 'Veprimi' or at least two known labels."""
    nonempty = [t for t in texts if t.strip()]
    if any(_is_anchor(t) for t in nonempty):
        return True
    return sum(1 for t in nonempty if _label_role(t) in _TEXT_ROLES) >= 2


def _is_year_row(texts: Sequence[str]) -> bool:
    nonempty = [t.strip() for t in texts if t.strip()]
    return bool(nonempty) and all(_YEAR_LABEL_RE.match(t) for t in nonempty)


@lru_cache(maxsize=65536)
def _is_boilerplate(text: str) -> bool:
    """'Objektivat strategjike dhe specifike, treguesit dhe veprimet' and the like."""
    if len(text) > 200:
        return False
    return bool(_BOILERPLATE_RE.match(_normalize_ws(_fold(text))))


# ---------------------------------------------------------------------------------------------
# Text export -> items
# ---------------------------------------------------------------------------------------------

_TAB_LINE_RE = re.compile(r"^[ \u00a0]*\t")


@dataclass
class _Line:
    kind: str  # 'tab', 'blank' or 'cont'
    cells: list[str]


def _classify_line(line: str) -> _Line:
    match = _TAB_LINE_RE.match(line)
    if match:
        return _Line("tab", line[match.end() :].split("\t"))
    if not line.strip():
        return _Line("blank", [])
    return _Line("cont", line.split("\t"))


def _prescan_width(events: Sequence[_Line], line_index: int, cell_index: int, before: int) -> int:
    """Number of cells of the header row whose 'Veprimi' cell is at ``(line, cell)``.

    Counts the ``before`` cells of the row before the anchor, then the header-like cells
    (labels, years, empty cells) after it; an empty line is crossed only when the next cell
    is a column title (the seed's header is split in two by an empty line).
    """
    cells: list[list[Any]] = []  # [text, preceded by an empty line]
    blank = False
    for index in range(line_index, min(len(events), line_index + 400)):
        event = events[index]
        if event.kind == "blank":
            blank = True
        elif event.kind == "cont":
            if cells and len(cells[-1][0]) < 200:
                cells[-1][0] += "\n" + event.cells[0]
            cells.extend([text, False] for text in event.cells[1:])
        else:
            for position, text in enumerate(event.cells):
                if index == line_index and position < cell_index:
                    continue
                cells.append([text, blank and position == 0])
            blank = False
        if len(cells) > 40:
            break
    count = before
    for text, after_blank in cells:
        role = _label_role(text)
        if after_blank and role not in (*_TEXT_ROLES, "budget"):
            break
        if text.strip() and role is None:
            break
        count += 1
    return max(count, 2)


class _TextTableReader:
    """Reads one table block of the text export into rows of cells.

    Cells are collected in *segments* (the cells between two empty lines).  A segment
    continues the previous row when that row is not complete yet, the cells fit in the width
    of the header, the segment does not start with something that always starts a row
    ('I.1.1', 'II', 'Nr.') and does not hold the 'Veprimi' column title; otherwise it starts a
    new row.
    """

    def __init__(self, events: Sequence[_Line], width: int | None) -> None:
        self.events = events
        self.rows: list[list[SourceCell]] = []
        self.segment: list[SourceCell] = []
        self.segment_has_anchor = False
        self.width = width
        self.found_width: int | None = None
        self.current: SourceCell | None = None
        self.parts: list[str] = []  # the lines of the current cell (joined when it ends)
        self.head = ""  # the first 200 characters of the current cell, for the checks
        self.has_text = False

    def flush(self) -> None:
        if self.current is not None:
            self.current.text = "\n".join(self.parts)

    def start_cell(self, text: str, line: int) -> None:
        self.flush()
        self.current = SourceCell(text=text, line=line)
        self.parts = [text]
        self.head = text[:200]
        self.has_text = bool(text.strip())
        self.segment.append(self.current)
        if _is_anchor(self.head):
            self.segment_has_anchor = True

    def add_line(self, text: str, blank_lines: int) -> None:
        self.parts.extend([""] * blank_lines)
        self.parts.append(text)
        if len(self.head) < 200:
            self.head = (self.head + "\n" * (blank_lines + 1) + text)[:200]
        self.has_text = self.has_text or bool(text.strip())
        if _is_anchor(self.head):
            self.segment_has_anchor = True

    def merges(self) -> bool:
        """Whether the current segment continues the previous row."""
        if not self.rows or not self.segment or self.width is None:
            return False
        previous = len(self.rows[-1])
        if previous >= self.width or previous + len(self.segment) > self.width:
            return False
        if self.segment_has_anchor:
            return False  # a header row always starts a row
        first = self.head if len(self.segment) == 1 else self.segment[0].text
        return not _is_row_start(first)

    def close_segment(self) -> None:
        if self.segment:
            self.flush()
            if self.merges():
                self.rows[-1].extend(self.segment)
            else:
                self.rows.append(self.segment)
        self.segment = []
        self.segment_has_anchor = False

    def row_incomplete(self) -> bool:
        if self.width is None:
            return False
        if self.merges():
            return len(self.rows[-1]) + len(self.segment) < self.width
        return len(self.segment) < self.width

    def set_width(self, line_index: int, cell_index: int, before: int) -> None:
        self.found_width = _prescan_width(self.events, line_index, cell_index, before)
        self.width = self.found_width

    def read(self, start: int) -> int:
        """Consume the block from line ``start``; return the index after its last line."""
        events = self.events
        blank_run = 0
        last_content = start
        index = start
        while index < len(events):
            event = events[index]
            if event.kind == "blank":
                blank_run += 1
            elif event.kind == "tab":
                if blank_run:
                    self.close_segment()
                blank_run = 0
                for cell_index, text in enumerate(event.cells):
                    if self.found_width is None and _is_anchor(text):
                        self.set_width(index, cell_index, len(self.segment))
                    self.start_cell(text, index + 1)
                last_content = index
            else:  # a continuation line
                first, *more = event.cells
                if blank_run:
                    # after an empty line, text continues the cell only while the row is
                    # incomplete (before the header width is known: while the cell is empty)
                    if self.width is not None:
                        continues = self.row_incomplete() and not _POSTAMBLE_RE.match(first)
                    else:
                        continues = not self.has_text
                    if not continues:
                        break
                self.add_line(first, blank_run)
                blank_run = 0
                if self.found_width is None and _is_anchor(self.head):
                    # the 'Veprimi' cell started with an empty line
                    self.set_width(index + 1, 0, len(self.segment))
                for text in more:
                    self.start_cell(text, index + 1)
                last_content = index
            index += 1
        self.flush()
        self.close_segment()
        return last_content + 1


def _read_text_table(
    lines: Sequence[str], events: Sequence[_Line], start: int, width_hint: int | None
) -> tuple[TableItem, int]:
    """Read the table block starting at line ``start``; return it and the next line index."""
    reader = _TextTableReader(events, width_hint)
    end = reader.read(start)
    item = TableItem(
        rows=reader.rows,
        raw="\n".join(lines[start:end]),
        width=reader.found_width,
        first_line=start + 1,
    )
    return item, end


def text_to_items(text: str) -> list[DocumentItem]:
    """Split the plain-text export into paragraphs (one per line) and tables.

    Each table cell starts with a TAB at the beginning of a line (spaces before the TAB are
    allowed, further TABs on the line start further cells); a line without a leading TAB
    continues the current cell.  An empty line separates rows, unless the row is not complete
    yet compared with the width of the table header (then the cells after it continue the
    row) -- so a header split by an empty line, or a cell with an empty line in it, is read
    correctly.  A table ends at an empty line followed by text when its last row is complete.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    events = [_classify_line(line) for line in lines]
    items: list[DocumentItem] = []
    index = 0
    width_hint: int | None = None
    while index < len(lines):
        if events[index].kind == "tab":
            table, index = _read_text_table(lines, events, index, width_hint)
            if table.width:
                width_hint = table.width
            items.append(table)
        else:
            items.append(ParagraphItem(text=lines[index], line=index + 1))
            index += 1
    return items


# ---------------------------------------------------------------------------------------------
# .docx -> items
# ---------------------------------------------------------------------------------------------


def _read_bytes(data: bytes | bytearray | BinaryIO) -> bytes:
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
    else:
        try:
            raw = data.read(MAX_UPLOAD_BYTES + 1)
        except Exception as exc:  # any I/O problem of a file-like object
            raise PlanParseError("unreadable", _("The file could not be read.")) from exc
        if not isinstance(raw, bytes | bytearray):
            raise PlanParseError("unreadable", _("The file could not be read."))
        raw = bytes(raw)
    if len(raw) > MAX_UPLOAD_BYTES:
        raise PlanParseError(
            "too_large",
            _("The file is larger than {limit} MB."),
            limit=MAX_UPLOAD_BYTES // (1024 * 1024),
        )
    return raw


def _open_docx(raw: bytes) -> Any:
    """Check the zip container, then open it with python-docx."""
    if not raw:
        raise PlanParseError("empty", _("The file is empty."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise PlanParseError(
            "not_zip", _("The file is not a Word document (.docx): it is not a zip archive.")
        ) from exc
    with archive:
        try:
            members = archive.infolist()
        except Exception as exc:  # pragma: no cover - infolist is read when opening
            raise PlanParseError("not_zip", _("The .docx archive is damaged.")) from exc
        if len(members) > MAX_ZIP_MEMBERS:
            raise PlanParseError(
                "zip_too_many_members",
                _("The .docx archive has more than {limit} parts; it was refused."),
                limit=MAX_ZIP_MEMBERS,
            )
        total = sum(max(member.file_size, 0) for member in members)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise PlanParseError(
                "zip_too_large",
                _("The .docx archive would unpack to more than {limit} MB; it was refused."),
                limit=MAX_UNCOMPRESSED_BYTES // (1024 * 1024),
            )
        if _DOCX_MAIN_PART not in {member.filename for member in members}:
            raise PlanParseError(
                "not_docx",
                _("The file is a zip archive but not a Word document (no word/document.xml)."),
            )
    try:
        import docx  # python-docx

        return docx.Document(io.BytesIO(raw))
    except Exception as exc:  # python-docx/lxml raise many kinds of errors on damaged files
        raise PlanParseError(
            "bad_docx", _("The Word document could not be read; it may be damaged.")
        ) from exc


def _w(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


def _element_text(element: Any, parent: Any) -> str:
    """Text of a paragraph (``w:p``) or, recursively, of a nested table (``w:tbl``)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if element.tag == _w("p"):
        return Paragraph(element, parent).text
    if element.tag == _w("tbl"):
        rows = []
        for row in Table(element, parent).rows:
            cells = [c for c in _dedupe_row(row, set())[0] if c is not None]
            rows.append(" | ".join(_cell_text(cell) for cell in cells))
        return "\n".join(rows)
    if element.tag == _w("sdt"):
        content = element.find(_w("sdtContent"))
        if content is not None:
            return "\n".join(_element_text(child, parent) for child in content)
    return ""


def _cell_text(cell: Any) -> str:
    """The text of a table cell (its paragraphs and nested tables), TABs made spaces."""
    texts = [
        _element_text(child, cell) for child in cell._tc.iterchildren() if child.tag != _w("tcPr")
    ]
    return "\n".join(texts).replace("\t", " ")


def _row_cells(row: Any) -> list[Any]:
    """``row.cells``; for rows python-docx cannot lay out, one cell per ``w:tc`` and span."""
    try:
        return list(row.cells)
    except Exception:
        from docx.table import _Cell

        cells: list[Any] = []
        for tc in row._tr.tc_lst:
            cell = _Cell(tc, row.table)
            try:
                span = max(1, int(tc.grid_span))
            except Exception:
                span = 1
            cells.extend([cell] * span)
        return cells


def _dedupe_row(row: Any, seen: set[Any]) -> tuple[list[Any], list[int]]:
    """The distinct cells of a row and their spans.

    python-docx repeats the same cell for horizontally merged cells (and the cell above for
    vertically merged ones); cells are deduplicated by their underlying ``cell._tc``.  A cell
    already seen in an earlier row (vertical merge) is returned as ``None`` so the positions
    stay aligned.  ``seen`` holds the ``_tc`` elements (keeping them alive keeps lxml's
    proxies, hence their identity, stable).
    """
    cells: list[Any] = []
    spans: list[int] = []
    previous_tc = None
    for cell in _row_cells(row):
        tc = cell._tc
        if tc is previous_tc:
            spans[-1] += 1
            continue
        previous_tc = tc
        if tc in seen:
            cells.append(None)
        else:
            seen.add(tc)
            cells.append(cell)
        spans.append(1)
    return cells, spans


def _docx_table(table: Any) -> TableItem:
    rows: list[list[SourceCell]] = []
    seen: set[Any] = set()
    for row in table.rows:
        try:
            offset = int(row.grid_cols_before or 0)
        except Exception:
            offset = 0
        cells, spans = _dedupe_row(row, seen)
        out: list[SourceCell] = []
        position = offset
        for cell, span in zip(cells, spans, strict=True):
            text = "" if cell is None else _cell_text(cell)
            out.append(SourceCell(text=text, span=span, position=position))
            position += span
        rows.append(out)
    raw = "\n\n".join("\n".join("\t" + c.text for c in row) for row in rows)
    return TableItem(rows=rows, raw=raw)


def _iter_body(container: Any, parent: Any) -> Iterator[DocumentItem]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == _w("p"):
            yield ParagraphItem(text=Paragraph(child, parent).text)
        elif child.tag == _w("tbl"):
            yield _docx_table(Table(child, parent))
        elif child.tag in (_w("sdt"), _w("customXml")):
            content = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if content is not None:
                yield from _iter_body(content, parent)


def docx_to_items(data: bytes | BinaryIO) -> list[DocumentItem]:
    """Read a .docx into paragraphs and tables, in body order (after the zip checks)."""
    document = _open_docx(_read_bytes(data))
    try:
        body = document.element.body
        return list(_iter_body(body, document._body))
    except PlanParseError:
        raise
    except Exception as exc:
        raise PlanParseError(
            "bad_docx", _("The Word document could not be read; it may be damaged.")
        ) from exc


# ---------------------------------------------------------------------------------------------
# Preamble: title, contacts, glossary, goals, objectives
# ---------------------------------------------------------------------------------------------

_TITLE_RE = re.compile(r"\bPlani\s+lokal\s+i\s+veprimit\b[^()\n.;:,]*", re.I)
_CONTACTS_RE = re.compile(r"^\s*kontakt\w*\s*(?::\s*(?P<rest>.*)|$)", re.I)
_GLOSSARY_RE = re.compile(r"^\s*(?:lista\s+e\s+)?(?:shkurtesave|shkurtesat|akronimeve)\b", re.I)
_GOALS_RE = re.compile(r"synon\s+t[eë]\s*:\s*$", re.I)
# spaces, bullets, dashes and the Symbol-font bullets Word exports as private-use characters
_BULLET_CHARS = (
    " \t\u00a0\u2022\u25cf\u25aa\u25e6\u2023\u2219\u00b7\u2013\u2014-*"
    "\uf0a7\uf0b7\uf071\uf0d8\uf0fc"
)
_SPECIFIC_PREAMBLE_RE = re.compile(r"^\s*(\d{1,2})\s*\.\s*(\d{1,2})\s*[:.)]?\s+(\S.*?)\s*$")


def _preamble_lines(items: Sequence[DocumentItem]) -> list[str | TableItem]:
    out: list[str | TableItem] = []
    for item in items:
        if isinstance(item, TableItem):
            out.append(item)
        else:
            out.extend(item.text.split("\n"))
    return out


def _strip_title(text: str) -> str:
    return _normalize_ws(text).strip(" ;:.,")


def _read_preamble(
    items: Sequence[DocumentItem],
) -> tuple[str | None, list[str], list[tuple[str, str]], list[str], list[tuple[str, str]]]:
    """Title, contacts, glossary, goals and the objectives listed before the table."""
    lines = _preamble_lines(items)
    texts = [line for line in lines if isinstance(line, str)]

    title: str | None = None
    for line in texts:
        match = _TITLE_RE.search(line)
        if match:
            candidate = _normalize_ws(match.group(0))[:250].strip(" -–")
            if candidate:
                title = candidate
                break

    contacts: list[str] = []
    for index, line in enumerate(lines):
        if isinstance(line, str) and (match := _CONTACTS_RE.match(line)):
            if (match["rest"] or "").strip():
                contacts.append(match["rest"].strip())
            for following in lines[index + 1 : index + 40]:
                if not isinstance(following, str):
                    break
                if not following.strip():
                    if contacts:
                        break
                    continue
                contacts.append(following.strip())
            break

    glossary: list[tuple[str, str]] = []
    for index, line in enumerate(lines):
        if isinstance(line, str) and _GLOSSARY_RE.match(line):
            table = next(
                (t for t in lines[index + 1 : index + 6] if isinstance(t, TableItem)), None
            )
            if table is not None:
                glossary = _glossary_pairs(table)
            break

    goals: list[str] = []
    for index, line in enumerate(texts):
        if _GOALS_RE.search(line):
            for following in texts[index + 1 : index + 30]:
                stripped = following.lstrip(_BULLET_CHARS)
                bulleted = stripped != following
                if not following.strip():
                    if goals:
                        break
                    continue
                if not (bulleted or re.match(r"^t[eë]\s", following.strip(), re.I)):
                    break
                goals.append(stripped.strip())
            break

    objectives: list[tuple[str, str]] = []
    current: int | None = None
    for line in texts:
        match = _SO_TITLE_RE.match(line)
        if match:
            current = int(match.group(1))
            objectives.append((str(current), _strip_title(line[match.end() :])))
            continue
        match = _SPECIFIC_PREAMBLE_RE.match(line)
        if match and current is not None and int(match.group(1)) == current:
            objectives.append((f"{current}.{int(match.group(2))}", _strip_title(match.group(3))))
    return title, contacts, glossary, goals, objectives


def _glossary_pairs(table: TableItem) -> list[tuple[str, str]]:
    rows = [[_normalize_ws(c.text) for c in row] for row in table.rows]
    rows = [[t for t in row if t] for row in rows]
    rows = [row for row in rows if row]
    if all(len(row) == 2 for row in rows):
        return [(row[0], row[1]) for row in rows]
    flat = [t for row in rows for t in row]
    return [(flat[i], flat[i + 1]) for i in range(0, len(flat) - 1, 2)]


# ---------------------------------------------------------------------------------------------
# The action table
# ---------------------------------------------------------------------------------------------


@dataclass
class _Cell:
    position: int
    span: int
    column: int
    text: str  # stripped
    raw: str


def _positioned(row: Sequence[SourceCell]) -> list[_Cell]:
    cells: list[_Cell] = []
    position = 0
    for column, cell in enumerate(row):
        if cell.position is not None:
            position = cell.position
        span = max(1, cell.span)
        cells.append(_Cell(position, span, column, cell.text.strip(), cell.text))
        position += span
    return cells


@dataclass
class _Layout:
    roles: list[str]
    years: dict[int, int]  # position -> year
    #: Columns whose header names no known field: (position, header text).
    unknown: list[tuple[int, str]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.roles)

    def column_name(self, position: int) -> str:
        if position >= len(self.roles):
            return f"extra_{position}"
        role = self.roles[position]
        if role == "budget":
            return f"budget_{self.years[position]}"
        if role == "extra":
            return f"extra_{position}"
        return role


def _detect_layout(rows: Sequence[Sequence[SourceCell]]) -> _Layout | None:
    """Column roles from the best header row (year-only rows fill in the budget years)."""
    best: list[_Cell] | None = None
    best_score = -1
    year_rows: list[list[_Cell]] = []
    header_rows: list[list[_Cell]] = []
    for row in rows:
        cells = _positioned(row)
        texts = [c.text for c in cells]
        if _is_header_row(texts):
            header_rows.append(cells)
            roles = {_label_role(t) for t in texts} - {None, "budget_group", "extra"}
            years = sum(1 for t in texts if _label_role(t) == "budget")
            score = len(roles) * 10 + years
            if score > best_score:
                best, best_score = cells, score
        elif _is_year_row(texts):
            year_rows.append(cells)
    if best is None:
        return None
    width = max(c.position + c.span for c in best)
    roles: list[str | None] = [None] * width
    years: dict[int, int] = {}
    for cell in best:
        role = _label_role(cell.text)
        if role is not None and role != "budget_group":
            roles[cell.position] = role
            if role == "budget":
                years[cell.position] = int(cell.text.strip())
    for cells in [*header_rows, *year_rows]:
        for cell in cells:
            role = _label_role(cell.text)
            if role == "budget" and cell.position < width and roles[cell.position] is None:
                roles[cell.position] = role
                years[cell.position] = int(cell.text.strip())
    code_labelled = "code" in roles
    if roles[0] is None and not code_labelled:
        roles[0] = "code"
    unknown = [
        (cell.position, cell.text)
        for cell in best
        if cell.text
        and cell.position < width
        and roles[cell.position] is None
        and not _is_boilerplate(cell.text)
        and _label_role(cell.text) != "budget_group"
    ]
    final = [role or "extra" for role in roles]
    if "description" not in final:
        return None
    return _Layout(final, years, unknown)


def _code_first(
    rows: list[list[SourceCell]], layout: _Layout
) -> tuple[list[list[SourceCell]], _Layout]:
    """When the code column is not the first one, move it first in every full row.

    Headings (short rows, merged cells) are written with their code first anyway; only rows
    with one plain cell per column are rearranged, so the rest of the parser reads the code
    where it expects it and every other cell keeps its column role.
    """
    if "code" not in layout.roles or layout.roles[0] == "code":
        return rows, layout
    p = layout.roles.index("code")
    order = [p, *(i for i in range(layout.width) if i != p)]
    moved: list[list[SourceCell]] = []
    for row in rows:
        cells = _positioned(row)
        if len(cells) != layout.width or any(c.span != 1 for c in cells):
            moved.append(list(row))
            continue
        by_position = {c.position: row[c.column] for c in cells}
        moved.append(
            [
                SourceCell(by_position[i].text, 1, None, by_position[i].line)
                for i in order
                if i in by_position
            ]
        )
    roles = [layout.roles[i] for i in order]
    years = {order.index(pos): year for pos, year in layout.years.items()}
    unknown = [(order.index(pos), text) for pos, text in layout.unknown]
    return moved, _Layout(roles, years, unknown)


@dataclass
class _Pending:
    row: int
    column: int
    text: str
    owner: Any
    field: str
    year: int | None = None


class _TableParser:
    """Walks the rows of the action table and builds the objectives and actions."""

    def __init__(
        self,
        plan: ParsedPlan,
        layout: _Layout,
        abbreviations: Sequence[str],
    ) -> None:
        self.plan = plan
        self.layout = layout
        self.abbreviations = list(abbreviations)
        self.pending: list[_Pending] = []
        self.current_so: ParsedStrategicObjective | None = None
        self.current_spec: ParsedSpecificObjective | None = None
        self.last_action: ParsedAction | None = None
        self.notes: list[str] = []

    # -- helpers -------------------------------------------------------------------------------

    def warn(
        self,
        kind: str,
        message: Any,
        *,
        row: int | None = None,
        code: str | None = None,
        column: str | None = None,
        **params: Any,
    ) -> None:
        if row is not None:
            params.setdefault("row", row + 1)
        params.setdefault("code", code or "")
        params.setdefault("column", column or "")
        self.plan.warnings.append(
            ParseWarning(
                kind=kind,
                message=_lazy_format(message, **params),
                row=row,
                code=code,
                column=column,
                params=params,
                blocking=kind in BLOCKING_KINDS,
            )
        )

    def place(
        self, row: int, cell: _Cell, owner: Any, field_name: str, year: int | None = None
    ) -> None:
        self.pending.append(_Pending(row, cell.column, cell.text, owner, field_name, year))

    def header(self, row: int, cell: _Cell) -> None:
        self.plan.header_cells.append(cell.text)
        self.place(row, cell, None, "header")

    def to_notes(self, row: int, cell: _Cell, label: str) -> None:
        """Put a cell into the last action's notes (or the plan notes)."""
        entry = f"[{label}] {cell.text}" if label else cell.text
        if self.last_action is not None:
            action = self.last_action
            action.notes = f"{action.notes}\n{entry}" if action.notes else entry
            self.place(row, cell, action, "notes")
        else:
            self.notes.append(entry)
            self.place(row, cell, None, "notes")

    # -- objectives ----------------------------------------------------------------------------

    def ensure_so(self, row: int, number: int | None = None) -> ParsedStrategicObjective:
        if self.current_so is None:
            number = number or 1
            so = ParsedStrategicObjective(
                code=_int_to_roman(number), number=number, title="", source_row=None
            )
            self.plan.strategic_objectives.append(so)
            self.current_so = so
            self.warn(
                "implicit_objective",
                _(
                    "Table row {row}: rows before any strategic objective heading were put under "
                    "strategic objective {code}."
                ),
                row=row,
                code=so.code,
            )
        return self.current_so

    def strategic_heading(self, row: int, cells: list[_Cell], first: _Cell | None) -> None:
        content = [c for c in cells if c is not first and c.text and not _is_boilerplate(c.text)]
        boiler = [c for c in cells if c is not first and c.text and _is_boilerplate(c.text)]
        number: int | None = None
        code_raw = first.raw if first is not None and first.text else None
        code = _parse_code(first.text) if first is not None and first.text else None
        if code is not None and not code.parts:
            number = code.number
        title_raw = "\n".join(c.text for c in content)
        if number is None:
            for cell in content:
                match = _SO_TITLE_RE.match(cell.text)
                if match:
                    number = int(match.group(1))
                    break
        if number is None:
            number = (
                (self.plan.strategic_objectives[-1].number + 1)
                if (self.plan.strategic_objectives)
                else 1
            )
        title = _strip_title(_SO_TITLE_RE.sub("", _normalize_ws(title_raw), count=1))
        roman = _int_to_roman(number)
        existing = next((s for s in self.plan.strategic_objectives if s.code == roman), None)
        if existing is not None and existing is self.current_so:
            so = existing
            if title_raw and _normalize_ws(title_raw) not in _normalize_ws(so.title_raw):
                so.title_raw = f"{so.title_raw}\n{title_raw}" if so.title_raw else title_raw
                so.title = so.title or title
            self.warn(
                "objective_repeated",
                _("Table row {row}: the heading of strategic objective {code} is repeated."),
                row=row,
                code=roman,
            )
        else:
            code_text = roman
            if existing is not None:
                code_text = self._unique(roman, {s.code for s in self.plan.strategic_objectives})
                self.warn(
                    "code_duplicate",
                    _(
                        "Table row {row}: strategic objective {code} occurs twice; the second is "
                        "called {new}."
                    ),
                    row=row,
                    code=roman,
                    new=code_text,
                )
            so = ParsedStrategicObjective(
                code=code_text,
                number=number,
                title=title,
                code_raw=code_raw,
                title_raw=title_raw,
                title_source="table" if title else None,
                source_row=row,
            )
            self.plan.strategic_objectives.append(so)
        self.current_so = so
        self.current_spec = None
        if first is not None and first.text:
            self.place(row, first, so, "code_raw")
        for cell in boiler:
            self.header(row, cell)
        for cell in content:
            self.place(row, cell, so, "title_raw")

    def _next_spec_code(self, so: ParsedStrategicObjective) -> str:
        numbers = [0]
        for spec in so.specific_objectives:
            parsed = _parse_code(spec.code.split("-")[0])
            if parsed is not None and parsed.roman == so.code and len(parsed.parts) == 1:
                numbers.append(int(parsed.parts[0]))
        return f"{so.code}.{max(numbers) + 1}"

    @staticmethod
    def _unique(code: str, used: set[str]) -> str:
        if code not in used:
            return code
        suffix = 2
        while f"{code}-{suffix}" in used:
            suffix += 1
        return f"{code}-{suffix}"

    def specific_heading(self, row: int, cells: list[_Cell], first: _Cell | None) -> None:
        so = self.ensure_so(row)
        first_text = first.text if first is not None else ""
        code = _parse_code(first_text) if first_text else None
        title_cells = [
            c for c in cells if c is not first and c.text and not _is_boilerplate(c.text)
        ]
        boiler = [c for c in cells if c is not first and c.text and _is_boilerplate(c.text)]
        code_cell_is_title = bool(first_text) and code is None and not _NR_RE.match(first_text)
        if code_cell_is_title and first is not None:
            title_cells.insert(0, first)
        code_raw = first.raw if first is not None and first_text else None
        if code is not None and len(code.parts) == 1:
            normalized = code.render()
            if code_raw is not None and normalized != code_raw:
                self.warn(
                    "code_normalized",
                    _("Table row {row}: objective code {raw!r} was read as {code}."),
                    row=row,
                    code=normalized,
                    column="code",
                    raw=code_raw,
                )
        else:
            normalized = self._next_spec_code(so)
            self.warn(
                "code_inferred",
                _(
                    "Table row {row}: the objective heading {raw!r} has no code; it was given "
                    "the next code, {code}."
                ),
                row=row,
                code=normalized,
                column="code",
                raw=code_raw or "",
            )
        title_raw = "\n".join(c.text for c in title_cells)
        title = _strip_title(title_raw)
        used = {s.code for s in self.plan.specific_objectives}
        current = self.current_spec
        if (
            current is not None
            and current.code == normalized
            and current in so.specific_objectives
            and (not title or _normalize_ws(title) == _normalize_ws(current.title))
        ):
            spec = current
            if title_raw and _normalize_ws(title_raw) not in _normalize_ws(spec.title_raw):
                spec.title_raw = f"{spec.title_raw}\n{title_raw}" if spec.title_raw else title_raw
                spec.title = spec.title or title
            self.warn(
                "objective_repeated",
                _("Table row {row}: the heading of objective {code} is repeated."),
                row=row,
                code=normalized,
            )
        else:
            unique = self._unique(normalized, used)
            if unique != normalized:
                self.warn(
                    "code_duplicate",
                    _(
                        "Table row {row}: objective code {code} occurs twice; this one is called "
                        "{new}."
                    ),
                    row=row,
                    code=normalized,
                    new=unique,
                )
            spec = ParsedSpecificObjective(
                code_raw=code_raw,
                code=unique,
                title=title,
                title_raw=title_raw,
                title_source="table" if title else None,
                source_row=row,
            )
            so.specific_objectives.append(spec)
        self.current_spec = spec
        if first is not None and first_text and not code_cell_is_title:
            self.place(row, first, spec, "code_raw")
        for cell in boiler:
            self.header(row, cell)
        for cell in title_cells:
            self.place(row, cell, spec, "title_raw")

    def ensure_spec(self, row: int, action_code: _Code | None) -> ParsedSpecificObjective:
        so = self.ensure_so(row, action_code.number if action_code else None)
        if self.current_spec is not None and self.current_spec in so.specific_objectives:
            return self.current_spec
        used = {s.code for s in self.plan.specific_objectives}
        code = None
        if action_code is not None and action_code.roman == so.code and len(action_code.parts) >= 2:
            candidate = f"{so.code}.{int(action_code.parts[0])}"
            if candidate not in used:
                code = candidate
        code = code or self._unique(self._next_spec_code(so), used)
        spec = ParsedSpecificObjective(code_raw=None, code=code, title="", source_row=None)
        so.specific_objectives.append(spec)
        self.current_spec = spec
        self.warn(
            "implicit_objective",
            _(
                "Table row {row}: actions without an objective heading were put under specific "
                "objective {code}."
            ),
            row=row,
            code=code,
        )
        return spec

    # -- actions -------------------------------------------------------------------------------

    def action_row(self, row: int, cells: list[_Cell], line: int | None) -> None:
        layout = self.layout
        first = next((c for c in cells if c.position == 0), None)
        code_raw = first.raw.strip("\r\n") if first is not None else ""
        parsed = _parse_code(code_raw) if code_raw.strip() else None
        spec = self.ensure_spec(row, parsed)
        action = ParsedAction(code_raw=code_raw, code=code_raw, source_row=row, source_line=line)
        spec.actions.append(action)
        self.last_action = action
        if len(cells) != layout.width and sum(c.span for c in cells) != layout.width:
            self.warn(
                "row_width",
                _(
                    "Table row {row} has {count} cells where the header has {width}; the cells "
                    "were assigned from the left."
                ),
                row=row,
                code=code_raw.strip() or None,
                count=len(cells),
                width=layout.width,
            )
        texts: dict[str, list[str]] = {}
        for cell in cells:
            if not cell.text:
                continue
            name = layout.column_name(cell.position)
            role = layout.roles[cell.position] if cell.position < layout.width else "extra"
            if cell.span > 1:
                covered = {
                    layout.column_name(p) for p in range(cell.position, cell.position + cell.span)
                }
                if len(covered) > 1:
                    self.warn(
                        "merged_cell",
                        _(
                            "Table row {row}: a merged cell covers several columns; its text "
                            "was read as {column}."
                        ),
                        row=row,
                        code=code_raw.strip() or None,
                        column=name,
                    )
            texts.setdefault(name, []).append(cell.text)
            if role == "code" and cell is first:
                self.place(row, cell, action, "code_raw")
            elif role == "budget":
                self.budget_cell(row, cell, action, layout.years[cell.position], name)
            elif role in _TEXT_ROLES:
                self.place(row, cell, action, self._field_for(role))
            else:
                self.warn(
                    "cell_to_notes",
                    _("Table row {row}: a cell outside the known columns went to the notes."),
                    row=row,
                    code=code_raw.strip() or None,
                    column=name,
                )
                self.to_notes(row, cell, name)
        action.cells = {name: "\n".join(values) for name, values in texts.items()}
        action.description = _clean(action.cells.get("description", ""))
        action.timeframe_raw = _clean(action.cells.get("timeframe", ""))
        action.funding_raw = _clean(action.cells.get("funding", ""))
        action.institutions_raw = _clean(action.cells.get("institutions", ""))
        action.outputs = _clean(action.cells.get("outputs", ""))
        action.references_raw = _clean(action.cells.get("references", ""))
        self.fill_action(action, row)

    @staticmethod
    def _field_for(role: str) -> str:
        return {
            "description": "description",
            "timeframe": "timeframe_raw",
            "funding": "funding_raw",
            "institutions": "institutions_raw",
            "outputs": "outputs",
            "references": "references_raw",
        }[role]

    def budget_cell(
        self, row: int, cell: _Cell, action: ParsedAction, year: int, name: str
    ) -> None:
        amount, funder_raw = parse_amount(cell.text)
        if amount is None:
            self.warn(
                "amount_unparsed",
                _(
                    "Table row {row}: the budget cell for {year} ({text!r}) is not an amount; it "
                    "was put in the notes."
                ),
                row=row,
                code=action.code_raw.strip() or None,
                column=name,
                year=year,
                text=cell.text,
            )
            self.to_notes(row, cell, str(year))
            return
        action.budget_lines.append(
            ParsedBudgetLine(
                year=year,
                amount=amount,
                funder_raw=funder_raw,
                funder=classify_funder(funder_raw) if funder_raw else None,
                cell_raw=cell.text,
            )
        )
        self.place(row, cell, action, "budget", year)

    def fill_action(self, action: ParsedAction, row: int) -> None:
        start, end, recurrence = parse_timeframe(action.timeframe_raw)
        action.start_year, action.end_year, action.recurrence = start, end, recurrence
        if action.timeframe_raw and start is None and recurrence is None:
            self.warn(
                "timeframe_unparsed",
                _(
                    "Table row {row}: no year or recurrence could be read from the deadline "
                    "{text!r}."
                ),
                row=row,
                code=action.code_raw.strip() or None,
                column="timeframe",
                text=action.timeframe_raw,
            )
        action.funders = parse_funders(action.funding_raw)
        lead, supporting = split_institutions(action.institutions_raw, self.abbreviations)
        action.lead_institutions, action.supporting_institutions = lead, supporting
        references: list[str] = []
        for reference in split_legal_references(action.references_raw):
            normalized = normalize_legal_reference(reference)
            if normalized and normalized not in references:
                references.append(normalized)
        action.legal_references = references

    def other_row(self, row: int, cells: list[_Cell]) -> None:
        for cell in cells:
            if cell.text:
                name = self.layout.column_name(cell.position)
                self.warn(
                    "row_unplaced",
                    _(
                        "Table row {row}: a row that is neither a heading nor an action went to "
                        "the notes."
                    ),
                    row=row,
                    code=self.last_action.code_raw.strip() if self.last_action else None,
                    column=name,
                )
                self.to_notes(row, cell, name)

    # -- rows ----------------------------------------------------------------------------------

    def classify(self, cells: list[_Cell]) -> str:
        texts = [c.text for c in cells]
        nonempty = [t for t in texts if t]
        if not nonempty:
            return "spacer"
        if _is_header_row(nonempty) or _is_year_row(nonempty):
            return "header"
        first = next((c for c in cells if c.position == 0), None)
        first_text = first.text if first is not None else ""
        code = _parse_code(first_text) if first_text else None
        is_nr = bool(_NR_RE.match(first_text))
        others = [c for c in cells if c is not first and c.text]
        boiler = [c for c in others if _is_boilerplate(c.text)]
        content = [c for c in others if not _is_boilerplate(c.text)]
        short = len(cells) < self.layout.width
        bare_roman = code is not None and code.roman_written and not code.parts
        heading_like = bool(boiler) or (len(content) <= 1 and (short or bare_roman or is_nr))
        if not heading_like:
            description = any(
                c.text
                and c.position < self.layout.width
                and self.layout.roles[c.position] == "description"
                for c in cells
            )
            return "action" if first_text or description else "other"
        if bare_roman or (
            (code is None or not code.parts) and any(_SO_TITLE_RE.match(c.text) for c in content)
        ):
            return "strategic"
        if code is not None and len(code.parts) >= 2:
            return "action"
        if code is not None or is_nr or not first_text:
            if not content and code is None:
                # 'Nr. | Objektivat strategjike dhe specifike ...' with its title cell empty
                # is still the heading of the next specific objective once the table has begun.
                if is_nr and boiler and self.current_so is not None:
                    return "specific"
                return "header"
            return "specific"
        return "specific" if boiler else "other"

    def run(self, rows: Sequence[Sequence[SourceCell]]) -> None:
        for index, row in enumerate(rows):
            cells = _positioned(row)
            self.plan.source_cells_nonempty += sum(1 for c in cells if c.text)
            kind = self.classify(cells)
            first = next((c for c in cells if c.position == 0), None)
            if kind == "spacer":
                continue
            if kind == "header":
                for cell in cells:
                    if cell.text:
                        self.header(index, cell)
            elif kind == "strategic":
                self.strategic_heading(index, cells, first)
            elif kind == "specific":
                self.specific_heading(index, cells, first)
            elif kind == "action":
                line = next((c.line for c in row if c.line is not None), None)
                self.action_row(index, cells, line)
            else:
                self.other_row(index, cells)

    # -- after all rows ------------------------------------------------------------------------

    def normalize_codes(self) -> None:
        """Normalise action codes using their siblings, then make duplicates unique."""
        for spec in self.plan.specific_objectives:
            parsed = [_parse_code(a.code_raw) for a in spec.actions]
            prefixes = Counter(
                (p.roman, str(int(p.parts[0])))
                for p in parsed
                if p is not None and len(p.parts) >= 2
            )
            spec_code = _parse_code(spec.code.split("-")[0])
            for action, code in zip(spec.actions, parsed, strict=True):
                if code is None:
                    cleaned = _normalize_ws(action.code_raw)
                    if not cleaned:
                        cleaned = self._next_action_code(spec, action)
                        self.warn(
                            "code_missing",
                            _(
                                "Table row {row}: an action without a code was given the code "
                                "{code}."
                            ),
                            row=action.source_row,
                            code=cleaned,
                            column="code",
                        )
                    elif not _NR_RE.match(cleaned):
                        self.warn(
                            "code_unrecognized",
                            _(
                                "Table row {row}: the action code {raw!r} is not of the form "
                                "I.1.1; it was kept as written."
                            ),
                            row=action.source_row,
                            code=cleaned,
                            column="code",
                            raw=action.code_raw,
                        )
                    else:
                        cleaned = self._next_action_code(spec, action)
                        self.warn(
                            "code_inferred",
                            _(
                                "Table row {row}: the action code {raw!r} was replaced by the "
                                "next code, {code}."
                            ),
                            row=action.source_row,
                            code=cleaned,
                            column="code",
                            raw=action.code_raw,
                        )
                    action.code = cleaned
                    continue
                parts = list(code.parts)
                if len(parts) == 1 and len(parts[0]) >= 2:
                    parts = self._split_joined(code, parts[0], prefixes, spec_code)
                normalized = code.render(parts)
                action.code = normalized
                if normalized != action.code_raw:
                    self.warn(
                        "code_normalized",
                        _("Table row {row}: action code {raw!r} was read as {code}."),
                        row=action.source_row,
                        code=normalized,
                        column="code",
                        raw=action.code_raw,
                    )
        used: set[str] = set()
        for action in self.plan.actions:
            unique = self._unique(action.code, used)
            if unique != action.code:
                self.warn(
                    "code_duplicate",
                    _(
                        "Table row {row}: action code {code} (written {raw!r}) occurs more than "
                        "once; this one is called {new}."
                    ),
                    row=action.source_row,
                    code=action.code,
                    column="code",
                    raw=action.code_raw,
                    new=unique,
                )
                action.code = unique
            used.add(unique)

    def _next_action_code(self, spec: ParsedSpecificObjective, action: ParsedAction) -> str:
        index = spec.actions.index(action)
        base = spec.code.split("-")[0]
        return f"{base}.{index + 1}"

    @staticmethod
    def _split_joined(
        code: _Code, digits: str, prefixes: Counter[tuple[str, str]], spec_code: _Code | None
    ) -> list[str]:
        """'II.41' -> ['4', '1'] using the siblings' prefix (II.4.x) or the heading's code."""
        for (roman, number), _count in prefixes.most_common():
            if roman == code.roman and digits.startswith(number) and len(digits) > len(number):
                return [number, digits[len(number) :]]
        if spec_code is not None and spec_code.roman == code.roman and spec_code.parts:
            number = str(int(spec_code.parts[0]))
            if digits.startswith(number) and len(digits) > len(number):
                return [number, digits[len(number) :]]
        return [digits[0], digits[1:]]

    def fill_titles(self, preamble: Sequence[tuple[str, str]]) -> None:
        titles = dict(preamble)
        for so in self.plan.strategic_objectives:
            if not so.title and titles.get(str(so.number)):
                so.title = titles[str(so.number)]
                so.title_source = "preamble"
                self.warn(
                    "title_from_preamble",
                    _(
                        "Strategic objective {code} has no title in the table; the title listed "
                        "before the table was used."
                    ),
                    code=so.code,
                )
            for spec in so.specific_objectives:
                parsed = _parse_code(spec.code.split("-")[0])
                if spec.title or parsed is None or len(parsed.parts) != 1:
                    continue
                key = f"{parsed.number}.{int(parsed.parts[0])}"
                if titles.get(key):
                    spec.title = titles[key]
                    spec.title_source = "preamble"
                    self.warn(
                        "title_from_preamble",
                        _(
                            "Objective {code} has no title in the table; the title listed before "
                            "the table ({key}) was used."
                        ),
                        row=spec.source_row,
                        code=spec.code,
                        key=key,
                    )

    def check_actions(self) -> None:
        for action in self.plan.actions:
            if not action.lead_institutions:
                self.warn(
                    "no_lead_institution",
                    _("Table row {row}: action {code} names no lead institution."),
                    row=action.source_row,
                    code=action.code,
                    column="institutions",
                )
            if action.start_year is not None and action.end_year is not None:
                for line in action.budget_lines:
                    if not action.start_year <= line.year <= action.end_year:
                        self.warn(
                            "budget_outside_timeframe",
                            _(
                                "Table row {row}: action {code} has a budget for {year}, outside "
                                "its timeframe {start}-{end}."
                            ),
                            row=action.source_row,
                            code=action.code,
                            column=f"budget_{line.year}",
                            year=line.year,
                            start=action.start_year,
                            end=action.end_year,
                        )

    def finish(self) -> None:
        for item in self.pending:
            owner = item.owner
            if owner is None:
                target = "header" if item.field == "header" else "plan.notes"
            elif isinstance(owner, ParsedAction):
                if item.field == "budget":
                    target = f"action[{owner.code}].budget[{item.year}]"
                else:
                    target = f"action[{owner.code}].{item.field}"
            elif isinstance(owner, ParsedSpecificObjective):
                target = f"specific_objective[{owner.code}].{item.field}"
            else:
                target = f"strategic_objective[{owner.code}].{item.field}"
            self.plan.cell_map.append(CellPlacement(item.row, item.column, item.text, target))


def _table_kind(table: TableItem) -> str:
    """'action' (the action table or a part of it), 'other' (a table with column titles that
    are not those of the action table: monitoring plan, indicators) or 'plain' (no titles,
    no action codes: a glossary, a signature block)."""
    has_header = weak = False
    has_budget = any(_is_year_row([c.text for c in row]) for row in table.rows)
    for row in table.rows:
        texts = [c.text for c in row]
        if not _is_header_row(texts):
            continue
        has_header = True
        roles = {_label_role(t) for t in texts}
        if "description" in roles or any(_is_anchor(t) for t in texts):
            weak = weak or not (has_budget or roles & {"budget", "budget_group", "funding"})
            if not weak:
                return "action"
    if weak:
        return "action_weak"
    if has_header:
        return "other"
    for row in table.rows:
        texts = [c.text for c in row]
        code = _parse_code(texts[0]) if texts else None
        if code is not None and code.roman_written and len(code.parts) >= 2:
            return "action"
    return "plain"


def _is_action_table(table: TableItem) -> bool:
    return _table_kind(table) in ("action", "action_weak")


def _action_table_indexes(items: Sequence[DocumentItem]) -> list[int]:
    """The tables that make up the action table.

    A table whose titles name an action column but no budget (a monitoring plan that lists
    the actions again) counts only when no table with a budget exists, or between two that do.
    """
    kinds = {i: _table_kind(item) for i, item in enumerate(items) if isinstance(item, TableItem)}
    strong = [i for i, kind in kinds.items() if kind == "action"]
    if not strong:
        return [i for i, kind in kinds.items() if kind == "action_weak"]
    return [
        i
        for i, kind in kinds.items()
        if kind == "action" or (kind == "action_weak" and strong[0] < i < strong[-1])
    ]


def _render_items(items: Sequence[DocumentItem]) -> str:
    parts = [item.raw if isinstance(item, TableItem) else item.text for item in items]
    return "\n".join(parts).strip("\n")


def _parse_items(
    items: Sequence[DocumentItem], *, source_format: str, warnings: Sequence[ParseWarning] = ()
) -> ParsedPlan:
    """Shared second half of both paths: find the action table and read everything."""
    indexes = _action_table_indexes(items)
    if not indexes:
        raise PlanParseError(
            "no_action_table",
            _(
                "No action table was found: this does not look like a Local Action Plan (the "
                "table with the columns 'Veprimi', 'Afati i fundit', ... is missing)."
            ),
        )
    first, last = indexes[0], indexes[-1]
    region = items[first : last + 1]
    rows: list[list[SourceCell]] = []
    between: list[str] = []
    other_tables = sum(
        1
        for i, item in enumerate(items)
        if isinstance(item, TableItem) and i not in indexes and _table_kind(item) != "plain"
    )
    for item in region:
        if isinstance(item, TableItem) and _table_kind(item) != "other":
            rows.extend(item.rows)
        elif isinstance(item, TableItem):
            # A monitoring or indicator table inside the action table's pages: never actions.
            between.append(item.raw.strip() or _render_items([item]))
        elif item.text.strip():
            between.append(item.text.strip())
    layout = _detect_layout(rows)
    if layout is None:
        raise PlanParseError(
            "no_action_table",
            _(
                "No action table was found: this does not look like a Local Action Plan (the "
                "table with the columns 'Veprimi', 'Afati i fundit', ... is missing)."
            ),
        )
    plan = ParsedPlan(source_format=source_format, warnings=list(warnings))
    plan.preamble = _render_items(items[:first])
    plan.postamble = _render_items(items[last + 1 :])
    plan.years = [layout.years[p] for p in sorted(layout.years)]
    title, contacts, glossary, goals, objectives = _read_preamble(items[:first])
    plan.title, plan.contacts, plan.glossary, plan.goals = title, contacts, glossary, goals
    plan.preamble_objectives = objectives

    plan.other_tables = other_tables
    rows, layout = _code_first(rows, layout)
    parser = _TableParser(plan, layout, [abbr for abbr, _meaning in glossary])
    for position, header in layout.unknown:
        plan.unmapped_columns.append(
            {"position": position, "header": header, "key": header_key(header)}
        )
        parser.warn(
            "column_unmapped",
            _(
                "The column {header!r} of the action table names no known field; say which "
                "field it is (or keep its text in the notes)."
            ),
            column=layout.column_name(position),
            header=header,
        )
    parser.run(rows)
    if not plan.actions:
        raise PlanParseError(
            "no_actions", _("The action table was found but it contains no action rows.")
        )
    for text in between:
        parser.notes.append(text)
        parser.warn(
            "text_between_tables",
            _("Text between two parts of the action table was kept in the plan notes: {text}"),
            text=text[:80],
        )
    plan.notes = "\n".join(parser.notes)
    parser.normalize_codes()
    parser.fill_titles(objectives)
    parser.check_actions()
    parser.finish()

    years: list[int] = []
    for action in plan.actions:
        years.extend(y for y in (action.start_year, action.end_year) if y is not None)
        years.extend(int(y) for y in _YEAR_RE.findall(action.timeframe_raw))
    plan.years_covered = (min(years), max(years)) if years else None
    return plan


# ---------------------------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------------------------


def _guarded(call: Any, *args: Any, **kwargs: Any) -> ParsedPlan:
    """Run a parse; any unexpected exception becomes ``PlanParseError('internal')``."""
    try:
        return call(*args, **kwargs)
    except PlanParseError:
        raise
    except RecursionError as exc:
        raise PlanParseError("internal", _("The document is too deeply nested.")) from exc
    except Exception as exc:
        raise PlanParseError(
            "internal", _("The document could not be read because of an unexpected error.")
        ) from exc


def _parse_text(text: str, warnings: Sequence[ParseWarning] = ()) -> ParsedPlan:
    if not isinstance(text, str):
        raise PlanParseError("unreadable", _("The text could not be read."))
    if not text.strip():
        raise PlanParseError("empty", _("The file is empty."))
    return _parse_items(text_to_items(text), source_format="text", warnings=warnings)


def parse_plan_text(text: str) -> ParsedPlan:
    """Parse the plain-text export of a Local Action Plan."""
    return _guarded(_parse_text, text)


def _parse_docx(data: bytes | BinaryIO) -> ParsedPlan:
    return _parse_items(docx_to_items(data), source_format="docx")


def parse_plan_docx(data: bytes | BinaryIO) -> ParsedPlan:
    """Parse a Local Action Plan .docx (bytes or a binary file object).

    Refused with :class:`PlanParseError`: anything that is not a zip, a zip without
    ``word/document.xml``, more than :data:`MAX_ZIP_MEMBERS` members or more than
    :data:`MAX_UNCOMPRESSED_BYTES` uncompressed (zip bomb), a damaged document, and a document
    without a recognisable action table.
    """
    return _guarded(_parse_docx, data)


def _decode_text(data: bytes) -> tuple[str, list[ParseWarning]]:
    warnings: list[ParseWarning] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
        return text, warnings
    try:
        return data.decode("utf-8-sig"), warnings
    except UnicodeDecodeError:
        warnings.append(
            ParseWarning(
                kind="encoding",
                message=_(
                    "The file is not UTF-8; it was read as Windows-1252 (cp1252). Check "
                    "letters such as ë and ç."
                ),
            )
        )
        return data.decode("cp1252", errors="replace"), warnings


def _parse_file(name: str, data: bytes) -> ParsedPlan:
    raw = _read_bytes(data)
    if not raw.strip():
        raise PlanParseError("empty", _("The file is empty."))
    if raw.startswith(b"PK") and zipfile.is_zipfile(io.BytesIO(raw)):
        return _parse_docx(raw)
    lowered = (name or "").lower()
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise PlanParseError(
            "unsupported_format",
            _("This is an old Word (.doc) file; save it as .docx or as plain text first."),
        )
    if lowered.endswith((".docx", ".docm", ".dotx")):
        raise PlanParseError(
            "not_zip", _("The file is not a Word document (.docx): it is not a zip archive.")
        )
    text, warnings = _decode_text(raw)
    return _parse_text(text, warnings)


def parse_plan_file(name: str, data: bytes) -> ParsedPlan:
    """Parse an uploaded file: a .docx when the content is a zip, else UTF-8 text.

    Text may start with a BOM; UTF-16 with a BOM is accepted; other non-UTF-8 text is
    decoded as cp1252 with an 'encoding' warning.
    """
    return _guarded(_parse_file, name, data)
