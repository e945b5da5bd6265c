"""The statistics page: a range's figures against the same range a year earlier."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from mkk.accounts import scoping
from mkk.core import periods

from .. import selectors
from ..presentation import chart_for, institution_sections
from .common import municipality_for, range_from


@login_required
@require_GET
def index(request, code: str):
    """Figures of a range against the same range a year earlier, per institution."""
    municipality = municipality_for(request, code)
    form, start, end = range_from(request)
    result = selectors.comparison(request.user, municipality, start, end)
    lang = get_language()
    context = {
        "municipality": municipality,
        "form": form,
        "result": result,
        "label": periods.period_label(start, end, lang),
        "previous_label": periods.period_label(result.previous_start, result.previous_end, lang),
        "sections": institution_sections(result, lang),
        "chart": chart_for(result, lang),
        "query": f"start={start.isoformat()}&end={end.isoformat()}",
        "can_manage": scoping.can_manage_mechanism(request.user, municipality.pk),
        "can_enter": bool(selectors.entry_institutions(request.user, municipality)),
        "can_records": scoping.can_read_records(request.user),
    }
    return render(request, "statistics/index.html", context)
