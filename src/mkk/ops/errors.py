"""Error pages in the user's language inside the site's layout, each with a way back.

400/403/404 and the CSRF failure render ops/error.html (extends web/base.html); 500 renders
the self-contained 500.html with no context (nothing that could fail again: no database,
no context processors).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.csrf import requires_csrf_token


def _page(request, status: int, title: str, text: str) -> HttpResponse:
    return render(
        request,
        "ops/error.html",
        {"status": status, "error_title": title, "error_text": text},
        status=status,
    )


@requires_csrf_token
def bad_request(request, exception=None):
    return _page(
        request,
        400,
        pgettext("error page", "The request could not be understood"),
        _("Something in the request was not right. Go back and try again."),
    )


@requires_csrf_token
def permission_denied(request, exception=None):
    return _page(
        request,
        403,
        pgettext("error page", "You may not do this"),
        _("Your role does not allow this action. If you think it should, ask your coordinator."),
    )


@requires_csrf_token
def page_not_found(request, exception=None):
    return _page(
        request,
        404,
        pgettext("error page", "Page not found"),
        _("There is no page at this address, or it is not open to you."),
    )


@requires_csrf_token
def csrf_failure(request, reason=""):
    return _page(
        request,
        403,
        pgettext("error page", "The form has expired"),
        _(
            "For your safety, forms are valid only for a while and only on this site. "
            "Go back, reload the page and send the form again."
        ),
    )
