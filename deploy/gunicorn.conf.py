"""gunicorn settings for MKK (used by deploy/mkk-web.service and `make serve`).

Every value can be changed from the environment file without editing this file.
"""

import multiprocessing
import os
import shutil
import tempfile

bind = os.environ.get("MKK_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("MKK_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("MKK_WEB_THREADS", 1))
# Report rendering of a long period can take a while; past this a worker is restarted.
timeout = int(os.environ.get("MKK_WEB_TIMEOUT", 120))
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then (memory of long-running processes)
max_requests_jitter = 200
# Only the reverse proxy on this machine may set X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("MKK_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Files the processes create are readable by their owner only.
umask = 0o077
# One JSON line per request comes from MKK itself (logger mkk.request, with the request id);
# gunicorn's own access log would repeat it without the id.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Off: MKK's own mkk.request line carries the request id (accesslog = None alone
        # does not silence it once a logging config is given).
        "gunicorn.access": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Prometheus counters summed over all workers (prometheus_client multiprocess mode).
_prom_dir = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), f"mkk-prometheus-{os.getuid()}")
)


def on_starting(server):
    shutil.rmtree(_prom_dir, ignore_errors=True)
    os.makedirs(_prom_dir, mode=0o700, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
