"""The audit log records every change and cannot itself be changed."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from mkk.audit.context import acting
from mkk.audit.models import AppendOnlyError, AuditAction, AuditEntry
from mkk.audit.services import SENSITIVE
from mkk.directory.models import Institution
from mkk.directory.models import InstitutionKind as K
from tests.conftest import login


def entries(obj):
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


@pytest.mark.django_db
def test_create_update_delete_are_recorded_with_before_and_after(world):
    user = world.drenas.users["coordinator"]
    with acting(user=user, ip_address="10.1.2.3"):
        inst = Institution.objects.create(
            municipality=world.drenas.municipality, kind=K.NGO, name_sq="OJQ Demo"
        )
        inst.phone = "038 000 000"
        inst.save()
        pk = inst.pk
        inst.delete()
    rows = list(
        AuditEntry.objects.filter(object_type="directory.institution", object_id=str(pk)).order_by(
            "pk"
        )
    )
    assert [r.action for r in rows] == [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE]
    assert all(r.actor == user and r.ip_address == "10.1.2.3" for r in rows)
    assert rows[0].changes["name_sq"] == [None, "OJQ Demo"]
    assert rows[1].changes == {"phone": ["", "038 000 000"]}
    assert rows[2].changes["name_sq"] == ["OJQ Demo", None]
    assert all(r.municipality_id == world.drenas.municipality.pk for r in rows)


@pytest.mark.django_db
def test_unchanged_save_writes_nothing(world):
    inst = world.drenas.inst(K.POLICE)
    before = entries(inst).count()
    inst.save()
    assert entries(inst).count() == before


@pytest.mark.django_db
def test_password_change_is_logged_without_the_hash(world):
    user = world.drenas.users["viewer"]
    user.set_password("another-password-456")
    user.save()
    row = entries(user).filter(action=AuditAction.UPDATE).latest("pk")
    assert row.changes["password"] == [SENSITIVE, SENSITIVE]
    assert "md5$" not in str(row.changes) and "argon2" not in str(row.changes)


@pytest.mark.django_db
def test_entries_cannot_be_changed_or_deleted(world):
    entry = AuditEntry.objects.create(action=AuditAction.OTHER, object_repr="x")
    entry.object_repr = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "x"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger is PostgreSQL's")
def test_postgres_trigger_refuses_raw_update_and_delete(world):
    entry = AuditEntry.objects.create(action=AuditAction.OTHER, object_repr="x")
    for sql in (
        "UPDATE audit_auditentry SET object_repr = 'tampered' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "x"


@pytest.mark.django_db
def test_login_logout_and_failed_login_are_recorded(client, world):
    user = world.drenas.users["viewer"]
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": "wrong"}
    )
    assert response.status_code == 200
    failed = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).latest("pk")
    assert failed.object_repr == user.username and failed.ip_address == "127.0.0.1"
    client.post(
        reverse("accounts:login"), {"username": user.username, "password": "test-password-123"}
    )
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN, actor=user).exists()
    client.post(reverse("accounts:logout"))
    assert AuditEntry.objects.filter(action=AuditAction.LOGOUT, actor=user).exists()


@pytest.mark.django_db
def test_admin_cannot_add_change_or_delete_entries(client, world):
    from django.contrib import admin

    from mkk.audit.admin import AuditEntryAdmin

    model_admin = AuditEntryAdmin(AuditEntry, admin.site)
    request = type("R", (), {"user": world.admin})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


@pytest.mark.django_db
def test_coordinator_reads_own_municipality_entries_filtered(client, world):
    d_inst, g_inst = world.drenas.inst(K.POLICE), world.gjilan.inst(K.POLICE)
    with acting(user=world.drenas.users["coordinator"]):
        d_inst.phone = "111"
        d_inst.save()
    with acting(user=world.gjilan.users["coordinator"]):
        g_inst.phone = "222"
        g_inst.save()
    login(client, world.drenas.users["coordinator"])
    page = client.get(reverse("audit:index"), {"object_type": "directory.institution"})
    assert page.status_code == 200
    body = page.content.decode()
    assert d_inst.name_sq in body and g_inst.name_sq not in body
    filtered = client.get(reverse("audit:index"), {"username": "nobody"})
    assert d_inst.name_sq not in filtered.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["focal_police", "case_police", "viewer"])
def test_other_roles_cannot_read_the_audit_log(client, world, who):
    login(client, world.drenas.users[who])
    assert client.get(reverse("audit:index")).status_code == 403
