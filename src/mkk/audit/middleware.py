from __future__ import annotations

from .context import Actor, _current, client_ip


class AuditContextMiddleware:
    """Makes the request's user and address the actor of every audited change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        actor = Actor(
            user=user if user is not None and user.is_authenticated else None,
            ip_address=client_ip(request),
        )
        token = _current.set(actor)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
