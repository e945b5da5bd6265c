"""The bulk import writes what row-by-row saves would have written (issue 14): the same rows,
keys the table's own sequence goes on from, and the same audit entries the signals record."""

from __future__ import annotations

import pytest

from mkk.audit.models import AuditAction, AuditEntry
from mkk.audit.services import diff, snapshot
from mkk.plans.importing import plan_import
from mkk.plans.models import (
    Action,
    ActionFunder,
    ActionInstitution,
    BudgetLine,
    LegalReference,
    SpecificObjective,
    StrategicObjective,
)
from tests.factories import UserFactory

from .bigplan import big_plan_text

pytestmark = pytest.mark.django_db

CREATED = (
    StrategicObjective,
    SpecificObjective,
    Action,
    ActionInstitution,
    BudgetLine,
    ActionFunder,
    LegalReference,
)


def test_bulk_created_rows_have_the_audit_entries_of_a_save(drenas_directory):
    drenas = drenas_directory["municipalities"]["drenas"]
    coordinator = UserFactory(role="coordinator", municipality=drenas)
    plan_import(
        actor=coordinator,
        mechanism=drenas.mechanism,
        name="plan.txt",
        data=big_plan_text(40).encode("utf-8"),
        dry_run=False,
    )
    for model in CREATED:
        rows = list(model.objects.all())
        assert rows, model
        entries = {
            e.object_id: e
            for e in AuditEntry.objects.filter(
                action=AuditAction.CREATE, object_type=model._meta.label_lower
            )
        }
        assert set(entries) == {str(row.pk) for row in rows}, model
        for row in rows:
            entry = entries[str(row.pk)]
            assert entry.changes == diff(model, None, snapshot(row))
            assert entry.object_repr == str(row)[:250]
            assert entry.actor == coordinator and entry.actor_username == coordinator.username
            assert entry.municipality_id == drenas.pk

    # a row saved one by one after the import takes the next key and is logged by the signals
    action = Action.objects.order_by("pk").first()
    line = BudgetLine.objects.create(action=action, year=2027, amount=5, order=9)
    assert line.pk > max(BudgetLine.objects.exclude(pk=line.pk).values_list("pk", flat=True))
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, object_type="plans.budgetline", object_id=str(line.pk)
    ).exists()
