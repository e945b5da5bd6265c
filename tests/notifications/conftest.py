from __future__ import annotations

import pytest

from .smtp import SMTPServer


@pytest.fixture
def smtp_server():
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def queued_mail(settings, smtp_server):
    """Every e-mail through the outbox, delivered by SMTP to the test's server."""
    settings.EMAIL_BACKEND = "mkk.notifications.backends.QueuedEmailBackend"
    settings.MKK_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_TIMEOUT = 5
    settings.MKK_EMAIL_MAX_TRIES = 3
    settings.MKK_EMAIL_RETRY_SECONDS = 1
    return smtp_server
