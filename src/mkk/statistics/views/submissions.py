"""Submissions: the list (with the coordinator's bulk review), one submission, and what may
be done to it – submit, approve, return, delete a draft, correct approved figures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mkk.accounts import scoping
from mkk.core import bulk, paging, periods
from mkk.core.forms import show_errors
from mkk.directory import selectors as directory_selectors

from .. import forms, selectors, services
from ..models import Status
from .common import municipality_for


@login_required
@require_http_methods(["GET", "POST"])
def submissions(request, code: str):
    """Submissions with filters and pages; the coordinator approves or returns several at once."""
    municipality = municipality_for(request, code)
    scoping.require(scoping.can_read_records(request.user))
    can_manage = scoping.can_manage_mechanism(request.user, municipality.pk)
    if request.method == "POST":
        scoping.require(can_manage)
        waiting = selectors.submissions_for(request.user, municipality)
        return _submissions_bulk(request, municipality, waiting)
    filters = forms.SubmissionFilterForm(
        request.GET,
        institutions=directory_selectors.institutions_for(request.user, municipality),
        years=range(timezone.localdate().year, 1999, -1),
    )
    qs = selectors.submissions_filtered(request.user, municipality, **filters.filters())
    context = {
        "municipality": municipality,
        "filters": filters,
        "query": paging.query_without_page(request),
        "page": paging.page_of(request, qs),
        "can_bulk": can_manage,
        "form": bulk.BulkReviewForm(choices=[]),
    }
    return render(request, "statistics/submissions.html", context)


def _submissions_bulk(request, municipality, waiting):
    form = bulk.BulkReviewForm(request.POST, choices=waiting.values_list("pk", flat=True))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(request.get_full_path())
    chosen = list(waiting.filter(pk__in=form.cleaned_data["ids"]))
    if not form.cleaned_data["confirm"]:
        items = [_submission_label(s) for s in chosen]
        context = {"form": form, "items": items, "back": request.get_full_path()}
        return render(request, "web/bulk_confirm.html", context)
    comment = form.cleaned_data["comment"]
    result = bulk.apply_each(
        chosen,
        lambda s: (
            services.submission_approve(actor=request.user, submission=s)
            if form.approve
            else services.submission_return(actor=request.user, submission=s, comment=comment)
        ),
        _submission_label,
    )
    bulk.report(request, result, approve=form.approve)
    return redirect("statistics:submissions", code=municipality.code)


def _submission_label(sub) -> str:
    period = periods.period_label(sub.period_start, sub.period_end)
    return f"{sub.institution.name} · {sub.data_set.name} · {period}"


@login_required
@require_GET
def submission(request, pk: int):
    sub = selectors.submission_for(request.user, pk)
    user, municipality_id = request.user, sub.institution.municipality_id
    can_manage = scoping.can_manage_mechanism(user, municipality_id)
    context = {
        "submission": sub,
        "rows": _value_rows(sub),
        "municipality": sub.institution.municipality,
        "label": periods.period_label(sub.period_start, sub.period_end),
        "warnings": services.warnings_for(sub)
        if sub.status != Status.APPROVED or can_manage
        else [],
        "can_manage": can_manage,
        "can_submit": scoping.can_submit_for_institution(user, sub.institution_id),
        "can_decide": scoping.can_approve(user, municipality_id, author_id=sub.submitted_by_id),
        "own_submission": bool(sub.submitted_by_id and sub.submitted_by_id == user.pk),
        "return_form": forms.ReturnForm(),
    }
    return render(request, "statistics/submission.html", context)


def _value_rows(sub) -> list[dict]:
    """Every category of the data set with the submission's figure (None when not given)."""
    values = sub.values_dict()
    return [
        {
            "element": spec,
            "key": key,
            "label": spec.key_label(key),
            "value": values.get((spec.code, key)),
        }
        for spec in services.specs_of(sub.data_set)
        for key in spec.key_list()
    ]


def _act(request, sub, action, done: str):
    """``action(sub)``; its refusal shown as error messages, else ``done``."""
    try:
        action(sub)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, done)
    return redirect("statistics:submission", pk=sub.pk)


@login_required
@require_POST
def submission_submit(request, pk: int):
    sub = selectors.submission_for(request.user, pk)
    scoping.require(scoping.can_submit_for_institution(request.user, sub.institution_id))
    submit = services.submission_submit
    return _act(
        request,
        sub,
        lambda s: submit(actor=request.user, submission=s),
        _("Submitted for approval."),
    )


@login_required
@require_POST
def submission_approve(request, pk: int):
    sub = selectors.submission_for(request.user, pk)
    scoping.require(scoping.can_review_in(request.user, sub.institution.municipality_id))
    approve = services.submission_approve
    return _act(
        request,
        sub,
        lambda s: approve(actor=request.user, submission=s),
        _("Approved. The figures are locked."),
    )


@login_required
@require_POST
def submission_return(request, pk: int):
    sub = selectors.submission_for(request.user, pk)
    scoping.require(scoping.can_review_in(request.user, sub.institution.municipality_id))
    form = forms.ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what needs correcting."))
        return redirect("statistics:submission", pk=pk)
    comment = form.cleaned_data["comment"]
    return _act(
        request,
        sub,
        lambda s: services.submission_return(actor=request.user, submission=s, comment=comment),
        _("Returned to the institution for correction."),
    )


@login_required
@require_POST
def submission_delete(request, pk: int):
    sub = selectors.submission_for(request.user, pk)
    scoping.require(scoping.can_submit_for_institution(request.user, sub.institution_id))
    code = sub.institution.municipality.code
    try:
        services.submission_delete(actor=request.user, submission=sub)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("statistics:submission", pk=pk)
    messages.success(request, _("Draft deleted."))
    return redirect("statistics:entry", code=code)


@login_required
@require_http_methods(["GET", "POST"])
def submission_correct(request, pk: int):
    """Correct approved figures, with a reason (coordinator)."""
    sub = selectors.submission_for(request.user, pk)
    scoping.require(scoping.can_manage_mechanism(request.user, sub.institution.municipality_id))
    scoping.require(sub.status == Status.APPROVED)
    form = forms.CorrectionForm(
        request.POST or None,
        data_set=sub.data_set,
        initial_values=sub.values_dict(),
        version_of=sub,
        version_extra=services.submission_figures,
    )
    if request.method == "POST" and form.is_valid() and _correct(request, sub, form):
        messages.success(request, _("Correction saved and recorded in the audit log."))
        return redirect("statistics:submission", pk=pk)
    context = {
        "submission": sub,
        "form": form,
        "municipality": sub.institution.municipality,
        "label": periods.period_label(sub.period_start, sub.period_end),
    }
    return render(request, "statistics/correct.html", context)


def _correct(request, sub, form) -> bool:
    try:
        services.submission_correct(
            actor=request.user,
            submission=sub,
            values=form.values(),
            reason=form.cleaned_data["reason"],
            version=form.version,
        )
    except ValidationError as exc:
        show_errors(form, exc)
        return False
    return True
