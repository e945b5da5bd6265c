"""Action plans, their implementation, and progress on actions."""

import datetime as dt

from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate

from mkk.accounts import scoping
from mkk.plans import selectors as plan_selectors
from mkk.plans import services as plan_services
from mkk.plans.models import ActionPlan, ActionStatus

from . import common as c
from . import schemas as s

router = Router(tags=["plans"])


def _plan_out(p: ActionPlan) -> dict:
    return {
        "id": p.pk,
        "municipality": p.mechanism.municipality.code,
        "title": p.title,
        "start_year": p.start_year,
        "end_year": p.end_year,
        "status": p.status,
        "adoption_decision": p.adoption_decision,
        "adoption_date": p.adoption_date,
        "reporting_period_months": p.reporting_period_months,
    }


def _row_out(row) -> dict:
    return {
        "code": row.code,
        "title": row.title,
        "counts": row.counts,
        "total": row.total,
        "completion_rate": row.completion_rate,
    }


def _plan_for(request, plan_id: int) -> ActionPlan:
    plan = plan_selectors.plan_for(request.user, plan_id)
    scoping.require(scoping.can_read_aggregates(request.user))
    return plan


def _action_out(a, status: str) -> dict:
    return {
        "id": a.pk,
        "plan_id": a.plan_id,
        "code": a.code,
        "description": a.description,
        "specific_objective": a.specific_objective.code,
        "start_year": a.start_year,
        "end_year": a.end_year,
        "lead_institutions": plan_selectors._lead_names(a),
        "status": status,
        "is_retired": a.is_retired,
    }


def _update_out(u) -> dict:
    return {
        "id": u.pk,
        "action_id": u.action_id,
        "period_start": u.period_start,
        "period_end": u.period_end,
        "status": u.status,
        "narrative": u.narrative,
        "review_state": u.review_state,
        "submitted_at": u.submitted_at,
        "reviewed_at": u.reviewed_at,
        "reviewer_comment": u.reviewer_comment,
        "spending": [{"funder": sp.funder, "amount": sp.amount} for sp in u.spending.all()],
    }


@router.get("/plans", response=c.answers(list[s.PlanOut]), operation_id="plans")
@paginate(c.Pages)
def plan_list(request, municipality: str | None = c.code_param()):
    m = c.municipality_of(request, municipality)
    scoping.require(scoping.can_read_aggregates(request.user))
    qs = c.narrowed(plan_selectors.plans_for(request.user), mechanism__municipality=m)
    return [_plan_out(p) for p in qs]


@router.get(
    "/plans/{plan_id}",
    response=c.answers(s.PlanDetailOut),
    operation_id="plan",
)
def plan_detail(request, plan_id: int = c.path_id()):
    """The plan with its implementation today: actions by status and the completion rate
    (the latest approved update of each action counts), planned and spent budget."""
    plan = _plan_for(request, plan_id)
    today = timezone.localdate()
    impl = plan_selectors.implementation_of(plan, plan.first_day, today)
    out = _plan_out(plan)
    out.update(
        {
            "as_of": today,
            "overall": _row_out(impl.overall) if impl.overall else None,
            "objectives": [_row_out(r) for r in impl.objectives],
            "planned_total": impl.planned_total,
            "spent_total": impl.spent_total,
        }
    )
    return out


@router.get(
    "/plans/{plan_id}/actions",
    response=c.answers(list[s.ActionOut]),
    operation_id="plan_actions",
)
@paginate(c.Pages)
def plan_actions(request, plan_id: int = c.path_id(), include_retired: bool = False):
    plan = _plan_for(request, plan_id)
    impl = plan_selectors.implementation_of(plan, plan.first_day, timezone.localdate())
    return [
        _action_out(a, impl.status_of.get(a.pk, ActionStatus.NOT_STARTED))
        for a in plan_selectors.actions_of(plan, include_retired=include_retired)
    ]


def _status_of(action) -> str:
    impl = plan_selectors.implementation_of(
        action.plan, action.plan.first_day, timezone.localdate()
    )
    return impl.status_of.get(action.pk, ActionStatus.NOT_STARTED)


@router.get(
    "/actions/{action_id}",
    response=c.answers(s.ActionDetailOut),
    operation_id="action",
)
def action_detail(request, action_id: int = c.path_id()):
    action = plan_selectors.action_for(request.user, action_id)
    out = _action_out(action, _status_of(action))
    out["outputs"] = action.outputs
    out["updates"] = [_update_out(u) for u in plan_selectors.updates_of(action)]
    return out


@router.get(
    "/actions/{action_id}/progress",
    response=c.answers(list[s.ProgressOut]),
    operation_id="action_progress",
)
@paginate(c.Pages)
def progress_list(
    request,
    action_id: int = c.path_id(),
    period_from: dt.date | None = c.from_param(),
    period_to: dt.date | None = c.to_param(),
):
    action = plan_selectors.action_for(request.user, action_id)
    qs = c.narrowed(plan_selectors.updates_of(action), period_from=period_from, period_to=period_to)
    return [_update_out(u) for u in qs]


@router.put(
    "/actions/{action_id}/progress",
    response=c.answers(s.ProgressOut),
    operation_id="action_progress_save",
)
def progress_save(request, payload: s.ProgressIn, action_id: int = c.path_id()):
    """Create or change the progress update of one reporting period (the lead institution's
    focal point, or the coordinator), as the progress form does; ``submit`` sends it for
    review."""
    action = plan_selectors.action_for(request.user, action_id)
    scoping.require(scoping.can_report_progress(request.user, action))
    c.check_range(payload.period_start, None)
    update = plan_services.progress_save(
        actor=request.user,
        action=action,
        period_start=payload.period_start,
        status=payload.status,
        narrative=payload.narrative,
        spending=dict(payload.spending),
        submit=payload.submit,
    )
    return _update_out(update)
