from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

#: Paths a signed-in user may reach before passing the second factor.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/health", "/i18n/", "/public/")


def needs_second_factor(user) -> bool:
    return bool(
        user.is_authenticated
        and user.role in settings.MKK_OTP_REQUIRED_ROLES
        and not user.is_verified()
    )


class SecondFactorMiddleware:
    """Roles that handle sensitive data must pass TOTP before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and needs_second_factor(user)
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            return redirect(f"{reverse('accounts:otp')}?next={request.path}")
        return self.get_response(request)
