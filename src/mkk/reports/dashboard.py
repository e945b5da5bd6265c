"""Dashboard panel: the reports the plan asks for (every 6 months and every year)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mkk.accounts import scoping

from . import selectors


def panel(request) -> dict | None:
    user = request.user
    if not user.is_authenticated or user.municipality_id is None:
        return None
    municipality = user.municipality
    if scoping.can_see_report_drafts(user, municipality.pk):
        return {
            "title": _("Monitoring reports due"),
            "template": "reports/dashboard_panel.html",
            "municipality": municipality,
            "due": selectors.due_reports(municipality),
            "latest": selectors.reports_for(user, municipality).first(),
        }
    latest = selectors.reports_for(user, municipality).first()
    return {
        "title": _("Monitoring reports"),
        "template": "reports/dashboard_panel.html",
        "municipality": municipality,
        "due": [],
        "latest": latest,
    }
