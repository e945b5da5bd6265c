"""What every API module shares: token authentication and the rate limit, the answers an
operation documents, the pagination, the query parameters of lists and their filters."""

import datetime as dt
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Path, Query
from ninja.openapi.docs import Swagger
from ninja.pagination import LimitOffsetPagination
from ninja.schema import Schema
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle
from pydantic import Field

from mkk.audit.context import Actor, _current, client_ip
from mkk.core.languages import LANGUAGE_CODES as LANGUAGES
from mkk.directory import selectors as directory_selectors
from mkk.directory.models import Municipality

from . import schemas as s
from .services import token_authenticate

FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


# --- Authentication, language, audit context, rate limit -------------------------------------


def _language(request, user) -> str:
    """The Accept-Language header when it names one of ours, else the user's language."""
    for part in request.headers.get("Accept-Language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag in LANGUAGES:
            return LANGUAGES[tag]
    return user.language if user.language in LANGUAGES.values() else settings.LANGUAGE_CODE


class TokenAuth(HttpBearer):
    """``Authorization: Bearer mkk_…``: a personal access token, never a session."""

    openapi_description = "A personal access token created on the profile page (API tokens)."

    def authenticate(self, request, token):
        ip = client_ip(request)
        api_token = token_authenticate(token, ip_address=ip)
        if api_token is None:
            return None
        request.user = api_token.user
        # The audit middleware ran before authentication: changes made by this request are
        # the token user's (the middleware restores the previous context when it ends).
        _current.set(Actor(user=api_token.user, ip_address=ip))
        translation.activate(_language(request, api_token.user))
        return api_token


class TokenRateThrottle(SimpleRateThrottle):
    """``MKK_API_RATE`` requests per token (e.g. "120/min") in Django's cache (Redis in
    production, so that every worker process shares the count). Over the limit: 429 with
    Retry-After (seconds)."""

    scope = "api-token"

    def __init__(self):
        super().__init__(settings.MKK_API_RATE)

    def allow_request(self, request):
        self.rate = settings.MKK_API_RATE  # read on each request (settings can change in tests)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        token = getattr(request, "auth", None)
        if token is None:
            return None
        return f"mkk-api-rate:{token.pk}"

    def wait(self):
        if self.history:
            return max(1.0, self.duration - (self.now - self.history[-1]))
        return float(self.duration)


class CSPSafeSwagger(Swagger):
    """Swagger UI from django-ninja's bundled files (no CDN), in a page of our own that
    the strict Content-Security-Policy accepts: no inline script or style."""

    template = "api/docs.html"

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings), "api": api}
        return render(request, self.template, context)


class Pages(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=500, description="Items per page (at most 500).")
        offset: int = Field(0, ge=0, le=10_000_000, description="Items to skip.")


def answers(ok) -> dict:
    """Every status an operation can answer, each with its body schema."""
    return {200: ok, 401: s.Error, 403: s.Error, 404: s.Error, 422: s.Errors, 429: s.Error}


def refuse(*messages: str):
    raise ValidationError(list(messages))


def check_range(start: dt.date | None, end: dt.date | None) -> None:
    for day in (start, end):
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            refuse(_("Dates must lie between 2000 and 2100."))
    if start and end and end < start:
        refuse(_("The period ends before it starts."))


def municipality_of(request, code: str | None) -> Municipality | None:
    return directory_selectors.municipality_for(request.user, code) if code else None


MAX_ID = 2_147_483_647


def code_param():
    return Query(None, pattern=s.MUNICIPALITY_CODE, description="Municipality code, e.g. drenas.")


def from_param():
    return Query(None, description="Only what ends on or after this day.")


def to_param():
    return Query(None, description="Only what starts on or before this day.")


def path_id():
    return Path(..., ge=1, le=MAX_ID)


def query_id():
    return Query(None, ge=1, le=MAX_ID)


def narrowed(
    qs: QuerySet,
    *,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    **equal,
) -> QuerySet:
    """A list's filters, as every list endpoint reads them: each ``field=value`` whose value
    was given (not ``None`` or empty), and what overlaps [period_from, period_to] (both
    optional: what ends on or after the first day and starts on or before the last)."""
    check_range(period_from, period_to)
    qs = qs.filter(**{field: value for field, value in equal.items() if value not in (None, "")})
    if period_from:
        qs = qs.filter(period_end__gte=period_from)
    if period_to:
        qs = qs.filter(period_start__lte=period_to)
    return qs
