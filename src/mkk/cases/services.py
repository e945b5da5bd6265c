"""Writes of the case layer. Every function checks who acts, validates, and is atomic.

Identity data is read only through ``identity_reveal`` (audited with the user's reason) and
written only through ``case_create``/``identity_update``; no function returns it otherwise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mkk.accounts import scoping
from mkk.audit.models import AuditAction
from mkk.audit.services import record
from mkk.core import concurrency

from . import crypto, selectors
from . import notifications as case_notifications
from .concurrency import deadline_table
from .models import (
    Case,
    CaseSequence,
    CaseStatus,
    Consent,
    CourtOutcome,
    GroundStatus,
    Incident,
    LegalGround,
    ProtectionOrder,
    Referral,
    ReferralDeadline,
    ReferralStatus,
    ServiceGiven,
    ShelterStay,
    Urgency,
    VictimIdentity,
    gbvims_type_for,
    referral_kind_for,
)

#: Hours when no deadline row matches (documented default; the table normally has one).
FALLBACK_DEADLINE_HOURS = 72


# --- Who may act on a case ---------------------------------------------------------------------


def shared_institution_ids(case: Case) -> set[int]:
    """Institutions that accepted a referral of ``case`` and may see its identity."""
    ids = set()
    for referral in case.referrals.filter(
        status__in=[ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED]
    ):
        referral.case = case
        if referral.shares_identity:
            ids.add(referral.to_institution_id)
    return ids


def handling_institution_ids(case: Case) -> set[int]:
    """The owner and every institution that accepted a referral of the case."""
    accepted = case.referrals.filter(
        status__in=[ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED]
    ).values_list("to_institution_id", flat=True)
    return {case.institution_id, *accepted}


# The rules are scoping's; these gather the case's facts for them.
def can_handle(user, case: Case) -> bool:
    return scoping.can_handle_case(user, lambda: handling_institution_ids(case))


def can_see_identity(user, case: Case) -> bool:
    return scoping.can_see_case_identity(user, case, lambda: shared_institution_ids(case))


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def _clean_save(obj, *, exclude=None):
    obj.full_clean(exclude=exclude)
    obj.save()
    return obj


# --- References and identity -------------------------------------------------------------------


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


@dataclass(frozen=True)
class Identity:
    full_name: str = ""
    personal_number: str = ""
    date_of_birth: dt.date | None = None
    phone: str = ""
    address: str = ""

    @property
    def victim_key(self) -> str:
        return crypto.victim_key(
            personal_number=self.personal_number,
            name=self.full_name,
            date_of_birth=self.date_of_birth,
        )


def _check_identity(identity: Identity) -> str:
    key = identity.victim_key
    if not key:
        raise ValidationError(
            _(
                "Give the personal number, or the full name and the date of birth, "
                "so that the person can be recognised."
            )
        )
    number = crypto.normalize_personal_number(identity.personal_number)
    if identity.personal_number and len(number) != 10:
        raise ValidationError({"personal_number": _("A personal number has 10 digits.")})
    if identity.date_of_birth and identity.date_of_birth > timezone.localdate():
        raise ValidationError({"date_of_birth": _("The date of birth is in the future.")})
    return key


def _identity_row(case: Case, identity: Identity) -> VictimIdentity:
    return VictimIdentity(
        case=case,
        full_name=identity.full_name.strip(),
        personal_number=crypto.normalize_personal_number(identity.personal_number),
        date_of_birth=identity.date_of_birth.isoformat() if identity.date_of_birth else "",
        phone=identity.phone.strip(),
        address=identity.address.strip(),
    )


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


# --- Consent is the owner's --------------------------------------------------------------------


def _check_ground(consent: str, ground: str, reason: str) -> str:
    """A legal ground for sharing without consent needs a reason."""
    reason = (reason or "").strip()
    if ground and consent != Consent.YES and not reason:
        raise ValidationError(
            {"sharing_reason": _("Say why the identity is shared without the victim's consent.")}
        )
    return reason if ground else ""


def owner_workers(case: Case):
    """The case workers of the owning institution (who are told about sharing decisions)."""
    from mkk.accounts.models import Role, User

    return User.objects.filter(
        role=Role.CASE_WORKER, institution_id=case.institution_id, is_active=True
    )


def _tell_owner(case: Case, event: str, *, referral: Referral | None = None, **context) -> None:
    from django.urls import reverse

    from mkk.notifications.services import notify

    url = (
        reverse("cases:referral", kwargs={"pk": referral.pk})
        if referral is not None
        else reverse("cases:detail", kwargs={"pk": case.pk})
    )
    notify(
        recipients=list(owner_workers(case)),
        event=event,
        obj=referral or case,
        url=url,
        context={"reference": case.reference, **context},
    )


def _ground_recorded(actor, case: Case, ground: str) -> None:
    """The owner chose a legal ground: audited (the ground, not the free-text reason, which
    is case content) and told to the owning institution's case workers."""
    label = dict(LegalGround.choices).get(ground, ground)
    record(AuditAction.OTHER, case, actor=actor, reason=f"legal ground for sharing: {ground}")
    _tell_owner(case, "case_legal_ground", ground=label)


@transaction.atomic
def identity_update(
    *, actor, case: Case, identity: Identity, reason: str, version: str | None = None
) -> Case:
    """Correct the identity (owner only); the victim key follows. ``version`` is the form's
    version of the identity row (a save over someone else's newer correction is refused,
    mkk.web.concurrency; the version holds the encrypted fields only as a keyed hash)."""
    _require(scoping.can_work_cases(actor) and actor.institution_id == case.institution_id)
    if case.is_anonymized:
        raise ValidationError(
            _("This case has been anonymised; its identity can no longer be changed.")
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the identity is changed.")})
    key = _check_identity(identity)
    row = VictimIdentity.objects.get(case=case)
    concurrency.check(row, version)
    new = _identity_row(case, identity)
    for field in VictimIdentity.IDENTITY_FIELDS:
        setattr(row, field, getattr(new, field))
    row.save()
    if key != case.victim_key:
        case.victim_key = key
        case.save(update_fields=["victim_key"])
    return case


def identity_version(case: Case) -> str:
    """The version token of the case's identity for the correction form: a signed snapshot in
    which every identity field is a keyed hash (no plaintext leaves the server)."""
    return concurrency.stamp(VictimIdentity.objects.get(case=case))


def identity_reveal(*, actor, case: Case, reason: str) -> dict[str, str]:
    """The decrypted identity, for one response only; the read is audited with the reason."""
    _require(can_see_identity(actor, case))
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError(
            {"reason": _("Say why you need to see the identity (at least a few words).")}
        )
    row = VictimIdentity.objects.get(case=case)
    record(AuditAction.VIEW_IDENTITY, case, actor=actor, reason=reason[:1000])
    birth = row.birth_date
    return {
        "full_name": row.full_name,
        "personal_number": row.personal_number,
        "date_of_birth": birth.strftime("%d.%m.%Y") if birth else "",
        "phone": row.phone,
        "address": row.address,
    }


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
    return _clean_save(case)


@transaction.atomic
def case_reopen(*, actor, case: Case) -> Case:
    _require(scoping.can_work_cases(actor) and actor.institution_id == case.institution_id)
    if case.is_anonymized:
        raise ValidationError(_("An anonymised case cannot be reopened; open a new case."))
    case.status = CaseStatus.OPEN
    case.closed_at = None
    return _clean_save(case)


# --- Records that follow -----------------------------------------------------------------------


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


# --- Referrals ---------------------------------------------------------------------------------


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
    return _clean_save(referral)


@transaction.atomic
def referral_withdraw(*, actor, referral: Referral) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require(scoping.can_work_cases(actor) and actor.institution_id == referral.from_institution_id)
    if referral.status != ReferralStatus.SENT:
        raise ValidationError(_("Only a referral waiting for an answer can be withdrawn."))
    referral.status = ReferralStatus.WITHDRAWN
    return _clean_save(referral)


@transaction.atomic
def referral_complete(*, actor, referral: Referral) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require(scoping.can_work_cases(actor) and actor.institution_id == referral.to_institution_id)
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted referral can be completed."))
    referral.status = ReferralStatus.COMPLETED
    referral.completed_at = timezone.now()
    return _clean_save(referral)


# --- Retention and keys ------------------------------------------------------------------------


def retention_days() -> int:
    return int(getattr(settings, "MKK_CASE_RETENTION_DAYS", 5 * 365))


def cases_due_for_anonymization(now=None):
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=retention_days())
    return Case.objects.filter(
        status=CaseStatus.CLOSED, closed_at__lt=cutoff, anonymized_at__isnull=True
    )


@transaction.atomic
def cases_anonymize(*, now=None, dry_run: bool = False) -> list[str]:
    """Empty the identity of closed cases older than the retention period; keep the victim key.

    Returns the references handled. Each change is in the audit log (identity fields as
    "(changed)"), plus one entry per case saying why.
    """
    now = now or timezone.now()
    due = list(cases_due_for_anonymization(now).select_for_update())
    refs = [c.reference for c in due]
    if dry_run:
        return refs
    for case in due:
        row = VictimIdentity.objects.filter(case=case).first()
        if row is not None:
            for field in VictimIdentity.IDENTITY_FIELDS:
                setattr(row, field, "")
            row.save()
        case.anonymized_at = now
        case.save(update_fields=["anonymized_at"])
        record(
            AuditAction.OTHER,
            case,
            reason=f"anonymised after the retention period ({retention_days()} days)",
        )
    return refs


@transaction.atomic
def rotate_keys() -> dict[str, int]:
    """Re-encrypt every identity value with the first key of MKK_FIELD_KEYS.

    Works on the raw tokens (MultiFernet.rotate), so no plain value is held longer than the
    library needs. Through the ORM: the columns are read as plain text (``Cast`` to a text
    field skips the decrypting field) and written back as ``Value``s of a text field (which
    skips encrypting them again). All or nothing; the rows are locked while they turn.
    """
    from django.db.models import F, TextField, Value
    from django.db.models.functions import Cast

    fields = list(VictimIdentity.IDENTITY_FIELDS)
    raw = {f"raw_{f}": Cast(F(f), output_field=TextField()) for f in fields}
    rows = values = 0
    for item in (
        VictimIdentity.objects.select_for_update().annotate(**raw).values("pk", *raw).iterator()
    ):
        tokens = {f: item[f"raw_{f}"] for f in fields}
        rotated = {
            f: Value(crypto.rotate_token(t) if t else t, output_field=TextField())
            for f, t in tokens.items()
        }
        VictimIdentity.objects.filter(pk=item["pk"]).update(**rotated)
        values += sum(1 for t in tokens.values() if t)
        rows += 1
    record(
        AuditAction.OTHER,
        object_type="cases.victimidentity",
        reason=f"rotate_keys: {rows} identities, {values} values re-encrypted",
    )
    return {"identities": rows, "values": values}


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


# --- Statistics from case records --------------------------------------------------------------


def _split_values(
    code: str, people: dict[str, Case], *, with_age: bool, extra_children: int = 0
) -> dict:
    """Total and the sex/age options of ``people`` (victim key → their latest case).

    An option category is given only when its options add up to the total (the statistics'
    rule): with a victim of unknown sex, or accompanying children of unknown sex, the sex split
    is left out rather than guessed.
    """
    total = len(people) + extra_children
    values = {(code, ""): total}
    sexes = [c.sex for c in people.values()]
    if extra_children == 0 and all(s in ("female", "male") for s in sexes):
        values[(code, "sex=female")] = sexes.count("female")
        values[(code, "sex=male")] = sexes.count("male")
    if with_age:
        ages = [c.age_group for c in people.values()]
        values[(code, "age=adult")] = ages.count("adult")
        values[(code, "age=child")] = ages.count("child") + extra_children
    return values


def _people(cases) -> dict[str, Case]:
    """Distinct victims (by victim key; a case without one counts alone), latest case wins."""
    out: dict[str, Case] = {}
    for case in sorted(cases, key=lambda c: (c.opened_on, c.pk)):
        out[case.victim_key or f"case:{case.pk}"] = case
    return out


def statistics_values(
    *, institution, period_start: dt.date, period_end: dt.date
) -> dict[tuple[str, str], int]:
    """The statistics data elements an institution's case records give for a period.

    Definitions (the same as the statistics catalogue's):

    * police — POL_CASES: cases the police station opened in the period; POL_VICTIMS: distinct
      victims of those cases, by sex and age group;
    * centre for social work — QPS_VICTIMS: distinct victims of cases it opened in the period
      or whose referral to it it accepted in the period, by sex and age group;
    * victim advocate — MV_CASES: cases it opened or accepted in the period, by sex;
    * shelter — STR_PERSONS: distinct victims admitted in the period plus the children who
      came with them, by age group (and by sex when every person's sex is known);
    * free legal aid — NJF_PERSONS: distinct victims it opened or accepted in the period, by sex.
    """
    from mkk.directory.models import InstitutionKind as K

    start_dt = timezone.make_aware(dt.datetime.combine(period_start, dt.time.min))
    end_dt = timezone.make_aware(
        dt.datetime.combine(period_end + dt.timedelta(days=1), dt.time.min)
    )
    opened = Case.objects.filter(
        institution=institution, opened_on__gte=period_start, opened_on__lte=period_end
    )
    accepted = Case.objects.filter(
        referrals__to_institution=institution,
        referrals__status__in=[ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED],
        referrals__responded_at__gte=start_dt,
        referrals__responded_at__lt=end_dt,
    )
    handled = {c.pk: c for c in [*opened, *accepted]}.values()
    kind = institution.kind
    if kind == K.POLICE:
        cases = list(opened)
        return {
            ("POL_CASES", ""): len(cases),
            **_split_values("POL_VICTIMS", _people(cases), with_age=True),
        }
    if kind == K.SOCIAL_WORK:
        return _split_values("QPS_VICTIMS", _people(handled), with_age=True)
    if kind == K.VICTIM_ADVOCATE:
        cases = list(handled)
        values = {("MV_CASES", ""): len(cases)}
        sexes = [c.sex for c in cases]
        if all(s in ("female", "male") for s in sexes):
            values[("MV_CASES", "sex=female")] = sexes.count("female")
            values[("MV_CASES", "sex=male")] = sexes.count("male")
        return values
    if kind == K.SHELTER:
        stays = ShelterStay.objects.filter(
            institution=institution, admitted_on__gte=period_start, admitted_on__lte=period_end
        ).select_related("case")
        people: dict[str, Case] = {}
        children = 0
        for stay in stays.order_by("admitted_on", "pk"):
            key = stay.case.victim_key or f"case:{stay.case_id}"
            if key not in people:
                children += stay.accompanying_children
            people[key] = stay.case
        return _split_values("STR_PERSONS", people, with_age=True, extra_children=children)
    if kind == K.LEGAL_AID:
        values = _split_values("NJF_PERSONS", _people(handled), with_age=False)
        return values
    raise ValidationError(
        _("Case records give no statistics for this type of institution (%(kind)s).")
        % {"kind": institution.get_kind_display()}
    )


def statistics_from_cases(
    *, actor, institution, period_start: dt.date, period_end: dt.date, submit: bool = False
):
    """Save the figures of ``statistics_values`` as the institution's statistics submission
    (source "cases"), through the statistics app's own service and its rules. The actor must be
    allowed to submit for the institution (its focal point, the coordinator or an administrator).
    """
    from mkk.statistics import services as stat_services
    from mkk.statistics.models import DataSet

    values = statistics_values(
        institution=institution, period_start=period_start, period_end=period_end
    )
    codes = {code for code, _key in values}
    data_set = next(
        (
            ds
            for ds in DataSet.objects.filter(
                institution_kind=institution.kind, is_active=True
            ).prefetch_related("elements")
            if codes <= {e.code for e in ds.elements.all()}
        ),
        None,
    )
    if data_set is None:
        raise ValidationError(_("No statistics data set takes these figures for this institution."))
    return stat_services.submission_save(
        actor=actor,
        institution=institution,
        data_set=data_set,
        period_start=period_start,
        period_end=period_end,
        values=values,
        source="cases",
        submit=submit,
    )
