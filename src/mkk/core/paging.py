"""Lists that grow: a page of them, and the list's filters to keep in the pager's links."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

PER_PAGE = 100


def page_of(request, items, per_page: int = PER_PAGE) -> Page:
    """The page the request asks for (``?page=``); a bad number gives the nearest page."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The request's query string without ``page``, for ``web/_pager.html``."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
