"""Audit privacy by field class.

A model names the fields whose *values* are private in ``audit_private_fields``: the audit log
keeps that they changed (who, when, which field) and their values, but shows the values only
to a reader for whom ``Model.audit_may_read_values(user, object_id)`` holds — for case records,
the case workers who may open that case through the case pages. Everyone else (coordinators,
administrators, national) sees the field names with "(not shown)", the object as its
pseudonymous reference (``audit_public_repr``) and no free-text reason.

``audit_sensitive_fields`` (identity data) are never stored at all (services.diff).
"""

from __future__ import annotations

import re

from django.apps import apps
from django.utils.translation import gettext_lazy as _

HIDDEN = _("(not shown)")
REASON_HIDDEN = _("(a reason is recorded; shown to the case's institution only)")

#: A case reference, "DR-2025-000123": the only part of a case record's name shown.
_REFERENCE = re.compile(r"^[A-Z]{2}-\d{4}-\d{6}")


def model_of(object_type: str):
    try:
        return apps.get_model(object_type) if "." in (object_type or "") else None
    except (LookupError, ValueError):
        return None


def private_fields(model) -> set[str]:
    return set(getattr(model, "audit_private_fields", ()) or ())


def may_read_values(user, model, object_id: str) -> bool:
    check = getattr(model, "audit_may_read_values", None)
    if check is None:
        return False
    try:
        return bool(check(user, object_id))
    except (ValueError, TypeError):
        return False


def public_repr(object_repr: str) -> str:
    match = _REFERENCE.match(object_repr or "")
    return match.group(0) if match else ""


def redact(user, entries) -> list:
    """The entries as ``user`` may see them (in memory only; the log is never changed)."""
    out = []
    cache: dict[tuple[str, str], bool] = {}
    for entry in entries:
        model = model_of(entry.object_type)
        secret = private_fields(model) if model is not None else set()
        if secret:
            key = (entry.object_type, entry.object_id)
            if key not in cache:
                cache[key] = may_read_values(user, model, entry.object_id)
            if not cache[key]:
                entry.changes = {
                    name: ([HIDDEN, HIDDEN] if name in secret else pair)
                    for name, pair in (entry.changes or {}).items()
                }
                entry.object_repr = public_repr(entry.object_repr)
                if entry.reason:
                    entry.reason = str(REASON_HIDDEN)
        out.append(entry)
    return out
