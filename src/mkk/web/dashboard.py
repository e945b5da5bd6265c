"""Dashboard panels contributed by each app.

Each app's ``dashboard.panel(request)`` returns ``None`` or a dict
``{"title": ..., "template": ..., **context}`` rendered with ``{% include %}``; panels are
read-only summaries built from the app's selectors. web is the top floor, so it imports the
apps' dashboard modules plainly: a renamed or removed ``panel`` fails at import, never
silently drops a panel. A new panel is one more entry in ``PANELS`` (in the order shown).
"""

from __future__ import annotations

from mkk.cases import dashboard as cases_dashboard
from mkk.meetings import dashboard as meetings_dashboard
from mkk.plans import dashboard as plans_dashboard
from mkk.reports import dashboard as reports_dashboard
from mkk.statistics import dashboard as statistics_dashboard

PANELS = (
    plans_dashboard.panel,
    statistics_dashboard.panel,
    meetings_dashboard.panel,
    cases_dashboard.panel,
    reports_dashboard.panel,
)


def panels_for(request) -> list[dict]:
    return [panel for provider in PANELS if (panel := provider(request))]
