"""The outbox: every e-mail is recorded, then delivered after commit by a job with retries.

A mail server that is down never turns a user's action into an error: the action's
transaction only writes an :class:`~mkk.notifications.models.OutboxMessage`; delivery runs
after commit (``transaction.on_commit``) in the worker (or in-process without a broker), and a
failure is recorded and tried again with a growing wait (``MKK_EMAIL_RETRY_SECONDS`` doubled
after each try) until ``MKK_EMAIL_MAX_TRIES`` tries have failed.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from dataclasses import dataclass
from email import message_from_bytes
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from .models import MailStatus, OutboxMessage

logger = logging.getLogger(__name__)

_SUBTYPE = "X-MKK-Content-Subtype"  # kept in the stored headers, removed before sending
MAX_BACKOFF_SECONDS = 6 * 3600
#: A message no job has touched for this long is started again by the sweep.
STUCK_AFTER = dt.timedelta(minutes=5)


def _municipality_id(addresses: list[str]) -> int | None:
    """The municipality a message concerns: that of the first user or focal person it goes to."""
    from mkk.accounts.models import User
    from mkk.directory.models import Institution, Membership

    lowered = [a.rsplit("<", 1)[-1].strip(" >").lower() for a in addresses]
    if not lowered:
        return None
    for user in User.objects.filter(email__in=lowered, municipality__isnull=False):
        return user.municipality_id
    for m in Membership.objects.filter(focal_person_email__in=lowered).select_related("mechanism"):
        return m.mechanism.municipality_id
    for inst in Institution.objects.filter(email__in=lowered):
        return inst.municipality_id
    return None


def _attachment(item) -> list:
    if isinstance(item, MIMEBase):
        return [None, base64.b64encode(item.as_bytes()).decode(), "message/x-mime-part"]
    filename, content, mimetype = item
    if isinstance(content, str):
        content = content.encode("utf-8")
    return [filename, base64.b64encode(content).decode(), mimetype]


def record(message) -> OutboxMessage:
    """Write one Django e-mail message into the outbox and start its delivery after commit."""
    headers = dict(message.extra_headers or {})
    if message.content_subtype != "plain":
        headers[_SUBTYPE] = message.content_subtype
    to, cc, bcc = list(message.to), list(message.cc), list(message.bcc)
    row = OutboxMessage.objects.create(
        municipality_id=_municipality_id(to + cc + bcc),
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
        cc=cc,
        bcc=bcc,
        reply_to=list(message.reply_to),
        subject=str(message.subject)[:500],
        body=str(message.body or ""),
        alternatives=[
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        attachments=[_attachment(a) for a in message.attachments],
        headers={str(k): str(v) for k, v in headers.items()},
    )
    pk = row.pk
    transaction.on_commit(lambda: start_delivery(pk))
    return row


def start_delivery(pk: int) -> None:
    """Hand the message to the worker; a broker that is down leaves it queued for the sweep."""
    from .tasks import deliver_email

    try:
        deliver_email.delay(pk)
    except Exception:  # noqa: BLE001 - the sweep (resend_stuck_mail) tries again later
        logger.exception("could not start the delivery of e-mail %s; it stays queued", pk)


def build(row: OutboxMessage, connection=None) -> EmailMultiAlternatives:
    headers = dict(row.headers or {})
    subtype = headers.pop(_SUBTYPE, "plain")
    email = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email,
        to=row.to,
        cc=row.cc,
        bcc=row.bcc,
        reply_to=row.reply_to,
        headers=headers,
        connection=connection,
    )
    email.content_subtype = subtype
    for content, mimetype in row.alternatives or []:
        email.attach_alternative(content, mimetype)
    for filename, content, mimetype in row.attachments or []:
        data = base64.b64decode(content)
        if filename is None:
            email.attach(message_from_bytes(data))
        else:
            email.attach(filename, data, mimetype)
    return email


def backoff_seconds(tries: int) -> int:
    """The wait after the ``tries``-th failed try: base, 2×base, 4×base… (at most 6 hours)."""
    base = max(1, settings.MKK_EMAIL_RETRY_SECONDS)
    return min(MAX_BACKOFF_SECONDS, base * 2 ** max(0, tries - 1))


@dataclass(frozen=True)
class Outcome:
    status: str
    retry_in: int | None = None


def deliver(pk: int) -> Outcome:
    """One try at delivering an outbox message; records the result.

    Returns ``retry_in`` (seconds) when it failed and should be tried again.
    """
    with transaction.atomic():
        row = OutboxMessage.objects.select_for_update().filter(pk=pk).first()
        if row is None:
            return Outcome("missing")
        if row.status in {MailStatus.SENT, MailStatus.FAILED}:
            return Outcome(row.status)
        now = timezone.now()
        row.tries += 1
        row.last_try_at = now
        try:
            connection = get_connection(settings.MKK_EMAIL_DELIVERY_BACKEND, fail_silently=False)
            build(row, connection).send()
        except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if row.tries >= settings.MKK_EMAIL_MAX_TRIES:
                row.status = MailStatus.FAILED
                row.next_try_at = None
                retry_in = None
            else:
                row.status = MailStatus.RETRYING
                retry_in = backoff_seconds(row.tries)
                row.next_try_at = now + dt.timedelta(seconds=retry_in)
            row.save()
            logger.warning("e-mail %s: try %s failed: %s", pk, row.tries, row.last_error)
            return Outcome(row.status, retry_in)
        row.status = MailStatus.SENT
        row.sent_at = timezone.now()
        row.next_try_at = None
        # What was said is not kept once it is delivered (it may hold a one-time link).
        row.body = ""
        row.alternatives = []
        row.attachments = []
        row.save()
        return Outcome(row.status)


def retry_now(row: OutboxMessage) -> None:
    """Try a waiting or failed message again from the start (the coordinator's button)."""
    OutboxMessage.objects.filter(pk=row.pk).exclude(status=MailStatus.SENT).update(
        status=MailStatus.QUEUED, tries=0, next_try_at=None
    )
    pk = row.pk
    transaction.on_commit(lambda: start_delivery(pk))


def stuck(now=None):
    """Messages no job is working on: never started, or whose retry is overdue."""
    now = now or timezone.now()
    from django.db.models import Q

    return OutboxMessage.objects.filter(
        Q(status=MailStatus.QUEUED, tries=0, created_at__lt=now - STUCK_AFTER)
        | Q(status=MailStatus.RETRYING, next_try_at__lt=now - STUCK_AFTER)
    )
