"""The request id travels to the Celery jobs a request starts (a real worker on Redis DB 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from mkk.config.celery import app
from mkk.ops import requestid

from .tasks import log_line

ROOT = Path(__file__).resolve().parents[2]
BROKER = "redis://127.0.0.1:6379/2"


@pytest.fixture
def worker(tmp_path):
    queue = f"ops-test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mkk.config.settings_test",
        "MKK_BROKER_URL": BROKER,
        "MKK_VAR_DIR": str(tmp_path),
        "PYTHONPATH": f"{ROOT}:{ROOT / 'src'}",
    }
    with open(log, "w") as out:
        proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "mkk.config.celery", "worker", "-l", "INFO"]
            + ["-I", "tests.ops.tasks", "-P", "solo", "-Q", queue, "--without-heartbeat"]
            + ["--without-gossip", "--without-mingle"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield queue, log
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _lines(log: Path) -> list[dict]:
    lines = []
    for raw in log.read_text().splitlines():
        try:
            lines.append(json.loads(raw))
        except ValueError:
            continue
    return lines


def test_job_started_by_a_request_logs_its_request_id(worker, settings):
    queue, log = worker
    rid = f"req-{uuid.uuid4().hex[:12]}"
    text = f"job line {uuid.uuid4().hex}"
    token = requestid.set(rid)  # as RequestIdMiddleware does for the request
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with app.connection_for_write(BROKER) as conn:
            log_line.apply_async(args=[text], queue=queue, connection=conn)
    finally:
        app.conf.task_always_eager = eager
        requestid.reset(token)
    deadline = time.monotonic() + 120
    mine = []
    while time.monotonic() < deadline and not mine:
        mine = [line for line in _lines(log) if line.get("message") == text]
        time.sleep(0.5)
    assert mine, log.read_text()[-3000:]
    assert mine[0]["request_id"] == rid
    assert mine[0]["logger"] == "mkk.test.task"
