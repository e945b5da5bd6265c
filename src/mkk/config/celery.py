"""The Celery application of MKK: background jobs and the scheduler.

Worker:    celery -A mkk.config.celery worker -l INFO
Scheduler: celery -A mkk.config.celery beat -l INFO

The broker is ``MKK_BROKER_URL`` (Redis, e.g. ``redis://127.0.0.1:6379/0``). Without it every
task runs in-process when it is started (eager), so ``make run`` needs no Redis and no worker.
Settings come from Django's settings with the ``CELERY_`` prefix (see config/settings.py).
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mkk.config.settings")

app = Celery("mkk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["mkk.notifications", "mkk.reports"])

#: The scheduler's jobs (a static schedule: the set of jobs is part of the code, their
#: times of day are local time, Europe/Belgrade).
app.conf.beat_schedule = {
    "anonymize-cases": {
        "task": "mkk.notifications.tasks.anonymize_cases",
        "schedule": crontab(hour=2, minute=30),
    },
    "statistics-reminders": {
        "task": "mkk.notifications.tasks.statistics_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "referral-deadlines": {
        "task": "mkk.notifications.tasks.referral_deadlines",
        "schedule": crontab(minute="*/15"),
    },
    "notification-digest": {
        "task": "mkk.notifications.tasks.send_digests",
        "schedule": crontab(minute=5),
    },
    "mail-resend-stuck": {
        "task": "mkk.notifications.tasks.resend_stuck_mail",
        "schedule": crontab(minute="*/10"),
    },
}
