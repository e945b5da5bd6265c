"""Who is told what when something happens in another app (called from its services).

Each function is one line in the service that causes the event; the recipients, the link and
the context (references only, never a victim's identity) are decided here.
"""

from __future__ import annotations

from django.urls import reverse

from mkk.accounts.models import Role, User

from .services import notify


def _users(**filters):
    return User.objects.filter(is_active=True, **filters)


def _case_workers(institution_id: int):
    return _users(role=Role.CASE_WORKER, institution_id=institution_id)


def _focal_points(institution_id: int):
    return _users(role=Role.FOCAL_POINT, institution_id=institution_id)


def _referral_context(referral) -> dict:
    return {
        "reference": referral.case.reference,
        "from_institution": referral.from_institution,
        "to_institution": referral.to_institution,
        "deadline": referral.deadline_at,
    }


def referral_sent(referral) -> None:
    """The receiving institution's case workers: urgent referrals by e-mail at once."""
    from mkk.cases.models import Urgency

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


def progress_reviewed(update, *, approved: bool) -> None:
    """The person who reported, else the focal points of the action's lead institutions."""
    from mkk.plans.services import lead_institution_ids

    if update.submitted_by_id:
        recipients = [update.submitted_by]
    else:
        recipients = list(
            _users(role=Role.FOCAL_POINT, institution_id__in=lead_institution_ids(update.action))
        )
    notify(
        recipients=recipients,
        event="progress_approved" if approved else "progress_returned",
        url=reverse("plans:update", args=[update.pk]),
        context={
            "action": update.action.code,
            "period": f"{update.period_start:%m.%Y}–{update.period_end:%m.%Y}",
        },
    )


def _period(start, end):
    from mkk.core.periods import period_label

    return lambda lang: period_label(start, end, lang)


def statistics_returned(submission) -> None:
    recipients = [submission.submitted_by, *_focal_points(submission.institution_id)]
    notify(
        recipients=recipients,
        event="statistics_returned",
        url=reverse("statistics:submission", args=[submission.pk]),
        context={
            "institution": submission.institution,
            "data_set": submission.data_set,
            "period": _period(submission.period_start, submission.period_end),
        },
    )
