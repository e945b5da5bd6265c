"""The report's data: one plain, JSON-serialisable snapshot built from the other apps' selectors.

``build_report_data`` calls only the report-facing selectors:

* ``mkk.statistics.comparison.compare_range`` – every figure (none is computed here),
* ``mkk.meetings.selectors.meeting_summary`` – meetings, attendance, activities, follow-ups,
* ``mkk.plans.selectors.plan_implementation`` – the action plan and its budget,
* ``mkk.cases.selectors.case_figures`` – figures across institutions from case management.

Plain imports: a renamed selector fails at import (and in the tests), never drops a section.

The snapshot is what a submitted report freezes; the renderers work from it alone. The
public version (``public=True``) carries no names of persons, no free text from minutes or
case work, and its small numbers are suppressed (``suppression``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mkk.cases.selectors import case_figures
from mkk.core.periods import period_label
from mkk.directory import selectors as directory_selectors
from mkk.directory.i18n import localized
from mkk.directory.models import Municipality
from mkk.meetings.models import MeetingKind
from mkk.meetings.selectors import meeting_summary
from mkk.plans.models import ActionStatus
from mkk.plans.selectors import plan_implementation
from mkk.statistics.comparison import compare_range

from . import prose, suppression

SNAPSHOT_VERSION = 1
BREAKDOWN_KEYS = ["sex=female", "sex=male", "age=adult", "age=child"]


def _names(obj, field: str = "name") -> dict[str, str]:
    return {lang: localized(obj, field, lang) for lang in ("sq", "sr", "en")}


def _num(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _institution(inst) -> dict:
    if inst is None:
        return {"id": None, "kind": "", "name": {"sq": "", "sr": "", "en": ""}, "locative_sq": ""}
    return {
        "id": inst.pk,
        "kind": inst.kind,
        "name": _names(inst),
        "locative_sq": inst.name_sq_locative,
        "abbreviation": inst.abbreviation,
    }


# --- Statistics ---------------------------------------------------------------------------


def _statistics(municipality, start, end, language) -> dict:
    comparison = compare_range(municipality=municipality, start=start, end=end)
    figures: dict[tuple, dict] = {}
    for row in comparison.rows:
        key = (row.institution.pk if row.institution else None, row.element.code)
        fig = figures.get(key)
        if fig is None:
            fig = figures[key] = {
                "institution": _institution(row.institution),
                "element": {"code": row.element.code, "name": _names(row.element)},
                "values": {},
                "labels": {},
                "coverage": {"current": row.current_coverage, "previous": row.previous_coverage},
                "unapproved": row.unapproved,
            }
        fig["values"][row.disaggregation] = {
            "current": row.current,
            "previous": row.previous,
            "difference": row.difference,
            "percent": _num(row.percent),
            "change": row.change,
        }
        fig["labels"][row.disaggregation] = row.label(language)
    coverage = [
        {
            "institution": _institution(c.institution),
            "data_set": _names(c.data_set),
            "current": c.current,
            "previous": c.previous,
            "missing_current": [[a.isoformat(), b.isoformat()] for a, b in c.missing_current],
            "unapproved": c.unapproved,
        }
        for c in comparison.coverage
    ]
    return {
        "figures": list(figures.values()),
        "coverage": coverage,
        "has_unapproved": comparison.has_unapproved,
        "previous_start": comparison.previous_start.isoformat(),
        "previous_end": comparison.previous_end.isoformat(),
    }


def suppress_figure(fig: dict) -> None:
    """Hide small numbers of one institution's element in place (public version)."""
    values, relations, follows, diffs = {}, [], {}, []
    keys = list(fig["values"])
    for key in keys:
        cell = fig["values"][key]
        for field in ("current", "previous", "difference"):
            values[(key, field)] = cell.get(field)
        relations.append(
            suppression.difference_relation(
                (key, "current"), (key, "previous"), (key, "difference")
            )
        )
        follows[(key, "difference")] = [(key, "current"), (key, "previous")]
        diffs.append((key, "difference"))
    for dim in ("sex", "age"):
        parts = [k for k in keys if k.startswith(dim + "=")]
        if parts and "" in keys:
            for field in ("current", "previous", "difference"):
                relations.append(suppression.sum_relation(("", field), [(p, field) for p in parts]))
    status = suppression.suppress(values, relations, follows=follows, not_counts=diffs)
    hidden: dict[str, dict[str, str]] = {}
    for (key, field), state in status.items():
        hidden.setdefault(key, {})[field] = state
    for key, fields in hidden.items():
        fields["percent"] = suppression.COMPLEMENTARY
        cell = fig["values"][key]
        for field in ("current", "previous", "difference", "percent"):
            if field in fields:
                cell[field] = None  # the number itself leaves the public snapshot
        if "difference" in fields:
            cell["change"] = "hidden"
    fig["hidden"] = hidden


# --- Meetings -----------------------------------------------------------------------------


def _meetings(municipality, start, end, public: bool) -> dict | None:
    s = meeting_summary(municipality=municipality, start=start, end=end)
    fu = s.follow_ups
    data = {
        "held": s.meetings_held,
        "by_type": [
            {"kind": k, "label": str(MeetingKind(k).label), "count": n}
            for k, n in s.by_type.items()
        ],
        "attendance": [
            {
                "institution": _institution(a.institution),
                "meetings": a.meetings,
                "present": a.present,
                "excused": a.excused,
                "absent": a.absent,
                "rate": _num(a.rate),
            }
            for a in s.attendance
        ],
        "attendance_rate": _num(s.attendance_rate),
        "decisions": s.decisions_taken,
        "cases_discussed": s.cases_discussed,
        "follow_ups": {
            "total": fu.total,
            "done": fu.done,
            "open": fu.open,
            "overdue": fu.overdue,
            "overdue_list": []
            if public
            else [
                {
                    "owner": _institution(o.owner),
                    "due_date": o.due_date.isoformat(),
                    "description": o.description,
                    "decision": o.decision,
                    "meeting_date": o.meeting_date.isoformat(),
                }
                for o in fu.overdue_list
            ],
        },
        "activities": [
            {
                "kind": a.kind,
                "kind_label": str(a.kind_display),
                "title": a.title,
                "date": a.date.isoformat(),
                "partner": a.partner,
                "participants": a.participants,
            }
            for a in s.activities
        ],
        "challenges": [] if public else list(s.challenges),
        "meetings": [
            {"date": m.date.isoformat(), "kind": m.kind, "kind_label": str(m.get_kind_display())}
            for m in s.meetings
        ],
    }
    if public:
        data["cases_discussed"] = None  # case-level work is not published
    return data


# --- Plan ---------------------------------------------------------------------------------


def _objective(row) -> dict:
    return {
        "code": row.code,
        "title": row.title,
        "counts": dict(row.counts),
        "total": row.total,
        "percent": _num(row.percent),
    }


def _plan(municipality, start, end, public: bool) -> dict | None:
    impl = plan_implementation(municipality=municipality, start=start, end=end)
    if impl.plan is None:
        return {"title": None}
    return {
        "title": impl.plan.title,
        "start_year": impl.plan.start_year,
        "end_year": impl.plan.end_year,
        "statuses": [{"code": s.value, "label": str(s.label)} for s in ActionStatus],
        "objectives": [_objective(r) for r in impl.objectives],
        "specific_objectives": [_objective(r) for r in impl.specific_objectives],
        "overall": _objective(impl.overall) if impl.overall else None,
        "done": [
            {
                "code": d.code,
                "description": d.description,
                "status": d.status_label and str(d.status_label),
                "period": period_label(d.period_start, d.period_end),
                "narrative": "" if public else d.narrative,
                "institutions": list(d.institutions),
            }
            for d in impl.done
        ],
        "late": [
            {
                "code": item.code,
                "description": item.description,
                "end_year": item.end_year,
                "status": str(item.status_label),
                "institutions": list(item.institutions),
            }
            for item in impl.late
        ],
        "budget": [
            {
                "year": b.year,
                "funder": str(b.funder_label),
                "planned": _num(b.planned),
                "spent": _num(b.spent),
            }
            for b in impl.budget
        ],
        "planned_total": _num(impl.planned_total),
        "spent_total": _num(impl.spent_total),
        "currency": "EUR",
    }


# --- Cases (optional) ---------------------------------------------------------------------


def _cases(municipality, start, end, public: bool) -> dict | None:
    """Figures across institutions from case management (``mkk.cases``)."""
    f = case_figures(municipality=municipality, start=start, end=end)
    if not f.cases:
        return {"rows": [], "empty": True}  # the register was not in use: say so, not "0"
    rows = [
        {"key": "cases", "label": _("Cases opened"), "value": f.cases, "count": True},
        {
            "key": "unique_victims",
            "label": _("Victims (counted once across institutions)"),
            "value": f.unique_victims,
            "count": True,
        },
        {
            "key": "multi",
            "label": _("Victims with cases in more than one institution"),
            "value": f.victims_in_more_than_one_institution,
            "count": True,
        },
    ]
    by_inst = []
    for inst, n in f.cases_by_institution:
        by_inst.append(
            {
                "key": f"inst{inst.pk}",
                "label": _("Cases: %(institution)s") % {"institution": inst.name},
                "value": n,
                "count": True,
            }
        )
    rows.extend(by_inst)
    rows.append(
        {
            "key": "referrals_sent",
            "label": _("Referrals sent"),
            "value": f.referrals_sent,
            "count": True,
        }
    )
    rows.append(
        {
            "key": "referrals_in_time",
            "label": _("Referrals answered within the deadline"),
            "value": f.referrals_answered_in_time,
            "count": True,
        }
    )
    share = f.share_answered_in_time
    rows.append(
        {
            "key": "share",
            "label": _("Share answered within the deadline (%)"),
            "value": None if share is None else round(float(share) * (100 if share <= 1 else 1), 1),
            "count": False,
        }
    )
    median = f.median_hours_police_to_social_work
    rows.append(
        {
            "key": "median_hours",
            "label": _("Median hours from the police report to the centre for social work"),
            "value": None if median is None else round(float(median), 1),
            "count": False,
        }
    )
    if public:
        _suppress_cases(rows, by_inst, f)
    return {"rows": rows}


def _suppress_cases(rows: list[dict], by_inst: list[dict], f) -> None:
    """Hide small counts (and the shares and medians resting on them) in place."""
    values = {r["key"]: r["value"] for r in rows if r["count"]}
    relations = []
    if by_inst and sum(r["value"] for r in by_inst) == f.cases:
        relations.append(suppression.sum_relation("cases", [r["key"] for r in by_inst]))
    status = suppression.suppress(values, relations)
    small_base = suppression.is_small(f.referrals_sent) or suppression.is_small(
        len(f.police_to_social_work_hours)
    )
    for r in rows:
        r["hidden"] = status.get(r["key"], "")
        if not r["count"] and (small_base or status):
            r["hidden"] = suppression.COMPLEMENTARY if r["value"] is not None else ""
        if r["hidden"]:
            r["value"] = None


# --- The whole report ---------------------------------------------------------------------


def _coordinator_name(mechanism) -> str:
    if mechanism.coordinator_name:
        return mechanism.coordinator_name
    if mechanism.coordinator_id:
        return mechanism.coordinator.get_full_name() or ""
    return ""


def snapshot_head(start: dt.date, end: dt.date, previous, *, lang: str, public: bool) -> dict:
    """What every snapshot (a municipality's or the national one) starts with: its version,
    language, public or not, the suppression threshold, when it was made, and the period with
    the one it is compared to (``previous``: its first and last day)."""
    return {
        "version": SNAPSHOT_VERSION,
        "language": lang,
        "public": public,
        "threshold": suppression.threshold(),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "period": {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "label": period_label(start, end, lang),
            "phrase": prose.period_phrase(start, end, lang),
            "previous_start": previous[0].isoformat(),
            "previous_end": previous[1].isoformat(),
            "previous_label": period_label(previous[0], previous[1], lang),
        },
    }


def build_report_data(
    *, municipality: Municipality, start: dt.date, end: dt.date, language: str, public: bool
) -> dict:
    """Everything a report states, as plain data (the snapshot frozen on submission)."""
    if end < start:
        raise ValueError("end before start")
    lang = prose.django_language(language)
    with translation.override(lang):
        mechanism = directory_selectors.mechanism_of(municipality)
        members = []
        if mechanism is not None:
            for m in directory_selectors.memberships(mechanism, current_only=False):
                if (m.since and m.since > end) or (m.until and m.until < start):
                    continue
                members.append(
                    {
                        "institution": _institution(m.institution),
                        "role": m.role,
                        "role_label": str(m.get_role_display()),
                        "focal_person": "" if public else m.focal_person,
                        "focal_person_title": "" if public else m.focal_person_title,
                    }
                )
        statistics = _statistics(municipality, start, end, lang)
        if public:
            for fig in statistics["figures"]:
                suppress_figure(fig)
        previous = (
            dt.date.fromisoformat(statistics["previous_start"]),
            dt.date.fromisoformat(statistics["previous_end"]),
        )
        data = {
            **snapshot_head(start, end, previous, lang=lang, public=public),
            "municipality": {
                "code": municipality.code,
                "name": _names(municipality),
                "bilingual": municipality.bilingual_name,
            },
            "mechanism": None
            if mechanism is None
            else {
                "name": _names(mechanism),
                "decision_number": mechanism.decision_number,
                "decision_date": mechanism.decision_date.isoformat()
                if mechanism.decision_date
                else None,
                "coordinator_name": "" if public else _coordinator_name(mechanism),
                "coordinator_title": mechanism.coordinator_title,
            },
            "members": members,
            "meetings": _meetings(municipality, start, end, public),
            "statistics": statistics,
            "plan": _plan(municipality, start, end, public),
            "cases": _cases(municipality, start, end, public),
        }
    return data
