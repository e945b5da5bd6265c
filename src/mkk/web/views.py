from __future__ import annotations

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from mkk.accounts import scoping
from mkk.directory import selectors as directory_selectors
from mkk.meetings import selectors as meetings_selectors
from mkk.ops.health import health_response
from mkk.plans import selectors as plans_selectors
from mkk.statistics import selectors as statistics_selectors

from . import dashboard

FAVICON = Path(__file__).resolve().parent / "static" / "web" / "favicon.ico"


@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request):
    """/favicon.ico, which browsers ask for on every site (also linked from the pages)."""
    return HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")


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


@login_required
@require_GET
def my_work(request):
    """A focal point's (or case worker's) day: actions to report this period, what came back
    with a comment, statistics due, and follow-up tasks of their institution."""
    user = request.user
    scoping.require(scoping.works_for_institution(user))
    plan = plans_selectors.current_plan(user.municipality)
    board = plans_selectors.dashboard(user, plan) if plan else None
    context = {
        "plan": plan,
        "period": board.period if board else None,
        "to_report": [m for m in board.mine if m["can_report"]] if board else [],
        "returned_updates": [
            u
            for u in plans_selectors.returned_updates(user)[:50]
            if scoping.can_report_progress(user, u.action)
        ],
        "returned_submissions": statistics_selectors.returned_submissions(user)[:50],
        "due": statistics_selectors.due_for_focal_point(user),
        "tasks": meetings_selectors.open_follow_ups_of_institution(user).order_by("due_date")[:50],
        "today": timezone.localdate(),
    }
    return render(request, "web/my_work.html", context)


@login_required
@require_GET
def bench_bare(request):
    """The floor of ``make bench``'s load run: the page frame (base template, navigation,
    session, second factor, every middleware) with nothing in it. Routed only when
    ``settings.MKK_BENCH_VIEWS`` is on (never in production)."""
    return render(request, "web/bench_bare.html")
