"""The outbox: recorded, delivered after commit to a real SMTP server, retried with backoff."""

from __future__ import annotations

import pytest
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import transaction

from mkk.notifications import mail
from mkk.notifications.models import MailStatus, OutboxMessage
from mkk.notifications.tasks import resend_stuck_mail

from .smtp import SMTPServer, free_port


@pytest.mark.django_db(transaction=True)
def test_sent_after_commit_and_content_not_kept(queued_mail):
    with transaction.atomic():
        assert send_mail("Subject", "Body with a one-time link", None, ["a@example.invalid"]) == 1
        row = OutboxMessage.objects.get()
        assert row.status == MailStatus.QUEUED
        assert queued_mail.messages == []  # nothing leaves before the action is committed
    queued_mail.wait_for(1)
    row.refresh_from_db()
    assert row.status == MailStatus.SENT and row.tries == 1 and row.sent_at
    assert row.body == ""  # delivered: the text (which may hold a link) is not kept
    got = queued_mail.messages[0]
    assert got["to"] == ["a@example.invalid"]
    assert got["message"]["Subject"] == "Subject"
    assert "one-time link" in got["message"].get_content()


@pytest.mark.django_db(transaction=True)
def test_rolled_back_action_sends_nothing(queued_mail):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Never", "Never", None, ["a@example.invalid"])
        raise RuntimeError
    assert not OutboxMessage.objects.exists()
    assert queued_mail.messages == []


@pytest.mark.django_db(transaction=True)
def test_html_alternative_and_attachment_survive_the_queue(queued_mail):
    message = EmailMultiAlternatives(
        "Meeting", "Plain text", "mkk@example.invalid", ["b@example.invalid"], cc=["c@x.invalid"]
    )
    message.attach_alternative("<p>HTML text</p>", "text/html")
    message.attach("invite.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    message.send()
    got = queued_mail.wait_for(1)[0]
    assert sorted(got["to"]) == ["b@example.invalid", "c@x.invalid"]
    parts = {p.get_content_type(): p for p in got["message"].walk()}
    assert "<p>HTML text</p>" in parts["text/html"].get_content()
    assert "BEGIN:VCALENDAR" in parts["text/calendar"].get_content()


@pytest.mark.django_db(transaction=True)
def test_server_down_is_recorded_retried_and_then_failed(settings, queued_mail):
    queued_mail.stop()  # the mail server is down
    send_mail("Down", "Body", None, ["a@example.invalid"])  # no exception for the caller
    row = OutboxMessage.objects.get()
    assert row.status == MailStatus.RETRYING and row.tries == 1
    assert "Connection refused" in row.last_error or "Error" in row.last_error
    assert row.body == "Body"  # kept until delivered
    assert row.next_try_at > row.last_try_at

    outcome = mail.deliver(row.pk)  # second try: still down
    assert outcome.status == MailStatus.RETRYING and outcome.retry_in == 2  # 1 s, then 2 s
    outcome = mail.deliver(row.pk)  # third and last try
    row.refresh_from_db()
    assert outcome.retry_in is None and row.status == MailStatus.FAILED and row.tries == 3

    # The coordinator's "send again" starts over once the server is back.
    queued_mail.start()
    mail.retry_now(row)
    queued_mail.wait_for(1)
    row.refresh_from_db()
    assert row.status == MailStatus.SENT and row.tries == 1


def test_backoff_doubles_and_is_capped(settings):
    settings.MKK_EMAIL_RETRY_SECONDS = 60
    assert [mail.backoff_seconds(n) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert mail.backoff_seconds(30) == mail.MAX_BACKOFF_SECONDS


@pytest.mark.django_db(transaction=True)
def test_sweep_restarts_messages_no_job_holds(settings, queued_mail):
    import datetime as dt

    from django.utils import timezone

    row = OutboxMessage.objects.create(
        from_email="mkk@example.invalid", to=["d@example.invalid"], subject="Stuck", body="B"
    )
    OutboxMessage.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=30)
    )
    assert resend_stuck_mail() == 1
    queued_mail.wait_for(1)
    row.refresh_from_db()
    assert row.status == MailStatus.SENT
    assert resend_stuck_mail() == 0


@pytest.mark.django_db
def test_municipality_of_a_message_is_that_of_its_recipient(world, settings):
    settings.EMAIL_BACKEND = "mkk.notifications.backends.QueuedEmailBackend"
    focal = world.gjilan.users["focal_police"]
    focal.email = "Focal.Gjilan@example.invalid".lower()
    focal.save()
    send_mail("S", "B", None, [f"Focal <{focal.email}>"])
    assert OutboxMessage.objects.get().municipality == world.gjilan.municipality


def test_free_port_helper_gives_a_closed_port():
    server = SMTPServer(port=free_port())
    assert server.controller is None and server.port > 1024
