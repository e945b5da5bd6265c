"""The unread count of the inbox, for the link in the page header."""

from __future__ import annotations

from mkk.accounts.scoping import can_read_outbox

from .selectors import unread_count


def inbox(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": unread_count(user), "sees_outbox": can_read_outbox(user)}
