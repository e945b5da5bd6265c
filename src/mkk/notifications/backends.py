"""EMAIL_BACKEND of MKK: records each message in the outbox; a job delivers it.

Every e-mail in the project goes through Django's mail API (send_mail, EmailMessage…), which
hands it here. Delivery uses ``MKK_EMAIL_DELIVERY_BACKEND`` (SMTP in production).
"""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend

from . import mail


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        count = 0
        for message in email_messages or []:
            if not message.recipients():
                continue
            mail.record(message)
            count += 1
        return count
