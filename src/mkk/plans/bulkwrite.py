"""The writes of a plan import, collected in memory and done in bulk, with their audit rows.

An import compares every parsed row with what is stored and hands new, changed, retired and
removed rows to :class:`Work`. ``Work.flush`` validates them (the form rules: ranges, digits,
choices; no query per row), writes them with ``bulk_create`` / ``bulk_update`` (on PostgreSQL
by ``COPY``, keys drawn from the table's sequence in one query) and inserts the audit entries
the row-by-row signals would have written (same columns, same values) in one batch. A dry run
collects the same work and writes none of it.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mkk.audit.context import current
from mkk.audit.models import AuditAction, AuditEntry
from mkk.audit.services import SENSITIVE, diff, snapshot

from .models import ActionFunder, ActionInstitution


class Tally:
    """How many rows of each kind were created, updated, unchanged, retired, deleted."""

    def __init__(self, kinds):
        self.data = {
            k: {"created": 0, "updated": 0, "unchanged": 0, "retired": 0, "deleted": 0}
            for k in kinds
        }

    def add(self, kind: str, what: str, n: int = 1):
        self.data[kind][what] += n


class Work:
    """The writes of one import, collected in memory and done in bulk.

    Objects are compared field by field with what is stored; new and changed ones are
    validated together (field validation only: no query per row), then written with
    ``bulk_create`` / ``bulk_update`` and logged in the audit log with one insert per batch,
    exactly as the per-row signals would have logged them. A dry run collects the same work
    and writes none of it.
    """

    def __init__(self, tally: Tally, *, dry_run: bool, municipality_id: int | None):
        self.tally = tally
        self.dry_run = dry_run
        self.municipality_id = municipality_id
        self.new: dict[type, list] = {}
        self.changed: dict[type, list[tuple[Any, dict, list[str]]]] = {}
        self.deleted: dict[type, list] = {}
        self.errors: list[str] = []
        self.checked: dict = {}  # (field, value) -> outcome of its validation

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
            _clean_fields(obj, self.checked)
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
        changes = _created(type(obj), after) if before is None else diff(type(obj), before, after)
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


def _created(model, after: dict) -> dict[str, list]:
    """``diff(model, None, after)`` (what the signals log for a new row), without working out
    each key's field name and secrecy again for every row."""
    out = {}
    for key, (name, secret) in _diff_keys(model, tuple(sorted(after))):
        value = after[key]
        if value is not None:
            out[name] = [SENSITIVE, SENSITIVE] if secret else [None, value]
    return out


@lru_cache(maxsize=64)
def _diff_keys(model, keys: tuple[str, ...]) -> tuple[tuple[str, tuple[str, bool]], ...]:
    """Each snapshot key with its name in a diff and whether its value is hidden, learnt from
    ``diff`` itself (one probe per model: the audit rules stay in one place)."""
    out = []
    for key in keys:
        ((name, pair),) = diff(model, None, {key: 0}).items()
        out.append((key, (name, pair == [SENSITIVE, SENSITIVE])))
    return tuple(out)


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


def _clean_fields(obj, seen: dict) -> None:
    """``Model.clean_fields`` over :func:`_validated` only (the same rules and messages,
    without walking every field of every row). These fields' rules depend on the value alone,
    so each value is checked once per import (``seen``: the outcome of each)."""
    errors = {}
    for f in _validated(type(obj)):
        raw = getattr(obj, f.attname)
        if f.blank and raw in f.empty_values:
            continue
        key = (f, type(raw), str(raw) if isinstance(raw, Decimal) else raw)
        if key not in seen:
            try:
                seen[key] = (True, f.clean(raw, obj))
            except ValidationError as exc:
                seen[key] = (False, exc.error_list)
        ok, outcome = seen[key]
        if ok:
            setattr(obj, f.attname, outcome)
        else:
            errors[f.name] = outcome
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
    # pre_save only where a field computes its value (auto_now, files): else the attribute
    computed = [type(f).pre_save is not models.Field.pre_save for f in fields]
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
                for f, is_plain, is_computed in zip(fields, plain, computed, strict=True):
                    value = f.pre_save(obj, True) if is_computed else getattr(obj, f.attname)
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
