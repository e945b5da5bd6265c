from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mkk.accounts import scoping
from mkk.directory import selectors as directory_selectors
from mkk.ops.health import health_response

from . import dashboard


@require_GET
@never_cache
def health(request):
    """200 when the service is right, else 503 naming the part (see mkk/ops/health.py).

    Normally answered earlier by mkk.ops.middleware.HealthMiddleware; kept for reverse()."""
    return health_response(request)


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
