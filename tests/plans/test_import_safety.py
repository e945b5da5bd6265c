"""Plan imports never damage a plan (issue 12, item 4).

A malformed re-import (negative budget, 'n/a' budget, an action without a code) is refused
whole with each row named, unless each listed warning is accepted; a re-import that would
retire actions with progress is refused unless each is confirmed; nothing with history is
deleted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from mkk.audit.models import AuditEntry
from mkk.plans.importing import PlanImportRefused, plan_import
from mkk.plans.models import (
    Action,
    ActionPlan,
    BudgetLine,
    ProgressUpdate,
    SpecificObjective,
    Spending,
    StrategicObjective,
)

pytestmark = pytest.mark.django_db


def malformed(seed: bytes) -> bytes:
    text = seed.decode("utf-8")
    budget = "\t1000\n\t1000\n\t1000\n"
    start = text.index("\tI.1.1\n")
    at = text.index(budget, start)
    text = text[:at] + "\t-1000\n\tn/a\n\t1000\n" + text[at + len(budget) :]
    text = text.replace("\tI.2.1\n", "\t\n", 1)  # an action row whose code cell is empty
    return text.encode("utf-8")


def _import(directory, data, **options):
    mechanism = directory["municipalities"]["drenas"].mechanism
    return plan_import(actor=None, mechanism=mechanism, name="plan.txt", data=data, **options)


def _shape():
    return (
        StrategicObjective.objects.count(),
        SpecificObjective.objects.count(),
        Action.objects.filter(is_retired=False).count(),
        sorted(BudgetLine.objects.values_list("action__code", "year", "amount")),
    )


def test_malformed_reimport_is_refused_whole_naming_rows(drenas_directory, seed_bytes):
    _import(drenas_directory, seed_bytes, dry_run=False)
    before, audit = _shape(), AuditEntry.objects.count()
    assert before[:3] == (2, 8, 37)
    with pytest.raises(PlanImportRefused) as info:
        _import(drenas_directory, malformed(seed_bytes), dry_run=False)
    problems = info.value.problems
    kinds = sorted(p["kind"] for p in problems)
    assert kinds == ["amount_unparsed", "amount_unparsed", "code_missing"]
    by_kind = {p["kind"]: p for p in problems}
    assert by_kind["code_missing"]["code"] == "I.2.1" and by_kind["code_missing"]["row"] >= 0
    assert {p["code"] for p in problems if p["kind"] == "amount_unparsed"} == {"I.1.1"}
    assert all(p["row"] is not None and str(p["message"]) for p in problems)
    assert "-1000" in " ".join(str(p["message"]) for p in problems)
    # nothing was written: the plan and the audit log are as they were
    assert _shape() == before and AuditEntry.objects.count() == audit

    # the preview lists the same problems; accepting each one imports, objectives intact
    preview = _import(drenas_directory, malformed(seed_bytes), dry_run=True)
    assert sorted(p["kind"] for p in preview.open_problems) == kinds
    keys = [p["key"] for p in preview.open_problems]
    with pytest.raises(PlanImportRefused):  # accepting only some is not enough
        _import(drenas_directory, malformed(seed_bytes), dry_run=False, accepted=keys[:1])
    result = _import(drenas_directory, malformed(seed_bytes), dry_run=False, accepted=keys)
    assert result.counts["strategic_objectives"] == 2
    assert result.counts["specific_objectives"] == 8
    assert _shape()[:3] == (2, 8, 37)
    i11 = Action.objects.get(code="I.1.1")
    assert "-1000" in i11.notes and "n/a" in i11.notes  # the cells are kept, not lost
    assert Action.objects.get(code="I.2.1", is_retired=False)


def _with_progress(code: str) -> ProgressUpdate:
    action = Action.objects.get(code=code, occurrence=0)
    update = ProgressUpdate.objects.create(
        action=action,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        status="in_progress",
        narrative="Dy sesione u mbajtën.",
        review_state="approved",
    )
    Spending.objects.create(update=update, funder="municipality", amount=Decimal("250"))
    return update


def test_retiring_actions_with_progress_needs_confirmation(drenas_directory, seed_bytes):
    _import(drenas_directory, seed_bytes, dry_run=False)
    update = _with_progress("I.1.9")
    text = seed_bytes.decode("utf-8")
    start, end = text.index("\tI.1.9\n"), text.index("\tI.2\n")
    without = (text[:start] + text[end:]).encode("utf-8")
    with pytest.raises(PlanImportRefused) as info:
        _import(drenas_directory, without, dry_run=False)
    [problem] = info.value.problems
    assert problem["kind"] == "removal" and problem["code"] == "I.1.9"
    assert "1" in problem["message"]  # one progress update, one spending row
    assert not Action.objects.get(code="I.1.9").is_retired
    preview = _import(drenas_directory, without, dry_run=True)
    assert [r["code"] for r in preview.removals] == ["I.1.9"]
    assert preview.removals[0]["updates"] == 1 and preview.removals[0]["spending"] == 1
    _import(drenas_directory, without, dry_run=False, confirm_removals=[problem["key"]])
    action = Action.objects.get(code="I.1.9")
    assert action.is_retired  # retired, never deleted: its progress stays
    assert ProgressUpdate.objects.filter(pk=update.pk, action=action).exists()


def test_collapsing_objectives_with_history_is_refused(drenas_directory, seed_bytes):
    """The reviewer's case: a version whose heading of I.2 is gone would move I.2's actions
    under I.1 and delete objective I.2; with progress recorded on them it is refused."""
    _import(drenas_directory, seed_bytes, dry_run=False)
    _with_progress("I.2.1")
    text = seed_bytes.decode("utf-8")
    start = text.index("\tI.2\n\tObjektivat strategjike")
    end = text.index("\n\n", start) + 2
    collapsed = (text[:start] + text[end:]).encode("utf-8")
    preview = _import(drenas_directory, collapsed, dry_run=True)
    assert [(r["kind"], r["code"]) for r in preview.removals] == [("specific_objective", "I.2")]
    before = _shape()
    with pytest.raises(PlanImportRefused) as info:
        _import(drenas_directory, collapsed, dry_run=False)
    assert [p["code"] for p in info.value.problems] == ["I.2"]
    assert _shape() == before
    assert SpecificObjective.objects.filter(code="I.2").exists()
    # confirmed: the objective goes, its actions (and their progress) stay, under I.1
    _import(
        drenas_directory, collapsed, dry_run=False, confirm_removals=[preview.removals[0]["key"]]
    )
    assert not SpecificObjective.objects.filter(code="I.2").exists()
    moved = Action.objects.get(code="I.2.1")
    assert moved.specific_objective.code == "I.1" and moved.updates.count() == 1


@pytest.fixture
def coordinator(drenas_directory):
    from mkk.accounts.models import Role
    from tests.factories import UserFactory

    return UserFactory(
        username="c",
        role=Role.COORDINATOR,
        municipality=drenas_directory["municipalities"]["drenas"],
    )


def test_web_preview_lists_problems_and_confirm_refuses_until_accepted(
    client, coordinator, seed_bytes, private_media
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import login

    login(client, coordinator)
    url = reverse("plans:import", kwargs={"code": "drenas"})
    confirm = reverse("plans:import_confirm", kwargs={"code": "drenas"})
    response = client.post(url, {"document": SimpleUploadedFile("plan.txt", malformed(seed_bytes))})
    assert response.status_code == 200
    problems = response.context["result"].open_problems
    assert len(problems) == 3
    page = response.content.decode()
    assert 'name="accept"' in page and ">budget_2025<" not in page  # human column names
    assert ">Budget 2025<" in page or ">Buxheti 2025<" in page
    response = client.post(confirm, {"confirm": "1"})
    assert response.status_code == 200 and response.context["refused"]
    assert ActionPlan.objects.count() == 0
    assert "I.2.1" in response.content.decode()
    response = client.post(confirm, {"confirm": "1", "accept": [p["key"] for p in problems]})
    assert response.status_code == 302
    assert ActionPlan.objects.count() == 1 and Action.objects.count() == 37


def test_web_column_question(client, coordinator, private_media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import login

    from . import docgen

    login(client, coordinator)
    data = docgen.build(
        docgen.Variant(labels=docgen.SERBIAN, override={"outputs": "Napomena o ishodu"})
    )
    url = reverse("plans:import", kwargs={"code": "drenas"})
    confirm = reverse("plans:import_confirm", kwargs={"code": "drenas"})
    response = client.post(url, {"document": SimpleUploadedFile("plan.docx", data)})
    result = response.context["result"]
    assert [c["header"] for c in result.unmapped_columns] == ["Napomena o ishodu"]
    assert 'id="map_0"' in response.content.decode()
    key = result.unmapped_columns[0]["key"]
    response = client.post(confirm, {"confirm": "1"})  # unanswered: refused
    assert response.context["refused"] and ActionPlan.objects.count() == 0
    response = client.post(confirm, {"remap": "1", "map_0_key": key, "map_0": "outputs"})
    assert not response.context["result"].unmapped_columns
    assert not response.context["result"].open_problems
    response = client.post(confirm, {"confirm": "1", "map_0_key": key, "map_0": "outputs"})
    assert response.status_code == 302
    assert Action.objects.exclude(outputs="").count() > 30
