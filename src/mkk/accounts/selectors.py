"""Reads of accounts: the users an administrator or a coordinator may manage."""

from __future__ import annotations

from django.db.models import QuerySet

from mkk.directory.models import Membership

from . import scoping
from .models import Role, User


def users_of(user, municipality) -> QuerySet[User]:
    """Accounts of ``municipality`` the user may list (404-safe: empty when out of scope)."""
    return (
        scoping.users_in_scope(user, User.objects.all())
        .filter(municipality=municipality)
        .select_related("institution")
        .order_by("-is_active", "role", "last_name", "first_name", "pk")
    )


def user_for(user, pk: int) -> User:
    """One account the user may manage-or-see; 404 when missing or out of scope."""
    from django.http import Http404

    try:
        return scoping.users_in_scope(user, User.objects.select_related("institution")).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def focal_candidates(user, membership) -> QuerySet[User]:
    return scoping.users_in_scope(user, User.objects.all()).filter(
        role=Role.FOCAL_POINT, institution_id=membership.institution_id, is_active=True
    )


def memberships_of_focal(account) -> QuerySet[Membership]:
    return Membership.objects.filter(focal_user=account).select_related("institution")


def totp_device(account: User):
    """The account's confirmed second-factor device, or None when it has none yet."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.devices_for_user(account, confirmed=True).first()


def active_users(**filters) -> QuerySet[User]:
    """Active accounts matching ``filters`` (e.g. ``role=Role.CASE_WORKER, institution_id=…``):
    the people a notification may go to."""
    return User.objects.filter(is_active=True, **filters)
