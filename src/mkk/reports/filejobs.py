"""Rendering a report's files off the request when its period is long.

A submitted (or published) report keeps its files (DOCX, PDF, XLSX, HTML). For periods longer
than ``MKK_REPORT_BACKGROUND_DAYS`` days they are rendered by a background job: the report page
shows the job's status and then the files.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mkk.notifications.models import Job, JobStatus

logger = logging.getLogger(__name__)

KINDS = {False: "report_files", True: "report_files_public"}


def is_large(report) -> bool:
    days = (report.period_end - report.period_start).days + 1
    return days > settings.MKK_REPORT_BACKGROUND_DAYS


def _start(job_pk: int) -> None:
    from .tasks import render_report_files

    try:
        render_report_files.delay(job_pk)
    except Exception:  # noqa: BLE001 - the page offers to start it again
        logger.exception("could not start report job %s", job_pk)


def render_files_later(report, *, public: bool, force: bool = False) -> Job | None:
    """Render now for a short period; for a long one start a job after commit."""
    from .services import render_files

    if not (force or is_large(report)):
        render_files(report, public=public)
        return None
    job = Job.objects.create(kind=KINDS[public], object_id=report.pk)
    pk = job.pk
    transaction.on_commit(lambda: _start(pk))
    return job


def run(job_pk: int) -> str:
    from .models import MonitoringReport
    from .services import render_files

    updated = Job.objects.filter(pk=job_pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING
    )
    if not updated:
        return "skipped"
    job = Job.objects.get(pk=job_pk)
    try:
        report = MonitoringReport.objects.get(pk=job.object_id)
        with transaction.atomic():
            render_files(report, public=job.kind == KINDS[True])
    except Exception as exc:  # noqa: BLE001 - recorded and shown on the report page
        logger.exception("report job %s failed", job_pk)
        job.status = JobStatus.FAILED
        job.error = f"{type(exc).__name__}: {exc}"[:2000]
    else:
        job.status = JobStatus.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job.status


def jobs_for(report) -> dict[str, Job]:
    """The latest job of each kind for the report (internal files, public files)."""
    out = {}
    for job in Job.objects.filter(kind__in=KINDS.values(), object_id=report.pk).order_by(
        "-created_at", "-pk"
    ):
        out.setdefault(job.kind, job)
    return out


def pending(report) -> bool:
    return any(j.status in {JobStatus.QUEUED, JobStatus.RUNNING} for j in jobs_for(report).values())
