"""/health: 503 naming the part that is not right, never 500."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from mkk.ops import health
from tests.conftest import login

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def _fresh(settings, tmp_path, monkeypatch):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MKK_BROKER_URL = ""
    monkeypatch.setattr(health, "_migrations_ok_until", 0.0)


def _get(client):
    response = client.get("/health")
    return response.status_code, json.loads(response.content)


def test_all_right(client):
    status, data = _get(client)
    assert status == 200
    assert data["status"] == "ok" and data["failing"] == []
    assert data["database"] == data["migrations"] == data["private_files"] == "ok"
    assert "broker" not in data  # not configured: not checked


def test_broker_up_and_down(client, settings):
    settings.MKK_BROKER_URL = "redis://127.0.0.1:6379/2"
    status, data = _get(client)
    assert status == 200 and data["broker"] == "ok"
    settings.MKK_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/2"
    status, data = _get(client)
    assert status == 503
    assert data["failing"] == ["broker"] and data["broker"] == "unavailable"


def test_read_only_private_folder(client, settings, readonly_dir):
    settings.PRIVATE_MEDIA_ROOT = readonly_dir
    status, data = _get(client)
    assert status == 503
    assert data["failing"] == ["private_files"] and data["private_files"] == "not writable"


def test_pending_migration(client):
    MigrationRecorder(connection).record_unapplied("audit", "0002_append_only_trigger")
    status, data = _get(client)
    assert status == 503
    assert data["failing"] == ["migrations"] and data["migrations"] == "pending"


def test_signed_in_session_cookie_is_fine(client, world):
    login(client, world.drenas.users["coordinator"])
    status, data = _get(client)
    assert status == 200 and data["status"] == "ok"
    assert "Set-Cookie" not in client.get("/health").headers  # answered before sessions


def test_database_down_is_503_not_500_even_with_a_session_cookie(tmp_path):
    """A separate process whose database is a closed port (a real failed connection)."""
    script = (
        "import django, json\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "c.cookies['sessionid'] = 'x' * 32\n"
        "r = c.get('/health')\n"
        "print(json.dumps({'status': r.status_code, 'body': json.loads(r.content)}))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mkk.config.settings_test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port()}/nothing",
        "MKK_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT / "src"),
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["status"] == 503
    assert out["body"]["database"] == "unavailable"
    assert "database" in out["body"]["failing"]
