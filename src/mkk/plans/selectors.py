"""Reads of the plans app, always through the access-scoping module.

``plan_implementation`` is the one selector the monitoring report uses; the dashboard is
built from the same computation, so the two never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from mkk.accounts import scoping
from mkk.audit.models import AuditEntry
from mkk.core import versions
from mkk.core.periods import Period, block_of, blocks_between
from mkk.directory import selectors as directory_selectors
from mkk.directory.models import Institution, Municipality

from .models import (
    Action,
    ActionInstitution,
    ActionPlan,
    ActionStatus,
    Evidence,
    Funder,
    ImportRun,
    InstitutionRole,
    PlanStatus,
    ProgressUpdate,
    ReviewState,
    SpecificObjective,
    Spending,
    StrategicObjective,
)

STATUS_ORDER = [s.value for s in ActionStatus]


# --- finding things -----------------------------------------------------------------------


def current_plan(municipality: Municipality) -> ActionPlan | None:
    """The municipality's plan in force: adopted before draft, newest first; never archived."""
    plans = list(
        ActionPlan.objects.filter(mechanism__municipality=municipality)
        .exclude(status=PlanStatus.ARCHIVED)
        .select_related("mechanism__municipality")
    )
    if not plans:
        return None
    year = timezone.localdate().year
    plans.sort(
        key=lambda p: (
            p.start_year <= year <= p.end_year,
            p.status == PlanStatus.ADOPTED,
            p.start_year,
            p.pk,
        ),
        reverse=True,
    )
    return plans[0]


def plan_for_period(municipality: Municipality, start: dt.date, end: dt.date) -> ActionPlan | None:
    plans = list(
        ActionPlan.objects.filter(
            mechanism__municipality=municipality, start_year__lte=end.year, end_year__gte=start.year
        )
        .select_related("mechanism__municipality")
        .order_by("-start_year", "-pk")
    )
    if not plans:
        return None
    plans.sort(
        key=lambda p: (p.status != PlanStatus.ARCHIVED, p.status == PlanStatus.ADOPTED),
        reverse=True,
    )
    return plans[0]


def municipality_and_plan(user, code: str) -> tuple[Municipality, ActionPlan | None]:
    municipality = directory_selectors.municipality_for(user, code)
    return municipality, current_plan(municipality)


def _action_details() -> tuple:
    """What an action is shown with: its institutions, budget lines, funders, references."""
    links = ActionInstitution.objects.select_related("institution")
    return (
        Prefetch("institution_links", queryset=links),
        "budget_lines",
        "funders",
        "legal_references",
    )


def actions_of(plan: ActionPlan, *, include_retired: bool = False) -> QuerySet[Action]:
    qs = plan.actions.select_related(
        "specific_objective__strategic_objective", "plan__mechanism"
    ).prefetch_related(*_action_details())
    return qs if include_retired else qs.filter(is_retired=False)


def plan_institutions(plan: ActionPlan):
    """Institutions named as lead or partner of an action of the plan."""
    return (
        Institution.objects.filter(plan_actions__action__plan=plan).distinct().order_by("name_sq")
    )


def action_for(user, pk: int) -> Action:
    qs = Action.objects.select_related(
        "plan__mechanism__municipality", "specific_objective__strategic_objective"
    ).prefetch_related(*_action_details())
    action = scoping.get_for_user(user, qs, pk=pk)
    scoping.require(scoping.can_read_records(user))
    return action


def update_for(user, pk: int) -> ProgressUpdate:
    update = scoping.get_for_user(
        user,
        ProgressUpdate.objects.select_related(
            "action__plan__mechanism__municipality", "submitted_by", "reviewed_by"
        ),
        pk=pk,
    )
    scoping.require(scoping.can_read_records(user))
    return update


def progress_period(action: Action, wanted: str | None):
    """The reporting periods of the action's plan up to today (or its end), the one ``wanted``
    (its key; the latest otherwise) and the action's update for it, if any. Http404 when the
    plan has no period yet."""
    plan = action.plan
    periods = blocks_between(
        plan.reporting_period_months,
        plan.first_day,
        min(timezone.localdate(), plan.last_day),
    )
    period = next((p for p in periods if p.key == wanted), None) or (
        periods[-1] if periods else None
    )
    if period is None:
        raise Http404
    return period, periods, action.updates.filter(period_start=period.start).first()


def evidence_for(user, pk: int) -> Evidence:
    """An evidence file the user may download; 404 for anyone else (no probing)."""
    evidence = scoping.get_for_user(
        user, Evidence.objects.select_related("update__action__plan__mechanism"), pk=pk
    )
    if not scoping.can_see_progress_files(user, evidence.update.action):
        raise Http404
    return evidence


def plans_of(user, municipality: Municipality) -> QuerySet[ActionPlan]:
    return scoping.scope(user, ActionPlan.objects.filter(mechanism__municipality=municipality))


def plans_for(user) -> QuerySet[ActionPlan]:
    """Every plan of the municipalities the user may read."""
    return scoping.scope(user, ActionPlan.objects.select_related("mechanism__municipality"))


def plan_for(user, pk: int) -> ActionPlan:
    return scoping.get_for_user(user, plans_for(user), pk=pk)


def import_run_for(user, pk: int) -> ImportRun:
    return scoping.get_for_user(
        user, ImportRun.objects.select_related("plan__mechanism__municipality", "actor"), pk=pk
    )


def my_actions(user, plan: ActionPlan) -> list[Action]:
    """Actions whose lead institution is the user's (focal points and case workers)."""
    if not user.institution_id:
        return []
    return list(
        actions_of(plan)
        .filter(
            institution_links__role=InstitutionRole.LEAD,
            institution_links__institution_id=user.institution_id,
        )
        .distinct()
    )


def updates_waiting(user, plan: ActionPlan | None) -> QuerySet[ProgressUpdate]:
    if plan is None:
        return ProgressUpdate.objects.none()
    return scoping.scope(
        user,
        ProgressUpdate.objects.filter(action__plan=plan, review_state=ReviewState.SUBMITTED)
        .select_related("action", "submitted_by")
        .order_by("submitted_at"),
    )


def updates_of_plan(user, plan: ActionPlan) -> QuerySet[ProgressUpdate]:
    """Every update of the plan the user may see, whatever its state (for bulk decisions,
    where an update reviewed meanwhile by someone else must be named, not ignored)."""
    return scoping.scope(
        user, ProgressUpdate.objects.filter(action__plan=plan).select_related("action")
    )


def returned_updates(user) -> QuerySet[ProgressUpdate]:
    """Updates of the user's institution returned for correction, with the reviewer's comment."""
    if user.institution_id is None:
        return ProgressUpdate.objects.none()
    lead = ActionInstitution.objects.filter(
        institution_id=user.institution_id, role=InstitutionRole.LEAD
    ).values("action_id")
    return scoping.scope(
        user,
        ProgressUpdate.objects.filter(review_state=ReviewState.RETURNED, action_id__in=lead)
        .select_related("action__plan__mechanism", "reviewed_by")
        .order_by("-reviewed_at"),
    )


def updates_of(action: Action) -> QuerySet[ProgressUpdate]:
    return action.updates.select_related("submitted_by", "reviewed_by").prefetch_related(
        "spending", "evidence"
    )


def history(user, action: Action) -> list[AuditEntry]:
    """Audit entries of the action and of its rows (institutions, budget, references, updates)."""
    if not scoping.can_read_records(user):
        return []
    child_types = [
        "plans.actioninstitution",
        "plans.budgetline",
        "plans.actionfunder",
        "plans.legalreference",
    ]
    update_ids = [str(pk) for pk in action.updates.values_list("pk", flat=True)]
    base = AuditEntry.objects.filter(municipality_id=action.plan.mechanism.municipality_id)
    own = list(base.filter(object_type="plans.action", object_id=str(action.pk)))
    updates = list(base.filter(object_type="plans.progressupdate", object_id__in=update_ids))
    children = []
    for entry in base.filter(object_type__in=child_types):
        pair = entry.changes.get("action") if isinstance(entry.changes, dict) else None
        ids = set(pair) if isinstance(pair, list) else set()
        if action.pk in ids:
            children.append(entry)
    known = {e.pk for e in children}
    current_children = defaultdict(set)
    for model, type_ in ((ActionInstitution, "plans.actioninstitution"),):
        current_children[type_] = {
            str(pk) for pk in model.objects.filter(action=action).values_list("pk", flat=True)
        }
    for entry in base.filter(
        object_type="plans.actioninstitution",
        object_id__in=current_children["plans.actioninstitution"],
    ):
        if entry.pk not in known:
            children.append(entry)
    entries = own + updates + children
    entries.sort(key=lambda e: (e.timestamp, e.pk), reverse=True)
    return entries


# --- implementation figures ---------------------------------------------------------------


@dataclass
class ObjectiveRow:
    code: str
    title: str
    counts: dict[str, int]
    total: int
    completion_rate: Decimal | None  # completed ÷ non-cancelled actions, 0..1

    @property
    def percent(self) -> Decimal | None:
        return (
            None
            if self.completion_rate is None
            else (self.completion_rate * 100).quantize(Decimal("0.1"))
        )

    @property
    def count_list(self) -> list[tuple[str, str, int]]:
        return [(s, ActionStatus(s).label, self.counts.get(s, 0)) for s in STATUS_ORDER]


@dataclass
class DoneItem:
    action_id: int
    code: str
    description: str
    status: str
    status_label: str
    period_start: dt.date
    period_end: dt.date
    narrative: str
    institutions: list[str]


@dataclass
class LateItem:
    action_id: int
    code: str
    description: str
    end_year: int | None
    status: str
    status_label: str
    institutions: list[str]


@dataclass
class BudgetRow:
    year: int
    funder: str
    funder_label: str
    planned: Decimal
    spent: Decimal


@dataclass
class PlanImplementation:
    plan: ActionPlan | None
    start: dt.date
    end: dt.date
    objectives: list[ObjectiveRow] = field(default_factory=list)
    specific_objectives: list[ObjectiveRow] = field(default_factory=list)
    overall: ObjectiveRow | None = None
    done: list[DoneItem] = field(default_factory=list)
    late: list[LateItem] = field(default_factory=list)
    budget: list[BudgetRow] = field(default_factory=list)
    planned_total: Decimal = Decimal(0)
    spent_total: Decimal = Decimal(0)
    #: action id -> status counted (latest approved update up to ``end``; not started otherwise)
    status_of: dict[int, str] = field(default_factory=dict)

    def budget_by_year(self) -> list[tuple[int, Decimal, Decimal]]:
        out: dict[int, list[Decimal]] = {}
        for row in self.budget:
            pair = out.setdefault(row.year, [Decimal(0), Decimal(0)])
            pair[0] += row.planned
            pair[1] += row.spent
        return [(y, p, s) for y, (p, s) in sorted(out.items())]

    def budget_by_funder(self) -> list[tuple[str, str, Decimal, Decimal]]:
        out: dict[str, list] = {}
        for row in self.budget:
            entry = out.setdefault(row.funder, [row.funder_label, Decimal(0), Decimal(0)])
            entry[1] += row.planned
            entry[2] += row.spent
        return [(f, label, p, s) for f, (label, p, s) in out.items()]


def _row(code: str, title: str, statuses: list[str]) -> ObjectiveRow:
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for s in statuses:
        counts[s] += 1
    total = len(statuses)
    denominator = total - counts[ActionStatus.CANCELLED]
    rate = (
        (Decimal(counts[ActionStatus.COMPLETED]) / Decimal(denominator)).quantize(Decimal("0.0001"))
        if denominator
        else None
    )
    return ObjectiveRow(code=code, title=title, counts=counts, total=total, completion_rate=rate)


def _lead_names(action: Action) -> list[str]:
    return [
        (link.institution.name if link.institution_id else link.text_as_written)
        for link in action.institution_links.all()
        if link.role == InstitutionRole.LEAD
    ]


def _funder_label(value: str) -> str:
    from django.utils.translation import gettext

    return Funder(value).label if value in Funder.values else gettext("Not specified")


@dataclass
class _PlanRows:
    """What the implementation figures are computed from, read once per plan (so that the
    dashboard computes two ranges from one read)."""

    actions: list[Action]
    approved: list[ProgressUpdate]  # approved updates, by action and period
    objectives: list[StrategicObjective]
    specific_objectives: list[SpecificObjective]
    spending: list[Spending]  # approved spending of actions not retired, with its update


def _plan_rows(plan: ActionPlan, end: dt.date) -> _PlanRows:
    return _PlanRows(
        actions=list(actions_of(plan)),
        approved=list(
            ProgressUpdate.objects.filter(
                action__plan=plan, review_state=ReviewState.APPROVED, period_start__lte=end
            ).order_by("action_id", "period_start")
        ),
        objectives=list(StrategicObjective.objects.filter(plan=plan)),
        specific_objectives=list(SpecificObjective.objects.filter(strategic_objective__plan=plan)),
        spending=list(
            Spending.objects.filter(
                update__action__plan=plan,
                update__action__is_retired=False,
                update__review_state=ReviewState.APPROVED,
                update__period_start__lte=end,
            ).select_related("update")
        ),
    )


def implementation_of(plan: ActionPlan | None, start: dt.date, end: dt.date) -> PlanImplementation:
    if plan is None:
        return PlanImplementation(plan=plan, start=start, end=end)
    return _implementation(plan, start, end, _plan_rows(plan, end))


def _implementation(plan: ActionPlan, start: dt.date, end: dt.date, rows: _PlanRows):
    """The figures of [start, end] from ``rows`` (read up to ``end`` or later)."""
    result = PlanImplementation(plan=plan, start=start, end=end)
    actions = rows.actions
    approved = [u for u in rows.approved if u.period_start <= end]
    latest: dict[int, ProgressUpdate] = {}
    for u in approved:
        latest[u.action_id] = u  # ordered by period: the last one wins
    status_of = {
        a.pk: (latest[a.pk].status if a.pk in latest else ActionStatus.NOT_STARTED) for a in actions
    }
    result.status_of = status_of

    by_so: dict[int, list[str]] = defaultdict(list)
    by_sp: dict[int, list[str]] = defaultdict(list)
    for a in actions:
        by_so[a.specific_objective.strategic_objective_id].append(status_of[a.pk])
        by_sp[a.specific_objective_id].append(status_of[a.pk])
    for so in rows.objectives:
        result.objectives.append(_row(so.code, so.title, by_so.get(so.pk, [])))
    for sp in rows.specific_objectives:
        result.specific_objectives.append(_row(sp.code, sp.title, by_sp.get(sp.pk, [])))
    result.overall = _row("", "", list(status_of.values()))
    _done_and_late(result, actions, approved, start, end)
    _budget_rows(result, rows, start, end)
    result.planned_total = sum((r.planned for r in result.budget), Decimal(0))
    result.spent_total = sum((r.spent for r in result.budget), Decimal(0))
    return result


def _done_and_late(result: PlanImplementation, actions, approved, start, end) -> None:
    """What was done in the period (approved updates) and which actions are late."""
    status_of = result.status_of
    by_pk = {a.pk: a for a in actions}
    for u in approved:
        if u.period_end >= start:
            action = by_pk.get(u.action_id)
            if action is None:
                continue
            result.done.append(
                DoneItem(
                    action_id=action.pk,
                    code=action.code,
                    description=action.description,
                    status=u.status,
                    status_label=u.get_status_display(),
                    period_start=u.period_start,
                    period_end=u.period_end,
                    narrative=u.narrative,
                    institutions=_lead_names(action),
                )
            )
    for a in actions:
        status = status_of[a.pk]
        if status in {ActionStatus.COMPLETED, ActionStatus.CANCELLED}:
            continue
        if status == ActionStatus.DELAYED or (a.end_year and a.end_year < end.year):
            result.late.append(
                LateItem(
                    action_id=a.pk,
                    code=a.code,
                    description=a.description,
                    end_year=a.end_year,
                    status=status,
                    status_label=ActionStatus(status).label,
                    institutions=_lead_names(a),
                )
            )


def _budget_rows(result: PlanImplementation, rows: _PlanRows, start, end) -> None:
    """Planned (budget lines) and spent (approved spending) per year and funding source."""
    planned: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for a in rows.actions:
        funders = {f.funder for f in a.funders.all()}
        for line in a.budget_lines.all():
            if start.year <= line.year <= end.year:
                funder = line.funder or (next(iter(funders)) if len(funders) == 1 else "")
                planned[(line.year, funder)] += line.amount
    spent: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for s in rows.spending:
        if s.update.period_start <= end and s.update.period_end >= start:
            spent[(s.update.period_start.year, s.funder)] += s.amount
    for key in sorted(
        set(planned) | set(spent),
        key=lambda k: (k[0], Funder.values.index(k[1]) if k[1] in Funder.values else 99),
    ):
        year, funder = key
        result.budget.append(
            BudgetRow(
                year=year,
                funder=funder,
                funder_label=_funder_label(funder),
                planned=planned.get(key, Decimal(0)),
                spent=spent.get(key, Decimal(0)),
            )
        )


def plan_implementation(
    *, municipality: Municipality, start: dt.date, end: dt.date
) -> PlanImplementation:
    """How the municipality's plan stands for the report period [start, end].

    Counts by status use the latest *approved* update of each action up to ``end`` (an
    action without one counts as not started); the completion rate is completed ÷
    non-cancelled actions. ``done`` lists the approved updates of periods overlapping the
    range, ``late`` the actions whose last year has passed without completion or that are
    delayed, ``budget`` planned (budget lines of the years in range) against spent
    (approved updates' spending) per year and funding source.
    """
    return implementation_of(plan_for_period(municipality, start, end), start, end)


# --- dashboard ------------------------------------------------------------------------------


@dataclass
class ActionItem:
    """An action as a list shows it (code, text, lead institutions), without the ORM row."""

    pk: int
    code: str
    description: str
    institutions: list[str]


@dataclass
class PlanOverview:
    """What the plan page and the dashboard show of a plan, the same for every reader: the
    figures as of today (budget over every year of the plan), the reporting period and the
    running actions without an update for it. Cached per data version (``overview``)."""

    implementation: PlanImplementation
    period: Period
    without_update: list[ActionItem]


@dataclass
class Dashboard:
    implementation: PlanImplementation
    period: Period
    without_update: list[ActionItem]
    mine: list[dict]
    waiting: list[ProgressUpdate]


def is_overdue(action: Action, status: str | None, today: dt.date) -> bool:
    """Past the last year of its timeframe and neither completed nor cancelled."""
    finished = {ActionStatus.COMPLETED, ActionStatus.CANCELLED}
    return bool(action.end_year and action.end_year < today.year and status not in finished)


def filter_actions(
    actions, status_of: dict, *, institution=None, status="", year=None, overdue=False, today=None
) -> list[Action]:
    """The plan's actions narrowed by lead or partner institution, current status, a year of
    their timeframe, and overdue; ``status_of`` is the implementation's status per action."""
    today = today or timezone.localdate()
    out = []
    for action in actions:
        current = status_of.get(action.pk, ActionStatus.NOT_STARTED)
        if institution is not None and institution.pk not in {
            link.institution_id for link in action.institution_links.all()
        }:
            continue
        if status and current != status:
            continue
        if year and not _active_in(action, year):
            continue
        if overdue and not is_overdue(action, current, today):
            continue
        out.append(action)
    return out


def _active_in(action: Action, year: int) -> bool:
    if action.start_year and action.start_year > year:
        return False
    return not (action.end_year and action.end_year < year)


def _overview(plan: ActionPlan, today: dt.date) -> PlanOverview:
    last = plan.last_day
    rows = _plan_rows(plan, max(today, last))  # one read for both ranges
    impl = _implementation(plan, plan.first_day, today, rows)
    # Statuses as of today, but planned against spent over every year of the plan.
    whole = _implementation(plan, plan.first_day, last, rows)
    impl.budget, impl.planned_total, impl.spent_total = (
        whole.budget,
        whole.planned_total,
        whole.spent_total,
    )
    period = block_of(plan.reporting_period_months, today)
    reported = set(
        ProgressUpdate.objects.filter(action__plan=plan, period_start=period.start)
        .exclude(review_state=ReviewState.DRAFT)
        .values_list("action_id", flat=True)
    )
    without = [
        ActionItem(pk=a.pk, code=a.code, description=a.description, institutions=_lead_names(a))
        for a in rows.actions
        if a.pk not in reported
        and _active_in(a, today.year)
        and impl.status_of.get(a.pk) not in {ActionStatus.COMPLETED, ActionStatus.CANCELLED}
    ]
    return PlanOverview(implementation=impl, period=period, without_update=without)


def overview(user, plan: ActionPlan, today: dt.date | None = None) -> PlanOverview:
    """The plan's ``PlanOverview``, computed once per data version of its municipality and
    per reader scope and language (mkk.core.versions)."""
    today = today or timezone.localdate()
    return versions.cached(
        "plans.overview",
        lambda: _overview(plan, today),
        municipality_id=plan.mechanism.municipality_id,
        user=user,
        parts=(plan.pk, today),
    )


def dashboard(user, plan: ActionPlan, today: dt.date | None = None) -> Dashboard:
    """The overview and what is the reader's own: their actions (focal points and case
    workers) and the updates waiting for their review."""
    today = today or timezone.localdate()
    view = overview(user, plan, today)
    impl, period = view.implementation, view.period
    mine = []
    if scoping.works_for_institution(user):
        updates = {
            u.action_id: u
            for u in ProgressUpdate.objects.filter(action__plan=plan, period_start=period.start)
        }
        for a in my_actions(user, plan):
            mine.append(
                {
                    "action": a,
                    "status": impl.status_of.get(a.pk),
                    "update": updates.get(a.pk),
                    "can_report": scoping.can_report_progress(user, a),
                }
            )
    waiting = (
        list(updates_waiting(user, plan))
        if scoping.can_manage_mechanism(user, plan.mechanism.municipality_id)
        else []
    )
    return Dashboard(
        implementation=impl,
        period=period,
        without_update=view.without_update,
        mine=mine,
        waiting=waiting,
    )
