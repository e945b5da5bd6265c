"""The victim's identity: written by ``case_create``/``identity_update``, read only through
``identity_reveal`` (audited with the user's reason); no other function returns it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mkk.accounts import scoping
from mkk.audit.models import AuditAction
from mkk.audit.services import record
from mkk.core import concurrency

from .. import crypto
from ..models import (
    Case,
    VictimIdentity,
)
from .common import _require, can_see_identity


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
