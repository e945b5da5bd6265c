"""Report charts that need a layout the shared helpers do not offer.

Built on ``mkk.core.charts`` (same Agg backend, fonts, palette and PNG output); the legend is
placed under the plot so that it never covers a bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mkk.core.charts import cached, draw_grouped, draw_stacked, finish, plt

from .document import Chart

DPI = 120


def comparison_bars(
    categories: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    title: str = "",
    width_in: float = 7.0,
) -> bytes:
    """Horizontal bars, one group per category; missing values draw no bar and read "–"."""
    height = max(2.2, 0.38 * len(categories) * max(len(series), 1) / 2 + 1.3)
    fig, ax = plt.subplots(figsize=(width_in, height))
    draw_grouped(ax, categories, series, horizontal=True)
    ax.margins(x=0.08)
    if title:
        ax.set_title(title)
    if len(series) > 1:
        fig.legend(frameon=False, loc="lower center", ncols=len(series))
    # Fixed margins instead of tight_layout: the labels' length is known, and the layout pass
    # is the slowest part of drawing.
    longest = max((len(c) for c in categories), default=10)
    bottom_in = 0.85 if len(series) > 1 else 0.45
    fig.subplots_adjust(
        left=min(0.6, (longest * 0.075 + 0.25) / width_in),
        right=0.95,
        top=1 - 0.45 / height,
        bottom=bottom_in / height,
    )
    return finish(fig, dpi=DPI, tight=False)


def stacked_status_bars(
    categories: Sequence[str], parts: dict[str, Sequence[float]], *, title: str = ""
) -> bytes:
    """One bar per category split into parts (actions by status), legend under the plot."""
    width_in, height = 6.5, 3.2
    fig, ax = plt.subplots(figsize=(width_in, height))
    draw_stacked(ax, categories, parts)
    ax.set_xticks(list(range(len(categories))), categories)
    if title:
        ax.set_title(title)
    fig.legend(frameon=False, loc="lower center", ncols=min(len(parts), 5))
    fig.subplots_adjust(left=0.08, right=0.97, top=1 - 0.45 / height, bottom=0.85 / height)
    return finish(fig, dpi=DPI, tight=False)


# --- The report's charts from the snapshot ---------------------------------------------------
# Each returns a ``document.Chart`` that draws when a renderer first needs the PNG; charts are
# deterministic, so each distinct one is drawn once and kept in the cache (the formats of one
# report, and later renderings, share it).

_BREAKDOWN = ("sex=female", "sex=male", "age=adult", "age=child")


def _label(ctx, fig, inst_limit: int, element_limit: int) -> str:
    from .document import cut_at_word

    inst = cut_at_word(ctx.short(fig.institution), inst_limit, "…")
    return f"{inst}: {cut_at_word(ctx.name(fig.element.name), element_limit, '…')}"


def statistics_chart(ctx, figures) -> Chart | None:
    """Bars of every institution's totals, this period against the year before."""
    figs = [f for f in figures if f.has_data()]
    if not figs:
        return None
    period = ctx.snap.period
    series = {
        period.label: [f.chart_value("", "current") for f in figs],
        period.previous_label: [f.chart_value("", "previous") for f in figs],
    }
    png = partial(
        cached,
        comparison_bars,
        [_label(ctx, f, 20, 28) for f in figs],
        series,
        title=pgettext("report", "Figures per institution"),
    )
    alt = _("Bar chart: figures per institution, %(period)s against %(previous)s") % {
        "period": period.label,
        "previous": period.previous_label,
    }
    return Chart(png, alt)


def breakdown_chart(ctx, figures) -> Chart | None:
    """Bars of the parts (women, men, adults, children) of each figure that has them."""
    names = [
        pgettext("report", "Women"),
        pgettext("report", "Men"),
        pgettext("report", "Adults"),
        pgettext("report", "Children"),
    ]
    cats, parts = [], {name: [] for name in names}
    for f in figures:
        values = [f.chart_value(k, "current") if k in f.values else None for k in _BREAKDOWN]
        if all(v is None for v in values):
            continue
        cats.append(_label(ctx, f, 20, 22))
        for name, value in zip(names, values, strict=True):
            parts[name].append(value)
    if not cats:
        return None
    series = {k: v for k, v in parts.items() if any(x is not None for x in v)}
    title = _("Breakdown by sex and age, %(period)s") % {"period": ctx.snap.period.label}
    png = partial(cached, comparison_bars, cats, series, title=title)
    return Chart(png, _("Bar chart: breakdown of the figures by sex and by adults and children"))


def plan_chart(plan) -> Chart | None:
    """One stacked bar per objective: its actions by status."""
    objs = plan.objectives
    if not objs:
        return None
    parts = {s.label: [o.counts.get(s.code, 0) for o in objs] for s in plan.statuses}
    parts = {k: v for k, v in parts.items() if any(v)}
    if not parts:
        return None
    png = partial(
        cached,
        stacked_status_bars,
        [o.code or o.title[:20] for o in objs],
        parts,
        title=_("Actions by status per objective"),
    )
    return Chart(png, _("Stacked bar chart: actions by status per strategic objective"))
