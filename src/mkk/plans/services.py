"""Writes of the plans app: progress updates, review, evidence files (kept by ``evidence.py``),
editing actions.

The plan import itself lives in :mod:`mkk.plans.importing` (``plan_import``), re-exported
here. Every function takes the acting user, checks what that user may do, validates, and
writes in one transaction; the audit signals record every row changed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mkk.accounts import scoping
from mkk.audit.models import AuditAction
from mkk.audit.services import record
from mkk.core import concurrency
from mkk.core.periods import block_of, block_starting
from mkk.directory.models import Institution
from mkk.ops.storage import private_storage

from . import notifications as plan_notifications
from .concurrency import action_links, progress_state
from .evidence import check_evidence, store_evidence
from .importing import ImportResult, PlanImportError, plan_import  # noqa: F401 - public API
from .models import (
    Action,
    ActionInstitution,
    ActionPlan,
    ActionStatus,
    Evidence,
    Funder,
    InstitutionRole,
    MatchMethod,
    ProgressUpdate,
    ReviewState,
    SpecificObjective,
    Spending,
)

# --- who may do what ------------------------------------------------------------------------


def lead_institution_ids(action: Action) -> set[int]:
    return {
        link.institution_id
        for link in action.institution_links.all()
        if link.role == InstitutionRole.LEAD and link.institution_id
    }


# --- progress updates -----------------------------------------------------------------------


def _period_for(plan: ActionPlan, period_start: dt.date):
    period = block_starting(plan.reporting_period_months, period_start)
    if period is None:
        raise ValidationError(_("That is not the first day of a reporting period."))
    if period.start > timezone.localdate():
        raise ValidationError(_("Progress cannot be reported for a period that has not started."))
    if not (plan.start_year <= period.start.year <= plan.end_year):
        raise ValidationError(_("That period lies outside the years of the plan."))
    return period


def progress_save(
    *,
    actor,
    action: Action,
    period_start: dt.date,
    status: str,
    narrative: str,
    spending: dict[str, Decimal | None],
    submit: bool,
    files: list[tuple[str, bytes]] = (),
    version: str | None = None,
) -> ProgressUpdate:
    """Create or change the update of ``action`` for the period starting ``period_start``.

    ``spending`` maps a funding source to the amount spent (None or 0 removes it);
    ``files`` are evidence files (name, bytes), checked before anything is saved. With
    ``submit`` the update goes to the coordinator for review and can no longer be changed
    until it is returned. All or nothing: a refused file saves nothing.
    """
    if not scoping.can_report_progress(actor, action):
        raise PermissionDenied
    if action.is_retired:
        raise ValidationError(_("This action is retired; progress can no longer be reported."))
    period = _period_for(action.plan, period_start)
    if status not in ActionStatus.values:
        raise ValidationError(_("Choose a status."))
    checked = [(name, data, check_evidence(data)) for name, data in files]
    written: list[Path] = []
    try:
        return _progress_save(
            actor, action, period, status, narrative, spending, submit, checked, written, version
        )
    except IntegrityError as exc:  # two first reports of the same period at once
        for path in written:
            path.unlink(missing_ok=True)
        raise ValidationError(
            _(
                "Someone else reported progress for this period while you were writing; "
                "what you typed is still in the form: check their report and save again."
            )
        ) from exc
    except Exception:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def _progress_save(
    actor, action, period, status, narrative, spending, submit, checked, written, version=None
):
    with transaction.atomic():
        update = (
            ProgressUpdate.objects.select_for_update()
            .filter(action=action, period_start=period.start)
            .first()
        )
        if update is not None:
            concurrency.check(update, version, extra=progress_state)
        if update is not None and not update.is_editable:
            raise ValidationError(
                _(
                    "This update has been submitted; it can be changed only after "
                    "the coordinator returns it."
                )
            )
        update = update or ProgressUpdate(
            action=action, period_start=period.start, period_end=period.end
        )
        update.status = status
        update.narrative = narrative.strip()
        update.submitted_by = actor
        if submit:
            if not update.narrative:
                raise ValidationError(_("Describe the progress before submitting."))
            update.review_state = ReviewState.SUBMITTED
            update.submitted_at = timezone.now()
        update.full_clean()
        update.save()
        for funder, amount in spending.items():
            if funder not in Funder.values:
                continue
            if amount is None or amount == 0:
                Spending.objects.filter(update=update, funder=funder).delete()
                continue
            if amount < 0:
                raise ValidationError(_("An amount spent cannot be negative."))
            row = Spending.objects.filter(update=update, funder=funder).first() or Spending(
                update=update, funder=funder
            )
            if row.amount != amount:
                row.amount = amount
                row.full_clean()
                row.save()
        for name, data, kind in checked:
            store_evidence(actor, update, name, data, kind, written)
        if submit:
            record(AuditAction.SUBMIT, update, actor=actor)
    return update


def progress_review(
    *, actor, update: ProgressUpdate, approve: bool, comment: str, version: str | None = None
) -> ProgressUpdate:
    """Approve a submitted update, or return it with a comment (required). Nobody reviews
    an update they submitted themselves. ``version`` is the review form's version: when
    another reviewer decided meanwhile, the decision is refused with what they decided
    (mkk.core.concurrency); the row is locked, so of two decisions at once one goes through."""
    if not scoping.can_review_progress(actor, update.action.plan):
        raise PermissionDenied
    if update.submitted_by_id and actor is not None and update.submitted_by_id == actor.pk:
        raise ValidationError(
            _(
                "You submitted this update yourself: another person approves or returns it "
                "(the coordinator, or the mechanism's deputy approver)."
            )
        )
    if not scoping.can_approve_progress(actor, update):
        raise PermissionDenied
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError(_("Say what needs to be corrected when returning an update."))
    with transaction.atomic():
        concurrency.check(update, version)
        locked = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
        if locked.review_state != ReviewState.SUBMITTED:
            raise ValidationError(
                _("Only an update waiting for review can be approved or returned.")
            )
        update.refresh_from_db()
        update.review_state = ReviewState.APPROVED if approve else ReviewState.RETURNED
        update.reviewed_by = actor
        update.reviewed_at = timezone.now()
        update.reviewer_comment = comment
        update.full_clean()
        update.save()
        record(
            AuditAction.APPROVE if approve else AuditAction.RETURN,
            update,
            actor=actor,
            reason=comment,
        )
        plan_notifications.progress_reviewed(update, approved=approve)
    return update


# --- evidence files -------------------------------------------------------------------------

#: Allowed types, recognised by content (never by the name or the browser's claim).


def evidence_add(*, actor, update: ProgressUpdate, name: str, data: bytes) -> Evidence:
    """Store an evidence file under a random name outside the web root."""
    if not scoping.can_report_progress(actor, update.action):
        raise PermissionDenied
    if not update.is_editable:
        raise ValidationError(_("Files can be added only while the update is a draft or returned."))
    kind = check_evidence(data)
    written: list[str] = []
    try:
        with transaction.atomic():
            return store_evidence(actor, update, name, data, kind, written)
    except Exception:
        for stored in written:
            private_storage().delete(stored)
        raise


def evidence_delete(*, actor, evidence: Evidence) -> None:
    if not scoping.can_report_progress(actor, evidence.update.action):
        raise PermissionDenied
    if not evidence.update.is_editable:
        raise ValidationError(
            _("Files can be removed only while the update is a draft or returned.")
        )
    stored = evidence.stored_name
    with transaction.atomic():
        evidence.delete()
        transaction.on_commit(lambda: private_storage().delete(stored))


# --- editing the plan -------------------------------------------------------------------------


def _require_manager(actor, plan: ActionPlan) -> None:
    if not scoping.can_manage_mechanism(actor, plan.mechanism.municipality_id):
        raise PermissionDenied


def plan_update(*, actor, plan: ActionPlan, version: str | None = None, **fields) -> ActionPlan:
    _require_manager(actor, plan)
    allowed = {"title", "status", "adoption_decision", "adoption_date", "reporting_period_months"}
    months = fields.get("reporting_period_months")
    saved = (
        ActionPlan.objects.filter(pk=plan.pk)
        .values_list("reporting_period_months", flat=True)
        .first()
    )
    if months and months != saved:
        starts = ProgressUpdate.objects.filter(action__plan=plan).values_list(
            "period_start", flat=True
        )
        if any(block_starting(months, start) is None for start in starts):
            raise ValidationError(
                _(
                    "The reporting period cannot be changed: progress has already been reported "
                    "for periods that would no longer exist."
                )
            )
    with transaction.atomic():
        concurrency.check(plan, version)
        for k, v in fields.items():
            if k in allowed:
                setattr(plan, k, v)
        plan.full_clean()
        plan.save()
    return plan


def _set_institutions(action: Action, role: str, institutions: list[Institution]) -> None:
    """Replace the directory links of one role; links kept as written (unmatched) stay."""
    current = list(action.institution_links.filter(role=role))
    wanted = {i.pk: i for i in institutions}
    for link in current:
        if link.institution_id and link.institution_id not in wanted:
            link.delete()
        elif link.institution_id:
            wanted.pop(link.institution_id)
    order = len(current)
    for inst in wanted.values():
        ActionInstitution.objects.create(
            action=action,
            institution=inst,
            text_as_written=inst.name_sq[:300],
            role=role,
            match_method=MatchMethod.MANUAL,
            order=order,
        )
        order += 1


def _free_occurrence(plan: ActionPlan, code: str, but: Action | None = None) -> int:
    """The lowest occurrence of ``code`` in the plan no other action has (a code written
    twice in a plan is occurrence 0 and 1)."""
    others = plan.actions.filter(code=code)
    if but is not None:
        others = others.exclude(pk=but.pk)
    taken = set(others.values_list("occurrence", flat=True))
    return next(n for n in range(len(taken) + 1) if n not in taken)


def action_save(
    *,
    actor,
    plan: ActionPlan,
    action: Action | None,
    values: dict,
    lead: list[Institution],
    supporting: list[Institution],
    version: str | None = None,
) -> Action:
    """Add (``action`` None) or change an action of ``plan`` from the coordinator's form.

    ``version``: the form's version of the action; a save over someone else's newer save is
    refused with what they changed (:mod:`mkk.core.concurrency`)."""
    _require_manager(actor, plan)
    sp: SpecificObjective = values["specific_objective"]
    if sp.strategic_objective.plan_id != plan.pk:
        raise PermissionDenied
    municipality_id = plan.mechanism.municipality_id
    if any(i.municipality_id != municipality_id for i in [*lead, *supporting]):
        raise PermissionDenied
    if not lead and (
        action is None or not action.institution_links.filter(role=InstitutionRole.LEAD).exists()
    ):
        raise ValidationError(_("Choose at least one lead institution."))
    with transaction.atomic():
        if action is not None:
            concurrency.check(action, version, extra=action_links)
        if action is None:
            action = Action(plan=plan)
            action.occurrence = _free_occurrence(plan, values["code"])
            action.order = (
                sp.actions.order_by("-order").values_list("order", flat=True).first() or 0
            ) + 1
        elif action.code != values["code"]:
            action.occurrence = _free_occurrence(plan, values["code"], but=action)
        for k in Action.EDITED_FIELDS:
            setattr(
                action,
                k,
                values.get(k)
                if values.get(k) is not None
                else ("" if k in {"recurrence", "outputs", "notes"} else None),
            )
        if not action.code_raw:
            action.code_raw = action.code
        action.full_clean()
        action.save()
        if lead:
            _set_institutions(action, InstitutionRole.LEAD, lead)
        _set_institutions(action, InstitutionRole.SUPPORTING, supporting)
    return action


def action_set_retired(
    *, actor, action: Action, retired: bool, reason: str = "", version: str | None = None
) -> Action:
    """Retire (``retired=True``) or restore the action: the state asked for, never a toggle.

    ``version``: the retire form's version of the action; when someone else changed the
    action (retired it, restored it, edited it) after the page was drawn, the change is
    refused with what they changed (:mod:`mkk.core.concurrency`)."""
    _require_manager(actor, action.plan)
    with transaction.atomic():
        concurrency.check(action, version)
        if action.is_retired != retired:
            action.is_retired = retired
            action.save()
            if reason:
                record(AuditAction.OTHER, action, actor=actor, reason=reason)
    return action


def current_period(plan: ActionPlan, today: dt.date | None = None):
    return block_of(plan.reporting_period_months, today or timezone.localdate())
