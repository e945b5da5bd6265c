"""Charts drawn on the server with matplotlib (Agg), for pages, PDF and DOCX alike.

One function per chart shape; each returns PNG bytes (or an SVG string) and closes its
figure. Fonts: DejaVu Sans, which has ë and ç. Output is deterministic (no timestamps).
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "svg.hashsalt": "mkk",
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)

#: Colour-blind-safe palette (Okabe–Ito), dark enough on white for text labels.
PALETTE = ["#0b4f8a", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"]


def finish(fig, fmt: str = "png", *, dpi: int = 150, tight: bool = True, **savefig) -> bytes:
    """The figure's bytes (no timestamps, no software name: the same chart, the same bytes);
    the figure is closed. ``tight=False`` keeps a layout the caller set by hand."""
    buf = io.BytesIO()
    if tight:
        fig.tight_layout()
    metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
    fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata, **savefig)
    plt.close(fig)
    return buf.getvalue()


def draw_grouped(ax, categories: Sequence[str], series, *, horizontal: bool = False) -> None:
    """On ``ax``: bars for each category, one bar per series, each bar labelled with its
    value. ``None`` (missing data) draws no bar and is labelled "–", never as zero."""
    width = 0.8 / max(len(series), 1)
    positions = range(len(categories))
    bar = ax.barh if horizontal else ax.bar
    for i, (label, values) in enumerate(series.items()):
        offs = [p - 0.4 + width * (i + 0.5) for p in positions]
        heights = [v if v is not None else 0 for v in values]
        bars = bar(offs, heights, width, label=label, color=PALETTE[i % len(PALETTE)])
        ax.bar_label(
            bars, labels=["–" if v is None else f"{v:g}" for v in values], padding=2, fontsize=8
        )
    if horizontal:
        ax.set_yticks(list(positions), categories)
        ax.invert_yaxis()


def draw_stacked(ax, categories: Sequence[str], parts) -> None:
    """On ``ax``: one bar per category split into ``parts`` (label → values), stacked."""
    bottoms = [0.0] * len(categories)
    for i, (label, values) in enumerate(parts.items()):
        ax.bar(
            list(range(len(categories))),
            values,
            0.6,
            bottom=bottoms,
            label=label,
            color=PALETTE[i % len(PALETTE)],
        )
        bottoms = [b + (v or 0) for b, v in zip(bottoms, values, strict=True)]


def _category_ticks(ax, categories: Sequence[str]) -> None:
    """Category names under the bars, slanted when there are more than four."""
    ax.set_xticks(
        list(range(len(categories))),
        categories,
        rotation=20 if len(categories) > 4 else 0,
        ha="right" if len(categories) > 4 else "center",
    )


def grouped_bars(
    categories: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    title: str = "",
    ylabel: str = "",
    fmt: str = "png",
    width_in: float = 6.5,
    height_in: float = 3.2,
    horizontal: bool = False,
) -> bytes:
    """Bars for each category, one bar per series (e.g. {'2019': [...], '2018': [...]}).

    ``None`` values (missing data) draw no bar and are labelled "–", never as zero.
    """
    fig, ax = plt.subplots(figsize=(width_in, height_in))
    draw_grouped(ax, categories, series, horizontal=horizontal)
    if horizontal:
        ax.set_xlabel(ylabel)
    else:
        _category_ticks(ax, categories)
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if len(series) > 1:
        ax.legend(frameon=False)
    return finish(fig, fmt)


def stacked_bars(
    categories: Sequence[str],
    parts: dict[str, Sequence[float]],
    *,
    title: str = "",
    ylabel: str = "",
    fmt: str = "png",
    width_in: float = 6.5,
    height_in: float = 3.2,
) -> bytes:
    """One bar per category split into parts (e.g. women/men, adults/children, by status)."""
    fig, ax = plt.subplots(figsize=(width_in, height_in))
    draw_stacked(ax, categories, parts)
    _category_ticks(ax, categories)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend(frameon=False)
    return finish(fig, fmt)


def data_uri(png: bytes) -> str:
    """A PNG as a data: URI for <img src> (allowed by the CSP's img-src)."""
    return "data:image/png;base64," + base64.b64encode(png).decode()


#: Seconds a drawn chart stays in the cache. Its key is a hash of everything it is drawn
#: from, so new figures get a new key: no chart is ever stale.
CHART_TIMEOUT = 7 * 24 * 3600


def cached(draw, *args, **kwargs) -> bytes:
    """``draw(*args, **kwargs)`` drawn once per distinct input and kept in Django's cache
    (local memory by default, Redis when MKK_CACHE_URL is set), shared by every page and
    report format that shows the same chart."""
    from django.core.cache import cache

    name = f"{draw.__module__}.{draw.__qualname__}"
    digest = hashlib.sha256(repr((name, args, sorted(kwargs.items()))).encode()).hexdigest()
    key = f"mkk:chart:{digest}"
    png = cache.get(key)
    if png is None:
        png = draw(*args, **kwargs)
        cache.set(key, png, CHART_TIMEOUT)
    return png
