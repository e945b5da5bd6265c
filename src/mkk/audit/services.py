"""Writing the audit log. Every domain change passes through ``record``."""

from __future__ import annotations

from typing import Any

from django.db import models

from mkk.core.values import plain as _plain
from mkk.core.values import sensitive_fields

from .context import current
from .models import AuditAction, AuditEntry

SENSITIVE = "(changed)"


def municipality_of(obj: models.Model):
    """Follow the model's ``scope_municipality`` path to its municipality id."""
    path = getattr(type(obj), "scope_municipality", None)
    if path is None:
        return None
    if path == "":
        return obj.pk
    target: Any = obj
    parts = path.split("__")
    for i, part in enumerate(parts):
        if target is None:
            return None
        if i == len(parts) - 1:
            return getattr(target, f"{part}_id", None) or getattr(
                getattr(target, part, None), "pk", None
            )
        target = getattr(target, part, None)
    return None


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    actor=None,
    changes: dict | None = None,
    reason: str = "",
    municipality_id: int | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    ctx = current()
    user = actor if actor is not None else ctx.user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        if object_repr is None:
            public = getattr(obj, "audit_repr", None)
            object_repr = str(public() if callable(public) else obj)[:250]
        if municipality_id is None:
            municipality_id = municipality_of(obj)
    if municipality_id is None and user is not None:
        municipality_id = getattr(user, "municipality_id", None)
    return AuditEntry.objects.create(
        actor=user,
        actor_username=getattr(user, "username", "") if user else "",
        ip_address=ip_address or ctx.ip_address,
        action=action,
        object_type=object_type or "",
        object_id=object_id or "",
        object_repr=(object_repr or "")[:250],
        municipality_id=municipality_id,
        changes=_plain(changes or {}),
        reason=reason or ctx.reason,
    )


# --- Generic auditing of domain models ---------------------------------------------------


def audited_fields(obj: models.Model) -> list[models.Field]:
    return [f for f in obj._meta.concrete_fields if f.name not in {"id"}]


def snapshot(obj: models.Model) -> dict[str, Any]:
    ignore = set(getattr(type(obj), "audit_ignore_fields", ()))
    return {
        f.attname: _plain(getattr(obj, f.attname))
        for f in audited_fields(obj)
        if f.name not in ignore
    }


def diff(model: type[models.Model], before: dict | None, after: dict | None) -> dict[str, list]:
    before = before or {}
    after = after or {}
    secret = sensitive_fields(model)
    out: dict[str, list] = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        name = (
            key[:-3]
            if key.endswith("_id") and key[:-3] in {f.name for f in model._meta.fields}
            else key
        )
        out[name] = [SENSITIVE, SENSITIVE] if name in secret or key in secret else [old, new]
    return out


__all__ = ["AuditAction", "record", "snapshot", "diff", "SENSITIVE"]
