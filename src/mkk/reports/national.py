"""The national (or regional) monitoring report, from the same engine as the municipal one.

``build_national_data`` turns ``compare_range(national=True)`` (or ``region=...``) into a
plain snapshot; ``national_document`` lays it out with the same blocks (cover, headings,
paragraphs, tables, charts) that every renderer (DOCX, PDF, HTML, XLSX) already writes.

Every institution is counted once, at its reporting level. The public version shows Kosovo
and its regions only (no single institution), with small numbers suppressed across the
whole table: a hidden regional figure cannot be worked out from Kosovo's total and the other
regions, nor from a breakdown or a difference.
"""

from __future__ import annotations

import copy
import datetime as dt

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mkk.core.languages import current_suffix, django_language
from mkk.directory.i18n import localized
from mkk.statistics.comparison import compare_range

from . import suppression
from .builder import _num, snapshot_head, suppress_figure
from .document import Chart, Cover, Document, Heading, Paragraph, Table
from .sections import display_name as _name
from .sections import figure_rows
from .snapshot import figure

FIELDS = ("current", "previous", "difference")


def _names(obj, field: str = "name") -> dict[str, str]:
    return {lang: localized(obj, field, lang) for lang in ("sq", "sr", "en")}


def _fig(place: dict, element, rows: dict, language: str) -> dict:
    values, labels = {}, {}
    for key, row in rows.items():
        values[key] = {
            "current": row.current,
            "previous": row.previous,
            "difference": row.difference,
            "percent": _num(row.percent),
            "change": row.change,
            "per_10k": _num(row.current_per_10k),
        }
        labels[key] = row.label(language)
    return {
        "institution": place,
        "element": {"code": element.code, "name": _names(element)},
        "values": values,
        "labels": labels,
        "coverage": {"current": "", "previous": ""},
        "unapproved": False,
    }


def _place(key: str, names: dict, kind: str, population) -> dict:
    return {
        "id": key,
        "kind": kind,
        "name": names,
        "locative_sq": "",
        "abbreviation": "",
        "population": population,
    }


def build_national_data(
    *, start: dt.date, end: dt.date, language: str, public: bool, region=None
) -> dict:
    lang = django_language(language)
    with translation.override(lang):
        result = compare_range(national=region is None, region=region, start=start, end=end)
        # The public version shows no single unit, but the units' figures are published in
        # their municipalities' reports: they take part in the suppression as known cells,
        # so that no hidden regional figure follows from a region minus its units.
        places, parent = _places(result, region)
        figures = _figures(places, lang)
        if public:
            units = set(result.units)
            _suppress(figures, parent, units)
            figures = [f for f in figures if f["institution"]["id"] not in units]
            places = [(p, t) for p, t in places if p["id"] not in units]
        missing = [
            {
                "institution": _names(c.institution),
                "municipality": _names(c.institution.municipality),
                "data_set": _names(c.data_set),
                "current": c.current,
                "previous": c.previous,
            }
            for c in result.missing
        ]
        uncovered = {kind: [_names(m) for m in ms] for kind, ms in result.uncovered.items() if ms}
        previous = (result.previous_start, result.previous_end)
        return {
            **snapshot_head(start, end, previous, lang=lang, public=public),
            "scope": "national" if region is None else "region",
            "place": places[0][0],
            "figures": figures,
            "missing": [] if public else missing,
            "missing_count": len(missing),
            "uncovered": uncovered,
            "has_unapproved": result.has_unapproved,
        }


def _places(result, region) -> tuple[list[tuple[dict, object]], dict[str, str]]:
    """The places the report speaks of (the whole, its regions, its reporting units) with
    their totals, and each place's parent (for suppression across levels)."""
    scope_key = "kosovo" if region is None else f"region-{result.region.code}"
    places: list[tuple[dict, object]] = [
        (
            _place(
                scope_key,
                {
                    "sq": result.totals.label_sq,
                    "sr": result.totals.label_sr,
                    "en": result.totals.label_en,
                },
                "national" if region is None else "region",
                result.totals.population,
            ),
            result.totals,
        )
    ]
    parent: dict[str, str] = {}
    if region is None:
        for code, t in result.regions.items():
            places.append(
                (
                    _place(
                        f"region-{code}",
                        {"sq": t.label_sq, "sr": t.label_sr, "en": t.label_en},
                        "region",
                        t.population,
                    ),
                    t,
                )
            )
            parent[f"region-{code}"] = scope_key
    region_codes = {r.pk: r.code for r in _regions(result)}
    for key, (unit, t) in result.units.items():
        places.append((_place(key, _names(unit), unit.kind, unit.population), t))
        code = region_codes.get(unit.region_id)
        parent[key] = scope_key if region is not None or code is None else f"region-{code}"
    return places, parent


def _figures(places: list[tuple[dict, object]], language: str) -> list[dict]:
    """One figure per place and element, in the places' order."""
    elements = {}
    for _p, totals in places:
        for (code, _key), row in totals.rows.items():
            elements.setdefault(code, row.element)
    figures = []
    for place, totals in places:
        for code, element in elements.items():
            rows = {k: r for (c, k), r in totals.rows.items() if c == code}
            if rows:
                figures.append(_fig(place, element, rows, language))
    return figures


def _regions(result):
    from mkk.directory.models import Region

    return list(Region.objects.all()) if result.region is None else [result.region]


def _suppress(figures: list[dict], parent: dict[str, str], units: set[str] = frozenset()) -> None:
    """Hide small numbers across every place of one element at once (public version).

    ``units`` are places published elsewhere (in their municipality's report): their cells
    are known to a reader unless small, and are never chosen as complements here."""
    by_element: dict[str, list[dict]] = {}
    for fig in figures:
        by_element.setdefault(fig["element"]["code"], []).append(fig)
    for figs in by_element.values():
        values, relations, follows, diffs = {}, [], {}, []
        for fig in figs:
            p = fig["institution"]["id"]
            keys = list(fig["values"])
            for key in keys:
                cell = fig["values"][key]
                for f in FIELDS:
                    values[(p, key, f)] = cell.get(f)
                relations.append(
                    suppression.difference_relation(
                        (p, key, "current"), (p, key, "previous"), (p, key, "difference")
                    )
                )
                follows[(p, key, "difference")] = [(p, key, "current"), (p, key, "previous")]
                diffs.append((p, key, "difference"))
            for dim in ("sex", "age"):
                parts = [k for k in keys if k.startswith(dim + "=")]
                if parts and "" in keys:
                    for f in FIELDS:
                        relations.append(
                            suppression.sum_relation((p, "", f), [(p, k, f) for k in parts])
                        )
        children: dict[str, list[str]] = {}
        for fig in figs:
            p = fig["institution"]["id"]
            if p in parent:
                children.setdefault(parent[p], []).append(p)
        keys = {k for fig in figs for k in fig["values"]}
        for top, kids in children.items():
            for key in keys:
                for f in FIELDS:
                    relations.append(
                        suppression.sum_relation((top, key, f), [(k, key, f) for k in kids])
                    )
        # A unit's cell is known to a reader only where its own report shows it: that
        # report's suppression (the same rule, per figure) decides which are.
        own_hidden = set()
        for fig in figs:
            if fig["institution"]["id"] in units:
                alone = copy.deepcopy(fig)
                suppress_figure(alone)
                p = fig["institution"]["id"]
                own_hidden |= {(p, k, f) for k, fs in alone["hidden"].items() for f in fs}
        fixed = [k for k in values if k[0] in units and k not in own_hidden]
        status = suppression.suppress(
            values,
            relations,
            follows=follows,
            not_counts=diffs,
            fixed=fixed,
            protected=sorted(own_hidden, key=repr),
        )
        for fig in figs:
            p = fig["institution"]["id"]
            hidden: dict[str, dict[str, str]] = {}
            for (place, key, f), state in status.items():
                if place == p:
                    hidden.setdefault(key, {})[f] = state
            for key, fields in hidden.items():
                fields["percent"] = suppression.COMPLEMENTARY
                fields["per_10k"] = suppression.COMPLEMENTARY
                cell = fig["values"][key]
                for f in (*FIELDS, "percent", "per_10k"):
                    if f in fields:
                        cell[f] = None
                if "difference" in fields:
                    cell["change"] = "hidden"
            fig["hidden"] = hidden


# --- Document -----------------------------------------------------------------------------


def national_document(data: dict, narrative: dict, title: str, language: str) -> Document:
    suffix = current_suffix(language)
    public = data["public"]
    period = data["period"]["label"]
    previous = data["period"]["previous_label"]
    place = _name(data["place"]["name"], suffix)
    if data["scope"] == "national":
        title = title or _("National monitoring report on domestic violence")
    else:
        title = title or _("Regional monitoring report on domestic violence: %(region)s") % {
            "region": place
        }
    blocks = _cover(data, title, place)
    blocks.append(Heading(_("1. How the figures are counted")))
    blocks.append(
        Paragraph(
            _(
                "Each institution reports once, at its level: a municipal institution for its "
                "municipality, a regional one (a regional police directorate, a basic court with "
                "its branches, a regional shelter) for its region. A region's total is the sum "
                "of its municipalities' institutions and its regional institutions; nothing is "
                "counted twice. A missing figure is shown as “–”, never as zero."
            )
        )
    )
    if data["has_unapproved"]:
        blocks.append(Paragraph(_("Some figures rest on submissions not yet approved."), "note"))
    _narrative_text = narrative.get("summary", "")
    if _narrative_text:
        blocks.append(Paragraph(_narrative_text, "narrative"))

    by_place: dict = {}
    for fig in data["figures"]:
        by_place.setdefault(fig["institution"]["id"], []).append(fig)
    places = list(by_place.values())
    blocks.append(Heading(_("2. Totals of %(place)s") % {"place": place}))
    if places:
        blocks.append(_table(places[0], period, previous, language, suffix))
    else:
        blocks.append(Paragraph(_("No institution reports statistics."), "note"))
    regions = [figs for figs in places[1:] if figs[0]["institution"]["kind"] == "region"]
    if regions:
        blocks += _by_region(regions, data, language, suffix)
    units = [figs for figs in places[1:] if figs[0]["institution"]["kind"] != "region"]
    if units:
        blocks.append(Heading(_("4. By municipality and reporting unit")))
        for figs in units:
            blocks.append(Heading(_name(figs[0]["institution"]["name"], suffix), 2))
            blocks.append(_table(figs, period, previous, language, suffix))
    blocks += _completeness(data, suffix)
    return Document(title=title, language=language, public=public, blocks=blocks)


def _cover(data: dict, title: str, place: str) -> list:
    public = data["public"]
    period = data["period"]["label"]
    previous = data["period"]["previous_label"]
    blocks: list = []
    lines = [
        (_("Area"), place),
        (_("Period"), period),
        (pgettext("report", "Reference period"), previous),
        (_("Version"), _("Public version") if public else _("Internal version")),
    ]
    blocks.append(Cover(title, lines, confidential=not public))
    if public:
        blocks.append(
            Paragraph(
                _(
                    "Public version: counts from 1 to %(limit)s are shown as “<%(threshold)s”, and "
                    "further cells are shown as “x” so that the hidden counts cannot be worked "
                    "out from totals or differences. Names of persons are not included."
                )
                % {"limit": data["threshold"] - 1, "threshold": data["threshold"]},
                "note",
            )
        )
    return blocks


def _by_region(regions: list[list[dict]], data: dict, language: str, suffix: str) -> list:
    """3. By police region: a chart, one row per region, then each region's table."""
    period = data["period"]["label"]
    previous = data["period"]["previous_label"]
    blocks: list = []
    blocks.append(Heading(_("3. By police region")))
    chart = _region_chart(regions, data, suffix)
    if chart is not None:
        blocks.append(chart)
    rows = []
    for figs in regions:
        fig = next((f for f in figs if f["element"]["code"] == "POL_CASES"), figs[0])
        rows.append(
            [
                _name(fig["institution"]["name"], suffix),
                _name(fig["element"]["name"], suffix),
                figure(fig).printed("", "current"),
                figure(fig).printed("", "previous"),
                figure(fig).printed("", "difference"),
                figure(fig).percent(""),
                _per10k(fig),
            ]
        )
    blocks.append(
        Table(
            _("By police region"),
            [
                _("Region"),
                _("Figure"),
                period,
                previous,
                _("Difference"),
                pgettext("report", "Change"),
                _("Per 10,000 inhabitants"),
            ],
            rows,
            sheet=_("Regions"),
            numeric=[2, 3, 4, 5, 6],
            formats={4: "signed", 5: "percent"},
        )
    )
    for figs in regions:
        blocks.append(Heading(_name(figs[0]["institution"]["name"], suffix), 2))
        blocks.append(_table(figs, period, previous, language, suffix))
    return blocks


def _completeness(data: dict, suffix: str) -> list:
    """5. Completeness: the data sets that do not cover the period, the types nobody reports."""
    period = data["period"]["label"]
    previous = data["period"]["previous_label"]
    blocks: list = []
    blocks.append(Heading(_("5. Completeness")))
    blocks.append(
        Paragraph(
            _("%(count)s institution data sets do not cover the whole period.")
            % {"count": data["missing_count"]}
        )
    )
    if data["missing"]:
        blocks.append(
            Table(
                _("Data sets not covering the period"),
                [_("Institution"), _("Municipality"), _("Data set"), period, previous],
                [
                    [
                        _name(m["institution"], suffix),
                        _name(m["municipality"], suffix),
                        _name(m["data_set"], suffix),
                        _coverage(m["current"]),
                        _coverage(m["previous"]),
                    ]
                    for m in data["missing"]
                ],
                sheet=_("Completeness"),
            )
        )
    for kind, names in data["uncovered"].items():
        blocks.append(
            Paragraph(
                _("No institution of the type “%(kind)s” reports for: %(names)s.")
                % {
                    "kind": _kind_label(kind),
                    "names": ", ".join(_name(n, suffix) for n in names),
                },
                "note",
            )
        )
    return blocks


def _kind_label(kind: str) -> str:
    """The institution type in the reader's language (the snapshot keeps the key)."""
    from mkk.directory.models import InstitutionKind

    return str(InstitutionKind(kind).label) if kind in InstitutionKind.values else kind


def _coverage(value: str) -> str:
    return {"full": _("complete"), "partial": _("partial"), "none": _("none")}.get(value, value)


def _per10k(fig: dict, key: str = ""):
    state = fig.get("hidden", {}).get(key, {}).get("per_10k")
    value = fig["values"].get(key, {}).get("per_10k")
    if state:
        return "x"
    return "–" if value is None else value


def _table(figs: list[dict], period: str, previous: str, language: str, suffix: str) -> Table:
    name = _name(figs[0]["institution"]["name"], suffix)
    rows = []
    for f in figs:
        rows.extend(figure_rows(f, suffix))
    return Table(
        name,
        [_("Figure"), period, previous, _("Difference"), pgettext("report", "Change")],
        rows,
        sheet=name,
        numeric=[1, 2, 3, 4],
        formats={3: "signed", 4: "percent"},
    )


def _region_chart(regions: list[list[dict]], data: dict, suffix: str) -> Chart | None:
    from mkk.core import charts

    names, cur, prev = [], [], []
    for figs in regions:
        fig = next((f for f in figs if f["element"]["code"] == "POL_CASES"), None)
        if fig is None:
            continue
        names.append(_name(fig["institution"]["name"], suffix))
        cur.append(fig["values"].get("", {}).get("current"))
        prev.append(fig["values"].get("", {}).get("previous"))
    if not names or all(v is None for v in cur + prev):
        return None
    series = {data["period"]["label"]: cur, data["period"]["previous_label"]: prev}
    return Chart(
        draw=lambda: charts.grouped_bars(
            names, series, title=_("Cases reported by region"), horizontal=True, height_in=3.6
        ),
        alt=_(
            "Domestic-violence cases reported by the police, per region, this period and a "
            "year earlier (figures in the table below)."
        ),
    )
