"""The MKK REST API (django-ninja): token authentication, the same access scoping as the
pages, pagination, and a rate limit per token.

Every endpoint loads its objects through the selectors and :mod:`mkk.accounts.scoping`
(404 for anything out of scope, 403 for a user who may see an object but not do this to
it) and writes only through the apps' services, so the API can do exactly what the pages
can. Sessions are not accepted here (no cookie, hence no CSRF to forge): a request carries
``Authorization: Bearer <token>``.

The operations live in one module per resource (``directory``, ``plans``, ``statistics``,
``reports``); what they share (authentication, pagination, list filters) in ``common``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from . import directory, plans, reports, statistics
from .common import CSPSafeSwagger, TokenAuth, TokenRateThrottle

api = NinjaAPI(
    title="MKK API",
    version="1.0",
    description=(
        "Read and write the data of the municipal coordination mechanisms against domestic "
        "violence with the rights of the token's user. Objects outside the user's scope "
        "answer 404."
    ),
    urls_namespace="api:v1",
    auth=TokenAuth(),
    throttle=[TokenRateThrottle()],
    # No deep links: Swagger UI puts the link inside the operation's toggle button, a
    # control within a control that screen readers do not announce (axe nested-interactive).
    docs=CSPSafeSwagger(settings={"validatorUrl": None, "deepLinking": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": _("You may not do this.")}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return api.create_response(
        request,
        {"detail": _("The request was refused; nothing was saved."), "errors": exc.messages},
        status=422,
    )


@api.exception_handler(NinjaValidationError)
def _schema_invalid(request, exc):
    """Input that does not fit the schema: the same shape as every other refusal."""
    errors = []
    for e in exc.errors:
        where = ".".join(str(part) for part in e.get("loc", ()) if part not in ("payload",))
        errors.append(f"{where}: {e.get('msg', '')}" if where else str(e.get("msg", "")))
    return api.create_response(
        request,
        {
            "detail": _("The request does not fit the API's schema; nothing was saved."),
            "errors": errors,
        },
        status=422,
    )


api.add_router("", directory.router)
api.add_router("", plans.router)
api.add_router("", statistics.router)
api.add_router("", reports.router)
