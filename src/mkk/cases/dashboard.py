"""Dashboard panel: overdue referrals for both sides, and incoming referrals waiting."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from mkk.accounts import scoping

from . import selectors
from .models import Referral, ReferralStatus


def panel(request) -> dict | None:
    user = request.user
    if scoping.can_work_cases(user):
        mine = selectors.referrals_for_worker(user).filter(
            Q(to_institution_id=user.institution_id) | Q(from_institution_id=user.institution_id)
        )
        waiting = mine.filter(to_institution_id=user.institution_id, status=ReferralStatus.SENT)
        return {
            "title": _("Referrals"),
            "template": "cases/_panel.html",
            "incoming": True,
            "incoming_count": waiting.count(),
            "overdue": list(
                selectors.overdue(mine).select_related("from_institution", "to_institution")[:20]
            ),
            "links": True,
            "code": user.institution.municipality.code,
        }
    if scoping.can_read_case_references(user) and user.municipality_id:
        qs = scoping.scope(
            user, Referral.objects.filter(case__institution__municipality_id=user.municipality_id)
        )
        return {
            "title": _("Overdue referrals"),
            "template": "cases/_panel.html",
            "incoming": None,
            "overdue": list(
                selectors.overdue(qs).select_related("case", "from_institution", "to_institution")[
                    :20
                ]
            ),
            "links": False,
            "code": user.municipality.code,
        }
    if scoping.reports_for_own_institution(user) and selectors.statistics_institutions(
        user, user.municipality
    ):
        return {
            "title": _("Statistics from case records"),
            "template": "cases/_panel_focal.html",
            "code": user.municipality.code,
        }
    return None
