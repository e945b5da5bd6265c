"""Who is acting, from where: set by the middleware for requests, by commands otherwise."""

from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user: object | None = None
    ip_address: str | None = None
    reason: str = ""


_NOBODY = Actor()  # frozen dataclass: safe as a shared default
_current: contextvars.ContextVar[Actor] = contextvars.ContextVar(
    "mkk_audit_actor",
    default=_NOBODY,  # noqa: B039 - immutable (frozen) value
)


def current() -> Actor:
    return _current.get()


@contextlib.contextmanager
def acting(user=None, ip_address: str | None = None, reason: str = ""):
    """Attribute every audited change inside the block to ``user``."""
    token = _current.set(Actor(user=user, ip_address=ip_address, reason=reason))
    try:
        yield
    finally:
        _current.reset(token)


def client_ip(request) -> str | None:
    """The client's address, honouring MKK_PROXY_COUNT trusted proxies (same rule as axes)."""
    from django.conf import settings

    count = getattr(settings, "MKK_PROXY_COUNT", 0)
    if count:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR") or None
