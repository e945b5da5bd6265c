"""The runtime role on PostgreSQL: it adds to the audit log and reads it, and can do nothing
else to it (no UPDATE, DELETE, TRUNCATE, ALTER ... DISABLE TRIGGER); normal tables work."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="database roles are PostgreSQL's (DATABASE_URL=postgres://...)",
)

INSERT_AUDIT = (
    "INSERT INTO audit_auditentry (timestamp, actor_username, action, object_type, object_id,"
    " object_repr, changes, reason) VALUES (now(), 'runtime', 'create', 'test', '1', 't',"
    " '{}', '') RETURNING id"
)


def _connect(user: str):
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=user,
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
        autocommit=True,
    )


@pytest.fixture
def runtime_role():
    name = f"mkk_app_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {name} LOGIN")
        cursor.execute(f"GRANT CONNECT ON DATABASE {connection.settings_dict['NAME']} TO {name}")
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {name}")
        cursor.execute(f"DROP ROLE {name}")


def _fails(conn, sql: str, message: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match=message):
        conn.execute(sql)


@pytest.mark.django_db(transaction=True)
def test_runtime_role_cannot_rewrite_the_audit_log(runtime_role, world):
    call_command("db_roles", apply=True, runtime=runtime_role)
    with _connect(runtime_role) as conn:
        assert conn.execute("SELECT current_user").fetchone()[0] == runtime_role
        new_id = conn.execute(INSERT_AUDIT).fetchone()[0]  # INSERT works
        assert conn.execute(
            "SELECT actor_username FROM audit_auditentry WHERE id = %s", [new_id]
        ).fetchone() == ("runtime",)  # SELECT works
        _fails(conn, "TRUNCATE audit_auditentry", "permission denied")
        _fails(conn, "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL", "must be owner")
        _fails(
            conn,
            "ALTER TABLE audit_auditentry DISABLE TRIGGER mkk_audit_append_only",
            "must be owner",
        )
        _fails(conn, "UPDATE audit_auditentry SET reason = 'x'", "permission denied")
        _fails(conn, "DELETE FROM audit_auditentry", "permission denied")
        _fails(conn, "DROP TABLE audit_auditentry", "must be owner")
        # Normal tables: full read and write.
        user_id = world.drenas.users["coordinator"].pk
        conn.execute("UPDATE accounts_user SET first_name = 'Ema' WHERE id = %s", [user_id])
        conn.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date)"
            " VALUES ('k' || md5(random()::text), 'x', now())"
        )
        assert conn.execute("DELETE FROM django_session").rowcount >= 1
        _fails(conn, "TRUNCATE django_session", "permission denied")


@pytest.mark.django_db(transaction=True)
def test_the_application_runs_as_the_runtime_role(runtime_role, tmp_path):
    """/health (database and migrations readable) and an audited write, as the runtime role."""
    call_command("db_roles", apply=True, runtime=runtime_role)
    db = connection.settings_dict
    script = (
        "import json, django\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "from mkk.audit.models import AuditEntry\n"
        "from mkk.directory.models import Municipality\n"
        "r = Client().get('/health')\n"
        "n = AuditEntry.objects.count()\n"
        "Municipality.objects.create(code='prove', name_sq='Provë', name_en='Prove')\n"
        "added = AuditEntry.objects.count() - n\n"
        "print(json.dumps({'health': r.status_code, 'audit_added': added}))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mkk.config.settings_test",
        "DATABASE_URL": f"postgres://{runtime_role}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "MKK_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out == {"health": 200, "audit_added": 1}


def test_print_sql_names_the_roles(capsys):
    call_command("db_roles", print_sql=True, owner="mkk_owner", runtime="mkk_app", database="mkk")
    sql = capsys.readouterr().out
    assert "CREATE DATABASE mkk OWNER mkk_owner" in sql
    assert "GRANT SELECT, INSERT ON audit_auditentry TO mkk_app;" in sql
    assert "ALTER DEFAULT PRIVILEGES FOR ROLE mkk_owner" in sql
    assert "REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_auditentry" in sql
