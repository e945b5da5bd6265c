from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from mkk.accounts import scoping

from .models import AuditEntry


def entries_for(
    user,
    *,
    username: str = "",
    object_type: str = "",
    object_id: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries the user may read (a coordinator: their municipality), filtered."""
    if not scoping.can_read_audit(user):
        return AuditEntry.objects.none()
    qs = scoping.scope(user, AuditEntry.objects.all())
    if username:
        qs = qs.filter(actor_username__iexact=username)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if action:
        qs = qs.filter(action=action)
    if date_from:
        qs = qs.filter(timestamp__date__gte=date_from)
    if date_to:
        qs = qs.filter(timestamp__date__lte=date_to)
    return qs
