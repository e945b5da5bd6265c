"""Demo: Drenas' Local Action Plan 2025–2028 from the seed text, and a few 2025 updates.

The plan goes through the same import service as an upload; the progress updates are
synthetic (no person's data) and go through the same services as the web forms. Safe to
run again: an unchanged seed changes nothing and existing updates are left alone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from mkk.accounts.models import User
from mkk.audit.context import acting

from . import services
from .importing import plan_import
from .models import ActionPlan, PlanStatus, ProgressUpdate

SEED = Path(__file__).resolve().parent.parent / "seeds" / "drenas-local-action-plan-2025-2028.txt"

# code, period start, reporter username, status, narrative, {funder: amount}, review ("approve",
# "return: comment", "submit" = left waiting, None = draft)
UPDATES = [
    (
        "I.1.1",
        dt.date(2025, 1, 1),
        "drenas.coordinator",
        "in_progress",
        "U mbajt sesioni i parë informues për Procedurat Standarde të Veprimit "
        "me 18 profesionistë të QPS.",
        {"municipality": Decimal("450")},
        "approve",
    ),
    (
        "I.1.1",
        dt.date(2025, 7, 1),
        "drenas.coordinator",
        "in_progress",
        "Sesioni i dytë me mësimdhënës të Drejtorisë së Arsimit; 24 pjesëmarrës.",
        {"municipality": Decimal("500")},
        "approve",
    ),
    (
        "I.1.3",
        dt.date(2025, 7, 1),
        "drenas.coordinator",
        "completed",
        "Fushata 16 ditët e aktivizmit u realizua me ligjërata në 6 shkolla dhe një marsh publik.",
        {"municipality": Decimal("700"), "donors": Decimal("300")},
        "approve",
    ),
    (
        "I.3.2",
        dt.date(2025, 1, 1),
        "drenas.coordinator",
        "in_progress",
        "Trajnimi i anëtarëve të MKK për monitorim u planifikua me mbështetjen e UN Women.",
        {},
        "approve",
    ),
    (
        "I.3.2",
        dt.date(2025, 7, 1),
        "drenas.coordinator",
        "completed",
        "Dy ditë trajnim për monitorim dhe raportim u mbajtën me 14 anëtarë të MKK.",
        {},
        "approve",
    ),
    (
        "II.1.6",
        dt.date(2025, 7, 1),
        "drenas.police",
        "delayed",
        "Hapësira për dhomën mike është caktuar; pajisja pret fondet e donatorit.",
        {},
        "approve",
    ),
    (
        "II.4.5",
        dt.date(2025, 7, 1),
        "drenas.qps",
        "in_progress",
        "Broshurat e Agjencisë për Ndihmë Juridike Falas u shpërndanë në QPS.",
        {"ngo": Decimal("120")},
        "return: Ju lutem shënoni sa broshura u shpërndanë dhe ku.",
    ),
    (
        "I.3.3",
        dt.date(2025, 7, 1),
        "drenas.coordinator",
        "completed",
        "Protokolli i punës së MKK u hartua dhe u dërgua për miratim.",
        {},
        "submit",
    ),
]


def load(directory: dict, out=None) -> None:
    municipality = directory["municipalities"]["drenas"]
    mechanism = municipality.mechanism
    result = plan_import(
        actor=None, mechanism=mechanism, name=SEED.name, data=SEED.read_bytes(), dry_run=False
    )
    plan = ActionPlan.objects.get(pk=result.plan_id)
    if plan.status == PlanStatus.DRAFT:
        plan.status = PlanStatus.ADOPTED
        plan.save()
    coordinator = User.objects.filter(username="drenas.coordinator").first()
    admin = User.objects.filter(username="admin").first()
    made = 0
    for code, start, username, status, narrative, spending, review in UPDATES:
        action = plan.actions.filter(code=code, occurrence=0).first()
        user = User.objects.filter(username=username).first()
        if action is None or user is None or coordinator is None:
            continue
        if ProgressUpdate.objects.filter(action=action, period_start=start).exists():
            continue
        with acting(user=user, reason="load_demo"):
            update = services.progress_save(
                actor=user,
                action=action,
                period_start=start,
                status=status,
                narrative=narrative,
                spending=spending,
                submit=review is not None,
            )
        if review and review != "submit":
            # Four eyes: what the coordinator wrote herself is reviewed by the administrator.
            reviewer = admin if user.pk == coordinator.pk and admin is not None else coordinator
            with acting(user=reviewer, reason="load_demo"):
                comment = review.split(":", 1)[1].strip() if review.startswith("return") else ""
                services.progress_review(
                    actor=reviewer, update=update, approve=review == "approve", comment=comment
                )
        made += 1
    if out:
        c = result.counts
        out.write(
            f"  plans: {c['strategic_objectives']} strategic objectives, "
            f"{c['specific_objectives']} "
            f"specific objectives, {c['actions']} actions, budget {c['budget_total']} EUR; "
            f"{made} progress updates added"
        )
