"""Logging configuration: JSON lines (python-json-logger) or plain text, with the request id.

python-json-logger is a small, maintained formatter for the standard ``logging`` module, so
Django's, gunicorn's and Celery's own loggers come out as JSON with no change to their calls
(structlog would need its own logger calls everywhere to pay off).
"""

from __future__ import annotations

JSON_FIELDS = "%(levelname)s %(name)s %(message)s %(request_id)s"


def mkk_logging(*, fmt: str = "json", level: str = "INFO") -> dict:
    formatter = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601, UTC
        }
        if fmt == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "mkk.ops.requestid.RequestIdFilter"}},
        "formatters": {"mkk": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "mkk",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own request logger repeats what mkk.request says; keep its errors.
            "django.request": {"level": "ERROR"},
            "django.server": {"level": "WARNING"},
            "django.db.backends": {"level": "WARNING"},
        },
    }
