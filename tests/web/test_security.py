"""Production settings pass `check --deploy`; responses carry the security headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DEBUG", "MKK_", "SECURE_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "mkk.config.settings",
            "DEBUG": "False",
            "SECRET_KEY": "x" * 20 + "-production-like-secret-key-with-enough-entropy-0123456789",
            "MKK_FIELD_KEYS": "gKOdBbyqn4dY3i8nDqEq0-4nTn1Tsv8cRdeLw0Lbw6M=",
            "MKK_PSEUDONYM_KEY": "production-like-pseudonym-key",
            "ALLOWED_HOSTS": "mkk.example.org",
            "MKK_VAR_DIR": str(tmp_path),
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_keys(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DEBUG", "MKK_", "SECRET_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "mkk.config.settings",
            "DEBUG": "False",
            "MKK_VAR_DIR": str(tmp_path),
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert "mkk.E001" in result.stderr
    # Serving refuses too, while a command that needs no secret still works.
    wsgi = subprocess.run(
        [sys.executable, "-c", "import sys; sys.path.insert(0, 'src'); import mkk.config.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert wsgi.returncode != 0 and "must be set in the environment" in wsgi.stderr
    migrations = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrations.returncode == 0, migrations.stdout + migrations.stderr


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/public/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_no_view_uses_objects_get_on_scoped_models():
    """Views load objects through the scoping module (missing and forbidden are both 404)."""
    offenders = []
    for path in (ROOT / "src" / "mkk").glob("*/views*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if ".objects.get(" in line or "get_object_or_404(" in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    allowed = {"src/mkk/directory/views.py"}  # public pages go through public selectors
    offenders = [o for o in offenders if o.split(":")[0] not in allowed]
    assert not offenders, offenders


@pytest.mark.django_db
def test_signed_in_pages_are_not_cached(client, world):
    from tests.conftest import login

    login(client, world.drenas.users["coordinator"])
    response = client.get("/m/drenas/")
    assert "no-store" in response.headers["Cache-Control"]
    client.logout()
    assert "no-store" not in client.get("/public/drenas/").headers.get("Cache-Control", "")
