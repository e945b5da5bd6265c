"""Middleware of the service: request id and access log line, and /health answered early."""

from __future__ import annotations

import logging
import time

from . import requestid

log = logging.getLogger("mkk.request")


class RequestIdMiddleware:
    """First in the chain: sets the request id for every log line, logs one line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = requestid.accept(request.META.get(requestid.META_KEY))
        request.request_id = rid
        token = requestid.set(rid)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[requestid.HEADER] = rid
            # Path only: query strings may carry search words.
            log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            requestid.reset(token)


class HealthMiddleware:
    """Answers /health before sessions, authentication or anything else can touch the
    database, so a broken database gives 503 and never 500 (also with a session cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/health":
            from .health import health_response

            return health_response(request)
        return self.get_response(request)
