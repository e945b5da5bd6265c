"""Completeness: which institutions submitted for a period, on time or late, and the
coordinator's reminders to those that did not."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from mkk.accounts import scoping
from mkk.core import periods

from .. import forms, selectors, services
from .common import municipality_for, period_of


def _period_from(request) -> tuple[dt.date, dt.date, str]:
    return forms.chosen_period(request.GET, default="month")


@login_required
@require_GET
def completeness(request, code: str):
    """Which institutions submitted for a period, on time or late; the reminder list."""
    municipality = municipality_for(request, code)
    scoping.require(scoping.can_read_completeness(request.user))
    start, end, ptype = _period_from(request)
    rows = selectors.completeness(municipality, start, end)
    context = {
        "municipality": municipality,
        "rows": rows,
        "start": start,
        "end": end,
        "ptype": ptype,
        "label": periods.period_label(start, end),
        "reminders": [r for r in rows if r.needs_reminder],
        "can_manage": scoping.can_manage_mechanism(request.user, municipality.pk),
        "can_records": scoping.can_read_records(request.user),
        "period_types": forms.period_type_choices(),
        "done": sum(1 for r in rows if r.state in ("on_time", "late")),
    }
    return render(request, "statistics/completeness.html", context)


@login_required
@require_POST
def remind(request, code: str):
    municipality = municipality_for(request, code)
    scoping.require(scoping.can_manage_mechanism(request.user, municipality.pk))
    start, end = period_of(request.POST)
    if start is None:
        messages.error(request, _("Choose a valid period."))
        return redirect("statistics:completeness", code=code)
    rows = selectors.completeness(municipality, start, end)
    sent, without = services.reminders_send(
        actor=request.user, municipality=municipality, rows=rows
    )
    messages.success(
        request,
        ngettext("%(count)s reminder sent.", "%(count)s reminders sent.", sent) % {"count": sent},
    )
    if without:
        messages.warning(
            request, _("No e-mail address for: %(names)s.") % {"names": ", ".join(without)}
        )
    url = reverse("statistics:completeness", kwargs={"code": code})
    return redirect(f"{url}?day={start.isoformat()}&period_type={periods.classify(start, end)}")
