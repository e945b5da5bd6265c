"""Import (CSV or DHIS2 dataValueSets: all of a file or none of it) and export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mkk.accounts import scoping

from .. import exchange, forms, selectors
from .common import municipality_for, range_from


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request, code: str):
    """Upload a CSV or dataValueSets file: all of it lands, or none of it with every reason."""
    municipality = municipality_for(request, code)
    scoping.require(bool(selectors.entry_institutions(request.user, municipality)))
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        errors = _import(request, form, municipality)
        if not errors:
            return redirect("statistics:submissions", code=code)
    context = {
        "municipality": municipality,
        "form": form,
        "errors": errors,
        "columns": exchange.CSV_COLUMNS,
        "can_manage": scoping.can_manage_mechanism(request.user, municipality.pk),
    }
    return render(request, "statistics/import.html", context)


def _import(request, form, municipality) -> list[str]:
    """Import the uploaded file; every reason it was refused (nothing landed), or []."""
    data = form.cleaned_data["file"].read()
    approve = form.cleaned_data["approve"]
    scoping.require(not approve or scoping.can_manage_mechanism(request.user, municipality.pk))
    csv = form.cleaned_data["format"] == "csv"
    importer = exchange.import_csv if csv else exchange.import_dhis2
    try:
        result = importer(data, actor=request.user, municipality=municipality, approve=approve)
    except ValidationError as exc:
        return exc.messages
    messages.success(
        request,
        _("Imported %(values)s figures in %(submissions)s submissions.")
        % {"values": result.values, "submissions": len(result.submissions)},
    )
    for w in result.warnings:
        messages.warning(request, w)
    return []


@login_required
@require_GET
def export(request, code: str, fmt: str):
    municipality = municipality_for(request, code)
    _form, start, end = range_from(request)
    name = f"mkk-{municipality.code}-{start:%Y%m%d}-{end:%Y%m%d}"
    args = {"actor": request.user, "municipality": municipality, "start": start, "end": end}
    if fmt == "csv":
        body, kind, name = exchange.export_csv(**args), "text/csv", f"{name}.csv"
    else:
        try:
            body = exchange.export_dhis2(**args)
        except ValidationError as exc:
            for m in exc.messages[:20]:
                messages.error(request, m)
            url = reverse("statistics:index", kwargs={"code": code})
            return redirect(f"{url}?start={start}&end={end}")
        kind, name = "application/json", f"{name}-dataValueSets.json"
    response = HttpResponse(body, content_type=f"{kind}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
