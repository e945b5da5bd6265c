"""Dashboard panel: submissions to approve and late institutions (coordinator); data sets
due (focal point)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from mkk.accounts import scoping
from mkk.accounts.models import Role

from . import selectors


def panel(request) -> dict | None:
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    today = timezone.localdate()
    if user.role == Role.COORDINATOR and user.municipality_id:
        municipality = user.municipality
        waiting = list(selectors.awaiting_approval(user, municipality)[:10])
        late = selectors.late_rows_cached(user, municipality, today=today)
        return {
            "title": _("Statistics"),
            "template": "statistics/_panel.html",
            "municipality": municipality,
            "waiting": waiting,
            "late": late,
            "role": "coordinator",
        }
    if (
        user.role == Role.FOCAL_POINT
        and user.institution_id
        and scoping.can_submit_for_institution(user, user.institution_id)
    ):
        return {
            "title": _("Figures due"),
            "template": "statistics/_panel.html",
            "municipality": user.municipality,
            "due": selectors.due_for_focal_point(user, today=today),
            "role": "focal_point",
        }
    return None
