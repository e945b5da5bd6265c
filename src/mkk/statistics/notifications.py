"""Who is told what when a statistics submission is returned (called from statistics.services)."""

from __future__ import annotations

from django.urls import reverse

from mkk.accounts.models import Role
from mkk.accounts.selectors import active_users
from mkk.core.periods import lazy_label
from mkk.notifications.services import notify


def statistics_returned(submission) -> None:
    focal_points = active_users(role=Role.FOCAL_POINT, institution_id=submission.institution_id)
    notify(
        recipients=[submission.submitted_by, *focal_points],
        event="statistics_returned",
        url=reverse("statistics:submission", args=[submission.pk]),
        context={
            "institution": submission.institution,
            "data_set": submission.data_set,
            "period": lazy_label(submission.period_start, submission.period_end),
        },
    )
