"""The report as a sequence of blocks (headings, paragraphs, tables, charts).

Built once from the snapshot and the coordinator's narratives; each renderer (DOCX, PDF,
HTML, XLSX) turns the same blocks into its format, so every format says the same thing in
the same order:

cover · summary · mechanism and members · meetings, attendance, activities · statistics per
institution (sentences, tables, charts) · action plan and budget · follow-ups · challenges
and recommendations · annex tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mkk.core.charts import cached
from mkk.core.languages import current_suffix

from . import charts as report_charts
from . import prose, suppression

CONFIDENTIAL = "KONFIDENCIAL / Confidential / Poverljivo"


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str
    style: str = ""  # "", "lead", "note", "narrative"


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list]
    sheet: str = ""  # XLSX sheet name
    numeric: list[int] = field(default_factory=list)  # right-aligned columns
    note: str = ""
    #: False where a heading of the same text stands right above the table (no repeated line)
    caption: bool = True
    #: column -> "signed" (+5) or "percent" (+6,4%) for numbers in that column
    formats: dict[int, str] = field(default_factory=dict)


@dataclass
class Chart:
    """A chart drawn when a renderer first needs it (the XLSX has no charts)."""

    draw: Callable[[], bytes]
    alt: str
    width_in: float = 6.3

    @property
    def png(self) -> bytes:
        return self.draw()


@dataclass
class Cover:
    title: str
    lines: list[tuple[str, str]]
    confidential: bool


@dataclass
class PageBreak:
    pass


@dataclass
class Document:
    title: str
    language: str
    public: bool
    blocks: list


NARRATIVE_SECTIONS = ["summary", "mechanism", "meetings", "statistics", "plan", "followups"]


def _has_figure(fig) -> bool:
    """Any value, or a value hidden for privacy, in either period."""
    for key, values in (fig.get("values") or {}).items():
        if values.get("current") is not None or values.get("previous") is not None:
            return True
        if (fig.get("hidden") or {}).get(key):
            return True
    return False


def cut_at_word(text: str, limit: int, mark: str = "") -> str:
    """At most ``limit`` characters, cut after a whole word (a single long word is cut);
    ``mark`` (an ellipsis) is added where something was cut, within the limit."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = limit - len(mark)
    cut = text[: room + 1].rsplit(" ", 1)[0].rstrip(" –-,;.:")
    cut = cut if cut and len(cut) <= room else text[:room].rstrip()
    return cut + mark


def short_name(institution: dict, suffix: str) -> str:
    """The institution's abbreviation where it is the reader's (the recorded abbreviations
    are Albanian: QPS, MV), else its name."""
    if suffix == "sq" and institution.get("abbreviation"):
        return institution["abbreviation"]
    return _name(institution["name"], suffix)


def _chart_label(fig: dict, suffix: str, inst_limit: int, element_limit: int) -> str:
    inst = short_name(fig["institution"], suffix)
    element = _name(fig["element"]["name"], suffix)
    return f"{cut_at_word(inst, inst_limit, '…')}: {cut_at_word(element, element_limit, '…')}"


def _name(names: dict, suffix: str) -> str:
    return prose.typeset_name(names.get(suffix) or names.get("sq") or "", suffix)


def _narrative(blocks: list, text: str) -> None:
    for para in (text or "").replace("\r\n", "\n").split("\n\n"):
        para = para.strip()
        if para:
            blocks.append(Paragraph(para, "narrative"))


def _cell(fig: dict, key: str, field_name: str):
    """A figure cell as the table prints it: a number, '<5', 'x' or '–'."""
    state = fig.get("hidden", {}).get(key, {}).get(field_name)
    value = fig["values"].get(key, {}).get(field_name)
    if state or value is None:
        return suppression.label(value, state)
    return value


def _percent(fig: dict, key: str):
    state = fig.get("hidden", {}).get(key, {}).get("percent")
    value = fig["values"].get(key, {}).get("percent")
    if state:
        return "x"
    if value is None:
        return "–"
    return float(value)


def _diff(fig: dict, key: str):
    return _cell(fig, key, "difference")


def _figure_table_rows(fig: dict, language: str, suffix: str) -> list[list]:
    rows = []
    for key in fig["values"]:
        vals = fig["values"][key]
        if (
            key
            and vals.get("current") is None
            and vals.get("previous") is None
            and not fig.get("hidden", {}).get(key)
        ):
            continue  # a breakdown nobody reported: no empty row
        label = fig["labels"].get(key) or key
        label = _name(fig["element"]["name"], suffix) if key == "" else f"   {label}"
        rows.append(
            [
                label,
                _cell(fig, key, "current"),
                _cell(fig, key, "previous"),
                _diff(fig, key),
                _percent(fig, key),
            ]
        )
    return rows


def _has_data(fig: dict) -> bool:
    total = fig["values"].get("", {})
    hidden = fig.get("hidden", {}).get("", {})
    return any(total.get(f) is not None for f in ("current", "previous")) or bool(hidden)


def build_document(data: dict, narrative: dict | None = None, title: str = "") -> Document:
    language = data["language"]
    with translation.override(language):
        if data.get("scope") in ("national", "region"):
            from .national import national_document

            return national_document(data, narrative or {}, title, language)
        return _build(data, narrative or {}, title, language)


def _build(data: dict, narrative: dict, title: str, language: str) -> Document:
    suffix = current_suffix(language)
    start = dt.date.fromisoformat(data["period"]["start"])
    end = dt.date.fromisoformat(data["period"]["end"])
    public = data["public"]
    period = data["period"]["label"]
    municipality = _name(data["municipality"]["name"], suffix)
    mech = data.get("mechanism") or {}
    title = title or _("Monitoring report of the coordination mechanism against domestic violence")
    blocks: list = []

    # Cover -----------------------------------------------------------------------------
    lines = [
        (
            pgettext("report", "Municipality"),
            data["municipality"]["bilingual"] if suffix != "en" else municipality,
        ),
        (pgettext("report", "Period"), period),
        (pgettext("report", "Reference period"), data["period"]["previous_label"]),
    ]
    if mech:
        lines.append((pgettext("report", "Mechanism"), _name(mech["name"], suffix)))
        coordinator = ", ".join(
            x for x in (mech.get("coordinator_name"), mech.get("coordinator_title")) if x
        )
        if coordinator:
            lines.append((pgettext("report", "Coordinator"), coordinator))
    lines.append(
        (
            pgettext("report", "Version"),
            pgettext("report", "Public version")
            if public
            else pgettext("report", "Internal version"),
        )
    )
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

    # 1. Summary ------------------------------------------------------------------------
    blocks.append(Heading(pgettext("report", "1. Summary")))
    meetings = data.get("meetings")
    plan = data.get("plan")
    stats = data["statistics"]
    summary = []
    if meetings is not None:
        summary.append(
            prose.meetings_sentence(meetings["held"], start=start, end=end, language=language)
        )
    key_figs = [
        f
        for f in stats["figures"]
        if f["element"]["code"] in ("POL_CASES", "QPS_VICTIMS", "STR_PERSONS") and _has_data(f)
    ]
    if key_figs:
        summary.append(
            prose.paragraph(
                key_figs,
                start=start,
                end=end,
                language=language,
                with_institution=True,
                first=len(summary),
            )
        )
    if plan and plan.get("overall"):
        o = plan["overall"]
        summary.append(
            prose.plan_sentence(
                o["total"],
                o["counts"].get("completed", 0),
                len(plan["late"]),
                o["percent"],
                language=language,
            )
        )
    if plan and plan.get("title") and plan.get("budget") is not None:
        summary.append(
            prose.budget_sentence(
                plan["planned_total"] if plan["budget"] else None,
                plan["spent_total"] if plan["budget"] else None,
                plan["currency"],
                language=language,
            )
        )
    if summary:
        blocks.append(Paragraph(" ".join(summary)))
    _narrative(blocks, narrative.get("summary", ""))

    # 2. Mechanism ----------------------------------------------------------------------
    blocks.append(Heading(_("2. The mechanism and its members")))
    if mech:
        text = _name(mech["name"], suffix)
        if mech.get("decision_number"):
            decided = mech.get("decision_date")
            if decided:
                text += " – " + _("decision no. %(number)s of %(date)s") % {
                    "number": mech["decision_number"],
                    "date": dt.date.fromisoformat(decided).strftime("%d.%m.%Y"),
                }
            else:
                text += " – " + _("decision no. %(number)s") % {"number": mech["decision_number"]}
        blocks.append(Paragraph(text + "."))
    member_rows = []
    for m in data["members"]:
        row = [_name(m["institution"]["name"], suffix), m["role_label"]]
        if not public:
            row.append(
                ", ".join(x for x in (m.get("focal_person"), m.get("focal_person_title")) if x)
                or "–"
            )
        member_rows.append(row)
    header = [pgettext("report", "Institution"), pgettext("report", "Role")] + (
        [] if public else [pgettext("report", "Focal person")]
    )
    blocks.append(
        Table(
            pgettext("report", "Members of the mechanism"),
            header,
            member_rows,
            sheet=pgettext("report", "Members"),
        )
    )
    _narrative(blocks, narrative.get("mechanism", ""))

    # 3. Meetings -----------------------------------------------------------------------
    blocks.append(Heading(_("3. Meetings, attendance, trainings and activities")))
    if meetings is None:
        blocks.append(Paragraph(_("Meeting records are not available in this system."), "note"))
    else:
        blocks.append(
            Paragraph(
                prose.meetings_sentence(meetings["held"], start=start, end=end, language=language)
            )
        )
        blocks.append(
            Table(
                pgettext("report", "Meetings held by type"),
                [pgettext("report", "Type"), pgettext("report", "Meetings")],
                [[t["label"], t["count"]] for t in meetings["by_type"]]
                + [[pgettext("report", "Total"), meetings["held"]]],
                sheet=pgettext("report", "Meetings"),
                numeric=[1],
            )
        )
        extra = [_("Decisions taken: %(count)s.") % {"count": meetings["decisions"]}]
        if meetings.get("attendance_rate") is not None:
            extra.append(
                _("Attendance rate: %(rate)s%%.")
                % {"rate": prose.number(float(meetings["attendance_rate"]), language)}
            )
        blocks.append(Paragraph(" ".join(extra)))
        if meetings["attendance"]:
            blocks.append(
                Table(
                    pgettext("report", "Attendance per institution"),
                    [
                        pgettext("report", "Institution"),
                        pgettext("report", "Meetings"),
                        pgettext("report", "Present"),
                        pgettext("report", "Excused"),
                        pgettext("report", "Absent"),
                        pgettext("report", "Rate"),
                    ],
                    [
                        [
                            _name(a["institution"]["name"], suffix),
                            a["meetings"],
                            a["present"],
                            a["excused"],
                            a["absent"],
                            "–"
                            if a["rate"] is None
                            else f"{prose.number(float(a['rate']), language)}%",
                        ]
                        for a in meetings["attendance"]
                    ],
                    sheet=pgettext("report", "Attendance"),
                    numeric=[1, 2, 3, 4, 5],
                )
            )
        if meetings["activities"]:
            blocks.append(
                Table(
                    pgettext("report", "Trainings and activities"),
                    [
                        pgettext("report", "Date"),
                        pgettext("report", "Type"),
                        pgettext("report", "Activity"),
                        pgettext("report", "Partner"),
                        pgettext("report", "Participants"),
                    ],
                    [
                        [
                            dt.date.fromisoformat(a["date"]).strftime("%d.%m.%Y"),
                            a["kind_label"],
                            a["title"],
                            a["partner"] or "–",
                            a["participants"] if a["participants"] is not None else "–",
                        ]
                        for a in meetings["activities"]
                    ],
                    sheet=pgettext("report", "Activities"),
                    numeric=[4],
                )
            )
        else:
            blocks.append(
                Paragraph(_("No trainings or activities are recorded for the period."), "note")
            )
    _narrative(blocks, narrative.get("meetings", ""))

    # 4. Statistics ---------------------------------------------------------------------
    blocks.append(Heading(_("4. Domestic violence in figures")))
    blocks.append(
        Paragraph(
            _(
                "Figures of each institution for %(period)s against the same period "
                "of the previous year (%(previous)s)."
            )
            % {
                "period": prose.period_phrase(start, end, language),
                "previous": prose.period_phrase(
                    dt.date.fromisoformat(data["period"]["previous_start"]),
                    dt.date.fromisoformat(data["period"]["previous_end"]),
                    language,
                ),
            },
            "lead",
        )
    )
    if stats.get("has_unapproved"):
        blocks.append(Paragraph(_("Some figures rest on submissions not yet approved."), "note"))
    chart = _statistics_chart(stats, suffix, data)
    if chart:
        blocks.append(chart)
    by_inst: dict = {}
    for fig in stats["figures"]:
        by_inst.setdefault(fig["institution"]["id"], []).append(fig)
    without_data = []
    for figs in by_inst.values():
        inst_name = _name(figs[0]["institution"]["name"], suffix)
        if not any(_has_figure(f) for f in figs):
            without_data.append(inst_name)  # said once for all of them, below
            continue
        blocks.append(Heading(inst_name, 2))
        blocks.append(
            Paragraph(
                prose.paragraph(
                    figs, start=start, end=end, language=language, with_institution=False
                )
            )
        )
        partial = [
            f for f in figs if "partial" in (f["coverage"]["current"], f["coverage"]["previous"])
        ]
        if partial:
            blocks.append(
                Paragraph(
                    _(
                        "The figures of this institution cover only part of the period (some "
                        "months were not reported); see Annex 1."
                    ),
                    "note",
                )
            )
        rows = []
        for f in figs:
            rows.extend(_figure_table_rows(f, language, suffix))
        blocks.append(
            Table(
                inst_name,
                [
                    pgettext("report", "Figure"),
                    period,
                    data["period"]["previous_label"],
                    pgettext("report", "Difference"),
                    pgettext("report", "Change"),
                ],
                rows,
                sheet=short_name(figs[0]["institution"], suffix),
                caption=False,
                numeric=[1, 2, 3, 4],
                formats={3: "signed", 4: "percent"},
            )
        )
    if without_data:
        blocks.append(
            Paragraph(
                _(
                    "For %(period)s and %(reference)s, these institutions reported no figures: "
                    "%(institutions)s."
                )
                % {
                    "period": period,
                    "reference": prose.reference_phrase(start, end, language, "accusative"),
                    "institutions": prose.join_names(without_data, language),
                },
                "note",
            )
        )
    if not stats["figures"]:
        blocks.append(
            Paragraph(_("No institution of this municipality reports statistics."), "note")
        )
    bd = _breakdown_chart(stats, suffix, data)
    if bd:
        blocks.append(bd)
    if data.get("cases") and not data["cases"]["rows"]:
        blocks.append(Heading(pgettext("report", "Case management"), 2))
        blocks.append(
            Paragraph(_("No cases are recorded in the case register for this period."), "note")
        )
    if data.get("cases") and data["cases"]["rows"]:
        blocks.append(Heading(pgettext("report", "Case management"), 2))
        blocks.append(
            Table(
                pgettext("report", "Case management"),
                [pgettext("report", "Figure"), pgettext("report", "Number")],
                [
                    [
                        r["label"],
                        suppression.label(r["value"], r.get("hidden"))
                        if r.get("hidden") or r["value"] is None
                        else r["value"],
                    ]
                    for r in data["cases"]["rows"]
                ],
                sheet=pgettext("report", "Cases"),
                caption=False,
                numeric=[1],
            )
        )
    _narrative(blocks, narrative.get("statistics", ""))

    # 5. Action plan --------------------------------------------------------------------
    blocks.append(Heading(_("5. Implementation of the action plan")))
    if not plan:
        blocks.append(Paragraph(_("Action plans are not available in this system."), "note"))
    elif not plan.get("title"):
        blocks.append(Paragraph(_("No action plan covers this period."), "note"))
    else:
        blocks.append(
            Paragraph(f"{plan['title']} ({plan['start_year']}–{plan['end_year']})", "lead")
        )
        o = plan.get("overall")
        if o:
            blocks.append(
                Paragraph(
                    prose.plan_sentence(
                        o["total"],
                        o["counts"].get("completed", 0),
                        len(plan["late"]),
                        o["percent"],
                        language=language,
                    )
                )
            )
        statuses = plan["statuses"]
        rows = []
        for obj in plan["objectives"] + (
            [dict(o, code=pgettext("report", "Total"), title="")] if o else []
        ):
            rows.append(
                [f"{obj['code']} {obj['title']}".strip()]
                + [obj["counts"].get(s["code"], 0) for s in statuses]
                + [
                    obj["total"],
                    "–"
                    if obj["percent"] is None
                    else f"{prose.number(float(obj['percent']), language)}%",
                ]
            )
        blocks.append(
            Table(
                _("Actions by status per objective"),
                [pgettext("report", "Objective")]
                + [s["label"] for s in statuses]
                + [pgettext("report", "Total"), pgettext("report", "Completion rate")],
                rows,
                sheet=pgettext("report", "Plan objectives"),
                numeric=list(range(1, len(statuses) + 3)),
            )
        )
        pc = _plan_chart(plan)
        if pc:
            blocks.append(pc)
        blocks.append(Heading(pgettext("report", "What was done"), 2))
        if plan["done"]:
            blocks.append(
                Table(
                    pgettext("report", "What was done"),
                    [
                        pgettext("report", "Action"),
                        pgettext("report", "Description"),
                        pgettext("report", "Period"),
                        pgettext("report", "Status"),
                        pgettext("report", "Report"),
                    ],
                    [
                        [
                            d["code"],
                            d["description"],
                            d["period"],
                            d["status"],
                            d["narrative"] or "–",
                        ]
                        for d in plan["done"]
                    ],
                    sheet=pgettext("report", "Plan done"),
                    caption=False,
                )
            )
        else:
            blocks.append(Paragraph(_("No progress reports were approved for the period."), "note"))
        blocks.append(Heading(pgettext("report", "What is late"), 2))
        if plan["late"]:
            blocks.append(
                Table(
                    pgettext("report", "What is late"),
                    [
                        pgettext("report", "Action"),
                        pgettext("report", "Description"),
                        pgettext("report", "Deadline"),
                        pgettext("report", "Status"),
                        pgettext("report", "Lead institutions"),
                    ],
                    [
                        [
                            d["code"],
                            d["description"],
                            d["end_year"] or "–",
                            d["status"],
                            ", ".join(d["institutions"]) or "–",
                        ]
                        for d in plan["late"]
                    ],
                    sheet=pgettext("report", "Plan late"),
                    caption=False,
                )
            )
        else:
            blocks.append(Paragraph(_("No action is late."), "note"))
        blocks.append(Heading(pgettext("report", "Budget planned and spent"), 2))
        blocks.append(
            Paragraph(
                prose.budget_sentence(
                    plan["planned_total"] if plan["budget"] else None,
                    plan["spent_total"] if plan["budget"] else None,
                    plan["currency"],
                    language=language,
                )
            )
        )
        if plan["budget"]:
            blocks.append(
                Table(
                    _("Budget planned and spent (%(currency)s)") % {"currency": plan["currency"]},
                    [
                        pgettext("report", "Year"),
                        pgettext("report", "Source of funding"),
                        pgettext("report", "Planned"),
                        pgettext("report", "Spent"),
                    ],
                    [[b["year"], b["funder"], b["planned"], b["spent"]] for b in plan["budget"]]
                    + [
                        [
                            pgettext("report", "Total"),
                            "",
                            plan["planned_total"],
                            plan["spent_total"],
                        ]
                    ],
                    sheet=pgettext("report", "Budget"),
                    numeric=[2, 3],
                )
            )
    _narrative(blocks, narrative.get("plan", ""))

    # 6. Follow-ups ---------------------------------------------------------------------
    blocks.append(Heading(pgettext("report", "6. Follow-up of decisions")))
    if meetings is None:
        blocks.append(Paragraph(_("Meeting records are not available in this system."), "note"))
    else:
        fu = meetings["follow_ups"]
        blocks.append(
            Paragraph(
                prose.followups_sentence(fu["done"], fu["open"], fu["overdue"], language=language)
            )
        )
        if fu["overdue_list"]:
            blocks.append(
                Table(
                    pgettext("report", "Overdue follow-ups"),
                    [
                        pgettext("report", "Institution"),
                        pgettext("report", "Task"),
                        pgettext("report", "Decision"),
                        pgettext("report", "Meeting"),
                        pgettext("report", "Due"),
                    ],
                    [
                        [
                            _name(o["owner"]["name"], suffix),
                            o["description"],
                            o["decision"],
                            dt.date.fromisoformat(o["meeting_date"]).strftime("%d.%m.%Y"),
                            dt.date.fromisoformat(o["due_date"]).strftime("%d.%m.%Y"),
                        ]
                        for o in fu["overdue_list"]
                    ],
                    sheet=pgettext("report", "Follow-ups"),
                )
            )
    _narrative(blocks, narrative.get("followups", ""))

    # 7. Challenges and recommendations -------------------------------------------------
    blocks.append(Heading(pgettext("report", "7. Challenges and recommendations")))
    blocks.append(Heading(pgettext("report", "Challenges"), 2))
    if narrative.get("challenges", "").strip():
        _narrative(blocks, narrative["challenges"])
    if meetings and meetings.get("challenges"):
        blocks.append(Paragraph(_("Challenges raised in the meetings:"), "lead"))
        for text in meetings["challenges"]:
            blocks.append(Paragraph("– " + text, "narrative"))
    if not narrative.get("challenges", "").strip() and not (
        meetings and meetings.get("challenges")
    ):
        blocks.append(Paragraph(_("No challenges were recorded."), "note"))
    blocks.append(Heading(pgettext("report", "Recommendations"), 2))
    if narrative.get("recommendations", "").strip():
        _narrative(blocks, narrative["recommendations"])
    else:
        blocks.append(Paragraph(_("No recommendations were recorded."), "note"))

    # Annex -----------------------------------------------------------------------------
    blocks.append(PageBreak())
    blocks.append(Heading(pgettext("report", "Annex: tables")))
    blocks.append(
        Table(
            _("Annex 1. Data coverage per institution"),
            [
                pgettext("report", "Institution"),
                pgettext("report", "Data set"),
                period,
                data["period"]["previous_label"],
            ],
            [
                [
                    _name(c["institution"]["name"], suffix),
                    _name(c["data_set"], suffix),
                    _coverage_label(c["current"]),
                    _coverage_label(c["previous"]),
                ]
                for c in stats["coverage"]
            ],
            sheet=pgettext("report", "Coverage"),
        )
    )
    all_rows = []
    for fig in stats["figures"]:
        inst = short_name(fig["institution"], suffix)
        for row in _figure_table_rows(fig, language, suffix):
            all_rows.append([inst] + row)
    blocks.append(
        Table(
            pgettext("report", "Annex 2. All figures"),
            [
                pgettext("report", "Institution"),
                pgettext("report", "Figure"),
                period,
                data["period"]["previous_label"],
                pgettext("report", "Difference"),
                pgettext("report", "Change"),
            ],
            all_rows,
            sheet=pgettext("report", "All figures"),
            numeric=[2, 3, 4, 5],
            formats={4: "signed", 5: "percent"},
        )
    )
    if meetings and meetings["meetings"]:
        blocks.append(
            Table(
                pgettext("report", "Annex 3. Meetings held"),
                [pgettext("report", "Date"), pgettext("report", "Type")],
                [
                    [dt.date.fromisoformat(m["date"]).strftime("%d.%m.%Y"), m["kind_label"]]
                    for m in meetings["meetings"]
                ],
                sheet=pgettext("report", "Meeting list"),
            )
        )
    doc_title = f"{title} – {municipality} – {period}"
    return Document(title=doc_title, language=language, public=public, blocks=blocks)


def _coverage_label(value: str) -> str:
    return {
        "full": pgettext("report", "complete"),
        "partial": pgettext("report", "partial"),
        "none": pgettext("report", "no data"),
    }.get(value, value)


def _cached_png(draw, *args, **kwargs) -> bytes:
    """Charts are deterministic: each distinct chart is drawn once and kept in the cache
    (several formats of one report, and later renderings, share it)."""
    return cached(draw, *args, **kwargs)


def _chart_value(fig, key, field_name):
    if fig.get("hidden", {}).get(key, {}).get(field_name):
        return None
    return fig["values"].get(key, {}).get(field_name)


def _statistics_chart(stats: dict, suffix: str, data: dict) -> Chart | None:
    figs = [f for f in stats["figures"] if _has_data(f)]
    if not figs:
        return None
    cats = [_chart_label(f, suffix, 20, 28) for f in figs]
    cur = [_chart_value(f, "", "current") for f in figs]
    prev = [_chart_value(f, "", "previous") for f in figs]
    png = partial(
        _cached_png,
        report_charts.comparison_bars,
        cats,
        {data["period"]["label"]: cur, data["period"]["previous_label"]: prev},
        title=pgettext("report", "Figures per institution"),
    )
    alt = _("Bar chart: figures per institution, %(period)s against %(previous)s") % {
        "period": data["period"]["label"],
        "previous": data["period"]["previous_label"],
    }
    return Chart(png, alt)


def _breakdown_chart(stats: dict, suffix: str, data: dict) -> Chart | None:
    cats, parts = (
        [],
        {
            pgettext("report", "Women"): [],
            pgettext("report", "Men"): [],
            pgettext("report", "Adults"): [],
            pgettext("report", "Children"): [],
        },
    )
    for f in stats["figures"]:
        vals = {
            k: _chart_value(f, k, "current")
            for k in ("sex=female", "sex=male", "age=adult", "age=child")
        }
        if all(v is None for v in vals.values()):
            continue
        cats.append(_chart_label(f, suffix, 20, 22))
        parts[pgettext("report", "Women")].append(vals["sex=female"])
        parts[pgettext("report", "Men")].append(vals["sex=male"])
        parts[pgettext("report", "Adults")].append(vals["age=adult"])
        parts[pgettext("report", "Children")].append(vals["age=child"])
    if not cats:
        return None
    series = {k: v for k, v in parts.items() if any(x is not None for x in v)}
    png = partial(
        _cached_png,
        report_charts.comparison_bars,
        cats,
        series,
        title=_("Breakdown by sex and by adults/children, %(period)s")
        % {"period": data["period"]["label"]},
    )
    return Chart(png, _("Bar chart: breakdown of the figures by sex and by adults and children"))


def _plan_chart(plan: dict) -> Chart | None:
    objs = plan["objectives"]
    if not objs:
        return None
    parts = {s["label"]: [o["counts"].get(s["code"], 0) for o in objs] for s in plan["statuses"]}
    parts = {k: v for k, v in parts.items() if any(v)}
    if not parts:
        return None
    png = partial(
        _cached_png,
        report_charts.stacked_status_bars,
        [o["code"] or o["title"][:20] for o in objs],
        parts,
        title=_("Actions by status per objective"),
    )
    return Chart(png, _("Stacked bar chart: actions by status per strategic objective"))
