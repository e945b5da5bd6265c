"""/health: 200 when every part the service needs is right, else 503 naming the parts.

Parts: the database (answers a query), migrations (none pending), the private folder
(a file can be written and removed through the "private" storage) and the broker of the
background jobs (answers, only when MKK_BROKER_URL is set). Never 500: every check catches
its own failure.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

log = logging.getLogger(__name__)

OK = "ok"
_migrations_ok_until = 0.0  # the migration check is cached for a minute once it passes


def check_database() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return OK
    except Exception:  # noqa: BLE001 - any failure means the part is not right
        log.warning("health: database unavailable", exc_info=True)
        return "unavailable"


def check_migrations() -> str:
    global _migrations_ok_until
    if time.monotonic() < _migrations_ok_until:
        return OK
    try:
        from django.db.migrations.executor import MigrationExecutor

        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        # Also one left out in the middle (a later one of the same app applied).
        unapplied = set(executor.loader.graph.nodes) - set(executor.loader.applied_migrations)
    except Exception:  # noqa: BLE001
        log.warning("health: migrations could not be read", exc_info=True)
        return "unknown"
    if plan or unapplied:
        return "pending"
    _migrations_ok_until = time.monotonic() + 60
    return OK


def check_private_storage() -> str:
    try:
        storage = storages["private"]
        name = storage.save("health/probe", ContentFile(b"ok"))
        storage.delete(name)
        return OK
    except Exception:  # noqa: BLE001
        log.warning("health: private storage not writable", exc_info=True)
        return "not writable"


def check_broker(url: str) -> str:
    try:
        scheme = urlsplit(url).scheme
        if scheme in {"redis", "rediss"}:
            import redis

            client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
            try:
                client.ping()
            finally:
                client.close()
        else:
            from kombu import Connection

            with Connection(url, connect_timeout=2) as conn:
                conn.ensure_connection(max_retries=1)
        return OK
    except Exception:  # noqa: BLE001
        log.warning("health: broker unavailable", exc_info=True)
        return "unavailable"


def run_checks() -> dict[str, str]:
    checks = {"database": check_database()}
    checks["migrations"] = check_migrations() if checks["database"] == OK else "unknown"
    checks["private_files"] = check_private_storage()
    broker = getattr(settings, "MKK_BROKER_URL", "")
    if broker:
        checks["broker"] = check_broker(broker)
    return checks


def health_response(request) -> JsonResponse:
    try:
        checks = run_checks()
        vendor = connections[DEFAULT_DB_ALIAS].vendor
    except Exception:  # noqa: BLE001 - last resort: still never a 500
        log.exception("health: check failed")
        checks, vendor = {"health": "failed"}, ""
    failing = [part for part, state in checks.items() if state != OK]
    response = JsonResponse(
        {
            "status": "error" if failing else OK,
            "failing": failing,
            "vendor": vendor,
            **checks,
        },
        status=503 if failing else 200,
    )
    add_never_cache_headers(response)
    return response
