"""Report charts that need a layout the shared helpers do not offer.

Built on ``mkk.core.charts`` (same Agg backend, fonts, palette and PNG output); the legend is
placed under the plot so that it never covers a bar.
"""

from __future__ import annotations

from collections.abc import Sequence

from mkk.core.charts import draw_grouped, draw_stacked, finish, plt

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
