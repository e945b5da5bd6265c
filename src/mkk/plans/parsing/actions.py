"""Action rows of the action table: each cell to its field, the values read from them, and the
checks on the finished actions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .headers import _TEXT_ROLES
from .layout import _Cell
from .model import ParsedAction
from .values import (
    _clean,
    _parse_code,
    normalize_legal_reference,
    parse_funders,
    parse_timeframe,
    split_institutions,
    split_legal_references,
)


class _ActionRows:
    """Action rows (a part of :class:`~.table._TableParser`)."""

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
