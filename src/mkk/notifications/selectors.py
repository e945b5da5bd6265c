"""Reads of the notifications app: a user's own inbox; the outbox through the scoping module."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from mkk.accounts import scoping

from .models import Notification, OutboxMessage


def inbox(user) -> QuerySet[Notification]:
    """Only ever the user's own entries (an entry of anyone else answers 404)."""
    return Notification.objects.filter(recipient=user)


def notification_for(user, pk: int) -> Notification:
    return get_object_or_404(inbox(user), pk=pk)


def unread_count(user) -> int:
    if not (user and user.is_authenticated):
        return 0
    return inbox(user).filter(read_at__isnull=True).count()


def outbox(user) -> QuerySet[OutboxMessage]:
    scoping.require(scoping.can_read_outbox(user))
    return scoping.scope(user, OutboxMessage.objects.select_related("municipality"))


def outbox_message_for(user, pk: int) -> OutboxMessage:
    """404 for a message of another municipality (and for anyone who may not read the outbox)."""
    if not scoping.can_read_outbox(user):
        from django.http import Http404

        raise Http404
    return scoping.get_for_user(user, OutboxMessage, pk=pk)
