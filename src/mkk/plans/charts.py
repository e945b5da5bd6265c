"""The dashboard's charts: PNG data URIs drawn by mkk.core.charts; each page also shows the
same figures as a table (the text alternative)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mkk.core import charts

from .selectors import STATUS_ORDER, PlanImplementation


def status_chart(impl: PlanImplementation) -> str | None:
    """Actions by status, one bar per strategic objective."""
    if not impl.objectives or not impl.overall or not impl.overall.total:
        return None
    labels = {s: str(label) for s, label, _n in impl.overall.count_list}
    parts = {labels[s]: [row.counts.get(s, 0) for row in impl.objectives] for s in STATUS_ORDER}
    png = charts.cached(  # drawn once per distinct figures and language
        charts.stacked_bars,
        [row.code for row in impl.objectives],
        parts,
        title=str(_("Actions by status")),
        ylabel=str(_("Actions")),
    )
    return charts.data_uri(png)


def budget_chart(impl: PlanImplementation) -> str | None:
    rows = impl.budget_by_year()
    if not rows:
        return None
    png = charts.cached(  # drawn once per distinct figures and language
        charts.grouped_bars,
        [str(year) for year, _p, _s in rows],
        {
            str(_("Planned")): [float(p) for _y, p, _s in rows],
            str(_("Spent")): [float(s) for _y, _p, s in rows],
        },
        title=str(_("Planned and spent per year (EUR)")),
        ylabel="EUR",
    )
    return charts.data_uri(png)
