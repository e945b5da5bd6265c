"""The scheduled jobs' work (started by the tasks in tasks.py; each is idempotent)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .services import notify, once

logger = logging.getLogger(__name__)

#: Overdue referrals older than this are not announced again by the first run of the job.
OVERDUE_LOOKBACK = dt.timedelta(days=7)


def referral_deadlines(now=None) -> dict[str, int]:
    """Warn once when a referral's time to answer is mostly used up, and once when it passed."""
    from mkk.cases import notifications as case_notifications
    from mkk.cases.models import Referral, ReferralStatus

    now = now or timezone.now()
    share = max(1, min(99, settings.MKK_REFERRAL_WARN_PERCENT)) / 100
    waiting = Referral.objects.filter(
        status=ReferralStatus.SENT, deadline_at__gt=now - OVERDUE_LOOKBACK
    ).select_related("case", "from_institution", "to_institution", "sent_by")
    counts = {"due_soon": 0, "overdue": 0}
    for referral in waiting:
        if referral.deadline_at <= now:
            if once(f"referral-overdue:{referral.pk}:{referral.deadline_at:%Y%m%d%H%M}"):
                case_notifications.referral_overdue(referral)
                counts["overdue"] += 1
            continue
        warn_at = referral.sent_at + (referral.deadline_at - referral.sent_at) * share
        if now >= warn_at and once(
            f"referral-due-soon:{referral.pk}:{referral.deadline_at:%Y%m%d%H%M}"
        ):
            case_notifications.referral_due_soon(referral)
            counts["due_soon"] += 1
    return counts


def statistics_reminders(today=None) -> int:
    """Before each deadline (``MKK_REMINDER_DAYS_BEFORE`` days): one reminder per institution,
    data set, period and deadline whose figures are not yet (fully) submitted."""
    from mkk.accounts.models import Role, User
    from mkk.core import periods
    from mkk.directory.models import Municipality
    from mkk.statistics import selectors
    from mkk.statistics.services import focal_emails, reminder_send

    today = today or timezone.localdate()
    before = dt.timedelta(days=settings.MKK_REMINDER_DAYS_BEFORE)
    by_kind = selectors.data_sets_by_kind()
    sent = 0
    for municipality in Municipality.objects.filter(mechanism__isnull=False):
        for inst in selectors.reporting_institutions(municipality):
            for ds in by_kind.get(inst.kind, []):
                ptype = ds.period_type if ds.period_type != "range" else "month"
                p = periods.last_complete(ptype, today)
                row = selectors.completeness_row(inst, ds, p.start, p.end, today=today)
                if not row.needs_reminder or not (today <= row.due <= today + before):
                    continue
                if not once(f"statistics-due:{inst.pk}:{ds.pk}:{p.start}:{p.end}:{row.due}"):
                    continue
                users = list(
                    User.objects.filter(is_active=True, role=Role.FOCAL_POINT, institution=inst)
                )
                notify(
                    recipients=users,
                    event="statistics_due",
                    url=reverse("statistics:entry", kwargs={"code": municipality.code}),
                    context={
                        "institution": inst,
                        "data_set": ds,
                        "period": periods.lazy_label(p.start, p.end),
                        "due": row.due,
                    },
                )
                known = {u.email.lower() for u in users if u.email}
                others = [e for e in focal_emails(inst) if e.lower() not in known]
                if others:
                    reminder_send(row, others, late=False)
                sent += 1
    return sent


def anonymize_cases() -> int:
    from mkk.audit.context import acting
    from mkk.cases import services

    with acting(reason="anonymize_cases (scheduled)"):
        refs = services.cases_anonymize()
    logger.info("anonymised %d cases", len(refs))
    return len(refs)
