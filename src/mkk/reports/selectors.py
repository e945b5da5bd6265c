"""Reads of the reports app, always through the access-scoping module.

Who sees which report:

* coordinator of the municipality and administrators: every report, drafts included;
* national coordinator: submitted and published reports of every municipality;
* everyone else of the municipality (the Mayor as viewer, focal points, case workers):
  submitted and published reports of their own municipality;
* anybody, without login: the public version of published reports.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from mkk.accounts import scoping
from mkk.core import periods
from mkk.directory.models import Municipality

from .models import MonitoringReport, ReportFile, ReportStatus

FROZEN = [ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.PUBLISHED]


def reports_for(user, municipality: Municipality) -> QuerySet[MonitoringReport]:
    qs = scoping.scope(
        user,
        MonitoringReport.objects.filter(mechanism__municipality=municipality).select_related(
            "mechanism__municipality"
        ),
    )
    if not scoping.can_see_report_drafts(user, municipality.pk):
        qs = qs.filter(status__in=FROZEN)
    return qs


def report_for(user, pk: int) -> MonitoringReport:
    """One report the user may see (404 otherwise: out of scope, missing, or a draft for
    someone who may not see drafts)."""
    report = scoping.get_for_user(
        user, MonitoringReport.objects.select_related("mechanism__municipality"), pk=pk
    )
    if (
        not scoping.can_see_report_drafts(user, report.mechanism.municipality_id)
        and report.status not in FROZEN
    ):
        raise Http404
    return report


def file_for(report: MonitoringReport, fmt: str, *, public: bool) -> ReportFile | None:
    return report.files.filter(format=fmt, public=public).first()


# --- Public --------------------------------------------------------------------------------


def public_report(slug: str) -> MonitoringReport:
    try:
        return MonitoringReport.objects.select_related("mechanism__municipality").get(
            public_slug=slug, status=ReportStatus.PUBLISHED
        )
    except MonitoringReport.DoesNotExist as exc:
        raise Http404 from exc


def published_reports(municipality: Municipality | None = None) -> QuerySet[MonitoringReport]:
    qs = MonitoringReport.objects.filter(status=ReportStatus.PUBLISHED).select_related(
        "mechanism__municipality"
    )
    if municipality is not None:
        qs = qs.filter(mechanism__municipality=municipality)
    return qs


def published_reports_for(user) -> QuerySet[MonitoringReport]:
    """Published reports of the municipalities the user may read."""
    return scoping.scope(user, published_reports())


# --- Versions -------------------------------------------------------------------------------


def versions_of(report: MonitoringReport) -> list[MonitoringReport]:
    """The chain of versions this report belongs to, oldest first."""
    first, seen = report, {report.pk}
    while first.previous_version_id and first.previous_version_id not in seen:
        first = first.previous_version
        seen.add(first.pk)
    chain, current = [first], first
    while len(chain) < 100:
        nxt = current.next_versions.order_by("pk").first()
        if nxt is None or nxt.pk in {r.pk for r in chain}:
            break
        chain.append(nxt)
        current = nxt
    return chain


def _figure_map(data: dict) -> dict:
    out = {}
    for fig in (data or {}).get("statistics", {}).get("figures", []):
        for key, values in fig["values"].items():
            out[(fig["institution"]["id"], fig["element"]["code"], key)] = (fig, key, values)
    return out


def report_diff(
    old: dict, new: dict, old_narrative: dict, new_narrative: dict, language: str
) -> dict:
    """What changed between two versions: figures (current and previous) and narratives."""
    from mkk.core.languages import current_suffix

    suffix = current_suffix(language)
    a, b = _figure_map(old), _figure_map(new)
    figures = []
    for key in sorted(set(a) | set(b), key=lambda k: (str(k[0]), k[1], k[2])):
        fa, fb = a.get(key), b.get(key)
        ref = fb or fa
        fig, dis, _v = ref
        for field in ("current", "previous"):
            va = fa[2].get(field) if fa else None
            vb = fb[2].get(field) if fb else None
            if va != vb:
                label = fig["labels"].get(dis) or dis
                element = fig["element"]["name"].get(suffix) or fig["element"]["name"]["sq"]
                figures.append(
                    {
                        "institution": fig["institution"]["name"].get(suffix)
                        or fig["institution"]["name"]["sq"],
                        "figure": element if not dis else f"{element} – {label}",
                        "field": field,
                        "old": va,
                        "new": vb,
                    }
                )
    other = []
    for path, label in (
        ("meetings.held", "meetings"),
        ("plan.planned_total", "budget"),
        ("plan.spent_total", "spent"),
    ):
        va, vb = _dig(old, path), _dig(new, path)
        if va != vb:
            other.append({"what": label, "old": va, "new": vb})
    narratives = []
    for key in sorted(set(old_narrative) | set(new_narrative)):
        ta, tb = (old_narrative.get(key) or "").strip(), (new_narrative.get(key) or "").strip()
        if ta != tb:
            narratives.append({"section": key, "old": ta, "new": tb})
    return {"figures": figures, "other": other, "narratives": narratives}


def _dig(data, path):
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


# --- Due reports (dashboard) ----------------------------------------------------------------


def due_periods(today: dt.date | None = None) -> list[tuple[str, dt.date, dt.date]]:
    """The plan asks for a report every 6 months and every year: the half-year and the
    year that ended most recently."""
    today = today or timezone.localdate()
    due = (periods.last_complete(kind, today) for kind in ("half_year", "year"))
    return [(p.period_type, p.start, p.end) for p in due]


def due_reports(municipality: Municipality, today: dt.date | None = None) -> list[dict]:
    rows = []
    for kind, start, end in due_periods(today):
        existing = (
            MonitoringReport.objects.filter(
                mechanism__municipality=municipality, period_start=start, period_end=end
            )
            .order_by("-version")
            .first()
        )
        rows.append({"kind": kind, "start": start, "end": end, "report": existing})
    return rows


# --- The Mayor's one-page summary ------------------------------------------------------------


def key_figures(data: dict) -> list[tuple[str, str]]:
    """The few figures the Mayor reads before approving: (label, value) pairs from the data
    the report states (its snapshot), nothing computed anew."""
    from django.utils.formats import number_format
    from django.utils.translation import gettext as _

    def num(value, decimals=0) -> str:
        return "–" if value is None else number_format(value, decimals, force_grouping=True)

    out: list[tuple[str, str]] = []
    meetings = data.get("meetings") or {}
    if meetings:
        out.append((_("Meetings held"), num(meetings.get("held"))))
        if meetings.get("attendance_rate") is not None:
            rate = meetings["attendance_rate"]
            out.append(
                (_("Attendance at meetings"), f"{num(rate * 100 if rate <= 1 else rate, 1)} %")
            )
        out.append((_("Decisions taken"), num(meetings.get("decisions"))))
        fu = meetings.get("follow_ups") or {}
        if fu:
            out.append(
                (
                    _("Follow-up tasks: open / overdue"),
                    f"{num(fu.get('open'))} / {num(fu.get('overdue'))}",
                )
            )
    statistics = data.get("statistics") or {}
    coverage = statistics.get("coverage") or []
    if coverage:
        every = {c["institution"]["id"] for c in coverage}
        reported = {c["institution"]["id"] for c in coverage if c.get("current") != "none"}
        out.append((_("Institutions that reported figures"), f"{len(reported)} / {len(every)}"))
    plan = data.get("plan") or {}
    overall = plan.get("overall") if plan.get("title") else None
    if overall:
        out.append((_("Actions of the plan"), num(overall.get("total"))))
        if overall.get("percent") is not None:
            out.append((_("Actions completed"), f"{num(overall['percent'], 1)} %"))
        out.append((_("Actions late"), num(len(plan.get("late") or []))))
    if plan.get("title"):
        currency = plan.get("currency", "EUR")
        out.append((_("Budget planned"), f"{num(plan.get('planned_total'))} {currency}"))
        out.append((_("Budget spent"), f"{num(plan.get('spent_total'))} {currency}"))
    cases = data.get("cases") or {}
    for row in cases.get("rows") or []:
        if row["key"] in {"cases", "referrals_sent"}:
            out.append((row["label"], num(row.get("value"))))
    return out
