"""System checks of MKK's own configuration."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register


@register(deploy=True)
def secrets_present(app_configs=None, **kwargs):
    """mkk.E001 (`check --deploy`): with DEBUG off, every secret comes from the environment.

    Serving refuses as well (wsgi.py/asgi.py), so a server never starts without its keys;
    commands that need no secret (makemigrations) keep working.
    """
    return [
        Error(
            f"{name} must be set in the environment when DEBUG is off.",
            hint=f"Set {name} (or {name}_FILE); see README.md, Configuration.",
            id="mkk.E001",
        )
        for name in getattr(settings, "MKK_MISSING_SECRETS", [])
    ]


def refuse_to_serve_without_secrets() -> None:
    """Called by wsgi.py and asgi.py: never serve with a missing key."""
    from django.core.exceptions import ImproperlyConfigured

    missing = getattr(settings, "MKK_MISSING_SECRETS", [])
    if missing:
        raise ImproperlyConfigured(
            f"{', '.join(missing)} must be set in the environment when DEBUG is off."
        )
