"""The plan's panel on the dashboard: reviews waiting and overdue actions for the coordinator,
actions needing an update this period for a focal point."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mkk.accounts import scoping
from mkk.accounts.models import Role

from . import selectors


def panel(request) -> dict | None:
    user = request.user
    if not user.is_authenticated or not user.municipality_id:
        return None
    if user.role not in {Role.COORDINATOR, Role.FOCAL_POINT}:
        return None
    plan = selectors.current_plan(user.municipality)
    if plan is None:
        return None
    board = selectors.dashboard(user, plan)
    context = {
        "title": _("Action plan"),
        "template": "plans/_panel.html",
        "plan": plan,
        "code": user.municipality.code,
        "period": board.period,
    }
    if scoping.can_manage_mechanism(user, user.municipality_id):
        context.update(
            role="coordinator",
            waiting=len(board.waiting),
            overdue=len(board.implementation.late),
            rate=board.implementation.overall.percent if board.implementation.overall else None,
        )
    else:
        needing = [
            m
            for m in board.mine
            if (m["update"] is None or m["update"].is_editable)
            and m["status"] not in {"completed", "cancelled"}
        ]
        context.update(role="focal_point", needing=needing, mine=len(board.mine))
    return context
