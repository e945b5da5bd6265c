"""Pages of the monitoring report: list and create, edit, preview, workflow, files, versions."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mkk.accounts import scoping
from mkk.audit.models import AuditAction
from mkk.audit.services import record
from mkk.core.safehtml import trusted_html
from mkk.directory import selectors as directory_selectors

from . import selectors, services
from .document import build_document
from .forms import SECTION_LABELS, NarrativeForm, ReportCreateForm
from .models import ReportFormat, ReportStatus
from .render import FORMATS, body_html
from .render import render as render_report

STEPS = {
    "review": (services.report_send_to_review, gettext_lazy("The report was sent for review.")),
    "draft": (services.report_return_to_draft, gettext_lazy("The report is a draft again.")),
    "submit": (
        services.report_submit,
        gettext_lazy("The report was submitted to the Mayor and frozen."),
    ),
    "publish": (services.report_publish, gettext_lazy("The public version was published.")),
}
DECISIONS = {
    "approve": (services.report_approve, gettext_lazy("You approved the report.")),
    "return": (
        services.report_return,
        gettext_lazy("You returned the report to the coordinator with your comments."),
    ),
}


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_http_methods(["GET", "POST"])
def index(request, code: str):
    municipality = directory_selectors.municipality_for(request.user, code)
    can_manage = scoping.can_see_report_drafts(request.user, municipality.pk)
    form = ReportCreateForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        scoping.require(can_manage)
        report = _create(request.user, municipality, form)
        if report is not None:
            messages.success(request, _("The report was created as a draft."))
            return redirect("reports:detail", pk=report.pk)
    context = {
        "municipality": municipality,
        "reports": selectors.reports_for(request.user, municipality),
        "form": form,
        "can_manage": can_manage,
        "due": selectors.due_reports(municipality) if can_manage else [],
    }
    return render(request, "reports/index.html", context)


def _create(user, municipality, form):
    """The new draft of the form's period, language and title, or None (the form says why)."""
    if not form.is_valid():
        return None
    d = form.cleaned_data
    try:
        return services.report_create(
            actor=user,
            municipality=municipality,
            start=d["period_start"],
            end=d["period_end"],
            language=d["language"],
            title=d["title"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


def _preview(report, *, public: bool) -> str:
    data = services.data_for(report, public=public)
    doc = build_document(data, report.narrative(), report.title)
    # body_html escapes every text it places (narratives included); nothing raw is inserted.
    return trusted_html(body_html(doc, heading_offset=1))


def _detail_context(request, report, form=None) -> dict:
    can_manage = scoping.can_see_report_drafts(request.user, report.mechanism.municipality_id)
    public = request.GET.get("version") == "public"
    if form is None and can_manage and report.is_editable:
        form = NarrativeForm(instance=report)
    can_decide = scoping.can_decide_report(request.user, report)
    is_approver = can_decide or scoping.can_approve_report(
        request.user, report.mechanism.municipality_id, author_id=None
    )
    return {
        "can_decide": can_decide,
        "key_figures": selectors.key_figures(services.data_for(report, public=False))
        if is_approver
        else [],
        "report": report,
        "municipality": report.mechanism.municipality,
        "can_manage": can_manage,
        "form": form,
        "preview": _preview(report, public=public),
        "public_preview": public,
        "formats": ReportFormat.choices,
        "files": list(report.files.all()),
        "versions": [
            v for v in selectors.versions_of(report) if can_manage or v.status in selectors.FROZEN
        ],
        "status": ReportStatus,
        "section_labels": SECTION_LABELS,
    }


@login_required
@require_GET
def detail(request, pk: int):
    report = selectors.report_for(request.user, pk)
    return render(request, "reports/detail.html", _detail_context(request, report))


@login_required
@require_POST
def edit(request, pk: int):
    report = selectors.report_for(request.user, pk)
    scoping.require(scoping.can_see_report_drafts(request.user, report.mechanism.municipality_id))
    form = NarrativeForm(request.POST, instance=report)
    if form.is_valid():
        try:
            services.report_update_narrative(
                actor=request.user,
                report=report,
                title=form.cleaned_data["title"],
                summary_remarks=form.cleaned_data["summary_remarks"],
                challenges=form.cleaned_data["challenges"],
                recommendations=form.cleaned_data["recommendations"],
                section_remarks=form.section_remarks(),
                version=form.version,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The texts were saved."))
            return redirect("reports:detail", pk=report.pk)
    # Nothing typed is lost: the page comes back with the texts and the reasons.
    context = _detail_context(request, report, form=form)
    return render(request, "reports/detail.html", context, status=400)


@login_required
@require_POST
def transition(request, pk: int):
    report = selectors.report_for(request.user, pk)
    scoping.require(scoping.can_see_report_drafts(request.user, report.mechanism.municipality_id))
    step = STEPS.get(request.POST.get("step", ""))
    if step is None:
        messages.error(request, _("Unknown step."))
        return redirect("reports:detail", pk=report.pk)
    service, done = step
    try:
        service(actor=request.user, report=report)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, done)
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def decide(request, pk: int):
    """The Mayor approves the submitted report or returns it with comments."""
    report = selectors.report_for(request.user, pk)
    scoping.require(
        scoping.can_approve_report(
            request.user, report.mechanism.municipality_id, author_id=report.submitted_by_id
        )
    )
    decision = DECISIONS.get(request.POST.get("decision", ""))
    if decision is None:
        messages.error(request, _("Choose to approve or to return the report."))
        return redirect("reports:detail", pk=report.pk)
    service, done = decision
    comment = request.POST.get("comment", "")
    try:
        service(actor=request.user, report=report, comment=comment)
    except ValidationError as exc:
        _errors(request, exc)
        context = _detail_context(request, report)
        context["comment"] = comment  # nothing typed is lost
        return render(request, "reports/detail.html", context, status=400)
    messages.success(request, done)
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def new_version(request, pk: int):
    report = selectors.report_for(request.user, pk)
    scoping.require(scoping.can_see_report_drafts(request.user, report.mechanism.municipality_id))
    try:
        new = services.report_new_version(actor=request.user, report=report)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("reports:detail", pk=report.pk)
    messages.success(
        request, _("Version %(version)s was created as a draft.") % {"version": new.version}
    )
    return redirect("reports:detail", pk=new.pk)


@login_required
@require_POST
def delete(request, pk: int):
    report = selectors.report_for(request.user, pk)
    scoping.require(scoping.can_see_report_drafts(request.user, report.mechanism.municipality_id))
    code = report.mechanism.municipality.code
    try:
        services.report_delete_draft(actor=request.user, report=report)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("reports:detail", pk=report.pk)
    messages.success(request, _("The draft was deleted."))
    return redirect("reports:index", code=code)


def _label_changes(changes: dict) -> None:
    """Name each changed narrative and each other changed figure of a version comparison."""
    labels = {
        "summary": _("Summary remarks"),
        "challenges": _("Challenges"),
        "recommendations": _("Recommendations"),
        **SECTION_LABELS,
    }
    for n in changes["narratives"]:
        n["label"] = labels.get(n["section"], n["section"])
    other_labels = {
        "meetings": _("Meetings held"),
        "budget": _("Budget planned"),
        "spent": _("Budget spent"),
    }
    for o in changes["other"]:
        o["label"] = other_labels.get(o["what"], o["what"])


@login_required
@require_GET
def diff(request, pk: int):
    report = selectors.report_for(request.user, pk)
    previous = report.previous_version
    if previous is None:
        raise Http404
    if not scoping.can_see_report_drafts(request.user, report.mechanism.municipality_id) and (
        previous.status not in selectors.FROZEN
    ):
        raise Http404
    changes = selectors.report_diff(
        services.data_for(previous, public=False),
        services.data_for(report, public=False),
        previous.narrative(),
        report.narrative(),
        report.language,
    )
    _label_changes(changes)
    context = {
        "report": report,
        "previous": previous,
        "municipality": report.mechanism.municipality,
        "changes": changes,
    }
    return render(request, "reports/diff.html", context)


def _file_response(
    content: bytes, fmt: str, filename: str, sha256: str | None = None
) -> HttpResponse:
    content_type, _ext = FORMATS[fmt]
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["X-Checksum-SHA256"] = sha256 or hashlib.sha256(content).hexdigest()
    return response


def _content(report, fmt: str, public: bool) -> tuple[bytes, str | None]:
    stored = selectors.file_for(report, fmt, public=public) if report.is_frozen else None
    if stored is not None:
        content = stored.read_checked()
        if content is None:
            raise Http404
        return content, stored.sha256
    data = services.data_for(report, public=public)
    return render_report(fmt, data, report.narrative(), report.title), None


@login_required
@require_GET
def download(request, pk: int, fmt: str):
    report = selectors.report_for(request.user, pk)
    if fmt not in FORMATS:
        raise Http404
    public = request.GET.get("version") == "public"
    content, sha = _content(report, fmt, public)
    record(
        AuditAction.EXPORT, report, actor=request.user, reason=f"{fmt}{' public' if public else ''}"
    )
    return _file_response(content, fmt, report.file_name(fmt, public=public), sha)


# --- Public, without login --------------------------------------------------------------------


@require_GET
def public_detail(request, slug: str):
    report = selectors.public_report(slug)
    data = services.data_for(report, public=True)
    doc = build_document(data, report.narrative(), report.title)
    context = {
        "report": report,
        "municipality": report.mechanism.municipality,
        "preview": trusted_html(body_html(doc, heading_offset=1)),
        "formats": ReportFormat.choices,
    }
    return render(request, "reports/public_detail.html", context)


@require_GET
def public_download(request, slug: str, fmt: str):
    report = selectors.public_report(slug)
    if fmt not in FORMATS:
        raise Http404
    content, sha = _content(report, fmt, True)
    return _file_response(content, fmt, report.file_name(fmt, public=True), sha)
