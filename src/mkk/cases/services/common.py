"""Who may act on a case, and the helpers every write of the case layer uses."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from mkk.accounts import scoping

from ..models import (
    Case,
    Referral,
    ReferralStatus,
)


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
