"""Dashboard panel: submissions to approve and late institutions (coordinator); data sets
due (focal point)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from mkk.accounts import scoping

from . import selectors


def panel(request) -> dict | None:
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    today = timezone.localdate()
    if scoping.coordinates(user, user.municipality_id):
        municipality = user.municipality
        waiting = list(selectors.awaiting_approval(user, municipality)[:10])
        late = selectors.late_rows_cached(user, municipality, today=today)
        return {
            "title": _("Statistics"),
            "template": "statistics/_panel.html",
            "municipality": municipality,
            "waiting": waiting,
            "late": late,
            "side": "mechanism",
        }
    if scoping.reports_for_own_institution(user):
        return {
            "title": _("Figures due"),
            "template": "statistics/_panel.html",
            "municipality": user.municipality,
            "due": selectors.due_for_focal_point(user, today=today),
            "side": "institution",
        }
    return None
