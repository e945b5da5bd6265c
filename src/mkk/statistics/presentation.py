"""What the statistics page shows of a RangeComparison: sections per institution, a chart."""

from __future__ import annotations

import textwrap

from mkk.core import periods
from mkk.core.charts import cached, data_uri
from mkk.directory.i18n import localized

from . import formatting
from .comparison import RangeComparison


def _row(r, lang: str) -> dict:
    return {
        "label": r.label(lang),
        "code": r.element.code,
        "key": r.disaggregation,
        "is_total": r.is_total,
        "current": formatting.number(r.current, lang),
        "previous": formatting.number(r.previous, lang),
        "difference": formatting.signed(r.difference, lang),
        "percent": formatting.percent(r.percent, lang),
        "change": r.change,
        "missing": r.current is None,
        "unapproved": r.unapproved,
    }


def institution_sections(result: RangeComparison, lang: str) -> list[dict]:
    """Per institution: its coverage and its rows (parts only where a figure exists)."""
    sections = []
    for inst in result.institutions:
        rows = [
            _row(r, lang)
            for r in result.rows_of(inst)
            if r.is_total or r.current is not None or r.previous is not None
        ]
        coverage = [c for c in result.coverage if c.institution.pk == inst.pk]
        sections.append(
            {
                "institution": inst,
                "name": inst.name_in(lang),
                "rows": rows,
                "coverage": coverage,
                "has_data": any(c.current != "none" or c.previous != "none" for c in coverage),
                "unapproved": any(c.unapproved for c in coverage),
            }
        )
    return sections


def _bars(categories: list[str], series: dict[str, list[int | None]]) -> bytes:
    """Horizontal grouped bars in the style of mkk.core.charts (same palette and font), with
    the legend below the plot so that it never hides a bar. Missing figures draw no bar and
    are labelled "–", never as zero."""
    from mkk.core.charts import draw_grouped, finish, plt

    fig, ax = plt.subplots(figsize=(8, max(2.6, 0.62 * len(categories) + 1.0)))
    draw_grouped(ax, categories, series, horizontal=True)
    ax.margins(x=0.08)
    ncol = max(len(series), 1)
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=ncol)
    return finish(fig, bbox_inches="tight")


def chart_for(result: RangeComparison, lang: str) -> str | None:
    """Grouped bars of every total with a figure in either range (PNG data URI), or None."""
    rows = [
        r for r in result.rows if r.is_total and (r.current is not None or r.previous is not None)
    ]
    if not rows:
        return None
    categories = []
    for r in rows:
        short = r.institution.abbreviation or r.institution.name_in(lang)[:18]
        name = localized(r.element, "name", lang)
        categories.append(textwrap.fill(f"{short}: {name}", 30, max_lines=3, placeholder="…"))
    series = {
        periods.period_label(result.start, result.end, lang): [r.current for r in rows],
        periods.period_label(result.previous_start, result.previous_end, lang): [
            r.previous for r in rows
        ],
    }
    return data_uri(cached(_bars, categories, series))
