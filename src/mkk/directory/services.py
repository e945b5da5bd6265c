"""Writes to the registry. Every change is audited by mkk.audit's signals (who, when,
address, before and after), inside the same transaction."""

from __future__ import annotations

from django.db import models, transaction

from .models import Municipality


@transaction.atomic
def registry_save(*, actor, obj: models.Model, municipality: Municipality) -> models.Model:
    """Validate and save a registry object that belongs to ``municipality``.

    The caller has already checked that ``actor`` may manage that municipality's mechanism;
    the owning municipality is set here, never taken from the form.
    """
    if hasattr(obj, "municipality_id"):
        obj.municipality = municipality
    elif hasattr(obj, "mechanism_id") and not obj.mechanism_id:
        obj.mechanism = municipality.mechanism
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def registry_delete(*, actor, obj: models.Model) -> None:
    obj.delete()
