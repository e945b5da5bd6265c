"""Id-taking URLs of the notifications app, with objects of Gjilan for the IDOR test."""

from __future__ import annotations


def _entry(world):
    from mkk.notifications.models import Notification

    user = world.gjilan.users["case_police"]
    entry = Notification.objects.filter(recipient=user).first()
    return entry or Notification.objects.create(
        recipient=user, event="referral_urgent", title="Gjilan", url="/"
    )


def _outbox(world):
    from mkk.notifications.models import MailStatus, OutboxMessage

    row = OutboxMessage.objects.filter(municipality=world.gjilan.municipality).first()
    return row or OutboxMessage.objects.create(
        municipality=world.gjilan.municipality,
        from_email="mkk@example.invalid",
        to=["gjilan@example.invalid"],
        subject="Gjilan",
        status=MailStatus.FAILED,
    )


CASES = {
    "notifications:open": lambda world: {"pk": _entry(world).pk},
    "notifications:read": lambda world: {"pk": _entry(world).pk},
    "notifications:outbox_retry": lambda world: {"pk": _outbox(world).pk},
}
