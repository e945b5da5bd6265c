from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mkk.accounts import scoping
from mkk.core import bulk, paging, periods
from mkk.directory import selectors as directory_selectors

from . import exchange, forms, selectors, services
from .models import Status, Submission
from .presentation import chart_for, institution_sections


def _default_range(today: dt.date) -> tuple[dt.date, dt.date]:
    last = periods.last_complete("month", today)
    return dt.date(last.end.year, 1, 1), last.end


def _range_from(request) -> tuple[forms.RangeForm, dt.date, dt.date]:
    start, end = _default_range(timezone.localdate())
    form = forms.RangeForm(request.GET or {"start": start, "end": end})
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, start, end


def _municipality(request, code: str):
    municipality = directory_selectors.municipality_for(request.user, code)
    scoping.require(scoping.can_read_aggregates(request.user))
    return municipality


@login_required
@require_GET
def index(request, code: str):
    """Figures of a range against the same range a year earlier, per institution."""
    municipality = _municipality(request, code)
    form, start, end = _range_from(request)
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


@login_required
@require_GET
def entry(request, code: str):
    """The data sets the user enters figures for, with their recent periods."""
    municipality = _municipality(request, code)
    institutions = selectors.entry_institutions(request.user, municipality)
    scoping.require(bool(institutions))
    today = timezone.localdate()
    by_kind = selectors.active_data_sets_by_kind()
    cells, pairs = [], []
    for inst in institutions:
        for ds in by_kind.get(inst.kind, []):
            ptype = ds.period_type if ds.period_type != "range" else "month"
            p = periods.last_complete(ptype, today)
            for _i in range(6):
                cells.append((inst, ds, p.start, p.end))
                p = periods.containing(ptype, p.start - dt.timedelta(days=1))
            pairs.append((inst, ds))
    rows = selectors.completeness_rows(cells, today=today)  # one query for every block
    blocks = [
        {"institution": inst, "data_set": ds, "recent": rows[6 * i : 6 * i + 6]}
        for i, (inst, ds) in enumerate(pairs)
    ]
    submissions = selectors.submissions_for(request.user, municipality)[:30]
    return render(
        request,
        "statistics/entry.html",
        {
            "municipality": municipality,
            "blocks": blocks,
            "submissions": submissions,
            "range_form": forms.RangeForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_form(request, institution: int, data_set: int):
    """One form per data set and period: save a draft or submit."""
    inst = selectors.entry_institution_for(request.user, institution)
    scoping.require(scoping.can_submit_for_institution(request.user, inst.pk))
    ds = selectors.data_set_for(inst, data_set)
    source = request.POST if request.method == "POST" else request.GET
    start, end = forms.parse_day(source.get("start")), forms.parse_day(source.get("end"))
    if start is None or end is None or end < start:
        messages.error(request, _("Choose a valid period."))
        return redirect("statistics:entry", code=inst.municipality.code)
    existing = (
        selectors.submissions_for(request.user)
        .filter(institution=inst, data_set=ds, period_start=start, period_end=end)
        .first()
    )
    if existing is not None and not (existing.is_editable or existing.status == Status.SUBMITTED):
        return redirect("statistics:submission", pk=existing.pk)
    initial = existing.values_dict() if existing else {}
    form = forms.ValuesForm(
        request.POST or None,
        data_set=ds,
        initial_values=initial,
        version_of=existing,
        version_extra=services.submission_figures,
        version_model=Submission,
    )
    if request.method == "POST" and form.is_valid():
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
            form.add_error(None, exc)
        else:
            for w in sub.warnings:
                messages.warning(request, w)
            messages.success(
                request,
                _("Submitted for approval.")
                if sub.status == Status.SUBMITTED
                else _("Draft saved."),
            )
            return redirect("statistics:submission", pk=sub.pk)
    return render(
        request,
        "statistics/entry_form.html",
        {
            "institution": inst,
            "data_set": ds,
            "form": form,
            "start": start,
            "end": end,
            "label": periods.period_label(start, end),
            "submission": existing,
            "municipality": inst.municipality,
            "due": periods.deadline(end, ds.deadline_days),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def submissions(request, code: str):
    """Submissions with filters and pages; the coordinator approves or returns several at once."""
    municipality = _municipality(request, code)
    scoping.require(scoping.can_read_records(request.user))
    institutions = directory_selectors.institutions_for(request.user, municipality)
    filters = forms.SubmissionFilterForm(
        request.GET, institutions=institutions, years=range(timezone.localdate().year, 1999, -1)
    )
    qs = selectors.submissions_filtered(request.user, municipality, **filters.filters())
    can_manage = scoping.can_manage_mechanism(request.user, municipality.pk)
    if request.method == "POST":
        scoping.require(can_manage)
        return _submissions_bulk(
            request, municipality, selectors.submissions_for(request.user, municipality)
        )
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
    specs = services.specs_of(sub.data_set)
    values = sub.values_dict()
    rows = []
    for spec in specs:
        for key in spec.key_list():
            rows.append(
                {
                    "element": spec,
                    "key": key,
                    "label": spec.key_label(key),
                    "value": values.get((spec.code, key)),
                }
            )
    can_manage = scoping.can_manage_mechanism(request.user, sub.institution.municipality_id)
    can_submit = scoping.can_submit_for_institution(request.user, sub.institution_id)
    can_decide = scoping.can_approve(
        request.user, sub.institution.municipality_id, author_id=sub.submitted_by_id
    )
    return render(
        request,
        "statistics/submission.html",
        {
            "submission": sub,
            "rows": rows,
            "municipality": sub.institution.municipality,
            "label": periods.period_label(sub.period_start, sub.period_end),
            "warnings": services.warnings_for(sub)
            if sub.status != Status.APPROVED or can_manage
            else [],
            "can_manage": can_manage,
            "can_submit": can_submit,
            "can_decide": can_decide,
            "own_submission": bool(sub.submitted_by_id and sub.submitted_by_id == request.user.pk),
            "return_form": forms.ReturnForm(),
        },
    )


def _act(request, pk: int, action):
    sub = selectors.submission_for(request.user, pk)
    try:
        action(sub)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    return sub


@login_required
@require_POST
def submission_submit(request, pk: int):
    sub = selectors.submission_for(request.user, pk)
    scoping.require(scoping.can_submit_for_institution(request.user, sub.institution_id))
    _act(
        request,
        pk,
        lambda s: (
            services.submission_submit(actor=request.user, submission=s),
            messages.success(request, _("Submitted for approval.")),
        ),
    )
    return redirect("statistics:submission", pk=pk)


@login_required
@require_POST
def submission_approve(request, pk: int):
    sub = selectors.submission_for(request.user, pk)
    scoping.require(scoping.can_review_in(request.user, sub.institution.municipality_id))
    _act(
        request,
        pk,
        lambda s: (
            services.submission_approve(actor=request.user, submission=s),
            messages.success(request, _("Approved. The figures are locked.")),
        ),
    )
    return redirect("statistics:submission", pk=pk)


@login_required
@require_POST
def submission_return(request, pk: int):
    sub = selectors.submission_for(request.user, pk)
    scoping.require(scoping.can_review_in(request.user, sub.institution.municipality_id))
    form = forms.ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what needs correcting."))
        return redirect("statistics:submission", pk=pk)
    _act(
        request,
        pk,
        lambda s: (
            services.submission_return(
                actor=request.user, submission=s, comment=form.cleaned_data["comment"]
            ),
            messages.success(request, _("Returned to the institution for correction.")),
        ),
    )
    return redirect("statistics:submission", pk=pk)


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
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_correct(
                actor=request.user,
                submission=sub,
                values=form.values(),
                reason=form.cleaned_data["reason"],
                version=form.version,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Correction saved and recorded in the audit log."))
            return redirect("statistics:submission", pk=pk)
    return render(
        request,
        "statistics/correct.html",
        {
            "submission": sub,
            "form": form,
            "municipality": sub.institution.municipality,
            "label": periods.period_label(sub.period_start, sub.period_end),
        },
    )


def _period_from(request) -> tuple[dt.date, dt.date, str]:
    ptype = request.GET.get("period_type", "month")
    if ptype not in {"month", "quarter", "half_year", "year"}:
        ptype = "month"
    day = forms.parse_day(request.GET.get("day"))
    p = (
        periods.containing(ptype, day)
        if day
        else periods.last_complete(ptype, timezone.localdate())
    )
    return p.start, p.end, ptype


@login_required
@require_GET
def completeness(request, code: str):
    """Which institutions submitted for a period, on time or late; the reminder list."""
    municipality = _municipality(request, code)
    scoping.require(scoping.can_read_completeness(request.user))
    start, end, ptype = _period_from(request)
    rows = selectors.completeness(municipality, start, end)
    return render(
        request,
        "statistics/completeness.html",
        {
            "municipality": municipality,
            "rows": rows,
            "start": start,
            "end": end,
            "ptype": ptype,
            "label": periods.period_label(start, end),
            "reminders": [r for r in rows if r.needs_reminder],
            "can_manage": scoping.can_manage_mechanism(request.user, municipality.pk),
            "can_records": scoping.can_read_records(request.user),
            "period_types": [
                ("month", _("Month")),
                ("quarter", _("Quarter")),
                ("half_year", _("Half-year")),
                ("year", _("Year")),
            ],
            "done": sum(1 for r in rows if r.state in ("on_time", "late")),
        },
    )


@login_required
@require_POST
def remind(request, code: str):
    municipality = _municipality(request, code)
    scoping.require(scoping.can_manage_mechanism(request.user, municipality.pk))
    start, end = (
        forms.parse_day(request.POST.get("start")),
        forms.parse_day(request.POST.get("end")),
    )
    if start is None or end is None or end < start:
        messages.error(request, _("Choose a valid period."))
        return redirect("statistics:completeness", code=code)
    rows = selectors.completeness(municipality, start, end)
    sent, without = services.reminders_send(
        actor=request.user, municipality=municipality, rows=rows
    )
    messages.success(
        request,
        ngettext("%(count)s reminder sent.", "%(count)s reminders sent.", sent) % {"count": sent},
    )
    if without:
        messages.warning(
            request, _("No e-mail address for: %(names)s.") % {"names": ", ".join(without)}
        )
    url = reverse("statistics:completeness", kwargs={"code": code})
    return redirect(f"{url}?day={start.isoformat()}&period_type={periods.classify(start, end)}")


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request, code: str):
    """Upload a CSV or dataValueSets file: all of it lands, or none of it with every reason."""
    municipality = _municipality(request, code)
    scoping.require(bool(selectors.entry_institutions(request.user, municipality)))
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    errors, result = [], None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        approve = form.cleaned_data["approve"]
        scoping.require(not approve or scoping.can_manage_mechanism(request.user, municipality.pk))
        importer = (
            exchange.import_csv if form.cleaned_data["format"] == "csv" else exchange.import_dhis2
        )
        try:
            result = importer(data, actor=request.user, municipality=municipality, approve=approve)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _("Imported %(values)s figures in %(submissions)s submissions.")
                % {"values": result.values, "submissions": len(result.submissions)},
            )
            for w in result.warnings:
                messages.warning(request, w)
            return redirect("statistics:submissions", code=code)
    return render(
        request,
        "statistics/import.html",
        {
            "municipality": municipality,
            "form": form,
            "errors": errors,
            "columns": exchange.CSV_COLUMNS,
            "can_manage": scoping.can_manage_mechanism(request.user, municipality.pk),
        },
    )


@login_required
@require_GET
def export(request, code: str, fmt: str):
    municipality = _municipality(request, code)
    _form, start, end = _range_from(request)
    name = f"mkk-{municipality.code}-{start:%Y%m%d}-{end:%Y%m%d}"
    if fmt == "csv":
        body = exchange.export_csv(
            actor=request.user, municipality=municipality, start=start, end=end
        )
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    try:
        body = exchange.export_dhis2(
            actor=request.user, municipality=municipality, start=start, end=end
        )
    except ValidationError as exc:
        for m in exc.messages[:20]:
            messages.error(request, m)
        return redirect(
            f"{reverse('statistics:index', kwargs={'code': code})}?start={start}&end={end}"
        )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-dataValueSets.json"'
    return response


@login_required
@require_GET
def catalogue(request):
    scoping.require(scoping.can_read_aggregates(request.user))
    return render(
        request,
        "statistics/catalogue.html",
        {
            **selectors.catalogue(),
            "can_manage": scoping.can_manage_catalogue(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def element_new(request):
    scoping.require(scoping.can_manage_catalogue(request.user))
    form = forms.ElementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.element_create(
                actor=request.user,
                code=d["code"],
                name_sq=d["name_sq"],
                name_sr=d["name_sr"],
                name_en=d["name_en"],
                description=d["description"],
                disaggregations=d["disaggregations"],
                data_sets=d["data_sets"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Data element added."))
            return redirect("statistics:catalogue")
    return render(
        request, "statistics/catalogue_form.html", {"form": form, "title": _("New data element")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def disaggregation_new(request):
    scoping.require(scoping.can_manage_catalogue(request.user))
    form = forms.DisaggregationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.disaggregation_create(
                actor=request.user,
                code=d["code"],
                name_sq=d["name_sq"],
                name_sr=d["name_sr"],
                name_en=d["name_en"],
                options=d["options"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Disaggregation added."))
            return redirect("statistics:catalogue")
    return render(
        request, "statistics/catalogue_form.html", {"form": form, "title": _("New disaggregation")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def data_sets(request):
    """Usual period, deadline and warning factor of every data set (national role, admins)."""
    scoping.require(scoping.can_manage_catalogue(request.user))
    formset = forms.DataSetSettingsFormSet(request.POST or None, queryset=selectors.all_data_sets())
    if (
        request.method == "POST"
        and formset.is_valid()
        and services.data_sets_update(actor=request.user, formset=formset)
    ):
        messages.success(request, _("Data set settings saved."))
        return redirect("statistics:catalogue")
    return render(request, "statistics/data_sets.html", {"formset": formset})


@login_required
@require_POST
def entry_check(request, institution: int, data_set: int):
    """htmx partial: the errors and warnings of the entry form as it stands, while typing."""
    inst = selectors.entry_institution_for(request.user, institution)
    scoping.require(scoping.can_submit_for_institution(request.user, inst.pk))
    ds = selectors.data_set_for(inst, data_set)
    start, end = (
        forms.parse_day(request.POST.get("start")),
        forms.parse_day(request.POST.get("end")),
    )
    form = forms.ValuesForm(request.POST, data_set=ds)
    errors, warnings = [], []
    if not form.is_valid():
        errors = [str(e) for e in form.non_field_errors()]
        errors += [
            f"{form.fields[name].label}: {e}"
            for name, errs in form.errors.items()
            if name != "__all__"
            for e in errs
        ]
    elif start and end and end >= start:
        warnings = services.preview_warnings(inst, ds, start, end, form.values())
    return render(request, "statistics/_check.html", {"errors": errors, "warnings": warnings})
