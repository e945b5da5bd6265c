"""Progress reporting, evidence files, review, dashboard, export and editing, through the UI."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mkk.directory.models import InstitutionKind as K
from mkk.plans import selectors
from mkk.plans.dashboard import panel
from mkk.plans.models import (
    Action,
    ActionInstitution,
    ActionPlan,
    Evidence,
    ProgressUpdate,
    ReviewState,
)
from tests.conftest import login

from .helpers import make_plan

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
H1 = "2025-01-01"


@pytest.fixture
def plan(world, private_media):
    plan = make_plan(world.drenas, lead_kind=K.SOCIAL_WORK, n_actions=2)
    other = plan.actions.get(code="I.1.2")
    ActionInstitution.objects.filter(action=other).update(institution=world.drenas.inst(K.POLICE))
    return plan


def _report(client, action, *, status="completed", submit=True, file=None, period=H1, **extra):
    data = {"period": period, "status": status, "narrative": "U mbajtën dy sesione.", **extra}
    if submit:
        data["submit"] = "1"
    if file is not None:
        data["evidence"] = file
    return client.post(reverse("plans:progress", kwargs={"pk": action.pk}), data)


def test_focal_point_writes_only_for_own_actions(client, world, plan):
    own, other = plan.actions.get(code="I.1.1"), plan.actions.get(code="I.1.2")
    login(client, world.drenas.users["focal_social_work"])
    assert client.get(reverse("plans:progress", kwargs={"pk": own.pk})).status_code == 200
    assert client.get(reverse("plans:progress", kwargs={"pk": other.pk})).status_code == 403
    assert _report(client, other).status_code == 403
    page = client.get(reverse("plans:index", kwargs={"code": "drenas"}))
    mine = [m["action"].code for m in page.context["board"].mine]
    assert mine == ["I.1.1"]
    login(client, world.gjilan.users["focal_social_work"])
    assert client.get(reverse("plans:progress", kwargs={"pk": own.pk})).status_code == 404


def test_progress_with_evidence_then_review_moves_completion(client, world, plan, private_media):
    action = plan.actions.get(code="I.1.1")
    login(client, world.drenas.users["focal_social_work"])
    response = _report(
        client,
        action,
        file=SimpleUploadedFile("raport <1>.pdf", PDF, "application/pdf"),
        spent_municipality="250.50",
    )
    assert response.status_code == 302, response.context["form"].errors
    update = ProgressUpdate.objects.get(action=action)
    assert update.review_state == ReviewState.SUBMITTED and update.period_end == dt.date(
        2025, 6, 30
    )
    assert update.spending.get().amount == Decimal("250.50")
    evidence = Evidence.objects.get()
    path = Path(settings.PRIVATE_MEDIA_ROOT) / evidence.stored_name
    assert path.read_bytes() == PDF
    assert "raport" not in evidence.stored_name and evidence.original_name == "raport 1.pdf"
    assert Path(settings.STATIC_ROOT).resolve() not in path.resolve().parents
    # submitted: locked for the focal point
    page = client.get(reverse("plans:progress", kwargs={"pk": action.pk}) + f"?period={H1}")
    assert not page.context["editable"] and 'name="submit"' not in page.content.decode()
    assert (
        selectors.implementation_of(
            plan, dt.date(2025, 1, 1), dt.date(2025, 12, 31)
        ).overall.completion_rate
        == 0
    )

    login(client, world.drenas.users["coordinator"])
    url = reverse("plans:update", kwargs={"pk": update.pk})
    response = client.post(url, {"decision": "return", "comment": ""})
    assert response.status_code == 200 and "comment" in response.context["form"].errors
    client.post(url, {"decision": "return", "comment": "Shtoni numrin e pjesëmarrësve."})
    update.refresh_from_db()
    assert update.review_state == ReviewState.RETURNED
    login(client, world.drenas.users["focal_social_work"])
    assert _report(client, action, spent_municipality="250.50").status_code == 302
    login(client, world.drenas.users["coordinator"])
    client.post(url, {"decision": "approve", "comment": ""})
    update.refresh_from_db()
    assert update.review_state == ReviewState.APPROVED
    impl = selectors.implementation_of(plan, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert impl.overall.completion_rate == Decimal("0.5")
    assert impl.overall.counts["completed"] == 1
    assert [d.code for d in impl.done] == ["I.1.1"]
    assert [(r.year, r.funder, r.planned, r.spent) for r in impl.budget] == [
        (2025, "municipality", Decimal("2000.00"), Decimal("250.50"))
    ]


@pytest.mark.parametrize(
    "name,data",
    [
        ("virus.pdf", b"MZ\x90\x00 this is an executable"),
        ("page.png", b"<html><script>alert(1)</script></html>"),
        ("fake.docx", b"PK\x03\x04 broken zip"),
    ],
)
def test_evidence_type_is_sniffed(client, world, plan, name, data):
    action = plan.actions.get(code="I.1.1")
    login(client, world.drenas.users["focal_social_work"])
    response = _report(client, action, submit=False, file=SimpleUploadedFile(name, data))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Evidence.objects.exists()


def test_evidence_size_is_capped(client, world, plan, settings):
    settings.MKK_MAX_UPLOAD_BYTES = 100
    action = plan.actions.get(code="I.1.1")
    login(client, world.drenas.users["focal_social_work"])
    response = _report(
        client, action, submit=False, file=SimpleUploadedFile("big.pdf", PDF + b"0" * 200)
    )
    assert response.status_code == 200 and not Evidence.objects.exists()


def test_docx_and_xlsx_evidence_accepted():
    import docx

    from mkk.plans.evidence import sniff_type

    buf = io.BytesIO()
    docx.Document().save(buf)
    assert sniff_type(buf.getvalue()) == "docx"
    buf = io.BytesIO()
    openpyxl.Workbook().save(buf)
    assert sniff_type(buf.getvalue()) == "xlsx"
    assert sniff_type(b"\x89PNG\r\n\x1a\n....") == "png"
    assert sniff_type(b"\xff\xd8\xff\xe0....") == "jpeg"


def test_evidence_served_only_to_allowed_users(client, world, plan):
    action = plan.actions.get(code="I.1.1")
    login(client, world.drenas.users["focal_social_work"])
    _report(client, action, submit=False, file=SimpleUploadedFile("a.pdf", PDF))
    evidence = Evidence.objects.get()
    url = reverse("plans:evidence", kwargs={"pk": evidence.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    for who in ("focal_police", "case_police", "viewer"):
        login(client, world.drenas.users[who])
        assert client.get(url).status_code == 404, who
    login(client, world.national)
    assert client.get(url).status_code == 404
    login(client, world.drenas.users["coordinator"])
    assert client.get(url).status_code == 200


def test_dashboard_figures_and_panel(client, world, plan, rf):
    action = plan.actions.get(code="I.1.1")
    ProgressUpdate.objects.create(
        action=action,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        status="delayed",
        review_state="approved",
        narrative="x",
    )
    ProgressUpdate.objects.create(
        action=plan.actions.get(code="I.1.2"),
        period_start=dt.date(2025, 7, 1),
        period_end=dt.date(2025, 12, 31),
        status="completed",
        review_state="submitted",
    )
    login(client, world.drenas.users["coordinator"])
    response = client.get(reverse("plans:index", kwargs={"code": "drenas"}))
    assert response.status_code == 200
    impl = response.context["impl"]
    assert impl.overall.total == 2 and impl.overall.counts["delayed"] == 1
    assert impl.overall.completion_rate == 0  # the completed update is not approved yet
    assert [item.code for item in impl.late] == ["I.1.1"]
    assert [y for y, _p, _s in impl.budget_by_year()] == [2025]
    assert len(response.context["board"].waiting) == 1
    assert response.context["status_chart"].startswith("data:image/png;base64,")
    request = rf.get("/")
    request.user = world.drenas.users["coordinator"]
    data = panel(request)
    assert data["waiting"] == 1 and data["overdue"] == 1
    request.user = world.drenas.users["focal_social_work"]
    assert [m["action"].code for m in panel(request)["needing"]] == ["I.1.1"]
    request.user = world.drenas.users["viewer"]
    assert panel(request) is None


def test_plan_implementation_selector(world, plan):
    action = plan.actions.get(code="I.1.1")
    ProgressUpdate.objects.create(
        action=action,
        period_start=dt.date(2025, 7, 1),
        period_end=dt.date(2025, 12, 31),
        status="completed",
        review_state="approved",
        narrative="Kryer.",
    )
    result = selectors.plan_implementation(
        municipality=world.drenas.municipality, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)
    )
    assert result.plan == plan
    assert result.overall.completion_rate == Decimal("0.5")
    assert [(r.code, r.total, r.counts["completed"]) for r in result.objectives] == [("I", 2, 1)]
    assert [d.narrative for d in result.done] == ["Kryer."]
    assert result.planned_total == Decimal("2000.00") and result.spent_total == 0
    early = selectors.plan_implementation(
        municipality=world.drenas.municipality, start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30)
    )
    assert early.overall.completion_rate == 0 and early.done == []
    none = selectors.plan_implementation(
        municipality=world.gjilan.municipality, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)
    )
    assert none.plan is None and none.overall is None


def test_xlsx_export_neutralises_formulas(client, world, plan):
    Action.objects.filter(code="I.1.1").update(
        description='=HYPERLINK("http://x","klik")', notes="@SUM(A1)"
    )
    login(client, world.drenas.users["coordinator"])
    client.cookies["django_language"] = "en"  # the language switcher's choice
    response = client.get(reverse("plans:export", kwargs={"code": "drenas"}))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert {"Actions", "Budget", "Progress", "Spending", "Objectives"} <= set(wb.sheetnames)
    actions = list(wb["Actions"].iter_rows(values_only=True))
    row = next(r for r in actions if r[0] == "I.1.1")
    assert row[3] == '\'=HYPERLINK("http://x","klik")'
    assert "'@SUM(A1)" in row
    budget = list(wb["Budget"].iter_rows(values_only=True))[1]
    assert budget[1] == 2025 and budget[2] == 1000 and isinstance(budget[2], int | float)
    for ws in wb.worksheets:
        for r in ws.iter_rows():
            for cell in r:
                assert cell.data_type != "f"


def test_coordinator_adds_edits_and_retires_actions(client, world, plan):
    sp = plan.strategic_objectives.get().specific_objectives.get()
    police = world.drenas.inst(K.POLICE)
    login(client, world.drenas.users["focal_police"])
    assert client.get(reverse("plans:action_add", kwargs={"code": "drenas"})).status_code == 403
    login(client, world.drenas.users["coordinator"])
    response = client.post(
        reverse("plans:action_add", kwargs={"code": "drenas"}),
        {
            "specific_objective": sp.pk,
            "code": "I.1.9",
            "description": "Veprim i ri",
            "start_year": 2026,
            "end_year": 2027,
            "recurrence": "",
            "outputs": "",
            "notes": "",
            "lead": [police.pk],
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(code="I.1.9")
    assert action.source_row is None
    assert action.institution_links.get().institution == police
    response = client.post(
        reverse("plans:action_edit", kwargs={"pk": action.pk}),
        {
            "specific_objective": sp.pk,
            "code": "I.1.9",
            "description": "Veprim i ndryshuar",
            "start_year": 2026,
            "end_year": 2030,
            "recurrence": "annual",
            "outputs": "",
            "notes": "",
            "lead": [police.pk],
        },
    )
    assert response.status_code == 200  # 2030 is outside the plan
    response = client.post(
        reverse("plans:action_edit", kwargs={"pk": action.pk}),
        {
            "specific_objective": sp.pk,
            "code": "I.1.9",
            "description": "Veprim i ndryshuar",
            "start_year": 2026,
            "end_year": 2028,
            "recurrence": "annual",
            "outputs": "",
            "notes": "",
            "lead": [police.pk],
        },
    )
    assert response.status_code == 302
    retire = {"state": "retire", "reason": "E dyfishtë"}  # the state asked for, not a toggle
    client.post(reverse("plans:action_retire", kwargs={"pk": action.pk}), retire)
    action.refresh_from_db()
    assert action.is_retired and action.description == "Veprim i ndryshuar"
    history = client.get(reverse("plans:action_history", kwargs={"pk": action.pk}))
    assert history.status_code == 200
    kinds = [e.action for e in history.context["entries"]]
    assert kinds.count("update") >= 2 and "create" in kinds
    assert action.pk not in [a.pk for a in selectors.actions_of(plan)]


def test_viewer_and_national_cannot_write(client, world, plan):
    action = plan.actions.get(code="I.1.1")
    login(client, world.drenas.users["viewer"])
    assert client.get(reverse("plans:index", kwargs={"code": "drenas"})).status_code == 403
    assert client.get(reverse("plans:action", kwargs={"pk": action.pk})).status_code == 403
    login(client, world.national)
    assert client.get(reverse("plans:index", kwargs={"code": "drenas"})).status_code == 200
    assert client.get(reverse("plans:progress", kwargs={"pk": action.pk})).status_code == 403
    assert client.get(reverse("plans:export", kwargs={"code": "drenas"})).status_code == 403


def test_plan_exists_check(world, plan):
    assert ActionPlan.objects.count() == 1


def test_reporting_period_change_refused_when_it_would_orphan_updates(client, world, plan):
    action = plan.actions.get(code="I.1.1")
    ProgressUpdate.objects.create(
        action=action,
        period_start=dt.date(2025, 7, 1),
        period_end=dt.date(2025, 12, 31),
        status="in_progress",
        review_state="draft",
    )
    login(client, world.drenas.users["coordinator"])
    url = reverse("plans:settings", kwargs={"code": "drenas"})
    data = {
        "title": plan.title,
        "status": "adopted",
        "adoption_decision": "",
        "adoption_date": "",
        "reporting_period_months": "12",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["form"].errors
    plan.refresh_from_db()
    assert plan.reporting_period_months == 6
    response = client.post(url, {**data, "reporting_period_months": "3"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.reporting_period_months == 3


def test_manual_institution_survives_reimport(drenas_directory, seed_bytes):
    from mkk.plans.importing import plan_import
    from mkk.plans.services import action_save
    from tests.factories import UserFactory

    mechanism = drenas_directory["municipalities"]["drenas"].mechanism
    plan_import(actor=None, mechanism=mechanism, name="p.txt", data=seed_bytes, dry_run=False)
    coordinator = UserFactory(role="coordinator", municipality=mechanism.municipality)
    action = Action.objects.get(code="I.1.3")
    police = drenas_directory["drenas"]["police"]
    values = {k: getattr(action, k) for k in Action.EDITED_FIELDS}
    action_save(
        actor=coordinator,
        plan=action.plan,
        action=action,
        values=values,
        lead=[],
        supporting=[police],
    )
    assert action.institution_links.filter(institution=police, match_method="manual").exists()
    result = plan_import(
        actor=None, mechanism=mechanism, name="p.txt", data=seed_bytes, dry_run=False
    )
    assert action.institution_links.filter(institution=police, match_method="manual").exists()
    assert result.changes["institutions"]["deleted"] == 0


def test_a_code_written_twice_gets_the_next_free_occurrence(drenas_directory, seed_bytes):
    from mkk.plans.importing import plan_import
    from mkk.plans.services import action_save
    from tests.factories import UserFactory

    mechanism = drenas_directory["municipalities"]["drenas"].mechanism
    plan_import(actor=None, mechanism=mechanism, name="p.txt", data=seed_bytes, dry_run=False)
    coordinator = UserFactory(role="coordinator", municipality=mechanism.municipality)
    first = Action.objects.get(code="I.1.3")
    values = {k: getattr(first, k) for k in Action.EDITED_FIELDS}
    police = drenas_directory["drenas"]["police"]
    save = {"actor": coordinator, "plan": first.plan, "lead": [police], "supporting": []}
    second = action_save(action=None, values=values, **save)
    assert (first.occurrence, second.occurrence) == (0, 1)
    moved = action_save(action=second, values={**values, "code": "I.1.99"}, **save)
    assert moved.occurrence == 0


def test_evidence_removed_only_while_editable(
    client, world, plan, django_capture_on_commit_callbacks
):
    action = plan.actions.get(code="I.1.1")
    login(client, world.drenas.users["focal_social_work"])
    _report(client, action, submit=False, file=SimpleUploadedFile("a.pdf", PDF))
    _report(client, action, submit=False, file=SimpleUploadedFile("b.pdf", PDF))
    first, second = Evidence.objects.order_by("pk")
    path = Path(settings.PRIVATE_MEDIA_ROOT) / first.stored_name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("plans:evidence_delete", kwargs={"pk": first.pk}))
    assert response.status_code == 302 and not path.exists()
    assert list(Evidence.objects.all()) == [second]
    login(client, world.drenas.users["focal_police"])
    assert (
        client.post(reverse("plans:evidence_delete", kwargs={"pk": second.pk})).status_code == 404
    )
    login(client, world.drenas.users["focal_social_work"])
    _report(client, action)  # submitted: locked
    client.post(reverse("plans:evidence_delete", kwargs={"pk": second.pk}))
    assert Evidence.objects.filter(pk=second.pk).exists()


def test_future_period_and_retired_action_refused(client, world, plan):
    action = plan.actions.get(code="I.1.1")
    login(client, world.drenas.users["focal_social_work"])
    response = _report(
        client, action, period="2028-07-01"
    )  # not offered: falls back to the latest period
    assert response.status_code == 302
    assert ProgressUpdate.objects.get().period_start <= dt.date.today()
    Action.objects.filter(pk=action.pk).update(is_retired=True)
    response = _report(client, action, period=H1)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert ProgressUpdate.objects.count() == 1


def test_several_evidence_files_in_one_update(client, world, plan):
    action = plan.actions.get(code="I.1.1")
    login(client, world.drenas.users["focal_social_work"])
    files = [SimpleUploadedFile(f"lista {i}.pdf", PDF) for i in (1, 2)]
    response = _report(client, action, submit=False, file=files)
    assert response.status_code == 302
    assert sorted(Evidence.objects.values_list("original_name", flat=True)) == [
        "lista 1.pdf",
        "lista 2.pdf",
    ]
    # One bad file among good ones: nothing of this save is kept (all or nothing).
    bad = [SimpleUploadedFile("ok.pdf", PDF), SimpleUploadedFile("x.pdf", b"MZ\x90 exe")]
    response = _report(client, action, submit=False, file=bad)
    assert response.status_code == 200 and Evidence.objects.count() == 2
    # Too many at once is refused with a message.
    many = [SimpleUploadedFile(f"f{i}.pdf", PDF) for i in range(11)]
    response = _report(client, action, submit=False, file=many)
    assert response.status_code == 200 and response.context["form"].errors["evidence"]
    assert Evidence.objects.count() == 2
