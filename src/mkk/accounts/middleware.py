from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

#: Paths a signed-in user may reach before passing the second factor (logging in, the
#: second-factor pages, the one-time links, the password reset by e-mail, public pages).
_OPEN_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/otp/",
    "/accounts/enrol/",
    "/accounts/password/reset/",
    "/static/",
    "/health",
    "/i18n/",
    "/public/",
)

#: Session key: when the user logged in (seconds since the epoch).
AUTH_AT = "_mkk_auth_at"


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


def remember_login_time(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: the absolute lifetime counts from here."""
    if request is not None and hasattr(request, "session"):
        request.session[AUTH_AT] = time.time()


class AbsoluteSessionLifetimeMiddleware:
    """A session ends MKK_SESSION_MAX_AGE seconds after login (ASVS 3.3.2), however active
    it is; the idle expiry (SESSION_COOKIE_AGE, renewed on each request) applies as well."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(AUTH_AT)
            now = time.time()
            if not isinstance(started, int | float):
                request.session[AUTH_AT] = now  # a session from before this rule: count now
            elif now - started > settings.MKK_SESSION_MAX_AGE:
                logout(request)
                messages.info(request, _("Your session has ended. Log in again."))
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
        return self.get_response(request)
