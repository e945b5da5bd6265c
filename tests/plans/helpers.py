"""Small plans built directly in the database, for tests that do not need the import."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from mkk.directory.models import InstitutionKind as K
from mkk.plans.models import (
    Action,
    ActionInstitution,
    ActionPlan,
    BudgetLine,
    Evidence,
    ImportRun,
    ProgressUpdate,
    SpecificObjective,
    StrategicObjective,
)


def make_plan(place, *, lead_kind=K.SOCIAL_WORK, n_actions: int = 2) -> ActionPlan:
    plan = ActionPlan.objects.create(
        mechanism=place.mechanism,
        title="Plani lokal",
        start_year=2025,
        end_year=2028,
        status="adopted",
    )
    so = StrategicObjective.objects.create(
        plan=plan, code="I", title="Objektivi strategjik", order=0
    )
    sp = SpecificObjective.objects.create(
        strategic_objective=so, code="I.1", title="Objektivi specifik"
    )
    for i in range(n_actions):
        action = Action.objects.create(
            plan=plan,
            specific_objective=sp,
            code=f"I.1.{i + 1}",
            code_raw=f"I.1.{i + 1}",
            description=f"Veprimi {i + 1}",
            start_year=2025,
            end_year=2028,
            order=i,
            source_row=i,
        )
        ActionInstitution.objects.create(
            action=action,
            institution=place.inst(lead_kind),
            text_as_written="QPS",
            role="lead",
            match_method="abbreviation",
        )
        BudgetLine.objects.create(
            action=action, year=2025, amount=Decimal("1000"), funder="municipality"
        )
    return plan


def idor_objects(world) -> dict:
    """One object of each kind in Gjilan (made once per test)."""
    cached = getattr(world, "_plans_idor", None)
    if cached:
        return cached
    plan = make_plan(world.gjilan)
    action = plan.actions.first()
    update = ProgressUpdate.objects.create(
        action=action,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        status="in_progress",
        narrative="x",
        review_state="submitted",
    )
    evidence = Evidence.objects.create(
        update=update,
        stored_name="evidence/0000idor",
        original_name="a.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    run = ImportRun.objects.create(plan=plan, file_name="p.txt", file_sha256="0" * 64)
    world._plans_idor = {
        "plan": plan,
        "action": action,
        "update": update,
        "evidence": evidence,
        "run": run,
    }
    return world._plans_idor
