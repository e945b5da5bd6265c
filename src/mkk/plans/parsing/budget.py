"""Budget cells of an action row: an amount per year (with its funder when one is written), or
a blocking warning and the notes when the cell is not an amount."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .layout import _Cell
from .model import ParsedAction, ParsedBudgetLine
from .values import classify_funder, parse_amount


class _BudgetCells:
    """Budget cells (a part of :class:`~.table._TableParser`)."""

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
