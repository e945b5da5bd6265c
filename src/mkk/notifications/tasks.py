"""Celery tasks (mkk/config/celery.py): thin wrappers around mail.py, jobs.py and services.py."""

from __future__ import annotations

import logging

from celery import shared_task

from . import jobs, mail

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="mkk.notifications.tasks.deliver_email", max_retries=None)
def deliver_email(self, pk: int) -> str:
    """Deliver one outbox message; on failure try again after a growing wait.

    The number of tries is kept in the database (MKK_EMAIL_MAX_TRIES), not by Celery. Without
    a broker (eager) there is one try; the coordinator's "send again" button or the sweep
    of a scheduler starts the next one.
    """
    outcome = mail.deliver(pk)
    if outcome.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="mkk.notifications.tasks.resend_stuck_mail")
def resend_stuck_mail() -> int:
    """Start again what no job holds: queued while the broker was down, or a lost retry."""
    count = 0
    for pk in mail.stuck().values_list("pk", flat=True):
        mail.start_delivery(pk)
        count += 1
    return count


@shared_task(name="mkk.notifications.tasks.send_digests")
def send_digests() -> int:
    from mkk.accounts.models import User

    from .services import digest_send

    users = User.objects.filter(notifications__digest_pending=True).distinct()
    return sum(digest_send(user) for user in users)


@shared_task(name="mkk.notifications.tasks.referral_deadlines")
def referral_deadlines() -> dict:
    return jobs.referral_deadlines()


@shared_task(name="mkk.notifications.tasks.statistics_reminders")
def statistics_reminders() -> int:
    return jobs.statistics_reminders()


@shared_task(name="mkk.notifications.tasks.anonymize_cases")
def anonymize_cases() -> int:
    return jobs.anonymize_cases()
