"""The action table: which tables of the document it is made of, and the walk over its rows
(:class:`_TableParser`, whose headings, action rows, budget cells and code normalisation
live in their own modules) that builds the :class:`ParsedPlan`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from .actions import _ActionRows
from .budget import _BudgetCells
from .codes import _CodeNormalisation
from .headers import (
    _SO_TITLE_RE,
    _is_anchor,
    _is_boilerplate,
    _is_header_row,
    _is_year_row,
    _label_role,
    header_key,
)
from .headings import _Headings
from .layout import _Cell, _code_first, _detect_layout, _Layout, _Pending, _positioned
from .model import (
    BLOCKING_KINDS,
    CellPlacement,
    DocumentItem,
    ParsedAction,
    ParsedPlan,
    ParsedSpecificObjective,
    ParsedStrategicObjective,
    ParseWarning,
    PlanParseError,
    SourceCell,
    TableItem,
    _lazy_format,
)
from .preamble import _read_preamble
from .values import _NR_RE, _YEAR_RE, _parse_code


class _TableParser(_Headings, _ActionRows, _BudgetCells, _CodeNormalisation):
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


def _table_rows(
    items: Sequence[DocumentItem], indexes: list[int]
) -> tuple[list[list[SourceCell]], list[str], int]:
    """The rows of the action table's parts, the text between them, and how many other
    titled tables the document has (monitoring plan, indicators: never actions)."""
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
    return rows, between, other_tables


def _years_covered(plan: ParsedPlan) -> tuple[int, int] | None:
    """First and last year the actions name (their timeframes), if any."""
    years: list[int] = []
    for action in plan.actions:
        years.extend(y for y in (action.start_year, action.end_year) if y is not None)
        years.extend(int(y) for y in _YEAR_RE.findall(action.timeframe_raw))
    return (min(years), max(years)) if years else None


def _no_action_table() -> PlanParseError:
    return PlanParseError(
        "no_action_table",
        _(
            "No action table was found: this does not look like a Local Action Plan (the "
            "table with the columns 'Veprimi', 'Afati i fundit', ... is missing)."
        ),
    )


def _parse_items(
    items: Sequence[DocumentItem], *, source_format: str, warnings: Sequence[ParseWarning] = ()
) -> ParsedPlan:
    """Shared second half of both paths: find the action table and read everything."""
    indexes = _action_table_indexes(items)
    if not indexes:
        raise _no_action_table()
    first, last = indexes[0], indexes[-1]
    rows, between, other_tables = _table_rows(items, indexes)
    layout = _detect_layout(rows)
    if layout is None:
        raise _no_action_table()
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

    plan.years_covered = _years_covered(plan)
    return plan
