"""The plan's panel on the dashboard: reviews waiting and overdue actions for the coordinator,
actions needing an update this period for a focal point."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mkk.accounts import scoping

from . import selectors


def panel(request) -> dict | None:
    user = request.user
    if not scoping.follows_mechanism_work(user):
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
            side="mechanism",
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
        context.update(side="institution", needing=needing, mine=len(board.mine))
    return context
