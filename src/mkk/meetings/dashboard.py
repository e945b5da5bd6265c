"""Dashboard panel: overdue follow-up tasks (coordinator: the mechanism's; focal point: their
institution's open tasks) and the next planned meeting."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from mkk.accounts import scoping

from . import selectors


def panel(request) -> dict | None:
    user = request.user
    if not scoping.follows_mechanism_work(user):
        return None
    municipality = user.municipality
    own_institution = scoping.follow_ups_own_institution_only(user)
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
        "is_focal_point": own_institution,
    }
    if own_institution:
        context["open_count"] = selectors.open_follow_ups_of_institution(user).count()
    return context
