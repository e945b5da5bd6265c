from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mkk.accounts import scoping
from mkk.audit.models import AuditAction
from mkk.audit.services import record
from mkk.core import bulk, paging, versions
from mkk.core.concurrency import EditConflict
from mkk.core.forms import show_errors

from . import charts, exports, selectors, services, uploads
from . import evidence as evidence_files
from .forms import (
    ActionFilterForm,
    ActionForm,
    PlanSettingsForm,
    PlanUploadForm,
    ProgressForm,
    RetireForm,
    ReviewForm,
)
from .importing import PlanImportError, PlanImportRefused, plan_import
from .models import ActionStatus, ReviewState
from .parsing import COLUMN_ROLES

#: Fields a column of the action table can be mapped to, as the preview offers them.
COLUMN_ROLE_CHOICES = [
    ("description", gettext_lazy("Action")),
    ("code", gettext_lazy("Code")),
    ("timeframe", gettext_lazy("Deadline")),
    ("funding", gettext_lazy("Funding")),
    ("institutions", gettext_lazy("Institutions")),
    ("outputs", gettext_lazy("Output / indicator")),
    ("references", gettext_lazy("References")),
    ("notes", gettext_lazy("None of these: keep the text in the notes")),
]

KIND_LABELS = {
    "plan": gettext_lazy("Plan"),
    "strategic_objectives": gettext_lazy("Strategic objectives"),
    "specific_objectives": gettext_lazy("Specific objectives"),
    "actions": gettext_lazy("Actions"),
    "institutions": gettext_lazy("Institutions of actions"),
    "budget_lines": gettext_lazy("Budget lines"),
    "funders": gettext_lazy("Funding sources"),
    "legal_references": gettext_lazy("Legal references"),
}


def _plan_or_404(request, code):
    municipality, plan = selectors.municipality_and_plan(request.user, code)
    scoping.require(scoping.can_read_aggregates(request.user))
    return municipality, plan


def _messages_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _figures(request, plan, impl, today) -> dict:
    """The charts, and the key of the figures and lists below the cards: drawn and rendered
    once per data version, reader scope and language (mkk.core.versions), as the overview
    they show."""
    cache_as = {
        "municipality_id": plan.mechanism.municipality_id,
        "user": request.user,
        "parts": (plan.pk, today),
    }
    status_chart, budget_chart = versions.cached(
        "plans.charts", lambda: (charts.status_chart(impl), charts.budget_chart(impl)), **cache_as
    )
    return {
        "status_chart": status_chart,
        "budget_chart": budget_chart,
        "figures_key": versions.key_for("plans.index", **cache_as),
    }


@login_required
@require_GET
def index(request, code: str):
    """The plan dashboard: implementation, budget, overdue, missing updates, my actions."""
    municipality, plan = _plan_or_404(request, code)
    can_manage = scoping.can_manage_mechanism(request.user, municipality.pk)
    if plan is None:
        return render(
            request, "plans/no_plan.html", {"municipality": municipality, "can_manage": can_manage}
        )
    today = timezone.localdate()
    board = selectors.dashboard(request.user, plan, today)
    context = {
        "municipality": municipality,
        "plan": plan,
        "board": board,
        "impl": board.implementation,
        "can_manage": can_manage,
        "can_read_records": scoping.can_read_records(request.user),
        "last_import": plan.imports.first(),
        **_figures(request, plan, board.implementation, today),
    }
    return render(request, "plans/index.html", context)


@login_required
@require_GET
def actions(request, code: str):
    municipality, plan = _plan_or_404(request, code)
    if plan is None:
        raise Http404
    institutions = selectors.plan_institutions(plan)
    search = ActionFilterForm(request.GET, plan=plan, institutions=institutions)
    search.is_valid()
    show_retired = bool(search.cleaned_data.get("retired"))
    items = list(selectors.actions_of(plan, include_retired=show_retired))
    impl = selectors.implementation_of(plan, plan.first_day, timezone.localdate())
    items = selectors.filter_actions(items, impl.status_of, **search.filters())
    page = paging.page_of(request, items)
    for a in page:
        a.current_status = ActionStatus(impl.status_of.get(a.pk, ActionStatus.NOT_STARTED))
    context = {
        "municipality": municipality,
        "plan": plan,
        "page": page,
        "search": search,
        "query": paging.query_without_page(request),
        "can_manage": scoping.can_manage_mechanism(request.user, municipality.pk),
        "can_read_records": scoping.can_read_records(request.user),
    }
    return render(request, "plans/actions.html", context)


def _import_options(request) -> dict:
    """What the person answered in the preview: column fields, accepted warnings, removals."""
    column_map = {}
    for i in range(50):
        key, role = request.POST.get(f"map_{i}_key"), request.POST.get(f"map_{i}")
        if key is None:
            break
        if role in COLUMN_ROLES:
            column_map[key[:80]] = role
    return {
        "column_map": column_map,
        "accepted": [k[:300] for k in request.POST.getlist("accept")],
        "confirm_removals": [k[:300] for k in request.POST.getlist("confirm_removal")],
    }


def _dry_run(request, municipality, name, data, options):
    return plan_import(
        actor=request.user,
        mechanism=municipality.mechanism,
        name=name,
        data=data,
        dry_run=True,
        **options,
    )


def _preview(request, municipality, plan, name, data, options, *, refused=None, result=None):
    """The dry run of the stored upload, shown with its questions and what blocks it."""
    if result is None:
        try:
            result = _dry_run(request, municipality, name, data, options)
        except PlanImportError as exc:
            uploads.discard(request)
            messages.error(request, str(exc.message))
            return redirect("plans:import", code=municipality.code)
    return render(
        request,
        "plans/import_preview.html",
        {
            "municipality": municipality,
            "plan": plan,
            "result": result,
            "kind_labels": KIND_LABELS,
            "role_choices": COLUMN_ROLE_CHOICES,
            "refused": refused,
            "accepted": set(options.get("accepted", ())) | set(options.get("confirm_removals", ())),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, code: str):
    municipality, plan = _plan_or_404(request, code)
    scoping.require(scoping.can_manage_mechanism(request.user, municipality.pk))
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        data = upload.read()
        try:
            result = _dry_run(request, municipality, upload.name, data, {})
        except PlanImportError as exc:
            form.add_error("document", str(exc.message))
        else:
            uploads.stash(request, municipality_id=municipality.pk, name=upload.name, data=data)
            return _preview(request, municipality, plan, upload.name, data, {}, result=result)
    return render(
        request,
        "plans/import_upload.html",
        {
            "municipality": municipality,
            "plan": plan,
            "form": form,
            "runs": plan.imports.select_related("actor")[:10] if plan else [],
        },
    )


@login_required
@require_POST
def import_confirm(request, code: str):
    # long: one branch per outcome (cancelled, expired, remapped, refused, failed, imported).
    municipality, plan = _plan_or_404(request, code)
    scoping.require(scoping.can_manage_mechanism(request.user, municipality.pk))
    if request.POST.get("cancel"):
        uploads.discard(request)
        messages.info(request, _("The import was cancelled; nothing was saved."))
        return redirect("plans:import", code=code)
    stashed = uploads.pending(request, municipality_id=municipality.pk)
    if stashed is None:
        messages.error(
            request, _("The uploaded document is no longer available; please upload it again.")
        )
        return redirect("plans:import", code=code)
    name, data = stashed
    options = _import_options(request)
    if request.POST.get("remap"):  # answers to the column questions: preview again
        return _preview(request, municipality, plan, name, data, options)
    try:
        result = plan_import(
            actor=request.user,
            mechanism=municipality.mechanism,
            name=name,
            data=data,
            dry_run=False,
            **options,
        )
    except PlanImportRefused as exc:
        return _preview(request, municipality, plan, name, data, options, refused=exc)
    except PlanImportError as exc:
        messages.error(request, str(exc.message))
        return redirect("plans:import", code=code)
    uploads.discard(request)
    messages.success(
        request, _("The plan was imported: %(n)s actions.") % {"n": result.counts["actions"]}
    )
    return redirect("plans:import_run", pk=result.import_run_id)


@login_required
@require_GET
def import_run(request, pk: int):
    run = selectors.import_run_for(request.user, pk)
    scoping.require(scoping.can_manage_mechanism(request.user, run.plan.mechanism.municipality_id))
    return render(
        request,
        "plans/import_run.html",
        {
            "run": run,
            "plan": run.plan,
            "municipality": run.plan.mechanism.municipality,
            "kind_labels": KIND_LABELS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_settings(request, code: str):
    municipality, plan = _plan_or_404(request, code)
    if plan is None:
        raise Http404
    scoping.require(scoping.can_manage_mechanism(request.user, municipality.pk))
    form = PlanSettingsForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            services.plan_update(actor=request.user, plan=plan, version=form.version, **data)
        except EditConflict as exc:
            form.add_error(None, exc)
        except ValidationError as exc:
            form.add_error("reporting_period_months", _messages_of(exc))
        else:
            messages.success(request, _("The plan was saved."))
            return redirect("plans:index", code=code)
    return render(
        request,
        "plans/plan_settings.html",
        {"municipality": municipality, "plan": plan, "form": form},
    )


@login_required
@require_GET
def export(request, code: str):
    municipality, plan = _plan_or_404(request, code)
    if plan is None:
        raise Http404
    scoping.require(scoping.can_read_records(request.user))
    data = exports.plan_workbook(plan)
    record(AuditAction.EXPORT, plan, actor=request.user, reason="xlsx")
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="plan-{municipality.code}-{plan.start_year}-{plan.end_year}.xlsx"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def reviews(request, code: str):
    """Updates waiting for review, decided one by one or several at once (one confirmation)."""
    municipality, plan = _plan_or_404(request, code)
    scoping.require(scoping.can_review_in(request.user, municipality.pk))
    waiting = selectors.updates_waiting(request.user, plan)
    page = paging.page_of(request, waiting)
    reviewable = selectors.updates_of_plan(request.user, plan) if plan else waiting
    form = bulk.BulkReviewForm(
        request.POST or None, choices=reviewable.values_list("pk", flat=True)
    )
    if request.method == "POST" and form.is_valid():
        chosen = list(reviewable.filter(pk__in=form.cleaned_data["ids"]).order_by("action__order"))
        return _decide_reviews(request, form, chosen, code)
    context = {"municipality": municipality, "plan": plan, "page": page, "form": form}
    return render(request, "plans/reviews.html", context)


def _decide_reviews(request, form, chosen: list, code: str):
    """The chosen updates listed for one confirmation, then decided one by one."""
    if not form.cleaned_data["confirm"]:
        items = [_update_label(u) for u in chosen]
        context = {"form": form, "items": items, "back": request.path}
        return render(request, "web/bulk_confirm.html", context)
    result = bulk.apply_each(
        chosen,
        lambda u: services.progress_review(
            actor=request.user,
            update=u,
            approve=form.approve,
            comment=form.cleaned_data["comment"],
        ),
        _update_label,
    )
    bulk.report(request, result, approve=form.approve)
    return redirect("plans:reviews", code=code)


def _update_label(update) -> str:
    return f"{update.action.code} · {update.period_start:%m.%Y}–{update.period_end:%m.%Y}"


# --- actions ----------------------------------------------------------------------------------


@login_required
@require_GET
def action_detail(request, pk: int):
    return _action_page(request, selectors.action_for(request.user, pk))


def _action_page(request, action, retire_form=None):
    """The action's page; ``retire_form`` when a retire/restore was refused (kept as typed)."""
    plan = action.plan
    updates = list(selectors.updates_of(action))
    can_files = scoping.can_see_progress_files(request.user, action)
    return render(
        request,
        "plans/action.html",
        {
            "action": action,
            "plan": plan,
            "municipality": plan.mechanism.municipality,
            "updates": updates,
            "can_report": scoping.can_report_progress(request.user, action)
            and not action.is_retired,
            "can_manage": scoping.can_manage_mechanism(
                request.user, plan.mechanism.municipality_id
            ),
            "can_files": can_files,
            "period": services.current_period(plan),
            "retire_form": retire_form or RetireForm(action=action),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request, code: str):
    municipality, plan = _plan_or_404(request, code)
    if plan is None:
        raise Http404
    scoping.require(scoping.can_manage_mechanism(request.user, municipality.pk))
    return _action_form(request, plan, None)


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, pk: int):
    action = selectors.action_for(request.user, pk)
    scoping.require(
        scoping.can_manage_mechanism(request.user, action.plan.mechanism.municipality_id)
    )
    return _action_form(request, action.plan, action)


def _action_form(request, plan, action):
    form = ActionForm(request.POST or None, instance=action, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.action_save(
                actor=request.user,
                plan=plan,
                action=action,
                values=data,
                lead=list(data["lead"]),
                supporting=list(data["supporting"]),
                version=form.version,
            )
        except ValidationError as exc:  # an edit conflict among them: what was typed is kept
            show_errors(form, exc)
        else:
            messages.success(request, _("The action was saved."))
            return redirect("plans:action", pk=saved.pk)
    context = {"form": form, "plan": plan, "action": action}
    context["municipality"] = plan.mechanism.municipality
    return render(request, "plans/action_form.html", context)


@login_required
@require_POST
def action_retire(request, pk: int):
    action = selectors.action_for(request.user, pk)
    scoping.require(
        scoping.can_manage_mechanism(request.user, action.plan.mechanism.municipality_id)
    )
    form = RetireForm(request.POST, action=action)
    if not form.is_valid():
        return _action_page(request, action, form)
    try:
        services.action_set_retired(
            actor=request.user,
            action=action,
            retired=form.retire,
            reason=form.cleaned_data["reason"],
            version=form.version,
        )
    except ValidationError as exc:  # someone else retired, restored or edited it meanwhile
        show_errors(form, exc)
        action.refresh_from_db()
        form.offer_state_of(action)
        return _action_page(request, action, form)
    done = _("The action was retired.") if form.retire else _("The action is active again.")
    messages.success(request, done)
    return redirect("plans:action", pk=action.pk)


@login_required
@require_GET
def action_history(request, pk: int):
    action = selectors.action_for(request.user, pk)
    return render(
        request,
        "plans/action_history.html",
        {
            "action": action,
            "plan": action.plan,
            "municipality": action.plan.mechanism.municipality,
            "entries": selectors.history(request.user, action),
        },
    )


# --- progress ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def progress(request, pk: int):
    """The form of one reporting period: status, narrative, spending, evidence."""
    action = selectors.action_for(request.user, pk)
    scoping.require(scoping.can_report_progress(request.user, action))
    wanted = request.POST.get("period") or request.GET.get("period")
    period, periods, update = selectors.progress_period(action, wanted)
    form = ProgressForm.for_update(request.POST or None, request.FILES or None, update)
    if request.method == "POST" and form.is_valid():
        submit = bool(request.POST.get("submit"))
        try:
            update = form.save(actor=request.user, action=action, period=period, submit=submit)
        except ValidationError as exc:  # an edit conflict among them: what was typed is kept
            show_errors(form, exc)
        else:
            sent = update.review_state == ReviewState.SUBMITTED
            messages.success(request, _("Sent for review.") if sent else _("Saved as a draft."))
            url = reverse("plans:progress", kwargs={"pk": action.pk})
            return redirect(f"{url}?period={period.key}")
    plan = action.plan
    context = {"action": action, "plan": plan, "municipality": plan.mechanism.municipality}
    context |= {"form": form, "update": update, "period": period, "periods": periods}
    context["editable"] = update is None or update.is_editable
    return render(request, "plans/progress_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def update_detail(request, pk: int):
    update = selectors.update_for(request.user, pk)
    action = update.action
    form = ReviewForm(request.POST or None, version_of=update)
    if request.method == "POST":
        scoping.require(scoping.can_review_progress(request.user, action.plan))
        if form.is_valid():
            try:
                services.progress_review(
                    actor=request.user,
                    update=update,
                    approve=form.cleaned_data["decision"] == "approve",
                    comment=form.cleaned_data["comment"],
                    version=form.version,
                )
            except ValidationError as exc:  # another reviewer decided first: say what
                show_errors(form, exc)
            else:
                message = _("The update was returned with your comment.")
                if update.review_state == ReviewState.APPROVED:
                    message = _("The update was approved.")
                messages.success(request, message)
                return redirect("plans:reviews", code=action.plan.mechanism.municipality.code)
    return render(request, "plans/update.html", _update_context(request.user, update, form))


def _update_context(user, update, form) -> dict:
    action = update.action
    return {
        "update": update,
        "action": action,
        "plan": action.plan,
        "municipality": action.plan.mechanism.municipality,
        "form": form,
        "can_review": scoping.can_approve_progress(user, update)
        and (update.review_state == ReviewState.SUBMITTED or bool(form.errors)),
        "own_update": bool(
            scoping.can_review_progress(user, action.plan) and update.submitted_by_id == user.pk
        ),
        "can_files": scoping.can_see_progress_files(user, action),
        "can_report": scoping.can_report_progress(user, action),
    }


@login_required
@require_GET
def evidence_download(request, pk: int):
    evidence = selectors.evidence_for(request.user, pk)
    try:
        fh = evidence_files.evidence_open(evidence)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        fh,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evidence_delete(request, pk: int):
    evidence = selectors.evidence_for(request.user, pk)
    update = evidence.update
    try:
        services.evidence_delete(actor=request.user, evidence=evidence)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
    else:
        messages.success(request, _("The file was removed."))
    return redirect(
        reverse("plans:progress", kwargs={"pk": update.action_id})
        + f"?period={update.period_start.isoformat()}"
    )
