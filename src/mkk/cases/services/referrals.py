"""Referrals between institutions (send, accept, decline, withdraw, complete, the owner's
decision on a receiver's legal ground) and the referral deadline table.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mkk.accounts import scoping
from mkk.audit.models import AuditAction
from mkk.audit.services import record
from mkk.core import concurrency

from .. import notifications as case_notifications
from .. import selectors
from ..concurrency import deadline_table
from ..models import (
    Case,
    CaseStatus,
    GroundStatus,
    LegalGround,
    Referral,
    ReferralDeadline,
    ReferralStatus,
    Urgency,
    referral_kind_for,
)
from .common import _clean_save, _require, _tell_owner, can_handle

#: Hours when no deadline row matches (documented default; the table normally has one).
FALLBACK_DEADLINE_HOURS = 72


def deadline_hours(*, from_kind: str, to_kind: str, urgency: str, municipality=None) -> int:
    """Hours from the table: municipality override first, then the national row; a row for
    the sending institution's kind beats the any-kind row."""
    rows = (
        ReferralDeadline.objects.filter(to_kind=to_kind, urgency=urgency)
        .filter(Q(municipality=municipality) | Q(municipality__isnull=True))
        .filter(Q(from_kind=from_kind) | Q(from_kind=""))
    )
    best = None
    for row in rows:
        rank = (row.municipality_id is not None, row.from_kind == from_kind)
        if best is None or rank > best[0]:
            best = (rank, row.hours)
    return best[1] if best else FALLBACK_DEADLINE_HOURS


@transaction.atomic
def referral_send(
    *, actor, case: Case, to_institution, reason: str, urgency: str = Urgency.NORMAL, sent_at=None
) -> Referral:
    _require(can_handle(actor, case))
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("A closed case cannot be referred; reopen it first."))
    if to_institution.pk == actor.institution_id:
        raise ValidationError(
            {"to_institution": _("An institution cannot refer a case to itself.")}
        )
    if case.referrals.filter(to_institution=to_institution, status=ReferralStatus.SENT).exists():
        raise ValidationError(
            {
                "to_institution": _(
                    "A referral to this institution is already waiting for an answer."
                )
            }
        )
    if to_institution.pk == case.institution_id:
        raise ValidationError({"to_institution": _("This institution owns the case already.")})
    if not selectors.referral_targets(case, actor.institution_id).filter(pk=to_institution.pk):
        raise ValidationError(
            {"to_institution": _("This institution does not receive referrals of this case.")}
        )
    sent_at = sent_at or timezone.now()
    kind = referral_kind_for(to_institution.kind)
    hours = deadline_hours(
        from_kind=actor.institution.kind,
        to_kind=kind,
        urgency=urgency,
        municipality=case.institution.municipality,
    )
    referral = Referral(
        case=case,
        from_institution=actor.institution,
        to_institution=to_institution,
        kind=kind,
        reason=(reason or "").strip(),
        urgency=urgency,
        sent_at=sent_at,
        sent_by=actor,
        deadline_at=sent_at + dt.timedelta(hours=hours),
    )
    referral = _clean_save(referral)
    record(AuditAction.REFERRAL_SENT, referral, actor=actor)
    case_notifications.referral_sent(referral)
    return referral


def _require_receiver(actor, referral: Referral) -> None:
    _require(scoping.can_work_cases(actor) and actor.institution_id == referral.to_institution_id)
    if referral.status != ReferralStatus.SENT:
        raise ValidationError(_("This referral has already been answered or withdrawn."))


@transaction.atomic
def referral_accept(
    *,
    actor,
    referral: Referral,
    consent_recorded: bool = False,
    legal_ground: str = "",
    ground_reason: str = "",
    at=None,
) -> Referral:
    """Accept. Consent is the owner's: the receiver may record the victim's consent only where
    the owner has not recorded a "No", and a legal ground the receiver records (with a reason)
    shares the identity only once the owning institution confirms it."""
    referral = Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
    _require_receiver(actor, referral)
    case = referral.case
    ground_reason = (ground_reason or "").strip()
    if consent_recorded and case.consent_refused:
        raise ValidationError(
            {
                "consent_recorded": _(
                    "The owning institution recorded that the victim does not agree to share. "
                    "Only the owning institution can change that."
                )
            }
        )
    if legal_ground and not ground_reason:
        raise ValidationError(
            {"ground_reason": _("Say why the identity is needed without the victim's consent.")}
        )
    referral.status = ReferralStatus.ACCEPTED
    referral.responded_at = at or timezone.now()
    referral.responded_by = actor
    referral.consent_recorded = bool(consent_recorded)
    referral.legal_ground = legal_ground or ""
    referral.ground_reason = ground_reason if legal_ground else ""
    referral.ground_status = GroundStatus.PENDING if legal_ground else ""
    _clean_save(referral)
    record(AuditAction.REFERRAL_ACCEPTED, referral, actor=actor)
    if legal_ground:
        record(
            AuditAction.SUBMIT,
            referral,
            actor=actor,
            reason=f"legal ground for sharing proposed by the receiver: {legal_ground}",
        )
        _tell_owner(
            case,
            "referral_ground_proposed",
            referral=referral,
            institution=referral.to_institution,
            ground=dict(LegalGround.choices).get(legal_ground, legal_ground),
        )
    return referral


@transaction.atomic
def referral_ground_decide(*, actor, referral: Referral, confirm: bool) -> Referral:
    """The owning institution confirms (identity shared) or refuses a receiver's legal ground."""
    referral = Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
    case = referral.case
    _require(scoping.can_work_cases(actor) and actor.institution_id == case.institution_id)
    if referral.ground_status != GroundStatus.PENDING:
        raise ValidationError(_("No legal ground of this referral waits for a decision."))
    referral.ground_status = GroundStatus.CONFIRMED if confirm else GroundStatus.REFUSED
    referral.ground_decided_at = timezone.now()
    referral.ground_decided_by = actor
    _clean_save(referral)
    record(
        AuditAction.APPROVE if confirm else AuditAction.RETURN,
        referral,
        actor=actor,
        reason=f"legal ground {referral.legal_ground} "
        + ("confirmed by the owner" if confirm else "refused by the owner"),
    )
    _tell_owner(
        case,
        "referral_ground_confirmed" if confirm else "referral_ground_refused",
        referral=referral,
        institution=referral.to_institution,
        ground=dict(LegalGround.choices).get(referral.legal_ground, referral.legal_ground),
    )
    return referral


@transaction.atomic
def referral_decline(*, actor, referral: Referral, reason: str, at=None) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require_receiver(actor, referral)
    if not (reason or "").strip():
        raise ValidationError({"decline_reason": _("Give the reason for declining.")})
    referral.status = ReferralStatus.DECLINED
    referral.responded_at = at or timezone.now()
    referral.responded_by = actor
    referral.decline_reason = reason.strip()
    _clean_save(referral)
    # the decline reason is case content: the event names what happened, never why
    record(AuditAction.REFERRAL_DECLINED, referral, actor=actor)
    return referral


@transaction.atomic
def referral_withdraw(*, actor, referral: Referral) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require(scoping.can_work_cases(actor) and actor.institution_id == referral.from_institution_id)
    if referral.status != ReferralStatus.SENT:
        raise ValidationError(_("Only a referral waiting for an answer can be withdrawn."))
    referral.status = ReferralStatus.WITHDRAWN
    _clean_save(referral)
    record(AuditAction.REFERRAL_WITHDRAWN, referral, actor=actor)
    return referral


@transaction.atomic
def referral_complete(*, actor, referral: Referral) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require(scoping.can_work_cases(actor) and actor.institution_id == referral.to_institution_id)
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted referral can be completed."))
    referral.status = ReferralStatus.COMPLETED
    referral.completed_at = timezone.now()
    _clean_save(referral)
    record(AuditAction.REFERRAL_COMPLETED, referral, actor=actor)
    return referral


@transaction.atomic
@transaction.atomic
def deadline_set(
    *,
    actor,
    municipality,
    from_kind: str,
    to_kind: str,
    urgency: str,
    hours: int,
    version: str | None = None,
) -> ReferralDeadline:
    """A municipality's own deadline for a referral type (its coordinator, or an admin).
    ``version`` is the deadline form's version of the municipality's table: a save over
    someone else's newer change of the table is refused (mkk.core.concurrency)."""
    _require(scoping.can_manage_mechanism(actor, municipality.pk))
    concurrency.check(municipality, version, extra=deadline_table)
    row = ReferralDeadline.objects.filter(
        municipality=municipality, from_kind=from_kind, to_kind=to_kind, urgency=urgency
    ).first() or ReferralDeadline(
        municipality=municipality, from_kind=from_kind, to_kind=to_kind, urgency=urgency
    )
    row.hours = hours
    row.source = "set by the municipal coordinator"
    return _clean_save(row)
