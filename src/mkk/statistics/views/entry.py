"""Entering figures: the data sets a user enters, one form per data set and period, and the
form's live check while typing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mkk.accounts import scoping
from mkk.core import periods
from mkk.core.forms import show_errors

from .. import forms, selectors, services
from ..models import Status, Submission
from .common import municipality_for, period_of


@login_required
@require_GET
def entry(request, code: str):
    """The data sets the user enters figures for, with their recent periods."""
    municipality = municipality_for(request, code)
    institutions = selectors.entry_institutions(request.user, municipality)
    scoping.require(bool(institutions))
    context = {
        "municipality": municipality,
        "blocks": selectors.entry_blocks(institutions, timezone.localdate()),
        "submissions": selectors.submissions_for(request.user, municipality)[:30],
        "range_form": forms.RangeForm(),
    }
    return render(request, "statistics/entry.html", context)


def _entry_target(user, institution: int, data_set: int):
    """The institution (one the user submits for) and the data set of its kind (404/403)."""
    inst = selectors.entry_institution_for(user, institution)
    scoping.require(scoping.can_submit_for_institution(user, inst.pk))
    return inst, selectors.data_set_for(inst, data_set)


@login_required
@require_http_methods(["GET", "POST"])
def entry_form(request, institution: int, data_set: int):
    """One form per data set and period: save a draft or submit."""
    inst, ds = _entry_target(request.user, institution, data_set)
    start, end = period_of(request.POST if request.method == "POST" else request.GET)
    if start is None:
        messages.error(request, _("Choose a valid period."))
        return redirect("statistics:entry", code=inst.municipality.code)
    existing = selectors.submission_at(request.user, inst, ds, start, end)
    if existing is not None and not (existing.is_editable or existing.status == Status.SUBMITTED):
        return redirect("statistics:submission", pk=existing.pk)
    form = forms.ValuesForm(
        request.POST or None,
        data_set=ds,
        initial_values=existing.values_dict() if existing else {},
        version_of=existing,
        version_extra=services.submission_figures,
        version_model=Submission,
    )
    if request.method == "POST" and form.is_valid():
        sub = _save(request, form, inst, ds, start, end)
        if sub is not None:
            return redirect("statistics:submission", pk=sub.pk)
    context = _form_context(inst, ds, form, start, end, existing)
    return render(request, "statistics/entry_form.html", context)


def _save(request, form, inst, ds, start, end) -> Submission | None:
    """Save the draft or submit it; the service's refusal goes onto the form."""
    try:
        sub = services.submission_save(
            actor=request.user,
            institution=inst,
            data_set=ds,
            period_start=start,
            period_end=end,
            values=form.values(),
            submit="submit" in request.POST,
            comment=request.POST.get("comment", "")[:2000],
            version=form.version,
        )
    except ValidationError as exc:
        show_errors(form, exc)
        return None
    for w in sub.warnings:
        messages.warning(request, w)
    submitted = sub.status == Status.SUBMITTED
    messages.success(request, _("Submitted for approval.") if submitted else _("Draft saved."))
    return sub


def _form_context(inst, ds, form, start, end, existing) -> dict:
    return {
        "institution": inst,
        "data_set": ds,
        "form": form,
        "start": start,
        "end": end,
        "label": periods.period_label(start, end),
        "submission": existing,
        "municipality": inst.municipality,
        "due": periods.deadline(end, ds.deadline_days),
    }


@login_required
@require_POST
def entry_check(request, institution: int, data_set: int):
    """htmx partial: the errors and warnings of the entry form as it stands, while typing."""
    inst, ds = _entry_target(request.user, institution, data_set)
    start, end = period_of(request.POST)
    form = forms.ValuesForm(request.POST, data_set=ds)
    errors, warnings = [], []
    if not form.is_valid():
        errors = _form_errors(form)
    elif start is not None:
        warnings = services.preview_warnings(inst, ds, start, end, form.values())
    return render(request, "statistics/_check.html", {"errors": errors, "warnings": warnings})


def _form_errors(form) -> list[str]:
    """Every error of a form as one line: those above it, then "Field: message"."""
    errors = [str(e) for e in form.non_field_errors()]
    errors += [
        f"{form.fields[name].label}: {e}"
        for name, errs in form.errors.items()
        if name != "__all__"
        for e in errs
    ]
    return errors
