"""A case from opening to closing: its reference, the owner's consent, closing and reopening,
and the records that follow it (incidents, orders, court outcomes, shelter stays, services).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mkk.accounts import scoping
from mkk.audit.models import AuditAction
from mkk.audit.services import record
from mkk.core import concurrency

from ..models import (
    Case,
    CaseSequence,
    CaseStatus,
    Consent,
    CourtOutcome,
    Incident,
    LegalGround,
    ProtectionOrder,
    ServiceGiven,
    ShelterStay,
    gbvims_type_for,
)
from .common import _clean_save, _require, _tell_owner, can_handle
from .identity import Identity, _check_identity, _identity_row


def reference_prefix(municipality) -> str:
    letters = "".join(ch for ch in municipality.code if ch.isalpha())
    return (letters[:2] or "XX").upper()


def next_reference(municipality, year: int) -> str:
    """'DR-2025-000123': municipality prefix, year, sequence (locked row, no gaps reused)."""
    seq, _created = CaseSequence.objects.select_for_update().get_or_create(
        municipality=municipality, year=year
    )
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{reference_prefix(municipality)}-{year}-{seq.last:06d}"


@transaction.atomic
def case_create(
    *,
    actor,
    institution,
    identity: Identity,
    sex: str,
    age_group: str,
    age_band: str = "",
    residence_municipality=None,
    consent_to_share: str = Consent.NOT_ASKED,
    consent_date: dt.date | None = None,
    sharing_legal_ground: str = "",
    opened_on: dt.date | None = None,
    external_reference: str = "",
    sharing_reason: str = "",
) -> Case:
    _require(scoping.can_work_cases(actor) and actor.institution_id == institution.pk)
    key = _check_identity(identity)
    sharing_reason = _check_ground(consent_to_share, sharing_legal_ground, sharing_reason)
    opened_on = opened_on or timezone.localdate()
    case = Case(
        institution=institution,
        victim_key=key,
        sex=sex,
        age_group=age_group,
        age_band=age_band,
        residence_municipality=residence_municipality,
        consent_to_share=consent_to_share,
        consent_date=consent_date,
        consent_recorded_by=actor
        if consent_to_share != Consent.NOT_ASKED or sharing_legal_ground
        else None,
        sharing_legal_ground=sharing_legal_ground,
        sharing_reason=sharing_reason,
        opened_on=opened_on,
        external_reference=external_reference,
        created_by=actor,
    )
    case.full_clean(exclude=["reference", "victim_key"])
    case.reference = next_reference(institution.municipality, opened_on.year)
    case.save()
    _identity_row(case, identity).save()
    if sharing_legal_ground and consent_to_share != Consent.YES:
        _ground_recorded(actor, case, sharing_legal_ground)
    return case


def _check_ground(consent: str, ground: str, reason: str) -> str:
    """A legal ground for sharing without consent needs a reason."""
    reason = (reason or "").strip()
    if ground and consent != Consent.YES and not reason:
        raise ValidationError(
            {"sharing_reason": _("Say why the identity is shared without the victim's consent.")}
        )
    return reason if ground else ""


def _ground_recorded(actor, case: Case, ground: str) -> None:
    """The owner chose a legal ground: audited (the ground, not the free-text reason, which
    is case content) and told to the owning institution's case workers."""
    label = dict(LegalGround.choices).get(ground, ground)
    record(AuditAction.OTHER, case, actor=actor, reason=f"legal ground for sharing: {ground}")
    _tell_owner(case, "case_legal_ground", ground=label)


@transaction.atomic
def case_set_consent(
    *,
    actor,
    case: Case,
    consent_to_share: str,
    consent_date: dt.date | None,
    sharing_legal_ground: str,
    sharing_reason: str = "",
    version: str | None = None,
) -> Case:
    """Record the owner's consent; ``version`` is the consent form's version (a save over
    someone else's newer save is refused, mkk.core.concurrency)."""
    _require(scoping.can_work_cases(actor) and actor.institution_id == case.institution_id)
    concurrency.check(case, version)
    sharing_reason = _check_ground(consent_to_share, sharing_legal_ground, sharing_reason)
    new_ground = sharing_legal_ground and (
        sharing_legal_ground != case.sharing_legal_ground or sharing_reason != case.sharing_reason
    )
    case.consent_to_share = consent_to_share
    case.consent_date = consent_date if consent_to_share != Consent.NOT_ASKED else None
    case.sharing_legal_ground = sharing_legal_ground
    case.sharing_reason = sharing_reason
    case.consent_recorded_by = actor
    _clean_save(case)
    # what the victim said is case content: the event says only that consent was recorded
    record(AuditAction.CONSENT_RECORDED, case, actor=actor)
    if new_ground and consent_to_share != Consent.YES:
        _ground_recorded(actor, case, sharing_legal_ground)
    return case


@transaction.atomic
def case_close(*, actor, case: Case) -> Case:
    _require(scoping.can_work_cases(actor) and actor.institution_id == case.institution_id)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case is already closed."))
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    _clean_save(case)
    record(AuditAction.CASE_CLOSED, case, actor=actor)
    return case


@transaction.atomic
def case_reopen(*, actor, case: Case) -> Case:
    _require(scoping.can_work_cases(actor) and actor.institution_id == case.institution_id)
    if case.is_anonymized:
        raise ValidationError(_("An anonymised case cannot be reopened; open a new case."))
    case.status = CaseStatus.OPEN
    case.closed_at = None
    _clean_save(case)
    record(AuditAction.CASE_REOPENED, case, actor=actor)
    return case


@transaction.atomic
def incident_add(*, actor, case: Case, **fields) -> Incident:
    _require(can_handle(actor, case))
    forms = list(dict.fromkeys(fields.pop("forms", []) or []))
    incident = Incident(case=case, recorded_by=actor, forms=forms, **fields)
    if not incident.gbvims_type:
        incident.gbvims_type = gbvims_type_for(forms)
    return _clean_save(incident)


CHILD_MODELS = {
    "order": ProtectionOrder,
    "court": CourtOutcome,
    "shelter": ShelterStay,
    "service": ServiceGiven,
}


@transaction.atomic
def child_add(*, actor, case: Case, record_type: str, **fields):
    """Add a protection order, court outcome, shelter stay or service to a case."""
    _require(can_handle(actor, case))
    model = CHILD_MODELS[record_type]
    if model in (ShelterStay, ServiceGiven) and not fields.get("institution"):
        fields["institution"] = actor.institution
    obj = model(case=case, recorded_by=actor, **fields)
    return _clean_save(obj)


@transaction.atomic
def child_update(*, actor, obj, version: str | None = None, **fields):
    """Change a protection order or shelter stay; ``version`` is its edit form's version (a
    save over someone else's newer save is refused, mkk.core.concurrency)."""
    _require(can_handle(actor, obj.case))
    with transaction.atomic():
        concurrency.check(obj, version)
        for name, value in fields.items():
            setattr(obj, name, value)
        return _clean_save(obj)
