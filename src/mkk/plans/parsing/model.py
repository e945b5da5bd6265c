"""What the parser produces and raises: limits, warnings and errors, the intermediate
representation of a document (paragraphs and tables of cells) and the parsed plan."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

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
