"""The cases app's notifications: events about sharing without consent (issue 12.2) and who
is told about referrals.

Texts name the case by its reference only; the free-text reason is never copied.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mkk.accounts.models import Role
from mkk.accounts.selectors import active_users
from mkk.notifications.events import register
from mkk.notifications.services import notify

register(
    "case_legal_ground",
    subject=_("Case %(reference)s: identity shared on a legal ground"),
    body=_(
        'Your institution recorded the legal ground "%(ground)s" for case %(reference)s: '
        "institutions that accept its referrals see the identity without the victim's consent."
    ),
)
register(
    "referral_ground_proposed",
    subject=_("Case %(reference)s: a legal ground waits for your decision"),
    body=_(
        "%(institution)s accepted the referral of case %(reference)s and recorded the legal "
        'ground "%(ground)s" to receive the identity without the victim\'s consent. The '
        "identity stays hidden until your institution confirms or refuses it."
    ),
)
register(
    "referral_ground_confirmed",
    subject=_("Case %(reference)s: legal ground confirmed"),
    body=_(
        'Your institution confirmed the legal ground "%(ground)s" of %(institution)s for '
        "case %(reference)s: %(institution)s now sees the identity."
    ),
)
register(
    "referral_ground_refused",
    subject=_("Case %(reference)s: legal ground refused"),
    body=_(
        'Your institution refused the legal ground "%(ground)s" of %(institution)s for '
        "case %(reference)s: the identity stays hidden from %(institution)s."
    ),
)


# --- Who is told what (one line in the service or job that causes it) -----------------------


def _case_workers(institution_id: int):
    return active_users(role=Role.CASE_WORKER, institution_id=institution_id)


def _referral_context(referral) -> dict:
    return {
        "reference": referral.case.reference,
        "from_institution": referral.from_institution,
        "to_institution": referral.to_institution,
        "deadline": referral.deadline_at,
    }


def referral_sent(referral) -> None:
    """The receiving institution's case workers: urgent referrals by e-mail at once."""
    from .models import Urgency

    notify(
        recipients=_case_workers(referral.to_institution_id),
        event="referral_urgent" if referral.urgency == Urgency.URGENT else "referral_received",
        url=reverse("cases:referral", args=[referral.pk]),
        context=_referral_context(referral),
    )


def referral_due_soon(referral) -> None:
    notify(
        recipients=_case_workers(referral.to_institution_id),
        event="referral_due_soon",
        url=reverse("cases:referral", args=[referral.pk]),
        context=_referral_context(referral),
    )


def referral_overdue(referral) -> None:
    """The receivers, and the person who sent it."""
    recipients = [*_case_workers(referral.to_institution_id), referral.sent_by]
    notify(
        recipients=recipients,
        event="referral_overdue",
        url=reverse("cases:referral", args=[referral.pk]),
        context=_referral_context(referral),
    )
