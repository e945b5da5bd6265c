"""A model field's value as plain JSON data, and which fields are identity data: one rule for
the audit log (what a change looked like) and the edit-form version (what the form showed)."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models


def plain(value: Any) -> Any:
    """``value`` as JSON data: dates as ISO text, decimals and UUIDs as text, a model as its
    pk, a file as its name; lists and dicts element by element."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return value.name or None
    return str(value)


def sensitive_fields(model: type[models.Model]) -> set[str]:
    """The fields a model names in ``audit_sensitive_fields`` (identity data): logged and
    versioned as changed, never with their value."""
    return set(getattr(model, "audit_sensitive_fields", ()))
