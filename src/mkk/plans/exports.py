"""The plan and its progress as an XLSX workbook, one sheet per table.

Text that a spreadsheet would run as a formula (starting with = + - @ TAB CR) gets a
leading apostrophe; numbers are written as numbers.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from mkk.core.spreadsheet import neutralise

from .models import ActionPlan, ActionStatus, InstitutionRole, ProgressUpdate
from .selectors import actions_of, implementation_of


def safe(value):
    """A cell value that cannot run as a formula (mkk.core.spreadsheet.neutralise)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    if isinstance(value, int | float):
        return value
    return neutralise(str(value))


def _sheet(wb: Workbook, title: str, header: list[str], rows) -> None:
    ws = wb.create_sheet(title=title[:31])
    ws.append([safe(h) for h in header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([safe(v) for v in row])
    ws.freeze_panes = "A2"
    for i, _h in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = 18 if i > 1 else 12


def _names(action, role) -> str:
    return "; ".join(
        (link.institution.name_sq if link.institution_id else link.text_as_written)
        for link in action.institution_links.all()
        if link.role == role
    )


def plan_workbook(plan: ActionPlan) -> bytes:
    """The plan as an Excel workbook: one sheet per part (plan, objectives, actions, budget,
    planned and spent, progress, spending)."""
    today = timezone.localdate()
    impl = implementation_of(plan, plan.first_day, today)
    actions = list(actions_of(plan, include_retired=True))
    wb = Workbook()
    wb.remove(wb.active)
    _plan_sheet(wb, plan, today)
    _objectives_sheet(wb, impl)
    _actions_sheet(wb, actions, impl)
    _budget_sheet(wb, actions)
    _planned_sheet(wb, impl)
    _progress_sheets(wb, plan)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _plan_sheet(wb, plan: ActionPlan, today) -> None:
    _sheet(
        wb,
        _("Plan"),
        [_("Field"), _("Value")],
        [
            (_("Title"), plan.title),
            (_("Years"), f"{plan.start_year}–{plan.end_year}"),
            (_("Status"), plan.get_status_display()),
            (_("Adoption decision"), plan.adoption_decision),
            (_("Adoption date"), plan.adoption_date.isoformat() if plan.adoption_date else ""),
            (_("Reporting period (months)"), plan.reporting_period_months),
            (_("Source file"), plan.source_name),
            (_("Exported"), today.isoformat()),
        ],
    )


def _objectives_sheet(wb, impl) -> None:
    _sheet(
        wb,
        _("Objectives"),
        [
            _("Code"),
            _("Objective"),
            *[label for _s, label, _n in impl.overall.count_list],
            _("Total"),
            _("Completion rate (%)"),
        ],
        [
            (r.code, r.title, *[n for _s, _l, n in r.count_list], r.total, r.percent)
            for r in [*impl.objectives, *impl.specific_objectives]
        ],
    )


def _actions_sheet(wb, actions, impl) -> None:
    _sheet(
        wb,
        _("Actions"),
        [
            _("Code"),
            _("Code as written"),
            _("Specific objective"),
            _("Action"),
            _("Timeframe as written"),
            _("First year"),
            _("Last year"),
            _("Recurrence"),
            _("Lead institutions"),
            _("Supporting institutions"),
            _("Institutions as written"),
            _("Funding as written"),
            _("Outputs / indicators"),
            _("Legal references"),
            _("References as written"),
            _("Notes"),
            _("Retired"),
            _("Status"),
        ],
        [
            (
                a.code,
                a.code_raw,
                a.specific_objective.code,
                a.description,
                a.timeframe_raw,
                a.start_year,
                a.end_year,
                a.get_recurrence_display() if a.recurrence else "",
                _names(a, InstitutionRole.LEAD),
                _names(a, InstitutionRole.SUPPORTING),
                a.institutions_raw,
                a.funding_raw,
                a.outputs,
                "; ".join(r.name for r in a.legal_references.all()),
                a.references_raw,
                a.notes,
                a.is_retired,
                ActionStatus(impl.status_of[a.pk]).label if a.pk in impl.status_of else "",
            )
            for a in actions
        ],
    )


def _budget_sheet(wb, actions) -> None:
    _sheet(
        wb,
        _("Budget"),
        [
            _("Code"),
            _("Year"),
            _("Amount (EUR)"),
            _("Funding source"),
            _("Funding source as written"),
            _("Cell as written"),
        ],
        [
            (
                a.code,
                b.year,
                b.amount,
                b.get_funder_display() if b.funder else "",
                b.funder_raw,
                b.cell_raw,
            )
            for a in actions
            for b in a.budget_lines.all()
        ],
    )


def _planned_sheet(wb, impl) -> None:
    _sheet(
        wb,
        _("Planned and spent"),
        [_("Year"), _("Funding source"), _("Planned (EUR)"), _("Spent (EUR)")],
        [(r.year, r.funder_label, r.planned, r.spent) for r in impl.budget],
    )


def _progress_sheets(wb, plan: ActionPlan) -> None:
    """The progress updates and their spending rows."""
    updates = (
        ProgressUpdate.objects.filter(action__plan=plan)
        .select_related("action", "submitted_by", "reviewed_by")
        .prefetch_related("spending", "evidence")
        .order_by("action__code", "period_start")
    )
    _sheet(
        wb,
        _("Progress"),
        [
            _("Code"),
            _("Period from"),
            _("Period to"),
            _("Status"),
            _("Review"),
            _("Progress"),
            _("Spent (EUR)"),
            _("Evidence files"),
            _("Reported by"),
            _("Reviewer's comment"),
        ],
        [
            (
                u.action.code,
                u.period_start.isoformat(),
                u.period_end.isoformat(),
                u.get_status_display(),
                u.get_review_state_display(),
                u.narrative,
                sum((s.amount for s in u.spending.all()), Decimal(0)),
                len(u.evidence.all()),
                str(u.submitted_by or ""),
                u.reviewer_comment,
            )
            for u in updates
        ],
    )
    _sheet(
        wb,
        _("Spending"),
        [_("Code"), _("Period from"), _("Review"), _("Funding source"), _("Amount (EUR)")],
        [
            (
                u.action.code,
                u.period_start.isoformat(),
                u.get_review_state_display(),
                s.get_funder_display(),
                s.amount,
            )
            for u in updates
            for s in u.spending.all()
        ],
    )
