"""Backup and restore on PostgreSQL: into a NEW database, same rows, same files, identities
readable with the escrowed keys, and no key and no plaintext identity inside the backup."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from mkk.directory.models import InstitutionKind as K
from mkk.ops.backup import row_counts
from mkk.plans import services as plan_services
from tests.cases.helpers import ADDRESS, NAME, NUMBER, identity, open_case
from tests.plans.helpers import make_plan

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the backup/restore test runs on PostgreSQL (DATABASE_URL=postgres://...)",
)


def _tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _admin_conn():
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture
def new_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    with _admin_conn() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with _admin_conn() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _load(world):
    """Cases with encrypted identities and evidence files, through the services."""
    worker = world.drenas.users["case_social_work"]
    open_case(worker)
    open_case(worker, ident=identity(name="Blerta Provë", number="9876501234"))
    plan = make_plan(world.drenas, lead_kind=K.SOCIAL_WORK, n_actions=1)
    from mkk.plans.models import ProgressUpdate

    update = ProgressUpdate.objects.create(
        action=plan.actions.get(),
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        status="in_progress",
    )
    for i in range(2):
        plan_services.evidence_add(
            actor=world.drenas.users["focal_social_work"],
            update=update,
            name=f"raport-{i}.pdf",
            data=b"%PDF-1.4\n" + bytes([i]) * 5000 + b"\n%%EOF\n",
        )


VERIFY = """
import json, django
django.setup()
from mkk.cases.models import VictimIdentity
from mkk.ops.backup import row_counts
from mkk.plans.models import Evidence
from mkk.plans.evidence import evidence_open
import hashlib
ids = sorted((v.full_name, v.personal_number, v.address) for v in VictimIdentity.objects.all())
ev = []
for e in Evidence.objects.all():
    with evidence_open(e) as fh:
        ev.append(hashlib.sha256(fh.read()).hexdigest() == e.sha256)
print(json.dumps({"counts": row_counts(), "identities": ids, "evidence_ok": ev}))
"""


def _run(args, env):
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.django_db(transaction=True)
def test_backup_restore_into_a_new_database(world, tmp_path, new_database):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    _load(world)
    source_counts = row_counts()
    source_files = _tree(tmp_path / "private")
    assert len(source_files) == 2

    out = tmp_path / "backup"
    call_command("backup", output=str(out))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"] == source_counts
    assert {f["path"] for f in manifest["files"]} == set(source_files)
    assert (out / "manifest.json").stat().st_mode & 0o077 == 0
    assert (out / "database.dump").stat().st_mode & 0o077 == 0

    # Nothing secret inside: no key, no plaintext identity (it is encrypted at rest).
    sql = _run(["pg_restore", "--file=-", str(out / "database.dump")], os.environ).stdout
    assert "victim_key" in sql  # the dump is readable SQL...
    everything = sql + (out / "manifest.json").read_text()
    for secret in (
        settings.SECRET_KEY,
        *settings.MKK_FIELD_KEYS,
        settings.MKK_PSEUDONYM_KEY,
        NAME,
        NUMBER,
        ADDRESS,
        "Blerta",
    ):
        assert secret not in everything

    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mkk.config.settings_test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{new_database}",
        "MKK_PRIVATE_MEDIA_ROOT": str(tmp_path / "restored"),
        "MKK_VAR_DIR": str(tmp_path / "var"),
    }
    result = _run([sys.executable, "manage.py", "restore", str(out)], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "same row counts" in result.stdout

    result = _run([sys.executable, "-c", VERIFY], env)
    assert result.returncode == 0, result.stderr
    restored = json.loads(result.stdout.strip().splitlines()[-1])
    assert restored["counts"] == source_counts
    assert _tree(tmp_path / "restored") == source_files
    assert restored["evidence_ok"] == [True, True]
    assert restored["identities"] == sorted(
        [[NAME, NUMBER, ADDRESS], ["Blerta Provë", "9876501234", ADDRESS]]
    )

    # Restoring again into the now filled database is refused, the data untouched.
    again = _run([sys.executable, "manage.py", "restore", str(out)], env)
    assert again.returncode != 0 and "not empty" in again.stderr


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused(world, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    _load(world)
    out = tmp_path / "backup"
    call_command("backup", output=str(out))
    call_command("restore", str(out), check=True)  # intact: passes
    damaged = next((out / "files").rglob("*"))
    while damaged.is_dir():
        damaged = next(damaged.iterdir())
    damaged.write_bytes(damaged.read_bytes() + b"x")
    with pytest.raises(CommandError, match="Checksums do not match"):
        call_command("restore", str(out), check=True)
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", output=str(out))
