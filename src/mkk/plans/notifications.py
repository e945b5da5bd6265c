"""Who is told what when a progress update is reviewed (called from plans.services)."""

from __future__ import annotations

from django.urls import reverse

from mkk.accounts.models import Role
from mkk.accounts.selectors import active_users
from mkk.core.periods import lazy_label
from mkk.notifications.services import notify


def progress_reviewed(update, *, approved: bool) -> None:
    """The person who reported, else the focal points of the action's lead institutions."""
    from .services import lead_institution_ids

    if update.submitted_by_id:
        recipients = [update.submitted_by]
    else:
        leads = lead_institution_ids(update.action)
        recipients = list(active_users(role=Role.FOCAL_POINT, institution_id__in=leads))
    notify(
        recipients=recipients,
        event="progress_approved" if approved else "progress_returned",
        url=reverse("plans:update", args=[update.pk]),
        context={
            "action": update.action.code,
            "period": lazy_label(update.period_start, update.period_end),
        },
    )
