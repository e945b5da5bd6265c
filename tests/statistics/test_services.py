from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mkk.audit.models import AuditAction, AuditEntry
from mkk.directory.models import InstitutionKind as K
from mkk.statistics import services
from mkk.statistics.models import DataSet, Status, Submission

D = dt.date
pytestmark = pytest.mark.django_db


def _save(world, user=None, values=None, **kw):
    inst = world.drenas.inst(K.SOCIAL_WORK)
    return services.submission_save(
        actor=user or world.drenas.users[f"focal_{K.SOCIAL_WORK}"],
        institution=inst,
        data_set=DataSet.objects.get(code="SOCIAL_WORK"),
        period_start=D(2025, 1, 1),
        period_end=D(2025, 1, 31),
        values=values
        or {
            ("QPS_VICTIMS", ""): 7,
            ("QPS_VICTIMS", "sex=female"): 5,
            ("QPS_VICTIMS", "sex=male"): 2,
        },
        **kw,
    )


def test_wrong_sum_saves_nothing(world):
    with pytest.raises(ValidationError) as exc:
        _save(
            world,
            values={
                ("QPS_VICTIMS", ""): 76,
                ("QPS_VICTIMS", "sex=female"): 60,
                ("QPS_VICTIMS", "sex=male"): 20,
            },
            submit=True,
        )
    assert "76" in " ".join(exc.value.messages)
    assert not Submission.objects.exists()


def test_focal_point_of_police_cannot_submit_for_social_work(world):
    with pytest.raises(PermissionDenied):
        _save(world, user=world.drenas.users[f"focal_{K.POLICE}"])


def test_coordinator_of_another_municipality_cannot_submit(world):
    with pytest.raises(PermissionDenied):
        _save(world, user=world.gjilan.users["coordinator"])


def test_submit_approve_lock_and_audited_correction(world):
    sub = _save(world, submit=True)
    assert sub.status == Status.SUBMITTED
    with pytest.raises(PermissionDenied):
        services.submission_approve(
            actor=world.drenas.users[f"focal_{K.SOCIAL_WORK}"], submission=sub
        )
    coordinator = world.drenas.users["coordinator"]
    services.submission_approve(actor=coordinator, submission=sub)
    sub.refresh_from_db()
    assert sub.status == Status.APPROVED and sub.approved_by == coordinator
    assert AuditEntry.objects.filter(action=AuditAction.APPROVE, object_id=str(sub.pk)).exists()
    with pytest.raises(ValidationError):  # locked
        _save(world, values={("QPS_VICTIMS", ""): 8})
    new = {("QPS_VICTIMS", ""): 8, ("QPS_VICTIMS", "sex=female"): 6, ("QPS_VICTIMS", "sex=male"): 2}
    with pytest.raises(ValidationError):  # no reason
        services.submission_correct(actor=coordinator, submission=sub, values=new, reason=" ")
    services.submission_correct(
        actor=coordinator,
        submission=sub,
        values=new,
        reason="Police found a case filed in February",
    )
    assert sub.values_dict()[("QPS_VICTIMS", "")] == 8
    entry = AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_type="statistics.submission", object_id=str(sub.pk)
    ).first()
    assert entry.reason == "Police found a case filed in February"
    assert entry.changes["correction"]["QPS_VICTIMS[]"] == [7, 8]
    value_entries = AuditEntry.objects.filter(
        object_type="statistics.datavalue", action=AuditAction.UPDATE
    )
    assert value_entries.filter(reason="Police found a case filed in February").count() == 2


def test_return_needs_a_comment_and_reopens(world):
    sub = _save(world, submit=True)
    coordinator = world.drenas.users["coordinator"]
    with pytest.raises(ValidationError):
        services.submission_return(actor=coordinator, submission=sub, comment="")
    services.submission_return(actor=coordinator, submission=sub, comment="Men are missing")
    assert sub.status == Status.RETURNED and sub.is_editable
    sub = _save(world, submit=True)
    assert sub.status == Status.SUBMITTED


def test_warning_against_last_year(world):
    inst = world.drenas.inst(K.POLICE)
    ds = DataSet.objects.get(code="POLICE")
    prev = services.submission_save(
        actor=None,
        institution=inst,
        data_set=ds,
        period_start=D(2024, 1, 1),
        period_end=D(2024, 1, 31),
        values={("POL_CASES", ""): 10},
        submit=True,
    )
    services.submission_approve(actor=None, submission=prev)
    sub = services.submission_save(
        actor=None,
        institution=inst,
        data_set=ds,
        period_start=D(2025, 1, 1),
        period_end=D(2025, 1, 31),
        values={("POL_CASES", ""): 31},
    )
    assert len(sub.warnings) == 1 and "31" in sub.warnings[0]  # a warning, not a block
    assert Submission.objects.filter(pk=sub.pk).exists()


def test_catalogue_can_grow_without_code(world):
    national = world.national
    d = services.disaggregation_create(
        actor=national,
        code="area",
        name_sq="Vendbanimi",
        name_sr="Naselje",
        name_en="Area",
        options=[("urban", "Qytet", "Grad", "Urban"), ("rural", "Fshat", "Selo", "Rural")],
    )
    e = services.element_create(
        actor=national,
        code="POL_REPEAT",
        name_sq="Raste të përsëritura",
        name_sr="Ponovljeni slučajevi",
        name_en="Repeat cases",
        disaggregations=[d],
        data_sets=[DataSet.objects.get(code="POLICE")],
    )
    sub = services.submission_save(
        actor=world.drenas.users[f"focal_{K.POLICE}"],
        institution=world.drenas.inst(K.POLICE),
        data_set=DataSet.objects.get(code="POLICE"),
        period_start=D(2025, 1, 1),
        period_end=D(2025, 1, 31),
        values={(e.code, ""): 3, (e.code, "area=urban"): 2, (e.code, "area=rural"): 1},
    )
    assert sub.values_dict()[("POL_REPEAT", "area=rural")] == 1
    for refused in (world.drenas.users[f"focal_{K.POLICE}"], world.drenas.users["coordinator"]):
        with pytest.raises(PermissionDenied):
            services.element_create(
                actor=refused,
                code="X_Y",
                name_sq="x",
                name_sr="x",
                name_en="x",
            )


def test_default_catalogue_is_installed_by_migration(db):
    from mkk.statistics.catalogue import ensure_default_catalogue
    from mkk.statistics.models import DataElement

    codes = set(DataElement.objects.values_list("code", flat=True))
    assert {
        "POL_CASES",
        "POL_VICTIMS",
        "POL_ARRESTS",
        "QPS_VICTIMS",
        "MV_CASES",
        "PRO_CASES",
        "PRO_INDICTMENTS",
        "GJK_PO_REQUESTS",
        "GJK_EPO_ISSUED",
        "GJK_PO_ISSUED",
        "GJK_JUDGMENTS",
        "STR_PERSONS",
        "NJF_PERSONS",
        "PUN_VICTIMS",
        "SHE_CASES",
        "ARS_CASES",
    } <= codes
    assert ensure_default_catalogue() == 0  # idempotent
    assert DataSet.objects.get(code="SHELTER").elements.get().disaggregations.count() == 2
