"""The files of a frozen report while a background job renders them (filejobs)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mkk.accounts import scoping

from . import filejobs, selectors


@login_required
@require_GET
def report_files_status(request, pk: int):
    """The files of a report while a job renders them (htmx polls this while it runs)."""
    report = selectors.report_for(request.user, pk)
    context = {
        "report": report,
        "jobs": filejobs.jobs_for(report),
        "pending": filejobs.pending(report),
        "files": list(report.files.all()),
        "can_manage": scoping.can_see_report_drafts(request.user, report.mechanism.municipality_id),
        "show": True,
    }
    return render(request, "reports/_report_files.html", context)


@login_required
@require_POST
def report_files_restart(request, pk: int):
    report = selectors.report_for(request.user, pk)
    scoping.require(scoping.can_see_report_drafts(request.user, report.mechanism.municipality_id))
    failed = [j for j in filejobs.jobs_for(report).values() if j.status == "failed"]
    scoping.require(report.is_frozen and bool(failed) and not filejobs.pending(report))
    for job in failed:
        filejobs.render_files_later(report, public=job.kind == filejobs.KINDS[True], force=True)
    messages.success(request, _("The files are being prepared again."))
    return redirect("reports:detail", pk=report.pk)
