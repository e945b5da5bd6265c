"""Import a plan document into the database: all or nothing, idempotent, reported cell by cell.

``plan_import`` parses the document (``mkk.plans.parsing``), then creates or updates the
plan, its objectives and actions in one transaction. Actions are matched by normalised
code and occurrence (the second ``II.2.3`` of a document is occurrence 1), so importing
the same document again changes nothing, and an edited version updates the rows in place
(the audit log keeps what changed). A dry run computes exactly the same changes and writes
nothing (not one INSERT, UPDATE or DELETE), which gives the exact preview of what a confirmed
import will do.

Speed: the stored plan is read once, every row is compared in memory, validated in batches and
written with ``bulk_create`` / ``bulk_update``; the audit entries each row would have had are
inserted in batches too (same columns, same values). On PostgreSQL new rows and audit rows
are sent with ``COPY``. The number of SQL statements does not grow with the number of actions
beyond one per batch.

Safety: a budget that is not an amount (negative, 'n/a'), an action without a code, a row the
parser cannot place and a column nobody mapped refuse the import whole unless the person
accepts each listed warning; retiring or removing objectives and actions that have progress,
spending or evidence is refused unless each one is confirmed. Actions are never deleted.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Collection
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mkk.audit.context import acting, current
from mkk.audit.models import AuditAction
from mkk.audit.services import record
from mkk.core import versions
from mkk.directory.models import Institution, Mechanism

from . import parsing
from .bulkwrite import Tally, Work
from .import_rows import action_keys, import_action, import_children
from .matching import InstitutionMatcher
from .models import (
    Action,
    ActionFunder,
    ActionInstitution,
    ActionPlan,
    BudgetLine,
    Evidence,
    ImportRun,
    InstitutionRole,
    LegalReference,
    ProgressUpdate,
    SpecificObjective,
    Spending,
    StrategicObjective,
)

ALLOWED_EXTENSIONS = (".docx", ".txt")
KINDS = (
    "plan",
    "strategic_objectives",
    "specific_objectives",
    "actions",
    "institutions",
    "budget_lines",
    "funders",
    "legal_references",
)


class PlanImportError(Exception):
    """The document cannot be imported; ``message`` says why in the user's language."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


@dataclass
class ImportResult:
    dry_run: bool
    file_name: str
    sha256: str
    plan_id: int | None
    plan_title: str
    plan_existed: bool
    counts: dict[str, Any]
    changes: dict[str, dict[str, int]]
    warnings: list[dict[str, Any]]
    placements: list[dict[str, Any]]
    unlinked: list[dict[str, str]] = field(default_factory=list)
    import_run_id: int | None = None
    #: Objectives and actions with history the import would retire or remove.
    removals: list[dict[str, Any]] = field(default_factory=list)
    #: Warnings that refuse the import unless accepted.
    blocking: list[dict[str, Any]] = field(default_factory=list)
    #: Everything that must be accepted or confirmed (``accepted`` says whether it was).
    problems: list[dict[str, Any]] = field(default_factory=list)
    #: Columns whose header names no known field, and the answers given so far.
    unmapped_columns: list[dict[str, Any]] = field(default_factory=list)
    column_map: dict[str, str] = field(default_factory=dict)

    @property
    def open_problems(self) -> list[dict[str, Any]]:
        return [p for p in self.problems if not p.get("accepted")]

    @property
    def changed_anything(self) -> bool:
        return any(
            v.get("created") or v.get("updated") or v.get("retired") or v.get("deleted")
            for v in self.changes.values()
        )

    def placement_summary(self) -> list[tuple[str, int]]:
        """How many cells went to each kind of field ("action.description": 37, ...)."""
        counter: dict[str, int] = {}
        for p in self.placements:
            kind = re.sub(r"\[[^\]]*\]", "", p["target"])
            counter[kind] = counter.get(kind, 0) + 1
        return sorted(counter.items())


# --- helpers ------------------------------------------------------------------------------


def _text(value) -> str:
    try:
        return str(value)
    except Exception:  # noqa: BLE001 - a message that does not format still gets shown
        return ""


def _warning_dict(w) -> dict[str, Any]:
    message = _text(w.message) or w.kind
    return {
        "row": w.row,
        "code": w.code or "",
        "column": w.column or "",
        "kind": w.kind,
        "message": message,
    }


# --- the service ----------------------------------------------------------------------------


class PlanImportRefused(PlanImportError):
    """The import would damage the plan or read rows it cannot place: nothing was saved.

    ``problems`` lists each reason (``row``, ``code``, ``kind``, ``message``, ``key``); the
    preview shows them and the person may accept each listed warning or confirm each listed
    removal, then import again.
    """

    def __init__(self, message, problems: list[dict[str, Any]]):
        super().__init__(message)
        self.problems = problems


def parse_upload(name: str, data: bytes, column_map: dict[str, str] | None = None):
    """Parse the uploaded bytes or raise PlanImportError with a message for the user."""
    if not name.lower().endswith(ALLOWED_EXTENSIONS):
        raise PlanImportError(
            _("Only .docx documents and .txt exports of the plan can be imported.")
        )
    try:
        with parsing.column_mapping(column_map):
            return parsing.parse_plan_file(name, data)
    except parsing.PlanParseError as exc:
        raise PlanImportError(exc.message) from exc


def plan_import(
    *,
    actor,
    mechanism: Mechanism,
    name: str,
    data: bytes,
    dry_run: bool,
    accepted: Collection[str] = (),
    confirm_removals: Collection[str] = (),
    column_map: dict[str, str] | None = None,
) -> ImportResult:
    """Import the plan document ``data`` into ``mechanism``'s plan (see the module doc).

    ``accepted``: keys of blocking warnings the person accepted in the preview (a budget
    that is not an amount, an action without a code, a row that fits nowhere, an unmapped
    column); ``confirm_removals``: keys of objectives and actions with progress, spending or
    evidence the person agreed to retire or remove; ``column_map``: ``{header_key: field}``
    answers to the preview's column questions. Anything not accepted refuses the whole import
    (:class:`PlanImportRefused`); a dry run reports the same and writes nothing.
    """
    with _no_gc_pauses():
        return _plan_import(
            actor, mechanism, name, data, dry_run, accepted, confirm_removals, column_map
        )


@contextmanager
def _no_gc_pauses():
    """The import allocates tens of thousands of short-lived objects; the cyclic garbage
    collector's passes over the whole process then cost more than the import itself. It is
    paused for the import (reference counting still frees everything) and run once after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _plan_import(actor, mechanism, name, data, dry_run, accepted, confirm_removals, column_map):
    parsed = parse_upload(name, data, column_map)
    if not parsed.actions:
        raise PlanImportError(_("The document has no actions: nothing was imported."))
    years = parsed.years_covered or (
        (min(parsed.years), max(parsed.years)) if parsed.years else None
    )
    if years is None:
        raise PlanImportError(_("The document does not say which years the plan covers."))
    sha = hashlib.sha256(data).hexdigest()
    options = (set(accepted), set(confirm_removals), dict(column_map or {}))
    ctx = current()
    if actor is not None and ctx.user is None:
        with acting(user=actor, ip_address=ctx.ip_address, reason=ctx.reason or name):
            return _import(actor, mechanism, name, sha, parsed, years, dry_run, options)
    return _import(actor, mechanism, name, sha, parsed, years, dry_run, options)


def _removal(kind: str, obj, history: dict[int, dict[str, int]], action_ids) -> dict | None:
    """What an objective or action that goes away carries: None when it has no history."""
    totals = {"updates": 0, "spending": 0, "evidence": 0}
    for action_id in action_ids:
        for key, n in history.get(action_id, {}).items():
            totals[key] += n
    if not any(totals.values()):
        return None
    title = getattr(obj, "title", "") or getattr(obj, "description", "")
    return {
        "key": f"{kind}:{obj.pk}",
        "kind": kind,
        "code": obj.code,
        "title": title[:200],
        **totals,
    }


def _history(plan) -> dict[int, dict[str, int]]:
    """Per action id: how many progress updates, spending rows and evidence files it has."""
    out: dict[int, dict[str, int]] = {}
    for model, path, key in (
        (ProgressUpdate, "action_id", "updates"),
        (Spending, "update__action_id", "spending"),
        (Evidence, "update__action_id", "evidence"),
    ):
        rows = (
            model.objects.filter(**{path.replace("_id", "") + "__plan": plan})
            .values(path)
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            out.setdefault(row[path], {"updates": 0, "spending": 0, "evidence": 0})[key] = row["n"]
    return out


def _import(actor, mechanism, name, sha, parsed, years, dry_run, options) -> ImportResult:
    accepted, confirmed, column_map = options
    tally = Tally(KINDS)
    warnings = []
    for w in parsed.warnings:
        entry = _warning_dict(w)
        entry["blocking"] = w.blocking
        entry["key"] = w.key
        warnings.append(entry)
    unlinked: list[dict[str, str]] = []
    matcher = InstitutionMatcher(
        Institution.objects.filter(municipality_id=mechanism.municipality_id, is_active=True)
    )
    try:
        with transaction.atomic():
            result = _write(
                actor,
                mechanism,
                name,
                sha,
                parsed,
                years,
                dry_run,
                tally,
                warnings,
                unlinked,
                matcher,
            )
            if not dry_run:  # bulk rows send no save signals: the cached plan pages renew here
                versions.bump(mechanism.municipality_id)
            blocking = [w for w in warnings if w["blocking"]]
            result.blocking = blocking
            result.column_map = column_map
            result.unmapped_columns = list(parsed.unmapped_columns)
            problems = [{**w, "accepted": w["key"] in accepted} for w in blocking] + [
                {
                    "row": None,
                    "code": r["code"],
                    "column": "",
                    "kind": "removal",
                    "key": r["key"],
                    "message": _removal_message(r),
                    "accepted": r["key"] in confirmed,
                }
                for r in result.removals
            ]
            result.problems = problems
            open_problems = [p for p in problems if not p["accepted"]]
            if open_problems and not dry_run:
                raise PlanImportRefused(
                    ngettext(
                        "The import was refused, nothing was saved: %(n)d problem must be "
                        "accepted in the preview first.",
                        "The import was refused, nothing was saved: %(n)d problems must be "
                        "accepted in the preview first.",
                        len(open_problems),
                    )
                    % {"n": len(open_problems)},
                    open_problems,
                )
            if dry_run:
                transaction.set_rollback(True)
    except ValidationError as exc:
        raise PlanImportError(
            _("The document could not be imported, nothing was saved: %(error)s")
            % {"error": "; ".join(exc.messages)}
        ) from exc
    except IntegrityError as exc:
        raise PlanImportError(
            _("The document could not be imported, nothing was saved: %(error)s")
            % {"error": _("it conflicts with the plan as saved; please try again.")}
        ) from exc
    return result


def _removal_message(r: dict) -> str:
    what = {
        "action": _("Action %(code)s will be retired"),
        "specific_objective": _("Specific objective %(code)s will be removed"),
        "strategic_objective": _("Strategic objective %(code)s will be removed"),
    }[r["kind"]] % {"code": r["code"]}
    return _(
        "%(what)s although it has %(updates)d progress updates, %(spending)d spending rows and "
        "%(evidence)d evidence files (they are kept)."
    ) % {"what": what, **{k: r[k] for k in ("updates", "spending", "evidence")}}


def _write(
    actor, mechanism, name, sha, parsed, years, dry_run, tally, warnings, unlinked, matcher
) -> ImportResult:
    work = Work(tally, dry_run=dry_run, municipality_id=mechanism.municipality_id)
    plan, existed = _write_plan(work, mechanism, name, sha, parsed, years)
    stored = _Stored.read(plan) if existed else _Stored()
    summary = {"actions": 0, "with_amounts": 0, "linked": 0, "unlinked": 0}
    so_rows = _write_strategic(work, plan, parsed, stored)
    sp_rows = _write_specific(work, so_rows, stored)
    action_rows = _write_actions(work, plan, parsed, sp_rows, stored, summary)
    # Their institutions, budget lines, funders and references.
    final_links = [
        import_children(action, pa, code, matcher, work, unlinked, summary, stored.children)
        for pa, action, code in action_rows
    ]
    work.flush(ActionInstitution, BudgetLine, ActionFunder, LegalReference)
    removals = _retire_missing(work, stored, so_rows, sp_rows, action_rows)
    warnings.extend(_unlinked_warning(u) for u in unlinked)
    counts = _counts(parsed, summary, warnings, stored, action_rows, final_links)
    placements = [
        {"row": c.row, "column": c.column, "text": c.text, "target": c.target}
        for c in parsed.cell_map
    ]
    run_id = None
    if not dry_run:
        run_id = _record_run(actor, plan, name, sha, counts, tally.data, warnings, placements)
    return ImportResult(
        dry_run=dry_run,
        file_name=name,
        sha256=sha,
        plan_id=None if dry_run else plan.pk,
        plan_title=plan.title,
        plan_existed=existed,
        counts=counts,
        changes=tally.data,
        warnings=warnings,
        placements=placements,
        unlinked=unlinked,
        import_run_id=run_id,
        removals=removals,
    )


def _write_plan(work, mechanism, name, sha, parsed, years) -> tuple[ActionPlan, bool]:
    """The plan of these years (locked for the import), created or updated."""
    plan = (
        ActionPlan.objects.select_for_update()
        .filter(mechanism=mechanism, start_year=years[0], end_year=years[1])
        .exclude(status="archived")
        .order_by("pk")
        .first()
    )
    existed = plan is not None
    plan = plan or ActionPlan(mechanism=mechanism)
    title = (parsed.title or _("Local action plan"))[:300]
    work.apply(
        plan,
        {
            "title": plan.title if existed and plan.title else title,
            "start_year": years[0],
            "end_year": years[1],
            "source_name": name[:255],
            "source_sha256": sha,
            "preamble": parsed.preamble or "",
            "postamble": parsed.postamble or "",
            "glossary": [list(pair) for pair in parsed.glossary],
            "contacts": list(parsed.contacts),
            "goals": list(parsed.goals),
            "notes": parsed.notes or "",
            "header_cells": list(parsed.header_cells),
        },
        "plan",
    )
    work.flush(ActionPlan)
    return plan, existed


@dataclass
class _Stored:
    """What is stored of the plan, read once (a few queries, not one per row)."""

    so_list: list[StrategicObjective] = field(default_factory=list)
    sp_list: list[SpecificObjective] = field(default_factory=list)
    actions_list: list[Action] = field(default_factory=list)
    #: ``links``, ``budget``, ``funders``, ``refs``: action id -> its rows, in order.
    children: dict[str, dict[int, list]] = field(
        default_factory=lambda: {k: {} for k in ("links", "budget", "funders", "refs")}
    )
    history: dict[int, dict[str, int]] = field(default_factory=dict)
    #: Specific objective id -> ids of its actions as stored (before this import moves any).
    actions_of: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def read(cls, plan: ActionPlan) -> _Stored:
        stored = cls(
            so_list=list(plan.strategic_objectives.order_by("pk")),
            sp_list=list(
                SpecificObjective.objects.filter(strategic_objective__plan=plan).order_by("pk")
            ),
            actions_list=list(plan.actions.order_by("pk")),
            history=_history(plan),
        )
        for key, queryset in (
            ("links", ActionInstitution.objects.select_related("institution")),
            ("budget", BudgetLine.objects.all()),
            ("funders", ActionFunder.objects.all()),
            ("refs", LegalReference.objects.all()),
        ):
            for child in queryset.filter(action__plan=plan).order_by("action_id", "order", "pk"):
                stored.children[key].setdefault(child.action_id, []).append(child)
        for a in stored.actions_list:
            stored.actions_of.setdefault(a.specific_objective_id, []).append(a.pk)
        return stored

    def specific_by_key(self) -> dict[tuple[str, int], SpecificObjective]:
        """(code, occurrence) -> specific objective (a code may be written twice)."""
        seen: dict[str, int] = {}
        out = {}
        for sp in self.sp_list:
            n = seen.get(sp.code, 0)
            seen[sp.code] = n + 1
            out[(sp.code, n)] = sp
        return out


def _write_strategic(work, plan, parsed, stored: _Stored) -> list[tuple]:
    existing = {o.code: o for o in stored.so_list}
    so_rows = []
    for so_order, pso in enumerate(parsed.strategic_objectives):
        so = existing.get(pso.code) or StrategicObjective(plan=plan)
        work.apply(
            so,
            {
                "code": pso.code[:20],
                "code_raw": (pso.code_raw or "")[:40],
                "title": pso.title or pso.code,
                "title_raw": pso.title_raw or "",
                "order": so_order,
            },
            "strategic_objectives",
            pso.code,
        )
        so_rows.append((pso, so))
    work.flush(StrategicObjective)
    return so_rows


def _write_specific(work, so_rows, stored: _Stored) -> list[tuple]:
    existing = stored.specific_by_key()
    seen: dict[str, int] = {}
    sp_rows = []
    for pso, so in so_rows:
        for sp_order, psp in enumerate(pso.specific_objectives):
            n = seen.get(psp.code, 0)
            seen[psp.code] = n + 1
            sp = existing.get((psp.code, n)) or SpecificObjective(strategic_objective=so)
            work.apply(
                sp,
                {
                    "strategic_objective_id": so.pk,
                    "code": psp.code[:20],
                    "code_raw": (psp.code_raw or "")[:40],
                    "title": psp.title or psp.code,
                    "title_raw": psp.title_raw or "",
                    "order": sp_order,
                },
                "specific_objectives",
                psp.code,
            )
            sp.strategic_objective = so
            sp_rows.append((psp, sp))
    work.flush(SpecificObjective)
    return sp_rows


def _write_actions(work, plan, parsed, sp_rows, stored: _Stored, summary) -> list[tuple]:
    existing = {(a.code, a.occurrence): a for a in stored.actions_list}
    parsed_actions = parsed.actions
    keys = dict(zip(map(id, parsed_actions), action_keys(parsed_actions), strict=True))
    action_rows = []
    for psp, sp in sp_rows:
        for a_order, pa in enumerate(psp.actions):
            code, occurrence = keys[id(pa)]
            action = existing.get((code, occurrence)) or Action(plan=plan)
            import_action(action, pa, code, occurrence, sp, a_order, work, summary)
            action_rows.append((pa, action, code))
    work.flush(Action)
    return action_rows


def _retire_missing(work, stored: _Stored, so_rows, sp_rows, action_rows) -> list[dict]:
    """What the new version no longer has: actions are retired (never deleted, their progress
    stays), objectives left without any action removed. Those with history are listed."""
    kept_actions = {id(a) for _pa, a, _c in action_rows}
    kept_sps = {id(sp) for _psp, sp in sp_rows}
    kept_sos = {id(so) for _pso, so in so_rows}
    history, actions_of = stored.history, stored.actions_of
    removals: list[dict | None] = []
    for action in stored.actions_list:
        if id(action) in kept_actions or action.source_row is None or action.is_retired:
            continue
        work.retire(action, "actions")
        removals.append(_removal("action", action, history, [action.pk]))
    still_there = {a.specific_objective_id for _pa, a, _c in action_rows}
    still_there |= {
        a.specific_objective_id for a in stored.actions_list if id(a) not in kept_actions
    }
    removed_sps = set()
    for sp in stored.sp_list:
        if id(sp) not in kept_sps and sp.pk not in still_there:
            work.delete(sp, "specific_objectives")
            removed_sps.add(sp.pk)
            removals.append(_removal("specific_objective", sp, history, actions_of.get(sp.pk, [])))
    sos_with_sp = {sp.strategic_objective_id for sp in stored.sp_list if sp.pk not in removed_sps}
    sos_with_sp |= {sp.strategic_objective_id for _psp, sp in sp_rows}
    for so in stored.so_list:
        if id(so) not in kept_sos and so.pk not in sos_with_sp:
            work.delete(so, "strategic_objectives")
            its_actions = [
                a
                for sp in stored.sp_list
                if sp.strategic_objective_id == so.pk
                for a in actions_of.get(sp.pk, [])
            ]
            removals.append(_removal("strategic_objective", so, history, its_actions))
    work.flush(Action, SpecificObjective, StrategicObjective)
    return [r for r in removals if r]


def _unlinked_warning(u: dict) -> dict:
    return {
        "row": u["row"],
        "code": u["code"],
        "column": "institutions",
        "kind": "institution_unmatched",
        "message": _("“%(text)s” matches no institution of the directory.") % {"text": u["text"]},
        "blocking": False,
        "key": f"institution_unmatched:{u['row']}:{u['role']}:{u['text'][:40]}",
    }


def _counts(parsed, summary, warnings, stored: _Stored, action_rows, final_links) -> dict:
    kept_actions = {id(a) for _pa, a, _c in action_rows}
    # Hand-added actions still count for the lead institution figure.
    hand_added = [a for a in stored.actions_list if id(a) not in kept_actions and not a.is_retired]
    without_lead = sum(
        1
        for links in [*final_links, *(stored.children["links"].get(a.pk, []) for a in hand_added)]
        if not any(
            link.role == InstitutionRole.LEAD and link.institution_id is not None for link in links
        )
    )
    budget_by_year = {str(y): str(v) for y, v in sorted(parsed.budget_by_year().items())}
    return {
        "strategic_objectives": len(parsed.strategic_objectives),
        "specific_objectives": len(parsed.specific_objectives),
        "actions": len(parsed.actions),
        "actions_with_amounts": summary["with_amounts"],
        "budget_by_year": budget_by_year,
        "budget_total": str(sum((Decimal(v) for v in budget_by_year.values()), Decimal(0))),
        "institutions_linked": summary["linked"],
        "institutions_unlinked": summary["unlinked"],
        "actions_without_linked_lead": without_lead,
        "cells_nonempty": parsed.source_cells_nonempty,
        "cells_placed": len(parsed.cell_map),
        "warnings": len(warnings),
    }


def _record_run(actor, plan, name, sha, counts, changes, warnings, placements) -> int:
    run = ImportRun.objects.create(
        plan=plan,
        actor=actor if getattr(actor, "pk", None) else None,
        file_name=name[:255],
        file_sha256=sha,
        counts=counts,
        changes=changes,
        warnings=warnings,
        report=placements,
    )
    record(
        AuditAction.IMPORT,
        plan,
        actor=actor,
        reason=_("Imported %(name)s (SHA-256 %(sha)s)") % {"name": name, "sha": sha[:12]},
    )
    return run.pk
