"""Published monitoring reports and their stored files."""

import datetime as dt

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import override
from ninja import Router
from ninja.pagination import paginate

from mkk.audit.models import AuditAction
from mkk.audit.services import record
from mkk.reports import selectors as report_selectors
from mkk.reports.models import MonitoringReport, ReportStatus

from . import common as c
from . import schemas as s

router = Router(tags=["reports"])


def _report_out(r: MonitoringReport) -> dict:
    return {
        "id": r.pk,
        "municipality": r.mechanism.municipality.code,
        "title": r.display_title,
        "period_start": r.period_start,
        "period_end": r.period_end,
        "language": r.language,
        "version": r.version,
        "status": r.status,
        "published_at": r.published_at,
    }


def _published_for(request, report_id: int) -> MonitoringReport:
    report = report_selectors.report_for(request.user, report_id)
    if report.status != ReportStatus.PUBLISHED:
        raise Http404
    return report


@router.get(
    "/reports",
    response=c.answers(list[s.ReportOut]),
    operation_id="reports",
)
@paginate(c.Pages)
def report_list(
    request,
    municipality: str | None = c.code_param(),
    period_from: dt.date | None = c.from_param(),
    period_to: dt.date | None = c.to_param(),
):
    """Published monitoring reports the user may read."""
    m = c.municipality_of(request, municipality)
    qs = c.narrowed(
        report_selectors.published_reports_for(request.user),
        mechanism__municipality=m,
        period_from=period_from,
        period_to=period_to,
    )
    return [_report_out(r) for r in qs]


@router.get(
    "/reports/{report_id}",
    response=c.answers(s.ReportDetailOut),
    operation_id="report",
)
def report_detail(request, report_id: int = c.path_id()):
    report = _published_for(request, report_id)
    out = _report_out(report)
    out["files"] = [
        {
            "id": f.pk,
            "format": f.format,
            "language": f.language,
            "public": f.public,
            "size": f.size,
            "sha256": f.sha256,
            "url": reverse("api:v1:report_file", kwargs={"report_id": report.pk, "file_id": f.pk}),
        }
        for f in report.files.all()
    ]
    return out


@router.get(
    "/reports/{report_id}/files/{file_id}",
    response={k: v for k, v in c.answers(None).items() if k != 200},
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as stored when the report was frozen.",
                "content": {
                    ctype: {"schema": {"type": "string", "format": "binary"}}
                    for ctype in (
                        "application/pdf",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        "text/html",
                    )
                },
            }
        }
    },
    operation_id="report_file",
    url_name="report_file",
)
def report_file(request, report_id: int = c.path_id(), file_id: int = c.path_id()):
    """The stored file (PDF, DOCX, XLSX or HTML) of a published report, checked against its
    SHA-256; the download is written to the audit log."""
    report = _published_for(request, report_id)
    stored = report.files.filter(pk=file_id).first()
    content = stored.read_checked() if stored is not None else None
    if content is None:
        raise Http404
    from mkk.reports.render import FORMATS

    record(
        AuditAction.EXPORT,
        report,
        actor=request.user,
        reason=f"API {stored.format}{' public' if stored.public else ''}",
    )
    response = HttpResponse(content, content_type=FORMATS[stored.format][0])
    with override("en"):  # the API's names do not depend on the caller's language
        name = report.file_name(stored.format, public=stored.public)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Checksum-SHA256"] = stored.sha256
    return response
