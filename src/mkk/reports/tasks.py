"""Celery tasks of the reports app (found by ``app.autodiscover_tasks``)."""

from __future__ import annotations

from celery import shared_task


# The task keeps the name it had in mkk.notifications: jobs queued before a deploy still run.
@shared_task(name="mkk.notifications.tasks.render_report_files")
def render_report_files(job_pk: int) -> str:
    from .filejobs import run

    return run(job_pk)
