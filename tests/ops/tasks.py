"""A job for the request-id test only: it writes one log line."""

import logging

from celery import shared_task


@shared_task(name="tests.ops.log_line")
def log_line(text: str) -> None:
    logging.getLogger("mkk.test.task").warning(text)
