"""Dashboard panels contributed by each app.

Each app's ``dashboard.panel(request)`` returns ``None`` or a dict
``{"title": ..., "template": ..., **context}`` rendered with ``{% include %}``; panels are
read-only summaries built from the app's selectors. web is the top floor, so it imports the
apps' dashboard modules plainly: a renamed or removed ``panel`` fails at import, never
silently drops a panel. A new panel is one more entry in ``PANELS`` (in the order shown).

The panels in ``CACHED`` read only their reader's municipality (and data shown everywhere:
the directory, the catalogue), so each is computed once per data version of that
municipality, per reader (the user's own entry: id, role, institution, language) and per
day (mkk.core.versions). The referrals panel is not: a referral comes from another
municipality's case, whose change renews that other municipality only.
"""

from __future__ import annotations

from django.utils import timezone

from mkk.cases import dashboard as cases_dashboard
from mkk.core import versions
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


CACHED = frozenset(
    {
        plans_dashboard.panel,
        statistics_dashboard.panel,
        meetings_dashboard.panel,
        reports_dashboard.panel,
    }
)


def _panel(provider, request) -> dict | None:
    user = request.user
    if provider not in CACHED or not user.is_authenticated or not user.municipality_id:
        return provider(request)
    return versions.cached(
        f"dashboard:{provider.__module__}",
        lambda: provider(request),
        municipality_id=user.municipality_id,
        user=user,
        parts=(timezone.localdate(),),
        share_across_users=False,
    )


def panels_for(request) -> list[dict]:
    return [panel for provider in PANELS if (panel := _panel(provider, request))]
