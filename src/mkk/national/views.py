"""The national coordinator's pages: dashboard and export. Aggregates only."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mkk.accounts import scoping
from mkk.core import periods
from mkk.directory.models import InstitutionKind
from mkk.statistics import exchange
from mkk.statistics.comparison import compare_range
from mkk.statistics.forms import chosen_period, period_type_choices
from mkk.statistics.models import DataElement

from . import charts, selectors, xlsx


def _period(request) -> tuple[dt.date, dt.date, str]:
    return chosen_period(request.GET, default="quarter")


def _element(request) -> DataElement:
    elements = {e.code: e for e in selectors.active_elements()}
    code = request.GET.get("element", "POL_CASES")
    return elements.get(code) or elements.get("POL_CASES") or next(iter(elements.values()))


def _region_chart(result, element, region_rows):
    """Each region's figure of ``element``, this period beside the previous one."""
    return charts.grouped_bars(
        [t.name for _c, t, _r in region_rows],
        [
            (
                periods.period_label(result.start, result.end),
                [r.current if r else None for *_x, r in region_rows],
            ),
            (
                periods.period_label(result.previous_start, result.previous_end),
                [r.previous if r else None for *_x, r in region_rows],
            ),
        ],
        title=element.name,
        missing_label=_("no figure"),
    )


@login_required
@require_GET
def dashboard(request):
    scoping.require(scoping.can_read_national(request.user))
    start, end, ptype = _period(request)
    element = _element(request)
    result = compare_range(national=True, start=start, end=end)
    region_rows = [(code, t, t.get(element.code)) for code, t in result.regions.items()]
    context = {
        "start": start,
        "end": end,
        "ptype": ptype,
        "label": periods.period_label(start, end),
        "previous_label": periods.period_label(result.previous_start, result.previous_end),
        "result": result,
        "totals": [r for r in result.totals.rows.values() if r.is_total],
        "element": element,
        "elements": selectors.active_elements(),
        "region_rows": region_rows,
        "national_row": result.totals.get(element.code),
        "chart": charts.data_uri(_region_chart(result, element, region_rows)),
        "matrix": selectors.completeness_matrix(start, end),
        "mechanisms": selectors.mechanisms(),
        "uncovered": [(InstitutionKind(k).label, ms) for k, ms in result.uncovered.items() if ms],
        "period_types": period_type_choices(),
    }
    return render(request, "national/dashboard.html", context)


@login_required
@require_GET
def export(request, fmt: str):
    """All of Kosovo for the period: CSV and DHIS2 dataValueSets (every unit's figures, as
    the municipalities submitted them), XLSX (the totals, per region and unit, and the
    completeness matrix)."""
    scoping.require(scoping.can_read_national(request.user))
    # long: one branch per format (CSV; DHIS2, which may refuse; XLSX), one response.
    start, end, _ptype = _period(request)
    stem = f"mkk-kosovo-{start:%Y%m%d}-{end:%Y%m%d}"
    if fmt == "csv":
        text = exchange.export_csv(actor=request.user, start=start, end=end)
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        name = f"{stem}.csv"
    elif fmt == "dhis2":
        try:
            text = exchange.export_dhis2(actor=request.user, start=start, end=end)
        except ValidationError as exc:
            for message in exc.messages[:10]:
                messages.error(request, message)
            return redirect(reverse("national:dashboard") + "?" + request.GET.urlencode())
        response = HttpResponse(text, content_type="application/json")
        name = f"{stem}-dataValueSets.json"
    elif fmt == "xlsx":
        result = compare_range(national=True, start=start, end=end)
        data = xlsx.workbook(result, selectors.completeness_matrix(start, end), actor=request.user)
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        name = f"{stem}.xlsx"
    else:  # pragma: no cover - the URLs pass one of the three
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
