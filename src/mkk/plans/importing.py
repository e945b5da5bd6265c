"""Import a plan document into the database: all or nothing, idempotent, reported cell by cell.

``plan_import`` parses the document (``mkk.plans.parsing``), then creates or updates the
plan, its objectives and actions in one transaction. Actions are matched by normalised
code and occurrence (the second ``II.2.3`` of a document is occurrence 1), so importing
the same document again changes nothing, and an edited version updates the rows in place
(the audit log keeps what changed). A dry run does the same work and rolls it back, which
gives the exact preview of what a confirmed import will do.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mkk.audit.context import acting, current
from mkk.audit.models import AuditAction
from mkk.audit.services import record
from mkk.directory.models import Institution, Mechanism

from . import parsing
from .matching import InstitutionMatcher
from .models import (
    Action,
    ActionFunder,
    ActionInstitution,
    ActionPlan,
    BudgetLine,
    Funder,
    ImportRun,
    InstitutionRole,
    LegalReference,
    MatchMethod,
    Recurrence,
    SpecificObjective,
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


def _funder(value: str | None) -> str:
    return value if value in Funder.values else (Funder.OTHER if value else "")


_SUFFIX = re.compile(r"^(?P<base>.+)-(?P<n>\d+)$")


def _keys(actions) -> list[tuple[str, int]]:
    """(normalised code, occurrence) for each parsed action, in document order."""
    seen: dict[str, int] = {}
    keys = []
    codes = {a.code for a in actions}
    for a in actions:
        code = a.code
        m = _SUFFIX.match(code)
        if m and m["base"] in codes:  # the parser marks the second II.2.3 as II.2.3-2
            code = m["base"]
        n = seen.get(code, 0)
        seen[code] = n + 1
        keys.append((code, n))
    return keys


class _Tally:
    def __init__(self):
        self.data = {
            k: {"created": 0, "updated": 0, "unchanged": 0, "retired": 0, "deleted": 0}
            for k in KINDS
        }

    def add(self, kind: str, what: str, n: int = 1):
        self.data[kind][what] += n


def _apply(obj, values: dict, tally: _Tally, kind: str) -> bool:
    """Set changed fields and save; count created/updated/unchanged."""
    if obj.pk is None:
        for k, v in values.items():
            setattr(obj, k, v)
        obj.full_clean()
        obj.save()
        tally.add(kind, "created")
        return True
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if not changed:
        tally.add(kind, "unchanged")
        return False
    for k in changed:
        setattr(obj, k, values[k])
    obj.full_clean()
    obj.save()
    tally.add(kind, "updated")
    return True


def _sync_children(
    queryset, model, parent_field: str, parent, rows: list[dict], tally, kind, keep=None
):
    """Make the children of ``parent`` equal to ``rows`` (by position), in place."""
    existing = list(queryset.order_by("order", "pk"))
    for i, values in enumerate(rows):
        values = {**values, "order": i}
        if i < len(existing):
            obj = existing[i]
            if keep:
                values = keep(obj, values)
        else:
            obj = model(**{parent_field: parent})
        _apply(obj, values, tally, kind)
    for obj in existing[len(rows) :]:
        obj.delete()
        tally.add(kind, "deleted")


def _keep_manual_link(obj: ActionInstitution, values: dict) -> dict:
    """A link the coordinator chose by hand survives re-imports of the same text."""
    if (
        obj.match_method == MatchMethod.MANUAL
        and obj.text_as_written == values["text_as_written"]
        and obj.role == values["role"]
    ):
        return {**values, "institution": obj.institution, "match_method": MatchMethod.MANUAL}
    return values


# --- the service ----------------------------------------------------------------------------


def parse_upload(name: str, data: bytes):
    """Parse the uploaded bytes or raise PlanImportError with a message for the user."""
    if not name.lower().endswith(ALLOWED_EXTENSIONS):
        raise PlanImportError(
            _("Only .docx documents and .txt exports of the plan can be imported.")
        )
    try:
        return parsing.parse_plan_file(name, data)
    except parsing.PlanParseError as exc:
        raise PlanImportError(exc.message) from exc


def plan_import(
    *, actor, mechanism: Mechanism, name: str, data: bytes, dry_run: bool
) -> ImportResult:
    """Import the plan document ``data`` into ``mechanism``'s plan (see the module doc)."""
    parsed = parse_upload(name, data)
    if not parsed.actions:
        raise PlanImportError(_("The document has no actions: nothing was imported."))
    years = parsed.years_covered or (
        (min(parsed.years), max(parsed.years)) if parsed.years else None
    )
    if years is None:
        raise PlanImportError(_("The document does not say which years the plan covers."))
    sha = hashlib.sha256(data).hexdigest()
    ctx = current()
    if actor is not None and ctx.user is None:
        with acting(user=actor, ip_address=ctx.ip_address, reason=ctx.reason or name):
            return _import(actor, mechanism, name, sha, parsed, years, dry_run)
    return _import(actor, mechanism, name, sha, parsed, years, dry_run)


def _import(actor, mechanism, name, sha, parsed, years, dry_run) -> ImportResult:
    tally = _Tally()
    warnings = [_warning_dict(w) for w in parsed.warnings]
    unlinked: list[dict[str, str]] = []
    matcher = InstitutionMatcher(
        Institution.objects.filter(municipality_id=mechanism.municipality_id, is_active=True)
    )
    try:
        with transaction.atomic():
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
            _apply(
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
                tally,
                "plan",
            )

            # Objectives, matched by code (and repeat index) within the plan.
            so_existing = (
                {(o.code, 0): o for o in plan.strategic_objectives.all()} if existed else {}
            )
            sp_existing: dict[tuple[str, int], SpecificObjective] = {}
            if existed:
                counts: dict[str, int] = {}
                for sp in SpecificObjective.objects.filter(strategic_objective__plan=plan).order_by(
                    "pk"
                ):
                    n = counts.get(sp.code, 0)
                    counts[sp.code] = n + 1
                    sp_existing[(sp.code, n)] = sp
            actions_existing = (
                {(a.code, a.occurrence): a for a in plan.actions.all()} if existed else {}
            )
            kept_sos, kept_sps, kept_actions = set(), set(), set()
            sp_seen: dict[str, int] = {}
            parsed_actions = parsed.actions
            keys = dict(zip(map(id, parsed_actions), _keys(parsed_actions), strict=True))
            summary = {"actions": 0, "with_amounts": 0, "linked": 0, "unlinked": 0}

            for so_order, pso in enumerate(parsed.strategic_objectives):
                so = so_existing.get((pso.code, 0)) or StrategicObjective(plan=plan)
                _apply(
                    so,
                    {
                        "code": pso.code[:20],
                        "code_raw": (pso.code_raw or "")[:40],
                        "title": pso.title or pso.code,
                        "title_raw": pso.title_raw or "",
                        "order": so_order,
                    },
                    tally,
                    "strategic_objectives",
                )
                kept_sos.add(so.pk)
                for sp_order, psp in enumerate(pso.specific_objectives):
                    n = sp_seen.get(psp.code, 0)
                    sp_seen[psp.code] = n + 1
                    sp = sp_existing.get((psp.code, n)) or SpecificObjective()
                    _apply(
                        sp,
                        {
                            "strategic_objective": so,
                            "code": psp.code[:20],
                            "code_raw": (psp.code_raw or "")[:40],
                            "title": psp.title or psp.code,
                            "title_raw": psp.title_raw or "",
                            "order": sp_order,
                        },
                        tally,
                        "specific_objectives",
                    )
                    kept_sps.add(sp.pk)
                    for a_order, pa in enumerate(psp.actions):
                        code, occurrence = keys[id(pa)]
                        action = actions_existing.get((code, occurrence)) or Action(plan=plan)
                        _import_action(
                            action,
                            pa,
                            code,
                            occurrence,
                            sp,
                            a_order,
                            matcher,
                            tally,
                            unlinked,
                            summary,
                        )
                        kept_actions.add(action.pk)

            # What the new version no longer has: actions are retired (their progress stays),
            # empty objectives removed.
            for action in actions_existing.values():
                if (
                    action.pk not in kept_actions
                    and action.source_row is not None
                    and not action.is_retired
                ):
                    action.is_retired = True
                    action.save()
                    tally.add("actions", "retired")
            for sp in sp_existing.values():
                if sp.pk not in kept_sps and not sp.actions.exists():
                    sp.delete()
                    tally.add("specific_objectives", "deleted")
            for so in so_existing.values():
                if so.pk not in kept_sos and not so.specific_objectives.exists():
                    so.delete()
                    tally.add("strategic_objectives", "deleted")

            for u in unlinked:
                warnings.append(
                    {
                        "row": u["row"],
                        "code": u["code"],
                        "column": "institutions",
                        "kind": "institution_unmatched",
                        "message": _("“%(text)s” matches no institution of the directory.")
                        % {"text": u["text"]},
                    }
                )

            budget_by_year = {str(y): str(v) for y, v in sorted(parsed.budget_by_year().items())}
            counts_out = {
                "strategic_objectives": len(parsed.strategic_objectives),
                "specific_objectives": len(parsed.specific_objectives),
                "actions": len(parsed_actions),
                "actions_with_amounts": summary["with_amounts"],
                "budget_by_year": budget_by_year,
                "budget_total": str(sum((Decimal(v) for v in budget_by_year.values()), Decimal(0))),
                "institutions_linked": summary["linked"],
                "institutions_unlinked": summary["unlinked"],
                "actions_without_linked_lead": sum(
                    1
                    for a in plan.actions.filter(is_retired=False)
                    if not a.institution_links.filter(
                        role=InstitutionRole.LEAD, institution__isnull=False
                    ).exists()
                ),
                "cells_nonempty": parsed.source_cells_nonempty,
                "cells_placed": len(parsed.cell_map),
                "warnings": len(warnings),
            }
            placements = [dataclasses.asdict(c) for c in parsed.cell_map]
            changes = tally.data
            run_id = None
            if not dry_run:
                run = ImportRun.objects.create(
                    plan=plan,
                    actor=actor if getattr(actor, "pk", None) else None,
                    file_name=name[:255],
                    file_sha256=sha,
                    counts=counts_out,
                    changes=changes,
                    warnings=warnings,
                    report=placements,
                )
                run_id = run.pk
                record(
                    AuditAction.IMPORT,
                    plan,
                    actor=actor,
                    reason=_("Imported %(name)s (SHA-256 %(sha)s)")
                    % {"name": name, "sha": sha[:12]},
                )
            result = ImportResult(
                dry_run=dry_run,
                file_name=name,
                sha256=sha,
                plan_id=None if dry_run else plan.pk,
                plan_title=plan.title,
                plan_existed=existed,
                counts=counts_out,
                changes=changes,
                warnings=warnings,
                placements=placements,
                unlinked=unlinked,
                import_run_id=run_id,
            )
            if dry_run:
                transaction.set_rollback(True)
    except ValidationError as exc:
        raise PlanImportError(
            _("The document could not be imported, nothing was saved: %(error)s")
            % {"error": "; ".join(exc.messages)}
        ) from exc
    return result


def _import_action(action, pa, code, occurrence, sp, order, matcher, tally, unlinked, summary):
    _apply(
        action,
        {
            "specific_objective": sp,
            "code_raw": (pa.code_raw or "")[:40],
            "code": code[:20],
            "occurrence": occurrence,
            "description": pa.description or "",
            "timeframe_raw": (pa.timeframe_raw or "")[:200],
            "start_year": pa.start_year,
            "end_year": pa.end_year,
            "recurrence": pa.recurrence if pa.recurrence in Recurrence.values else "",
            "funding_raw": pa.funding_raw or "",
            "institutions_raw": pa.institutions_raw or "",
            "outputs": pa.outputs or "",
            "references_raw": pa.references_raw or "",
            "notes": pa.notes or "",
            "order": order,
            "source_row": pa.source_row,
        },
        tally,
        "actions",
    )
    summary["actions"] += 1
    if pa.budget_lines:
        summary["with_amounts"] += 1

    links = []
    for role, texts in (
        (InstitutionRole.LEAD, pa.lead_institutions),
        (InstitutionRole.SUPPORTING, pa.supporting_institutions),
    ):
        for text in texts:
            inst, method = matcher.match(text)
            links.append(
                {
                    "institution": inst,
                    "text_as_written": text[:300],
                    "role": role,
                    "match_method": method,
                }
            )
            if inst is None:
                summary["unlinked"] += 1
                unlinked.append({"code": code, "row": pa.source_row, "text": text, "role": role})
            else:
                summary["linked"] += 1
    # Links the coordinator added by hand for names the document does not write survive.
    written = {(link["text_as_written"], link["role"]) for link in links}
    manual_extra = [
        link.pk
        for link in action.institution_links.filter(match_method=MatchMethod.MANUAL)
        if (link.text_as_written, link.role) not in written
    ]
    _sync_children(
        action.institution_links.exclude(pk__in=manual_extra),
        ActionInstitution,
        "action",
        action,
        links,
        tally,
        "institutions",
        keep=_keep_manual_link,
    )
    _sync_children(
        action.budget_lines.all(),
        BudgetLine,
        "action",
        action,
        [
            {
                "year": b.year,
                "amount": Decimal(b.amount).quantize(Decimal("0.01")),
                "funder": _funder(b.funder),
                "funder_raw": (b.funder_raw or "")[:200],
                "cell_raw": (b.cell_raw or "")[:200],
            }
            for b in pa.budget_lines
        ],
        tally,
        "budget_lines",
    )
    _sync_children(
        action.funders.all(),
        ActionFunder,
        "action",
        action,
        [
            {"funder": _funder(f.kind) or Funder.OTHER, "text_as_written": (f.raw or "")[:300]}
            for f in pa.funders
        ],
        tally,
        "funders",
    )
    _sync_children(
        action.legal_references.all(),
        LegalReference,
        "action",
        action,
        [{"name": ref[:300]} for ref in pa.legal_references],
        tally,
        "legal_references",
    )
