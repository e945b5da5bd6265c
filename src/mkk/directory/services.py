"""Writes to the registry. Every change is audited by mkk.audit's signals (who, when,
address, before and after), inside the same transaction."""

from __future__ import annotations

from django.db import models, transaction

from mkk.core import concurrency

from .models import Municipality


@transaction.atomic
def registry_save(
    *, actor, obj: models.Model, municipality: Municipality, version: str | None = None
) -> models.Model:
    """Validate and save a registry object that belongs to ``municipality``.

    The caller has already checked that ``actor`` may manage that municipality's mechanism;
    the owning municipality is set here, never taken from the form. ``version``: the edit
    form's version; a save over someone else's newer save is refused (mkk.core.concurrency).
    """
    concurrency.check(obj, version)
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


@transaction.atomic
def membership_focal_link(*, actor, membership, user, version: str | None = None) -> models.Model:
    """Name ``user`` (a focal point of the member institution) the membership's focal person:
    the registry and the report show their name and e-mail. ``None`` unlinks. ``version``: the
    focal person form's version of the membership; when someone else linked another person (or
    edited the membership) after the page was drawn, the save is refused with what they
    changed (mkk.core.concurrency)."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils.translation import gettext as _

    from mkk.accounts import scoping

    if not scoping.can_manage_mechanism(actor, membership.mechanism.municipality_id):
        raise PermissionDenied
    concurrency.check(membership, version)
    if user is not None:
        if not scoping.is_focal_point_of(user, membership.institution_id):
            raise ValidationError({"user": _("Choose a focal point of this institution.")})
        if not user.is_active:
            raise ValidationError({"user": _("This account is deactivated.")})
        membership.focal_person = user.get_full_name() or user.username
        membership.focal_person_email = user.email
    membership.focal_user = user
    membership.full_clean()
    membership.save()
    return membership
