"""The load run of ``make bench``: gunicorn serving the bench database, locust headless with
logged-in users against each page in turn (see mkk.tools.bench)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

LOCUSTFILE = """
import os
from locust import HttpUser, constant, task

COOKIES = os.environ["MKK_BENCH_COOKIES"].split(",")
PATH = os.environ["MKK_BENCH_PATH"]
_next = iter(range(10**9))


class Visitor(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.client.cookies.set("sessionid", COOKIES[next(_next) % len(COOKIES)])

    @task
    def page(self):
        with self.client.get(PATH, name="page", allow_redirects=False,
                             catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sessions(username: str, n: int) -> list[str]:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from mkk.accounts.models import User

    user = User.objects.get(username=username)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    keys = []
    for _i in range(n):
        s = SessionStore()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        s[DEVICE_ID_SESSION_KEY] = device.persistent_id
        s.set_expiry(3600)
        s.create()
        keys.append(s.session_key)
    return keys


def _locust(port: int, path: str, cookies: list[str], users: int, seconds: int, folder: str):
    import csv

    locustfile = Path(folder) / "locustfile.py"
    locustfile.write_text(LOCUSTFILE)
    prefix = Path(folder) / f"run{abs(hash(path))}"
    env = dict(os.environ, MKK_BENCH_COOKIES=",".join(cookies), MKK_BENCH_PATH=path)
    locust = str(Path(sys.executable).with_name("locust"))
    subprocess.run(  # noqa: S603
        [locust, "-f", str(locustfile), "--headless", "-u", str(users), "-r", str(users),
         "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix),
         "--only-summary", "--loglevel", "ERROR", "--exit-code-on-error", "0"],
        env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        timeout=seconds + 60,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["Name"] == "page":
                return {
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50": float(row["50%"]) / 1000,
                    "p95": float(row["95%"]) / 1000,
                }
    # Not one request answered within the run: as slow as can be (the row fails).
    return {"requests": 0, "failures": 0, "p50": float("inf"), "p95": float("inf")}


def _drain(port: int, limit: float = 120.0) -> None:
    """Wait until the server has worked off the requests a previous run left queued (sync
    workers finish every accepted request), so that each run starts on an idle server."""
    import urllib.error
    import urllib.request

    deadline = time.time() + limit
    while time.time() < deadline:
        t0 = time.perf_counter()
        try:
            url = f"http://127.0.0.1:{port}/health"
            # Reviewed: a fixed http://127.0.0.1 URL of the benchmark's own server.
            with urllib.request.urlopen(url, timeout=limit) as r:  # noqa: S310  # nosec B310
                r.read()
        except urllib.error.HTTPError:
            pass  # an answer all the same
        if time.perf_counter() - t0 < 0.2:
            return
        time.sleep(0.5)


def measure_pages(env: dict, users: int, seconds: int, folder: str, out) -> tuple[list, dict]:
    """Serve the bench database with gunicorn (4 workers) and run locust against each page in
    turn; returns the pages (name, path) and each page's figures (requests, failures, p50, p95).
    """
    from django.core.management import call_command
    from django.db import connections

    call_command("collectstatic", interactive=False, verbosity=0)  # served as in production
    cookies = _sessions("drenas.coordinator", users)
    connections.close_all()
    port = _free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(  # noqa: S603
        [gunicorn, "mkk.config.wsgi:application", "-w", "4", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "--timeout", "120"],
        env=dict(os.environ, **env), stdout=subprocess.DEVNULL,
        stderr=open(Path(folder) / "gunicorn.log", "w"),  # noqa: SIM115
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.time() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    log = (Path(folder) / "gunicorn.log").read_text()[-2000:]
                    raise SystemExit(f"gunicorn did not start:\n{log}") from None
                time.sleep(0.3)
        pages = [
            ("bare authenticated view", "/bench/bare/"),
            ("coordinator dashboard", "/"),
            ("statistics page", "/m/drenas/statistics/"),
            ("plan page", "/m/drenas/plan/"),
        ]
        import urllib.request

        for _name, path in pages:  # warm every worker: imports, first queries, chart caches
            for _i in range(8):
                req = urllib.request.Request(  # noqa: S310
                    f"http://127.0.0.1:{port}{path}", headers={"Cookie": f"sessionid={cookies[0]}"}
                )
                # Reviewed: a fixed http://127.0.0.1 URL of the benchmark's own server.
                with urllib.request.urlopen(req, timeout=120) as r:  # noqa: S310  # nosec B310
                    if r.status != 200 or r.url.rstrip(
                        "/"
                    ) != f"http://127.0.0.1:{port}{path}".rstrip("/"):
                        raise SystemExit(f"{path}: {r.status} {r.url}")  # fmt: skip
        figures = {}
        for name, path in pages:
            _drain(port)
            figures[name] = _locust(port, path, cookies, users, seconds, folder)
            f = figures[name]
            out(
                f"  {name:<24} {path:<24} {f['requests']:>6} requests, {f['failures']} failed, "
                f"p50 {f['p50'] * 1000:.0f} ms, p95 {f['p95'] * 1000:.0f} ms"
            )
            if f["failures"]:
                raise SystemExit(f"{path}: {f['failures']} requests failed")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return pages, figures
