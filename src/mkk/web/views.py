from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mkk.accounts import scoping
from mkk.directory import selectors as directory_selectors

from . import dashboard


@require_GET
@never_cache
def health(request):
    """200 with the database status; 503 when the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db = "ok"
    except Exception:  # noqa: BLE001 - any database error means "down"
        db = "unavailable"
    status = 200 if db == "ok" else 503
    return JsonResponse(
        {"status": "ok" if db == "ok" else "error", "database": db, "vendor": connection.vendor},
        status=status,
    )


@login_required
@require_GET
def dashboard_view(request):
    user = request.user
    context = {
        "municipalities": directory_selectors.municipalities_for(user),
        "panels": dashboard.panels_for(request),
        "sees_all": scoping.sees_all_municipalities(user),
    }
    return render(request, "web/dashboard.html", context)


@login_required
@require_GET
def bench_bare(request):
    """The floor of ``make bench``'s load run: the page frame (base template, navigation,
    session, second factor, every middleware) with nothing in it. Routed only when
    ``settings.MKK_BENCH_VIEWS`` is on (never in production)."""
    return render(request, "web/bench_bare.html")
