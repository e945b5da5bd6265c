"""What several statistics pages share: the municipality of the URL and the range asked for."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from mkk.accounts import scoping
from mkk.core import periods
from mkk.directory import selectors as directory_selectors

from .. import forms


def default_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """From January to the last complete month."""
    last = periods.last_complete("month", today)
    return dt.date(last.end.year, 1, 1), last.end


def range_from(request) -> tuple[forms.RangeForm, dt.date, dt.date]:
    start, end = default_range(timezone.localdate())
    form = forms.RangeForm(request.GET or {"start": start, "end": end})
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, start, end


def municipality_for(request, code: str):
    """The municipality of the URL, for a user who reads its aggregates (404 / 403)."""
    municipality = directory_selectors.municipality_for(request.user, code)
    scoping.require(scoping.can_read_aggregates(request.user))
    return municipality


def period_of(source) -> tuple[dt.date | None, dt.date | None]:
    """``start`` and ``end`` of a form's data, or None for a missing or reversed period."""
    start, end = forms.parse_day(source.get("start")), forms.parse_day(source.get("end"))
    if start is None or end is None or end < start:
        return None, None
    return start, end
