"""Plan import speed (issue 14): 1,000 actions in under 3 s, a dry run that writes nothing,
and a number of SQL statements that does not grow with the number of actions."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mkk.audit.models import AuditAction, AuditEntry
from mkk.plans.importing import plan_import
from mkk.plans.models import Action, ActionInstitution, BudgetLine

from .bigplan import big_plan_text

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def _run(directory, n: int, *, dry_run: bool = False, text: str | None = None):
    mechanism = directory["municipalities"]["drenas"].mechanism
    data = (text or big_plan_text(n)).encode("utf-8")
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        result = plan_import(
            actor=None, mechanism=mechanism, name="big.txt", data=data, dry_run=dry_run
        )
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{n} actions: {wall:.2f} s wall, {cpu:.2f} s CPU, {len(queries)} SQL statements")
    # CPU time of this process: on this shared 2-core machine other work inflates wall time
    # by a factor of 3-5; on SQLite the database work is in this process and counted too.
    return result, cpu, [q["sql"] for q in queries.captured_queries]


def _writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(WRITES)]


def test_thousand_actions_under_three_seconds(drenas_directory):
    result, elapsed, _queries = _run(drenas_directory, 1000)
    assert result.counts["actions"] == 1000 == Action.objects.count()
    assert BudgetLine.objects.count() == 2000
    assert ActionInstitution.objects.filter(institution__isnull=False).count() >= 1000
    assert elapsed < 3.0, f"1,000 actions took {elapsed:.2f} s"
    # the audit log stays complete: one creation entry per row written
    created = AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="plans.action")
    assert created.count() == 1000
    assert AuditEntry.objects.filter(object_type="plans.budgetline").count() == 2000
    # a re-import of the same document changes nothing and is as fast
    again, elapsed, _queries = _run(drenas_directory, 1000)
    assert not again.changed_anything and elapsed < 3.0


def test_query_count_does_not_grow_with_the_actions(drenas_directory):
    _r, _e, small = _run(drenas_directory, 50)
    Action.objects.all().delete()
    from mkk.plans.models import ActionPlan

    ActionPlan.objects.all().delete()
    _r, _e, large = _run(drenas_directory, 1000)
    # 20 times the actions: only batches add statements (SQLite takes at most 999 values per
    # statement), far fewer than one per ten actions; the row-by-row import made ~30 per action
    assert len(large) - len(small) < (1000 - 50) / 10, (len(small), len(large))


def test_dry_run_writes_nothing(drenas_directory):
    audit_before = AuditEntry.objects.count()
    result, elapsed, statements = _run(drenas_directory, 300, dry_run=True)
    assert result.dry_run and result.changes["actions"]["created"] == 300
    assert _writes(statements) == []
    assert Action.objects.count() == 0 and AuditEntry.objects.count() == audit_before
    # and on an existing plan, with changes, still nothing is written
    _run(drenas_directory, 300)
    changed = big_plan_text(300).replace("takimit numër 7 ", "takimit të ndryshuar 7 ")
    result, _e, statements = _run(drenas_directory, 300, dry_run=True, text=changed)
    assert result.changes["actions"]["updated"] == 1
    assert _writes(statements) == []
    assert not Action.objects.filter(description__contains="të ndryshuar").exists()
