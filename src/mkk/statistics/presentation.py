"""What the statistics page shows of a RangeComparison: sections per institution, a chart."""

from __future__ import annotations

from mkk.directory.i18n import localized
from mkk.web.charts import data_uri, grouped_bars

from . import formatting, periods
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
        categories.append(f"{short}: {name[:38]}")
    series = {
        periods.period_label(result.start, result.end, lang): [r.current for r in rows],
        periods.period_label(result.previous_start, result.previous_end, lang): [
            r.previous for r in rows
        ],
    }
    horizontal = len(rows) > 5
    png = grouped_bars(
        categories,
        series,
        horizontal=horizontal,
        height_in=max(3.2, 0.45 * len(rows) + 1) if horizontal else 3.4,
        width_in=8 if horizontal else 6.5,
    )
    return data_uri(png)
