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
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, models, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from mkk.audit.context import acting, current
from mkk.audit.models import AuditAction, AuditEntry
from mkk.audit.services import diff, record, snapshot
from mkk.core import versions
from mkk.directory.models import Institution, Mechanism

from . import parsing
from .matching import InstitutionMatcher
from .models import (
    Action,
    ActionFunder,
    ActionInstitution,
    ActionPlan,
    BudgetLine,
    Evidence,
    Funder,
    ImportRun,
    InstitutionRole,
    LegalReference,
    MatchMethod,
    ProgressUpdate,
    Recurrence,
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


_FUNDERS = frozenset(Funder.values)
_RECURRENCES = frozenset(Recurrence.values)


def _funder(value: str | None) -> str:
    return value if value in _FUNDERS else (Funder.OTHER if value else "")


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


class _Work:
    """The writes of one import, collected in memory and done in bulk.

    Objects are compared field by field with what is stored; new and changed ones are
    validated together (field validation only: no query per row), then written with
    ``bulk_create`` / ``bulk_update`` and logged in the audit log with one insert per batch,
    exactly as the per-row signals would have logged them. A dry run collects the same work
    and writes none of it.
    """

    def __init__(self, tally: _Tally, *, dry_run: bool, municipality_id: int | None):
        self.tally = tally
        self.dry_run = dry_run
        self.municipality_id = municipality_id
        self.new: dict[type, list] = {}
        self.changed: dict[type, list[tuple[Any, dict, list[str]]]] = {}
        self.deleted: dict[type, list] = {}
        self.errors: list[str] = []

    def apply(self, obj, values: dict, kind: str, where: str = "") -> bool:
        """Set changed fields; count created/updated/unchanged. FKs are given as ``*_id``."""
        model = type(obj)
        if obj.pk is None:
            for k, v in values.items():
                setattr(obj, k, v)
            self._check(obj, where)
            self.new.setdefault(model, []).append(obj)
            self.tally.add(kind, "created")
            return True
        changed = [k for k, v in values.items() if getattr(obj, k) != v]
        if not changed:
            self.tally.add(kind, "unchanged")
            return False
        before = snapshot(obj)
        for k in changed:
            setattr(obj, k, values[k])
        self._check(obj, where)
        self.changed.setdefault(model, []).append((obj, before, changed))
        self.tally.add(kind, "updated")
        return True

    def retire(self, obj, kind: str) -> None:
        before = snapshot(obj)
        obj.is_retired = True
        self.changed.setdefault(type(obj), []).append((obj, before, ["is_retired"]))
        self.tally.add(kind, "retired")

    def delete(self, obj, kind: str) -> None:
        self.deleted.setdefault(type(obj), []).append(obj)
        self.tally.add(kind, "deleted")

    def _check(self, obj, where: str) -> None:
        try:
            _clean_fields(obj)
            start, end = getattr(obj, "start_year", None), getattr(obj, "end_year", None)
            if start is not None and end is not None and end < start:
                raise ValidationError(_("The last year is before the first year."))
        except ValidationError as exc:
            self.errors.append(f"{where}: {'; '.join(exc.messages)}" if where else exc.messages)

    def raise_errors(self) -> None:
        if self.errors:
            raise ValidationError([str(e) for e in self.errors[:20]])

    def flush(self, *models) -> None:
        """Write the collected work of ``models`` (parents before children)."""
        self.raise_errors()
        if self.dry_run:
            return
        entries: list[tuple] = []
        for model in models:
            new = self.new.pop(model, [])
            if new:
                _bulk_create(model, new)
                entries += [self._entry(AuditAction.CREATE, o, None, snapshot(o)) for o in new]
            changed = self.changed.pop(model, [])
            if changed:
                fields = sorted({f for _o, _b, names in changed for f in names})
                fields = [model._meta.get_field(f).name for f in fields]
                model.objects.bulk_update([o for o, _b, _n in changed], fields, batch_size=500)
                entries += [
                    self._entry(AuditAction.UPDATE, o, b, snapshot(o)) for o, b, _n in changed
                ]
            deleted = self.deleted.pop(model, [])
            if deleted:  # rare; the audit signals log each deletion with its values
                model.objects.filter(pk__in=[o.pk for o in deleted]).delete()
        _insert_audit([e for e in entries if e is not None])

    def _entry(self, action, obj, before, after) -> tuple | None:
        changes = diff(type(obj), before, after)
        if action == AuditAction.UPDATE and not changes:
            return None
        ctx = current()
        user = ctx.user if getattr(ctx.user, "is_authenticated", False) else None
        return (
            getattr(user, "pk", None),
            getattr(user, "username", "") if user else "",
            ctx.ip_address,
            action,
            obj._meta.label_lower,
            str(obj.pk),
            _repr(obj)[:250],
            self.municipality_id,
            changes,  # built from snapshots: plain values already
            ctx.reason or "",
        )


@lru_cache(maxsize=32)
def _validated(model) -> tuple[models.Field, ...]:
    """The fields validated like a form would (range, digits, allowed values): numbers,
    amounts and choices. Not validated: the values the import builds so that they are always
    valid: relations (set from saved rows), texts cut to their maximum length, JSON."""
    return tuple(
        f
        for f in model._meta.concrete_fields
        if not (
            f.primary_key
            or f.generated
            or f.is_relation
            or (isinstance(f, models.CharField | models.TextField) and not f.choices)
            or isinstance(f, models.JSONField)
        )
    )


def _clean_fields(obj) -> None:
    """``Model.clean_fields`` over :func:`_validated` only (the same rules and messages,
    without walking every field of every row)."""
    errors = {}
    for f in _validated(type(obj)):
        raw = getattr(obj, f.attname)
        if f.blank and raw in f.empty_values:
            continue
        try:
            setattr(obj, f.attname, f.clean(raw, obj))
        except ValidationError as exc:
            errors[f.name] = exc.error_list
    if errors:
        raise ValidationError(errors)


def _bulk_create(model, objs: list) -> None:
    """``bulk_create`` (primary keys set on the objects, no signals: the audit rows are
    written by ``flush``). On PostgreSQL the keys are drawn from the table's sequence in one
    query and the rows sent with one ``COPY``, several times cheaper than INSERT statements."""
    connection = connections[model.objects.db]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=500)
        return
    meta = model._meta
    quote = connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if not f.generated]
    plain = [_plain_value(f) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        columns = ", ".join(quote(f.column) for f in fields)
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj, pk in zip(objs, ids, strict=True):
                obj.pk = pk
                row = []
                for f, is_plain in zip(fields, plain, strict=True):
                    value = f.pre_save(obj, True)
                    if not (is_plain and (value is None or type(value) in (str, int, bool))):
                        value = f.get_db_prep_save(value, connection)
                    row.append(value)
                copy.write_row(row)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


@lru_cache(maxsize=32)
def _plain_value(field) -> bool:
    """Whether a str, int or bool value of ``field`` goes to the database as it is."""
    return isinstance(
        field,
        models.CharField | models.TextField | models.IntegerField | models.BooleanField,
    ) and not isinstance(field, models.JSONField)


_AUDIT_COLUMNS = (
    "actor",
    "actor_username",
    "ip_address",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "municipality",
    "changes",
    "reason",
)


def _insert_audit(rows: list[tuple]) -> None:
    """Insert audit entries in batches with one prepared statement (what ``record`` would
    insert row by row: the same columns, the same values)."""
    if not rows:
        return
    connection = connections[AuditEntry.objects.db]
    meta = AuditEntry._meta
    fields = [meta.get_field(name) for name in _AUDIT_COLUMNS]
    stamp_field = meta.get_field("timestamp")
    stamp = stamp_field.get_db_prep_save(timezone.now(), connection)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in [stamp_field, *fields])
    marks = ", ".join(["%s"] * (len(fields) + 1))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the model
    changes_field = meta.get_field("changes")
    params = []
    for row in rows:
        values = list(row)
        values[8] = changes_field.get_db_prep_save(values[8], connection)
        params.append([stamp, *values])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: one statement for all rows, several times faster than batched INSERTs
            copy_sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in params:
                    copy.write_row(row)
            return
        for start in range(0, len(params), 1000):
            cursor.executemany(sql, params[start : start + 1000])


@lru_cache(maxsize=64)
def _choice_label(model, field_name: str, value: str, language: str | None) -> str:
    return str(dict(model._meta.get_field(field_name).flatchoices).get(value, value))


def _repr(obj) -> str:
    """``str(obj)`` without a query or a translation lookup per row."""
    if isinstance(obj, ActionInstitution):
        who = obj.institution if obj.institution_id else None
        role = _choice_label(ActionInstitution, "role", obj.role, get_language())
        return f"{role}: {who or obj.text_as_written}"
    if isinstance(obj, ActionFunder):
        return _choice_label(ActionFunder, "funder", obj.funder, get_language())
    return str(obj)


def _sync_children(existing, model, parent_field: str, parent, rows, work, kind, keep=None):
    """Make the children of ``parent`` equal to ``rows`` (by position), in place."""
    kept = []
    for i, values in enumerate(rows):
        values = {**values, "order": i}
        if i < len(existing):
            obj = existing[i]
            if keep:
                values = keep(obj, values)
        else:
            obj = model(**{parent_field: parent})
        work.apply(obj, values, kind, parent.code)
        kept.append(obj)
    for obj in existing[len(rows) :]:
        work.delete(obj, kind)
    return kept


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
    tally = _Tally()
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
            # Bulk rows send no save signals: the cached plan pages are renewed here.
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
    work = _Work(tally, dry_run=dry_run, municipality_id=mechanism.municipality_id)
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

    # What is stored, read once.
    so_list = list(plan.strategic_objectives.order_by("pk")) if existed else []
    so_existing = {(o.code, 0): o for o in so_list}
    sp_existing: dict[tuple[str, int], SpecificObjective] = {}
    sp_list: list[SpecificObjective] = []
    actions_list: list[Action] = []
    children: dict[str, dict[int, list]] = {k: {} for k in ("links", "budget", "funders", "refs")}
    history: dict[int, dict[str, int]] = {}
    if existed:
        counts: dict[str, int] = {}
        sp_list = list(
            SpecificObjective.objects.filter(strategic_objective__plan=plan).order_by("pk")
        )
        for sp in sp_list:
            n = counts.get(sp.code, 0)
            counts[sp.code] = n + 1
            sp_existing[(sp.code, n)] = sp
        actions_list = list(plan.actions.order_by("pk"))
        for key, queryset in (
            ("links", ActionInstitution.objects.select_related("institution")),
            ("budget", BudgetLine.objects.all()),
            ("funders", ActionFunder.objects.all()),
            ("refs", LegalReference.objects.all()),
        ):
            for child in queryset.filter(action__plan=plan).order_by("action_id", "order", "pk"):
                children[key].setdefault(child.action_id, []).append(child)
        history = _history(plan)
    actions_existing = {(a.code, a.occurrence): a for a in actions_list}
    sp_actions_before: dict[int, list[int]] = {}
    for a in actions_list:
        sp_actions_before.setdefault(a.specific_objective_id, []).append(a.pk)

    parsed_actions = parsed.actions
    keys = dict(zip(map(id, parsed_actions), _keys(parsed_actions), strict=True))
    summary = {"actions": 0, "with_amounts": 0, "linked": 0, "unlinked": 0}

    # Strategic objectives.
    so_rows = []
    for so_order, pso in enumerate(parsed.strategic_objectives):
        so = so_existing.get((pso.code, 0)) or StrategicObjective(plan=plan)
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

    # Specific objectives.
    sp_seen: dict[str, int] = {}
    sp_rows = []
    for pso, so in so_rows:
        for sp_order, psp in enumerate(pso.specific_objectives):
            n = sp_seen.get(psp.code, 0)
            sp_seen[psp.code] = n + 1
            sp = sp_existing.get((psp.code, n)) or SpecificObjective(strategic_objective=so)
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

    # Actions.
    action_rows = []
    for psp, sp in sp_rows:
        for a_order, pa in enumerate(psp.actions):
            code, occurrence = keys[id(pa)]
            action = actions_existing.get((code, occurrence)) or Action(plan=plan)
            _import_action(action, pa, code, occurrence, sp, a_order, work, summary)
            action_rows.append((pa, action, code))
    work.flush(Action)

    # Their institutions, budget lines, funders and references.
    final_links: dict[int, list] = {}
    for pa, action, code in action_rows:
        final_links[id(action)] = _import_children(
            action, pa, code, matcher, work, unlinked, summary, children
        )
    work.flush(ActionInstitution, BudgetLine, ActionFunder, LegalReference)

    # What the new version no longer has: actions are retired (never deleted, their progress
    # stays), objectives left without any action removed. Those with history are listed.
    kept_actions = {id(a) for _pa, a, _c in action_rows}
    kept_sps = {id(sp) for _psp, sp in sp_rows}
    kept_sos = {id(so) for _pso, so in so_rows}
    removals: list[dict] = []
    for action in actions_list:
        if (
            id(action) not in kept_actions
            and action.source_row is not None
            and not action.is_retired
        ):
            work.retire(action, "actions")
            removal = _removal("action", action, history, [action.pk])
            if removal:
                removals.append(removal)
    still_there = {}
    for _pa, a, _c in action_rows:
        still_there[a.specific_objective_id] = True
    for action in actions_list:
        if id(action) not in kept_actions:
            still_there[action.specific_objective_id] = True
    removed_sps = set()
    for sp in sp_list:
        if id(sp) not in kept_sps and not still_there.get(sp.pk):
            work.delete(sp, "specific_objectives")
            removed_sps.add(sp.pk)
            removal = _removal("specific_objective", sp, history, sp_actions_before.get(sp.pk, []))
            if removal:
                removals.append(removal)
    sos_with_sp = {sp.strategic_objective_id for sp in sp_list if sp.pk not in removed_sps}
    sos_with_sp |= {sp.strategic_objective_id for _psp, sp in sp_rows}
    for so in so_list:
        if id(so) not in kept_sos and so.pk not in sos_with_sp:
            work.delete(so, "strategic_objectives")
            removal = _removal(
                "strategic_objective",
                so,
                history,
                [
                    a
                    for sp in sp_list
                    if sp.strategic_objective_id == so.pk
                    for a in sp_actions_before.get(sp.pk, [])
                ],
            )
            if removal:
                removals.append(removal)
    work.flush(Action, SpecificObjective, StrategicObjective)

    for u in unlinked:
        warnings.append(
            {
                "row": u["row"],
                "code": u["code"],
                "column": "institutions",
                "kind": "institution_unmatched",
                "message": _("“%(text)s” matches no institution of the directory.")
                % {"text": u["text"]},
                "blocking": False,
                "key": f"institution_unmatched:{u['row']}:{u['role']}:{u['text'][:40]}",
            }
        )

    # Hand-added actions still count for the lead institution figure.
    hand_added = [a for a in actions_list if id(a) not in kept_actions and not a.is_retired]
    without_lead = sum(
        1
        for links in [
            *final_links.values(),
            *(children["links"].get(a.pk, []) for a in hand_added),
        ]
        if not any(
            link.role == InstitutionRole.LEAD and link.institution_id is not None for link in links
        )
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
        "actions_without_linked_lead": without_lead,
        "cells_nonempty": parsed.source_cells_nonempty,
        "cells_placed": len(parsed.cell_map),
        "warnings": len(warnings),
    }
    placements = [
        {"row": c.row, "column": c.column, "text": c.text, "target": c.target}
        for c in parsed.cell_map
    ]
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
            reason=_("Imported %(name)s (SHA-256 %(sha)s)") % {"name": name, "sha": sha[:12]},
        )
    return ImportResult(
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
        removals=removals,
    )


def _import_action(action, pa, code, occurrence, sp, order, work, summary):
    work.apply(
        action,
        {
            "specific_objective_id": sp.pk,
            "code_raw": (pa.code_raw or "")[:40],
            "code": code[:20],
            "occurrence": occurrence,
            "description": pa.description or "",
            "timeframe_raw": (pa.timeframe_raw or "")[:200],
            "start_year": pa.start_year,
            "end_year": pa.end_year,
            "recurrence": pa.recurrence if pa.recurrence in _RECURRENCES else "",
            "funding_raw": pa.funding_raw or "",
            "institutions_raw": pa.institutions_raw or "",
            "outputs": pa.outputs or "",
            "references_raw": pa.references_raw or "",
            "notes": pa.notes or "",
            "order": order,
            "source_row": pa.source_row,
        },
        "actions",
        _row_label(pa, code),
    )
    if action.pk is None or action.specific_objective_id is None:
        action.specific_objective = sp
    summary["actions"] += 1
    if pa.budget_lines:
        summary["with_amounts"] += 1


def _row_label(pa, code: str) -> str:
    return _("row %(row)s, action %(code)s") % {"row": pa.source_row + 1, "code": code}


def _import_children(action, pa, code, matcher, work, unlinked, summary, children) -> list:
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
    existing_links = children["links"].get(action.pk, []) if action.pk else []
    manual_extra = [
        link
        for link in existing_links
        if link.match_method == MatchMethod.MANUAL
        and (link.text_as_written, link.role) not in written
    ]
    synced = _sync_children(
        [link for link in existing_links if link not in manual_extra],
        ActionInstitution,
        "action",
        action,
        links,
        work,
        "institutions",
        keep=_keep_manual_link,
    )
    _sync_children(
        children["budget"].get(action.pk, []) if action.pk else [],
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
        work,
        "budget_lines",
    )
    _sync_children(
        children["funders"].get(action.pk, []) if action.pk else [],
        ActionFunder,
        "action",
        action,
        [
            {"funder": _funder(f.kind) or Funder.OTHER, "text_as_written": (f.raw or "")[:300]}
            for f in pa.funders
        ],
        work,
        "funders",
    )
    _sync_children(
        children["refs"].get(action.pk, []) if action.pk else [],
        LegalReference,
        "action",
        action,
        [{"name": ref[:300]} for ref in pa.legal_references],
        work,
        "legal_references",
    )
    return [*synced, *manual_extra]
