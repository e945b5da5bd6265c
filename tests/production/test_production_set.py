"""The production set, started for real: gunicorn (DEBUG off) on a PostgreSQL database of its
own, a Celery worker on the local Redis (database 1), an aiosmtpd SMTP server.

A case worker logs in with the second factor, the page's CSS answers 200, an urgent referral
reaches the receiver by e-mail and in the inbox; with the SMTP server stopped the next one is
recorded as failed, retried, and delivered once the server is back. Bounded: short backoff
(MKK_EMAIL_RETRY_SECONDS=1) and a time limit on every wait.

Runs with ``-m production`` when MKK_PRODUCTION_TEST=1 (``make test`` does); it needs
PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest
from cryptography.fernet import Fernet
from django_otp.oath import TOTP

from ..notifications.smtp import SMTPServer, free_port
from .seed import KEY, PASSWORD

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG = os.environ.get("MKK_PRODUCTION_TEST_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = "redis://127.0.0.1:6379/1"  # the jobs helper's Redis database

pytestmark = [
    pytest.mark.production,
    pytest.mark.skipif(
        os.environ.get("MKK_PRODUCTION_TEST") != "1",
        reason="starts servers: run with MKK_PRODUCTION_TEST=1 -m production (make test does)",
    ),
]


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def wait(what: str, check, timeout: float = 60.0, every: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A minimal HTTP client that keeps cookies itself (the server marks them Secure, and this
    test speaks plain HTTP to 127.0.0.1, as a TLS proxy in front would)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def go(self, path: str, data: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - http only
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if body is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as exc:
            response = exc
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        text = response.read().decode("utf-8", "replace")
        return response.status, response.headers, text

    def form(self, path: str, fields: dict):
        status, _h, page = self.go(path)
        assert status == 200, (path, status)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.go(path, {"csrfmiddlewaretoken": token, **fields})

    def login(self, username: str):
        status, headers, _ = self.form(
            "/accounts/login/", {"username": username, "password": PASSWORD}
        )
        assert status == 302, status
        status, headers, _ = self.go(headers["Location"])  # the second factor is asked for
        if status == 302:
            status, headers, _ = self.go(headers["Location"])
        code = TOTP(bytes.fromhex(KEY)).token()
        status, headers, _ = self.form("/accounts/otp/", {"token": f"{code:06d}"})
        assert status == 302, f"second factor refused ({status})"


class ProductionSet:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.db = f"mkk_production_{secrets.token_hex(4)}"
        self.port = free_port()
        self.smtp = SMTPServer()
        self.processes: list[subprocess.Popen] = []
        self.logs: dict[str, Path] = {}
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
            "DJANGO_SETTINGS_MODULE": "mkk.config.settings",
            "DEBUG": "False",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "MKK_FIELD_KEYS": Fernet.generate_key().decode(),
            "MKK_PSEUDONYM_KEY": secrets.token_urlsafe(32),
            "DATABASE_URL": f"{PG}/{self.db}",
            "MKK_BROKER_URL": REDIS_URL,
            "MKK_VAR_DIR": str(tmp / "var"),
            "MKK_PRIVATE_MEDIA_ROOT": str(tmp / "var" / "private"),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "False",
            "MKK_SITE_URL": f"http://127.0.0.1:{self.port}",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp.port),
            "EMAIL_TIMEOUT": "5",
            "DEFAULT_FROM_EMAIL": "mkk@example.invalid",
            "MKK_EMAIL_RETRY_SECONDS": "1",
            "MKK_EMAIL_MAX_TRIES": "8",
            "MKK_LOG_FORMAT": "text",
            "LOG_LEVEL": "INFO",
            # deploy/gunicorn.conf.py reads these (the documented production command).
            "MKK_BIND": f"127.0.0.1:{self.port}",
            "MKK_WEB_WORKERS": "2",
            "PROMETHEUS_MULTIPROC_DIR": str(tmp / "prometheus"),
        }

    # --- processes ---------------------------------------------------------------------
    def run(self, *args: str) -> str:
        done = subprocess.run(
            [str(BIN / "python"), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def start(self, name: str, *command: str) -> subprocess.Popen:
        log = self.tmp / f"{name}.log"
        self.logs[name] = log
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log.open("w"), stderr=subprocess.STDOUT
        )
        self.processes.append(process)
        return process

    def log(self, name: str) -> str:
        return self.logs[name].read_text(errors="replace")

    def sql(self, query: str, *params):
        with psycopg.connect(f"{PG}/{self.db}", autocommit=True) as conn:
            return conn.execute(query, params).fetchall()

    def __enter__(self):
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.db}"')
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        self.run("manage.py", "migrate", "--noinput")
        self.run("manage.py", "collectstatic", "--noinput")
        self.data = json.loads(self.run("-m", "tests.production.seed"))
        self.smtp.start()
        self.start(
            "worker",
            str(BIN / "celery"),
            "-A",
            "mkk.config.celery",
            "worker",
            "-l",
            "INFO",
            "--concurrency",
            "1",
        )
        self.start(
            "gunicorn",
            str(BIN / "gunicorn"),
            "-c",
            "deploy/gunicorn.conf.py",
            "mkk.config.wsgi",
        )
        wait("gunicorn", lambda: _reachable("127.0.0.1", self.port), timeout=60)
        wait("the Celery worker", lambda: "ready." in self.log("worker"), timeout=90)
        return self

    def __exit__(self, *exc):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.smtp.stop()
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
        shutil.rmtree(self.tmp / "var", ignore_errors=True)


def _outbox(prod: ProductionSet, address: str):
    rows = prod.sql(
        "SELECT status, tries, last_error FROM notifications_outboxmessage "
        'WHERE "to"::text LIKE %s ORDER BY id',
        f"%{address}%",
    )
    return rows


@pytest.mark.skipif(
    not (_reachable("127.0.0.1", 5432) and _reachable("127.0.0.1", 6379)),
    reason="needs PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379",
)
def test_production_set_delivers_and_retries(tmp_path):
    with ProductionSet(tmp_path) as prod:
        base = f"http://127.0.0.1:{prod.port}"
        police = Browser(base)
        police.login("prod.police")

        # A page with DEBUG off, and its (hashed, compressed) stylesheet from whitenoise.
        status, headers, page = police.go("/")
        assert status == 200, page[:500]
        css = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
        assert re.search(r"\.[0-9a-f]{12}\.css$", css), css
        status, headers, body = police.go(css)
        assert status == 200 and headers["Content-Type"].startswith("text/css")
        assert ".site-header" in body

        # An urgent referral: the receiver's e-mail arrives, from the worker.
        case1, case2 = prod.data["cases"]
        ref1, ref2 = prod.data["references"]
        status, headers, _ = police.form(
            f"/cases/{case1}/refer/",
            {
                "to_institution": prod.data["social_work"],
                "urgency": "urgent",
                "reason": "Vlerësim i menjëhershëm",
            },
        )
        assert status == 302, status
        [got] = prod.smtp.wait_for(1, timeout=60)
        assert got["to"] == ["qps.prod@example.invalid"]
        subject = got["message"]["Subject"]
        assert subject == f"MKK: Referim URGJENT: rasti {ref1}"
        text = got["message"].get_content()
        assert f"{base}/cases/referrals/" in text
        assert "Sintetike" not in text and "99900000" not in text
        wait(
            "the worker to report the delivery",
            lambda: re.search(r"deliver_email\[[^]]+\] succeeded", prod.log("worker")),
            timeout=30,
        )
        assert _outbox(prod, "qps.prod@example.invalid") == [("sent", 1, "")]

        # The inbox entry, for the receiver (with the unread count in the header).
        qps = Browser(base)
        qps.login("prod.qps")
        status, _h, inbox = qps.go("/notifications/")
        assert status == 200
        assert f"Referim URGJENT: rasti {ref1}" in inbox
        assert 'class="badge inbox-count">1<' in inbox

        # The mail server goes down: the next referral is still sent (no error for the user),
        # its e-mail fails and is retried with backoff.
        prod.smtp.stop()
        status, headers, _ = police.form(
            f"/cases/{case2}/refer/",
            {"to_institution": prod.data["shelter"], "urgency": "urgent", "reason": "Strehim"},
        )
        assert status == 302, status
        rows = wait(
            "two failed tries",
            lambda: [r for r in _outbox(prod, "shelter.prod@example.invalid") if r[1] >= 2],
            timeout=60,
        )
        status_, tries, error = rows[0]
        assert status_ == "retrying" and "refused" in error.lower(), rows
        wait("the worker's retry", lambda: "Retry in" in prod.log("worker"), timeout=30)

        # The server is back on the same port: the retry delivers it.
        prod.smtp.start()
        got = prod.smtp.wait_for(2, timeout=60)[1]
        assert got["to"] == ["shelter.prod@example.invalid"]
        assert got["message"]["Subject"] == f"MKK: Referim URGJENT: rasti {ref2}"
        # The worker records the delivery just after the server has the message: wait for it.
        [(final, tries, _err)] = wait(
            "the worker to record the delivery",
            lambda: [r for r in _outbox(prod, "shelter.prod@example.invalid") if r[0] == "sent"],
            timeout=30,
        )
        assert final == "sent" and tries >= 3
        assert len(_outbox(prod, "shelter.prod@example.invalid")) == 1
