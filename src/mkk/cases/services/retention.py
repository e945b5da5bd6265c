"""Retention and keys: anonymising closed cases after the retention period, re-encrypting
every identity value with the newest key.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mkk.audit.models import AuditAction
from mkk.audit.services import record

from .. import crypto
from ..models import (
    Case,
    CaseStatus,
    VictimIdentity,
)


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
