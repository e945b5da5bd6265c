"""The municipal report's sections, one function each, from the typed snapshot.

Each function returns the blocks of one section in the order the report prints them:
cover · 1 summary · 2 mechanism and members · 3 meetings · 4 statistics (with case
management) · 5 action plan and budget · 6 follow-ups · 7 challenges and recommendations ·
annex. They mirror the builder's sections (mechanism/members, meetings, statistics, plan,
cases); the coordinator's remarks follow the section they belong to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import prose, snapshot
from .charts import breakdown_chart, plan_chart, statistics_chart
from .document import Cover, Heading, PageBreak, Paragraph, Table
from .snapshot import Figure, Institution, Meetings, Plan, Snapshot, name_in

_SUMMARY_CODES = ("POL_CASES", "QPS_VICTIMS", "STR_PERSONS")


@dataclass
class Context:
    """What every section needs: the snapshot, the remarks, and the reader's language."""

    snap: Snapshot
    narrative: dict
    language: str  # Django's code: sq, en, sr-latn
    suffix: str  # the names' key: sq, en, sr
    start: dt.date = field(init=False)
    end: dt.date = field(init=False)

    def __post_init__(self) -> None:
        self.start = dt.date.fromisoformat(self.snap.period.start)
        self.end = dt.date.fromisoformat(self.snap.period.end)

    def name(self, names: dict) -> str:
        return display_name(names, self.suffix)

    def short(self, institution: Institution) -> str:
        """The abbreviation where it is the reader's (they are Albanian: QPS, MV)."""
        if self.suffix == "sq" and institution.abbreviation:
            return institution.abbreviation
        return self.name(institution.name)

    def remarks(self, key: str) -> list:
        """The coordinator's text for a section, one paragraph per blank-line block."""
        text = (self.narrative.get(key) or "").replace("\r\n", "\n")
        return [Paragraph(p.strip(), "narrative") for p in text.split("\n\n") if p.strip()]

    def sentence_args(self) -> dict:
        return {"start": self.start, "end": self.end, "language": self.language}


def display_name(names: dict, suffix: str) -> str:
    """A name in the reader's language, its own quotation marks typeset for it."""
    return prose.typeset_name(name_in(names, suffix), suffix)


def _date(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d.%m.%Y")


def _percent_text(value, language: str) -> str:
    return "–" if value is None else f"{prose.number(float(value), language)}%"


# --- Cover and summary --------------------------------------------------------------------


def cover(ctx: Context, title: str) -> list:
    snap = ctx.snap
    municipality = ctx.name(snap.municipality.name)
    lines = [
        (
            pgettext("report", "Municipality"),
            snap.municipality.bilingual if ctx.suffix != "en" else municipality,
        ),
        (pgettext("report", "Period"), snap.period.label),
        (pgettext("report", "Reference period"), snap.period.previous_label),
    ]
    mech = snap.mechanism
    if mech:
        lines.append((pgettext("report", "Mechanism"), ctx.name(mech.name)))
        coordinator = ", ".join(x for x in (mech.coordinator_name, mech.coordinator_title) if x)
        if coordinator:
            lines.append((pgettext("report", "Coordinator"), coordinator))
    version = (
        pgettext("report", "Public version")
        if snap.public
        else pgettext("report", "Internal version")
    )
    lines.append((pgettext("report", "Version"), version))
    blocks: list = [Cover(title, lines, confidential=not snap.public)]
    if snap.public:
        note = _(
            "Public version: counts from 1 to %(limit)s are shown as “<%(threshold)s”, and "
            "further cells are shown as “x” so that the hidden counts cannot be worked "
            "out from totals or differences. Names of persons are not included."
        ) % {"limit": snap.threshold - 1, "threshold": snap.threshold}
        blocks.append(Paragraph(note, "note"))
    return blocks


def summary(ctx: Context) -> list:
    snap, args = ctx.snap, ctx.sentence_args()
    sentences = []
    if snap.meetings is not None:
        sentences.append(prose.meetings_sentence(snap.meetings.held, **args))
    key_figs = [
        f for f in snap.statistics.figures if f.element.code in _SUMMARY_CODES and f.has_data()
    ]
    if key_figs:
        sentences.append(
            prose.paragraph(key_figs, with_institution=True, first=len(sentences), **args)
        )
    plan = snap.plan
    if plan and plan.overall:
        sentences.append(_plan_sentence(plan, ctx.language))
    if plan and plan.title and plan.budget is not None:
        sentences.append(_budget_sentence(plan, ctx.language))
    blocks: list = [Heading(pgettext("report", "1. Summary"))]
    if sentences:
        blocks.append(Paragraph(" ".join(sentences)))
    return blocks + ctx.remarks("summary")


def _plan_sentence(plan: Plan, language: str) -> str:
    o = plan.overall
    done = o.counts.get("completed", 0)
    return prose.plan_sentence(o.total, done, len(plan.late), o.percent, language=language)


def _budget_sentence(plan: Plan, language: str) -> str:
    planned = plan.planned_total if plan.budget else None
    spent = plan.spent_total if plan.budget else None
    return prose.budget_sentence(planned, spent, plan.currency, language=language)


# --- 2. Mechanism and members -------------------------------------------------------------


def mechanism(ctx: Context) -> list:
    snap = ctx.snap
    blocks: list = [Heading(_("2. The mechanism and its members"))]
    mech = snap.mechanism
    if mech:
        text = ctx.name(mech.name)
        if mech.decision_number and mech.decision_date:
            text += " – " + _("decision no. %(number)s of %(date)s") % {
                "number": mech.decision_number,
                "date": _date(mech.decision_date),
            }
        elif mech.decision_number:
            text += " – " + _("decision no. %(number)s") % {"number": mech.decision_number}
        blocks.append(Paragraph(text + "."))
    rows = []
    for m in snap.members:
        row = [ctx.name(m.institution.name), m.role_label]
        if not snap.public:
            focal = ", ".join(x for x in (m.focal_person, m.focal_person_title) if x)
            row.append(focal or "–")
        rows.append(row)
    header = [pgettext("report", "Institution"), pgettext("report", "Role")]
    if not snap.public:
        header.append(pgettext("report", "Focal person"))
    blocks.append(
        Table(
            pgettext("report", "Members of the mechanism"),
            header,
            rows,
            sheet=pgettext("report", "Members"),
        )
    )
    return blocks + ctx.remarks("mechanism")


# --- 3. Meetings --------------------------------------------------------------------------


def meetings(ctx: Context) -> list:
    blocks: list = [Heading(_("3. Meetings, attendance, trainings and activities"))]
    m = ctx.snap.meetings
    if m is None:
        blocks.append(Paragraph(_("Meeting records are not available in this system."), "note"))
        return blocks + ctx.remarks("meetings")
    blocks.append(Paragraph(prose.meetings_sentence(m.held, **ctx.sentence_args())))
    blocks.append(
        Table(
            pgettext("report", "Meetings held by type"),
            [pgettext("report", "Type"), pgettext("report", "Meetings")],
            [[t.label, t.count] for t in m.by_type] + [[pgettext("report", "Total"), m.held]],
            sheet=pgettext("report", "Meetings"),
            numeric=[1],
        )
    )
    extra = [_("Decisions taken: %(count)s.") % {"count": m.decisions}]
    if m.attendance_rate is not None:
        rate = prose.number(float(m.attendance_rate), ctx.language)
        extra.append(_("Attendance rate: %(rate)s%%.") % {"rate": rate})
    blocks.append(Paragraph(" ".join(extra)))
    if m.attendance:
        blocks.append(_attendance_table(ctx, m))
    if m.activities:
        blocks.append(_activities_table(m))
    else:
        blocks.append(
            Paragraph(_("No trainings or activities are recorded for the period."), "note")
        )
    return blocks + ctx.remarks("meetings")


def _attendance_table(ctx: Context, m: Meetings) -> Table:
    header = [
        pgettext("report", "Institution"),
        pgettext("report", "Meetings"),
        pgettext("report", "Present"),
        pgettext("report", "Excused"),
        pgettext("report", "Absent"),
        pgettext("report", "Rate"),
    ]
    rows = [
        [
            ctx.name(a.institution.name),
            a.meetings,
            a.present,
            a.excused,
            a.absent,
            _percent_text(a.rate, ctx.language),
        ]
        for a in m.attendance
    ]
    return Table(
        pgettext("report", "Attendance per institution"),
        header,
        rows,
        sheet=pgettext("report", "Attendance"),
        numeric=[1, 2, 3, 4, 5],
    )


def _activities_table(m: Meetings) -> Table:
    header = [
        pgettext("report", "Date"),
        pgettext("report", "Type"),
        pgettext("report", "Activity"),
        pgettext("report", "Partner"),
        pgettext("report", "Participants"),
    ]
    rows = [
        [
            _date(a.date),
            a.kind_label,
            a.title,
            a.partner or "–",
            a.participants if a.participants is not None else "–",
        ]
        for a in m.activities
    ]
    return Table(
        pgettext("report", "Trainings and activities"),
        header,
        rows,
        sheet=pgettext("report", "Activities"),
        numeric=[4],
    )


# --- 4. Statistics ------------------------------------------------------------------------


def figure_rows(fig: Figure, suffix: str) -> list[list]:
    """A figure's table rows: the total, then each part somebody reported."""
    fig = snapshot.figure(fig)
    rows = []
    for key, cell in fig.values.items():
        if key and cell.current is None and cell.previous is None and not fig.hidden.get(key):
            continue  # a breakdown nobody reported: no empty row
        label = (
            display_name(fig.element.name, suffix)
            if key == ""
            else f"   {fig.labels.get(key) or key}"
        )
        rows.append(
            [
                label,
                fig.printed(key, "current"),
                fig.printed(key, "previous"),
                fig.printed(key, "difference"),
                fig.percent(key),
            ]
        )
    return rows


def statistics(ctx: Context) -> list:
    snap = ctx.snap
    stats = snap.statistics
    blocks: list = [Heading(_("4. Domestic violence in figures"))]
    previous = prose.period_phrase(
        dt.date.fromisoformat(snap.period.previous_start),
        dt.date.fromisoformat(snap.period.previous_end),
        ctx.language,
    )
    lead = _(
        "Figures of each institution for %(period)s against the same period "
        "of the previous year (%(previous)s)."
    ) % {"period": prose.period_phrase(ctx.start, ctx.end, ctx.language), "previous": previous}
    blocks.append(Paragraph(lead, "lead"))
    if stats.has_unapproved:
        blocks.append(Paragraph(_("Some figures rest on submissions not yet approved."), "note"))
    chart = statistics_chart(ctx, stats.figures)
    if chart:
        blocks.append(chart)
    by_inst: dict = {}
    for fig in stats.figures:
        by_inst.setdefault(fig.institution.id, []).append(fig)
    without_data = []
    for figs in by_inst.values():
        if any(f.has_any() for f in figs):
            blocks += _institution_figures(ctx, figs)
        else:
            without_data.append(ctx.name(figs[0].institution.name))  # said once, below
    if without_data:
        text = _(
            "For %(period)s and %(reference)s, these institutions reported no figures: "
            "%(institutions)s."
        ) % {
            "period": snap.period.label,
            "reference": prose.reference_phrase(ctx.start, ctx.end, ctx.language, "accusative"),
            "institutions": prose.join_names(without_data, ctx.language),
        }
        blocks.append(Paragraph(text, "note"))
    if not stats.figures:
        blocks.append(
            Paragraph(_("No institution of this municipality reports statistics."), "note")
        )
    bd = breakdown_chart(ctx, stats.figures)
    if bd:
        blocks.append(bd)
    blocks += cases(ctx)
    return blocks + ctx.remarks("statistics")


def _institution_figures(ctx: Context, figs: list[Figure]) -> list:
    """An institution's heading, its paragraph and its table."""
    name = ctx.name(figs[0].institution.name)
    text = prose.paragraph(figs, with_institution=False, **ctx.sentence_args())
    blocks: list = [Heading(name, 2), Paragraph(text)]
    if any("partial" in (f.coverage.get("current"), f.coverage.get("previous")) for f in figs):
        note = _(
            "The figures of this institution cover only part of the period (some "
            "months were not reported); see Annex 1."
        )
        blocks.append(Paragraph(note, "note"))
    rows = [row for f in figs for row in figure_rows(f, ctx.suffix)]
    header = [
        pgettext("report", "Figure"),
        ctx.snap.period.label,
        ctx.snap.period.previous_label,
        pgettext("report", "Difference"),
        pgettext("report", "Change"),
    ]
    blocks.append(
        Table(
            name,
            header,
            rows,
            sheet=ctx.short(figs[0].institution),
            numeric=[1, 2, 3, 4],
            formats={3: "signed", 4: "percent"},
            caption=False,
        )
    )
    return blocks


def cases(ctx: Context) -> list:
    """Case management: figures across institutions from the case register."""
    c = ctx.snap.cases
    if c is None:
        return []
    blocks: list = [Heading(pgettext("report", "Case management"), 2)]
    if not c.rows:
        blocks.append(
            Paragraph(_("No cases are recorded in the case register for this period."), "note")
        )
        return blocks
    blocks.append(
        Table(
            pgettext("report", "Case management"),
            [pgettext("report", "Figure"), pgettext("report", "Number")],
            [[r.label, r.printed] for r in c.rows],
            sheet=pgettext("report", "Cases"),
            numeric=[1],
            caption=False,
        )
    )
    return blocks


# --- 5. Action plan -----------------------------------------------------------------------


def plan(ctx: Context) -> list:
    p = ctx.snap.plan
    blocks: list = [Heading(_("5. Implementation of the action plan"))]
    if not p:
        blocks.append(Paragraph(_("Action plans are not available in this system."), "note"))
    elif not p.title:
        blocks.append(Paragraph(_("No action plan covers this period."), "note"))
    else:
        blocks.append(Paragraph(f"{p.title} ({p.start_year}–{p.end_year})", "lead"))
        if p.overall:
            blocks.append(Paragraph(_plan_sentence(p, ctx.language)))
        blocks.append(_objectives_table(ctx, p))
        chart = plan_chart(p)
        if chart:
            blocks.append(chart)
        blocks += _done(p) + _late(p) + _budget(ctx, p)
    return blocks + ctx.remarks("plan")


def _objectives_table(ctx: Context, p: Plan) -> Table:
    rows = []
    objectives = [(o.code, o) for o in p.objectives]
    if p.overall:
        objectives.append((pgettext("report", "Total"), p.overall))
    for code, obj in objectives:
        title = "" if obj is p.overall else obj.title
        rows.append(
            [f"{code} {title}".strip()]
            + [obj.counts.get(s.code, 0) for s in p.statuses]
            + [obj.total, _percent_text(obj.percent, ctx.language)]
        )
    return Table(
        _("Actions by status per objective"),
        [pgettext("report", "Objective")]
        + [s.label for s in p.statuses]
        + [pgettext("report", "Total"), pgettext("report", "Completion rate")],
        rows,
        sheet=pgettext("report", "Plan objectives"),
        numeric=list(range(1, len(p.statuses) + 3)),
    )


def _done(p: Plan) -> list:
    blocks: list = [Heading(pgettext("report", "What was done"), 2)]
    if not p.done:
        blocks.append(Paragraph(_("No progress reports were approved for the period."), "note"))
        return blocks
    header = [
        pgettext("report", "Action"),
        pgettext("report", "Description"),
        pgettext("report", "Period"),
        pgettext("report", "Status"),
        pgettext("report", "Report"),
    ]
    rows = [[d.code, d.description, d.period, d.status, d.narrative or "–"] for d in p.done]
    table = Table(
        pgettext("report", "What was done"),
        header,
        rows,
        sheet=pgettext("report", "Plan done"),
        caption=False,
    )
    return blocks + [table]


def _late(p: Plan) -> list:
    blocks: list = [Heading(pgettext("report", "What is late"), 2)]
    if not p.late:
        blocks.append(Paragraph(_("No action is late."), "note"))
        return blocks
    header = [
        pgettext("report", "Action"),
        pgettext("report", "Description"),
        pgettext("report", "Deadline"),
        pgettext("report", "Status"),
        pgettext("report", "Lead institutions"),
    ]
    rows = [
        [d.code, d.description, d.end_year or "–", d.status, ", ".join(d.institutions) or "–"]
        for d in p.late
    ]
    table = Table(
        pgettext("report", "What is late"),
        header,
        rows,
        sheet=pgettext("report", "Plan late"),
        caption=False,
    )
    return blocks + [table]


def _budget(ctx: Context, p: Plan) -> list:
    blocks: list = [
        Heading(pgettext("report", "Budget planned and spent"), 2),
        Paragraph(_budget_sentence(p, ctx.language)),
    ]
    if not p.budget:
        return blocks
    rows = [[b.year, b.funder, b.planned, b.spent] for b in p.budget]
    rows.append([pgettext("report", "Total"), "", p.planned_total, p.spent_total])
    header = [
        pgettext("report", "Year"),
        pgettext("report", "Source of funding"),
        pgettext("report", "Planned"),
        pgettext("report", "Spent"),
    ]
    blocks.append(
        Table(
            _("Budget planned and spent (%(currency)s)") % {"currency": p.currency},
            header,
            rows,
            sheet=pgettext("report", "Budget"),
            numeric=[2, 3],
        )
    )
    return blocks


# --- 6. Follow-ups, 7. challenges and recommendations ---------------------------------------


def followups(ctx: Context) -> list:
    blocks: list = [Heading(pgettext("report", "6. Follow-up of decisions"))]
    m = ctx.snap.meetings
    if m is None:
        blocks.append(Paragraph(_("Meeting records are not available in this system."), "note"))
        return blocks + ctx.remarks("followups")
    fu = m.follow_ups
    blocks.append(
        Paragraph(prose.followups_sentence(fu.done, fu.open, fu.overdue, language=ctx.language))
    )
    if fu.overdue_list:
        header = [
            pgettext("report", "Institution"),
            pgettext("report", "Task"),
            pgettext("report", "Decision"),
            pgettext("report", "Meeting"),
            pgettext("report", "Due"),
        ]
        rows = [
            [
                ctx.name(o.owner.name),
                o.description,
                o.decision,
                _date(o.meeting_date),
                _date(o.due_date),
            ]
            for o in fu.overdue_list
        ]
        blocks.append(
            Table(
                pgettext("report", "Overdue follow-ups"),
                header,
                rows,
                sheet=pgettext("report", "Follow-ups"),
            )
        )
    return blocks + ctx.remarks("followups")


def challenges(ctx: Context) -> list:
    blocks: list = [
        Heading(pgettext("report", "7. Challenges and recommendations")),
        Heading(pgettext("report", "Challenges"), 2),
    ]
    written = ctx.remarks("challenges")
    raised = ctx.snap.meetings.challenges if ctx.snap.meetings else []
    blocks += written
    if raised:
        blocks.append(Paragraph(_("Challenges raised in the meetings:"), "lead"))
        blocks += [Paragraph("– " + text, "narrative") for text in raised]
    if not written and not raised:
        blocks.append(Paragraph(_("No challenges were recorded."), "note"))
    blocks.append(Heading(pgettext("report", "Recommendations"), 2))
    recommendations = ctx.remarks("recommendations")
    blocks += recommendations or [Paragraph(_("No recommendations were recorded."), "note")]
    return blocks


# --- Annex --------------------------------------------------------------------------------


def _coverage_label(value: str) -> str:
    return {
        "full": pgettext("report", "complete"),
        "partial": pgettext("report", "partial"),
        "none": pgettext("report", "no data"),
    }.get(value, value)


def annex(ctx: Context) -> list:
    snap = ctx.snap
    period, previous = snap.period.label, snap.period.previous_label
    blocks: list = [PageBreak(), Heading(pgettext("report", "Annex: tables"))]
    coverage_rows = [
        [
            ctx.name(c.institution.name),
            ctx.name(c.data_set),
            _coverage_label(c.current),
            _coverage_label(c.previous),
        ]
        for c in snap.statistics.coverage
    ]
    blocks.append(
        Table(
            _("Annex 1. Data coverage per institution"),
            [pgettext("report", "Institution"), pgettext("report", "Data set"), period, previous],
            coverage_rows,
            sheet=pgettext("report", "Coverage"),
        )
    )
    all_rows = [
        [ctx.short(fig.institution)] + row
        for fig in snap.statistics.figures
        for row in figure_rows(fig, ctx.suffix)
    ]
    header = [
        pgettext("report", "Institution"),
        pgettext("report", "Figure"),
        period,
        previous,
        pgettext("report", "Difference"),
        pgettext("report", "Change"),
    ]
    blocks.append(
        Table(
            pgettext("report", "Annex 2. All figures"),
            header,
            all_rows,
            sheet=pgettext("report", "All figures"),
            numeric=[2, 3, 4, 5],
            formats={4: "signed", 5: "percent"},
        )
    )
    if snap.meetings and snap.meetings.meetings:
        blocks.append(
            Table(
                pgettext("report", "Annex 3. Meetings held"),
                [pgettext("report", "Date"), pgettext("report", "Type")],
                [[_date(m.date), m.kind_label] for m in snap.meetings.meetings],
                sheet=pgettext("report", "Meeting list"),
            )
        )
    return blocks


#: The report in its order; each takes the context (the cover also the title).
SECTIONS = (summary, mechanism, meetings, statistics, plan, followups, challenges, annex)


__all__ = ["SECTIONS", "Context", "cover", "display_name", "figure_rows"]
