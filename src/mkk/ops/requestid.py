"""The request id: one per request, on every log line of the request and of its jobs.

An incoming ``X-Request-ID`` (set by the reverse proxy or a caller) is kept only when it is
well-formed (8 to 64 letters, digits, ``-``, ``_``, ``.``); anything else is replaced by a new
random id, so a client cannot inject text into the logs. The id is returned in the response.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "mkk_request_id", default=None
)


def new_id() -> str:
    return uuid.uuid4().hex


def accept(value: str | None) -> str:
    """The incoming id if well-formed, else a fresh one."""
    if value and _WELL_FORMED.fullmatch(value):
        return value
    return new_id()


def get() -> str | None:
    return _current.get()


def set(value: str | None) -> contextvars.Token:  # noqa: A001 - mirrors ContextVar.set
    return _current.set(value)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` on every record (None outside a request or job)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _current.get()
        return True
