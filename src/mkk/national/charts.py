"""A grouped bar chart as plain SVG (no matplotlib): a few microseconds per request.

The SVG is embedded as a ``data:`` image (CSP allows ``img-src data:``), with the figures
also in a table next to it, so the chart is never the only way to read them.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from xml.sax.saxutils import escape

COLOURS = ["#0b4f8a", "#d55e00"]  # Okabe–Ito blue and vermilion: colour-blind safe


def grouped_bars(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | None]]],
    *,
    title: str,
    missing_label: str = "–",
) -> str:
    """SVG text: one group of bars per category, one bar per series; ``None`` is drawn as a
    dash (missing), never as a zero-height bar."""
    width, left, right, top, bottom = 720, 130, 20, 40, 30
    row_h = 34
    height = top + bottom + row_h * max(len(categories), 1)
    values = [v for _name, vals in series for v in vals if v is not None]
    peak = max(values) if values else 0
    scale = (width - left - right) / peak if peak else 0
    bar_h = (row_h - 8) / max(len(series), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left}" y="16" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (name, _vals) in enumerate(series):
        x = left + 200 * i
        parts.append(f'<rect x="{x}" y="22" width="12" height="12" fill="{COLOURS[i % 2]}"/>')
        parts.append(f'<text x="{x + 16}" y="32">{escape(name)}</text>')
    for r, cat in enumerate(categories):
        y0 = top + r * row_h
        parts.append(
            f'<text x="{left - 6}" y="{y0 + row_h / 2 + 4:.1f}" text-anchor="end">'
            f"{escape(cat)}</text>"
        )
        for i, (_name, vals) in enumerate(series):
            v = vals[r]
            y = y0 + 4 + i * bar_h
            if v is None:
                parts.append(
                    f'<text x="{left + 4}" y="{y + bar_h - 2:.1f}" fill="#555555" font-size="10">'
                    f"{escape(missing_label)}</text>"
                )
                continue
            w = v * scale
            parts.append(
                f'<rect x="{left}" y="{y:.1f}" width="{w:.1f}" height="{bar_h - 1:.1f}" '
                f'fill="{COLOURS[i % 2]}"/>'
            )
            parts.append(f'<text x="{left + w + 4:.1f}" y="{y + bar_h - 2:.1f}">{v}</text>')
    parts.append(
        f'<line x1="{left}" y1="{top - 2}" x2="{left}" y2="{height - bottom + 2}" '
        'stroke="#333333"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
