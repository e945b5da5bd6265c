"""The action table's layout: cells with their grid positions, the role of each column found
from its title, and the code column moved first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .headers import _is_boilerplate, _is_header_row, _is_year_row, _label_role
from .model import SourceCell


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
