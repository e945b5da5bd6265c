"""The national workbook: totals of Kosovo, of each region and unit, and completeness."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from mkk.audit.models import AuditAction
from mkk.audit.services import record
from mkk.core import periods, spreadsheet
from mkk.core.spreadsheet import neutralise


def _sheet(wb, title: str, header: list[str]):
    ws = wb.create_sheet(title[:31])
    ws.append(spreadsheet.row(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    return ws


def _per(value):
    return None if value is None else float(value)


def workbook(result, matrix, *, actor=None) -> bytes:
    """The national comparison and the completeness matrix as one workbook (audited export)."""
    wb = Workbook()
    wb.remove(wb.active)
    _totals_sheet(wb, result)
    _completeness_sheet(wb, matrix)
    _missing_sheet(wb, result)
    buf = io.BytesIO()
    wb.save(buf)
    record(
        AuditAction.EXPORT,
        None,
        actor=actor,
        object_type="directory.kosovo",
        object_id="",
        object_repr="Kosovo",
        reason=f"national workbook {result.start}–{result.end}",
    )
    return buf.getvalue()


def _totals_sheet(wb, result) -> None:
    header = [
        _("Level"),
        _("Place"),
        _("Element"),
        _("Category"),
        _("Name"),
        periods.period_label(result.start, result.end),
        periods.period_label(result.previous_start, result.previous_end),
        _("Difference"),
        _("Change (%)"),
        _("Population"),
        _("Per 10,000 inhabitants"),
    ]
    ws = _sheet(wb, _("Totals"), header)
    blocks = [(_("Kosovo"), result.totals)]
    blocks += [(_("Region"), t) for t in result.regions.values()]
    blocks += [
        (_("Municipality") if unit.kind == "municipality" else _("Regional or national unit"), t)
        for unit, t in result.units.values()
    ]
    for level, totals in blocks:
        for row in totals.rows.values():
            ws.append(
                spreadsheet.row(
                    [
                        level,
                        neutralise(totals.name),
                        row.element.code,
                        row.disaggregation,
                        neutralise(row.label()),
                        row.current,
                        row.previous,
                        row.difference,
                        _per(row.percent),
                        totals.population,
                        _per(row.current_per_10k),
                    ]
                )
            )


def _completeness_sheet(wb, matrix) -> None:
    ws = _sheet(
        wb,
        _("Completeness"),
        [_("Municipality"), _("Region")] + [ds.name for ds in matrix.data_sets],
    )
    for row in matrix.rows:
        region = row.municipality.region.name if row.municipality.region_id else ""
        ws.append(
            spreadsheet.row(
                [row.municipality.name, region] + [cell_label(c.state) for c in row.cells]
            )
        )


def _missing_sheet(wb, result) -> None:
    ws = _sheet(
        wb,
        _("Missing"),
        [_("Institution"), _("Municipality"), _("Data set"), _("This period"), _("A year earlier")],
    )
    for c in result.missing:
        ws.append(
            spreadsheet.row(
                [
                    neutralise(c.institution.name),
                    neutralise(c.institution.municipality.name),
                    c.data_set.code,
                    c.current,
                    c.previous,
                ]
            )
        )


def cell_label(state: str) -> str:
    return {
        "approved": _("approved"),
        "submitted": _("submitted"),
        "late": _("late"),
        "missing": _("missing"),
        "none": _("no institution"),
    }[state]
