"""Dashboard panel: overdue follow-up tasks (coordinator: the mechanism's; focal point: their
institution's open tasks) and the next planned meeting."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from mkk.accounts.models import Role

from . import selectors


def panel(request) -> dict | None:
    user = request.user
    if not user.is_authenticated or user.role not in {Role.COORDINATOR, Role.FOCAL_POINT}:
        return None
    municipality = user.municipality
    if municipality is None:
        return None
    today = timezone.localdate()
    overdue = list(selectors.overdue_follow_ups(user, on=today)[:10])
    context = {
        "title": _("Meetings and follow-up"),
        "template": "meetings/dashboard_panel.html",
        "municipality": municipality,
        "overdue": overdue,
        "overdue_count": selectors.overdue_follow_ups(user, on=today).count(),
        "next_meeting": selectors.next_meeting(user, municipality),
        "today": today,
        "is_focal_point": user.role == Role.FOCAL_POINT,
    }
    if user.role == Role.FOCAL_POINT:
        context["open_count"] = selectors.open_follow_ups_of_institution(user).count()
    return context
