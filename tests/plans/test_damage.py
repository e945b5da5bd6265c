"""A damaged plan never damages how the rest of the table is read (issue 12, item 4)."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkk.plans.parsing import ParsedPlan, PlanParseError, TableItem, _parse_items

from . import docgen

ITEMS = docgen.seed_items()
TABLE = max(
    (i for i, item in enumerate(ITEMS) if isinstance(item, TableItem)),
    key=lambda i: len(ITEMS[i].rows),
)
CELLS = [
    (r, c)
    for r, row in enumerate(ITEMS[TABLE].rows)
    for c, cell in enumerate(row)
    if cell.text.strip()
]


def _placement_by_row(plan: ParsedPlan) -> dict[int, tuple]:
    """For every action row: its strategic and specific objective and its code."""
    placed = {}
    for so in plan.strategic_objectives:
        for sp in so.specific_objectives:
            for action in sp.actions:
                # a duplicate's '-2' goes when its twin loses its code: not a placement
                placed[action.source_row] = (so.code, sp.code, action.code.split("-")[0])
    return placed


def _without(row: int, column: int) -> list:
    items = list(ITEMS)
    table = items[TABLE]
    rows = [list(r) for r in table.rows]
    rows[row][column] = dataclasses.replace(rows[row][column], text="")
    items[TABLE] = dataclasses.replace(table, rows=rows)
    return items


BASE = _parse_items(ITEMS, source_format="text")
BASE_PLACED = _placement_by_row(BASE)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CELLS))
def test_removing_one_cell_never_moves_the_other_rows(cell: tuple[int, int]) -> None:
    row, column = cell
    try:
        plan = _parse_items(_without(row, column), source_format="text")
    except PlanParseError as exc:
        # without the only 'Veprimi' title there is no action table: refused whole
        assert exc.kind == "no_action_table" and ITEMS[TABLE].rows[row][column].text == "Veprimi"
        return
    placed = _placement_by_row(plan)
    others = {r: p for r, p in BASE_PLACED.items() if r != row}
    assert {r: p for r, p in placed.items() if r != row} == others
    assert len(plan.strategic_objectives) == len(BASE.strategic_objectives)
    assert len(plan.specific_objectives) >= len(BASE.specific_objectives)


def test_action_without_code_keeps_the_headings_and_blocks() -> None:
    code_cells = [(r, 0) for r, p in BASE_PLACED.items()]
    for row, column in code_cells:
        plan = _parse_items(_without(row, column), source_format="text")
        assert [s.code for s in plan.specific_objectives] == [
            s.code for s in BASE.specific_objectives
        ]
        blocking = [w for w in plan.blocking_warnings if w.kind == "code_missing"]
        assert [w.row for w in blocking] == [row]
